"""Checkers of the six functions of neural style transfer (notebooks 4.5 and 4.7).

``check_<name>(fn)`` runs the learner's ``fn`` on seeded float32 tensors, compares the result
with :mod:`course_utils.style` and prints one line per case, in the format of
:mod:`course_utils.checks` (whose ``compare`` does the comparison). Costs computed in float32
in another order differ in the last digits, hence ``rtol=1e-5``.

``train_step`` changes its arguments (it updates the image variable and the optimizer's
state), so its checker gives the learner's function and the reference each a fresh copy of
the same state, a tiny two-layer feature extractor, its targets, an image variable and a
plain gradient-descent optimizer, runs one step of each and compares the updated image and
the returned cost. Plain gradient descent moves each pixel in proportion to its gradient, so
two correct steps agree to rounding (Adam's first step is close to the gradient's sign, which
rounding can flip where a gradient is almost zero).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from course_utils.checks.core import CHECKERS, Case, compare, make_checker, run_cases, to_numpy

__all__ = ["check_compute_content_cost", "check_gram_matrix", "check_compute_layer_style_cost",
           "check_compute_style_cost", "check_total_cost", "check_train_step"]

RTOL = 1e-5
ATOL = 1e-6
SOLUTIONS = "course_utils.solutions.style"


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
                 hint="G = A A^T: the product of A with its transpose, an (n_C, n_C) matrix.")
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


def total_cost_cases():
    import tensorflow as tf

    return [
        Case("J_content=2, J_style=3 as tensors, default alpha=10, beta=40",
             (tf.constant(2.0), tf.constant(3.0)),
             hint="alpha weights the content cost and beta the style cost: alpha * J_content + beta * J_style."),
        Case("J_content=0.5, J_style=0.25, alpha=1, beta=100", (tf.constant(0.5), tf.constant(0.25), 1, 100),
             hint="use the alpha and beta you are given, not the defaults 10 and 40."),
        Case("J_content=1.5, J_style=0 as Python floats, alpha=3, beta=2", (1.5, 0.0, 3, 2)),
    ]


def _cost_checker(name):
    return make_checker(name, "course_utils.style", globals()[f"{name}_cases"], rtol=RTOL,
                        fn_note="It receives float32 TensorFlow tensors.", solutions=SOLUTIONS)


check_compute_content_cost = _cost_checker("compute_content_cost")
check_gram_matrix = _cost_checker("gram_matrix")
check_compute_layer_style_cost = _cost_checker("compute_layer_style_cost")
check_compute_style_cost = _cost_checker("compute_style_cost")
check_total_cost = _cost_checker("total_cost")


# --- train_step: one step from a fresh copy of the same state ---------------------------------

@cache
def tiny_extractor(style_weights: tuple[float, float] = (0.4, 0.6)):
    """A seeded two-convolution :class:`~course_utils.style.FeatureExtractor` (style: both, content: the second).

    Its weights never change (``train_step`` updates only the image), so one copy serves every case.
    """
    import keras

    from course_utils.style import FeatureExtractor

    rng = np.random.default_rng(7)
    inputs = keras.Input((None, None, 3))
    first = keras.layers.Conv2D(4, 3, padding="same", activation="relu", name="conv1")
    second = keras.layers.Conv2D(6, 3, padding="same", activation="relu", name="conv2")
    a1 = first(inputs)
    a2 = second(keras.layers.AveragePooling2D(2)(a1))
    model = keras.Model(inputs, [a1, a2, a2], name="tiny_features")
    for layer in (first, second):  # He-normal kernels, scaled down for inputs in 0..255
        kernel, bias = layer.get_weights()
        scale = np.sqrt(2.0 / np.prod(kernel.shape[:3])) / 64
        layer.set_weights([(rng.standard_normal(kernel.shape) * scale).astype(np.float32),
                           (0.1 * rng.standard_normal(bias.shape)).astype(np.float32)])
    model.trainable = False
    layers = [("conv1", style_weights[0]), ("conv2", style_weights[1])]
    return FeatureExtractor(model, layers, "conv2", "a tiny seeded network for checking train_step")


@dataclass(frozen=True)
class StepState:
    """How to build the state one ``train_step`` starts from; :meth:`fresh` builds a new copy."""

    size: tuple[int, int] = (8, 8)
    learning_rate: float = 0.1
    alpha: float = 10
    beta: float = 40
    style_weights: tuple[float, float] = (0.4, 0.6)
    seed: int = 0

    def fresh(self):
        """``(generated_image, extractor, a_C, a_S, optimizer)``, always the same values for one state."""
        import keras
        import tensorflow as tf

        rng = np.random.default_rng(self.seed)
        content, style_image = (rng.random((1, *self.size, 3)).astype(np.float32) for _ in range(2))
        start = (0.2 + 0.6 * rng.random((1, *self.size, 3))).astype(np.float32)  # room to move before a clip
        extractor = tiny_extractor(self.style_weights)
        image = tf.Variable(start)
        optimizer = keras.optimizers.SGD(learning_rate=self.learning_rate)
        optimizer.build([image])
        return image, extractor, extractor(content)[-1], list(extractor(style_image)[:-1]), optimizer


def _one_step(train_step):
    """Run ``train_step`` once from a fresh state; return the updated image and the returned cost."""

    def run(state: StepState):
        image, extractor, a_C, a_S, optimizer = state.fresh()
        try:
            J = train_step(image, extractor, a_C, a_S, optimizer, state.alpha, state.beta)
        except NotImplementedError as exc:  # tf.function prefixes a trace: keep the learner's own message
            last = str(exc).strip().splitlines()[-1].strip()
            raise NotImplementedError(last.removeprefix("NotImplementedError: ")) from None
        return {"updated image": image.numpy(), "returned cost": to_numpy(J)}

    return run


def train_step_cases():
    gradient = ("compute J inside tf.GradientTape, take its gradient with respect to generated_image (the pixels) "
                "and let the optimizer you are given apply it to generated_image.")
    return [
        Case("8x8 image, one step of SGD(0.1), alpha=10, beta=40", (StepState(),), hint=gradient),
        Case("alpha=1, beta=1000, SGD(0.01)", (StepState(learning_rate=0.01, alpha=1, beta=1000, seed=1),),
             hint="pass alpha and beta on to total_cost instead of fixed numbers."),
        Case("a large step, SGD(50): the pixels must be clipped to [0, 1]", (StepState(learning_rate=50.0, seed=2),),
             hint="after the update, clip the pixels to [0, 1] and assign them back to generated_image."),
        Case("12x10 image, style layers weighted 0.9 and 0.1", (StepState((12, 10), style_weights=(0.9, 0.1), seed=3),),
             hint="weight the style layers with extractor.style_layers, the extractor's own (name, weight) pairs; "
                  "its outputs are the style layers' activations, then the content layer's (the last)."),
    ]


def _run_train_step(fn, verbose=True):
    if not callable(fn):
        raise TypeError(f"fn must be the function you wrote for train_step; got {type(fn).__name__}")
    return run_cases("train_step", _one_step(fn), _one_step(check_train_step.reference()), train_step_cases(),
                     convert=lambda value: value, compare_results=_compare_step, verbose=verbose)


def _compare_step(got, expected):
    return compare(got, expected, rtol=1e-4, atol=1e-6)


_template = make_checker("train_step", "course_utils.style", train_step_cases, solutions=SOLUTIONS,
                         fn_note="It receives a tf.Variable image, a FeatureExtractor, the targets a_C and a_S, "
                                 "an optimizer built for the image, alpha and beta (by position).")


def check_train_step(fn, verbose=True):
    return bool(_run_train_step(fn, verbose))


# make_checker's checker calls fn with the cases' arguments directly; this one gives each function a
# fresh state first, with the same docstring, reference, cases and solution.
check_train_step.__doc__ = _template.__doc__
for _attribute in ("exercise", "reference", "cases", "solutions"):
    setattr(check_train_step, _attribute, getattr(_template, _attribute))
check_train_step.run = _run_train_step
CHECKERS["train_step"] = check_train_step
