"""Checkers of the numpy layers a learner writes (notebooks 1.4 and 4.6).

One seeded ``<name>_cases()`` list per function, so that ``check_conv_forward(your_fn)`` in a
notebook runs the very inputs on which the test suite compares :mod:`course_utils.conv` with
TensorFlow. The reference is :mod:`course_utils.conv`; the solutions shown in the notebooks
are in :mod:`course_utils.solutions.layers`.
"""

from __future__ import annotations

import numpy as np

from course_utils.checks.core import ATOL, RTOL, Case, compare, make_checker

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
    """The usual mistake a convolution case catches: each configuration tries other settings."""
    *_, stride, pad = config
    if pad != 1 and stride != 1:
        return (f"this case has stride={stride} and pad={pad}: read both from hparameters (a pad or stride "
                "fixed at 1 passes the first cases only).")
    if pad != 1:
        return f"this case has pad={pad}: read it from hparameters['pad'], and n_H uses it too."
    if stride != 1:
        return f"this case has stride={stride}: the window of output (h, w) starts at (h * stride, w * stride)."
    return ("output (h, w) reads A_prev_pad[i, h*stride : h*stride + f, w*stride : w*stride + f, :]; "
            "n_H = (n_H_prev + 2 * pad - f) // stride + 1.")


def _named(*names):
    """Compare results under their names (``Z``, ``dA_prev``, ...) instead of ``result[i]``."""
    def comparison(got, expected):
        if len(names) == 1:
            return compare(got, expected, names[0], RTOL, ATOL)
        if isinstance(got, tuple) and len(got) == len(expected):
            return next((problem for name, g, e in zip(names, got, expected, strict=True)
                         if (problem := compare(g, e, name, RTOL, ATOL))), None)
        return compare(got, expected, "result", RTOL, ATOL)

    return comparison


def zero_pad_cases():
    rng = _rng(1)
    return [
        Case("X (2, 3, 3, 2), pad=2", (rng.standard_normal((2, 3, 3, 2)), 2),
             hint="use the pad argument on both spatial axes (1 and 2), not a fixed 1; leave m and n_C alone."),
        Case("X (1, 4, 5, 3), pad=1", (rng.standard_normal((1, 4, 5, 3)), 1),
             hint="pad axes 1 and 2 (n_H, n_W) only: np.pad takes one (before, after) pair per axis, "
                  "(0, 0) for m and n_C, and pads with zeros by default."),
        Case("X (3, 2, 2, 1), pad=0 (unchanged)", (rng.standard_normal((3, 2, 2, 1)), 0),
             hint="with pad=0 the result equals X: a pad fixed at 1 fails here."),
    ]


def conv_single_step_cases():
    rng = _rng(2)
    a, W = rng.standard_normal((4, 4, 3)), rng.standard_normal((4, 4, 3))
    cases = [
        Case("a_slice_prev (4, 4, 3), b = 0", (a, W, np.zeros((1, 1, 1))),
             hint="multiply a_slice_prev and W element by element, sum over all three axes and add b; return one "
                  "number, not an array (b is a (1, 1, 1) array: use float(b) or b.item())."),
        Case("the same window, b != 0", (a, W, rng.standard_normal((1, 1, 1))),
             hint="this case differs from case 1 only by the bias. Add b once, after the sum (inside it, it "
                  "is added f * f * n_C_prev times), and as a number: b is a (1, 1, 1) array, so float(b) or "
                  "b.item(), or the result is an array."),
    ]
    for shape in [(3, 3, 1), (2, 2, 5)]:
        cases.append(Case(f"a_slice_prev {shape}, b != 0", (rng.standard_normal(shape), rng.standard_normal(shape),
                                                          rng.standard_normal((1, 1, 1))),
                          hint="sum over every axis of the window, whatever its shape, then add the bias."))
    return cases


