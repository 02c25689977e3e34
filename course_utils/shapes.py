"""Shape and parameter arithmetic of convolution layers (sections 1.1 and 4.6).

All input shapes are given without the batch axis, channels last:
``(n_H, n_W, n_C)`` for images, ``(n_D, n_H, n_W, n_C)`` for volumes.
"""

from __future__ import annotations

import numpy as np

from course_utils import _validate

__all__ = [
    "conv_output_size", "conv_output_shape", "pool_output_shape",
    "conv_param_count", "dense_param_count", "same_padding", "depth_profile", "window_coverage",
]


def conv_output_size(n: int, f: int, pad: int = 0, stride: int = 1) -> int:
    """Size of one spatial axis after a convolution or pooling window slides over it.

    ``floor((n + 2*pad - f) / stride) + 1``. A window that does not tile the input
    exactly simply stops early (the floor); a window larger than the padded input is an error.

    Parameters
    ----------
    n : int
        Input size along the axis (>= 1).
    f : int
        Window (filter) size (>= 1).
    pad : int, default 0
        Zeros added on each side (>= 0).
    stride : int, default 1
        Step between windows (>= 1).

    Returns
    -------
    int
        The output size, >= 1.
    """
    n = _validate.integer(n, "n", minimum=1)
    f = _validate.integer(f, "f", minimum=1)
    pad = _validate.integer(pad, "pad", minimum=0)
    stride = _validate.integer(stride, "stride", minimum=1)
    return _validate.output_size(n, f, pad, stride, axis="this axis")


def _spatial_and_channels(input_shape):
    if not isinstance(input_shape, (tuple, list)) or len(input_shape) not in (3, 4):
        raise ValueError("input_shape must be (n_H, n_W, n_C) or (n_D, n_H, n_W, n_C), "
                         f"without the batch axis; got {input_shape!r}")
    sizes = [_validate.integer(n, f"input_shape[{i}]", minimum=1) for i, n in enumerate(input_shape)]
    return sizes[:-1], sizes[-1]


def conv_output_shape(input_shape: tuple[int, ...], f: int, n_filters: int, pad: int = 0,
                      stride: int = 1) -> tuple[int, ...]:
    """Output shape of a convolution layer with ``n_filters`` filters of size ``f``.

    Parameters
    ----------
    input_shape : tuple of int
        ``(n_H_prev, n_W_prev, n_C_prev)`` or ``(n_D_prev, n_H_prev, n_W_prev, n_C_prev)``.
    f : int
        Filter size, the same on every spatial axis.
    n_filters : int
        Number of filters: the output's channel count.
    pad, stride : int
        As in :func:`conv_output_size`.

    Returns
    -------
    tuple of int
        ``(n_H, n_W, n_filters)`` or ``(n_D, n_H, n_W, n_filters)``.
    """
    spatial, _ = _spatial_and_channels(input_shape)
    n_filters = _validate.integer(n_filters, "n_filters", minimum=1)
    return (*(conv_output_size(n, f, pad, stride) for n in spatial), n_filters)


def pool_output_shape(input_shape: tuple[int, ...], f: int, stride: int | None = None) -> tuple[int, ...]:
    """Output shape of a pooling layer (no padding); channels are pooled one by one.

    Parameters
    ----------
    input_shape : tuple of int
        ``(n_H_prev, n_W_prev, n_C)`` or ``(n_D_prev, n_H_prev, n_W_prev, n_C)``.
    f : int
        Window size.
    stride : int, optional
        Step between windows; defaults to ``f`` (non-overlapping windows, as Keras does).

    Returns
    -------
    tuple of int
        ``(n_H, n_W, n_C)`` or ``(n_D, n_H, n_W, n_C)``: the channel count is unchanged.
    """
    spatial, channels = _spatial_and_channels(input_shape)
    stride = f if stride is None else stride
    return (*(conv_output_size(n, f, 0, stride) for n in spatial), channels)


