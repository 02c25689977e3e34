"""Checkers of notebook 2.6's exercises: the two residual blocks and ResNet-50 assembled from them.

``check_identity_block(fn)`` and ``check_convolutional_block(fn)`` first call the learner's block
on a ``keras.Input`` and compare the layers it made with the reference's, one by one (class,
output shape, parameter count, filters, kernel size, strides, padding, activation, axis), then
call both blocks on the same seeded float32 numpy inputs, with the same fixed initializer (every
kernel drawn with ``seed=0``, so both build identical weights), with ``training=False`` (moving
averages: BatchNormalization at its initial state) and ``training=True`` (batch statistics), and
compare the outputs. float32 sums taken in another order differ in the last digits, hence
``rtol=1e-4, atol=1e-5``.

``check_ResNet50(fn)`` compares the model ``fn(input_shape, classes)`` builds with the
reference layer by layer. Layers are listed in the order of
:func:`course_utils.resnet.layers_in_graph_order`, which depends on the graph alone, so a block
that creates its shortcut before or after its main path, or adds ``[shortcut, X]`` rather than
``[X, shortcut]``, is not told it is wrong.
"""

from __future__ import annotations

import numpy as np

from course_utils import resnet
from course_utils.checks.core import Case, compare, make_checker
from course_utils.checks.models import compare_models, layer_summary

__all__ = ["check_identity_block", "check_convolutional_block", "check_ResNet50", "graph_summary"]

RTOL = 1e-4
ATOL = 1e-5


def _inputs(seed, shape):
    # Non-negative with a positive offset, like the ReLU outputs a block receives in a network.
    rng = np.random.default_rng(seed)
    return (np.maximum(rng.standard_normal(shape), 0) + 0.5 * rng.random(shape)).astype(np.float32)


def _symbolic(shape):
    import keras

    return keras.Input(shape)


def graph_summary(model_or_tensor):
    """The layers of a model (or of the graph behind a symbolic tensor), as the checkers compare them.

    :func:`course_utils.checks.models.layer_summary` in the order of
    :func:`course_utils.resnet.layers_in_graph_order`, with two spellings of the same layer made
    equal: ``ReLU()`` reads as ``Activation("relu")``, and a BatchNormalization ``axis=-1`` as
    the positive axis it means (3 for images).

    Parameters
    ----------
    model_or_tensor : keras.Model or symbolic Keras tensor

    Returns
    -------
    list of dict
        One dict per layer, input layer first.
    """
    import keras

    ordered = resnet.layers_in_graph_order(model_or_tensor)
    if isinstance(model_or_tensor, keras.Model):
        model = model_or_tensor
    else:  # the graph from its input layer to this tensor
        model = keras.Model(ordered[0].output, model_or_tensor)
    entries = dict(zip((id(layer) for layer in model.layers), layer_summary(model), strict=True))
    summary = []
    for layer in ordered:
        entry = dict(entries[id(layer)])
        if entry["class"] == "ReLU" and layer.max_value is None and not layer.negative_slope and not layer.threshold:
            entry["class"], entry["activation"] = "Activation", "relu"
        if entry["class"] == "BatchNormalization" and isinstance(entry.get("axis"), int) and entry["axis"] < 0:
            entry["axis"] += len(entry["output_shape"])
        summary.append(entry)
    return summary


def _convert(value):
    """Models and symbolic tensors as their layer lists; anything else as numpy."""
    import keras

    from course_utils.checks.core import to_numpy

    if isinstance(value, (keras.Model, keras.KerasTensor)):
        return graph_summary(value)
    return to_numpy(value)


def _compare(got, expected):
    if isinstance(expected, list):  # layer lists
        if not isinstance(got, list):
            return ("the result should be built from Keras layers (a symbolic tensor for a keras.Input, a keras.Model "
                    f"for ResNet50); got {type(got).__name__}")
        return compare_models(got, expected)
    return compare(got, expected, rtol=RTOL, atol=ATOL)


_LAYERS = ("use Keras layers (layers.Conv2D, layers.BatchNormalization(axis=3), layers.Activation('relu'), "
           "layers.Add), one per step of the figure, so that the block also works on a keras.Input. ")
_ORDER = ("The shortcut is added before the last ReLU: BatchNormalization -> Add -> ReLU, not ReLU -> Add. "
          "1x1 convolutions use padding 'valid', the f x f one 'same'.")
_SHORTCUT = "add the block's input X (the shortcut) to the main path before the last ReLU."
_TRAINING = ("pass training=training to every BatchNormalization call, (X, training=training), and normalise "
             "the channels: BatchNormalization(axis=3).")
_STRIDE = "the first 1x1 convolution of the main path and the shortcut's 1x1 convolution both use strides=(s, s)."