def conv_forward_cases():
    first = conv_arrays(CONV_CONFIGS[0], seed=10)
    cases = [
        Case(_conv_description(CONV_CONFIGS[0]) + ", b = 0", (*first[:2], np.zeros_like(first[2]), first[3]),
             hint=_conv_hint(CONV_CONFIGS[0])),
        Case(_conv_description(CONV_CONFIGS[0]) + ", b != 0", first,
             hint="the input of case 1 with a non-zero bias: if only this case fails, add b[..., c], the bias "
                  "of filter c, to each of its outputs (once, after the sum)."),
    ]
    return cases + [Case(_conv_description(c), conv_arrays(c, seed=10 + i), hint=_conv_hint(c))
                    for i, c in enumerate(CONV_CONFIGS) if i > 0]


def _conv_backward_hint(config):
    *_, f, _, stride, pad = config
    if stride == 1 and pad == 1:
        return ("for each output, add (+=, windows overlap) W[..., c] * dZ[i, h, w, c] to the window of the padded "
                "gradient, window * dZ[i, h, w, c] to dW[..., c] and dZ[i, h, w, c] to db[..., c]; "
                "then cut the padding off dA_prev.")
    if pad == 0 and stride < f:
        return f"stride={stride}, pad=0: the window of output (h, w) starts at (h * stride, w * stride)."
    if pad == 0:
        return (f"f={f}, stride={stride}: some inputs lie under no window and keep a zero gradient; "
                "read f from W and stride from hparameters.")
    lines = "rows and columns" if pad > 1 else "row and column"
    return (f"pad={pad}, stride={stride}: read both from hparameters; dA_prev has A_prev's shape, so cut "
            f"{pad} {lines} off each side of the padded gradient.")


def conv_backward_cases():
    """``(dZ, cache)`` pairs; the cache is built the way ``conv_forward`` builds it."""
    from course_utils.conv_fast import conv_forward as forward

    cases = []
    for i, config in enumerate(CONV_CONFIGS):
        A_prev, W, b, hparameters = conv_arrays(config, seed=10 + i)
        Z, cache = forward(A_prev, W, b, hparameters)
        dZ = _rng(100 + i).standard_normal(Z.shape)
        cases.append(Case(_conv_description(config), (dZ, cache), hint=_conv_backward_hint(config)))
    return cases


def create_mask_from_window_cases():
    rng = _rng(3)
    return [
        Case("x (2, 3)", (rng.standard_normal((2, 3)),),
             hint="return a boolean array of x's shape, True where x equals its largest value (not the "
                  "position or the value of the maximum)."),
        Case("x (3, 3)", (rng.standard_normal((3, 3)),),
             hint="compare with the maximum of the whole window, not of each row or column."),
        Case("x (2, 2) with a tied maximum", (np.array([[1.0, 4.0], [4.0, -2.0]]),),
             hint="the course's mask marks every tied maximum True; pool_backward decides what to do with ties."),
    ]


