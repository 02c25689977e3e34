"""The cases on which the exercise checkers and the unit tests run the layers.

One seeded list per function, so that ``check_conv_forward(your_fn)`` in a notebook runs
the very inputs on which the test suite compares :mod:`course_utils.conv` with TensorFlow.
Each case is ``(description, args)`` where ``args`` is the tuple of positional arguments.
"""

from __future__ import annotations

import numpy as np

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


def zero_pad():
    rng = _rng(1)
    return [
        ("X (2, 3, 3, 2), pad=2", (rng.standard_normal((2, 3, 3, 2)), 2)),
        ("X (1, 4, 5, 3), pad=1", (rng.standard_normal((1, 4, 5, 3)), 1)),
        ("X (3, 2, 2, 1), pad=0 (unchanged)", (rng.standard_normal((3, 2, 2, 1)), 0)),
    ]


def conv_single_step():
    rng = _rng(2)
    cases = []
    for shape in [(4, 4, 3), (3, 3, 1), (2, 2, 5)]:
        cases.append((f"a_slice_prev {shape}",
                      (rng.standard_normal(shape), rng.standard_normal(shape),
                       rng.standard_normal((1, 1, 1)))))
    return cases


def conv_forward():
    return [(_conv_description(c), conv_arrays(c, seed=10 + i)) for i, c in enumerate(CONV_CONFIGS)]


def conv_backward():
    """``(dZ, cache)`` pairs; the cache is built the way ``conv_forward`` builds it."""
    from course_utils.conv_fast import conv_forward as forward

    cases = []
    for i, config in enumerate(CONV_CONFIGS):
        A_prev, W, b, hparameters = conv_arrays(config, seed=10 + i)
        Z, cache = forward(A_prev, W, b, hparameters)
        dZ = _rng(100 + i).standard_normal(Z.shape)
        cases.append((_conv_description(config), (dZ, cache)))
    return cases


def create_mask_from_window():
    rng = _rng(3)
    return [
        ("x (2, 3)", (rng.standard_normal((2, 3)),)),
        ("x (3, 3)", (rng.standard_normal((3, 3)),)),
        ("x (2, 2) with a tied maximum", (np.array([[1.0, 4.0], [4.0, -2.0]]),)),
    ]


def distribute_value():
    return [
        ("dz=2.0, shape (2, 2)", (2.0, (2, 2))),
        ("dz=-3.0, shape (3, 1)", (-3.0, (3, 1))),
        ("dz=1.5, shape (1, 4)", (1.5, (1, 4))),
    ]


def pool_arrays(config, seed, ties=False):
    """Random ``A_prev, hparameters`` for one pooling configuration (integers if ``ties``)."""
    m, n_H, n_W, n_C, f, stride = config
    rng = _rng(seed)
    shape = (m, n_H, n_W, n_C)
    A_prev = rng.integers(0, 3, shape).astype(np.float64) if ties else rng.standard_normal(shape)
    return A_prev, {"f": f, "stride": stride}


def pool_forward():
    return [(_pool_description(c, mode), (*pool_arrays(c, seed=20 + i), mode))
            for mode in ("max", "average") for i, c in enumerate(POOL_CONFIGS)]


def pool_backward():
    """``(dA, cache, mode)`` triples, including one with tied maxima."""
    from course_utils.conv_fast import pool_forward as forward

    cases = []
    for mode in ("max", "average"):
        for i, config in enumerate(POOL_CONFIGS):
            A_prev, hparameters = pool_arrays(config, seed=20 + i)
            A, cache = forward(A_prev, hparameters, mode)
            dA = _rng(200 + i).standard_normal(A.shape)
            cases.append((_pool_description(config, mode), (dA, cache, mode)))
    A_prev, hparameters = pool_arrays(POOL_CONFIGS[1], seed=30, ties=True)
    A, cache = forward(A_prev, hparameters, "max")
    dA = _rng(300).standard_normal(A.shape)
    cases.append((_pool_description(POOL_CONFIGS[1], "max")
                   + ", integer inputs with tied maxima (the gradient goes to the first maximum only)",
                   (dA, cache, "max")))
    return cases


def conv3d_forward():
    """3-D volumes ``(m, n_D, n_H, n_W, n_C_prev)`` with cubic filters (section 4.6)."""
    cases = []
    for i, (m, n_D, n_H, n_W, n_C_prev, f, n_C, stride, pad) in enumerate(
            [(1, 4, 5, 6, 2, 3, 3, 1, 0), (2, 5, 4, 4, 3, 2, 2, 2, 1), (1, 3, 3, 3, 1, 3, 4, 1, 1)]):
        rng = _rng(50 + i)
        args = (rng.standard_normal((m, n_D, n_H, n_W, n_C_prev)), rng.standard_normal((f, f, f, n_C_prev, n_C)),
                rng.standard_normal((1, 1, 1, 1, n_C)), {"stride": stride, "pad": pad})
        cases.append((f"A_prev {(m, n_D, n_H, n_W, n_C_prev)}, W {(f, f, f, n_C_prev, n_C)}, "
                      f"stride={stride}, pad={pad}", args))
    return cases


CASES = {
    "zero_pad": zero_pad,
    "conv_single_step": conv_single_step,
    "conv_forward": conv_forward,
    "conv_backward": conv_backward,
    "create_mask_from_window": create_mask_from_window,
    "distribute_value": distribute_value,
    "pool_forward": pool_forward,
    "pool_backward": pool_backward,
    "conv3d_forward": conv3d_forward,
}
