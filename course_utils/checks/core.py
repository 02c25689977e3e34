"""How every checker of the course is built, runs and reports.

A checker runs a learner's function and the project's reference on the same cases and
describes the first difference. Every topic module of :mod:`course_utils.checks` follows one
convention: a ``<name>_cases()`` builder per exercise returning a list of :class:`Case`, and one
``make_checker(...)`` call that turns it into ``check_<name>``.

:func:`submit` is what the notebooks call after an exercise: it checks the learner's function
and hands back the function the rest of the notebook should use (theirs when it passes, the
reference otherwise), and :func:`report` lists, at the end of a notebook, whose functions ran.
"""

from __future__ import annotations

import functools
import html
import importlib
import inspect
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["Case", "CheckResult", "compare", "to_numpy", "make_checker", "submit", "solution", "status",
           "report", "reset", "CHECKERS", "RTOL", "ATOL"]

RTOL = 1e-6
ATOL = 1e-9

#: Every checker made by :func:`make_checker`, by the name of the function it checks.
CHECKERS: dict[str, Callable] = {}


@dataclass(frozen=True)
class Case:
    """One input on which a learner's function and the reference are compared.

    Parameters
    ----------
    description : str
        What the case tries, printed on its line (e.g. ``"X (2, 3, 3, 2), pad=2"``).
    args : tuple
        Positional arguments passed to both functions (copied for each, so that a function
        that writes into its inputs cannot spoil the other's).
    hint : str, optional
        Printed when this case fails: the usual mistake that makes it fail.
    """

    description: str
    args: tuple
    hint: str = ""


@dataclass
class CheckResult:
    """What one run of a checker found; true when every case passed."""

    name: str
    total: int
    passed: int = 0
    failed: list[int] = field(default_factory=list)
    written: bool = True

    def __bool__(self) -> bool:
        return self.written and self.passed == self.total

    def why_not(self) -> str:
        """A few words on why the learner's function is not used (empty when it passed)."""
        if not self.written:
            return "is not written yet"
        if not self.failed:
            return ""
        cases = ", ".join(str(number) for number in self.failed[:3]) + (", ..." if len(self.failed) > 3 else "")
        return f"fails case{'s' if len(self.failed) > 1 else ''} {cases}"


def to_numpy(value):
    """Tensors (and tuples or lists of them) as numpy; 0-d arrays as numpy scalars.

    The one conversion the checkers apply to both results before :func:`compare`, so that a
    learner may return a tensor, a numpy array or a Python number where the reference does.
    """
    if isinstance(value, (tuple, list)):
        return tuple(to_numpy(item) for item in value)
    if hasattr(value, "numpy") and not isinstance(value, np.ndarray):
        value = value.numpy()
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return value[()]
    return value


