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
    assert "ok   case 1" in out and "FAIL case 2" in out


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
