"""The layers of :mod:`course_utils.conv`, vectorised with numpy.

Same names, signatures, return values and caches as the loop versions, so a learner can
write ``from course_utils import conv_fast as conv`` and nothing else changes. Results
equal the loop versions up to floating-point rounding.

How it is fast, without any compiled code of its own:

- **im2col.** ``numpy.lib.stride_tricks.as_strided`` views the padded input as an array of
  windows ``(m, n_H, n_W, f, f, n_C_prev)`` without copying. Copied to a matrix with one
  row per output position (plus a column of ones, the input whose weight is the bias), the
  convolution is a single matrix product with the filters reshaped to
  ``(f*f*n_C_prev + 1, n_C)``, which BLAS runs on every core. For RGB input and small
  filters the matrix is copied by columns instead, from a channels-first copy of the input:
  same matrix, much longer contiguous runs to copy.
- **row strips.** For short window rows (RGB input), the 2-D forward pass copies each row of
  each window once (``f`` times less than im2col) into strips laid out so that the ``f``
  rows of a window are consecutive in memory; every output row's block of the im2col matrix
  is then a strided view that BLAS reads in place, in one batched product.
- **col2im.** For each of the ``f*f`` positions inside the window, the backward pass
  multiplies ``dZ`` by that position's filter weights (one batched matrix product) and adds
  the resulting block back into the input where it lies. The blocks are summed by stride
  phase in contiguous arrays, so overlapping windows accumulate without slow strided adds.
- **pooling by offsets.** Max and average pooling loop over the ``f*f`` positions inside
  the window, each step a whole-batch operation on a strided slice. The max-pooling
  backward pass finds each window's first maximum once, as an index, and routes ``dA`` with
  it, a few images at a time so that the temporaries stay in cache: to the flat index of
  that maximum in one ``np.add.at`` (in place, position by position, for 2x2 windows apart).
  The average-pooling backward pass writes the share of windows that lie apart in one
  broadcast through a writeable view of the windows.

``benchmarks/bench_conv.py`` measures all of this against TensorFlow and the loops.
"""

from __future__ import annotations

import itertools

import numpy as np
from numpy.lib.stride_tricks import as_strided
from numpy.typing import ArrayLike

from course_utils import _arguments, _validate
from course_utils import conv as _loops

# Re-exported unchanged: they act on a single window, so there is nothing to vectorise.
from course_utils.conv import conv_single_step as conv_single_step
from course_utils.conv import create_mask_from_window as create_mask_from_window
from course_utils.conv import distribute_value as distribute_value

__all__ = _loops.__all__  # the same public names as the loop versions


def zero_pad(X: ArrayLike, pad: int) -> np.ndarray:
    """Pad every image of a batch with ``pad`` zeros on its height and width.

    Parameters
    ----------
    X : array_like, shape (m, n_H, n_W, n_C)
    pad : int
        Zeros added on each side of both spatial axes (>= 0).

    Returns
    -------
    X_pad : ndarray, shape (m, n_H + 2*pad, n_W + 2*pad, n_C)
    """
    X, pad = _arguments.pad_amount(X, pad)
    return _pad_spatial(X, pad)


def _pad_spatial(X, pad):
    """Zero-pad every axis but the first and the last (2-D or 3-D), in one allocation."""
    if pad == 0:
        return X
    padded = np.zeros((X.shape[0], *(n + 2 * pad for n in X.shape[1:-1]), X.shape[-1]), X.dtype)
    padded[(slice(None), *(slice(pad, pad + n) for n in X.shape[1:-1]), slice(None))] = X
    return padded


def _windows(A_pad, f, stride, out_spatial, writeable=False):
    """View of every ``f``-sized window: shape ``(m, *out_spatial, f, ..., f, n_C)``, no copy.

    Writing through it (``writeable=True``) is only safe when windows do not overlap
    (``stride >= f``): every element of the view is then a distinct element of ``A_pad``.
    """
    dims = len(out_spatial)
    strides = A_pad.strides
    return as_strided(
        A_pad,
        shape=(A_pad.shape[0], *out_spatial, *([f] * dims), A_pad.shape[-1]),
        strides=(strides[0], *(s * stride for s in strides[1:-1]), *strides[1:-1], strides[-1]),
        writeable=writeable)


