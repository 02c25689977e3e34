"""Every public layer function rejects bad input with an error that names the argument."""

import numpy as np
import pytest

rng = np.random.default_rng(0)
A = rng.standard_normal((2, 5, 5, 3))
W = rng.standard_normal((3, 3, 3, 4))
b = rng.standard_normal((1, 1, 1, 4))
HP = {"stride": 1, "pad": 1}
POOL_HP = {"f": 2, "stride": 2}

CONV_FORWARD_ERRORS = [
    ((A[0], W, b, HP), ValueError, r"A_prev must be a 4-D array .*got a 3-D array"),
    ((A, W[0], b, HP), ValueError, r"W must be a 4-D array"),
    ((A, W, b.ravel(), HP), ValueError, r"b must be a 4-D array"),
    ((A, W[:, :, :2], b, HP), ValueError, r"W has n_C_prev=2 .* A_prev has 3 channels"),
    ((A, W, b[..., :3], HP), ValueError, r"b must have shape .* = \(1, 1, 1, 4\); got \(1, 1, 1, 3\)"),
    ((A, W[:, :2], b, HP), ValueError, r"W must have equal filter sizes"),
    ((A, W, b, {"stride": 1}), ValueError, r"hparameters is missing the key\(s\) \['pad'\]"),
    ((A, W, b, {"stride": 0, "pad": 1}), ValueError, r'hparameters\["stride"\] must be an integer >= 1; got 0'),
    ((A, W, b, {"stride": 1, "pad": -1}), ValueError, r'hparameters\["pad"\] must be an integer >= 0; got -1'),
    ((A, W, b, {"stride": 1.5, "pad": 0}), TypeError, r'hparameters\["stride"\] must be an integer'),
    ((A, W, b, [1, 1]), TypeError, r"hparameters must be a dict"),
    ((A, rng.standard_normal((7, 7, 3, 4)), b, {"stride": 1, "pad": 0}), ValueError,
     r"filter size f=7 is larger than the padded input along n_H \(5 \+ 2\*0 = 5\)"),
    (("image", W, b, HP), TypeError, r"A_prev must be a numeric array"),
    ((A.astype(complex), W, b, HP), TypeError, r"A_prev must hold real numbers"),
    ((A > 0, W, b, HP), TypeError, r"A_prev must hold real numbers"),
]


@pytest.mark.parametrize("args,error,message", CONV_FORWARD_ERRORS, ids=range(len(CONV_FORWARD_ERRORS)))
def test_conv_forward_errors(layers, args, error, message):
    with pytest.raises(error, match=message):
        layers.conv_forward(*args)


def test_conv_backward_errors(layers):
    Z, cache = layers.conv_forward(A, W, b, HP)
    with pytest.raises(ValueError, match=r"dZ must have shape the shape of conv_forward's output Z = \(2, 5, 5, 4\)"):
        layers.conv_backward(Z[:, :4], cache)
    with pytest.raises(ValueError, match=r"dZ must be a 4-D array"):
        layers.conv_backward(Z[0], cache)
    with pytest.raises(TypeError, match=r"cache must be the tuple \(A_prev, W, b, hparameters\).*length 2"):
        layers.conv_backward(Z, cache[:2])
    with pytest.raises(TypeError, match=r"cache must be the tuple"):
        layers.conv_backward(Z, [A, W, b, HP])


POOL_ERRORS = [
    ((A, POOL_HP, "min"), ValueError, r'mode must be "max" or "average"; got \'min\''),
    ((A[0], POOL_HP), ValueError, r"A_prev must be a 4-D array"),
    ((A, {"f": 2}), ValueError, r"hparameters is missing the key\(s\) \['stride'\]"),
    ((A, {"f": 0, "stride": 1}), ValueError, r'hparameters\["f"\] must be an integer >= 1'),
    ((A, {"f": 2, "stride": 0}), ValueError, r'hparameters\["stride"\] must be an integer >= 1'),
    ((A, {"f": 6, "stride": 1}), ValueError, r"filter size f=6 is larger than the padded input"),
    ((A, {"f": True, "stride": 1}), TypeError, r'hparameters\["f"\] must be an integer; got True'),
]


