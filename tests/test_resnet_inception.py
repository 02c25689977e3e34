"""ResNet and Inception blocks: shapes, parameter counts against Keras's own ResNet50, identity behaviour."""

import numpy as np
import pytest

from course_utils import inception, resnet


@pytest.fixture(scope="module")
def keras(tf):
    import keras

    return keras


def test_identity_block_shapes_on_eager_and_symbolic(keras):
    X = np.random.default_rng(0).standard_normal((3, 4, 4, 6)).astype(np.float32)
    out = resnet.identity_block(X, 3, [2, 4, 6])
    assert tuple(out.shape) == (3, 4, 4, 6)
    again = resnet.identity_block(X, 3, [2, 4, 6])  # initializer(seed=0): same weights, same output
    np.testing.assert_allclose(np.asarray(out), np.asarray(again), rtol=1e-6)
    symbolic = resnet.identity_block(keras.Input((8, 8, 6)), 3, [2, 4, 6])
    assert tuple(symbolic.shape) == (None, 8, 8, 6)


@pytest.mark.parametrize("s,expected", [(1, (2, 9, 9, 16)), (2, (2, 5, 5, 16)), (3, (2, 3, 3, 16))])
def test_convolutional_block_shapes(keras, s, expected):
    X = np.ones((2, 9, 9, 3), np.float32)
    assert tuple(resnet.convolutional_block(X, 3, [4, 4, 16], s=s).shape) == expected


def test_training_flag_switches_batch_norm_statistics(keras):
    X = 5.0 + np.random.default_rng(1).standard_normal((4, 5, 5, 6)).astype(np.float32)
    with_batch_stats = np.asarray(resnet.identity_block(X, 3, [3, 3, 6], training=True))
    with_moving_averages = np.asarray(resnet.identity_block(X, 3, [3, 3, 6], training=False))
    assert not np.allclose(with_batch_stats, with_moving_averages)


def test_zero_gamma_block_is_identity_before_relu(keras):
    """With the last BatchNormalization's gamma at zero the main path adds nothing: out = relu(X)."""
    inputs = keras.Input((6, 6, 4))
    model = keras.Model(inputs, resnet.identity_block(inputs, 3, [2, 3, 4], training=False))
    last_bn = [layer for layer in model.layers if isinstance(layer, keras.layers.BatchNormalization)][-1]
    gamma, beta, mean, var = last_bn.get_weights()
    last_bn.set_weights([np.zeros_like(gamma), np.zeros_like(beta), mean, var])
    X = np.random.default_rng(2).standard_normal((2, 6, 6, 4)).astype(np.float32)
    np.testing.assert_allclose(model.predict(X, verbose=0), np.maximum(X, 0), atol=1e-6)


def test_resnet50_matches_keras_applications(keras):
    ours = resnet.ResNet50((64, 64, 3), classes=6)
    base = keras.applications.ResNet50(weights=None, include_top=False, input_shape=(64, 64, 3))
    head = keras.layers.Dense(6)(keras.layers.Flatten()(keras.layers.AveragePooling2D(2)(base.output)))
    reference = keras.Model(base.input, head)
    assert ours.count_params() == reference.count_params() == 23_600_006
    assert ours.output_shape == (None, 6)
    conv_layers = [layer for layer in ours.layers if isinstance(layer, keras.layers.Conv2D)]
    assert len(conv_layers) == 49 + 4  # 49 on the main path, plus 4 shortcut convolutions
    assert resnet.count_skip_connections(ours) == 16
    assert resnet.depth_in_layers(ours) == 50
    whole = keras.applications.ResNet50(weights=None, input_shape=(64, 64, 3), classes=6)
    assert whole.count_params() == ours.count_params() and resnet.depth_in_layers(whole) == 50


def test_resnet50_smallest_input(keras):
    # valid 2x2 average pooling, as in the course: the last stage's map must be at least 2 x 2
    n = resnet.RESNET50_MIN_SIZE
    assert resnet.ResNet50((n, n, 3)).output_shape == (None, 6)
    with pytest.raises(ValueError, match=f"at least {n} x {n}"):
        resnet.ResNet50((n - 1, n, 3))


