"""Section 3.3: the driving scenes' class masks, the numpy transposed convolution against Keras, the
U-Net blocks and their checkers, the segmentation metrics, and the shipped U-Nets."""

import hashlib
import json
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest

from course_utils import paths
from course_utils.synthetic import driving

ROOT = Path(__file__).resolve().parent.parent
CLASSES = driving.SEGMENTATION_CLASSES
LABEL = {name: i for i, name in enumerate(CLASSES)}
OBJECT_CLASS = {"car": driving.CAR, "truck": driving.TRUCK, "pedestrian": driving.PEDESTRIAN,
                "traffic light": driving.TRAFFIC_LIGHT}


# --- The masks of the driving scenes ---------------------------------------------------------------

def test_masks_do_not_change_the_scenes_and_are_seeded():
    for seed in (0, 7, 2_000_003):
        plain = driving.make_scene(seed)
        image, boxes, classes, mask = driving.make_scene(seed, with_mask=True)
        for a, b in zip(plain, (image, boxes, classes), strict=True):
            np.testing.assert_array_equal(a, b)
        assert mask.shape == (96, 96) and mask.dtype == np.uint8 and mask.max() < len(CLASSES)
        np.testing.assert_array_equal(mask, driving.make_scene(seed, with_mask=True)[3])
    assert not np.array_equal(driving.make_scene(1, with_mask=True)[3], driving.make_scene(2, with_mask=True)[3])
    image, boxes, classes, mask = driving.make_scene(5, size=64, with_mask=True)
    assert image.shape == (64, 64, 3) and mask.shape == (64, 64)


def test_segmentation_split_is_the_split_with_masks():
    images, masks = driving.make_segmentation_split("val", 6)
    assert images.shape == (6, 96, 96, 3) and masks.shape == (6, 96, 96) and masks.dtype == np.uint8
    np.testing.assert_array_equal(images, driving.make_split("val", 6)[0])
    with pytest.raises(ValueError, match="name must be one of"):
        driving.make_segmentation_split("training", 2)
    with pytest.raises(ValueError, match="n must be an integer >= 1; got 0"):
        driving.make_segmentation_split("val", 0)
    with pytest.raises(TypeError, match="with_mask must be True or False; got str 'yes'"):
        driving.make_scene(0, with_mask="yes")


def test_the_command_line_writes_scenes_and_masks(tmp_path, capsys):
    out = tmp_path / "scenes.npz"
    assert driving.main(["--split", "val", "--n", "3", "--out", str(out)]) == 0
    saved = np.load(out)
    images, masks = driving.make_segmentation_split("val", 3)
    np.testing.assert_array_equal(saved["images"], images)
    np.testing.assert_array_equal(saved["masks"], masks)
    assert saved["classes"].tolist() == list(CLASSES)
    assert "wrote 3 val scenes" in capsys.readouterr().out


def test_every_class_appears():
    _, masks = driving.make_segmentation_split("val", 60)
    assert set(np.unique(masks).tolist()) == set(range(len(CLASSES)))


def _rows(mask, name):
    return np.nonzero(mask == LABEL[name])[0]


def test_masks_follow_the_picture_sky_above_road_objects_in_their_boxes():
    for seed in range(2_000_000, 2_000_040):
        image, boxes, classes, mask = driving.make_scene(seed, with_mask=True)
        # the sky ends where the road begins: the horizon
        assert _rows(mask, "sky").max() <= _rows(mask, "road").min() + 1
        assert _rows(mask, "sky").min() == 0 and _rows(mask, "road").max() == 95
        for name, cls in OBJECT_CLASS.items():
            inside = np.zeros(mask.shape, bool)
            for (y0, x0, y1, x1), c in zip(boxes, classes, strict=True):
                if c == cls:
                    # a traffic light's pole stands below its box
                    bottom = 96 if name == "traffic light" else int(np.ceil(y1)) + 1
                    inside[max(int(y0) - 1, 0):bottom, max(int(x0) - 1, 0):int(np.ceil(x1)) + 1] = True
                    assert (mask[int(y0):int(np.ceil(y1)), int(x0):int(np.ceil(x1))] == LABEL[name]).any(), (
                        f"seed {seed}: a {name}'s box holds none of its pixels")
            assert not ((mask == LABEL[name]) & ~inside).any(), f"seed {seed}: {name} pixels outside its boxes"


