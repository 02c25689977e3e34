"""The helpers every notebook calls."""

import numpy as np
import pytest

from course_utils import conv
from course_utils.notebook import setup, show_source, verdict


def test_show_source_renders_the_function():
    shown = show_source(conv.zero_pad)
    assert shown.data.startswith("```python\ndef zero_pad(X, pad):")
    assert shown.data.endswith("```")
    with pytest.raises(TypeError, match="function must be a function or class"):
        show_source(42)


def test_verdict():
    assert verdict("a claim", True, "3 > 2") == "HOLDS: a claim (3 > 2)"
    assert verdict("a claim", False) == "DOES NOT HOLD: a claim"


def test_setup_seeds_numpy():
    setup(seed=3)
    first = np.random.rand(3)  # noqa: NPY002 - setup seeds the legacy generator
    setup(seed=3)
    np.testing.assert_array_equal(first, np.random.rand(3))  # noqa: NPY002
