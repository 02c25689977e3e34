"""conv and conv_fast against TensorFlow: forward values and GradientTape gradients."""

import numpy as np
import pytest

from course_utils import conv, conv_fast
from course_utils.checks import layers as layer_checks


def _random_conv_configs(count, seed):
    """Configurations drawn at random: odd and even filters, strides 1-3, pads 0-2, non-square."""
    rng = np.random.default_rng(seed)
    configs = []
    while len(configs) < count:
        m, n_C_prev, n_C = rng.integers(1, 4), rng.integers(1, 4), rng.integers(1, 5)
        f, stride, pad = rng.integers(1, 6), rng.integers(1, 4), rng.integers(0, 3)
        n_H, n_W = rng.integers(3, 10, size=2)
        if f <= min(n_H, n_W) + 2 * pad:
            configs.append(tuple(int(v) for v in (m, n_H, n_W, n_C_prev, f, n_C, stride, pad)))
    return configs


CONV_CONFIGS = layer_checks.CONV_CONFIGS + _random_conv_configs(10, seed=2024)
POOL_CONFIGS = layer_checks.POOL_CONFIGS + [(2, 9, 6, 2, 4, 3), (1, 8, 8, 2, 4, 4), (2, 3, 5, 3, 3, 3)]


def _tf_conv(tf, A_prev, W, b, stride, pad):
    padding = [[0, 0], [pad, pad], [pad, pad], [0, 0]]
    return tf.nn.conv2d(A_prev, W, strides=stride, padding=padding) + b


@pytest.mark.parametrize("config", CONV_CONFIGS, ids=str)
def test_conv_forward_matches_tf(tf, layers, config):
    A_prev, W, b, hp = layer_checks.conv_arrays(config, seed=7)
    Z, cache = layers.conv_forward(A_prev, W, b, hp)
    expected = _tf_conv(tf, A_prev, W, b, hp["stride"], hp["pad"]).numpy()
    assert Z.shape == expected.shape
    np.testing.assert_allclose(Z, expected, rtol=1e-10, atol=1e-10)
    assert cache[0] is A_prev and cache[1] is W and cache[2] is b and cache[3] is hp


@pytest.mark.parametrize("config", CONV_CONFIGS, ids=str)
def test_conv_backward_matches_gradient_tape(tf, layers, config):
    A_prev, W, b, hp = layer_checks.conv_arrays(config, seed=8)
    Z, cache = layers.conv_forward(A_prev, W, b, hp)
    dZ = np.random.default_rng(9).standard_normal(Z.shape)
    variables = [tf.Variable(A_prev), tf.Variable(W), tf.Variable(b)]
    with tf.GradientTape() as tape:
        out = _tf_conv(tf, *variables, hp["stride"], hp["pad"])
    expected = tape.gradient(out, variables, output_gradients=tf.constant(dZ))
    got = layers.conv_backward(dZ, cache)
    for name, g, e, original in zip(["dA_prev", "dW", "db"], got, expected, [A_prev, W, b], strict=True):
        assert g.shape == original.shape, name
        np.testing.assert_allclose(g, e.numpy(), rtol=1e-9, atol=1e-9, err_msg=name)


def _tf_pool(tf, mode):
    return tf.nn.max_pool2d if mode == "max" else tf.nn.avg_pool2d


@pytest.mark.parametrize("mode", ["max", "average"])
@pytest.mark.parametrize("config", POOL_CONFIGS, ids=str)
def test_pool_forward_and_backward_match_tf(tf, layers, config, mode):
    A_prev, hp = layer_checks.pool_arrays(config, seed=11)
    A, cache = layers.pool_forward(A_prev, hp, mode)
    x = tf.Variable(A_prev)
    with tf.GradientTape() as tape:
        expected = _tf_pool(tf, mode)(x, ksize=hp["f"], strides=hp["stride"], padding="VALID")
    np.testing.assert_allclose(A, expected.numpy(), rtol=1e-12, atol=1e-12)
    dA = np.random.default_rng(12).standard_normal(A.shape)
    expected_grad = tape.gradient(expected, x, output_gradients=tf.constant(dA)).numpy()
    np.testing.assert_allclose(layers.pool_backward(dA, cache, mode), expected_grad, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("config", POOL_CONFIGS, ids=str)
def test_max_pool_ties_route_like_tf(tf, layers, config):
    """Integer inputs tie often; the whole gradient must go to one input, the one TF picks."""
    A_prev, hp = layer_checks.pool_arrays(config, seed=13, ties=True)
    A, cache = layers.pool_forward(A_prev, hp, "max")
    dA = np.random.default_rng(14).standard_normal(A.shape)
    x = tf.Variable(A_prev)
    with tf.GradientTape() as tape:
        out = tf.nn.max_pool2d(x, ksize=hp["f"], strides=hp["stride"], padding="VALID")
    expected = tape.gradient(out, x, output_gradients=tf.constant(dA)).numpy()
    got = layers.pool_backward(dA, cache, "max")
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)
    assert np.isclose(got.sum(), dA.sum())  # nothing counted twice or lost


