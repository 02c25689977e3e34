"""Neural style transfer: costs, feature extractor weights, images, generation loop, checkers."""

import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")

from course_utils import checks, image_io, style  # noqa: E402
from course_utils.gradcheck import numerical_gradient, relative_error  # noqa: E402
from course_utils.synthetic import paintings  # noqa: E402

SMALL = 32  # VGG19's five poolings leave 2x2 at block5 for a 32x32 image


@pytest.fixture(scope="module")
def extractor():
    return style.vgg19_features(calibration_image=image_io.sample_photo("chelsea", SMALL))


# ---------------------------------------------------------------- costs, by hand


def test_content_cost_by_hand():
    a_C = np.zeros((1, 1, 2, 2))
    a_G = np.array([[[[1.0, 2.0], [0.0, -1.0]]]])
    # sum of squares 1 + 4 + 0 + 1 = 6, divided by 4 * 1 * 2 * 2 = 16
    assert float(style.compute_content_cost(a_C, a_G)) == pytest.approx(6 / 16)


def test_gram_matrix_by_hand():
    G = style.gram_matrix(np.array([[1.0, 2.0], [3.0, 4.0]]))
    np.testing.assert_allclose(G.numpy(), [[5.0, 11.0], [11.0, 25.0]])


def test_layer_style_cost_by_hand():
    # n_H = 1, n_W = 2, n_C = 2; unrolled S = [[1, 0], [0, 1]] -> G_S = I; G = [[1, 1], [1, 1]] from ones
    a_S = np.array([[[[1.0, 0.0], [0.0, 1.0]]]])
    a_G = np.ones((1, 1, 2, 2))
    # G_G = [[2, 2], [2, 2]]; (G_S - G_G)^2 sums to 1 + 4 + 4 + 1 = 10; / (4 * 4 * 4) = 10 / 64
    assert float(style.compute_layer_style_cost(a_S, a_G)) == pytest.approx(10 / 64)


def test_style_cost_is_the_weighted_sum_and_total_cost():
    rng = np.random.default_rng(0)
    S = [rng.random((1, 3, 3, 2)), rng.random((1, 2, 2, 4))]
    G = [rng.random((1, 3, 3, 2)), rng.random((1, 2, 2, 4))]
    layers = [("a", 0.25), ("b", 0.75)]
    expected = sum(w * float(style.compute_layer_style_cost(s, g)) for (_, w), s, g in zip(layers, S, G, strict=True))
    assert float(style.compute_style_cost(S, G, layers)) == pytest.approx(expected)
    assert float(style.total_cost(2.0, 3.0)) == 10 * 2.0 + 40 * 3.0
    assert float(style.total_cost(2.0, 3.0, alpha=1, beta=0)) == 2.0


# ---------------------------------------------------------------- gradients and tf.function


@pytest.mark.parametrize("cost", [style.compute_content_cost, style.compute_layer_style_cost])
def test_gradient_matches_finite_differences(cost):
    rng = np.random.default_rng(1)
    a_ref, a_G = rng.random((1, 3, 4, 2)), rng.random((1, 3, 4, 2))
    x = tf.Variable(a_G)
    with tf.GradientTape() as tape:
        J = cost(a_ref, x)
    analytic = tape.gradient(J, x).numpy()
    numeric = numerical_gradient(lambda a: np.asarray(cost(a_ref, a)), a_G.copy(), 1.0)
    assert relative_error(analytic, numeric) < 1e-7


def test_costs_work_inside_tf_function():
    rng = np.random.default_rng(2)
    a, b = (tf.constant(rng.random((1, 4, 4, 3)), tf.float32) for _ in range(2))

    @tf.function
    def both(x, y):
        J_content = style.compute_content_cost(x, y)
        J_style = style.compute_style_cost([x], [y], [("l", 1.0)])
        return style.total_cost(J_content, J_style)

    expected = 10 * style.compute_content_cost(a, b) + 40 * style.compute_layer_style_cost(a, b)
    assert float(both(a, b)) == pytest.approx(float(expected), rel=1e-6)


# ---------------------------------------------------------------- bad inputs


