"""Inception blocks (section 2.3): several filter sizes side by side, made cheap by 1x1 convolutions.

An inception block runs four branches on the same input and concatenates their outputs on
the channel axis: a 1x1 convolution; a 1x1 "bottleneck" then a 3x3; a 1x1 bottleneck then a
5x5; and a 3x3 max-pool then a 1x1. The bottlenecks shrink the number of channels before the
expensive 3x3 and 5x5 convolutions, which is where most of the saving comes from.
"""

from __future__ import annotations

import keras
from keras import layers

from course_utils import _validate

__all__ = ["inception_block", "conv_multiplications", "inception_multiplications"]


def inception_block(X, n_1x1=64, n_3x3_reduce=96, n_3x3=128, n_5x5_reduce=16, n_5x5=32, n_pool_proj=32,
                    initializer=keras.initializers.GlorotUniform, seed=0, bottleneck=True):
    """One inception block; the defaults are GoogLeNet's block 3a.

    Every convolution has "same" padding, stride 1 and a ReLU, so all four branches keep the
    input's height and width and can be concatenated. With ``bottleneck=False`` the block is
    the lecture's naive one: the 3x3 and 5x5 convolutions see every input channel and the
    max-pooled input is concatenated as it is, so the output has
    ``n_1x1 + n_3x3 + n_5x5 + n_C`` channels.

    Parameters
    ----------
    X : tensor, shape (m, n_H, n_W, n_C)
        Symbolic Keras tensor or eager array.
    n_1x1 : int
        Filters of the 1x1 branch.
    n_3x3_reduce, n_3x3 : int
        Filters of the 1x1 bottleneck and of the 3x3 convolution after it.
    n_5x5_reduce, n_5x5 : int
        Filters of the 1x1 bottleneck and of the 5x5 convolution after it.
    n_pool_proj : int
        Filters of the 1x1 convolution after the 3x3 max-pool (stride 1, same padding).
    initializer : callable, default ``keras.initializers.GlorotUniform``
        Called as ``initializer(seed=seed + i)`` for the block's i-th convolution.
    seed : int, default 0
        Seed of the first convolution's weights (each convolution gets its own).
    bottleneck : bool, default True
        False builds the naive block (``n_3x3_reduce``, ``n_5x5_reduce`` and ``n_pool_proj``
        are then not used).

    Returns
    -------
    tensor, shape (m, n_H, n_W, n_1x1 + n_3x3 + n_5x5 + n_pool_proj)
        With ``bottleneck=False``: ``(m, n_H, n_W, n_1x1 + n_3x3 + n_5x5 + n_C)``.
    """
    shape = getattr(X, "shape", None)
    if shape is None or len(shape) != 4:
        raise ValueError(f"X must be a 4-D tensor (m, n_H, n_W, n_C); got shape {shape}")
    counts = {name: _validate.integer(value, name, minimum=1) for name, value in [
        ("n_1x1", n_1x1), ("n_3x3_reduce", n_3x3_reduce), ("n_3x3", n_3x3),
        ("n_5x5_reduce", n_5x5_reduce), ("n_5x5", n_5x5), ("n_pool_proj", n_pool_proj)]}
    seed = _validate.integer(seed, "seed", minimum=0)
    seeds = iter(range(seed, seed + 7))

    def conv(tensor, n_filters, f):
        return layers.Conv2D(n_filters, f, padding="same", activation="relu",
                             kernel_initializer=initializer(seed=next(seeds)))(tensor)

    pooled = layers.MaxPooling2D(3, strides=1, padding="same")(X)
    branch_1 = conv(X, counts["n_1x1"], 1)
    if not bottleneck:
        return layers.Concatenate(axis=-1)([branch_1, conv(X, counts["n_3x3"], 3), conv(X, counts["n_5x5"], 5), pooled])
    branch_3 = conv(conv(X, counts["n_3x3_reduce"], 1), counts["n_3x3"], 3)
    branch_5 = conv(conv(X, counts["n_5x5_reduce"], 1), counts["n_5x5"], 5)
    branch_pool = conv(pooled, counts["n_pool_proj"], 1)
    return layers.Concatenate(axis=-1)([branch_1, branch_3, branch_5, branch_pool])


def conv_multiplications(n_H, n_W, n_C_prev, f, n_C):
    """Multiplications of a stride-1, same-padding convolution: ``n_H * n_W * n_C * f * f * n_C_prev``.

    Each of the ``n_H * n_W * n_C`` outputs is a sum of ``f * f * n_C_prev`` products.

    Parameters
    ----------
    n_H, n_W : int
        Output height and width (equal to the input's with same padding).
    n_C_prev : int
        Input channels.
    f : int
        Filter size.
    n_C : int
        Number of filters.

    Returns
    -------
    int
    """
    values = [_validate.integer(v, name, minimum=1) for v, name in
              [(n_H, "n_H"), (n_W, "n_W"), (n_C_prev, "n_C_prev"), (f, "f"), (n_C, "n_C")]]
    n_H, n_W, n_C_prev, f, n_C = values
    return n_H * n_W * n_C * f * f * n_C_prev


def inception_multiplications(input_shape, n_1x1=64, n_3x3_reduce=96, n_3x3=128, n_5x5_reduce=16, n_5x5=32,
                              n_pool_proj=32, bottleneck=True):
    """Multiplications of one :func:`inception_block`, with or without the 1x1 bottlenecks.

    Parameters
    ----------
    input_shape : tuple of int
        ``(n_H, n_W, n_C_prev)`` of the block's input.
    n_1x1, n_3x3_reduce, n_3x3, n_5x5_reduce, n_5x5, n_pool_proj : int
        As in :func:`inception_block`.
    bottleneck : bool, default True
        False counts the naive block, whose 3x3 and 5x5 convolutions see all ``n_C_prev``
        input channels and whose pooling branch has no 1x1 projection (the pooled input is
        concatenated as it is, costing no multiplication).

    Returns
    -------
    dict of str to int
        Multiplications per branch (``"1x1"``, ``"3x3"``, ``"5x5"``, ``"pool"``) and ``"total"``.
    """
    if not isinstance(input_shape, (tuple, list)) or len(input_shape) != 3:
        raise ValueError(f"input_shape must be (n_H, n_W, n_C_prev); got {input_shape!r}")
    n_H, n_W, n_C_prev = input_shape
    cost = {"1x1": conv_multiplications(n_H, n_W, n_C_prev, 1, n_1x1)}
    if bottleneck:
        cost["3x3"] = (conv_multiplications(n_H, n_W, n_C_prev, 1, n_3x3_reduce)
                       + conv_multiplications(n_H, n_W, n_3x3_reduce, 3, n_3x3))
        cost["5x5"] = (conv_multiplications(n_H, n_W, n_C_prev, 1, n_5x5_reduce)
                       + conv_multiplications(n_H, n_W, n_5x5_reduce, 5, n_5x5))
        cost["pool"] = conv_multiplications(n_H, n_W, n_C_prev, 1, n_pool_proj)
    else:
        cost["3x3"] = conv_multiplications(n_H, n_W, n_C_prev, 3, n_3x3)
        cost["5x5"] = conv_multiplications(n_H, n_W, n_C_prev, 5, n_5x5)
        cost["pool"] = 0
    cost["total"] = sum(cost.values())
    return cost
