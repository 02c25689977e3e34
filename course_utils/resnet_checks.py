"""Checkers for the two residual blocks a learner writes (notebooks 2.2 and 2.6).

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

from course_utils import checks, resnet

__all__ = ["check_identity_block", "check_convolutional_block", "CASES"]

RTOL = 1e-4
ATOL = 1e-5


def _inputs(seed, shape):
    # Non-negative with a positive offset, like the ReLU outputs a block receives in a network.
    rng = np.random.default_rng(seed)
    return (np.maximum(rng.standard_normal(shape), 0) + 0.5 * rng.random(shape)).astype(np.float32)


def identity_block_cases():
    """(description, (X, f, filters, training, initializer)) for :func:`check_identity_block`."""
    return [
        ("X (3, 4, 4, 6), f=2, filters [4, 4, 6], training=False",
         (_inputs(10, (3, 4, 4, 6)), 2, [4, 4, 6], False, resnet.random_uniform)),
        ("X (3, 4, 4, 6), f=2, filters [4, 4, 6], training=True (batch statistics)",
         (_inputs(10, (3, 4, 4, 6)), 2, [4, 4, 6], True, resnet.random_uniform)),
        ("X (2, 5, 5, 3), f=3, filters [2, 5, 3], glorot_uniform, training=True",
         (_inputs(11, (2, 5, 5, 3)), 3, [2, 5, 3], True, resnet.glorot_uniform)),
    ]


def convolutional_block_cases():
    """(description, (X, f, filters, s, training, initializer)) for :func:`check_convolutional_block`."""
    return [
        ("X (3, 4, 4, 6), f=2, filters [2, 4, 6], s=1, training=False",
         (_inputs(20, (3, 4, 4, 6)), 2, [2, 4, 6], 1, False, resnet.glorot_uniform)),
        ("X (3, 4, 4, 6), f=2, filters [2, 4, 6], s=1, training=True",
         (_inputs(20, (3, 4, 4, 6)), 2, [2, 4, 6], 1, True, resnet.glorot_uniform)),
        ("X (2, 7, 7, 3), f=3, filters [4, 4, 8], s=2, training=True (odd size, stride 2)",
         (_inputs(21, (2, 7, 7, 3)), 3, [4, 4, 8], 2, True, resnet.glorot_uniform)),
        ("X (2, 6, 6, 4), f=3, filters [3, 3, 5], s=3, random_uniform, training=False",
         (_inputs(22, (2, 6, 6, 4)), 3, [3, 3, 5], 3, False, resnet.random_uniform)),
    ]


CASES = {"identity_block": identity_block_cases, "convolutional_block": convolutional_block_cases}


def _to_numpy(value):
    """A block's output (eager tensor or array) as a numpy array; anything else unchanged."""
    if hasattr(value, "numpy"):
        return value.numpy()
    return value


_FN_NOTE = ("It receives float32 numpy arrays (arguments passed by position) and must return the block's "
            "output, an eager tensor or a numpy array. Give every kernel ``initializer(seed=0)`` and pass "
            "``training`` to BatchNormalization, as the reference does.")


def _make_checker(name):
    return checks.make_checker(name, "course_utils.resnet", CASES[name], convert=_to_numpy, rtol=RTOL, atol=ATOL,
                               fn_note=_FN_NOTE)


check_identity_block = _make_checker("identity_block")
check_convolutional_block = _make_checker("convolutional_block")