def test_block_bad_input(keras):
    X = np.ones((1, 4, 4, 6), np.float32)
    with pytest.raises(ValueError, match=r"filters\[2\] \(F3=5\) must equal the channels of X \(6\)"):
        resnet.identity_block(X, 3, [2, 2, 5])
    with pytest.raises(ValueError, match=r"filters must be a list \[F1, F2, F3\]"):
        resnet.identity_block(X, 3, [2, 6])
    with pytest.raises(ValueError, match="X must be a 4-D tensor"):
        resnet.convolutional_block(np.ones((4, 4, 6)), 3, [2, 2, 6])
    with pytest.raises(ValueError, match="s must be an integer >= 1"):
        resnet.convolutional_block(X, 3, [2, 2, 6], s=0)
    with pytest.raises(TypeError, match="initializer must be a callable"):
        resnet.identity_block(X, 3, [2, 2, 6], initializer="glorot")
    with pytest.raises(ValueError, match="at least 37 x 37"):
        resnet.ResNet50((16, 16, 3))
    with pytest.raises(TypeError, match="model must be a keras.Model"):
        resnet.count_skip_connections("resnet")


def test_inception_block_concatenates_branches(keras):
    out = inception.inception_block(keras.Input((28, 28, 192)))
    assert tuple(out.shape) == (None, 28, 28, 64 + 128 + 32 + 32)
    small = inception.inception_block(np.ones((2, 5, 5, 3), np.float32), 2, 2, 3, 1, 4, 5)
    assert tuple(small.shape) == (2, 5, 5, 14)


def test_multiplication_counts():
    # the lecture's example: 28x28x192 -> 32 filters of 5x5, same padding
    assert inception.conv_multiplications(28, 28, 192, 5, 32) == 120_422_400
    # with a 1x1 bottleneck to 16 channels first
    assert (inception.conv_multiplications(28, 28, 192, 1, 16)
            + inception.conv_multiplications(28, 28, 16, 5, 32)) == 12_443_648
    naive = inception.inception_multiplications((28, 28, 192), bottleneck=False)
    reduced = inception.inception_multiplications((28, 28, 192))
    assert naive["5x5"] == 120_422_400 and reduced["5x5"] == 12_443_648
    assert naive["total"] == sum(v for k, v in naive.items() if k != "total")
    assert reduced["total"] < naive["total"] / 2


def test_multiplication_counts_match_a_keras_block_parameter_count(keras):
    """Multiplications per output position = weights (without biases) of the block's convolutions."""
    inputs = keras.Input((8, 8, 10))
    model = keras.Model(inputs, inception.inception_block(inputs, 3, 4, 5, 2, 6, 7))
    weights = sum(int(np.prod(w.shape)) for w in model.weights if len(w.shape) == 4)
    assert inception.inception_multiplications((8, 8, 10), 3, 4, 5, 2, 6, 7)["total"] == 8 * 8 * weights


def test_inception_bad_input():
    with pytest.raises(ValueError, match="n_5x5 must be an integer >= 1"):
        inception.inception_block(np.ones((1, 4, 4, 3), np.float32), n_5x5=0)
    with pytest.raises(ValueError, match=r"input_shape must be \(n_H, n_W, n_C_prev\)"):
        inception.inception_multiplications((28, 28))


def _block_written_otherwise(keras):
    """A correct convolutional block that creates its main path first and adds [shortcut, X]."""
    layers = keras.layers

    def convolutional_block(X, f, filters, s=2, training=True, initializer=resnet.glorot_uniform):
        F1, F2, F3 = filters
        shortcut = X
        for n, size, stride, relu in [(F1, 1, s, True), (F2, f, 1, True), (F3, 1, 1, False)]:
            X = layers.Conv2D(n, size, strides=stride, padding="same" if size > 1 else "valid",
                              kernel_initializer=initializer(seed=0))(X)
            X = layers.BatchNormalization(axis=-1)(X, training=training)
            X = layers.ReLU()(X) if relu else X
        shortcut = layers.Conv2D(F3, 1, strides=s, kernel_initializer=initializer(seed=0))(shortcut)
        shortcut = layers.BatchNormalization(axis=3)(shortcut, training=training)
        return layers.ReLU()(layers.Add()([shortcut, X]))

    return convolutional_block