def conv_param_count(f: int, n_C_prev: int, n_filters: int, dims: int = 2) -> int:
    """Trainable parameters of a convolution layer: ``(f**dims * n_C_prev + 1) * n_filters``.

    Each filter has ``f**dims * n_C_prev`` weights and one bias; the count does not depend
    on the image size, which is what parameter sharing means.

    Parameters
    ----------
    f : int
        Filter size.
    n_C_prev : int
        Input channels.
    n_filters : int
        Number of filters.
    dims : {1, 2, 3}, default 2
        Spatial dimensions of the convolution.

    Returns
    -------
    int
    """
    f = _validate.integer(f, "f", minimum=1)
    n_C_prev = _validate.integer(n_C_prev, "n_C_prev", minimum=1)
    n_filters = _validate.integer(n_filters, "n_filters", minimum=1)
    dims = _validate.integer(dims, "dims", minimum=1)
    if dims > 3:
        raise ValueError(f"dims must be 1, 2 or 3; got {dims}")
    return (f ** dims * n_C_prev + 1) * n_filters


def dense_param_count(n_inputs: int, n_units: int) -> int:
    """Trainable parameters of a fully-connected layer: ``(n_inputs + 1) * n_units``.

    Parameters
    ----------
    n_inputs : int
        Size of the flattened input (for an image, ``n_H * n_W * n_C``).
    n_units : int
        Neurons in the layer.

    Returns
    -------
    int
    """
    n_inputs = _validate.integer(n_inputs, "n_inputs", minimum=1)
    n_units = _validate.integer(n_units, "n_units", minimum=1)
    return (n_inputs + 1) * n_units


def same_padding(f: int) -> int:
    """Padding that keeps the spatial size with stride 1: ``(f - 1) / 2``.

    Parameters
    ----------
    f : int
        An odd filter size.

    Returns
    -------
    int

    Raises
    ------
    ValueError
        For an even ``f``: no symmetric padding keeps the size. (Keras's ``padding="same"``
        then pads unevenly, ``(f - 1) // 2`` zeros before and one more after.)
    """
    f = _validate.integer(f, "f", minimum=1)
    if f % 2 == 0:
        raise ValueError(f"f must be odd for a symmetric 'same' padding; got {f} (an even filter "
                         f"needs {(f - 1) // 2} zeros before and {f // 2} after, as Keras does)")
    return (f - 1) // 2


def depth_profile(n: int, f: int, padding: str = "valid", pool_every: int | None = None,
                  max_layers: int = 60) -> list[int]:
    """Spatial size after each layer of a stack of ``f x f`` stride-1 convolutions.

    Parameters
    ----------
    n : int
        Input height and width.
    f : int
        Filter size (odd when ``padding="same"``).
    padding : {"valid", "same"}
        No padding, or ``(f - 1) / 2`` zeros that keep the size.
    pool_every : int, optional
        Put a 2x2, stride-2 max-pool after every ``pool_every`` convolutions.
    max_layers : int, default 60
        Stop counting after this many convolutions.

    Returns
    -------
    list of int
        ``[n, size after layer 1, ...]``; it ends early where the next window would no longer fit.
    """
    if padding not in ("valid", "same"):
        raise ValueError(f'padding must be "valid" or "same"; got {padding!r}')
    pad = same_padding(f) if padding == "same" else 0
    if pool_every is not None:
        pool_every = _validate.integer(pool_every, "pool_every", minimum=1)
    max_layers = _validate.integer(max_layers, "max_layers", minimum=1)
    sizes = [conv_output_size(n, 1)]
    for layer in range(1, max_layers + 1):
        current = sizes[-1]
        if f > current + 2 * pad or (pool_every and layer % pool_every == 0 and current + 2 * pad - f + 1 < 2):
            break
        size = conv_output_size(current, f, pad=pad)
        if pool_every and layer % pool_every == 0:
            size = conv_output_size(size, 2, stride=2)
        sizes.append(size)
    return sizes


def window_coverage(n: int, f: int, pad: int = 0, stride: int = 1) -> np.ndarray:
    """How many positions of an ``f x f`` window cover each pixel of an ``n x n`` input.

    The window slides over the input padded with ``pad`` zeros on each side, in steps of
    ``stride``; a pixel's count is the number of outputs it takes part in.

    Parameters
    ----------
    n : int
        Input height and width.
    f : int
        Window (filter) size.
    pad : int, default 0
        Zeros added on each side.
    stride : int, default 1
        Step between windows.

    Returns
    -------
    ndarray of int, shape (n, n)
        The count for every input pixel (the padding itself is not included).
    """
    n_out = conv_output_size(n, f, pad, stride)
    counts = np.zeros((n + 2 * pad, n + 2 * pad), dtype=int)
    for top in range(0, n_out * stride, stride):
        for left in range(0, n_out * stride, stride):
            counts[top:top + f, left:left + f] += 1
    return counts[pad:pad + n, pad:pad + n]
