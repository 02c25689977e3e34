"""The exercises in the notebooks are the learner's work: each appears once, where it is taught, with
no answer shown before it or hidden in its stub, and the rest of the notebook uses what the learner
submits. These checks read the notebooks; tests/test_solved_run.py executes them."""

import ast
import re
import sys
from pathlib import Path

import nbformat
import pytest

from course_utils import checks

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import solved_run  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
ALL_EXERCISES = {name for names in checks.EXERCISES.values() for name in names}


def _read(path):
    return nbformat.read(path, as_version=4)


def _exercises_by_notebook():
    return {path.name: [name for _, name in solved_run.exercises(_read(path))] for path in NOTEBOOKS}


def _statements(function_source):
    """The statements of a function's body that do work (a call or arithmetic), normalised."""
    tree = ast.parse(function_source)
    found = set()
    for node in ast.walk(tree.body[0]):
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Return, ast.Expr)):
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
                continue  # a docstring
            if any(isinstance(sub, (ast.Call, ast.BinOp, ast.Subscript, ast.Compare)) for sub in ast.walk(node)):
                found.add(ast.unparse(node))
    return found


def _squashed(text):
    return re.sub(r"\s+", "", text)


def test_every_graded_function_is_an_exercise_exactly_once():
    found = [name for names in _exercises_by_notebook().values() for name in names]
    duplicates = sorted({name for name in found if found.count(name) > 1})
    assert not duplicates, f"exercises that appear more than once: {duplicates}"
    missing = sorted(ALL_EXERCISES - set(found))
    assert not missing, f"exercises with a checker but no notebook: {missing}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name.split("_")[0])
def test_no_answer_before_or_inside_an_exercise(path):
    notebook = _read(path)
    for index, name in solved_run.exercises(notebook):
        stub_source = solved_run.cell_source(notebook["cells"][index])
        stub = next(n for n in solved_run.exercise_functions(stub_source) if n.name == name)
        stub_text = ast.get_source_segment(stub_source, stub)
        raises = any(isinstance(node, ast.Raise) for node in ast.walk(stub))
        assert raises, f"{name}'s stub must raise NotImplementedError"
        # the stub holds none of the solution's working statements, not even in comments
        for statement in _statements(checks.solution_source(name)):
            assert _squashed(statement) not in _squashed(stub_text), f"{name}'s stub contains `{statement}`"
        # nothing before the exercise displays the reference's code
        shown = re.compile(rf"show_source\([\w.]*\b{re.escape(name)}\)|solution\(['\"]{re.escape(name)}['\"]\)")
        for earlier in notebook["cells"][:index]:
            source = solved_run.cell_source(earlier)
            assert not shown.search(source), f"the code of {name} is shown before its exercise in {path.name}"
            for output in earlier.get("outputs", []):
                text = str(output.get("text", "")) + str(output.get("data", {}).get("text/markdown", ""))
                assert f"def {name}(" not in text, f"an output before {name}'s exercise shows its code"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name.split("_")[0])
def test_each_exercise_is_submitted_and_its_solution_is_folded(path):
    notebook = _read(path)
    sources = [solved_run.cell_source(cell) for cell in notebook["cells"]]
    for index, name in solved_run.exercises(notebook):
        later = "\n".join(sources[index:])
        assert re.search(rf"^{re.escape(name)} = checks\.submit\({re.escape(name)}\)", later, re.M), (
            f"{path.name}: no `{name} = checks.submit({name})` after the exercise")
        assert f'checks.solution("{name}")' in later, f"{path.name}: no checks.solution(\"{name}\") after the exercise"


def test_readme_lists_each_notebooks_exercises():
    readme = (ROOT / "README.md").read_text()
    for notebook, names in _exercises_by_notebook().items():
        row = next((line for line in readme.splitlines() if line.startswith("|") and notebook.removesuffix(".ipynb")
                    in line), None)
        if not names:
            continue
        assert row is not None, f"README has no row for {notebook}"
        listed = set(re.findall(r"`(\w+)`", row.split("Exercises:", 1)[-1])) if "Exercises:" in row else set()
        assert set(names) <= listed, f"README row of {notebook} should list the exercises {sorted(set(names) - listed)}"
