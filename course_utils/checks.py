"""Checkers for the functions a learner writes in the notebooks.

``check_<name>(fn)`` runs the learner's ``fn`` on the cases the project's tests use
(:mod:`course_utils._cases`), compares each result with the reference implementation in
:mod:`course_utils.conv` (itself tested against TensorFlow), prints one line per case
and returns True when every case passed. A failing case says exactly what differs: the
shape, the dtype, or the first mismatching index with both values.
"""

from __future__ import annotations

import numpy as np

from course_utils import _cases, conv

__all__ = [f"check_{name}" for name in _cases.CASES]

RTOL = 1e-6
ATOL = 1e-9


def compare(got, expected, what="result"):
    """Describe the first difference between ``got`` and ``expected``, or return None.

    Parameters
    ----------
    got, expected : array_like, scalar, tuple or dict
        Tuples are compared item by item, dicts by equality, arrays by shape, dtype and
        values (``numpy.isclose`` with ``rtol=1e-6, atol=1e-9``).
    what : str
        Name of the compared value, used in the message.

    Returns
    -------
    str or None
        A one-line description of the difference, or None when they match.
    """
    if isinstance(expected, tuple):
        if not isinstance(got, tuple) or len(got) != len(expected):
            return f"{what} should be a tuple of {len(expected)} items; got {_kind(got)}"
        for i, (g, e) in enumerate(zip(got, expected, strict=True)):
            problem = compare(g, e, f"{what}[{i}]")
            if problem:
                return problem
        return None
    if isinstance(expected, dict):
        return None if got == expected else f"{what} should be {expected!r}; got {got!r}"
    if np.isscalar(expected) or np.ndim(expected) == 0:
        if np.ndim(got) != 0 or not np.issubdtype(np.asarray(got).dtype, np.number):
            return f"{what} should be a single number; got {_kind(got)}"
        if not np.isclose(float(got), float(expected), rtol=RTOL, atol=ATOL):
            return f"{what} should be {float(expected):.6g}; got {float(got):.6g}"
        return None
    if not isinstance(got, np.ndarray):
        return f"{what} should be a numpy array of shape {np.shape(expected)}; got {_kind(got)}"
    if got.shape != expected.shape:
        return f"{what} has shape {got.shape}; expected {expected.shape}"
    if got.dtype != expected.dtype:
        return f"{what} has dtype {got.dtype}; expected {expected.dtype}"
    if expected.dtype == bool:
        wrong = got != expected
    else:
        wrong = ~np.isclose(got, expected, rtol=RTOL, atol=ATOL)
    if wrong.any():
        index = tuple(int(i) for i in np.argwhere(wrong)[0])
        return (f"{what}{list(index)} is {_number(got[index])}; expected {_number(expected[index])} "
                f"({int(wrong.sum())} of {wrong.size} entries differ)")
    return None


def _number(value):
    return str(bool(value)) if isinstance(value, (bool, np.bool_)) else f"{float(value):.6g}"


def _kind(value):
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, tuple):
        return f"a tuple of {len(value)} items"
    return f"{type(value).__name__} {value!r}"[:80]


def _copy(args):
    """Deep-enough copy so that a function that modifies its inputs cannot spoil the reference."""
    if isinstance(args, tuple):
        return tuple(_copy(a) for a in args)
    if isinstance(args, dict):
        return dict(args)
    return args.copy() if isinstance(args, np.ndarray) else args


def _run_checks(name, fn, verbose=True):
    if not callable(fn):
        raise TypeError(f"fn must be the function you wrote for {name}; got {type(fn).__name__}")
    reference = getattr(conv, name)
    cases = _cases.CASES[name]()
    passed = 0
    for number, (description, args) in enumerate(cases, start=1):
        expected = reference(*_copy(args))
        try:
            got = fn(*_copy(args))
        except NotImplementedError as exc:
            print(f"{name}: not written yet ({exc or 'NotImplementedError'}); 0 of {len(cases)} cases run.")
            return False
        except Exception as exc:  # the learner's code: report whatever it raised
            problem = f"raised {type(exc).__name__}: {exc}"
        else:
            problem = compare(got, expected)
        if problem is None:
            passed += 1
        if verbose or problem is not None:
            status = "ok  " if problem is None else "FAIL"
            print(f"{status} case {number} ({description})" + ("" if problem is None else f": {problem}"))
    print(f"{name}: {passed} of {len(cases)} cases passed" + (" - well done." if passed == len(cases) else "."))
    return passed == len(cases)


def _make_checker(name):
    def checker(fn, verbose=True):
        return _run_checks(name, fn, verbose)

    checker.__name__ = checker.__qualname__ = f"check_{name}"
    checker.__doc__ = f"""Check a learner's ``{name}`` against :func:`course_utils.conv.{name}`.

    Parameters
    ----------
    fn : callable
        Your function, with the signature of :func:`course_utils.conv.{name}`.
    verbose : bool, default True
        Print one line per case; otherwise only the failing cases and the summary line.

    Returns
    -------
    bool
        True when every case matched.
    """
    return checker


check_zero_pad = _make_checker("zero_pad")
check_conv_single_step = _make_checker("conv_single_step")
check_conv_forward = _make_checker("conv_forward")
check_conv_backward = _make_checker("conv_backward")
check_create_mask_from_window = _make_checker("create_mask_from_window")
check_distribute_value = _make_checker("distribute_value")
check_pool_forward = _make_checker("pool_forward")
check_pool_backward = _make_checker("pool_backward")
