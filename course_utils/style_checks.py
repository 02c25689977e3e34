"""Checkers for the four cost functions of neural style transfer (notebooks 4.5 and 4.7).

``check_<name>(fn)`` runs the learner's ``fn`` on seeded float32 tensors, compares the result
with :mod:`course_utils.style` and prints one line per case, in the format of
:mod:`course_utils.checks` (whose ``compare`` does the comparison). Costs computed in float32
in another order differ in the last digits, hence ``rtol=1e-5``.
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from course_utils import checks

__all__ = ["check_compute_content_cost", "check_gram_matrix", "check_compute_layer_style_cost",
           "check_compute_style_cost", "CASES"]

RTOL = 1e-5


def _activations(rng, shape):
    # Non-negative like ReLU outputs, float32 like the feature extractor's.
    return tf.constant(np.maximum(rng.standard_normal(shape), 0) * 3.0, tf.float32)


def _pair_cases(seed):
    rng = np.random.default_rng(seed)
    cases = []
    for shape in [(1, 4, 4, 3), (1, 3, 5, 8), (1, 7, 6, 2)]:
        cases.append((f"activations of shape {shape}", (_activations(rng, shape), _activations(rng, shape))))
    a = _activations(rng, (1, 2, 3, 4))
    cases.append(("identical activations (the cost is 0)", (a, tf.identity(a))))
    return cases


def gram_matrix_cases():
    rng = np.random.default_rng(40)
    return [(f"A of shape {shape}", (tf.constant(rng.standard_normal(shape), tf.float32),))
            for shape in [(3, 2), (5, 12), (1, 4)]]


def compute_style_cost_cases():
    rng = np.random.default_rng(41)
    shapes = [(1, 8, 8, 3), (1, 4, 4, 6), (1, 2, 2, 12)]
    style_outputs = [_activations(rng, s) for s in shapes]
    generated_outputs = [_activations(rng, s) for s in shapes]
    layers = [("block1_conv1", 0.2), ("block2_conv1", 0.5), ("block3_conv1", 0.3)]
    return [
        ("three layers with weights 0.2, 0.5, 0.3", (style_outputs, generated_outputs, layers)),
        ("one layer with weight 1", (style_outputs[1:2], generated_outputs[1:2], [("block2_conv1", 1.0)])),
    ]


CASES = {
    "compute_content_cost": lambda: _pair_cases(42),
    "gram_matrix": gram_matrix_cases,
    "compute_layer_style_cost": lambda: _pair_cases(43),
    "compute_style_cost": compute_style_cost_cases,
}


def _to_numpy(value):
    if tf.is_tensor(value):
        value = value.numpy()
    return value[()] if isinstance(value, np.ndarray) and value.ndim == 0 else value


def _make_checker(name):
    return checks.make_checker(name, "course_utils.style", CASES[name], convert=_to_numpy, rtol=RTOL,
                               fn_note="It receives float32 TensorFlow tensors.")


check_compute_content_cost = _make_checker("compute_content_cost")
check_gram_matrix = _make_checker("gram_matrix")
check_compute_layer_style_cost = _make_checker("compute_layer_style_cost")
check_compute_style_cost = _make_checker("compute_style_cost")
