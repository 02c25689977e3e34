"""The solved run: every exercise filled with its solution, every notebook executed headless, and the
learner's functions (not the references) are what the rest of each notebook ran. Also: a wrong
function prints its failure and hint while its notebook still runs to the end.

These tests execute notebooks (with the shorter settings of their ``solved_run_parameters``), so
they take minutes; ``pytest -k "not solved"`` leaves them out."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import solved_run  # noqa: E402

NOTEBOOKS = solved_run.notebooks_with_exercises()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name.split("_")[0])
def test_solved_notebook_runs_on_the_learners_functions(path):
    outcome = solved_run.run(path)
    assert not outcome.problems(), "\n".join(outcome.problems())
    assert set(outcome.status) >= set(outcome.exercises)


def test_a_wrong_function_prints_its_failure_and_hint_and_the_notebook_still_runs():
    wrong_zero_pad = (
        "def zero_pad(X, pad):\n"
        "    return np.pad(X, ((0, 0), (1, 1), (1, 1), (0, 0)))  # a fixed pad of 1: the usual mistake\n")
    path = next(p for p in NOTEBOOKS if p.name.startswith("1.4_"))
    outcome = solved_run.run(path, replacements={"zero_pad": wrong_zero_pad})
    assert not outcome.error, outcome.error
    assert "FAIL case 1 (X (2, 3, 3, 2), pad=2)" in outcome.text
    assert "hint: use the pad argument" in outcome.text
    assert "Using the reference zero_pad from here on: yours fails cases 1, 3." in outcome.text
    assert outcome.status["zero_pad"]["yours"] is False
    # the other stubs stay unwritten, and the notebook still reaches its last cell
    assert all(not state["yours"] for state in outcome.status.values())
    assert set(outcome.status) == set(outcome.exercises)