def test_mask_classes_have_the_colours_of_what_was_drawn():
    brighter = 0
    for seed in range(40):
        image, _, _, mask = driving.make_scene(seed, with_mask=True)
        grey = image.astype(float).mean(axis=2)
        road, paint = grey[mask == LABEL["road"]], grey[mask == LABEL["lane marking"]]
        brighter += paint.mean() > road.mean() + 10
        for name in ("road", "roadside"):  # flat colours: a mask that strayed would take in other colours
            pixels = image[mask == LABEL[name]].astype(float)
            assert np.median(np.abs(pixels - np.median(pixels, axis=0))) <= 4, (seed, name)
        assert grey[mask == LABEL["sky"]].mean() > road.mean()
    assert brighter >= 38  # lane paint is brighter than the road around it (thin dashes blend a little)


# --- Transposed convolution in numpy ---------------------------------------------------------------

CONFIGS = [(f, s, padding) for f in (1, 2, 3, 4) for s in (1, 2, 3) for padding in ("valid", "same")]


@pytest.mark.parametrize("f,stride,padding", CONFIGS)
def test_conv_transpose_matches_keras(f, stride, padding, tf):
    import keras

    from course_utils import unet

    rng = np.random.default_rng(f * 10 + stride)
    A = rng.standard_normal((2, 4, 5, 3)).astype(np.float32)
    layer = keras.layers.Conv2DTranspose(4, f, strides=stride, padding=padding)
    expected = layer(A).numpy()
    W = layer.get_weights()[0]
    b = rng.standard_normal(4).astype(np.float32)
    layer.set_weights([W, b])
    expected = layer(A).numpy()
    got = unet.conv_transpose_forward(A, W, b, stride, padding)
    assert got.shape == expected.shape == (2, unet.conv_transpose_output_size(4, f, stride, padding),
                                           unet.conv_transpose_output_size(5, f, stride, padding), 4)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("padding", ["valid", "same"])
def test_conv_transpose_is_the_gradient_of_a_convolution(padding, tf):
    from course_utils import unet

    rng = np.random.default_rng(3)
    W = rng.standard_normal((3, 3, 4, 2))  # a convolution from 4 channels to 2 ... transposed: 2 -> 4
    x = tf.Variable(rng.standard_normal((1, 8, 8, 4)))
    with tf.GradientTape() as tape:
        y = tf.nn.conv2d(x, W, strides=2, padding=padding.upper())
    dy = rng.standard_normal(y.shape)
    gradient = tape.gradient(y, x, output_gradients=tf.constant(dy)).numpy()
    got = unet.conv_transpose_forward(dy, W, np.zeros(4), stride=2, padding=padding)
    if padding == "valid":  # the last row and column were never read by the convolution
        got = np.pad(got, ((0, 0), (0, 8 - got.shape[1]), (0, 8 - got.shape[2]), (0, 0)))
    np.testing.assert_allclose(got, gradient, atol=1e-10)


def test_conv_transpose_bad_input():
    from course_utils import unet

    A, W, b = np.zeros((1, 2, 2, 3)), np.zeros((3, 3, 4, 3)), np.zeros(4)
    with pytest.raises(ValueError, match="W has n_C_prev=2 input channels .* A_prev has 3"):
        unet.conv_transpose_forward(A, np.zeros((3, 3, 4, 2)), b)
    with pytest.raises(ValueError, match="b must hold one bias per output channel, n_C=4"):
        unet.conv_transpose_forward(A, W, np.zeros(3))
    with pytest.raises(ValueError, match='padding must be "valid" or "same"; got \'full\''):
        unet.conv_transpose_forward(A, W, b, padding="full")
    with pytest.raises(ValueError, match="stride must be an integer >= 1; got 0"):
        unet.conv_transpose_forward(A, W, b, stride=0)
    with pytest.raises(ValueError, match="A_prev must be a 4-D array"):
        unet.conv_transpose_forward(np.zeros((2, 2, 3)), W, b)
    with pytest.raises(ValueError, match="W must hold square kernels"):
        unet.conv_transpose_forward(A, np.zeros((3, 2, 4, 3)), b)


