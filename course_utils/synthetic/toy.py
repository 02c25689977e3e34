"""Tiny seeded image sets for experiments that must run in seconds.

``plus_or_cross`` draws a small "+" or "x" at a random place on a noisy background: the class
depends on the shape, never on where it is, which is exactly the situation in which sharing a
detector across positions (section 1.3) should pay off.
"""

from __future__ import annotations

import numpy as np

from course_utils import _validate

__all__ = ["plus_or_cross"]

_PLUS = np.array([[0, 1, 0], [1, 1, 1], [0, 1, 0]], dtype=np.float32)
_CROSS = np.array([[1, 0, 1], [0, 1, 0], [1, 0, 1]], dtype=np.float32)


def plus_or_cross(n, size=16, noise=0.3, seed=0):
    """Images holding one "+" (label 0) or "x" (label 1) at a random position.

    Parameters
    ----------
    n : int
        Number of images (>= 1); the two classes alternate, so they are balanced.
    size : int, default 16
        Image height and width (>= 3).
    noise : float, default 0.3
        Standard deviation of the Gaussian background noise (>= 0).
    seed : int, default 0
        Seed of the generator: the same seed gives the same images.

    Returns
    -------
    X : ndarray of float32, shape (n, size, size, 1)
    y : ndarray of int64, shape (n,)
    """
    n = _validate.integer(n, "n", minimum=1)
    size = _validate.integer(size, "size", minimum=3)
    if isinstance(noise, bool) or not isinstance(noise, (int, float)) or noise < 0:
        raise ValueError(f"noise must be a number >= 0; got {noise!r}")
    rng = np.random.default_rng(seed)
    X = (noise * rng.standard_normal((n, size, size, 1))).astype(np.float32)
    y = np.arange(n) % 2
    rows, cols = rng.integers(0, size - 2, size=(2, n))
    for i in range(n):
        X[i, rows[i]:rows[i] + 3, cols[i]:cols[i] + 3, 0] += _CROSS if y[i] else _PLUS
    return X, y.astype(np.int64)