def identity_block_cases():
    return [
        Case("X = keras.Input((4, 4, 6)), f=2, filters [4, 4, 6]: the layers, one by one",
             (_symbolic((4, 4, 6)), 2, [4, 4, 6], True, resnet.random_uniform), hint=_LAYERS + _ORDER),
        Case("X (3, 4, 4, 6), f=2, filters [4, 4, 6], training=False",
             (_inputs(10, (3, 4, 4, 6)), 2, [4, 4, 6], False, resnet.random_uniform),
             hint="main path: 1x1 (F1) -> f x f 'same' (F2) -> 1x1 (F3), BatchNormalization(axis=3) after each "
                  "conv, ReLU after the first two; then " + _SHORTCUT),
        Case("X (3, 4, 4, 6), f=2, filters [4, 4, 6], training=True (batch statistics)",
             (_inputs(10, (3, 4, 4, 6)), 2, [4, 4, 6], True, resnet.random_uniform), hint=_TRAINING),
        Case("X (2, 5, 5, 3), f=3, filters [2, 5, 3], glorot_uniform, training=True",
             (_inputs(11, (2, 5, 5, 3)), 3, [2, 5, 3], True, resnet.glorot_uniform),
             hint="give every Conv2D kernel_initializer=initializer(seed=0), and use f for the middle kernel."),
    ]


def convolutional_block_cases():
    return [
        Case("X = keras.Input((7, 7, 6)), f=3, filters [2, 4, 8], s=2: the layers, one by one",
             (_symbolic((7, 7, 6)), 3, [2, 4, 8], 2, True, resnet.glorot_uniform),
             hint=_LAYERS + "The shortcut is Conv2D(F3, 1, strides=s, padding='valid') -> BatchNormalization, with "
                            "no ReLU; " + _ORDER),
        Case("X (3, 4, 4, 6), f=2, filters [2, 4, 6], s=1, training=False",
             (_inputs(20, (3, 4, 4, 6)), 2, [2, 4, 6], 1, False, resnet.glorot_uniform),
             hint="the shortcut is a 1x1 Conv2D(F3, strides=s) followed by BatchNormalization(axis=3); "
                  "add it to the main path before the last ReLU."),
        Case("X (3, 4, 4, 6), f=2, filters [2, 4, 6], s=1, training=True",
             (_inputs(20, (3, 4, 4, 6)), 2, [2, 4, 6], 1, True, resnet.glorot_uniform), hint=_TRAINING),
        Case("X (2, 7, 7, 3), f=3, filters [4, 4, 8], s=2, training=True (odd size, stride 2)",
             (_inputs(21, (2, 7, 7, 3)), 3, [4, 4, 8], 2, True, resnet.glorot_uniform), hint=_STRIDE),
        Case("X (2, 6, 6, 4), f=3, filters [3, 3, 5], s=3, random_uniform, training=False",
             (_inputs(22, (2, 6, 6, 4)), 3, [3, 3, 5], 3, False, resnet.random_uniform),
             hint="use the stride s you were given (here 3), not a fixed 2. " + _STRIDE),
    ]


_FN_NOTE = ("It receives a keras.Input or float32 numpy arrays (arguments passed by position) and must return "
            "the block's output: a symbolic tensor, an eager tensor or a numpy array. Give every kernel "
            "``initializer(seed=0)`` and pass ``training`` to BatchNormalization, as the reference does.")


def _block_checker(name):
    return make_checker(name, "course_utils.resnet", globals()[f"{name}_cases"], convert=_convert,
                        compare_results=_compare, fn_note=_FN_NOTE, solutions="course_utils.solutions.resnet")


check_identity_block = _block_checker("identity_block")
check_convolutional_block = _block_checker("convolutional_block")

_RESNET50_RECIPE = (
    "stage 1: ZeroPadding2D(3), Conv2D(64, 7, strides 2), BatchNormalization(axis=3), ReLU, MaxPooling2D(3, "
    "strides 2); stages 2-5: one convolutional_block (f=3, s=1 in stage 2, else 2) then 2, 3, 5, 2 identity blocks "
    "with filters [64, 64, 256], [128, 128, 512], [256, 256, 1024], [512, 512, 2048]; AveragePooling2D(2) with the "
    "default padding, Flatten, Dense(classes, softmax).")


def ResNet50_cases():  # noqa: N802 - the course's name
    return [Case("input_shape (64, 64, 3), classes 6", ((64, 64, 3), 6), hint=_RESNET50_RECIPE),
            Case("input_shape (48, 48, 1), classes 4", ((48, 48, 1), 4),
                 hint="build the Input from input_shape and the last Dense layer from classes; do not fix them.")]


check_ResNet50 = make_checker(  # noqa: N816
    "ResNet50", "course_utils.resnet", ResNet50_cases, convert=_convert, compare_results=_compare,
    fn_note="It must return a keras.Model built from identity_block and convolutional_block; its layers are "
            "compared one by one.", solutions="course_utils.solutions.resnet")
