"""Builders and measurements of notebooks 2.2-2.4: stacks, gradient norms, small ResNets, transfer, crops."""

import numpy as np
import pytest

from course_utils import resnet
from course_utils.experiments import deep_stacks, inception_nets, transfer


@pytest.fixture(scope="module")
def keras(tf):
    import keras

    return keras


def test_plain_and_residual_stacks_differ_only_by_the_adds(keras):
    plain = deep_stacks.deep_stack((16, 16, 3), depth=6, width=4)
    residual = deep_stacks.deep_stack((16, 16, 3), depth=6, width=4, residual=True)
    assert plain.count_params() == residual.count_params()
    assert resnet.count_skip_connections(plain) == 0
    assert resnet.count_skip_connections(residual) == 3
    assert plain.output_shape == residual.output_shape == (None, 6)
    assert (plain.name, residual.name) == ("plain_6", "residual_6")


def test_headless_stack_keeps_the_input_shape(keras):
    stack = deep_stacks.deep_stack((5, 5, 4), depth=2, width=4, classes=None, stem=False, batch_norm=False)
    assert stack.output_shape == (None, 5, 5, 4)
    assert not any(isinstance(layer, keras.layers.Conv2D) and layer.kernel.shape[0] == 1 for layer in stack.layers)


def test_residual_stack_with_zero_weights_is_the_identity(keras):
    stack = deep_stacks.deep_stack((5, 5, 4), depth=4, width=4, residual=True, classes=None, stem=False,
                                 batch_norm=False, initializer="zeros")
    X = np.random.default_rng(0).random((2, 5, 5, 4)).astype(np.float32)
    np.testing.assert_allclose(stack.predict(X, verbose=0), X, atol=1e-7)


@pytest.mark.parametrize("depth", [3, 0])
def test_deep_stack_rejects_odd_or_tiny_depth(keras, depth):
    with pytest.raises(ValueError, match="depth"):
        deep_stacks.deep_stack(depth=depth)


def test_gradient_norms_vanish_in_a_deep_plain_stack_only(keras):
    rng = np.random.default_rng(0)
    X = rng.random((4, 16, 16, 3)).astype(np.float32)
    Y = np.eye(6)[rng.integers(0, 6, 4)]
    plain = deep_stacks.gradient_norms(deep_stacks.deep_stack((16, 16, 3), 20, width=8, batch_norm=False), X, Y)
    residual = deep_stacks.gradient_norms(
        deep_stacks.deep_stack((16, 16, 3), 20, residual=True, width=8, batch_norm=False), X, Y)
    assert plain.shape == residual.shape == (20,)
    assert plain.max() < 1e-3 * residual.min()


def test_gradient_norms_validates(keras):
    model = transfer.small_convnet((16, 16, 3))
    with pytest.raises(ValueError, match="conv_1"):
        deep_stacks.gradient_norms(model, np.zeros((1, 16, 16, 3)), np.zeros((1, 6)))
    stack = deep_stacks.deep_stack((16, 16, 3), 2)
    with pytest.raises(ValueError, match="same number"):
        deep_stacks.gradient_norms(stack, np.zeros((2, 16, 16, 3)), np.zeros((3, 6)))
    with pytest.raises(TypeError):
        deep_stacks.gradient_norms("model", None, None)


@pytest.mark.parametrize("depth,skips,params", [(18, 8, 11_193_990), (34, 16, 21_313_286)])
def test_basic_resnets_have_one_skip_per_two_layers(keras, depth, skips, params):
    model = deep_stacks.basic_resnet(depth)
    assert resnet.count_skip_connections(model) == skips == (depth - 2) // 2
    convs = [layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D) and layer.kernel.shape[0] > 1]
    assert len(convs) + 1 == depth and model.count_params() == params


def test_basic_resnet_rejects_other_depths(keras):
    with pytest.raises(ValueError, match="depth"):
        deep_stacks.basic_resnet(50)


def test_small_resnet_is_built_from_the_blocks(keras):
    model = resnet.small_resnet()
    assert model.output_shape == (None, 6)
    assert resnet.count_skip_connections(model) == 4
    with pytest.raises(ValueError, match="stages"):
        resnet.small_resnet(stages=[])


@pytest.mark.parametrize("blocks,convs", [(1, 7), (3, 19)])
def test_inception_net(keras, blocks, convs):
    model = inception_nets.inception_net(blocks=blocks, width=4)
    assert sum(isinstance(layer, keras.layers.Conv2D) for layer in model.layers) == convs
    assert model.output_shape == (None, 6) and model.name == f"inception_{blocks}"
    # the seed decides every initial weight: same seed, same network; another seed, another one
    same, other = inception_nets.inception_net(blocks=blocks, width=4), inception_nets.inception_net(
        blocks=blocks, width=4, seed=1)
    for mine, twin in zip(model.weights, same.weights, strict=True):
        np.testing.assert_array_equal(mine.numpy(), twin.numpy())
    kernels = [(w.numpy(), v.numpy()) for w, v in zip(model.weights, other.weights, strict=True) if len(w.shape) == 4]
    assert all(not np.array_equal(a, b) for a, b in kernels)


