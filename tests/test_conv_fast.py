"""conv_fast against the loop versions, on the shapes where its fast paths differ.

conv_fast's 2-D forward pass multiplies row strips in place when a window row is short
(``f * n_C_prev`` against ``_STRIPS_WINDOW_ROW``) and im2col otherwise; im2col is copied by
rows or by columns depending on the same length (against ``_SHORT_WINDOW_ROW``). It sums
col2im by stride phase, and routes max-pooling gradients to each window's first maximum,
in place for small windows apart (up to ``_IN_PLACE_POSITIONS``), by flat index otherwise.
Each of those paths is compared here with the readable loops of course_utils.conv, ties and overlaps included.
"""

import numpy as np
import pytest

from course_utils import conv, conv_fast

# (m, n_H_prev, n_W_prev, n_C_prev, f, n_C, stride, pad): 1 and 3 channels, odd sizes,
# strides 1-3, pads 0-2, window rows on both sides of the layout threshold.
CONV_CONFIGS = [
    (2, 7, 9, 1, 3, 4, 1, 1),  # 1 channel: by columns
    (3, 9, 7, 3, 4, 5, 2, 1),  # RGB 4x4 stride 2: by columns
    (2, 5, 7, 2, 5, 3, 2, 2),  # overlapping windows, stride 2, pad 2: by columns
    (2, 11, 8, 3, 7, 2, 1, 0),  # RGB 7x7, 21 numbers a window row: by rows
    (2, 6, 5, 8, 2, 3, 1, 2),  # 16 numbers, at the threshold: by rows
    (1, 9, 9, 6, 3, 4, 3, 1),  # stride 3: by rows
    (2, 8, 8, 16, 1, 4, 1, 0),  # 1x1 filters: by rows
    (2, 10, 9, 2, 2, 3, 3, 1),  # windows with gaps (stride 3 > f = 2): strips skip rows
    (1, 5, 3, 3, 3, 2, 1, 0),  # a single output column (n_W = 1)
    (2, 7, 6, 16, 3, 4, 1, 1),  # 48 numbers a window row: forward by im2col, not strips
    (1, 9, 8, 8, 4, 3, 2, 1),  # 32 numbers, at the strips threshold, stride 2: forward by im2col
]

# (m, n_H_prev, n_W_prev, n_C, f, stride): apart (stride = f), gaps (stride > f), overlapping
# (stride < f), ragged edges, a single window.
POOL_CONFIGS = [
    (2, 8, 8, 3, 2, 2),
    (2, 9, 7, 2, 2, 3),
    (2, 9, 9, 2, 3, 2),
    (1, 7, 8, 3, 3, 1),
    (3, 6, 5, 1, 4, 1),
    (1, 4, 4, 2, 4, 4),
    (2, 11, 10, 2, 3, 4),  # gaps, 9 positions: routed by index, not in place
]


def _conv_arrays(config, seed, dtype=np.float64):
    m, n_H, n_W, n_C_prev, f, n_C, stride, pad = config
    rng = np.random.default_rng(seed)
    A_prev = rng.standard_normal((m, n_H, n_W, n_C_prev)).astype(dtype)
    W = rng.standard_normal((f, f, n_C_prev, n_C)).astype(dtype)
    b = rng.standard_normal((1, 1, 1, n_C)).astype(dtype)
    return A_prev, W, b, {"stride": stride, "pad": pad}


def test_the_configurations_reach_both_im2col_layouts():
    by_rows = {f * n_C_prev >= conv_fast._SHORT_WINDOW_ROW for _, _, _, n_C_prev, f, *_ in CONV_CONFIGS}
    assert by_rows == {True, False}


def test_the_pool_configurations_reach_both_max_routings():
    in_place = {stride >= f and f * f <= conv_fast._IN_PLACE_POSITIONS for *_, f, stride in POOL_CONFIGS}
    assert in_place == {True, False}


def test_the_configurations_reach_both_forward_paths():
    by_strips = {f * n_C_prev < conv_fast._STRIPS_WINDOW_ROW for _, _, _, n_C_prev, f, *_ in CONV_CONFIGS}
    assert by_strips == {True, False}


@pytest.mark.parametrize("config", CONV_CONFIGS, ids=str)
def test_conv_forward_and_backward_match_the_loops(config):
    A_prev, W, b, hp = _conv_arrays(config, seed=1)
    Z, cache = conv_fast.conv_forward(A_prev, W, b, hp)
    Z_loops, cache_loops = conv.conv_forward(A_prev, W, b, hp)
    np.testing.assert_allclose(Z, Z_loops, rtol=1e-10, atol=1e-10)
    assert cache[0] is A_prev and cache[1] is W and cache[2] is b and cache[3] is hp

    dZ = np.random.default_rng(2).standard_normal(Z.shape)
    for name, fast, slow in zip(["dA_prev", "dW", "db"], conv_fast.conv_backward(dZ, cache),
                                conv.conv_backward(dZ, cache_loops), strict=True):
        assert fast.shape == slow.shape, name
        np.testing.assert_allclose(fast, slow, rtol=1e-10, atol=1e-10, err_msg=name)


