"""Numerical gradient checks of the backward passes, and of gradcheck itself."""

import numpy as np
import pytest

from course_utils.checks import layers as layer_checks
from course_utils.gradcheck import numerical_gradient, relative_error


def test_numerical_gradient_of_a_known_function():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    df = np.array([[1.0, 2.0], [3.0, -1.0]])
    grad = numerical_gradient(lambda v: v ** 3, x, df)
    np.testing.assert_allclose(grad, 3 * x ** 2 * df, rtol=1e-8)
    assert x[0, 0] == 1.0  # the input is not modified


def test_relative_error():
    a = np.array([1.0, 2.0, 3.0])
    assert relative_error(a, a) == 0.0
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error(a, -a) == pytest.approx(1.0)
    assert 1e-4 < relative_error(a, a * 1.001) < 1e-3


@pytest.mark.parametrize("config", [(1, 4, 5, 2, 3, 2, 2, 1), (2, 4, 4, 1, 2, 2, 1, 0)], ids=str)
def test_conv_backward_against_numerical_gradient(layers, config):
    A_prev, W, b, hp = layer_checks.conv_arrays(config, seed=3)
    Z, cache = layers.conv_forward(A_prev, W, b, hp)
    dZ = np.random.default_rng(4).standard_normal(Z.shape)
    dA, dW, db = layers.conv_backward(dZ, cache)
    numeric = [
        numerical_gradient(lambda x: layers.conv_forward(x, W, b, hp)[0], A_prev, dZ),
        numerical_gradient(lambda x: layers.conv_forward(A_prev, x, b, hp)[0], W, dZ),
        numerical_gradient(lambda x: layers.conv_forward(A_prev, W, x, hp)[0], b, dZ),
    ]
    for analytic, estimate in zip([dA, dW, db], numeric, strict=True):
        assert relative_error(analytic, estimate) < 1e-7


@pytest.mark.parametrize("mode", ["max", "average"])
def test_pool_backward_against_numerical_gradient(layers, mode):
    A_prev, hp = layer_checks.pool_arrays((2, 5, 6, 2, 3, 2), seed=5)  # continuous values: no ties
    A, cache = layers.pool_forward(A_prev, hp, mode)
    dA = np.random.default_rng(6).standard_normal(A.shape)
    estimate = numerical_gradient(lambda x: layers.pool_forward(x, hp, mode)[0], A_prev, dA)
    assert relative_error(layers.pool_backward(dA, cache, mode), estimate) < 1e-7


def test_bad_arguments():
    with pytest.raises(TypeError, match="f must be callable"):
        numerical_gradient("not a function", np.ones(2), np.ones(2))
    with pytest.raises(ValueError, match=r"df must have the shape of f\(x\)"):
        numerical_gradient(lambda v: v, np.ones(3), np.ones(2))
    with pytest.raises(ValueError, match="h must be a positive number"):
        numerical_gradient(lambda v: v, np.ones(3), np.ones(3), h=0)
    with pytest.raises(ValueError, match="a and b must have the same shape"):
        relative_error(np.ones(2), np.ones(3))