# --- The blocks, the model and their checkers -------------------------------------------------------

def test_blocks_shapes_and_errors(tf):
    import keras

    from course_utils import unet

    x = keras.Input((16, 24, 3))
    next_layer, skip = unet.conv_block(x, 4)
    assert tuple(next_layer.shape) == (None, 8, 12, 4) and tuple(skip.shape) == (None, 16, 24, 4)
    same, skip = unet.conv_block(x, 4, 0.3, max_pooling=False)
    assert same is skip
    up = unet.upsampling_block(next_layer, skip, 6)
    assert tuple(up.shape) == (None, 16, 24, 6)
    with pytest.raises(ValueError, match=r"contractive_input must be twice as high and wide as expansive_input"):
        unet.upsampling_block(next_layer, next_layer)
    with pytest.raises(ValueError, match=r"dropout_prob must be a number in \[0, 1\); got 1.5"):
        unet.conv_block(x, 4, 1.5)
    with pytest.raises(TypeError, match="max_pooling must be True or False; got 'no'"):
        unet.conv_block(x, 4, 0, "no")
    with pytest.raises(ValueError, match="inputs must be a 4-D tensor"):
        unet.conv_block(np.zeros((3, 3)), 4)
    with pytest.raises(ValueError, match="divisible by 16"):
        unet.unet_model((90, 96, 3), 4, 3)


def test_unet_without_skips_has_the_same_parameters_and_zeros_for_skips(tf):
    import keras

    from course_utils import unet

    model = unet.unet_model((32, 32, 3), 2, 5)
    cut = unet.unet_from_blocks((32, 32, 3), 2, 5, skips=False)
    assert model.count_params() == cut.count_params()
    assert model.output_shape == cut.output_shape == (None, 32, 32, 5)
    cuts = [layer.output for layer in cut.layers if isinstance(layer, keras.layers.Lambda)]
    assert [tuple(t.shape[1:]) for t in cuts] == [(4, 4, 16), (8, 8, 8), (16, 16, 4), (32, 32, 2)]
    x = np.random.default_rng(0).random((2, 32, 32, 3)).astype(np.float32)
    assert all(not np.any(value) for value in keras.Model(cut.inputs[0], cuts)(x))


def test_checkers_name_the_usual_mistakes(tf, capsys):
    from keras import layers

    from course_utils import checks

    def conv_block(inputs, n_filters=32, dropout_prob=0, max_pooling=True):
        conv = layers.Conv2D(n_filters, 3, activation="relu", padding="same")(inputs)  # no he_normal
        conv = layers.Conv2D(n_filters, 3, activation="relu", padding="same")(conv)
        return (layers.MaxPooling2D(2)(conv) if max_pooling else conv), conv

    assert not checks.check_conv_block(conv_block, verbose=False)
    out = capsys.readouterr().out
    assert "layer 1 (Conv2D): kernel_initializer is 'GlorotUniform'; expected 'HeNormal'" in out
    assert "hint: two Conv2D(n_filters, 3, activation='relu', padding='same', kernel_initializer='he_normal')" in out

    def conv_block(inputs, n_filters=32, dropout_prob=0, max_pooling=True):  # always drops, always pools
        conv = layers.Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(inputs)
        conv = layers.Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(conv)
        conv = layers.Dropout(dropout_prob)(conv)
        return layers.MaxPooling2D(2)(conv), conv

    assert not checks.check_conv_block(conv_block, verbose=False)
    out = capsys.readouterr().out
    assert "FAIL case 2 (inputs (None, 8, 8, 4), n_filters 4, dropout_prob 0, max_pooling True): layer 3 is " \
           "Dropout; expected MaxPooling2D" in out
    assert "hint: no Dropout layer when dropout_prob is 0" in out
    assert "FAIL case 4" in out and "hint: with max_pooling=False there is no MaxPooling2D" in out

    def conv_block(inputs, n_filters=32, dropout_prob=0, max_pooling=True):  # returns (skip, next)
        conv = layers.Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(inputs)
        conv = layers.Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(conv)
        if dropout_prob > 0:
            conv = layers.Dropout(dropout_prob)(conv)
        return conv, (layers.MaxPooling2D(2)(conv) if max_pooling else conv)

    assert not checks.check_conv_block(conv_block, verbose=False)
    assert ("it returns 2 tensor(s) of shapes [(None, 96, 96, 8), (None, 48, 48, 8)]; expected "
            "[(None, 48, 48, 8), (None, 96, 96, 8)]") in capsys.readouterr().out

    def upsampling_block(expansive_input, contractive_input, n_filters=32):  # concatenated the other way round
        up = layers.Conv2DTranspose(n_filters, 3, strides=(2, 2), padding="same")(expansive_input)
        merge = layers.concatenate([contractive_input, up], axis=-1)
        conv = layers.Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(merge)
        return layers.Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")(conv)

    assert not checks.check_upsampling_block(upsampling_block, verbose=False)
    out = capsys.readouterr().out
    assert "same layers, wired differently: with the same weights output[0]" in out
    assert "hint: concatenate in this order, on axis 3: [upsampled, contractive_input]" in out

    def upsampling_block(expansive_input, contractive_input, n_filters=32):  # valid padding: wrong size
        up = layers.Conv2DTranspose(n_filters, 3, strides=(2, 2))(expansive_input)
        return layers.concatenate([up, contractive_input], axis=3)

    assert not checks.check_upsampling_block(upsampling_block, verbose=False)
    assert "raised ValueError" in capsys.readouterr().out  # Keras cannot concatenate 25x33 with 24x32


