"""Checkers of the Keras models a learner builds (sections 1.5 and 2.5), and the comparison they use.

A model builder is checked layer by layer, as the course's ``comparator(summary(model), expected)``
does, but readably: :func:`layer_summary` lists each layer's class, output shape, number of
parameters and key settings (filters, kernel size, strides, padding, activation, pool size, units,
axis, rate), and :func:`compare_models` names the first layer where two lists differ, e.g.
``layer 2 (Conv2D): padding is 'valid'; expected 'same'``. Weights are not compared: two
correct builders draw different random weights.
"""

from __future__ import annotations

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


def layer_summary(model) -> list[dict]:
    """One dict per layer of a Keras model: what :func:`compare_models` compares.

    Parameters
    ----------
    model : keras.Model
        A built model (Sequential with an ``Input``, or Functional).

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
        entry.update({key: _setting(config[key]) for key in _SETTINGS if key in config})
        summary.append(entry)
    return summary


def compare_models(got, expected) -> str | None:
    """The first difference between two layer summaries (or models), or None.

    Parameters
    ----------
    got, expected : keras.Model or list of dict
        Models, or the lists :func:`layer_summary` returns.

    Returns
    -------
    str or None
    """
    got = got if isinstance(got, list) else layer_summary(got)
    expected = expected if isinstance(expected, list) else layer_summary(expected)
    for number, (g, e) in enumerate(zip(got, expected, strict=False)):
        where = f"layer {number} ({g['class']})"
        if g["class"] != e["class"]:
            return f"layer {number} is {g['class']}; expected {e['class']}"
        for key in ("output_shape", "params", *_SETTINGS):
            if key in e and g.get(key) != e[key]:
                name = {"output_shape": "output shape", "params": "parameter count"}.get(key, key)
                return f"{where}: {name} is {g.get(key)!r}; expected {e[key]!r}"
    if len(got) != len(expected):
        shorter = min(len(got), len(expected))
        if len(got) > len(expected):
            return (f"the model has {len(got)} layers; expected {len(expected)}: layer {shorter} "
                    f"({got[shorter]['class']}) is extra")
        return (f"the model has {len(got)} layers; expected {len(expected)}: layer {shorter} "
                f"({expected[shorter]['class']}) is missing")
    return None


def _summary_or_value(value):
    import keras

    return layer_summary(value) if isinstance(value, keras.Model) else value


def _compare_summaries(got, expected):
    if not isinstance(got, list):
        return f"the result should be a keras.Model; got {type(got).__name__}"
    return compare_models(got, expected)


def model_checker(name: str, module: str, cases, solutions: str | None = None):
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

    Returns
    -------
    callable
        ``check_<name>(fn, verbose=True) -> bool``.
    """
    return make_checker(name, module, cases, convert=_summary_or_value, compare_results=_compare_summaries,
                        fn_note="It must return a keras.Model; its layers are compared one by one.",
                        solutions=solutions)


def happy_model_cases():
    return [Case("no arguments: input (64, 64, 3)", (),
                 hint="ZeroPadding2D(3) -> Conv2D(32, 7) -> BatchNormalization(axis=3) -> ReLU -> MaxPooling2D -> "
                      "Flatten -> Dense(1, sigmoid), in a Sequential that starts with Input((64, 64, 3)).")]


def convolutional_model_cases():
    return [
        Case("input_shape (64, 64, 3)", ((64, 64, 3),),
             hint="Conv2D(8, 4, same) -> ReLU -> MaxPool2D(8, strides 8, same) -> Conv2D(16, 2, same) -> ReLU -> "
                  "MaxPool2D(4, strides 4, same) -> Flatten -> Dense(6, softmax), built with the Functional API."),
        Case("input_shape (32, 48, 1)", ((32, 48, 1),), hint="use input_shape for the Input layer, not a fixed size."),
    ]


check_happy_model = model_checker("happy_model", "course_utils.models", happy_model_cases,
                                  solutions="course_utils.solutions.models")
check_convolutional_model = model_checker("convolutional_model", "course_utils.models", convolutional_model_cases,
                                          solutions="course_utils.solutions.models")
