"""Checkers of the numpy layers a learner writes (sections 1.1 to 1.4 and 4.6).

One seeded ``<name>_cases()`` list per function, so that ``check_conv_forward(your_fn)`` in a
notebook runs the very inputs on which the test suite compares :mod:`course_utils.conv` with
TensorFlow. The reference is :mod:`course_utils.conv`; the solutions shown in the notebooks
are in :mod:`course_utils.solutions.layers`.
"""

from __future__ import annotations

import numpy as np

from course_utils.checks.core import Case, make_checker

__all__ = ["check_zero_pad", "check_conv_single_step", "check_conv_forward", "check_conv_backward",
           "check_create_mask_from_window", "check_distribute_value", "check_pool_forward", "check_pool_backward",
           "check_conv3d_forward", "CONV_CONFIGS", "POOL_CONFIGS", "conv_arrays", "pool_arrays"]

# (m, n_H_prev, n_W_prev, n_C_prev, f, n_C, stride, pad): odd and even filters, strides 1-3,
# paddings 0-2, non-square inputs, batches larger than one.
CONV_CONFIGS = [
    (2, 5, 7, 4, 3, 8, 1, 1),
    (1, 6, 6, 3, 2, 2, 2, 0),
    (3, 7, 4, 2, 4, 3, 1, 2),
    (2, 9, 8, 3, 3, 4, 3, 1),
    (2, 4, 6, 1, 1, 5, 2, 0),
    (1, 5, 5, 2, 5, 2, 1, 2),
]

# (m, n_H_prev, n_W_prev, n_C, f, stride): overlapping (stride < f), exact and ragged tilings.
POOL_CONFIGS = [
    (2, 4, 4, 3, 2, 2),
    (2, 5, 7, 2, 3, 1),
    (1, 7, 6, 3, 2, 3),
    (3, 6, 5, 1, 3, 2),
]


def _rng(seed):
    return np.random.default_rng(seed)


def conv_arrays(config, seed):
    """Random ``A_prev, W, b, hparameters`` (float64) for one convolution configuration."""
    m, n_H, n_W, n_C_prev, f, n_C, stride, pad = config
    rng = _rng(seed)
    A_prev = rng.standard_normal((m, n_H, n_W, n_C_prev))
    W = rng.standard_normal((f, f, n_C_prev, n_C))
    b = rng.standard_normal((1, 1, 1, n_C))
    return A_prev, W, b, {"stride": stride, "pad": pad}


def _conv_description(config):
    m, n_H, n_W, n_C_prev, f, n_C, stride, pad = config
    return f"A_prev {(m, n_H, n_W, n_C_prev)}, W {(f, f, n_C_prev, n_C)}, stride={stride}, pad={pad}"


def _pool_description(config, mode):
    m, n_H, n_W, n_C, f, stride = config
    return f'A_prev {(m, n_H, n_W, n_C)}, f={f}, stride={stride}, mode="{mode}"'


def _conv_hint(config):
    *_, stride, pad = config
    if pad != 1 and stride != 1:
        return f"this case has stride={stride} and pad={pad}: read both from hparameters, do not assume 1."
    if pad != 1:
        return f"this case has pad={pad}: read it from hparameters['pad']."
    if stride != 1:
        return f"this case has stride={stride}: the window starts at h * stride, w * stride."
    return "check the output size floor((n + 2 pad - f) / stride) + 1 and the bias b[..., c]."


def zero_pad_cases():
    rng = _rng(1)
    return [
        Case("X (2, 3, 3, 2), pad=2", (rng.standard_normal((2, 3, 3, 2)), 2),
             hint="use the pad argument on both spatial axes (1 and 2), not a fixed 1; leave m and n_C alone."),
        Case("X (1, 4, 5, 3), pad=1", (rng.standard_normal((1, 4, 5, 3)), 1),
             hint="pad axes 1 and 2 (n_H, n_W) only: np.pad takes one (before, after) pair per axis."),
        Case("X (3, 2, 2, 1), pad=0 (unchanged)", (rng.standard_normal((3, 2, 2, 1)), 0),
             hint="with pad=0 the result equals X."),
    ]


def conv_single_step_cases():
    rng = _rng(2)
    return [Case(f"a_slice_prev {shape}", (rng.standard_normal(shape), rng.standard_normal(shape),
                                          rng.standard_normal((1, 1, 1))),
                 hint="sum every product a_slice_prev * W, then add the bias b (a (1, 1, 1) array) once.")
            for shape in [(4, 4, 3), (3, 3, 1), (2, 2, 5)]]


def conv_forward_cases():
    return [Case(_conv_description(c), conv_arrays(c, seed=10 + i), hint=_conv_hint(c))
            for i, c in enumerate(CONV_CONFIGS)]


def conv_backward_cases():
    """``(dZ, cache)`` pairs; the cache is built the way ``conv_forward`` builds it."""
    from course_utils.conv_fast import conv_forward as forward

    cases = []
    for i, config in enumerate(CONV_CONFIGS):
        A_prev, W, b, hparameters = conv_arrays(config, seed=10 + i)
        Z, cache = forward(A_prev, W, b, hparameters)
        dZ = _rng(100 + i).standard_normal(Z.shape)
        *_, stride, pad = config
        hint = ("dA_prev has A_prev's shape: accumulate into the padded gradient, then cut the padding off "
                f"(pad={pad} here)." if pad else
                f"stride={stride}: the slice of the input under output (h, w) starts at (h * stride, w * stride).")
        cases.append(Case(_conv_description(config), (dZ, cache), hint=hint))
    return cases


