"""Checkers of the U-Net a learner builds (notebook 3.3): its two blocks and the whole model.

Each case calls the learner's function and :mod:`course_utils.unet`'s on the same ``keras.Input``
tensors (or, for ``unet_model``, with the same arguments), wraps each result in a Keras model and
compares, in this order, naming the first difference:

1. the layers one by one, as :func:`course_utils.checks.models.compare_models` does (class, output
   shape, parameter count, filters, kernel size, strides, padding, activation, pool size, rate,
   axis), plus each layer's ``kernel_initializer``;
2. the shapes of the tensors the function returns, in order (``(next_layer, skip_connection)``);
3. the outputs on a seeded input once every weight of both models is set to the same seeded values:
   the same layers wired differently (a concatenation in the other order, a skip connection taken
   after pooling) compute something else.
"""

from __future__ import annotations

import warnings

import numpy as np

from course_utils.checks.core import Case, compare, make_checker
from course_utils.checks.models import compare_models, layer_summary

__all__ = ["check_conv_block", "check_upsampling_block", "check_unet_model"]

RTOL = 1e-4
ATOL = 1e-5


def _as_model(result):
    """The learner's result as a Keras model: itself, or the tensors it returned wrapped with their inputs."""
    import keras

    if isinstance(result, keras.Model):
        return result
    outputs = list(result) if isinstance(result, (tuple, list)) else [result]
    if not outputs or not all(isinstance(t, keras.KerasTensor) for t in outputs):
        kinds = ", ".join(type(t).__name__ for t in outputs) or "nothing"
        raise TypeError(f"expected Keras tensors built from the inputs it was given; got {kinds}")
    sources = {id(t): t for output in outputs for t in keras.utils.get_source_inputs(output)}
    inputs = sorted(sources.values(), key=lambda t: str(tuple(t.shape)))
    return keras.Model(inputs if len(inputs) > 1 else inputs[0], outputs)


def _seeded_values(model):
    """The model's outputs on seeded inputs after every weight is set to seeded values (same for equal models)."""
    rng = np.random.default_rng(0)
    for weight in model.weights:
        shape = tuple(weight.shape)
        scale = np.sqrt(2.0 / np.prod(shape[:-1])) if len(shape) > 1 else 0.1
        weight.assign((scale * rng.standard_normal(shape)).astype(weight.dtype))
    inputs = [np.random.default_rng(sum(t.shape[1:])).random((1, *t.shape[1:]), dtype=np.float32)
              for t in model.inputs]
    with warnings.catch_warnings():  # a model built with inputs=[x] warns when called on a tensor
        warnings.simplefilter("ignore")
        outputs = model(inputs if len(model.inputs) > 1 else inputs[0], training=False)
    outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
    return tuple(np.asarray(output) for output in outputs)


def _describe(result):
    """What the checker compares: layers (with initializers), returned shapes, outputs with seeded weights."""
    model = _as_model(result)
    # Inputs first, ordered by shape: where Keras lists a second input depends on the wiring, which
    # step 3 checks with a clearer message.
    def position(i):
        layer = model.layers[i]
        is_input = type(layer).__name__ == "InputLayer"
        return (0, str(tuple(layer.output.shape)), 0) if is_input else (1, "", i)

    order = sorted(range(len(model.layers)), key=position)
    every = layer_summary(model)
    summary = [every[i] for i in order]
    for entry, layer in zip(summary, (model.layers[i] for i in order), strict=True):
        initializer = layer.get_config().get("kernel_initializer")
        if isinstance(initializer, dict):
            entry["kernel_initializer"] = initializer.get("class_name")
        if entry["class"] == "Concatenate" and entry.get("axis") == -1:
            entry["axis"] = len(layer.output.shape) - 1  # the same axis, counted from the front
    return {"layers": summary, "shapes": tuple(tuple(t.shape) for t in model.outputs),
            "values": _seeded_values(model)}


def _compare_built(got, expected):
    problem = compare_models(got["layers"], expected["layers"])
    if problem:
        return problem
    for number, (g, e) in enumerate(zip(got["layers"], expected["layers"], strict=True)):
        if g.get("kernel_initializer") != e.get("kernel_initializer"):
            return (f"layer {number} ({g['class']}): kernel_initializer is {g.get('kernel_initializer')!r}; "
                    f"expected {e.get('kernel_initializer')!r}")
    if got["shapes"] != expected["shapes"]:
        return (f"it returns {len(got['shapes'])} tensor(s) of shapes {list(got['shapes'])}; "
                f"expected {list(expected['shapes'])}")
    problem = compare(got["values"], expected["values"], "output", rtol=RTOL, atol=ATOL)
    if problem:
        return f"same layers, wired differently: with the same weights {problem}"
    return None