@pytest.mark.parametrize("args,error,message", POOL_ERRORS, ids=range(len(POOL_ERRORS)))
def test_pool_forward_errors(layers, args, error, message):
    with pytest.raises(error, match=message):
        layers.pool_forward(*args)


def test_pool_backward_errors(layers):
    P, cache = layers.pool_forward(A, POOL_HP)
    with pytest.raises(ValueError, match=r"dA must have shape the shape of pool_forward's output A = \(2, 2, 2, 3\)"):
        layers.pool_backward(P[:, :1], cache)
    with pytest.raises(ValueError, match=r'mode must be "max" or "average"'):
        layers.pool_backward(P, cache, mode="mean")
    with pytest.raises(TypeError, match=r"cache must be the tuple \(A_prev, hparameters\)"):
        layers.pool_backward(P, (A,))


def test_zero_pad_errors(layers):
    with pytest.raises(ValueError, match=r"X must be a 4-D array"):
        layers.zero_pad(A[0], 1)
    with pytest.raises(ValueError, match=r"pad must be an integer >= 0; got -2"):
        layers.zero_pad(A, -2)
    with pytest.raises(TypeError, match=r"pad must be an integer; got 1.0"):
        layers.zero_pad(A, 1.0)


def test_single_window_errors(layers):
    with pytest.raises(ValueError, match=r"a_slice_prev and W must have the same shape"):
        layers.conv_single_step(np.ones((3, 3, 2)), np.ones((3, 3, 3)), np.ones((1, 1, 1)))
    with pytest.raises(ValueError, match=r"b must hold exactly one number"):
        layers.conv_single_step(np.ones((3, 3, 2)), np.ones((3, 3, 2)), np.ones((1, 1, 2)))
    with pytest.raises(ValueError, match=r"x must be a non-empty window"):
        layers.create_mask_from_window(np.ones((0, 2)))
    with pytest.raises(TypeError, match=r"shape must be a tuple \(n_H, n_W\)"):
        layers.distribute_value(1.0, 4)
    with pytest.raises(ValueError, match=r"shape\[1\] must be an integer >= 1; got 0"):
        layers.distribute_value(1.0, (2, 0))
    with pytest.raises(ValueError, match=r"dz must be a single number"):
        layers.distribute_value(np.ones(2), (2, 2))


def test_conv3d_errors(layers):
    A3 = np.ones((1, 4, 4, 4, 2))
    W3 = np.ones((3, 3, 3, 2, 5))
    with pytest.raises(ValueError, match=r"A_prev must be a 5-D array .*\(m, n_D_prev, n_H_prev, n_W_prev, n_C_prev\)"):
        layers.conv3d_forward(A3[0], W3, np.ones((1, 1, 1, 1, 5)), HP)
    with pytest.raises(ValueError, match=r"b must have shape .* = \(1, 1, 1, 1, 5\)"):
        layers.conv3d_forward(A3, W3, np.ones((1, 1, 1, 5)).reshape(1, 1, 1, 1, 5)[..., :2], HP)
    with pytest.raises(ValueError, match=r"larger than the padded input along n_D"):
        layers.conv3d_forward(A3, np.ones((5, 5, 5, 2, 5)), np.ones((1, 1, 1, 1, 5)), {"stride": 1, "pad": 0})


def test_inputs_are_not_modified(layers):
    A_copy, W_copy = A.copy(), W.copy()
    Z, cache = layers.conv_forward(A, W, b, HP)
    layers.conv_backward(np.ones_like(Z), cache)
    P, pcache = layers.pool_forward(A, POOL_HP)
    layers.pool_backward(np.ones_like(P), pcache)
    np.testing.assert_array_equal(A, A_copy)
    np.testing.assert_array_equal(W, W_copy)
