"""Checkers of the Keras models a learner builds (sections 1.5 and 2.5), and the comparison they use.

A model builder is checked layer by layer, as the course's ``comparator(summary(model), expected)``
does, but readably: :func:`layer_summary` lists each layer's class, output shape, number of
parameters and key settings (filters, kernel size, strides, padding, activation, pool size, units,
axis, rate), and :func:`compare_models` names the first layer where two lists differ, with advice
when the difference has a usual cause, e.g.
``layer 3 (MaxPooling2D): padding is 'valid'; expected 'same' - pass padding="same" (pooling layers
take it too)``. Weights are not compared: two correct builders draw different random weights, but
a checker may compare how they are drawn (``kernel_initializer``).
"""

from __future__ import annotations

import functools
import re

from course_utils.checks.core import Case, make_checker

__all__ = ["layer_summary", "compare_models", "check_happy_model", "check_convolutional_model",
           "model_checker"]

# The settings that decide what a layer computes, in the order they are reported.
_SETTINGS = ("filters", "kernel_size", "strides", "padding", "activation", "pool_size", "units", "axis", "rate",
             "size", "interpolation", "mode", "factor", "dilation_rate", "depth_multiplier", "use_bias")


def _output_shape(layer):
    try:
        return tuple(layer.output.shape)
    except (AttributeError, ValueError):  # a layer used at several places has no single output
        return None


def _setting(value):
    if isinstance(value, list):
        return tuple(value)
    if isinstance(value, dict):  # a serialised activation or initializer
        return value.get("config", {}).get("name", value.get("class_name"))
    return value


def layer_summary(model, extra=()) -> list[dict]:
    """One dict per layer of a Keras model: what :func:`compare_models` compares.

    Parameters
    ----------
    model : keras.Model
        A built model (Sequential with an ``Input``, or Functional).
    extra : sequence of str, optional
        More configuration keys to report where a layer has them, e.g. ``("kernel_initializer",)``
        (an initializer is reported by its class name, ``"HeUniform"``).

    Returns
    -------
    list of dict
        ``{"class", "output_shape", "params", <settings>}`` in the order of ``model.layers``
        (an ``InputLayer`` first for Functional models).
    """
    import keras

    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model; got {type(model).__name__}")
    summary = []
    for layer in model.layers:
        config = layer.get_config()
        entry = {"class": type(layer).__name__, "output_shape": _output_shape(layer), "params": layer.count_params()}
        entry.update({key: _setting(config[key]) for key in (*_SETTINGS, *extra) if key in config})
        summary.append(entry)
    return summary


def compare_models(got, expected) -> str | None:
    """The first difference between two layer summaries (or models), or None.

    Layers are numbered from 1 after the input (an ``InputLayer`` is not compared, so a
    Sequential and a Functional model with the same layers match). For each layer the class
    comes first, then its settings, then its output shape and parameter count, so that the
    message names the cause (``padding is 'valid'``) rather than its effect on the shape.

    Parameters
    ----------
    got, expected : keras.Model or list of dict
        Models, or the lists :func:`layer_summary` returns (keys beyond the class are compared
        where ``expected`` has them).

    Returns
    -------
    str or None
        E.g. ``"layer 1 (Conv2D): padding is 'valid'; expected 'same' - pass padding=\"same\""``.
    """
    got = _without_inputs(got if isinstance(got, list) else layer_summary(got))
    expected = _without_inputs(expected if isinstance(expected, list) else layer_summary(expected))
    for number, (g, e) in enumerate(zip(got, expected, strict=False), start=1):
        if g["class"] != e["class"]:
            return _with_advice(f"layer {number} is {g['class']}; expected {e['class']}",
                                _class_advice(g["class"], e["class"]))
        keys = [key for key in e if key not in ("class", "output_shape", "params")] + ["output_shape", "params"]
        for key in keys:
            if key in e and g.get(key) != e[key]:
                name = {"output_shape": "output shape", "params": "parameter count"}.get(key, key)
                return _with_advice(f"layer {number} ({g['class']}): {name} is {g.get(key)!r}; expected {e[key]!r}",
                                    _setting_advice(e["class"], key, e[key], number))
    if len(got) != len(expected):
        shorter = min(len(got), len(expected))
        if len(got) > len(expected):
            return (f"the model has {len(got)} layers; expected {len(expected)}: layer {shorter + 1} "
                    f"({got[shorter]['class']}) is extra")
        return (f"the model has {len(got)} layers; expected {len(expected)}: layer {shorter + 1} "
                f"({expected[shorter]['class']}) is missing")
    return None


def _without_inputs(summary):
    return [entry for entry in summary if entry["class"] != "InputLayer"]


