"""Exercises and their checkers: every function a learner writes in the course.

``check_<name>(fn)`` runs a learner's ``fn`` on the cases the project's tests use, compares each
result with the project's reference (itself tested against TensorFlow) and prints one line per
case, or exactly what differs, with a hint for the usual mistake; it returns True when all pass.

In the notebooks, an exercise ends with ``name = checks.submit(name)``: the function is checked
and the rest of the notebook uses it if it passes, the reference otherwise (one line says
which); ``checks.solution("name")`` shows the project's solution, folded until clicked;
``checks.report()`` lists whose functions ran.

One module per topic, each with a ``<name>_cases()`` builder per exercise (imported on first
use, so that checking a numpy exercise does not load TensorFlow):

========================  ===========================================================  =========
module                    exercises                                                    notebooks
========================  ===========================================================  =========
``checks.layers``         zero_pad, conv_single_step, conv_forward, conv_backward,     1.4, 4.6
                          create_mask_from_window, distribute_value, pool_forward,
                          pool_backward, conv3d_forward
``checks.models``         convolutional_model, happy_model                             1.5, 2.5
``checks.resnet``         identity_block, convolutional_block, ResNet50                2.6
``checks.transfer``       data_augmenter, alpaca_model, fine_tune                      2.7
``checks.yolo``           iou, yolo_filter_boxes, yolo_non_max_suppression, yolo_eval  3.2
``checks.unet``           conv_block, upsampling_block, unet_model                     3.3
``checks.face``           triplet_loss, verify, who_is_it                              4.2, 4.3
``checks.style``          compute_content_cost, gram_matrix, compute_layer_style_cost  4.5
                          compute_style_cost, total_cost, train_step                   4.7
========================  ===========================================================  =========

:func:`make_checker` builds a checker for your own exercise; :func:`compare` describes the first
difference between two results.
"""

from __future__ import annotations

import importlib

from course_utils.checks.core import (
    CHECKERS,
    Case,
    CheckResult,
    compare,
    make_checker,
    report,
    reset,
    solution,
    solution_source,
    status,
    submit,
    to_numpy,
)

#: The exercises of each topic module (the checkers are ``check_<name>``).
EXERCISES = {
    "layers": ["zero_pad", "conv_single_step", "conv_forward", "conv_backward", "create_mask_from_window",
               "distribute_value", "pool_forward", "pool_backward", "conv3d_forward"],
    "models": ["convolutional_model", "happy_model"],
    "resnet": ["identity_block", "convolutional_block", "ResNet50"],
    "transfer": ["data_augmenter", "alpaca_model", "fine_tune"],
    "yolo": ["iou", "yolo_filter_boxes", "yolo_non_max_suppression", "yolo_eval"],
    "unet": ["conv_block", "upsampling_block", "unet_model"],
    "face": ["triplet_loss", "verify", "who_is_it"],
    "style": ["compute_content_cost", "gram_matrix", "compute_layer_style_cost", "compute_style_cost", "total_cost",
              "train_step"],
}
_TOPIC = {name: topic for topic, names in EXERCISES.items() for name in names}

__all__ = ["Case", "CheckResult", "compare", "to_numpy", "make_checker", "submit", "solution", "solution_source",
           "status", "report", "reset", "checker", "EXERCISES", *(f"check_{name}" for name in _TOPIC)]


def checker(name: str):
    """The checker of exercise ``name`` (importing its topic module on first use)."""
    if name not in CHECKERS and name in _TOPIC:
        importlib.import_module(f"course_utils.checks.{_TOPIC[name]}")
    if name not in CHECKERS:
        raise ValueError(f"name must be the name of an exercise of the course; got {name!r} "
                         f"(exercises: {', '.join(sorted(_TOPIC))})")
    return CHECKERS[name]


def __getattr__(attribute: str):
    if attribute.startswith("check_") and attribute.removeprefix("check_") in _TOPIC:
        return checker(attribute.removeprefix("check_"))
    raise AttributeError(f"module 'course_utils.checks' has no attribute {attribute!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
