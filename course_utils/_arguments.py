"""Validation of the arguments of the convolution and pooling layers.

``course_utils.conv`` (loops) and ``course_utils.conv_fast`` (vectorised) accept exactly the
same arguments, so both call these functions first. Each returns the validated arrays and
the integers the layer needs, or raises a ``ValueError``/``TypeError`` naming the argument.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from course_utils import _validate

_AXIS_NAMES = {2: ("n_H", "n_W"), 3: ("n_D", "n_H", "n_W")}


def _layout(prefix: str, dims: int, suffix: str = "_prev") -> str:
    names = ", ".join(f"{axis}{suffix}" for axis in _AXIS_NAMES[dims])
    return f"({prefix}, {names}, n_C{suffix})"


class ConvArgs(NamedTuple):
    A_prev: np.ndarray
    W: np.ndarray
    b: np.ndarray
    f: int
    stride: int
    pad: int
    out_shape: tuple  # (m, *spatial, n_C)


class PoolArgs(NamedTuple):
    A_prev: np.ndarray
    f: int
    stride: int
    out_shape: tuple  # (m, n_H, n_W, n_C)


def conv(A_prev, W, b, hparameters, dims: int = 2) -> ConvArgs:
    """Check the arguments of a ``dims``-D convolution and work out its output shape."""
    A_prev = _validate.as_numeric_array(A_prev, "A_prev", dims + 2, _layout("m", dims))
    f_axes = ", ".join(["f"] * dims)
    W = _validate.as_numeric_array(W, "W", dims + 2, f"({f_axes}, n_C_prev, n_C)")
    b = _validate.as_numeric_array(b, "b", dims + 2, f"({', '.join(['1'] * (dims + 1))}, n_C)")
    f = W.shape[0]
    if any(size != f for size in W.shape[:dims]):
        raise ValueError(f"W must have equal filter sizes on its first {dims} axes "
                         f"({f_axes}, n_C_prev, n_C); got shape {W.shape}")
    if f < 1:
        raise ValueError(f"W must have a filter size f >= 1; got shape {W.shape}")
    if W.shape[dims] != A_prev.shape[-1]:
        raise ValueError(f"W has n_C_prev={W.shape[dims]} input channels (axis {dims}) but A_prev "
                         f"has {A_prev.shape[-1]} channels (last axis); they must match")
    n_C = W.shape[-1]
    _validate.same_shape(b, (1,) * (dims + 1) + (n_C,), "b",
                         f"({', '.join(['1'] * (dims + 1))}, n_C) with n_C = W.shape[-1]")
    hp = _validate.hyperparameters(hparameters, {"stride": 1, "pad": 0})
    spatial = tuple(
        _validate.output_size(n, f, hp["pad"], hp["stride"], axis)
        for n, axis in zip(A_prev.shape[1:-1], _AXIS_NAMES[dims], strict=True))
    return ConvArgs(A_prev, W, b, f, hp["stride"], hp["pad"], (A_prev.shape[0], *spatial, n_C))


def conv_cache(dZ, cache, dims: int = 2) -> tuple[np.ndarray, ConvArgs, np.dtype]:
    """Check ``conv_backward``'s arguments: the cache of ``conv_forward`` and a matching ``dZ``.

    Also returns the dtype the gradients take (float64 unless every input is float32)."""
    if not isinstance(cache, tuple) or len(cache) != 4:
        raise TypeError("cache must be the tuple (A_prev, W, b, hparameters) returned by "
                        f"conv_forward; got {_describe(cache)}")
    args = conv(*cache, dims=dims)
    dZ = _validate.as_numeric_array(dZ, "dZ", dims + 2, _layout("m", dims, suffix=""))
    _validate.same_shape(dZ, args.out_shape, "dZ", "the shape of conv_forward's output Z")
    return dZ, args, _validate.result_dtype(args.A_prev, args.W, args.b, dZ)


def pool(A_prev, hparameters, mode) -> PoolArgs:
    """Check the arguments of a 2-D pooling layer and work out its output shape."""
    _validate.pooling_mode(mode)
    A_prev = _validate.as_numeric_array(A_prev, "A_prev", 4, _layout("m", 2))
    hp = _validate.hyperparameters(hparameters, {"f": 1, "stride": 1})
    n_H, n_W = (_validate.output_size(n, hp["f"], 0, hp["stride"], axis)
                for n, axis in zip(A_prev.shape[1:3], _AXIS_NAMES[2], strict=True))
    return PoolArgs(A_prev, hp["f"], hp["stride"], (A_prev.shape[0], n_H, n_W, A_prev.shape[3]))


def pool_cache(dA, cache, mode) -> tuple[np.ndarray, PoolArgs]:
    """Check ``pool_backward``'s arguments: the cache of ``pool_forward`` and a matching ``dA``."""
    if not isinstance(cache, tuple) or len(cache) != 2:
        raise TypeError("cache must be the tuple (A_prev, hparameters) returned by pool_forward; "
                        f"got {_describe(cache)}")
    args = pool(*cache, mode=mode)
    dA = _validate.as_numeric_array(dA, "dA", 4, "(m, n_H, n_W, n_C)")
    _validate.same_shape(dA, args.out_shape, "dA", "the shape of pool_forward's output A")
    return dA, args


def pad_amount(X, pad, dims: int = 2) -> tuple[np.ndarray, int]:
    """Check ``zero_pad``'s arguments."""
    X = _validate.as_numeric_array(X, "X", dims + 2, _layout("m", dims, suffix=""))
    return X, _validate.integer(pad, "pad", minimum=0)


def _describe(value) -> str:
    if isinstance(value, tuple):
        return f"a tuple of length {len(value)}"
    return type(value).__name__
