"""Checkers for the functions a learner writes in the notebooks.

``check_<name>(fn)`` runs the learner's ``fn`` on the cases the project's tests use
(:mod:`course_utils._cases`), compares each result with the reference implementation in
:mod:`course_utils.conv` (itself tested against TensorFlow), prints one line per case
and returns True when every case passed. A failing case says exactly what differs: the
shape, the dtype, or the first mismatching index with both values.
"""

from __future__ import annotations

import textwrap

import numpy as np

from course_utils import _cases

# Checkers of the numpy layers (reference: course_utils.conv); the YOLO checkers follow below.
LAYER_CHECKERS = [f"check_{name}" for name in _cases.CASES]
__all__ = [*LAYER_CHECKERS, "make_checker", "compare"]

RTOL = 1e-6
ATOL = 1e-9


def compare(got, expected, what="result", rtol=RTOL, atol=ATOL):
    """Describe the first difference between ``got`` and ``expected``, or return None.

    Parameters
    ----------
    got, expected : array_like, scalar, tuple or dict
        Tuples are compared item by item, dicts by equality, arrays by shape, dtype and
        values (``numpy.isclose`` with ``rtol=1e-6, atol=1e-9`` unless given).
    what : str
        Name of the compared value, used in the message.
    rtol, atol : float
        Tolerances of ``numpy.isclose`` (float32 results need a looser ``rtol``).

    Returns
    -------
    str or None
        A one-line description of the difference, or None when they match.
    """
    if isinstance(expected, tuple):
        if not isinstance(got, tuple) or len(got) != len(expected):
            return f"{what} should be a tuple of {len(expected)} items; got {_kind(got)}"
        for i, (g, e) in enumerate(zip(got, expected, strict=True)):
            problem = compare(g, e, f"{what}[{i}]", rtol, atol)
            if problem:
                return problem
        return None
    if isinstance(expected, dict):
        return None if got == expected else f"{what} should be {expected!r}; got {got!r}"
    if np.isscalar(expected) or np.ndim(expected) == 0:
        if np.ndim(got) != 0 or not np.issubdtype(np.asarray(got).dtype, np.number):
            return f"{what} should be a single number; got {_kind(got)}"
        if not np.isclose(float(got), float(expected), rtol=rtol, atol=atol):
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
        wrong = ~np.isclose(got, expected, rtol=rtol, atol=atol)
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


def _run_checks(name, fn, verbose, reference, cases, convert=None, rtol=RTOL, atol=ATOL):
    """Run ``fn`` and ``reference`` on each ``(description, args)`` of ``cases`` and report.

    ``convert`` (optional) turns both results into what :func:`compare` takes, e.g. tensors
    into numpy arrays.
    """
    if not callable(fn):
        raise TypeError(f"fn must be the function you wrote for {name}; got {type(fn).__name__}")
    convert = convert or (lambda value: value)
    passed = 0
    for number, (description, args) in enumerate(cases, start=1):
        expected = convert(reference(*_copy(args)))
        try:
            got = convert(fn(*_copy(args)))
        except NotImplementedError as exc:
            print(f"{name}: not written yet ({exc or 'NotImplementedError'}); 0 of {len(cases)} cases run.")
            return False
        except Exception as exc:  # the learner's code: report whatever it raised
            problem = f"raised {type(exc).__name__}: {exc}"
        else:
            problem = compare(got, expected, rtol=rtol, atol=atol)
        if problem is None:
            passed += 1
        if verbose or problem is not None:
            status = "ok  " if problem is None else "FAIL"
            print(f"{status} case {number} ({description})" + ("" if problem is None else f": {problem}"))
    print(f"{name}: {passed} of {len(cases)} cases passed" + (" - well done." if passed == len(cases) else "."))
    return passed == len(cases)


def make_checker(name, module, cases, convert=None, rtol=RTOL, atol=ATOL, fn_note=""):
    """Build ``check_<name>``, which checks a learner's ``name`` against ``<module>.<name>``.

    Every checker of the course is made here, so that they all print and compare alike.

    Parameters
    ----------
    name : str
        Name of the function the learner writes, e.g. ``"conv_forward"``.
    module : str
        Dotted name of the module that holds the reference implementation. It is imported
        when the checker first runs, so that TensorFlow is loaded only by the checkers that
        need it.
    cases : callable
        Called with no arguments when the checker runs; returns a list of
        ``(description, args)`` pairs, ``args`` a tuple passed to both functions.
    convert : callable, optional
        Applied to both results before :func:`compare` (e.g. tensors to numpy arrays).
    rtol, atol : float
        Tolerances of :func:`compare`.
    fn_note : str, optional
        A sentence added to the description of ``fn`` in the checker's docstring.

    Returns
    -------
    callable
        ``check_<name>(fn, verbose=True) -> bool``.
    """
    def checker(fn, verbose=True):
        import importlib

        reference = getattr(importlib.import_module(module), name)
        return _run_checks(name, fn, verbose, reference=reference, cases=cases(), convert=convert,
                           rtol=rtol, atol=atol)

    tolerance = "" if (rtol, atol) == (RTOL, ATOL) else f" (``rtol={rtol:g}, atol={atol:g}``)"
    fn_text = textwrap.fill(f"Your function, with the signature of :func:`{module}.{name}`. {fn_note}".strip(),
                            width=96, initial_indent=" " * 8, subsequent_indent=" " * 8).lstrip()
    checker.__name__ = checker.__qualname__ = f"check_{name}"
    checker.__doc__ = f"""Check a learner's ``{name}`` against :func:`{module}.{name}`.

    Parameters
    ----------
    fn : callable
        {fn_text}
    verbose : bool, default True
        Print one line per case; otherwise only the failing cases and the summary line.

    Returns
    -------
    bool
        True when every case matched{tolerance}.
    """
    return checker


def _layer_checker(name):
    return make_checker(name, "course_utils.conv", _cases.CASES[name])


check_zero_pad = _layer_checker("zero_pad")
check_conv_single_step = _layer_checker("conv_single_step")
check_conv_forward = _layer_checker("conv_forward")
check_conv_backward = _layer_checker("conv_backward")
check_create_mask_from_window = _layer_checker("create_mask_from_window")
check_distribute_value = _layer_checker("distribute_value")
check_pool_forward = _layer_checker("pool_forward")
check_pool_backward = _layer_checker("pool_backward")
check_conv3d_forward = _layer_checker("conv3d_forward")


# --- Section 3: the YOLO post-processing (reference: course_utils.yolo) -----------------------

def _as_numpy(value):
    """Tensors (and tuples of them) to numpy, so that compare() can describe differences."""
    if isinstance(value, (tuple, list)):
        return tuple(_as_numpy(v) for v in value)
    return value.numpy() if hasattr(value, "numpy") else value


def _yolo_checker(name):
    def cases():
        from course_utils import _yolo_cases  # imports TensorFlow, so only when a check runs

        return _yolo_cases.CASES[name]()

    return make_checker(name, "course_utils.yolo", cases, convert=_as_numpy,
                        fn_note="Tensors in its result are compared as numpy arrays (shape, dtype, values).")


YOLO_CHECKERS = ["check_iou", "check_yolo_filter_boxes", "check_yolo_non_max_suppression", "check_yolo_eval"]
__all__ += YOLO_CHECKERS
check_iou = _yolo_checker("iou")
check_yolo_filter_boxes = _yolo_checker("yolo_filter_boxes")
check_yolo_non_max_suppression = _yolo_checker("yolo_non_max_suppression")
check_yolo_eval = _yolo_checker("yolo_eval")