def test_unet_comparison_catches_a_model_without_skips(tf):
    from course_utils import unet
    from course_utils.checks.unet import _compare_built, _describe

    expected = _describe(unet.unet_model((32, 32, 3), 2, 3))
    assert _compare_built(_describe(unet.unet_model((32, 32, 3), 2, 3)), expected) is None
    cut = _describe(unet.unet_from_blocks((32, 32, 3), 2, 3, skips=False))
    assert _compare_built(cut, expected) == "layer 18 is Lambda; expected Concatenate"


# --- Measuring masks -------------------------------------------------------------------------------

def test_iou_by_hand():
    from course_utils import unet

    y_true = np.array([[0, 0, 1, 1], [0, 0, 1, 1]])
    y_pred = np.array([[0, 1, 1, 1], [0, 0, 1, 2]])
    per_class = unet.iou_per_class(y_true, y_pred, 4)
    # class 0: 3 shared of 4 pixels in the union; class 1: 3 of 5; class 2: 0 of 1; class 3: absent
    np.testing.assert_allclose(per_class[:3], [3 / 4, 3 / 5, 0])
    assert np.isnan(per_class[3])
    mean, _ = unet.mean_iou(y_true, y_pred, 4)
    assert mean == pytest.approx((3 / 4 + 3 / 5 + 0) / 3)
    assert unet.mean_iou(y_true, y_true, 4)[0] == 1.0
    with pytest.raises(ValueError, match="y_pred must hold class indices in 0..3; got 2..4"):
        unet.iou_per_class(y_true, y_pred + 2, 4)
    with pytest.raises(ValueError, match="y_pred must have the shape of y_true"):
        unet.iou_per_class(y_true, y_pred[:1], 4)


def test_boundary_accuracy_by_hand():
    from course_utils import unet

    y_true = np.zeros((1, 6, 6), int)
    y_true[0, :, 3:] = 1  # a vertical boundary between columns 2 and 3
    assert unet.boundary_accuracy(y_true, y_true) == 1.0
    blurred = y_true.copy()
    blurred[0, :, 3] = 0  # the boundary moved one column: the 6 pixels of column 3 are wrong
    # near the boundary (width 1): columns 2 and 3, 12 pixels, 6 of them wrong
    assert unet.boundary_accuracy(y_true, blurred) == 0.5
    assert unet.boundary_accuracy(y_true, blurred, width=2) == pytest.approx(18 / 24)
    with pytest.raises(ValueError, match="no boundary"):
        unet.boundary_accuracy(np.zeros((1, 4, 4), int), np.zeros((1, 4, 4), int))