def compare(got, expected, what: str = "result", rtol: float = RTOL, atol: float = ATOL) -> str | None:
    """Describe the first difference between ``got`` and ``expected``, or return None.

    Parameters
    ----------
    got, expected : array_like, scalar, str, tuple or dict
        Tuples are compared item by item, dicts key by key, strings and booleans exactly,
        arrays by shape, dtype and values (``numpy.isclose``).
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
        if not isinstance(got, dict) or set(got) != set(expected):
            return f"{what} should be {expected!r}; got {got!r}"
        for key in expected:
            problem = compare(got[key], expected[key], key, rtol, atol)
            if problem:
                return problem
        return None
    if isinstance(expected, (bool, np.bool_)):
        same = isinstance(got, (bool, np.bool_)) and bool(got) == bool(expected)
        return None if same else f"{what} should be {bool(expected)}; got {got!r}"
    if isinstance(expected, str) or expected is None:
        same = isinstance(got, type(expected)) and got == expected
        return None if same else f"{what} should be {expected!r}; got {got!r}"
    if np.isscalar(expected) or np.ndim(expected) == 0:
        not_a_number = isinstance(got, (str, bytes, bool, np.bool_)) or np.ndim(got) != 0
        if not_a_number or not np.issubdtype(np.asarray(got).dtype, np.number):
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
    wrong = got != expected if expected.dtype == bool else ~np.isclose(got, expected, rtol=rtol, atol=atol)
    if wrong.any():
        index = tuple(int(i) for i in np.argwhere(wrong)[0])
        return (f"{what}{list(index)} is {_number(got[index])}; expected {_number(expected[index])} "
                f"({int(wrong.sum())} of {wrong.size} entries differ)")
    return None


def _number(value) -> str:
    return str(bool(value)) if isinstance(value, (bool, np.bool_)) else f"{float(value):.6g}"


def _kind(value) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, tuple):
        return f"a tuple of {len(value)} items"
    return f"{type(value).__name__} {value!r}"[:80]


def _copy(args):
    """Deep-enough copy so that a function that modifies its inputs cannot spoil the reference."""
    if isinstance(args, tuple):
        return tuple(_copy(a) for a in args)
    if isinstance(args, list):
        return [_copy(a) for a in args]
    if isinstance(args, dict):
        return dict(args)
    return args.copy() if isinstance(args, np.ndarray) else args


def _as_case(case) -> Case:
    if isinstance(case, Case):
        return case
    description, args = case
    return Case(description, args)


def run_cases(name: str, fn: Callable, reference: Callable, cases: Sequence, convert: Callable = to_numpy,
              compare_results: Callable = compare, verbose: bool = True) -> CheckResult:
    """Run ``fn`` and ``reference`` on every case, print one line per case, return the result.

    Parameters
    ----------
    name : str
        The exercise's function name, for the messages.
    fn, reference : callable
        The learner's function and the project's.
    cases : sequence of Case or (description, args)
    convert : callable, default :func:`to_numpy`
        Applied to both results before ``compare_results``.
    compare_results : callable, default :func:`compare`
        ``(got, expected) -> str or None``: the first difference, or None.
    verbose : bool, default True
        Print passing cases too (failing ones and the summary are always printed).

    Returns
    -------
    CheckResult
    """
    if not callable(fn):
        raise TypeError(f"fn must be the function you wrote for {name}; got {type(fn).__name__}")
    cases = [_as_case(case) for case in cases]
    result = CheckResult(name, total=len(cases))
    for number, case in enumerate(cases, start=1):
        try:
            got = convert(fn(*_copy(case.args)))
        except NotImplementedError as exc:
            print(f"{name}: not written yet ({exc or 'NotImplementedError'}); 0 of {len(cases)} cases run.")
            result.written = False
            return result
        except Exception as exc:  # the learner's code: report whatever it raised
            problem = f"raised {type(exc).__name__}: {exc}"
        else:
            problem = compare_results(got, convert(reference(*_copy(case.args))))
        if problem is None:
            result.passed += 1
        else:
            result.failed.append(number)
        if verbose or problem is not None:
            status = "ok  " if problem is None else "FAIL"
            print(f"{status} case {number} ({case.description})" + ("" if problem is None else f": {problem}"))
            if problem is not None and case.hint:
                print(f"     hint: {case.hint}")
    print(f"{name}: {result.passed} of {len(cases)} cases passed" + (" - well done." if result else "."))
    return result


def _tolerant_compare(rtol, atol):
    return lambda got, expected: compare(got, expected, rtol=rtol, atol=atol)


def make_checker(name: str, module: str, cases: Callable[[], Sequence], convert: Callable = to_numpy,
                 rtol: float = RTOL, atol: float = ATOL, fn_note: str = "", compare_results: Callable | None = None,
                 solutions: str | None = None) -> Callable:
    """Build ``check_<name>``, which checks a learner's ``name`` against ``<module>.<name>``.

    Every checker of the course is made here, so that they all print and compare alike, and
    each is registered in :data:`CHECKERS` for :func:`submit` and :func:`solution`.

    Parameters
    ----------
    name : str
        Name of the function the learner writes, e.g. ``"conv_forward"``.
    module : str
        Dotted name of the module that holds the reference implementation. It is imported
        when the checker first runs, so that TensorFlow is loaded only by the checkers that
        need it.
    cases : callable
        Called with no arguments when the checker runs; returns a list of :class:`Case` (or of
        ``(description, args)`` pairs).
    convert : callable, default :func:`to_numpy`
        Applied to both results before they are compared.
    rtol, atol : float
        Tolerances of :func:`compare`.
    fn_note : str, optional
        A sentence added to the description of ``fn`` in the checker's docstring.
    compare_results : callable, optional
        ``(got, expected) -> str or None`` instead of :func:`compare` (e.g. for Keras models).
    solutions : str, optional
        Dotted name of the module that holds the project's solution of the exercise, shown by
        :func:`solution` and pasted into the notebook by the solved run.

    Returns
    -------
    callable
        ``check_<name>(fn, verbose=True) -> bool``, with ``.run(fn, verbose)`` returning the
        :class:`CheckResult` and ``.reference()`` returning the reference function.
    """
    comparison = compare_results or _tolerant_compare(rtol, atol)

    def reference():
        return getattr(importlib.import_module(module), name)

    def run(fn, verbose=True):
        return run_cases(name, fn, reference(), cases(), convert=convert, compare_results=comparison,
                         verbose=verbose)

    def checker(fn, verbose=True):
        return bool(run(fn, verbose))

    tolerance = "" if (rtol, atol) == (RTOL, ATOL) or compare_results else f" (``rtol={rtol:g}, atol={atol:g}``)"
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
    checker.exercise, checker.run, checker.reference, checker.cases = name, run, reference, cases
    checker.solutions = solutions
    CHECKERS[name] = checker
    return checker


# --- The learner's functions in the rest of the notebook -------------------------------------

@dataclass
class _Submission:
    yours: bool
    why_not: str = ""
    calls: int = 0


_SUBMISSIONS: dict[str, _Submission] = {}


def _checker(name: str) -> Callable:
    from course_utils.checks import checker  # the package knows which topic module defines each checker

    return checker(name)


def submit(fn: Callable, name: str | None = None, verbose: bool = True) -> Callable:
    """Check a learner's function and return the one the rest of the notebook should use.

    Parameters
    ----------
    fn : callable
        The learner's function, named as the exercise (or give ``name``).
    name : str, optional
        The exercise's name; default ``fn.__name__``.
    verbose : bool, default True
        Print one line per case.

    Returns
    -------
    callable
        The learner's function when every case passes (wrapped so that :func:`report` can
        count how often the notebook used it), otherwise the project's reference. One line
        says which, e.g. ``Using the reference conv_forward from here on: yours fails case 3.``
    """
    if not callable(fn):
        raise TypeError(f"fn must be the function you wrote; got {type(fn).__name__}")
    name = name or getattr(fn, "__name__", None)
    if not isinstance(name, str):
        raise TypeError("name must be given for a function without a __name__")
    checker = _checker(name)
    result = checker.run(fn, verbose=verbose)
    if result:
        submission = _SUBMISSIONS[name] = _Submission(yours=True)

        @functools.wraps(fn)
        def yours(*args, **kwargs):
            submission.calls += 1
            return fn(*args, **kwargs)

        print(f"Using your {name} from here on.")
        return yours
    _SUBMISSIONS[name] = _Submission(yours=False, why_not=result.why_not())
    print(f"Using the reference {name} from here on: yours {result.why_not()}.")
    return checker.reference()


def status() -> dict[str, dict[str, Any]]:
    """What :func:`submit` decided in this kernel, by exercise.

    Returns
    -------
    dict
        ``{name: {"yours": bool, "calls": int, "why_not": str}}``; ``calls`` counts the uses of
        the learner's function after it passed.
    """
    return {name: {"yours": s.yours, "calls": s.calls, "why_not": s.why_not} for name, s in _SUBMISSIONS.items()}


def report() -> None:
    """Print, for each exercise submitted in this kernel, whose function the notebook used."""
    if not _SUBMISSIONS:
        print("No exercise was submitted in this notebook.")
        return
    width = max(len(name) for name in _SUBMISSIONS)
    print("Whose functions ran in this notebook:")
    for name, s in _SUBMISSIONS.items():
        if s.yours:
            print(f"  {name:<{width}}  yours, used {s.calls} time{'s' if s.calls != 1 else ''} after its check")
        else:
            print(f"  {name:<{width}}  the reference (yours {s.why_not})")


def reset() -> None:
    """Forget every submission (a fresh kernel starts with none)."""
    _SUBMISSIONS.clear()


# --- Solutions, available but not visible ----------------------------------------------------

class Solution:
    """The project's solution of an exercise, shown folded: click to reveal it.

    In JupyterLab the cell's output is a closed ``<details>`` element; ``print()`` gives the code.
    """

    def __init__(self, name: str, source: str):
        self.name, self.source = name, source

    def __str__(self) -> str:
        return self.source

    def __repr__(self) -> str:
        return f"The project's solution of {self.name} (click 'Show' in JupyterLab, or print() it)."

    def _repr_html_(self) -> str:
        return (f"<details><summary>Show the project's solution of <code>{html.escape(self.name)}</code>"
                f"</summary><pre><code>{html.escape(self.source)}</code></pre></details>")


def solution_source(name: str) -> str:
    """The source code of the project's solution of exercise ``name``, as pasted into a notebook."""
    checker = _checker(name)
    if checker.solutions is None:
        raise ValueError(f"the exercise {name!r} has no written-out solution")
    return textwrap.dedent(inspect.getsource(getattr(importlib.import_module(checker.solutions), name))).rstrip() + "\n"


def solution(name: str) -> Solution:
    """The project's solution of an exercise, folded until you choose to look.

    Parameters
    ----------
    name : str
        The exercise's function name, e.g. ``"conv_forward"``.

    Returns
    -------
    Solution
        Displayed by Jupyter as a folded block; ``print(solution(name))`` prints the code.
    """
    return Solution(name, solution_source(name))