def create_mask_from_window_cases():
    rng = _rng(3)
    return [
        Case("x (2, 3)", (rng.standard_normal((2, 3)),)),
        Case("x (3, 3)", (rng.standard_normal((3, 3)),)),
        Case("x (2, 2) with a tied maximum", (np.array([[1.0, 4.0], [4.0, -2.0]]),),
             hint="the course's mask is x == max(x): every tied maximum is True."),
    ]


def distribute_value_cases():
    return [
        Case("dz=2.0, shape (2, 2)", (2.0, (2, 2))),
        Case("dz=-3.0, shape (3, 1)", (-3.0, (3, 1)), hint="divide by n_H * n_W, the number of entries."),
        Case("dz=1.5, shape (1, 4)", (1.5, (1, 4)), hint="divide by n_H * n_W, the number of entries."),
    ]


def pool_arrays(config, seed, ties=False):
    """Random ``A_prev, hparameters`` for one pooling configuration (integers if ``ties``)."""
    m, n_H, n_W, n_C, f, stride = config
    rng = _rng(seed)
    shape = (m, n_H, n_W, n_C)
    A_prev = rng.integers(0, 3, shape).astype(np.float64) if ties else rng.standard_normal(shape)
    return A_prev, {"f": f, "stride": stride}


def _pool_hint(config):
    *_, f, stride = config
    if stride < f:
        return f"windows overlap here (f={f}, stride={stride}): the window of output (h, w) starts at h * stride."
    return f"the output size is floor((n - f) / stride) + 1 with f={f}, stride={stride}: read both from hparameters."


def pool_forward_cases():
    return [Case(_pool_description(c, mode), (*pool_arrays(c, seed=20 + i), mode), hint=_pool_hint(c))
            for mode in ("max", "average") for i, c in enumerate(POOL_CONFIGS)]


def pool_backward_cases():
    """``(dA, cache, mode)`` triples, including one with tied maxima."""
    from course_utils.conv_fast import pool_forward as forward

    cases = []
    for mode in ("max", "average"):
        for i, config in enumerate(POOL_CONFIGS):
            A_prev, hparameters = pool_arrays(config, seed=20 + i)
            A, cache = forward(A_prev, hparameters, mode)
            dA = _rng(200 + i).standard_normal(A.shape)
            hint = ("add (+=) into dA_prev: overlapping windows send gradient to the same input twice."
                    if config[-1] < config[-2] else _pool_hint(config))
            cases.append(Case(_pool_description(config, mode), (dA, cache, mode), hint=hint))
    A_prev, hparameters = pool_arrays(POOL_CONFIGS[1], seed=30, ties=True)
    A, cache = forward(A_prev, hparameters, "max")
    dA = _rng(300).standard_normal(A.shape)
    cases.append(Case(_pool_description(POOL_CONFIGS[1], "max")
                      + ", integer inputs with tied maxima (the gradient goes to the first maximum only)",
                      (dA, cache, "max"),
                      hint="only one input produced each maximum: route dA to the first maximum of the window "
                           "(as TensorFlow does), not to every tied one."))
    return cases


def conv3d_forward_cases():
    """3-D volumes ``(m, n_D, n_H, n_W, n_C_prev)`` with cubic filters (section 4.6)."""
    cases = []
    for i, (m, n_D, n_H, n_W, n_C_prev, f, n_C, stride, pad) in enumerate(
            [(1, 4, 5, 6, 2, 3, 3, 1, 0), (2, 5, 4, 4, 3, 2, 2, 2, 1), (1, 3, 3, 3, 1, 3, 4, 1, 1)]):
        rng = _rng(50 + i)
        args = (rng.standard_normal((m, n_D, n_H, n_W, n_C_prev)), rng.standard_normal((f, f, f, n_C_prev, n_C)),
                rng.standard_normal((1, 1, 1, 1, n_C)), {"stride": stride, "pad": pad})
        cases.append(Case(f"A_prev {(m, n_D, n_H, n_W, n_C_prev)}, W {(f, f, f, n_C_prev, n_C)}, "
                          f"stride={stride}, pad={pad}", args,
                          hint="pad and slide along n_D as well as n_H and n_W."))
    return cases


def _layer_checker(name):
    return make_checker(name, "course_utils.conv", globals()[f"{name}_cases"],
                        solutions="course_utils.solutions.layers")


check_zero_pad = _layer_checker("zero_pad")
check_conv_single_step = _layer_checker("conv_single_step")
check_conv_forward = _layer_checker("conv_forward")
check_conv_backward = _layer_checker("conv_backward")
check_create_mask_from_window = _layer_checker("create_mask_from_window")
check_distribute_value = _layer_checker("distribute_value")
check_pool_forward = _layer_checker("pool_forward")
check_pool_backward = _layer_checker("pool_backward")
check_conv3d_forward = _layer_checker("conv3d_forward")
