"""Checkers of notebook 2.7's exercises: ``data_augmenter``, ``alpaca_model`` and ``fine_tune``.

- ``data_augmenter`` is compared layer by layer (class and settings: the flip's ``mode``, the
  rotation's ``factor``) with :func:`course_utils.transfer.data_augmenter`.
- ``alpaca_model`` is compared layer by layer with :func:`course_utils.transfer.alpaca_model`, then
  on pictures: the pooled features must equal the reference's (the same base and
  ``preprocess_input``); the base must be called with ``training=False`` (read from the model's
  graph) and only the new head may be trainable.
- ``fine_tune`` is run on fresh models and judged by what it leaves behind: which of the base's
  layers are trainable (BatchNormalization layers stay frozen), the optimizer and its learning
  rate, and the loss.

Every model is built offline from the shipped base (or a random one): nothing is downloaded.
"""

from __future__ import annotations

import numpy as np

from course_utils.checks.core import Case, make_checker
from course_utils.checks.models import compare_models, layer_summary

__all__ = ["check_data_augmenter", "check_alpaca_model", "check_fine_tune"]

_MODULE = "course_utils.transfer"
_SOLUTIONS = "course_utils.solutions.transfer"


def _keras():
    import keras

    return keras


# --- data_augmenter ----------------------------------------------------------------------------

def _augmenter_summary(value):
    keras = _keras()
    if not isinstance(value, keras.Model):
        return value
    if not value.built:
        value.build((None, 96, 96, 3))
    return layer_summary(value)


def _compare_augmenters(got, expected):
    if not isinstance(got, list):
        return f"the result should be a keras.Sequential of layers; got {type(got).__name__}"
    return compare_models(got, expected)


def data_augmenter_cases():
    return [Case("no arguments", (),
                 hint="keras.Sequential with RandomFlip('horizontal') (left-right only: an upside-down alpaca is "
                      "rare) and then RandomRotation(0.2).")]


check_data_augmenter = make_checker(
    "data_augmenter", _MODULE, data_augmenter_cases, convert=_augmenter_summary, compare_results=_compare_augmenters,
    fn_note="It must return a keras.Sequential; its layers are compared one by one.", solutions=_SOLUTIONS)


# --- alpaca_model ------------------------------------------------------------------------------

def _pictures(shape, seed=0, m=4):
    """Seeded pictures in 0..255 with some structure (smooth blobs), shape ``(m, n_H, n_W, 3)``."""
    rng = np.random.default_rng(seed)
    coarse = rng.uniform(0, 255, (m, 6, 6, 3)).astype(np.float32)
    return np.asarray(_keras().ops.image.resize(coarse, shape[:2]), np.float32)


def _node_in(model, layer):
    """The node of ``layer`` in ``model``'s graph (a layer shared by two models has one node per model)."""
    for index, node in enumerate(layer._inbound_nodes):
        if f"{id(layer)}_ib-{index}" in model._nodes:
            return node
    return layer._inbound_nodes[0]


def _alpaca_state(value):
    """The layer summary and, when the layers are right, what the model computes on fixed pictures."""
    keras = _keras()
    if not isinstance(value, keras.Model):
        return value
    state = {"layers": layer_summary(value)}
    classes = [entry["class"] for entry in state["layers"]]
    if classes[:3] != ["InputLayer", "Sequential", "Functional"] or "GlobalAveragePooling2D" not in classes:
        return state
    pooled = next(layer for layer in value.layers if type(layer).__name__ == "GlobalAveragePooling2D")
    # From the augmentation's output on, so that the random layers play no part.
    probe = keras.Model(_node_in(value, value.layers[1]).output_tensors[0], _node_in(value, pooled).output_tensors[0])
    state["features"] = np.asarray(probe(_pictures(tuple(value.input.shape[1:])), training=False))
    state["training argument"] = _node_in(value, value.layers[2]).arguments.kwargs.get("training")
    state["trainable parameters"] = int(sum(np.prod(w.shape) for w in value.trainable_weights))
    return state


def _differ(got, expected):
    return got.shape != expected.shape or not np.allclose(got, expected, rtol=1e-4, atol=1e-4)


def _compare_alpaca(got, expected):
    if not isinstance(got, dict):
        return f"the result should be a keras.Model; got {type(got).__name__}"
    problem = compare_models(got["layers"], expected["layers"])
    if problem:
        return problem
    if "features" not in got:
        return "the model's layers should be Input, data_augmentation, the base, GlobalAveragePooling2D, ..."
    if _differ(got["features"], expected["features"]):
        gap = float(np.max(np.abs(got["features"] - expected["features"]))) if \
            got["features"].shape == expected["features"].shape else float("nan")
        return (f"the pooled features differ from the reference's on the same pictures (largest difference "
                f"{gap:.3g}): the pictures must go through preprocess_input (0..255 to -1..1) after the "
                "augmentation and then through the base you were given (or load_mobilenet_base's)")
    if got["training argument"] is not expected["training argument"]:
        return (f"the base is called with training={got['training argument']!r}; expected "
                f"training={expected['training argument']!r}, as the course does")
    if got["trainable parameters"] != expected["trainable parameters"]:
        return (f"the model has {got['trainable parameters']:,} trainable parameters; expected "
                f"{expected['trainable parameters']:,} (the new Dense layer only): freeze the base with "
                "base_model.trainable = False")
    return None


