"""Every exercise of the course: its checker accepts the reference and the shown solution, and the
notebook mechanism (submit, solution, report) hands the right function to the rest of a notebook."""

import importlib

import numpy as np
import pytest

from course_utils import checks, conv
from course_utils.checks import core

ALL_EXERCISES = [name for names in checks.EXERCISES.values() for name in names]


@pytest.fixture(autouse=True)
def fresh_submissions():
    checks.reset()
    yield
    checks.reset()


def test_every_exercise_has_a_checker_and_a_solution():
    for name in ALL_EXERCISES:
        checker = getattr(checks, f"check_{name}")
        assert checker.__name__ == f"check_{name}" and checker.exercise == name
        assert f"def {name}(" in checks.solution_source(name)


@pytest.mark.parametrize("name", ALL_EXERCISES)
def test_reference_and_solution_pass_their_checker(name, tf, capsys):
    checker = checks.checker(name)
    assert checker(checker.reference(), verbose=False) is True
    solution = getattr(importlib.import_module(checker.solutions), name)
    assert checker(solution, verbose=False) is True
    out = capsys.readouterr().out
    assert out.count("well done") == 2, out


def test_a_failing_case_prints_its_hint(capsys):
    def pad_by_one(X, pad):  # the usual mistake: a fixed pad
        return np.pad(X, ((0, 0), (1, 1), (1, 1), (0, 0)))

    assert checks.check_zero_pad(pad_by_one) is False
    out = capsys.readouterr().out
    assert "FAIL case 1 (X (2, 3, 3, 2), pad=2)" in out
    assert "hint: use the pad argument on both spatial axes" in out
    assert "zero_pad: 1 of 3 cases passed." in out


def test_submit_uses_a_passing_function_and_counts_its_uses(capsys):
    def zero_pad(X, pad):
        return np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)))

    used = checks.submit(zero_pad)
    assert used is not conv.zero_pad and used.__name__ == "zero_pad"
    assert "Using your zero_pad from here on." in capsys.readouterr().out
    assert used(np.zeros((1, 2, 2, 1)), 1).shape == (1, 4, 4, 1)
    used(np.zeros((1, 2, 2, 1)), 2)
    assert checks.status()["zero_pad"] == {"yours": True, "calls": 2, "why_not": ""}
    checks.report()
    assert "zero_pad  yours, used 2 times after its check" in capsys.readouterr().out


def test_submit_falls_back_to_the_reference_and_says_why(capsys):
    def zero_pad(X, pad):
        raise NotImplementedError

    assert checks.submit(zero_pad) is conv.zero_pad
    assert "Using the reference zero_pad from here on: yours is not written yet." in capsys.readouterr().out

    def distribute_value(dz, shape):
        return np.full(shape, dz / (shape[0] + shape[1]))  # right only for 2x2 windows

    assert checks.submit(distribute_value) is conv.distribute_value
    assert "Using the reference distribute_value from here on: yours fails cases 2, 3." in capsys.readouterr().out
    checks.report()
    out = capsys.readouterr().out
    assert "zero_pad          the reference (yours is not written yet)" in out
    assert "distribute_value  the reference (yours fails cases 2, 3)" in out


def test_submit_rejects_what_is_not_an_exercise():
    with pytest.raises(ValueError, match="name must be the name of an exercise of the course; got 'sqrt_of'"):
        checks.submit(lambda x: x, name="sqrt_of")
    with pytest.raises(TypeError, match="fn must be the function you wrote"):
        checks.submit("zero_pad")


def test_solution_is_folded_until_asked_for():
    shown = checks.solution("conv_single_step")
    assert "def conv_single_step(" in str(shown)
    assert "def conv_single_step(" not in repr(shown)
    html = shown._repr_html_()
    assert html.startswith("<details><summary>") and "def conv_single_step(" in html
    with pytest.raises(ValueError, match="got 'no_such_exercise'"):
        checks.solution("no_such_exercise")


