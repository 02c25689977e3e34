"""The helpers every notebook calls."""

import numpy as np
import pytest

from course_utils import conv
from course_utils.notebook import setup, show_source, verdict


def test_show_source_renders_the_function():
    shown = show_source(conv.zero_pad)
    assert shown.data.startswith("```python\ndef zero_pad(X: ArrayLike, pad: int) -> np.ndarray:")
    assert shown.data.endswith("```")
    with pytest.raises(TypeError, match="function must be a function or class"):
        show_source(42)


def test_verdict():
    assert verdict("a claim", True, "3 > 2") == "HOLDS: a claim (3 > 2)"
    assert verdict("a claim", False) == "DOES NOT HOLD: a claim"
    assert verdict("a claim", None, "a gap within the spread") == "INCONCLUSIVE: a claim (a gap within the spread)"


def test_setup_seeds_numpy():
    setup(seed=3)
    first = np.random.rand(3)  # noqa: NPY002 - setup seeds the legacy generator
    setup(seed=3)
    np.testing.assert_array_equal(first, np.random.rand(3))  # noqa: NPY002


def test_plus_or_cross_is_seeded_balanced_and_drawn():
    from course_utils.synthetic.toy import plus_or_cross

    X, y = plus_or_cross(20, size=10, noise=0.0, seed=4)
    X2, y2 = plus_or_cross(20, size=10, noise=0.0, seed=4)
    np.testing.assert_array_equal(X, X2)
    assert X.shape == (20, 10, 10, 1) and X.dtype == np.float32
    assert y.tolist() == [0, 1] * 10
    # without noise, a "+" lights 5 pixels and an "x" 5 pixels, in their own patterns
    assert all(np.count_nonzero(image) == 5 for image in X)
    with pytest.raises(ValueError, match="noise must be a number >= 0"):
        plus_or_cross(4, noise=-1)
    with pytest.raises(ValueError, match="size must be an integer >= 3"):
        plus_or_cross(4, size=2)


def test_setup_sets_the_figure_dpi_and_rejects_a_bad_one():
    import matplotlib

    setup(seed=0, dpi=100)
    assert matplotlib.rcParams["figure.dpi"] == 100
    setup(seed=0)
    assert matplotlib.rcParams["figure.dpi"] == 80
    with pytest.raises(TypeError, match="dpi must be an integer; got float 100.5"):
        setup(dpi=100.5)
    with pytest.raises(ValueError, match="dpi must be a positive integer; got 0"):
        setup(dpi=0)
