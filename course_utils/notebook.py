"""What every notebook of the course calls first, and small display helpers.

``setup()`` makes a notebook quiet and reproducible: TensorFlow's C++ logs off (this must
happen before TensorFlow is imported, so this module never imports it at the top level),
Python warnings that are not about the learner's own code filtered, every random
generator seeded, and modest figure sizes so that stored notebooks stay small.
"""

from __future__ import annotations

import contextlib
import inspect
import os
import sys
import warnings

__all__ = ["setup", "show_source", "verdict"]

_FIGURE_DEFAULTS = {
    "figure.figsize": (6.0, 3.5),
    "figure.dpi": 80,
    "savefig.dpi": 80,
    "axes.grid": False,
    "image.interpolation": "nearest",
    "font.size": 9,
}


def setup(seed: int = 0, tensorflow: bool = False, dpi: int | None = None) -> None:
    """Quiet logs, seed every generator, set plotting defaults.

    Parameters
    ----------
    seed : int, default 0
        Seed for Python's ``random``, numpy's global generator and, when TensorFlow is
        used, Keras (``keras.utils.set_random_seed``).
    tensorflow : bool, default False
        Also import and seed TensorFlow/Keras (a few seconds; notebooks that use only
        numpy leave it off).
    dpi : int, optional
        Pixels per inch of the figures shown in the notebook (default 80). Jupyter shows a
        figure at its size in pixels, so a larger value draws everything, text included,
        larger: 100 makes small-multiple figures readable at notebook width.
    """
    # Before any TensorFlow import: C++ logs, oneDNN notices and the CUDA probe stay silent.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    # nbval compares stderr too, so third-party deprecation chatter would fail a re-run.
    for category in (DeprecationWarning, FutureWarning, PendingDeprecationWarning):
        warnings.filterwarnings("ignore", category=category)
    warnings.filterwarnings("ignore", module="keras")
    warnings.filterwarnings("ignore", module="tensorflow")

    import random

    import numpy as np

    random.seed(seed)
    np.random.seed(seed)  # noqa: NPY002 - learners' code uses the legacy global generator
    np.set_printoptions(precision=4, suppress=True, linewidth=100)

    import matplotlib

    if "inline" not in matplotlib.get_backend() and not os.environ.get("MPLBACKEND"):
        # Outside Jupyter (tests, scripts) draw without a window.
        matplotlib.use("Agg")
    matplotlib.rcParams.update(_FIGURE_DEFAULTS)
    if dpi is not None:
        dpi = _positive_integer(dpi, "dpi")
        matplotlib.rcParams.update({"figure.dpi": dpi, "savefig.dpi": dpi})

    if tensorflow:
        with _native_stderr_silenced():
            import keras
            import tensorflow as tf

        tf.get_logger().setLevel("ERROR")
        keras.utils.set_random_seed(seed)


def _positive_integer(value, name):
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an integer; got {type(value).__name__} {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be a positive integer; got {value}")
    return value


@contextlib.contextmanager
def _native_stderr_silenced():
    """Send file descriptor 2 to /dev/null for the duration of the block.

    TensorFlow's CUDA probe writes "Could not find cuda drivers" from C++ before its logging
    is configured, so TF_CPP_MIN_LOG_LEVEL cannot hide it, and Jupyter forwards it into the
    notebook as stderr. Python exceptions are unaffected: they do not go through this descriptor.
    """
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def show_source(function):
    """Display a function's source code, highlighted, so a notebook can walk through it.

    Parameters
    ----------
    function : callable
        A function or class defined in Python.

    Returns
    -------
    IPython.display.Markdown
        Rendered as a highlighted code block by Jupyter.
    """
    from IPython.display import Markdown

    if not callable(function):
        raise TypeError(f"function must be a function or class; got {type(function).__name__}")
    try:
        source = inspect.getsource(function)
    except (OSError, TypeError) as exc:
        raise TypeError(f"function has no Python source to show ({exc})") from None
    return Markdown(f"```python\n{source.rstrip()}\n```")


def verdict(claim: str, holds: bool | None, detail: str = "") -> str:
    """One-line verdict on a claim from the course notes.

    Parameters
    ----------
    claim : str
        The claim, paraphrased.
    holds : bool or None
        What the measurement says; None when it cannot decide (e.g. a difference smaller than
        the spread between seeds).
    detail : str, optional
        The numbers behind the verdict.

    Returns
    -------
    str
        ``"HOLDS: <claim> (<detail>)"``, ``"DOES NOT HOLD: ..."`` or ``"INCONCLUSIVE: ..."``; print it.
    """
    label = "INCONCLUSIVE" if holds is None else "HOLDS" if holds else "DOES NOT HOLD"
    return f"{label}: {claim}" + (f" ({detail})" if detail else "")
