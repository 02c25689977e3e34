"""The residual-block checkers accept the reference blocks and explain what is wrong with others."""

import pytest

from course_utils import checks, resnet


@pytest.fixture(scope="module")
def keras(tf):
    import keras

    return keras


@pytest.mark.parametrize("name", ["check_identity_block", "check_convolutional_block"])
def test_reference_blocks_pass(keras, name, capsys):
    reference = getattr(resnet, name.removeprefix("check_"))
    assert getattr(checks, name)(reference) is True
    assert "cases passed - well done." in capsys.readouterr().out


def test_identity_block_without_shortcut_fails(keras, capsys):
    layers = keras.layers

    def no_shortcut(X, f, filters, training=True, initializer=resnet.random_uniform):
        F1, F2, F3 = filters
        for n, size in [(F1, 1), (F2, f), (F3, 1)]:
            X = layers.Conv2D(n, size, padding="same", kernel_initializer=initializer(seed=0))(X)
            X = layers.BatchNormalization(axis=3)(X, training=training)
            X = layers.Activation("relu")(X)
        return X

    assert checks.check_identity_block(no_shortcut) is False
    assert "FAIL case 1" in capsys.readouterr().out


def test_ignoring_training_is_caught(keras, capsys):
    def always_inference(X, f, filters, training=True, initializer=resnet.random_uniform):
        return resnet.identity_block(X, f, filters, training=False, initializer=initializer)

    assert checks.check_identity_block(always_inference) is False
    out = capsys.readouterr().out
    assert "ok   case 2" in out and "FAIL case 3" in out  # training=False passes, training=True does not


def test_convolutional_block_without_shortcut_convolution_fails(keras, capsys):
    def wrong_stride(X, f, filters, s=2, training=True, initializer=resnet.glorot_uniform):
        return resnet.convolutional_block(X, f, filters, 1, training, initializer)

    assert checks.check_convolutional_block(wrong_stride) is False
    assert "has shape" in capsys.readouterr().out


def test_unwritten_and_crashing_blocks(keras, capsys):
    def unwritten(*args):
        raise NotImplementedError("write identity_block")

    assert checks.check_identity_block(unwritten) is False
    assert "not written yet" in capsys.readouterr().out
    assert checks.check_convolutional_block(lambda *args: 1 / 0) is False
    assert "raised ZeroDivisionError" in capsys.readouterr().out
    with pytest.raises(TypeError, match="fn must be"):
        checks.check_identity_block("identity_block")


def _layers(keras):
    return keras.layers


def _identity_block(keras, axis=3, add_after_relu=False, add_order="main first"):
    """An identity block written as a learner might, with one mistake switched on."""
    layers = _layers(keras)

    def identity_block(X, f, filters, training=True, initializer=resnet.random_uniform):
        F1, F2, F3 = filters
        shortcut = X
        for n, size, relu in [(F1, 1, True), (F2, f, True), (F3, 1, add_after_relu)]:
            X = layers.Conv2D(n, size, padding="same" if size > 1 else "valid",
                              kernel_initializer=initializer(seed=0))(X)
            X = layers.BatchNormalization(axis=axis)(X, training=training)
            X = layers.ReLU()(X) if relu else X
        X = layers.Add()([X, shortcut] if add_order == "main first" else [shortcut, X])
        return X if add_after_relu else layers.Activation("relu")(X)

    return identity_block


def test_a_block_written_otherwise_passes(keras, capsys):
    # ReLU() for Activation("relu"), axis=-1 for axis=3, [shortcut, X] for [X, shortcut]: all the same block
    assert checks.check_identity_block(_identity_block(keras, axis=-1, add_order="shortcut first")) is True
    from test_resnet_inception import _block_written_otherwise  # pytest puts tests/ on the path

    assert checks.check_convolutional_block(_block_written_otherwise(keras)) is True


def test_batch_norm_on_the_wrong_axis_is_named(keras, capsys):
    assert checks.check_identity_block(_identity_block(keras, axis=1), verbose=False) is False
    out = capsys.readouterr().out
    assert "FAIL case 1" in out and "axis is 1; expected 3" in out and "BatchNormalization(axis=3)" in out


def test_shortcut_added_after_the_relu_is_named(keras, capsys):
    assert checks.check_identity_block(_identity_block(keras, add_after_relu=True), verbose=False) is False
    out = capsys.readouterr().out
    assert "layer 9 is Activation; expected Add" in out and "not ReLU -> Add" in out


def test_resnet50_checker(keras, capsys):
    from course_utils.solutions import resnet as solutions

    assert checks.check_ResNet50(resnet.ResNet50, verbose=False) is True
    assert checks.check_ResNet50(solutions.ResNet50, verbose=False) is True

    def same_padding_and_fixed_classes(input_shape=(64, 64, 3), classes=6, training=None):
        model = resnet.ResNet50(input_shape, 6, training)
        X = model.layers[-4].output  # the last stage's output, before the average pooling
        X = keras.layers.Flatten()(keras.layers.AveragePooling2D(2, padding="same")(X))
        return keras.Model(model.input, keras.layers.Dense(6, activation="softmax")(X))

    assert checks.check_ResNet50(same_padding_and_fixed_classes, verbose=False) is False
    out = capsys.readouterr().out
    assert "(AveragePooling2D): padding is 'same'; expected 'valid'" in out
    assert "FAIL case 2" in out and "ResNet50: 0 of 2 cases passed." in out
    assert checks.check_ResNet50(lambda input_shape, classes: "ResNet50", verbose=False) is False
    assert "should be built from Keras layers" in capsys.readouterr().out
