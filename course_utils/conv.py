"""Convolution and pooling layers written with explicit loops, for reading.

Every function here is the readable reference: one loop per axis, one window at a time,
so that each line maps onto the formulas of sections 1.1, 1.2 and 1.4. The vectorised
twins with the same names and signatures live in :mod:`course_utils.conv_fast`.

Shapes (channels last, as in the course):

- activations ``A_prev``: ``(m, n_H_prev, n_W_prev, n_C_prev)``
- weights ``W``: ``(f, f, n_C_prev, n_C)``; biases ``b``: ``(1, 1, 1, n_C)``
- output size along each spatial axis: ``floor((n_prev + 2*pad - f) / stride) + 1``
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from numpy.typing import ArrayLike

from course_utils import _arguments, _validate

__all__ = [
    "zero_pad", "conv_single_step", "conv_forward", "conv_backward",
    "create_mask_from_window", "distribute_value", "pool_forward", "pool_backward",
    "conv3d_forward",
]


def zero_pad(X: ArrayLike, pad: int) -> np.ndarray:
    """Pad every image of a batch with ``pad`` zeros on its height and width.

    Parameters
    ----------
    X : array_like, shape (m, n_H, n_W, n_C)
        A batch of images or activations.
    pad : int
        Number of zeros added on each side (>= 0).

    Returns
    -------
    X_pad : ndarray, shape (m, n_H + 2*pad, n_W + 2*pad, n_C)
        Same dtype as ``X``; the batch and channel axes are not padded.
    """
    X, pad = _arguments.pad_amount(X, pad)
    return np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode="constant", constant_values=0)


def conv_single_step(a_slice_prev: ArrayLike, W: ArrayLike, b: ArrayLike) -> np.float64:
    """Apply one filter to one window: ``sum(a_slice_prev * W) + b``.

    Parameters
    ----------
    a_slice_prev : array_like, shape (f, f, n_C_prev)
        The window of the input the filter covers.
    W : array_like, shape (f, f, n_C_prev)
        One filter's weights (the same shape as the window).
    b : array_like, shape (1, 1, 1) or any shape with a single element
        The filter's bias.

    Returns
    -------
    Z : numpy.float64
        The filter's response on this window.
    """
    a_slice_prev = _validate.as_numeric_array(a_slice_prev, "a_slice_prev")
    W = _validate.as_numeric_array(W, "W")
    b = _validate.as_numeric_array(b, "b")
    if a_slice_prev.shape != W.shape:
        raise ValueError(f"a_slice_prev and W must have the same shape (f, f, n_C_prev); "
                         f"got {a_slice_prev.shape} and {W.shape}")
    if b.size != 1:
        raise ValueError(f"b must hold exactly one number (shape (1, 1, 1)); got shape {b.shape}")
    return np.float64(np.sum(a_slice_prev * W, dtype=np.float64) + b.item())


def window_positions(n_H: int, n_W: int, f: int, stride: int) -> Iterator[tuple[int, int, slice, slice]]:
    """Every output position ``(h, w)`` with the rows and columns of the input window it reads.

    The window of output ``(h, w)`` starts at row ``h * stride`` and column ``w * stride`` of the
    (padded) input and is ``f`` wide in both directions. All the loop versions below walk the
    windows in this order.

    Parameters
    ----------
    n_H, n_W : int
        Output height and width.
    f : int
        Window size.
    stride : int
        Step between windows.

    Yields
    ------
    h, w : int
        Output row and column.
    rows, cols : slice
        ``slice(vert_start, vert_end)`` and ``slice(horiz_start, horiz_end)`` of the input.
    """
    for h in range(n_H):
        vert_start = h * stride
        vert_end = vert_start + f
        for w in range(n_W):
            horiz_start = w * stride
            horiz_end = horiz_start + f
            yield h, w, slice(vert_start, vert_end), slice(horiz_start, horiz_end)


def conv_forward(A_prev: ArrayLike, W: ArrayLike, b: ArrayLike, hparameters: dict) -> tuple[np.ndarray, tuple]:
    """Forward pass of a convolution layer (no activation), one window at a time.

    Parameters
    ----------
    A_prev : array_like, shape (m, n_H_prev, n_W_prev, n_C_prev)
        Activations of the previous layer.
    W : array_like, shape (f, f, n_C_prev, n_C)
        Filters.
    b : array_like, shape (1, 1, 1, n_C)
        Biases, one per filter.
    hparameters : dict
        ``{"stride": s, "pad": p}`` with ``s >= 1`` and ``p >= 0``.

    Returns
    -------
    Z : ndarray, shape (m, n_H, n_W, n_C)
        ``n_H = floor((n_H_prev + 2p - f) / s) + 1``, likewise ``n_W``.
    cache : tuple
        ``(A_prev, W, b, hparameters)``, what :func:`conv_backward` needs.
    """
    args = _arguments.conv(A_prev, W, b, hparameters)
    A_prev, W, b, f, stride = args.A_prev, args.W, args.b, args.f, args.stride
    m, n_H, n_W, n_C = args.out_shape
    Z = np.zeros(args.out_shape, dtype=_validate.result_dtype(A_prev, W, b))
    A_prev_pad = zero_pad(A_prev, args.pad)

    for i in range(m):
        for h, w, rows, cols in window_positions(n_H, n_W, f, stride):
            a_slice_prev = A_prev_pad[i, rows, cols, :]
            for c in range(n_C):
                Z[i, h, w, c] = conv_single_step(a_slice_prev, W[:, :, :, c], b[:, :, :, c])

    cache = (A_prev, W, b, hparameters)
    return Z, cache


def conv_backward(dZ: ArrayLike, cache: tuple) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Backward pass of a convolution layer.

    Every output ``Z[i, h, w, c]`` was ``sum(window * W[..., c]) + b[c]``, so its
    gradient ``dZ[i, h, w, c]`` flows back to that window (times ``W[..., c]``), to the
    filter (times the window) and to the bias (times 1).

    Parameters
    ----------
    dZ : array_like, shape (m, n_H, n_W, n_C)
        Gradient of the cost with respect to the output ``Z`` of :func:`conv_forward`.
    cache : tuple
        ``(A_prev, W, b, hparameters)`` as returned by :func:`conv_forward`.

    Returns
    -------
    dA_prev : ndarray, shape (m, n_H_prev, n_W_prev, n_C_prev)
    dW : ndarray, shape (f, f, n_C_prev, n_C)
    db : ndarray, shape (1, 1, 1, n_C)
    """
    dZ, args, dtype = _arguments.conv_cache(dZ, cache)
    A_prev, W, f, stride, pad = args.A_prev, args.W, args.f, args.stride, args.pad
    m, n_H, n_W, n_C = args.out_shape

    A_prev_pad = zero_pad(A_prev, pad).astype(dtype)
    dA_prev_pad = np.zeros(A_prev_pad.shape, dtype=dtype)
    dW = np.zeros(W.shape, dtype=dtype)
    db = np.zeros(args.b.shape, dtype=dtype)

    for i in range(m):
        for h, w, rows, cols in window_positions(n_H, n_W, f, stride):
            a_slice = A_prev_pad[i, rows, cols, :]
            for c in range(n_C):
                dA_prev_pad[i, rows, cols, :] += W[:, :, :, c] * dZ[i, h, w, c]
                dW[:, :, :, c] += a_slice * dZ[i, h, w, c]
                db[:, :, :, c] += dZ[i, h, w, c]

    n_H_prev, n_W_prev = A_prev.shape[1:3]
    dA_prev = dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]
    return dA_prev, dW, db