def alpaca_model_cases():
    from course_utils import transfer

    keras = _keras()
    keras.utils.set_random_seed(0)
    random_base = transfer.load_mobilenet_base(weights=None)
    return [
        Case("image_shape (96, 96), data_augmenter(): the course's two-argument call",
             ((96, 96), transfer.data_augmenter()),
             hint="input_shape = image_shape + (3,); base_model = load_mobilenet_base(input_shape) when base is "
                  "None; then Input -> data_augmentation -> preprocess_input -> base_model(x, training=False) -> "
                  "GlobalAveragePooling2D -> Dropout(0.2) -> Dense(1)."),
        Case("image_shape (96, 96), no augmentation, a given (random) base", ((96, 96), transfer.no_augmentation(),
                                                                              random_base),
             hint="when base is given, build on it rather than loading the shipped one."),
        Case("image_shape (64, 64), data_augmenter()", ((64, 64), transfer.data_augmenter()),
             hint="build the Input and the base for image_shape + (3,), not a fixed (96, 96, 3)."),
    ]


check_alpaca_model = make_checker(
    "alpaca_model", _MODULE, alpaca_model_cases, convert=_alpaca_state, compare_results=_compare_alpaca,
    fn_note="It must return a keras.Model; its layers are compared one by one, then its pooled features on "
            "fixed pictures (in inference and in training mode) and its trainable parameters.",
    solutions=_SOLUTIONS)


# --- fine_tune ---------------------------------------------------------------------------------

def _describe_loss(loss):
    if loss is None or isinstance(loss, str):
        return repr(loss)
    config = loss.get_config() if hasattr(loss, "get_config") else {}
    if "from_logits" in config:
        return f"{type(loss).__name__}(from_logits={config['from_logits']})"
    return type(loss).__name__


def _fine_tune_state(value):
    from course_utils.transfer import BASE_NAME

    keras = _keras()
    if not isinstance(value, keras.Model):
        return value
    base = value.get_layer(BASE_NAME)
    state = {"base trainable": bool(base.trainable),
             "trainable": np.array([bool(base.trainable and layer.trainable) for layer in base.layers]),
             "batch norm": np.array([isinstance(layer, keras.layers.BatchNormalization) for layer in base.layers])}
    optimizer = getattr(value, "optimizer", None)
    state["compiled"] = optimizer is not None and getattr(value, "compiled", True)
    if state["compiled"]:
        state["optimizer"] = type(optimizer).__name__
        state["learning rate"] = float(np.asarray(optimizer.learning_rate))
        state["loss"] = _describe_loss(getattr(value, "loss", None))
    return state


def _trainable_ranges(flags):
    on = np.flatnonzero(flags)
    if not len(on):
        return "none"
    runs, start = [], on[0]
    for previous, current in zip(on[:-1], on[1:], strict=True):
        if current != previous + 1:
            runs.append((start, previous))
            start = current
    runs.append((start, on[-1]))
    return ", ".join(f"{a}-{b}" if a != b else f"{a}" for a, b in runs)


def _compare_fine_tune(got, expected):
    if got is None:
        return "fine_tune should return the model (recompiled); got None"
    if not isinstance(got, dict):
        return f"fine_tune should return the keras.Model it was given; got {type(got).__name__}"
    if not got["base trainable"] and expected["base trainable"]:
        return ("the base itself is still frozen (base_model.trainable is False), so none of its layers can "
                "train: set base_model.trainable = True, then freeze the layers before fine_tune_at")
    if not np.array_equal(got["trainable"], expected["trainable"]):
        wrong = np.flatnonzero(got["trainable"] != expected["trainable"])
        if all(got["batch norm"][wrong]):
            return (f"{len(wrong)} BatchNormalization layers of the base are trainable (from layer {wrong[0]} on): "
                    "keep every BatchNormalization layer frozen, so that it normalises with the source task's "
                    "statistics and leaves them unchanged")
        return (f"trainable layers of the base: {_trainable_ranges(got['trainable'])}; expected "
                f"{_trainable_ranges(expected['trainable'])} (of {len(expected['trainable'])})")
    if not got["compiled"]:
        return "the model is not compiled: call model.compile(...) after changing what is trainable"
    if got["optimizer"] != expected["optimizer"]:
        return f"the optimizer is {got['optimizer']}; expected {expected['optimizer']}"
    if not np.isclose(got["learning rate"], expected["learning rate"], rtol=1e-6):
        return f"the learning rate is {got['learning rate']:.6g}; expected {expected['learning rate']:.6g}"
    if got["loss"] != expected["loss"]:
        return f"the loss is {got['loss']}; expected {expected['loss']}"
    return None


def fine_tune_cases():
    from course_utils import transfer

    def fresh():
        return transfer.alpaca_model((96, 96), transfer.no_augmentation())

    return [
        Case("fine_tune_at=120, base_learning_rate=0.001 (the course's numbers)", (fresh(), 120, 0.001),
             hint="unfreeze the base (base_model.trainable = True), then freeze again its layers before fine_tune_at "
                  "and every BatchNormalization layer; compile with Adam at 0.1 * base_learning_rate and "
                  "BinaryCrossentropy(from_logits=True): the model outputs logits."),
        Case("fine_tune_at=100, base_learning_rate=0.01", (fresh(), 100, 0.01),
             hint="use the arguments, not the course's fixed 120 and 0.001."),
        Case("fine_tune_at=0: the whole base trains", (fresh(), 0, 0.0005),
             hint="with fine_tune_at=0 every layer of the base trains, except the BatchNormalization layers."),
    ]


check_fine_tune = make_checker(
    "fine_tune", _MODULE, fine_tune_cases, convert=_fine_tune_state, compare_results=_compare_fine_tune,
    fn_note="It receives a model built by alpaca_model and must return it, recompiled; what is compared is "
            "which base layers are trainable, the optimizer, its learning rate and the loss.",
    solutions=_SOLUTIONS)