def _window_slices(f, stride, out_spatial):
    """For each position inside the window, the strided slices it touches in the padded input.

    Yields ``(offset, index)`` where ``offset`` is the position inside the window
    (a tuple of ``dims`` ints) and ``index`` selects, for every output position, the input
    element at that offset.
    """
    for offset in np.ndindex(*([f] * len(out_spatial))):
        index = tuple(slice(o, o + stride * (n - 1) + 1, stride) for o, n in zip(offset, out_spatial, strict=True))
        yield offset, (slice(None), *index, slice(None))


def _window_regions(target, f, stride, out_spatial):
    """col2im: where to add the blocks of gradient that each window position sends back.

    ``target`` is a zero-filled ``(m, n_H_prev, n_W_prev, n_C)`` array. Yields ``(k, region)``
    for each position ``k = di * f + dj`` inside the window; the caller adds to ``region``
    (``region += block``) an ``(m, n_H, n_W, n_C)`` block whose element ``[i, h, w, c]``
    belongs to input ``[i, h * stride + di, w * stride + dj, c]``. Overlapping windows add up.

    A ``+=`` on a strided slice of ``target`` is slow in numpy (its innermost run is only
    ``n_C`` numbers), so the positions are grouped by phase ``(di % stride, dj % stride)``:
    the positions of one phase land on the same sub-grid of ``target``, shifted by whole
    steps, and are summed in a contiguous array that is written to the sub-grid once, after
    the caller has added the phase's last block.
    """
    n_H, n_W = out_spatial
    for r, q in np.ndindex(min(f, stride), min(f, stride)):
        row_offsets, col_offsets = range(r, f, stride), range(q, f, stride)
        n_rows, n_cols = n_H + len(row_offsets) - 1, n_W + len(col_offsets) - 1
        grid = target[:, r:r + stride * (n_rows - 1) + 1:stride, q:q + stride * (n_cols - 1) + 1:stride]
        # No sum to keep when windows are apart (one position per phase), and with stride 1
        # the sub-grid is target itself, contiguous along a row already.
        single = len(row_offsets) * len(col_offsets) == 1
        total = grid if single or stride == 1 else np.zeros(grid.shape, target.dtype)
        for (a, di), (b, dj) in itertools.product(enumerate(row_offsets), enumerate(col_offsets)):
            yield di * f + dj, total[:, a:a + n_H, b:b + n_W]
        if total is not grid:
            grid[...] = total


def _im2col(A_prev, f, stride, pad, out_spatial, dtype):
    """The im2col matrix ``(m * prod(out_spatial), f**dims * n_C_prev + 1)``.

    One row per output position: its window, flattened in the order of ``W.reshape(-1, n_C)``
    (positions inside the window, then channels), then a 1, the input whose weight is the
    bias (so that one product gives ``Z`` with its bias, and one product gives ``dW`` and ``db``).

    BLAS takes a matrix stored by rows or by columns, so the memory order is chosen for the
    copy, the larger cost when windows are small:

    - by rows, the windows view copied as it is, unless a row of a window (``f * n_C_prev``
      numbers, contiguous in ``A_prev``) is short;
    - by columns for short window rows, as for RGB input and small filters (runs of ``f * 3``
      numbers): the matrix is the transpose of a ``(window_size + 1, rows)`` array whose rows
      are copied, ``n_W`` numbers at a time, from a channels-first copy of the input.
    """
    n_rows = A_prev.shape[0] * int(np.prod(out_spatial))
    window_size = f ** len(out_spatial) * A_prev.shape[-1]
    if f * A_prev.shape[-1] >= _SHORT_WINDOW_ROW:
        windows = _windows(_pad_spatial(A_prev.astype(dtype, copy=False), pad), f, stride, out_spatial)
        cols = np.empty((n_rows, window_size + 1), dtype)
        cols[:, :-1].reshape(windows.shape)[...] = windows  # a view: each axis of cols is split on its own
        cols[:, -1] = 1
        return cols
    return _columns_then_transpose(A_prev, f, stride, pad, out_spatial, dtype).T