def test_train_unet_checks_its_arguments(tf):
    from course_utils import unet

    model = unet.unet_model((32, 32, 3), 2, len(CLASSES))
    images, masks = np.zeros((4, 32, 32, 3), np.uint8), np.zeros((4, 32, 32), np.uint8)
    with pytest.raises(ValueError, match=r"masks must have shape \(m, n_H, n_W\) = \(4, 32, 32\) to match images"):
        unet.train_unet(model, images, masks[:, :16])
    with pytest.raises(TypeError, match="model must be a keras.Model; got str"):
        unet.train_unet("unet", images, masks)
    with pytest.raises(ValueError, match="epochs must be an integer >= 1; got 0"):
        unet.train_unet(model, images, masks, epochs=0)


# --- The shipped U-Nets --------------------------------------------------------------------------

def test_the_training_script_writes_loadable_weights(tmp_path, tf):
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import train_unet
    finally:
        sys.path.remove(str(ROOT / "tools"))
    assert train_unet.main(["--epochs", "3", "--n-filters", "2", "--train-scenes", "32", "--test-scenes", "8",
                            "--size", "32", "--batch-size", "8", "--out", str(tmp_path)]) == 0
    record = json.loads((tmp_path / "training.json").read_text())
    assert record["n_filters"] == 2 and len(record["with_skips"]) == len(record["without_skips"]) == 1
    losses = record["with_skips"][0]["loss_per_epoch"]
    assert len(losses) == 3 and losses[-1] < losses[0]  # train_unet learns
    from course_utils import unet

    model, _ = unet.load_unet(path=tmp_path / "unet.weights.h5", record=tmp_path / "training.json")
    images, masks = driving.make_segmentation_split("test", 8, size=32)
    predicted = unet.predict_masks(model, images)
    assert predicted.shape == (8, 32, 32) and predicted.dtype == np.uint8
    mean, _ = unet.mean_iou(masks, predicted, len(CLASSES))
    assert mean == pytest.approx(record["with_skips"][0]["mean_iou"], abs=2e-3)
    for name in ("unet.weights.h5", "unet_without_skips.weights.h5"):  # weights only, no optimizer state
        with h5py.File(tmp_path / name) as saved:
            assert "optimizer" not in saved and "layers" in saved


def test_shipped_unets_are_small_and_reach_their_recorded_mean_iou(tf):
    from course_utils import unet

    record = unet.unet_record()
    for path in (paths.UNET_WEIGHTS, paths.UNET_NO_SKIPS_WEIGHTS):
        assert path.stat().st_size < 5 * 2**20
    assert record["classes"] == list(CLASSES)
    assert "tools/train_unet.py" in record["command"]
    images, masks = driving.make_segmentation_split("test", record["test_scenes"])
    assert record["test_masks_sha256"] == hashlib.sha256(masks.tobytes()).hexdigest(), (
        "the test scenes changed since the U-Nets were trained: run tools/train_unet.py again")
    for skips, key in ((True, "with_skips"), (False, "without_skips")):
        model, _ = unet.load_unet(skips=skips)
        mean, _ = unet.mean_iou(masks, unet.predict_masks(model, images), len(CLASSES))
        assert mean == pytest.approx(record[key][0]["mean_iou"], abs=0.005)
    assert record["with_skips"][0]["mean_iou"] >= 0.70


# --- Figures ---------------------------------------------------------------------------------------

def test_mask_figures():
    import matplotlib.pyplot as plt

    from course_utils.figures import show_masks, show_unet

    images, masks = driving.make_segmentation_split("val", 2)
    fig = show_masks(images, {"true": masks, "shifted": np.roll(masks, 1, axis=2)}, CLASSES)
    assert len(fig.axes) == 6 and [ax.get_title() for ax in fig.axes[:3]] == ["picture", "true", "shifted"]
    assert len(fig.legends[0].get_texts()) == len(CLASSES)
    with pytest.raises(ValueError, match=r"masks\['true'\] must have shape \(n, n_H, n_W\) = \(2, 96, 96\)"):
        show_masks(images, {"true": masks[:1]}, CLASSES)
    with pytest.raises(TypeError, match="masks must be a non-empty dict"):
        show_masks(images, masks, CLASSES)
    texts = " ".join(t.get_text() for t in show_unet((96, 96, 3), 8, 10).axes[0].texts)
    assert "conv_block 5 + dropout\n6×6×128" in texts and "upsampling_block 9\n96×96×8" in texts
    plt.close("all")