def _input(*shape):
    import keras

    return keras.Input(shape)


_CONV = "Conv2D(n_filters, 3, activation='relu', padding='same', kernel_initializer='he_normal')"


def conv_block_cases():
    return [
        Case("inputs (None, 96, 96, 3), n_filters 8", (_input(96, 96, 3), 8),
             hint=f"two {_CONV}, then MaxPooling2D(pool_size=(2, 2)); return (next_layer, skip_connection), the "
                  "skip connection being the convolutions' output before pooling."),
        Case("inputs (None, 8, 8, 4), n_filters 4, dropout_prob 0, max_pooling True",
             (_input(8, 8, 4), 4, 0, True),
             hint="no Dropout layer when dropout_prob is 0: add it only if dropout_prob > 0."),
        Case("inputs (None, 24, 32, 16), n_filters 32, dropout_prob 0.3", (_input(24, 32, 16), 32, 0.3),
             hint="Dropout(dropout_prob) comes right after the two convolutions, before pooling; the skip "
                  "connection is its output."),
        Case("inputs (None, 6, 8, 64), n_filters 128, dropout_prob 0.3, max_pooling False",
             (_input(6, 8, 64), 128, 0.3, False),
             hint="with max_pooling=False there is no MaxPooling2D: next_layer is the same tensor as the skip "
                  "connection."),
        Case("inputs (None, 12, 16, 3) with the defaults", (_input(12, 16, 3),),
             hint="the defaults are n_filters=32, dropout_prob=0, max_pooling=True."),
    ]


def upsampling_block_cases():
    return [
        Case("expansive (None, 12, 16, 32), contractive (None, 24, 32, 16), n_filters 16",
             (_input(12, 16, 32), _input(24, 32, 16), 16),
             hint="Conv2DTranspose(n_filters, 3, strides=(2, 2), padding='same') on expansive_input, concatenate "
                  f"it with contractive_input on axis 3, then two {_CONV}."),
        Case("expansive (None, 6, 8, 64), contractive (None, 12, 16, 32), n_filters 32",
             (_input(6, 8, 64), _input(12, 16, 32), 32),
             hint="concatenate in this order, on axis 3: [upsampled, contractive_input]. The other order has the "
                  "same layers but feeds the next convolution's weights the wrong channels."),
        Case("expansive (None, 3, 4, 8), contractive (None, 6, 8, 8) with the default n_filters",
             (_input(3, 4, 8), _input(6, 8, 8)), hint="the default is n_filters=32."),
    ]


def unet_model_cases():
    return [
        Case("input_size (96, 96, 3), n_filters 8, n_classes 10", ((96, 96, 3), 8, 10),
             hint="conv_block with n_filters x 1, 2, 4, 8 (dropout 0.3 in the fourth) and 16 (dropout 0.3, no "
                  "pooling); upsampling_block with n_filters x 8, 4, 2, 1, each given the skip connection of the "
                  "contracting block of its size; Conv2D(n_filters, 3, relu, same, he_normal); "
                  "Conv2D(n_classes, 1, padding='same') without activation."),
        Case("input_size (32, 48, 1), n_filters 4, n_classes 3", ((32, 48, 1), 4, 3),
             hint="use input_size, n_filters and n_classes as given, not fixed values."),
        Case("the defaults", (), hint="the defaults are input_size=(96, 96, 3), n_filters=32, n_classes=10."),
    ]


_FN_NOTE = ("It is called on ``keras.Input`` tensors; the checker wraps what it returns in a model and compares "
            "the layers, the returned shapes and, with the same seeded weights, the outputs.")


def _checker(name, note=_FN_NOTE):
    return make_checker(name, "course_utils.unet", globals()[f"{name}_cases"], convert=_describe,
                        compare_results=_compare_built, fn_note=note, solutions="course_utils.solutions.unet")


check_conv_block = _checker("conv_block")
check_upsampling_block = _checker("upsampling_block")
check_unet_model = _checker("unet_model", "It must return a keras.Model; the checker compares its layers one by "
                                          "one and, with the same seeded weights, its outputs.")