def create_mask_from_window(x: ArrayLike) -> np.ndarray:
    """Mark where a window reaches its maximum.

    Parameters
    ----------
    x : array_like, shape (f, f)
        One pooling window (any non-empty shape works).

    Returns
    -------
    mask : ndarray of bool, same shape as ``x``
        True where ``x`` equals ``max(x)``; several entries are True when the maximum is tied.
    """
    x = _validate.as_numeric_array(x, "x")
    if x.size == 0:
        raise ValueError("x must be a non-empty window; got an array of shape "
                         f"{x.shape}")
    return x == np.max(x)


def distribute_value(dz: float, shape: tuple[int, int]) -> np.ndarray:
    """Spread one gradient value evenly over an average-pooling window.

    Parameters
    ----------
    dz : float
        Gradient of the cost with respect to one averaged output.
    shape : tuple of int
        ``(n_H, n_W)``, the size of the window.

    Returns
    -------
    a : ndarray, shape ``shape``
        Every entry equals ``dz / (n_H * n_W)``: each input contributed equally to the mean.
    """
    dz = _validate.as_numeric_array(dz, "dz")
    if dz.size != 1:
        raise ValueError(f"dz must be a single number; got an array of shape {dz.shape}")
    if not isinstance(shape, (tuple, list)) or len(shape) != 2:
        raise TypeError(f"shape must be a tuple (n_H, n_W); got {shape!r}")
    n_H = _validate.integer(shape[0], "shape[0]", minimum=1)
    n_W = _validate.integer(shape[1], "shape[1]", minimum=1)
    return np.full((n_H, n_W), dz.item() / (n_H * n_W), dtype=np.float64)


