"""Numerical gradient checking: is a hand-written backward pass right?

For a function ``f`` whose output is an array, a backward pass computes
``d/dx sum(f(x) * df)`` for an upstream gradient ``df``. Centred differences estimate
the same quantity one input element at a time; the two should agree to about ``1e-7``
in relative error (float64).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from course_utils import _validate

__all__ = ["numerical_gradient", "relative_error"]


def numerical_gradient(f: Callable[[np.ndarray], ArrayLike], x: ArrayLike, df: ArrayLike,
                       h: float = 1e-5) -> np.ndarray:
    """Centred-difference gradient of ``sum(f(x) * df)`` with respect to ``x``.

    Parameters
    ----------
    f : callable
        Takes an array shaped like ``x`` and returns an array shaped like ``df``.
    x : array_like, any shape
        Point at which to differentiate; converted to float64 and not modified.
    df : array_like, shape of ``f(x)``
        Upstream gradient that weights each output.
    h : float, default 1e-5
        Step size (> 0).

    Returns
    -------
    grad : ndarray, shape of ``x``, float64
        ``(g(x + h e_i) - g(x - h e_i)) / (2 h)`` for each element ``i``,
        where ``g(x) = sum(f(x) * df)``.
    """
    if not callable(f):
        raise TypeError(f"f must be callable; got {type(f).__name__}")
    x = _validate.as_numeric_array(x, "x").astype(np.float64)
    df = _validate.as_numeric_array(df, "df").astype(np.float64)
    if isinstance(h, bool) or not isinstance(h, (int, float, np.floating)) or not h > 0:
        raise ValueError(f"h must be a positive number; got {h!r}")
    out_shape = np.shape(f(x))
    if out_shape != df.shape:
        raise ValueError(f"df must have the shape of f(x), {out_shape}; got {df.shape}")

    grad = np.zeros_like(x)
    probe = x.copy()
    for index in np.ndindex(x.shape):
        original = probe[index]
        probe[index] = original + h
        plus = np.sum(np.asarray(f(probe), dtype=np.float64) * df)
        probe[index] = original - h
        minus = np.sum(np.asarray(f(probe), dtype=np.float64) * df)
        probe[index] = original
        grad[index] = (plus - minus) / (2 * h)
    return grad


def relative_error(a: ArrayLike, b: ArrayLike) -> float:
    """``||a - b|| / (||a|| + ||b||)``, 0 when both are zero.

    Parameters
    ----------
    a, b : array_like, same shape

    Returns
    -------
    float
        Below about ``1e-7`` in float64: the gradients agree; above ``1e-3``: almost
        certainly a bug.
    """
    a = _validate.as_numeric_array(a, "a").astype(np.float64)
    b = _validate.as_numeric_array(b, "b").astype(np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape; got {a.shape} and {b.shape}")
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if scale == 0 else float(np.linalg.norm(a - b) / scale)
