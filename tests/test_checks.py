"""The exercise checkers accept correct functions and explain what is wrong with others."""

import numpy as np
import pytest

from course_utils import checks, conv, conv_fast


@pytest.mark.parametrize("name", [f"check_{name}" for name in checks.EXERCISES["layers"]])
@pytest.mark.parametrize("module", [conv, conv_fast], ids=["loops", "fast"])
def test_reference_functions_pass(name, module, capsys):
    assert getattr(checks, name)(getattr(module, name.removeprefix("check_")), verbose=False) is True
    assert "well done" in capsys.readouterr().out


def test_wrong_shape_is_reported(capsys):
    def one_sided_pad(X, pad):
        return np.pad(X, ((0, 0), (pad, pad), (pad, 0), (0, 0)))

    assert checks.check_zero_pad(one_sided_pad) is False
    out = capsys.readouterr().out
    assert "FAIL case 1 (X (2, 3, 3, 2), pad=2): result has shape (2, 7, 5, 2); expected (2, 7, 7, 2)" in out
    assert "zero_pad: 1 of 3 cases passed." in out


def test_first_mismatching_index_is_reported(capsys):
    def forward_without_bias(A_prev, W, b, hparameters):
        return conv_fast.conv_forward(A_prev, W, np.zeros_like(b), hparameters)

    assert checks.check_conv_forward(forward_without_bias) is False
    out = capsys.readouterr().out
    assert "Z[0, 0, 0, 0] is" in out and "entries differ" in out


def test_wrong_dtype_and_kind_are_reported(capsys):
    assert checks.check_zero_pad(lambda X, pad: conv.zero_pad(X, pad).astype(np.float32)) is False
    assert "has dtype float32; expected float64" in capsys.readouterr().out
    assert checks.check_conv_forward(lambda *args: conv.conv_forward(*args)[0]) is False
    assert "result should be a tuple of 2 items; got an array" in capsys.readouterr().out
    assert checks.check_conv_single_step(lambda a, W, b: "nine") is False
    assert "result should be a single number; got str 'nine'" in capsys.readouterr().out


def test_exceptions_are_reported(capsys):
    def unwritten(*args):
        raise NotImplementedError("write this function")

    assert checks.check_pool_backward(unwritten) is False
    assert capsys.readouterr().out == "pool_backward: not written yet (write this function); 0 of 9 cases run.\n"

    def crashes(X, pad):
        return X[10]

    assert checks.check_zero_pad(crashes) is False
    assert "raised IndexError: index 10 is out of bounds" in capsys.readouterr().out


def test_tied_maxima_counted_twice_fail(capsys):
    """The course-style mask (True at every tied maximum) double-counts; the checker says so."""
    def mask_everywhere(dA, cache, mode="max"):
        A_prev, hp = cache
        f, s = hp["f"], hp["stride"]
        dA_prev = np.zeros_like(A_prev)
        for i, h, w, c in np.ndindex(dA.shape):
            window = (i, slice(h * s, h * s + f), slice(w * s, w * s + f), c)
            if mode == "max":
                dA_prev[window] += conv.create_mask_from_window(A_prev[window]) * dA[i, h, w, c]
            else:
                dA_prev[window] += conv.distribute_value(dA[i, h, w, c], (f, f))
        return dA_prev

    assert checks.check_pool_backward(mask_everywhere) is False
    out = capsys.readouterr().out
    assert "pool_backward: 8 of 9 cases passed." in out
    assert "tied maxima" in out


def test_checker_does_not_let_a_function_spoil_the_inputs(capsys):
    def pads_in_place(X, pad):
        X += 1  # modifies its argument: the reference must still see the original
        return conv.zero_pad(X - 1, pad)

    assert checks.check_zero_pad(pads_in_place) is True


def test_fn_must_be_callable():
    with pytest.raises(TypeError, match="fn must be the function you wrote for zero_pad"):
        checks.check_zero_pad(np.zeros(3))


def test_make_checker_checks_any_function_against_its_reference(capsys):
    cases = [("a vector", (np.array([4.0, 9.0]),)), ("a matrix", (np.array([[1.0, 16.0]]),))]
    check_sqrt = checks.make_checker("sqrt", "numpy", lambda: cases, rtol=1e-3)
    assert check_sqrt.__name__ == "check_sqrt"
    assert ":func:`numpy.sqrt`" in check_sqrt.__doc__ and "rtol=0.001" in check_sqrt.__doc__
    assert check_sqrt(np.sqrt, verbose=False) is True
    assert capsys.readouterr().out == "sqrt: 2 of 2 cases passed - well done.\n"
    assert check_sqrt(lambda x: x / 2, verbose=False) is False
    out = capsys.readouterr().out
    assert "FAIL case 1 (a vector): result[1] is 4.5; expected 3 (1 of 2 entries differ)" in out
    assert "FAIL case 2 (a matrix): result[0, 0] is 0.5; expected 1 (2 of 2 entries differ)" in out
    assert out.endswith("sqrt: 0 of 2 cases passed.\n")


def test_each_usual_mistake_fails_the_case_that_isolates_it_and_prints_its_hint(capsys):
    """A missing bias fails only the case that adds one; a fixed stride or pad fails the cases that change them."""
    def no_bias(A_prev, W, b, hparameters):
        return conv_fast.conv_forward(A_prev, W, np.zeros_like(b), hparameters)

    def stride_one(A_prev, W, b, hparameters):
        return conv_fast.conv_forward(A_prev, W, b, {"stride": 1, "pad": hparameters["pad"]})

    assert checks.check_conv_forward(no_bias, verbose=False) is False
    out = capsys.readouterr().out
    assert "conv_forward: 1 of 7 cases passed." in out and "FAIL case 1 " not in out
    assert "hint: the input of case 1 with a non-zero bias" in out
    assert checks.check_conv_forward(stride_one, verbose=False) is False
    out = capsys.readouterr().out
    assert "Z has shape (1, 5, 5, 2); expected (1, 3, 3, 2)" in out and "hint: this case has stride=2" in out

    assert checks.check_conv_single_step(lambda a, W, b: np.sum(a * W) + b, verbose=False) is False
    out = capsys.readouterr().out
    assert "result should be a single number; got an array of shape (1, 1, 1)" in out and "float(b)" in out

    def backward_keeps_padding(dZ, cache):
        pad = cache[3]["pad"]
        dA_prev, dW, db = conv_fast.conv_backward(dZ, cache)
        return np.pad(dA_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0))), dW, db

    assert checks.check_conv_backward(backward_keeps_padding, verbose=False) is False
    out = capsys.readouterr().out
    assert "dA_prev has shape (2, 7, 9, 4); expected (2, 5, 7, 4)" in out and "cut the padding off" in out

    def conv3d_no_bias(A_prev, W, b, hparameters):
        return conv_fast.conv3d_forward(A_prev, W, np.zeros_like(b), hparameters)

    assert checks.check_conv3d_forward(conv3d_no_bias, verbose=False) is False
    out = capsys.readouterr().out
    assert "conv3d_forward: 1 of 4 cases passed." in out and "hint: the input of case 1 with a non-zero bias" in out