def pool_forward(A_prev: ArrayLike, hparameters: dict, mode: str = "max") -> tuple[np.ndarray, tuple]:
    """Forward pass of a pooling layer (no padding).

    Parameters
    ----------
    A_prev : array_like, shape (m, n_H_prev, n_W_prev, n_C)
        Input activations; every channel is pooled on its own.
    hparameters : dict
        ``{"f": f, "stride": s}``: window size and step.
    mode : {"max", "average"}
        Keep the largest value of each window, or its mean.

    Returns
    -------
    A : ndarray, shape (m, n_H, n_W, n_C)
        ``n_H = floor((n_H_prev - f) / s) + 1``, likewise ``n_W``.
    cache : tuple
        ``(A_prev, hparameters)``, what :func:`pool_backward` needs.
    """
    args = _arguments.pool(A_prev, hparameters, mode)
    A_prev, f, stride = args.A_prev, args.f, args.stride
    m, n_H, n_W, n_C = args.out_shape
    A = np.zeros(args.out_shape, dtype=_validate.result_dtype(A_prev))

    for i in range(m):
        for h, w, rows, cols in window_positions(n_H, n_W, f, stride):
            for c in range(n_C):
                window = A_prev[i, rows, cols, c]
                if mode == "max":
                    A[i, h, w, c] = np.max(window)
                else:
                    A[i, h, w, c] = np.mean(window)

    cache = (A_prev, hparameters)
    return A, cache


def pool_backward(dA: ArrayLike, cache: tuple, mode: str = "max") -> np.ndarray:
    """Backward pass of a pooling layer: route each output's gradient to its window.

    Max pooling sends the whole gradient to the input that won the window (on a tie,
    to the first maximum in row-major order, as TensorFlow does, so that no gradient is
    counted twice). Average pooling shares it equally between the ``f * f`` inputs.
    Overlapping windows (``stride < f``) add up their contributions.

    Parameters
    ----------
    dA : array_like, shape (m, n_H, n_W, n_C)
        Gradient of the cost with respect to the output of :func:`pool_forward`.
    cache : tuple
        ``(A_prev, hparameters)`` as returned by :func:`pool_forward`.
    mode : {"max", "average"}
        The mode the forward pass used.

    Returns
    -------
    dA_prev : ndarray, shape (m, n_H_prev, n_W_prev, n_C)
    """
    dA, args = _arguments.pool_cache(dA, cache, mode)
    A_prev, f, stride = args.A_prev, args.f, args.stride
    m, n_H, n_W, n_C = args.out_shape
    dA_prev = np.zeros(A_prev.shape, dtype=_validate.result_dtype(A_prev, dA))

    for i in range(m):
        for h, w, rows, cols in window_positions(n_H, n_W, f, stride):
            for c in range(n_C):
                if mode == "max":
                    mask = _first_only(create_mask_from_window(A_prev[i, rows, cols, c]))
                    dA_prev[i, rows, cols, c] += mask * dA[i, h, w, c]
                else:
                    dA_prev[i, rows, cols, c] += distribute_value(dA[i, h, w, c], (f, f))
    return dA_prev


def _first_only(mask):
    """Keep only the first True of a mask (ties in max pooling)."""
    first = np.zeros_like(mask)
    first.flat[np.argmax(mask)] = True
    return first


def conv3d_forward(A_prev: ArrayLike, W: ArrayLike, b: ArrayLike, hparameters: dict) -> tuple[np.ndarray, tuple]:
    """Forward pass of a 3-D convolution layer (section 4.6), one window at a time.

    The same computation as :func:`conv_forward` with one more spatial axis: each filter
    is an ``f x f x f`` cube spanning every input channel.

    Parameters
    ----------
    A_prev : array_like, shape (m, n_D_prev, n_H_prev, n_W_prev, n_C_prev)
        Input volumes.
    W : array_like, shape (f, f, f, n_C_prev, n_C)
        Filters.
    b : array_like, shape (1, 1, 1, 1, n_C)
        Biases.
    hparameters : dict
        ``{"stride": s, "pad": p}``, the same on all three spatial axes.

    Returns
    -------
    Z : ndarray, shape (m, n_D, n_H, n_W, n_C)
    cache : tuple
        ``(A_prev, W, b, hparameters)``.
    """
    args = _arguments.conv(A_prev, W, b, hparameters, dims=3)
    A_prev, W, b, f, stride, pad = args.A_prev, args.W, args.b, args.f, args.stride, args.pad
    m, n_D, n_H, n_W, n_C = args.out_shape
    Z = np.zeros(args.out_shape, dtype=_validate.result_dtype(A_prev, W, b))
    A_prev_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (pad, pad), (0, 0)))

    for i in range(m):
        for d in range(n_D):
            d0 = d * stride
            for h in range(n_H):
                h0 = h * stride
                for w in range(n_W):
                    w0 = w * stride
                    a_slice_prev = A_prev_pad[i, d0:d0 + f, h0:h0 + f, w0:w0 + f, :]
                    for c in range(n_C):
                        Z[i, d, h, w, c] = conv_single_step(a_slice_prev, W[..., c], b[..., c])

    cache = (A_prev, W, b, hparameters)
    return Z, cache
