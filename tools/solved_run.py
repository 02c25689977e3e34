#!/usr/bin/env python3
"""The solved run: fill every exercise with the project's solution, run the notebooks, check that
the learner's code is what ran.

    python tools/solved_run.py                       # every notebook that has exercises
    python tools/solved_run.py notebooks/1.4_*.ipynb
    python tools/solved_run.py --keep /tmp/solved    # also write the executed notebooks there

How a notebook's exercises are written (see ``docs/NOTEBOOKS.md``): a code cell tagged ``exercise``
holds the learner's stub, a top-level ``def <name>(...)`` of an exercise of
:mod:`course_utils.checks` whose body raises ``NotImplementedError``; a later cell calls
``<name> = checks.submit(<name>)``. For each notebook this tool

1. replaces each stub ``def`` with the project's solution (:func:`course_utils.checks.solution_source`),
2. sets the values of the notebook's metadata ``course.solved_run_parameters`` in a cell after the
   one tagged ``parameters`` (shorter trainings: this run checks the learner's path, not accuracy),
3. runs it top to bottom in a fresh kernel, then asks the kernel for :func:`course_utils.checks.status`.

The run passes when no cell raised, every exercise's checker printed ``N of N cases passed``,
``submit`` printed ``Using your <name> from here on.``, and the status says that each exercise's
function is the learner's and was called at least once after its check.
"""

from __future__ import annotations

import argparse
import ast
import copy
import json
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STATUS_MARK = "SOLVED-RUN-STATUS "


def cell_source(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def exercise_functions(source: str) -> list[ast.FunctionDef]:
    """The top-level functions of a cell that are exercises of the course."""
    from course_utils import checks

    names = {name for group in checks.EXERCISES.values() for name in group}
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    return [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name in names]


def exercises(notebook) -> list[tuple[int, str]]:
    """``(cell index, function name)`` of every exercise stub of a notebook, in order."""
    found = []
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] == "code" and "exercise" in tags(cell):
            found += [(index, node.name) for node in exercise_functions(cell_source(cell))]
    return found


def replace_functions(source: str, replacements: dict[str, str]) -> str:
    """``source`` with each top-level ``def name`` of ``replacements`` swapped for its new source."""
    lines = source.splitlines(keepends=True)
    for node in sorted(exercise_functions(source), key=lambda n: n.lineno, reverse=True):
        if node.name in replacements:
            start = min([node.lineno] + [d.lineno for d in node.decorator_list]) - 1
            new = replacements[node.name]
            lines[start:node.end_lineno] = [new if new.endswith("\n") else new + "\n"]
    return "".join(lines)


def fill(notebook, replacements: dict[str, str] | None = None, parameters: bool = True):
    """A copy of ``notebook`` with its exercise stubs replaced (by the solutions, by default).

    Parameters
    ----------
    notebook : nbformat.NotebookNode
    replacements : dict of str to str, optional
        Source code by exercise name; default every exercise's solution. Stubs not named stay.
    parameters : bool, default True
        Also set the metadata's ``course.solved_run_parameters`` after the ``parameters`` cell.

    Returns
    -------
    nbformat.NotebookNode
    """
    import nbformat

    from course_utils import checks

    filled = copy.deepcopy(notebook)
    for index, name in exercises(filled):
        cell = filled["cells"][index]
        new = replacements.get(name) if replacements is not None else checks.solution_source(name)
        if new is not None:
            cell["source"] = replace_functions(cell_source(cell), {name: new})
    overrides = filled.get("metadata", {}).get("course", {}).get("solved_run_parameters", {})
    if parameters and overrides:
        where = next((i for i, c in enumerate(filled["cells"]) if "parameters" in tags(c)), None)
        if where is None:
            raise ValueError("the notebook has solved_run_parameters but no cell tagged 'parameters'")
        assignments = "\n".join(f"{key} = {value!r}" for key, value in overrides.items())
        filled["cells"].insert(where + 1, nbformat.v4.new_code_cell(
            "# solved run: shorter settings\n" + assignments, metadata={"tags": ["injected-parameters"]}))
    filled["cells"].append(nbformat.v4.new_code_cell(
        f"import json as _json\nfrom course_utils import checks as _checks\n"
        f"print({STATUS_MARK!r} + _json.dumps(_checks.status()))"))
    return filled