def test_graph_order_does_not_depend_on_how_the_block_was_written(keras):
    ours = resnet.small_resnet()
    theirs = resnet.small_resnet(convolutional_block=_block_written_otherwise(keras))
    # Keras's own order differs: it follows the order of the Add's inputs
    def keras_order(model):
        return [[tuple(w.shape) for w in layer.weights] for layer in model.layers]

    assert keras_order(ours) != keras_order(theirs)

    def shapes(model):
        return [(type(layer).__name__.replace("ReLU", "Activation"), [tuple(w.shape) for w in layer.weights])
                for layer in resnet.layers_in_graph_order(model)]

    assert shapes(ours) == shapes(theirs)
    assert isinstance(resnet.layers_in_graph_order(ours)[0], keras.layers.InputLayer)
    with pytest.raises(TypeError, match="model_or_tensor must be a keras.Model or a symbolic Keras tensor"):
        resnet.layers_in_graph_order(np.ones((1, 4, 4, 3)))


def test_transfer_weights_into_a_network_built_otherwise(keras):
    X = np.random.default_rng(3).random((4, 64, 64, 3)).astype(np.float32)
    source = resnet.small_resnet()
    for i, weights in enumerate(source.weights):  # make every weight distinct, so a swap would show
        weights.assign(np.random.default_rng(i).normal(size=weights.shape).astype(np.float32) * 0.1
                       + (1.0 if "variance" in weights.path or "gamma" in weights.path else 0.0))
    target = resnet.small_resnet(convolutional_block=_block_written_otherwise(keras))
    assert resnet.transfer_weights(source, target) == sum(bool(layer.weights) for layer in source.layers)
    np.testing.assert_allclose(target.predict(X, verbose=0), source.predict(X, verbose=0), rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match=r"layer 0 with weights is Conv2D with weights of shapes \[\(5, 5, 3, 8\)"):
        resnet.transfer_weights(source, resnet.small_resnet(stem_filters=8))
    with pytest.raises(TypeError, match="target must be a keras.Model"):
        resnet.transfer_weights(source, "model")


def test_small_resnet_takes_block_functions(keras):
    calls = []

    def identity_block(*args, **kwargs):
        calls.append("identity")
        return resnet.identity_block(*args, **kwargs)

    model = resnet.small_resnet(identity_block=identity_block)
    assert calls == ["identity", "identity"] and model.count_params() == resnet.small_resnet().count_params()
    with pytest.raises(TypeError, match="convolutional_block must be a function"):
        resnet.small_resnet(convolutional_block="mine")
    with pytest.raises(TypeError, match="model must be a keras.Model"):
        resnet.depth_in_layers("ResNet50")


def test_naive_inception_block_passes_the_input_through_its_pooling_branch(keras):
    inputs = keras.Input((28, 28, 192))
    naive = keras.Model(inputs, inception.inception_block(inputs, bottleneck=False))
    assert naive.output_shape == (None, 28, 28, 64 + 128 + 32 + 192)
    # its convolutions are those inception_multiplications(bottleneck=False) counts
    weights = sum(int(np.prod(w.shape)) for w in naive.weights if len(w.shape) == 4)
    assert inception.inception_multiplications((28, 28, 192), bottleneck=False)["total"] == 28 * 28 * weights


def test_inception_block_draws_each_kernel_from_its_own_seed(keras):
    inputs = keras.Input((6, 6, 4))
    model = keras.Model(inputs, inception.inception_block(inputs, 2, 2, 2, 2, 2, 2, seed=5))
    kernels = [w.numpy() for w in model.weights if len(w.shape) == 4 and w.shape[:2] == (1, 1) and w.shape[2] == 4]
    assert len(kernels) == 4 and not np.allclose(kernels[0], kernels[1])
    again = keras.Model(inputs, inception.inception_block(inputs, 2, 2, 2, 2, 2, 2, seed=5))
    np.testing.assert_array_equal(again.weights[0].numpy(), model.weights[0].numpy())
    with pytest.raises(ValueError, match="seed must be an integer >= 0"):
        inception.inception_block(inputs, seed=-1)
