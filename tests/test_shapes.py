"""course_utils.shapes against the output shapes and count_params() of real Keras layers."""

import pytest

from course_utils import shapes


@pytest.fixture(scope="module")
def keras(tf):
    import keras

    return keras


def _build(keras, layers, input_shape):
    model = keras.Sequential([keras.Input(input_shape), *layers])
    return model.output_shape[1:], model.layers[-1].count_params()


@pytest.mark.parametrize("input_shape,f,n_filters,pad,stride", [
    ((64, 64, 3), 3, 8, 0, 1),
    ((64, 48, 3), 5, 16, 2, 2),
    ((39, 39, 3), 3, 10, 0, 1),   # the course's worked example: 39 -> 37
    ((37, 37, 10), 5, 20, 0, 2),  # 37 -> 17
    ((9, 12, 1), 4, 2, 1, 3),
    ((7, 7, 5), 2, 3, 0, 2),      # 7 is not tiled exactly by f=2, s=2: floor gives 3
])
def test_conv2d_shape_and_params_match_keras(keras, input_shape, f, n_filters, pad, stride):
    layers = [keras.layers.ZeroPadding2D(pad)] if pad else []
    layers.append(keras.layers.Conv2D(n_filters, f, strides=stride, padding="valid"))
    out_shape, params = _build(keras, layers, input_shape)
    assert shapes.conv_output_shape(input_shape, f, n_filters, pad=pad, stride=stride) == out_shape
    assert shapes.conv_param_count(f, input_shape[-1], n_filters) == params


@pytest.mark.parametrize("input_shape,f,n_filters,pad,stride", [
    ((32, 32, 32, 16), 3, 32, 0, 1),  # section 4.6's example: 30 x 30 x 30 x 32
    ((10, 12, 8, 2), 2, 4, 1, 2),
])
def test_conv3d_shape_and_params_match_keras(keras, input_shape, f, n_filters, pad, stride):
    layers = [keras.layers.ZeroPadding3D(pad)] if pad else []
    layers.append(keras.layers.Conv3D(n_filters, f, strides=stride, padding="valid"))
    out_shape, params = _build(keras, layers, input_shape)
    assert shapes.conv_output_shape(input_shape, f, n_filters, pad=pad, stride=stride) == out_shape
    assert shapes.conv_param_count(f, input_shape[-1], n_filters, dims=3) == params


@pytest.mark.parametrize("input_shape,f,stride", [((64, 64, 3), 2, 2), ((7, 9, 4), 3, 1), ((7, 9, 4), 3, None)])
def test_pool_shape_matches_keras(keras, input_shape, f, stride):
    out_shape, params = _build(keras, [keras.layers.MaxPooling2D(f, strides=stride)], input_shape)
    assert shapes.pool_output_shape(input_shape, f, stride) == out_shape
    assert params == 0


def test_pool3d_shape_matches_keras(keras):
    out_shape, _ = _build(keras, [keras.layers.MaxPooling3D(2)], (9, 8, 6, 3))
    assert shapes.pool_output_shape((9, 8, 6, 3), 2) == out_shape


@pytest.mark.parametrize("n_inputs,n_units", [(64 * 64 * 3, 100), (1000, 1)])
def test_dense_params_match_keras(keras, n_inputs, n_units):
    _, params = _build(keras, [keras.layers.Dense(n_units)], (n_inputs,))
    assert shapes.dense_param_count(n_inputs, n_units) == params


@pytest.mark.parametrize("f", [1, 3, 5, 7])
def test_same_padding_keeps_the_size_like_keras(keras, f):
    pad = shapes.same_padding(f)
    same, _ = _build(keras, [keras.layers.Conv2D(2, f, padding="same")], (11, 8, 3))
    assert shapes.conv_output_shape((11, 8, 3), f, 2, pad=pad) == same == (11, 8, 2)


def test_errors_name_the_argument():
    with pytest.raises(ValueError, match="f must be odd"):
        shapes.same_padding(4)
    with pytest.raises(ValueError, match="larger than the padded input"):
        shapes.conv_output_size(3, 6, pad=1)
    with pytest.raises(ValueError, match="stride must be an integer >= 1"):
        shapes.conv_output_size(8, 3, stride=0)
    with pytest.raises(ValueError, match="pad must be an integer >= 0"):
        shapes.conv_output_size(8, 3, pad=-1)
    with pytest.raises(TypeError, match="f must be an integer"):
        shapes.conv_output_size(8, 2.5)
    with pytest.raises(ValueError, match="input_shape must be"):
        shapes.conv_output_shape((64, 64), 3, 8)
    with pytest.raises(ValueError, match=r"input_shape\[1\] must be an integer >= 1"):
        shapes.pool_output_shape((8, 0, 3), 2)
    with pytest.raises(ValueError, match="dims must be 1, 2 or 3"):
        shapes.conv_param_count(3, 3, 8, dims=4)
    with pytest.raises(ValueError, match="n_units must be an integer >= 1"):
        shapes.dense_param_count(10, 0)
    with pytest.raises(ValueError, match="n_filters must be an integer >= 1"):
        shapes.conv_output_shape((8, 8, 3), 3, 0)


def test_depth_profile():
    assert shapes.depth_profile(64, 3)[-1] == 2 and len(shapes.depth_profile(64, 3)) == 32
    assert shapes.depth_profile(64, 5)[:3] == [64, 60, 56]
    assert shapes.depth_profile(64, 3, "same", max_layers=10) == [64] * 11
    assert shapes.depth_profile(64, 3, "same", pool_every=2, max_layers=6) == [64, 64, 32, 32, 16, 16, 8]
    with pytest.raises(ValueError, match='padding must be "valid" or "same"'):
        shapes.depth_profile(64, 3, "full")


def test_downsampling_layers(keras):
    from course_utils.experiments.downsampling import downsampling_layers

    model = keras.Sequential([keras.Input((16, 16, 3)), keras.layers.Conv2D(4, 3, padding="same"),
                              keras.layers.MaxPooling2D(2), keras.layers.Conv2D(4, 3, strides=2, padding="same")])
    assert [(kind, a, b) for _, kind, a, b in downsampling_layers(model)] == [("MaxPooling2D", 16, 8), ("Conv2D", 8, 4)]
    with pytest.raises(TypeError, match="model must be a keras.Model"):
        downsampling_layers([1, 2])


@pytest.mark.parametrize("n,f,pad,stride", [(10, 3, 0, 1), (10, 3, 1, 1), (7, 3, 1, 2), (6, 5, 2, 1), (5, 2, 0, 2)])
def test_window_coverage_counts_the_windows_a_backward_pass_sees(n, f, pad, stride):
    import numpy as np

    from course_utils import conv_fast

    Z, cache = conv_fast.conv_forward(np.zeros((1, n, n, 1)), np.ones((f, f, 1, 1)), np.zeros((1, 1, 1, 1)),
                                      {"stride": stride, "pad": pad})
    counted = conv_fast.conv_backward(np.ones_like(Z), cache)[0][0, :, :, 0]
    assert np.array_equal(shapes.window_coverage(n, f, pad, stride), counted)


def test_window_coverage_of_a_3x3_window_with_and_without_padding():
    valid, same = shapes.window_coverage(10, 3), shapes.window_coverage(10, 3, pad=1)
    assert (valid[0, 0], valid[0, 5], valid[5, 5]) == (1, 3, 9)
    assert (same[0, 0], same[0, 5], same[5, 5]) == (4, 6, 9)