@pytest.mark.parametrize("config", CONV_CONFIGS, ids=str)
def test_float32_conv_stays_float32_and_close_to_the_loops(config):
    A_prev, W, b, hp = _conv_arrays(config, seed=3, dtype=np.float32)
    Z, cache = conv_fast.conv_forward(A_prev, W, b, hp)
    assert Z.dtype == np.float32
    np.testing.assert_allclose(Z, conv.conv_forward(A_prev, W, b, hp)[0], rtol=1e-4, atol=1e-4)
    dZ = np.random.default_rng(4).standard_normal(Z.shape).astype(np.float32)
    for fast, slow in zip(conv_fast.conv_backward(dZ, cache), conv.conv_backward(dZ, cache), strict=True):
        assert fast.dtype == np.float32
        np.testing.assert_allclose(fast, slow, rtol=1e-4, atol=1e-3)


@pytest.mark.parametrize("n_C_prev", [2, 6], ids=["by columns", "by rows"])
def test_conv3d_forward_matches_the_loops_in_both_layouts(n_C_prev):
    rng = np.random.default_rng(5)
    A_prev = rng.standard_normal((2, 4, 5, 6, n_C_prev))
    W = rng.standard_normal((3, 3, 3, n_C_prev, 2))
    b = rng.standard_normal((1, 1, 1, 1, 2))
    hp = {"stride": 2, "pad": 1}
    np.testing.assert_allclose(conv_fast.conv3d_forward(A_prev, W, b, hp)[0], conv.conv3d_forward(A_prev, W, b, hp)[0],
                               rtol=1e-10, atol=1e-10)


def _pool_input(config, seed, values):
    m, n_H, n_W, n_C, f, stride = config
    rng = np.random.default_rng(seed)
    shape = (m, n_H, n_W, n_C)
    if values == "continuous":
        A_prev = rng.standard_normal(shape)
    elif values == "ties":  # three values only: most windows hold their maximum more than once
        A_prev = rng.integers(0, 3, size=shape).astype(float)
    else:  # "constant": every window ties everywhere
        A_prev = np.full(shape, 1.5)
    return A_prev, {"f": f, "stride": stride}


@pytest.mark.parametrize("values", ["continuous", "ties", "constant"])
@pytest.mark.parametrize("mode", ["max", "average"])
@pytest.mark.parametrize("config", POOL_CONFIGS, ids=str)
def test_pooling_matches_the_loops(config, mode, values):
    A_prev, hp = _pool_input(config, seed=6, values=values)
    A, cache = conv_fast.pool_forward(A_prev, hp, mode)
    A_loops, _ = conv.pool_forward(A_prev, hp, mode)
    np.testing.assert_allclose(A, A_loops, rtol=0 if mode == "max" else 1e-12, atol=0)
    dA = np.random.default_rng(7).standard_normal(A.shape)
    got = conv_fast.pool_backward(dA, cache, mode)
    np.testing.assert_allclose(got, conv.pool_backward(dA, cache, mode), rtol=1e-12, atol=1e-12)
    assert np.isclose(got.sum(), dA.sum())  # every output's gradient reaches the input once


def test_max_pool_ties_go_to_the_first_maximum_in_row_major_order():
    A_prev = np.array([[0, 2, 1], [2, 2, 0], [1, 0, 2]], dtype=float).reshape(1, 3, 3, 1)
    A, cache = conv_fast.pool_forward(A_prev, {"f": 2, "stride": 1}, "max")
    dA = np.array([[1.0, 10.0], [100.0, 1000.0]]).reshape(1, 2, 2, 1)
    got = conv_fast.pool_backward(dA, cache, "max")[0, :, :, 0]
    # Windows: top-left and top-right both pick (0, 1); bottom-left (1, 0); bottom-right (1, 1).
    np.testing.assert_array_equal(got, [[0, 11, 0], [100, 1000, 0], [0, 0, 0]])


def test_max_pool_backward_with_more_window_positions_than_a_byte_holds():
    """17 x 17 = 289 positions: the index of the last one does not fit in a uint8."""
    A_prev = np.zeros((1, 18, 18, 2))
    A_prev[0, 16, 16, 0] = 1.0  # the maximum of the top-left window, at its very last position
    A_prev[0, 17, 0, 1] = 1.0  # channel 1: first column of the bottom-left window's last row
    A, cache = conv_fast.pool_forward(A_prev, {"f": 17, "stride": 1}, "max")
    dA = np.arange(1.0, 1.0 + A.size).reshape(A.shape)
    got = conv_fast.pool_backward(dA, cache, "max")
    np.testing.assert_allclose(got, conv.pool_backward(dA, cache, "max"), rtol=0, atol=0)
    assert got[0, 16, 16, 0] > 0 and got[0, 17, 0, 1] > 0