@pytest.mark.parametrize("call, error, words", [
    (lambda: style.compute_content_cost(np.zeros((1, 2, 2, 3)), np.zeros((1, 2, 3, 3))), ValueError,
     "a_C and a_G must have the same shape"),
    (lambda: style.compute_content_cost(np.zeros((2, 2, 3)), np.zeros((2, 2, 3))), ValueError, "a_C must be a 4-D"),
    (lambda: style.compute_layer_style_cost(np.zeros((2, 2, 2, 3)), np.zeros((2, 2, 2, 3))), ValueError,
     "one image"),
    (lambda: style.gram_matrix(np.zeros((2, 2, 2))), ValueError, "A must be a 2-D"),
    (lambda: style.gram_matrix("abc"), TypeError, "A must be a tensor"),
    (lambda: style.compute_style_cost([np.zeros((1, 2, 2, 1))], [np.zeros((1, 2, 2, 1))], [("l", 0.0)]),
     ValueError, "must be > 0"),
    (lambda: style.compute_style_cost([np.zeros((1, 2, 2, 1))], [np.zeros((1, 2, 2, 1))], [("l", -1)]),
     ValueError, "must be > 0"),
    (lambda: style.compute_style_cost([np.zeros((1, 2, 2, 1))], [], [("l", 1.0)]), ValueError,
     "generated_outputs must hold one activation per style layer"),
    (lambda: style.compute_style_cost([np.zeros((1, 2, 2, 1))], [np.zeros((1, 3, 2, 1))], [("l", 1.0)]),
     ValueError, "style layer 'l'"),
    (lambda: style.total_cost(1.0, 1.0, alpha=-1), ValueError, "alpha must be >= 0"),
    (lambda: style.total_cost(1.0, 1.0, beta="big"), TypeError, "beta must be a finite real number"),
])
def test_bad_inputs_name_the_argument(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_generate_rejects_bad_images(extractor):
    image = image_io.sample_photo("chelsea", SMALL)
    with pytest.raises(ValueError, match="content_image must be an image of shape"):
        style.generate(image[0, :, :, 0][None, None], image, extractor, iterations=1, progress=False)
    with pytest.raises(ValueError, match="must have the same shape"):
        style.generate(image, paintings.style_image("mosaic", SMALL + 8), extractor, iterations=1, progress=False)
    with pytest.raises(ValueError, match=r"values in \[0, 1\]"):
        style.generate(image * 3, image, extractor, iterations=1, progress=False)
    with pytest.raises(ValueError, match="not among the extractor's style layers"):
        style.generate(image, image, extractor, iterations=1, style_layers=[("block1_conv2", 1.0)], progress=False)
    with pytest.raises(TypeError, match="extractor must be a FeatureExtractor"):
        style.generate(image, image, "vgg", iterations=1, progress=False)


# ---------------------------------------------------------------- weights


def test_random_weights_are_the_offline_default_and_normalised(monkeypatch):
    import keras

    asked = []
    original = keras.applications.VGG19

    def spy(*args, **kwargs):
        asked.append(kwargs.get("weights"))
        return original(*args, **kwargs)

    monkeypatch.setattr(keras.applications, "VGG19", spy)
    calibration = image_io.sample_photo("coffee", SMALL)
    features = style.vgg19_features(calibration_image=calibration)
    assert asked == [None]  # nothing downloaded, nothing read from a cache
    assert "random" in features.weights and "offline" in features.weights
    assert features.style_layers == style.STYLE_LAYERS
    outputs = features(calibration)
    assert [tuple(o.shape[1:3]) for o in outputs] == [(32, 32), (16, 16), (8, 8), (4, 4), (2, 2), (4, 4)]
    rms = [float(tf.sqrt(tf.reduce_mean(tf.square(o)))) for o in outputs]
    np.testing.assert_allclose(rms, 1.0, rtol=1e-3)  # every layer rescaled to RMS 1
    # The same seed gives the same network; another seed another one.
    again = style.vgg19_features(calibration_image=calibration)
    np.testing.assert_allclose(again(calibration)[0], outputs[0], rtol=1e-5)
    other = style.vgg19_features(calibration_image=calibration, seed=1)
    assert not np.allclose(other(calibration)[0], outputs[0])


def test_weights_from_a_path(tmp_path, extractor):
    import keras

    base = keras.applications.VGG19(include_top=False, weights=None, input_shape=(None, None, 3))
    path = tmp_path / "vgg19.weights.h5"
    base.save_weights(path)
    features = style.vgg19_features(weights=path, pooling="max")
    assert str(path) in features.weights and "max pooling" in features.weights
    image = image_io.sample_photo("rocket", SMALL)
    expected = keras.Model(base.input, base.get_layer("block2_conv1").output)(style.preprocess(image))
    np.testing.assert_allclose(features(image)[1], expected, rtol=1e-5, atol=1e-5)
    # Average pooling: the same weights, the pools replaced (block1_conv1 comes before any pool).
    averaged = style.vgg19_features(weights=path)
    assert "average pooling" in averaged.weights
    pools = [type(layer).__name__ for layer in averaged.model.layers if "pool" in layer.name]
    assert pools == ["AveragePooling2D"] * 4  # the fifth pool lies after the last layer the extractor uses
    np.testing.assert_allclose(averaged(image)[0], features(image)[0], rtol=1e-5, atol=1e-5)
    assert not np.allclose(averaged(image)[1], features(image)[1])


def test_bad_weights(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        style.vgg19_features(weights=tmp_path / "missing.weights.h5")
    with pytest.raises(ValueError, match='pooling must be "average" or "max"'):
        style.vgg19_features(pooling="min")
    broken = tmp_path / "broken.weights.h5"
    broken.write_text("not weights")
    with pytest.raises(ValueError, match="could not be loaded"):
        style.vgg19_features(weights=broken)
    with pytest.raises(TypeError, match="weights must be"):
        style.vgg19_features(weights=3)
    with pytest.raises(ValueError, match="is not a VGG19 layer"):
        style.vgg19_features(content_layer="block6_conv1")


# ---------------------------------------------------------------- generation


def test_generation_lowers_the_cost_and_saves_the_image(tmp_path, extractor):
    C = image_io.sample_photo("chelsea", SMALL)
    S = paintings.style_image("brush_strokes", SMALL)
    result = style.generate(C, S, extractor, iterations=12, learning_rate=0.03, snapshot_at=(0, 6),
                            output_path=tmp_path / "out" / "final.png", progress=False)
    assert len(result.history["total"]) == 13
    assert result.history["total"][-1] < 0.5 * result.history["total"][0]
    assert result.reduction("style") > 0.5
    np.testing.assert_allclose(result.history["total"],
                               10 * result.history["content"] + 40 * result.history["style"], rtol=1e-5)
    assert set(result.snapshots) == {0, 6} and result.snapshots[6].shape == (SMALL, SMALL, 3)
    assert result.image.min() >= 0 and result.image.max() <= 1
    assert result.path.is_file()
    np.testing.assert_allclose(image_io.load_image(result.path)[0], result.image, atol=1 / 255)


def test_only_the_ratio_of_alpha_and_beta_matters_with_adam(extractor):
    C = image_io.sample_photo("chelsea", SMALL)
    S = paintings.style_image("brush_strokes", SMALL)
    runs = [style.generate(C, S, extractor, iterations=5, alpha=a, beta=b, progress=False)
            for a, b in [(10, 40), (1, 4)]]
    # Adam divides each step by the gradient's running size, so scaling the cost scales nothing; only pixels
    # whose gradient is almost zero (where float rounding decides the step's sign) may differ.
    assert np.abs(runs[0].image - runs[1].image).mean() < 1e-3
    np.testing.assert_allclose(runs[0].history["style"], runs[1].history["style"], rtol=0.02)


def test_generate_runs_a_learners_train_step_and_costs(extractor):
    C = image_io.sample_photo("chelsea", SMALL)
    S = paintings.style_image("mosaic", SMALL)
    calls = {"step": 0, "content": 0}

    def learners_step(*args):
        calls["step"] += 1
        return style.train_step(*args)

    def learners_content_cost(a_C, a_G):
        calls["content"] += 1
        return style.compute_content_cost(a_C, a_G)

    reference = style.generate(C, S, extractor, iterations=4, progress=False)
    theirs = style.generate(C, S, extractor, iterations=4, progress=False, train_step=learners_step,
                            costs={"compute_content_cost": learners_content_cost})
    assert calls["step"] == 4 and calls["content"] >= 1  # the costs record the history (traced once)
    np.testing.assert_allclose(theirs.image, reference.image, atol=1e-6)
    np.testing.assert_allclose(theirs.history["total"], reference.history["total"], rtol=1e-5)
    # costs= alone builds the step from those costs
    halved = style.generate(C, S, extractor, iterations=2, progress=False,
                            costs={"total_cost": lambda J_c, J_s, alpha, beta: 0.5 * (alpha * J_c + beta * J_s)})
    np.testing.assert_allclose(halved.history["total"][0], 0.5 * reference.history["total"][0], rtol=1e-5)


def test_generate_records_snapshots_and_steps(extractor, capsys):
    C = image_io.sample_photo("chelsea", SMALL)
    result = style.generate(C, paintings.style_image("mosaic", SMALL), extractor, iterations=6, record_every=4,
                            snapshot_at=(0, 6))
    np.testing.assert_array_equal(result.history["step"], [0, 4, 6])
    assert set(result.snapshots) == {0, 6}
    np.testing.assert_array_equal(result.snapshots[0], C[0])  # the start is the content image itself
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.startswith("6/6 [") and "style" in out  # one line per run


def test_generate_bad_steps_and_costs(extractor):
    C = image_io.sample_photo("chelsea", SMALL)
    with pytest.raises(TypeError, match="train_step must be a function"):
        style.generate(C, C, extractor, iterations=1, train_step="adam", progress=False)
    with pytest.raises(ValueError, match="costs may only name"):
        style.generate(C, C, extractor, iterations=1, costs={"content": style.compute_content_cost}, progress=False)
    with pytest.raises(TypeError, match="costs must be a dict"):
        style.generate(C, C, extractor, iterations=1, costs=[style.total_cost], progress=False)
    with pytest.raises(FloatingPointError, match="at update 1"):
        style.generate(C, C, extractor, iterations=2, train_step=lambda *args: tf.constant(np.nan), progress=False)


def test_train_step_updates_the_pixels_and_clips_them(extractor):
    import keras

    C = image_io.sample_photo("chelsea", SMALL)
    S = paintings.style_image("brush_strokes", SMALL)
    image = tf.Variable(C)
    optimizer = keras.optimizers.Adam(learning_rate=0.5)
    optimizer.build([image])
    weights_before = [w.copy() for w in extractor.model.get_weights()]
    J = style.train_step(image, extractor, extractor(C)[-1], extractor(S)[:-1], optimizer, 10, 40)
    outputs = extractor(C)
    expected = style.total_cost(style.compute_content_cost(outputs[-1], outputs[-1]),
                                style.compute_style_cost(extractor(S)[:-1], outputs[:-1], extractor.style_layers))
    assert float(J) == pytest.approx(float(expected), rel=1e-5)  # the cost of the image before the update
    assert np.abs(image.numpy() - C).max() > 0.1 and image.numpy().min() >= 0 and image.numpy().max() <= 1
    assert all(np.array_equal(a, b) for a, b in zip(weights_before, extractor.model.get_weights(), strict=True))
    with pytest.raises(TypeError, match="generated_image must be a tf.Variable"):
        style.train_step(tf.constant(C), extractor, extractor(C)[-1], extractor(S)[:-1], optimizer)


def test_speckle_and_colour_difference_by_hand():
    flat = np.full((1, 4, 4, 3), 0.5, np.float32)
    stripes = np.zeros((1, 4, 4, 3), np.float32)
    stripes[:, :, ::2] = 1.0  # columns alternate black and white
    assert style.speckle(flat) == 0.0
    two_patches = flat.copy()
    two_patches[:, :, 2:] = 1.0
    assert style.speckle(two_patches) == 0.0  # an edge between patches is not speckle
    salt = flat.copy()
    salt[0, 1, 1] = 1.0  # one white pixel on grey: 3 squared differences of 0.5 among 48 values
    assert style.speckle(salt) == pytest.approx(3 * 0.25 / 48)
    assert style.speckle(stripes) == 1.0  # one-pixel stripes: every pixel is the odd one out of its 3x3 window
    assert style.colour_difference(flat, flat) == 0.0
    assert style.colour_difference(flat, stripes) == 1.0  # grey shares no colour box with black or white
    assert style.colour_difference(stripes, stripes[:, :, ::-1]) == 0.0  # positions do not matter
    half_white = np.full((1, 4, 4, 3), 0.5, np.float32)
    half_white[:, :2] = 1.0
    assert style.colour_difference(half_white, flat) == pytest.approx(0.5)
    assert style.colour_difference(half_white, flat, bins=1) == 0.0  # one box holds every colour
    with pytest.raises(ValueError, match="bins must be"):
        style.colour_difference(flat, flat, bins=0)


def test_select_keeps_the_network_and_reweights(extractor):
    chosen = extractor.select([("block2_conv1", 0.7), ("block4_conv1", 0.3)])
    image = image_io.sample_photo("chelsea", SMALL)
    full, part = extractor(image), chosen(image)
    assert chosen.style_layers == [("block2_conv1", 0.7), ("block4_conv1", 0.3)] and len(part) == 3
    np.testing.assert_allclose(part[0], full[1])
    np.testing.assert_allclose(part[-1], full[-1])
    with pytest.raises(ValueError, match="not among the extractor's style layers"):
        extractor.select([("block1_conv2", 1.0)])


def test_texture_synthesis_and_reconstruction_use_one_image(extractor):
    S = paintings.style_image("mosaic", SMALL)
    texture = style.generate(None, S, extractor, iterations=8, learning_rate=0.05, progress=False)
    assert np.all(texture.history["content"] == 0) and texture.reduction("style") > 0.3
    reconstruction = style.generate(S, None, extractor, iterations=8, learning_rate=0.05, progress=False)
    assert np.all(reconstruction.history["style"] == 0) and reconstruction.reduction("content") > 0.3


# ---------------------------------------------------------------- images


def test_images_are_batches_in_the_unit_range():
    for image in (image_io.sample_photo("grace_hopper", 40), paintings.style_image("brush_strokes", 40),
                  paintings.mosaic(40, palette="fauve"), image_io.sample_photo("astronaut", (24, 40))):
        assert image.dtype == np.float32 and image.min() >= 0 and image.max() <= 1
    assert image_io.sample_photo("astronaut", (24, 40)).shape == (1, 24, 40, 3)
    with pytest.raises(ValueError, match="name must be one of"):
        image_io.sample_photo("mona_lisa")
    with pytest.raises(ValueError, match="palette must be one of"):
        paintings.brush_strokes(32, palette="grey")


# ---------------------------------------------------------------- checkers


@pytest.mark.parametrize("name", checks.EXERCISES["style"])
def test_references_and_solutions_pass_their_checkers(name, capsys):
    from course_utils.solutions import style as solutions

    assert getattr(checks, f"check_{name}")(getattr(style, name), verbose=False) is True
    assert getattr(checks, f"check_{name}")(getattr(solutions, name), verbose=False) is True
    assert capsys.readouterr().out.count("well done") == 2


def test_train_step_checker_gives_each_function_a_fresh_state_and_explains_a_missing_clip(capsys):
    from course_utils.solutions import style as solutions

    def without_clipping(generated_image, extractor, a_C, a_S, optimizer, alpha=10, beta=40):
        with tf.GradientTape() as tape:
            a_G = extractor(generated_image)
            J = style.total_cost(style.compute_content_cost(a_C, a_G[-1]),
                                 style.compute_style_cost(a_S, a_G[:-1], extractor.style_layers), alpha, beta)
        optimizer.apply_gradients([(tape.gradient(J, generated_image), generated_image)])
        return J

    def fixed_weights(generated_image, extractor, a_C, a_S, optimizer, alpha=10, beta=40):
        return solutions.train_step(generated_image, extractor, a_C, a_S, optimizer)

    assert checks.check_train_step(without_clipping) is False
    out = capsys.readouterr().out
    assert "FAIL case 3 (a large step, SGD(50): the pixels must be clipped to [0, 1]): updated image" in out
    assert "hint: after the update, clip the pixels to [0, 1]" in out
    assert "train_step: 3 of 4 cases passed." in out
    assert checks.check_train_step(fixed_weights, verbose=False) is False
    assert "hint: pass alpha and beta on to total_cost" in capsys.readouterr().out

    @tf.function
    def stub(generated_image, extractor, a_C, a_S, optimizer, alpha=10, beta=40):
        raise NotImplementedError("write train_step")

    assert checks.submit(stub, name="train_step") is style.train_step
    assert "train_step: not written yet (write train_step); 0 of 4 cases run." in capsys.readouterr().out


def test_checker_explains_a_wrong_cost(capsys):
    def without_the_four(a_C, a_G):
        return tf.reduce_sum(tf.square(a_C - a_G)) / tf.cast(tf.size(a_C), a_C.dtype)

    assert checks.check_compute_content_cost(without_the_four) is False
    out = capsys.readouterr().out
    assert "FAIL case 1 (activations of shape (1, 4, 4, 3)): result should be" in out
    assert "compute_content_cost: 1 of 4 cases passed." in out


# ---------------------------------------------------------------- helpers of notebook 4.5


def test_layer_gram_unrolls_normalises_and_ignores_positions():
    rng = np.random.default_rng(5)
    a = rng.random((1, 3, 4, 5)).astype(np.float32)
    unrolled = a[0].reshape(-1, 5).T  # (n_C, n_H*n_W)
    np.testing.assert_allclose(style.layer_gram(a, normalize=False).numpy(), unrolled @ unrolled.T, rtol=1e-6)
    np.testing.assert_allclose(style.layer_gram(a).numpy(), unrolled @ unrolled.T / 12, rtol=1e-6)
    # Permuting the positions changes nothing: the Gram matrix forgets where.
    permuted = a[0].reshape(-1, 5)[rng.permutation(12)].reshape(1, 3, 4, 5)
    np.testing.assert_allclose(style.layer_gram(permuted).numpy(), style.layer_gram(a).numpy(), rtol=1e-6)
    # The layer style cost in terms of normalised Gram matrices: sum((G_S - G_G)**2) / (4 n_C**2).
    b = rng.random((1, 3, 4, 5)).astype(np.float32)
    by_gram = float(tf.reduce_sum(tf.square(style.layer_gram(a) - style.layer_gram(b)))) / (4 * 5**2)
    assert float(style.compute_layer_style_cost(a, b)) == pytest.approx(by_gram, rel=1e-5)


def test_layer_gram_bad_inputs():
    with pytest.raises(ValueError, match="a must be a 4-D"):
        style.layer_gram(np.zeros((3, 4, 5)))
    with pytest.raises(ValueError, match="one image"):
        style.layer_gram(np.zeros((2, 3, 4, 5)))
    with pytest.raises(TypeError, match="normalize must be True or False"):
        style.layer_gram(np.zeros((1, 3, 4, 5)), normalize="yes")


def test_shuffle_tiles_keeps_every_tile_and_moves_them():
    image = paintings.style_image("mosaic", 32)
    shuffled = paintings.shuffle_tiles(image, n_tiles=4, seed=3)
    assert shuffled.shape == (1, 32, 32, 3) and shuffled.dtype == np.float32
    assert not np.array_equal(shuffled, image)

    def tiles(x):
        return sorted(x[0].reshape(4, 8, 4, 8, 3).transpose(0, 2, 1, 3, 4).reshape(16, -1).tolist())

    assert tiles(shuffled) == tiles(image)  # the same sixteen tiles, in another order
    np.testing.assert_array_equal(paintings.shuffle_tiles(image, 4, seed=3), shuffled)  # seeded
    with pytest.raises(ValueError, match="multiples of n_tiles=5"):
        paintings.shuffle_tiles(image, n_tiles=5)
    with pytest.raises(ValueError, match="n_tiles"):
        paintings.shuffle_tiles(image, n_tiles=1)