def _columns_then_transpose(A_prev, f, stride, pad, out_spatial, dtype):
    """The transpose of :func:`_im2col`'s matrix, ``(window_size + 1, rows)``, copied by rows.

    Row ``(offset, c)`` holds channel ``c`` at window position ``offset`` for every output
    position: one strided slice of a channels-first, zero-padded copy of the input.
    """
    m, *spatial, n_C_prev = A_prev.shape
    planes = np.zeros((n_C_prev, m, *(n + 2 * pad for n in spatial)), dtype)
    planes[(slice(None), slice(None), *(slice(pad, pad + n) for n in spatial))] = np.moveaxis(A_prev, -1, 0)
    columns = np.empty((f ** len(spatial) * n_C_prev + 1, m * int(np.prod(out_spatial))), dtype)
    per_position = columns[:-1].reshape(*[f] * len(spatial), n_C_prev, m, *out_spatial)
    for offset, index in _window_slices(f, stride, out_spatial):
        per_position[offset] = planes[(slice(None), *index[:-1])]  # index: (images, *spatial slices, channels)
    columns[-1] = 1
    return columns


def _batch_chunks(m, bytes_per_image, budget):
    """Slices of the batch of ``m`` images, each about ``budget`` bytes of ``bytes_per_image``.

    Working on a few images at a time keeps the temporaries in cache between the steps
    that read them, instead of streaming whole-batch arrays through memory at each step.
    """
    per_chunk = max(1, budget // max(1, bytes_per_image))
    return [slice(start, start + per_chunk) for start in range(0, m, per_chunk)]


def _image_chunks(args, dtype):
    """Slices of the batch whose im2col matrix is about 4 MB: it stays in cache for the product."""
    m, *out_spatial, _ = args.out_shape
    row_bytes = args.f ** len(out_spatial) * args.A_prev.shape[-1] * np.dtype(dtype).itemsize
    return _batch_chunks(m, row_bytes * int(np.prod(out_spatial)), _CHUNK_BYTES)


_CHUNK_BYTES = 4 * 2 ** 20
# Numbers in a row of a window below which _im2col copies by columns. Measured: for RGB windows
# up to 4x4 the faster copy wins; for 7x7 ones the larger product, faster by rows, dominates.
_SHORT_WINDOW_ROW = 16
# Numbers in a row of a window below which the 2-D forward pass uses _row_strips instead of
# im2col. Measured: RGB windows (up to 7x7, 21 numbers) copy slowly into im2col and win by far;
# with 16 channels and more, im2col copies fast and its single large product wins.
_STRIPS_WINDOW_ROW = 32
_STRIPS_CHUNK_BYTES = 2 ** 20
# Positions in a window up to which max-pool backward routes windows that lie apart in place.
# Measured: in place wins for 2x2 windows, the routing by index from 3x3 on (and for 8x8, by far).
_IN_PLACE_POSITIONS = 4
_POOL_CHUNK_BYTES = 2 ** 18  # of pooled output per chunk: the per-window temporaries stay in L2


def _conv_forward(args):
    dtype = _validate.result_dtype(args.A_prev, args.W, args.b)
    if len(args.out_shape) == 4 and args.f * args.A_prev.shape[-1] < _STRIPS_WINDOW_ROW:
        return _conv_forward_by_strips(args, dtype)
    out_spatial = args.out_shape[1:-1]
    n_C = args.W.shape[-1]
    Wb = _weights_and_bias(args.W, args.b, dtype)
    Z = np.empty(args.out_shape, dtype)
    for images in _image_chunks(args, dtype):
        cols = _im2col(args.A_prev[images], args.f, args.stride, args.pad, out_spatial, dtype)
        np.matmul(cols, Wb, out=Z[images].reshape(-1, n_C))
    return Z


def _conv_forward_by_strips(args, dtype):
    """2-D forward pass for short window rows: one batched product over :func:`_row_strips`.

    The windows of output row ``h`` are a strided view of the strips (see
    :func:`_strip_windows`), so no im2col matrix is copied: the copy is ``f`` times smaller.
    BLAS runs one product per output row, ``(n_W, window) @ (window, n_C)``, written
    straight into ``Z``.
    """
    m, n_H, n_W, n_C = args.out_shape
    f, n_C_prev = args.f, args.A_prev.shape[-1]
    # Rows of the weight matrix in the order of a strip window: (di, c, dj).
    W_rows = args.W.astype(dtype, copy=False).transpose(0, 2, 1, 3).reshape(-1, n_C)
    # The bias repeated along an output row: a long inner loop for the addition, much faster
    # than broadcasting n_C numbers at a time.
    b_row = np.tile(args.b.astype(dtype, copy=False).reshape(n_C), n_W)
    Z = np.empty(args.out_shape, dtype)
    strip_bytes = (args.A_prev.shape[1] + 2 * args.pad) * n_C_prev * f * n_W * np.dtype(dtype).itemsize
    for images in _batch_chunks(m, strip_bytes, _STRIPS_CHUNK_BYTES):
        strips = _row_strips(args.A_prev[images], f, args.stride, args.pad, n_W, dtype)
        Z_chunk = Z[images]
        np.matmul(_strip_windows(strips, args.stride, n_H), W_rows, out=Z_chunk)
        Z_chunk.reshape(-1, n_W * n_C)[...] += b_row
    return Z


def _row_strips(A_prev, f, stride, pad, n_W, dtype):
    """Every row of every window, copied once: ``(m, n_H_prev + 2*pad, n_C_prev, f, n_W)``.

    ``strips[i, r, c, dj, w]`` is channel ``c`` of the zero-padded input at row ``r``,
    column ``w * stride + dj``: the ``f`` numbers of channel ``c`` that window column ``w``
    covers on row ``r``, laid out so that output columns ``w`` are contiguous.
    """
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    # Channels-first rows, zero-padded in the same copy: each strip is then read from a
    # contiguous run (every stride-th number of it), not gathered channel by channel.
    rows = np.zeros((m, n_H_prev + 2 * pad, n_C_prev, n_W_prev + 2 * pad), dtype)
    rows[:, pad:pad + n_H_prev, :, pad:pad + n_W_prev] = A_prev.transpose(0, 1, 3, 2)
    s = rows.strides
    strips = as_strided(rows, (*rows.shape[:3], f, n_W), (*s, s[3] * stride), writeable=False)
    return strips.copy()


def _strip_windows(strips, stride, n_H):
    """View of the windows, ``(m, n_H, n_W, f * n_C_prev * f)``, no copy.

    The window of output ``[i, h, w]`` spans strip rows ``h * stride`` to ``h * stride + f - 1``,
    which lie one after the other in memory: for an output row, the ``f`` strip rows form a
    ``(f * n_C_prev * f, n_W)`` matrix, whose transpose is that row's block of the im2col
    matrix, in place. Consecutive output rows share ``f - stride`` strip rows, which is why
    this view cannot be one matrix and the product is batched over output rows.
    """
    m, _, n_C_prev, f, n_W = strips.shape
    s = strips.strides
    return as_strided(strips, (m, n_H, n_W, f * n_C_prev * f), (s[0], s[1] * stride, s[4], s[3]), writeable=False)


def _weights_and_bias(W, b, dtype):
    """``(f**dims * n_C_prev + 1, n_C)``: W as a matrix, the bias as its last row (see :func:`_im2col`)."""
    n_C = W.shape[-1]
    return np.concatenate([W.reshape(-1, n_C), b.reshape(1, n_C)]).astype(dtype, copy=False)


def conv_forward(A_prev: ArrayLike, W: ArrayLike, b: ArrayLike, hparameters: dict) -> tuple[np.ndarray, tuple]:
    """Forward pass of a convolution layer (no activation), as one matrix product.

    Parameters
    ----------
    A_prev : array_like, shape (m, n_H_prev, n_W_prev, n_C_prev)
    W : array_like, shape (f, f, n_C_prev, n_C)
    b : array_like, shape (1, 1, 1, n_C)
    hparameters : dict
        ``{"stride": s, "pad": p}``.

    Returns
    -------
    Z : ndarray, shape (m, n_H, n_W, n_C)
    cache : tuple
        ``(A_prev, W, b, hparameters)``.
    """
    args = _arguments.conv(A_prev, W, b, hparameters)
    return _conv_forward(args), (args.A_prev, args.W, args.b, hparameters)


def conv_backward(dZ: ArrayLike, cache: tuple) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Backward pass of a convolution layer: im2col for ``dW``, col2im for ``dA_prev``.

    Parameters
    ----------
    dZ : array_like, shape (m, n_H, n_W, n_C)
    cache : tuple
        ``(A_prev, W, b, hparameters)`` from :func:`conv_forward`.

    Returns
    -------
    dA_prev : ndarray, shape (m, n_H_prev, n_W_prev, n_C_prev)
    dW : ndarray, shape (f, f, n_C_prev, n_C)
    db : ndarray, shape (1, 1, 1, n_C)
    """
    dZ, args, dtype = _arguments.conv_cache(dZ, cache)
    A_prev, W, f, stride, pad = args.A_prev, args.W, args.f, args.stride, args.pad
    m, n_H, n_W, n_C = args.out_shape
    n_H_prev, n_W_prev, n_C_prev = A_prev.shape[1:]
    dZ = dZ.astype(dtype, copy=False)
    dWb = np.zeros((f * f * n_C_prev + 1, n_C), dtype)  # dW as a matrix, then db (see _im2col)
    dA_prev_pad = np.zeros((m, n_H_prev + 2 * pad, n_W_prev + 2 * pad, n_C_prev), dtype)
    # W[di, dj] as (n_C, n_C_prev) for each of the f*f positions (di, dj) inside the window.
    per_offset = W.astype(dtype, copy=False).reshape(f * f, n_C_prev, n_C).transpose(0, 2, 1)
    for images in _image_chunks(args, dtype):
        dZ_rows = dZ[images].reshape(-1, n_C)
        cols = _im2col(A_prev[images], f, stride, pad, (n_H, n_W), dtype)
        dWb += cols.T @ dZ_rows
        # Gradient reaching the input element under position (di, dj) of every window:
        # dZ @ W[di, dj].T, one contiguous block per position, added where it lies in the input.
        dcols = np.matmul(dZ_rows, per_offset)  # (f*f, images * n_H * n_W, n_C_prev)
        for k, region in _window_regions(dA_prev_pad[images], f, stride, (n_H, n_W)):
            region += dcols[k].reshape(region.shape)
    dW, db = dWb[:-1].reshape(W.shape), dWb[-1].reshape(args.b.shape)
    return dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :], dW, db


def pool_forward(A_prev: ArrayLike, hparameters: dict, mode: str = "max") -> tuple[np.ndarray, tuple]:
    """Forward pass of a pooling layer (no padding), one whole-batch step per window offset.

    Parameters
    ----------
    A_prev : array_like, shape (m, n_H_prev, n_W_prev, n_C)
    hparameters : dict
        ``{"f": f, "stride": s}``.
    mode : {"max", "average"}

    Returns
    -------
    A : ndarray, shape (m, n_H, n_W, n_C)
    cache : tuple
        ``(A_prev, hparameters)``.
    """
    args = _arguments.pool(A_prev, hparameters, mode)
    A_prev = args.A_prev.astype(_validate.result_dtype(args.A_prev), copy=False)
    slices = [index for _, index in _window_slices(args.f, args.stride, args.out_shape[1:3])]
    A = A_prev[slices[0]].copy()
    for index in slices[1:]:
        if mode == "max":
            np.maximum(A, A_prev[index], out=A)
        else:
            A += A_prev[index]
    if mode == "average":
        A /= args.f * args.f
    return A, (args.A_prev, hparameters)


def pool_backward(dA: ArrayLike, cache: tuple, mode: str = "max") -> np.ndarray:
    """Backward pass of a pooling layer.

    Max pooling gives each output's gradient to the first input of its window that
    equals the window's maximum (TensorFlow's rule on ties); average pooling spreads it
    evenly. Overlapping windows add up.

    Parameters
    ----------
    dA : array_like, shape (m, n_H, n_W, n_C)
    cache : tuple
        ``(A_prev, hparameters)`` from :func:`pool_forward`.
    mode : {"max", "average"}

    Returns
    -------
    dA_prev : ndarray, shape (m, n_H_prev, n_W_prev, n_C)
    """
    dA, args = _arguments.pool_cache(dA, cache, mode)
    dtype = _validate.result_dtype(args.A_prev, dA)
    A_prev = args.A_prev.astype(dtype, copy=False)
    dA = dA.astype(dtype, copy=False)
    dA_prev = np.zeros(A_prev.shape, dtype)
    f, stride, out_spatial = args.f, args.stride, args.out_shape[1:3]
    slices = [index for _, index in _window_slices(f, stride, out_spatial)]
    chunks = _batch_chunks(dA.shape[0], dA[:1].nbytes, _POOL_CHUNK_BYTES)
    # Windows apart with few positions: each position's part is written in place, one pass
    # a position, fewer passes than the routing by index below.
    in_place = stride >= f and f * f <= _IN_PLACE_POSITIONS
    if mode == "max" and not in_place:
        origins, position_offsets = _flat_window_indexes(chunks[0].stop, A_prev.shape[1:], f, stride, out_spatial)
    for images in chunks:
        dA_chunk, dA_prev_chunk = dA[images], dA_prev[images]
        if mode == "average":
            share = dA_chunk / (f * f)
            if stride >= f:  # windows apart: one broadcast write into all of them at once
                _windows(dA_prev_chunk, f, stride, out_spatial, writeable=True)[...] = share[:, :, :, None, None, :]
            else:
                for _, region in _window_regions(dA_prev_chunk, f, stride, out_spatial):
                    region += share
            continue
        first = _first_max_offsets(A_prev[images], slices)
        if in_place:
            # dA * (first == k): multiplying by the boolean mask is much faster than np.where,
            # whose branches a random mask defeats.
            for k, index in enumerate(slices):
                np.multiply(dA_chunk, first == k, out=dA_prev_chunk[index])
        else:
            # Each window's dA goes to the flat index of its first maximum, all in one np.add.at,
            # which sums where overlapping windows share their maximum: a few passes, whatever
            # the number of positions in a window.
            targets = np.take(position_offsets, first)
            targets += origins[:len(dA_chunk)]
            np.add.at(dA_prev_chunk.reshape(-1), targets.reshape(-1), dA_chunk.reshape(-1))
    return dA_prev


def _flat_window_indexes(m, image_shape, f, stride, out_spatial):
    """Where the windows lie in ``m`` images of ``image_shape`` ``(n_H, n_W, n_C)``, flattened.

    Returns
    -------
    origins : ndarray of intp, shape (m, n_H_out, n_W_out, n_C)
        For every pooled output, the flat index of its window's first element (channel included).
    position_offsets : ndarray of intp, shape (f * f,)
        For every position ``k = di * f + dj`` inside a window, its distance from the first element.
    """
    n_H, n_W, n_C = image_shape
    origins = np.ravel_multi_index(np.ix_(range(m), range(0, stride * out_spatial[0], stride),
                                          range(0, stride * out_spatial[1], stride), range(n_C)),
                                   (m, n_H, n_W, n_C))
    position_offsets = np.ravel_multi_index(np.indices((f, f)).reshape(2, -1), (n_H, n_W)) * n_C
    return origins.astype(np.intp), position_offsets.astype(np.intp)


def _first_max_offsets(A_prev, slices):
    """For every window, the position ``k`` in ``slices`` of its first maximum (row-major order).

    One pass per position ``k`` keeps the running maximum and moves the winner to ``k`` only
    where ``A_prev[slices[k]]`` is strictly greater, so a tie stays with the earlier position,
    as in the loop version. Shape of the result: the pooled output's, small unsigned ints.
    """
    best = A_prev[slices[0]].copy()
    new_best = np.empty_like(best)
    first = np.zeros(best.shape, np.min_scalar_type(len(slices) - 1))
    # Buffers for the wins of a position: 0 or 1 as uint8, through a bool view, then times k
    # in first's dtype (the same buffer when that is uint8): no temporaries, no mixed types.
    wins = np.empty(best.shape, np.uint8)
    k_wins = wins if first.dtype == wins.dtype else np.empty_like(first)
    for k, index in enumerate(slices[1:], start=1):
        np.maximum(best, A_prev[index], out=new_best)
        # new_best > best exactly where position k beat all before it (compared in contiguous
        # arrays, cheaper than comparing with the strided slice again).
        np.greater(new_best, best, out=wins.view(bool))
        # first = max(first, k * wins): k grows, so the last win is kept; no branchy masked write.
        np.multiply(wins, first.dtype.type(k), out=k_wins)
        np.maximum(first, k_wins, out=first)
        best, new_best = new_best, best
    return first


def conv3d_forward(A_prev: ArrayLike, W: ArrayLike, b: ArrayLike, hparameters: dict) -> tuple[np.ndarray, tuple]:
    """Forward pass of a 3-D convolution layer, as one matrix product (see :func:`conv_forward`).

    Parameters
    ----------
    A_prev : array_like, shape (m, n_D_prev, n_H_prev, n_W_prev, n_C_prev)
    W : array_like, shape (f, f, f, n_C_prev, n_C)
    b : array_like, shape (1, 1, 1, 1, n_C)
    hparameters : dict
        ``{"stride": s, "pad": p}``.

    Returns
    -------
    Z : ndarray, shape (m, n_D, n_H, n_W, n_C)
    cache : tuple
        ``(A_prev, W, b, hparameters)``.
    """
    args = _arguments.conv(A_prev, W, b, hparameters, dims=3)
    return _conv_forward(args), (args.A_prev, args.W, args.b, hparameters)
