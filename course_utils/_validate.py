"""Argument checks shared by every public function.

Each check raises ``TypeError`` (wrong kind of object) or ``ValueError`` (right kind,
wrong value) with a message that names the argument, says what was expected and what
was received, so that a learner never has to decode an IndexError or a broadcasting
error raised deep inside numpy.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping

import numpy as np


def as_numeric_array(value, name: str, ndim: int | None = None, layout: str = "") -> np.ndarray:
    """Return ``value`` as a real-valued numpy array, checking its rank.

    Parameters
    ----------
    value : array_like
        The argument as the caller passed it (numpy array, nested list, TensorFlow tensor).
    name : str
        The argument's name, used in error messages.
    ndim : int, optional
        Required number of dimensions.
    layout : str, optional
        Human-readable layout such as ``"(m, n_H, n_W, n_C)"`` for error messages.
    """
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be a numeric array{_shape_hint(ndim, layout)}; "
                        f"got {type(value).__name__}")
    try:
        array = np.asarray(value)
    except Exception as exc:  # e.g. ragged nested lists
        raise TypeError(f"{name} must be a numeric array{_shape_hint(ndim, layout)}; "
                        f"could not convert {type(value).__name__}: {exc}") from None
    if array.dtype == bool or not (np.issubdtype(array.dtype, np.integer)
                                   or np.issubdtype(array.dtype, np.floating)):
        raise TypeError(f"{name} must hold real numbers (integer or float dtype); "
                        f"got dtype {array.dtype}")
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array{_shape_hint(None, layout)}; "
                         f"got a {array.ndim}-D array of shape {array.shape}")
    return array


def _shape_hint(ndim: int | None, layout: str) -> str:
    parts = []
    if ndim is not None:
        parts.append(f"{ndim}-D")
    if layout:
        parts.append(f"shape {layout}")
    return f" ({', '.join(parts)})" if parts else ""


def integer(value, name: str, minimum: int | None = None) -> int:
    """Return ``value`` as a Python int, requiring ``value >= minimum``.

    Booleans and floats are rejected even when they hold a whole number, because
    ``stride=True`` or ``pad=1.0`` is almost always a mistake worth hearing about.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer; got {value!r} ({type(value).__name__})")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}; got {value}")
    return value


def image_shape(value, name: str = "input_shape") -> tuple[int, int, int]:
    """Return an image shape ``(n_H, n_W, n_C)`` (no batch axis) as a tuple of positive ints."""
    if not isinstance(value, (tuple, list)) or len(value) != 3:
        raise ValueError(f"{name} must be a tuple (n_H, n_W, n_C); got {value!r}")
    return tuple(integer(n, f"{name}[{i}]", minimum=1) for i, n in enumerate(value))


def hyperparameters(hparameters, keys: dict[str, int], name: str = "hparameters") -> dict[str, int]:
    """Validate a hyper-parameter dictionary.

    Parameters
    ----------
    hparameters : Mapping
        The caller's dictionary, e.g. ``{"stride": 2, "pad": 1}``.
    keys : dict of str to int
        Each required key with the smallest value it may take (``stride`` 1, ``pad`` 0).

    Returns
    -------
    dict of str to int
        The required keys as plain ints.
    """
    if not isinstance(hparameters, Mapping):
        raise TypeError(f"{name} must be a dict with keys {sorted(keys)}; "
                        f"got {type(hparameters).__name__}")
    missing = [key for key in keys if key not in hparameters]
    if missing:
        raise ValueError(f"{name} is missing the key(s) {missing}; it must hold {sorted(keys)}, "
                         f"got keys {sorted(map(str, hparameters))}")
    return {key: integer(hparameters[key], f'{name}["{key}"]', minimum)
            for key, minimum in keys.items()}


def output_size(n_in: int, f: int, pad: int, stride: int, axis: str) -> int:
    """Size of one spatial axis after a window of size ``f`` slides over it.

    ``floor((n_in + 2 pad - f) / stride) + 1``; an error when the window does not fit.
    """
    padded = n_in + 2 * pad
    if f > padded:
        raise ValueError(f"filter size f={f} is larger than the padded input along {axis} "
                         f"({n_in} + 2*{pad} = {padded}); use a smaller filter or more padding")
    return (padded - f) // stride + 1


def pooling_mode(mode) -> str:
    """Return ``mode`` if it is ``"max"`` or ``"average"``."""
    if mode not in ("max", "average"):
        raise ValueError(f'mode must be "max" or "average"; got {mode!r}')
    return mode


def same_shape(array: np.ndarray, expected: tuple, name: str, layout: str) -> None:
    """Raise if ``array.shape`` differs from ``expected``."""
    if tuple(array.shape) != tuple(expected):
        raise ValueError(f"{name} must have shape {layout} = {tuple(expected)}; "
                         f"got {tuple(array.shape)}")


def result_dtype(*arrays: np.ndarray) -> np.dtype:
    """The floating dtype the computation runs in: float64 unless all inputs are float32."""
    dtype = np.result_type(*arrays)
    return dtype if np.issubdtype(dtype, np.floating) else np.dtype(np.float64)


def unit_interval(value, name: str) -> float:
    """Return ``value`` as a float, requiring a real number in [0, 1] (a threshold or a probability)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number in [0, 1]; got {value!r} ({type(value).__name__})")
    value = float(value)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be in [0, 1]; got {value}")
    return value