@dataclass
class Outcome:
    """What one executed notebook showed."""

    name: str
    exercises: list[str]
    text: str = ""
    status: dict = field(default_factory=dict)
    error: str = ""
    seconds: float = 0.0

    def problems(self, expect_yours: bool = True) -> list[str]:
        """Everything that shows the learner's functions did not run the notebook."""
        if self.error:
            return [f"{self.name}: a cell raised: {self.error}"]
        found = []
        for name in self.exercises:
            summary = re.search(rf"^{re.escape(name)}: (\d+) of (\d+) cases passed", self.text, re.M)
            if summary is None:
                found.append(f"{self.name}: {name}'s checker printed no summary line")
            elif expect_yours and summary.group(1) != summary.group(2):
                found.append(f"{self.name}: {name}: {summary.group(0)}")
            if expect_yours and f"Using your {name} from here on." not in self.text:
                found.append(f"{self.name}: submit() did not adopt {name}")
            state = self.status.get(name)
            if state is None:
                found.append(f"{self.name}: {name} was never submitted")
            elif expect_yours and not state["yours"]:
                found.append(f"{self.name}: the reference {name} ran instead of the solution ({state['why_not']})")
            elif expect_yours and state["calls"] < 1:
                found.append(f"{self.name}: {name} passed its check but no later cell used it")
        return found


def execute(notebook, path: Path, timeout: int = 900) -> tuple[str, dict, str, float]:
    """Run a notebook in a fresh kernel; return its printed text, checks.status(), error, seconds."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(path.parent)}})
    started = time.perf_counter()
    error = ""
    try:
        client.execute()
    except CellExecutionError as exc:
        lines = [line for line in str(exc).splitlines() if line.strip()]
        error = lines[-1] if lines else repr(exc)
    seconds = time.perf_counter() - started
    text, status = [], {}
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                text.append(output.get("text", ""))
            elif output.get("output_type") == "error":
                text.append(f"{output.get('ename')}: {output.get('evalue')}\n")
    joined = "".join(text)
    for line in joined.splitlines():
        if line.startswith(STATUS_MARK):
            status = json.loads(line[len(STATUS_MARK):])
    return joined, status, error, seconds


def run(path, replacements: dict[str, str] | None = None, timeout: int = 900, keep: Path | None = None) -> Outcome:
    """Fill one notebook (solutions by default), execute it and collect what it showed."""
    import nbformat

    path = Path(path).resolve()
    notebook = nbformat.read(path, as_version=4)
    names = [name for _, name in exercises(notebook)]
    filled = fill(notebook, replacements)
    text, status, error, seconds = execute(filled, path, timeout)
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        nbformat.write(filled, keep / path.name)
    return Outcome(path.name, names, text, status, error, seconds)


def notebooks_with_exercises(folder: Path = ROOT / "notebooks") -> list[Path]:
    import nbformat

    return [path for path in sorted(folder.glob("*.ipynb")) if exercises(nbformat.read(path, as_version=4))]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebook with exercises")
    parser.add_argument("--timeout", type=int, default=900, help="seconds allowed per cell")
    parser.add_argument("--keep", type=Path, help="write the executed, solved notebooks to this folder")
    args = parser.parse_args(argv)
    paths = args.notebooks or notebooks_with_exercises()
    failures = []
    for path in paths:
        outcome = run(path, timeout=args.timeout, keep=args.keep)
        problems = outcome.problems()
        failures += problems
        print(f"{outcome.name:<48} {outcome.seconds:6.1f} s  {len(outcome.exercises)} exercises  "
              f"{'ok' if not problems else 'FAILED'}", flush=True)
        for problem in problems:
            print("   ", problem)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
