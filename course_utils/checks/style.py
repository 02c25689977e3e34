"""Checkers for the four cost functions of neural style transfer (notebooks 4.5 and 4.7).

``check_<name>(fn)`` runs the learner's ``fn`` on seeded float32 tensors, compares the result
with :mod:`course_utils.style` and prints one line per case, in the format of
:mod:`course_utils.checks` (whose ``compare`` does the comparison). Costs computed in float32
in another order differ in the last digits, hence ``rtol=1e-5``.
"""

from __future__ import annotations

import numpy as np

from course_utils.checks.core import Case, make_checker

__all__ = ["check_compute_content_cost", "check_gram_matrix", "check_compute_layer_style_cost",
           "check_compute_style_cost"]

RTOL = 1e-5


def _activations(rng, shape):
    import tensorflow as tf

    # Non-negative like ReLU outputs, float32 like the feature extractor's.
    return tf.constant(np.maximum(rng.standard_normal(shape), 0) * 3.0, tf.float32)


def _pair_cases(seed, hint):
    import tensorflow as tf

    rng = np.random.default_rng(seed)
    cases = [Case(f"activations of shape {shape}", (_activations(rng, shape), _activations(rng, shape)), hint=hint)
             for shape in [(1, 4, 4, 3), (1, 3, 5, 8), (1, 7, 6, 2)]]
    a = _activations(rng, (1, 2, 3, 4))
    cases.append(Case("identical activations (the cost is 0)", (a, tf.identity(a))))
    return cases


def compute_content_cost_cases():
    return _pair_cases(42, hint="J = sum((a_C - a_G)^2) / (4 n_H n_W n_C): the sum of squares, normalised by 4 and "
                               "by the number of activations.")


def gram_matrix_cases():
    import tensorflow as tf

    rng = np.random.default_rng(40)
    return [Case(f"A of shape {shape}", (tf.constant(rng.standard_normal(shape), tf.float32),),
                 hint="G = A A^T: tf.matmul(A, tf.transpose(A)), an (n_C, n_C) matrix.")
            for shape in [(3, 2), (5, 12), (1, 4)]]


def compute_layer_style_cost_cases():
    return _pair_cases(43, hint="unroll each activation to (n_C, n_H*n_W) by transposing channels first (not by a "
                               "plain reshape), and normalise by 4 n_C^2 (n_H n_W)^2.")


def compute_style_cost_cases():
    rng = np.random.default_rng(41)
    shapes = [(1, 8, 8, 3), (1, 4, 4, 6), (1, 2, 2, 12)]
    style_outputs = [_activations(rng, s) for s in shapes]
    generated_outputs = [_activations(rng, s) for s in shapes]
    layers = [("block1_conv1", 0.2), ("block2_conv1", 0.5), ("block3_conv1", 0.3)]
    return [
        Case("three layers with weights 0.2, 0.5, 0.3", (style_outputs, generated_outputs, layers),
             hint="weight each layer's cost by its own coefficient from style_layers and add them up."),
        Case("one layer with weight 1", (style_outputs[1:2], generated_outputs[1:2], [("block2_conv1", 1.0)])),
    ]


def _cost_checker(name):
    return make_checker(name, "course_utils.style", globals()[f"{name}_cases"], rtol=RTOL,
                        fn_note="It receives float32 TensorFlow tensors.", solutions="course_utils.solutions.style")


check_compute_content_cost = _cost_checker("compute_content_cost")
check_gram_matrix = _cost_checker("gram_matrix")
check_compute_layer_style_cost = _cost_checker("compute_layer_style_cost")
check_compute_style_cost = _cost_checker("compute_style_cost")