def test_model_comparison_names_the_first_different_layer(tf):
    import keras
    from keras import layers

    from course_utils import models
    from course_utils.checks.models import compare_models, layer_summary

    expected = models.convolutional_model((64, 64, 3))
    assert compare_models(expected, models.convolutional_model((64, 64, 3))) is None

    def builder(padding="same", units=6, extra=False, pool_padding="same", fused_relu=False):
        inputs = keras.Input((64, 64, 3))
        X = layers.Conv2D(8, 4, padding=padding, activation="relu" if fused_relu else None)(inputs)
        X = X if fused_relu else layers.ReLU()(X)
        X = layers.MaxPool2D(8, strides=8, padding=pool_padding)(X)
        X = layers.ReLU()(layers.Conv2D(16, 2, padding="same")(X))
        X = layers.Flatten()(layers.MaxPool2D(4, strides=4, padding="same")(X))
        if extra:
            X = layers.Dropout(0.5)(X)
        return keras.Model(inputs, layers.Dense(units, activation="softmax")(X))

    # initializers are compared only when asked for
    assert compare_models(builder(), expected) is None
    he = layer_summary(expected, extra=("kernel_initializer",))
    assert compare_models(layer_summary(builder(), extra=("kernel_initializer",)), he) == (
        "layer 1 (Conv2D): kernel_initializer is 'GlorotUniform'; expected 'HeUniform' - "
        'pass kernel_initializer="he_uniform"')
    # the cause is named before its effect on the shape, with the usual fix
    assert compare_models(builder(padding="valid"), expected) == (
        "layer 1 (Conv2D): padding is 'valid'; expected 'same' - pass padding=\"same\"")
    assert compare_models(builder(pool_padding="valid"), expected) == (
        "layer 3 (MaxPooling2D): padding is 'valid'; expected 'same' - pass padding=\"same\" "
        "(pooling layers take it too)")
    assert compare_models(builder(fused_relu=True), expected).startswith(
        "layer 1 (Conv2D): activation is 'relu'; expected 'linear' - leave this layer without activation")
    assert compare_models(builder(units=5), expected) == "layer 8 (Dense): units is 5; expected 6"
    assert compare_models(builder(extra=True), expected) == "layer 8 is Dropout; expected Dense"


def test_model_checkers_give_the_fix_of_the_usual_mistakes(tf, capsys):
    import keras
    from keras import layers

    def convolutional_model(input_shape):  # the course's model, but a fixed input and Keras's initializer
        inputs = keras.Input((64, 64, 3))
        X = layers.MaxPool2D(8, strides=8, padding="same")(layers.ReLU()(layers.Conv2D(8, 4, padding="same")(inputs)))
        X = layers.MaxPool2D(4, strides=4, padding="same")(layers.ReLU()(layers.Conv2D(16, 2, padding="same")(X)))
        return keras.Model(inputs, layers.Dense(6, activation="softmax")(layers.Flatten()(X)))

    assert checks.check_convolutional_model(convolutional_model) is False
    out = capsys.readouterr().out
    assert ("kernel_initializer is 'GlorotUniform'; expected 'HeUniform' - "
            'pass kernel_initializer="he_uniform"') in out

    def happy_model():  # Functional instead of Sequential is fine; a ReLU inside the convolution is not
        inputs = keras.Input((64, 64, 3))
        X = layers.Conv2D(32, 7, activation="relu")(layers.ZeroPadding2D(3)(inputs))
        X = layers.MaxPooling2D()(layers.BatchNormalization(axis=3)(X))
        return keras.Model(inputs, layers.Dense(1, activation="sigmoid")(layers.Flatten()(X)))

    assert checks.check_happy_model(happy_model) is False
    out = capsys.readouterr().out
    assert "layer 2 (Conv2D): activation is 'relu'; expected 'linear' - leave this layer without activation" in out

    def happy_model():
        inputs = keras.Input((64, 64, 3))
        X = layers.ReLU()(layers.BatchNormalization(axis=3)(layers.Conv2D(32, 7)(layers.ZeroPadding2D(3)(inputs))))
        return keras.Model(inputs, layers.Dense(1, activation="sigmoid")(layers.Flatten()(layers.MaxPooling2D()(X))))

    assert checks.check_happy_model(happy_model) is True


def test_core_compare_on_labels_and_numbers():
    assert core.compare((0.5, {"door_open": True}), (0.5, {"door_open": True})) is None
    assert core.compare((0.5, {"door_open": 1}), (0.5, {"door_open": True})) == "door_open should be True; got 1"
    assert core.compare("ada", None) == "result should be None; got 'ada'"
    assert core.compare(True, 1.0) == "result should be a single number; got bool True"