def distribute_value_cases():
    return [
        Case("dz=2.0, shape (2, 2)", (2.0, (2, 2)),
             hint="return an array of the given shape (n_H, n_W) in which every entry is dz / (n_H * n_W)."),
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


def _pool_hint(config, mode="max"):
    *_, f, stride = config
    if mode == "average" and config == POOL_CONFIGS[0]:
        return 'mode="average" keeps the mean of each window (the max cases use the same windows).'
    if stride < f:
        return f"windows overlap here (f={f}, stride={stride}): the window of output (h, w) starts at h * stride."
    return (f"f={f}, stride={stride}: read both from hparameters (not a fixed 2); the output has "
            "(n_H_prev - f) // stride + 1 rows, and likewise columns.")


def pool_forward_cases():
    return [Case(_pool_description(c, mode), (*pool_arrays(c, seed=20 + i), mode), hint=_pool_hint(c, mode))
            for mode in ("max", "average") for i, c in enumerate(POOL_CONFIGS)]


def _pool_backward_hint(config, mode):
    *_, f, stride = config
    if mode == "average" and config == POOL_CONFIGS[0]:
        return ('mode="average": every input of the window gets dA[i, h, w, c] / (f * f), which is what '
                "distribute_value gives.")
    if stride < f:
        return f"windows overlap (f={f}, stride={stride}): add (+=) into dA_prev, an input can get gradient twice."
    if mode == "max" and config == POOL_CONFIGS[0]:
        return ("max: the whole dA[i, h, w, c] goes to the input that holds the window's maximum, nothing to "
                "the others (a mask times dA).")
    return _pool_hint(config, mode)


def pool_backward_cases():
    """``(dA, cache, mode)`` triples, including one with tied maxima."""
    from course_utils.conv_fast import pool_forward as forward

    cases = []
    for mode in ("max", "average"):
        for i, config in enumerate(POOL_CONFIGS):
            A_prev, hparameters = pool_arrays(config, seed=20 + i)
            A, cache = forward(A_prev, hparameters, mode)
            dA = _rng(200 + i).standard_normal(A.shape)
            cases.append(Case(_pool_description(config, mode), (dA, cache, mode),
                              hint=_pool_backward_hint(config, mode)))
    A_prev, hparameters = pool_arrays(POOL_CONFIGS[1], seed=30, ties=True)
    A, cache = forward(A_prev, hparameters, "max")
    dA = _rng(300).standard_normal(A.shape)
    cases.append(Case(_pool_description(POOL_CONFIGS[1], "max")
                      + ", integer inputs with tied maxima (the gradient goes to the first maximum only)",
                      (dA, cache, "max"),
                      hint="a tied maximum was produced by one input only: route dA to the first maximum of the "
                           "window in row-major order, as TensorFlow does. create_mask_from_window marks every "
                           "tie (the course's own assignment sends the gradient to all of them, counting it "
                           "twice), so keep only its first True (np.argmax of the mask finds it)."))
    return cases


def conv3d_forward_cases():
    """3-D volumes ``(m, n_D, n_H, n_W, n_C_prev)`` with cubic filters (section 4.6)."""
    configs = [  # (m, n_D, n_H, n_W, n_C_prev, f, n_C, stride, pad, hint)
        (1, 4, 5, 6, 2, 3, 3, 1, 0,
         "loop over d, h and w: output (d, h, w) reads the f x f x f window starting at (d * stride, h * stride, "
         "w * stride), across all n_C_prev channels; sum its product with W[..., c]."),
        (1, 4, 5, 6, 2, 3, 3, 1, 0,
         "the input of case 1 with a non-zero bias: if only this case fails, add b[..., c] once per output."),
        (2, 5, 4, 4, 3, 2, 2, 2, 1,
         "stride=2 and pad=1: read both from hparameters, and pad the three spatial axes (1, 2, 3), not m or n_C."),
        (1, 3, 3, 3, 1, 3, 4, 1, 1,
         "pad=1: n_D, n_H and n_W each follow (n + 2 * pad - f) // stride + 1."),
    ]
    cases = []
    for i, (m, n_D, n_H, n_W, n_C_prev, f, n_C, stride, pad, hint) in enumerate(configs):
        rng = _rng(50 + (i if i > 1 else 0))
        A_prev, W = rng.standard_normal((m, n_D, n_H, n_W, n_C_prev)), rng.standard_normal((f, f, f, n_C_prev, n_C))
        b = rng.standard_normal((1, 1, 1, 1, n_C)) if i != 0 else np.zeros((1, 1, 1, 1, n_C))
        cases.append(Case(f"A_prev {(m, n_D, n_H, n_W, n_C_prev)}, W {(f, f, f, n_C_prev, n_C)}, "
                          f"stride={stride}, pad={pad}" + (", b = 0" if i == 0 else ""),
                          (A_prev, W, b, {"stride": stride, "pad": pad}), hint=hint))
    return cases


_OUTPUTS = {"conv_forward": ("Z", "cache"), "conv_backward": ("dA_prev", "dW", "db"), "pool_forward": ("A", "cache"),
            "pool_backward": ("dA_prev",), "create_mask_from_window": ("mask",), "conv3d_forward": ("Z", "cache")}


def _layer_checker(name):
    return make_checker(name, "course_utils.conv", globals()[f"{name}_cases"],
                        compare_results=_named(*_OUTPUTS[name]) if name in _OUTPUTS else None,
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