def test_float32_stays_float32_and_matches_tf(tf):
    A_prev, W, b, hp = (a.astype(np.float32) if isinstance(a, np.ndarray) else a
                        for a in layer_checks.conv_arrays((4, 12, 10, 3, 3, 6, 2, 1), seed=15))
    Z, cache = conv_fast.conv_forward(A_prev, W, b, hp)
    assert Z.dtype == np.float32
    np.testing.assert_allclose(Z, _tf_conv(tf, A_prev, W, b, 2, 1).numpy(), rtol=1e-4, atol=1e-4)
    dA, dW, db = conv_fast.conv_backward(np.ones_like(Z), cache)
    assert dA.dtype == dW.dtype == db.dtype == np.float32
    A, _ = conv_fast.pool_forward(Z, {"f": 2, "stride": 2})
    assert A.dtype == np.float32


def test_integer_inputs_are_computed_in_float64(layers):
    A_prev = np.arange(2 * 4 * 4 * 1).reshape(2, 4, 4, 1)
    W = np.ones((2, 2, 1, 1), dtype=int)
    b = np.zeros((1, 1, 1, 1), dtype=int)
    Z, _ = layers.conv_forward(A_prev, W, b, {"stride": 2, "pad": 0})
    assert Z.dtype == np.float64
    assert Z[0, 0, 0, 0] == 0 + 1 + 4 + 5
    A, _ = layers.pool_forward(A_prev, {"f": 2, "stride": 2}, "average")
    assert A.dtype == np.float64 and A[0, 0, 0, 0] == 2.5


@pytest.mark.parametrize("stride,pad", [(1, 0), (2, 1), (1, 2)])
def test_conv3d_forward_matches_tf(tf, stride, pad):
    rng = np.random.default_rng(16)
    A_prev = rng.standard_normal((2, 5, 6, 4, 3))
    W = rng.standard_normal((3, 3, 3, 3, 4))
    b = rng.standard_normal((1, 1, 1, 1, 4))
    padded = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (pad, pad), (0, 0)))
    expected = tf.nn.conv3d(padded, W, strides=[1, stride, stride, stride, 1], padding="VALID").numpy() + b
    for module in (conv, conv_fast):
        Z, cache = module.conv3d_forward(A_prev, W, b, {"stride": stride, "pad": pad})
        np.testing.assert_allclose(Z, expected, rtol=1e-10, atol=1e-10)
        assert len(cache) == 4


def test_conv_single_step_and_zero_pad(layers):
    rng = np.random.default_rng(17)
    a, W, b = rng.standard_normal((4, 4, 3)), rng.standard_normal((4, 4, 3)), rng.standard_normal((1, 1, 1))
    Z = layers.conv_single_step(a, W, b)
    assert isinstance(Z, np.float64)
    assert np.isclose(Z, np.sum(a * W) + b.item())
    X = rng.standard_normal((2, 3, 4, 2))
    X_pad = layers.zero_pad(X, 2)
    assert X_pad.shape == (2, 7, 8, 2)
    np.testing.assert_array_equal(X_pad[:, 2:-2, 2:-2, :], X)
    assert np.count_nonzero(X_pad) == np.count_nonzero(X)


def test_mask_and_distribute(layers):
    mask = layers.create_mask_from_window(np.array([[1.0, 3.0], [3.0, 0.5]]))
    np.testing.assert_array_equal(mask, [[False, True], [True, False]])
    np.testing.assert_allclose(layers.distribute_value(2.0, (2, 2)), np.full((2, 2), 0.5))
