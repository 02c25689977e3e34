"""Checkers of the two residual blocks a learner writes (notebook 2.6).

``check_identity_block(fn)`` and ``check_convolutional_block(fn)`` call the learner's block and
:mod:`course_utils.resnet`'s on the same seeded float32 numpy inputs, with the same fixed
initializer (every kernel drawn with ``seed=0``, so both build identical weights), with
``training=False`` (moving averages: BatchNormalization at its initial state) and with
``training=True`` (batch statistics), and compare the outputs in the format of
:mod:`course_utils.checks`. float32 sums taken in another order differ in the last digits,
hence ``rtol=1e-4, atol=1e-5``.
"""

from __future__ import annotations

import numpy as np

from course_utils import resnet
from course_utils.checks.core import Case, make_checker
from course_utils.checks.models import model_checker

__all__ = ["check_identity_block", "check_convolutional_block", "check_ResNet50"]

RTOL = 1e-4
ATOL = 1e-5


def _inputs(seed, shape):
    # Non-negative with a positive offset, like the ReLU outputs a block receives in a network.
    rng = np.random.default_rng(seed)
    return (np.maximum(rng.standard_normal(shape), 0) + 0.5 * rng.random(shape)).astype(np.float32)


_SHORTCUT = "add the block's input X (the shortcut) to the main path before the last ReLU."
_TRAINING = "pass training=training to every BatchNormalization call: (X, training=training)."
_STRIDE = "the first 1x1 convolution of the main path and the shortcut's 1x1 convolution both use strides=(s, s)."


def identity_block_cases():
    return [
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


_FN_NOTE = ("It receives float32 numpy arrays (arguments passed by position) and must return the block's "
            "output, an eager tensor or a numpy array. Give every kernel ``initializer(seed=0)`` and pass "
            "``training`` to BatchNormalization, as the reference does.")


def _block_checker(name):
    return make_checker(name, "course_utils.resnet", globals()[f"{name}_cases"], rtol=RTOL, atol=ATOL,
                        fn_note=_FN_NOTE, solutions="course_utils.solutions.resnet")


check_identity_block = _block_checker("identity_block")
check_convolutional_block = _block_checker("convolutional_block")


def ResNet50_cases():  # noqa: N802 - the course's name
    return [Case("input_shape (64, 64, 3), classes 6", ((64, 64, 3), 6),
                 hint="stage 1: ZeroPadding2D(3), Conv2D(64, 7, strides 2), BatchNormalization(axis=3), ReLU, "
                      "MaxPooling2D(3, strides 2); stages 2-5: one convolutional_block (s=1 in stage 2, else 2) then "
                      "2, 3, 5, 2 identity blocks; AveragePooling2D(2, padding='same'), Flatten, "
                      "Dense(classes, softmax).")]


check_ResNet50 = model_checker("ResNet50", "course_utils.resnet", ResNet50_cases,  # noqa: N816
                               solutions="course_utils.solutions.resnet")