def test_transfer_model_reuses_and_freezes_the_features(keras):
    base = transfer.small_convnet((16, 16, 3), 6)
    frozen = transfer.transfer_model(base, 2)
    assert frozen.output_shape == (None, 1)
    assert [w.shape for w in frozen.trainable_weights] == [(64, 1), (1,)]
    assert frozen.get_layer("features") is base.get_layer("features")
    assert transfer.transfer_model(transfer.small_convnet((16, 16, 3)), 4, freeze=False).output_shape == (None, 4)
    with pytest.raises(ValueError, match="no 'features' sub-model.*feature_layer"):
        transfer.transfer_model(deep_stacks.deep_stack((16, 16, 3), 2), 2)


def test_transfer_model_reuses_any_named_layer(keras):
    from course_utils import resnet

    base = resnet.small_resnet((32, 32, 3), 6)
    pooling = next(layer.name for layer in base.layers if isinstance(layer, keras.layers.GlobalAveragePooling2D))
    frozen = transfer.transfer_model(base, 2, feature_layer=pooling)
    assert frozen.output_shape == (None, 1)
    assert [w.shape for w in frozen.trainable_weights] == [(base.layers[-2].output.shape[-1], 1), (1,)]
    x = np.random.default_rng(0).random((2, 32, 32, 3)).astype("float32")
    features = frozen.get_layer("features")
    np.testing.assert_allclose(features(x, training=False), keras.Model(base.input, base.layers[-2].output)(x),
                               rtol=1e-6)
    tuned = transfer.transfer_model(base, 3, freeze=False, feature_layer=pooling)
    assert tuned.output_shape == (None, 3) and len(tuned.trainable_weights) > 2
    with pytest.raises(ValueError, match="feature_layer must name a layer of 'small_resnet'; got 'nope'"):
        transfer.transfer_model(base, 2, feature_layer="nope")
    with pytest.raises(ValueError, match=r"shape \(m, d\).*pool or flatten"):
        transfer.transfer_model(base, 2, feature_layer=base.layers[-3].name)
    with pytest.raises(TypeError, match="feature_layer must be a layer name"):
        transfer.transfer_model(base, 2, feature_layer=3)


def test_crops_and_multi_crop_predict(keras):
    X = np.arange(2 * 8 * 8 * 1, dtype=np.float32).reshape(2, 8, 8, 1)
    assert transfer.crop_boxes(8, 6, 5) == [(1, 1), (0, 0), (0, 2), (2, 0), (2, 2)]
    views = transfer.crops(X, 6, 5, flip=True)
    assert views.shape == (10, 2, 6, 6, 1)
    np.testing.assert_array_equal(views[0], X[:, 1:7, 1:7])
    np.testing.assert_array_equal(views[9], X[:, 2:8, 2:8][:, :, ::-1])
    model = keras.Sequential([keras.Input((6, 6, 1)), keras.layers.Flatten(),
                              keras.layers.Dense(3, activation="softmax")])
    mean = transfer.multi_crop_predict(model, X, 6, 5, flip=True)
    expected = model.predict(views.reshape(20, 6, 6, 1), verbose=0).reshape(10, 2, 3).mean(axis=0)
    np.testing.assert_allclose(mean, expected, rtol=1e-6)
    with pytest.raises(ValueError, match="n_crops"):
        transfer.crop_boxes(8, 6, 10)
    with pytest.raises(ValueError, match="at most"):
        transfer.crops(X, 9)


def test_random_crops_are_windows_of_each_image():
    X = np.arange(3 * 8 * 8 * 2, dtype=np.float32).reshape(3, 8, 8, 2)
    out = transfer.random_crops(X, 5, seed=1)
    assert out.shape == (3, 5, 5, 2)
    for image, crop in zip(X, out, strict=True):
        r, c = np.argwhere(image[..., 0] == crop[0, 0, 0])[0]
        np.testing.assert_array_equal(image[r:r + 5, c:c + 5], crop)
    np.testing.assert_array_equal(out, transfer.random_crops(X, 5, seed=1))
    with pytest.raises(ValueError, match="at most"):
        transfer.random_crops(X, 9)


def test_small_convnet_batch_norm_option(keras):
    with_bn = transfer.small_convnet((16, 16, 3), batch_norm=True)
    without = transfer.small_convnet((16, 16, 3))
    count = sum(isinstance(layer, keras.layers.BatchNormalization) for layer in with_bn.get_layer("features").layers)
    assert count == 3 and with_bn.count_params() == without.count_params() + 4 * (16 + 32 + 64)


def test_recompute_batch_norm_statistics_matches_training_mode(keras):
    model = deep_stacks.deep_stack((16, 16, 3), depth=4, residual=True, width=4)
    X = np.random.default_rng(3).random((8, 16, 16, 3)).astype(np.float32)
    assert deep_stacks.recompute_batch_norm_statistics(model, X) == 4
    np.testing.assert_allclose(model(X, training=False), model(X, training=True), rtol=1e-3, atol=1e-4)
    assert all(layer.momentum == 0.9 for layer in model.layers if isinstance(layer, keras.layers.BatchNormalization))
    with pytest.raises(TypeError):
        deep_stacks.recompute_batch_norm_statistics("model", X)