def _with_advice(problem, advice):
    return f"{problem} - {advice}" if advice else problem


def _snake(name):
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _class_advice(got, expected):
    """What usually puts a layer of class ``got`` where ``expected`` should be."""
    if expected == "ReLU" and got == "Activation":
        return "write the ReLU as a layer of its own: layers.ReLU()"
    if expected == "ReLU":
        return "the ReLU is a layer of its own, layers.ReLU(), after the convolution (not activation='relu' inside it)"
    if expected == "ZeroPadding2D":
        return "pad first, with layers.ZeroPadding2D(...); the convolution after it has no padding of its own"
    if expected == "Flatten":
        return "flatten the volume (layers.Flatten()) before the Dense layer"
    if expected == "BatchNormalization":
        return "normalise the convolution's output (layers.BatchNormalization) before its ReLU"
    return ""


def _setting_advice(layer, key, expected, number):
    """The usual fix when setting ``key`` of a ``layer`` differs from ``expected``."""
    if key == "kernel_initializer":
        default = " (Keras's default: leave it out)" if expected == "GlorotUniform" else ""
        return f'pass kernel_initializer="{_snake(expected)}"{default}'
    if key == "padding":
        return f'pass padding="{expected}"' + (" (pooling layers take it too)" if "Pooling" in layer else "")
    if key in ("strides", "pool_size") and isinstance(expected, tuple):
        return f"pass {key}={expected[0]}" + (" (it is not the pool size)" if key == "strides" else "")
    if key == "activation" and expected == "linear":
        return "leave this layer without activation; the ReLU is the next layer"
    if key == "activation":
        return f'pass activation="{expected}": it turns the last layer\'s scores into probabilities'
    if key == "axis":
        return "normalise each channel: axis=3, the channels of (m, n_H, n_W, n_C)"
    if key == "output_shape" and number == 1:
        return "check the input's shape: take it from the argument (input_shape) where the builder has one"
    if key == "output_shape":
        return "an earlier layer or the input changes the shape"
    return ""


def _summary_or_value(value, extra=()):
    import keras

    return layer_summary(value, extra) if isinstance(value, keras.Model) else value


def _compare_summaries(got, expected):
    if not isinstance(got, list):
        return f"the result should be a keras.Model; got {type(got).__name__}"
    return compare_models(got, expected)


def model_checker(name: str, module: str, cases, solutions: str | None = None, extra=()):
    """``check_<name>`` for a function that builds a Keras model, compared layer by layer.

    Parameters
    ----------
    name : str
        The builder's name, e.g. ``"convolutional_model"``.
    module : str
        Dotted name of the module holding the reference builder.
    cases : callable
        Returns the list of :class:`~course_utils.checks.core.Case` (the builder's arguments).
    solutions : str, optional
        Dotted name of the module holding the solution.
    extra : sequence of str, optional
        Configuration keys compared beyond the usual settings, e.g. ``("kernel_initializer",)``.

    Returns
    -------
    callable
        ``check_<name>(fn, verbose=True) -> bool``.
    """
    return make_checker(name, module, cases, convert=functools.partial(_summary_or_value, extra=tuple(extra)),
                        compare_results=_compare_summaries,
                        fn_note="It must return a keras.Model; its layers are compared one by one.",
                        solutions=solutions)


def happy_model_cases():
    return [Case("no arguments: input (64, 64, 3)", (),
                 hint="ZeroPadding2D(3) -> Conv2D(32, 7) -> BatchNormalization(axis=3) -> ReLU -> MaxPooling2D -> "
                      "Flatten -> Dense(1, sigmoid), in a Sequential that starts with Input((64, 64, 3)).")]


def convolutional_model_cases():
    return [
        Case("input_shape (64, 64, 3)", ((64, 64, 3),),
             hint="Conv2D(8, 4, same, he_uniform) -> ReLU -> MaxPool2D(8, strides 8, same) -> "
                  "Conv2D(16, 2, same, he_uniform) -> ReLU -> MaxPool2D(4, strides 4, same) -> Flatten -> "
                  "Dense(6, softmax), built with the Functional API."),
        Case("input_shape (32, 48, 1)", ((32, 48, 1),), hint="use input_shape for the Input layer, not a fixed size."),
    ]


check_happy_model = model_checker("happy_model", "course_utils.models", happy_model_cases,
                                  solutions="course_utils.solutions.models")
# The initializer is part of this exercise: He initialisation is what lets the model reach its
# accuracy within the notebook's epochs (see models.convolutional_model).
check_convolutional_model = model_checker("convolutional_model", "course_utils.models", convolutional_model_cases,
                                          solutions="course_utils.solutions.models", extra=("kernel_initializer",))
