#!/usr/bin/env python3
"""Re-execute notebooks in place and print a table of their wall times.

    python tools/run_notebooks.py                      # every notebook in notebooks/
    python tools/run_notebooks.py notebooks/1.4_*.ipynb
    python tools/run_notebooks.py --update-readme      # also refresh the README's time table

Each notebook runs top to bottom in a fresh kernel of the current interpreter, with its
folder as working directory (as nbval does), and is written back with its new outputs, so
that the outputs stored in the repository never go stale after a change in course_utils.
The budget column comes from the course's design: 3 minutes a notebook, 5 for the heavy ones.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("2.6", "2.7", "3.2", "3.3", "4.3", "4.7")
README_START = "<!-- notebook-times:start -->"
README_END = "<!-- notebook-times:end -->"


def budget_seconds(path: Path) -> int:
    return 300 if path.name.split("_")[0] in HEAVY else 180


def execute(path: Path, timeout: int) -> float:
    """Run one notebook in place; return its wall time in seconds."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(path.parent)}})
    started = time.perf_counter()
    try:
        client.execute()
    finally:
        elapsed = time.perf_counter() - started
        nbformat.write(notebook, path)
    return elapsed


def update_readme(rows: dict[str, tuple[float, int]]) -> None:
    """Merge the measured rows into the README's table between the two markers."""
    readme = ROOT / "README.md"
    text = readme.read_text()
    if README_START not in text or README_END not in text:
        print(f"README.md has no {README_START} ... {README_END} block; table not written")
        return
    head, rest = text.split(README_START, 1)
    old_block, tail = rest.split(README_END, 1)
    table = {}
    for line in old_block.splitlines():
        match = re.match(r"\|\s*`?([\w.\-]+\.ipynb)`?\s*\|\s*([\d.]+)\s*\|\s*(\d+)", line)
        if match:
            table[match.group(1)] = (float(match.group(2)), int(match.group(3)))
    table.update(rows)
    lines = ["", "| notebook | wall time (s) | budget (s) |", "|---|---:|---:|"]
    lines += [f"| `{name}` | {seconds:.0f} | {budget} |" for name, (seconds, budget) in sorted(table.items())]
    total = sum(seconds for seconds, _ in table.values())
    lines += [f"| **all {len(table)} notebooks** | **{total:.0f}** | |", ""]
    readme.write_text(head + README_START + "\n".join(lines) + README_END + tail)
    print("README.md time table updated")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebooks/*.ipynb")
    parser.add_argument("--timeout", type=int, default=900, help="seconds allowed per cell")
    parser.add_argument("--update-readme", action="store_true", help="write the times into README.md")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))
    # The kernel named python3 may be launched as plain "python": make that this interpreter.
    os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")

    rows, failed = {}, []
    print(f"{'notebook':<48} {'seconds':>8} {'budget':>7}  status", flush=True)
    for path in paths:
        path = path.resolve()
        budget = budget_seconds(path)
        try:
            seconds = execute(path, args.timeout)
            status = "ok" if seconds <= budget else "OVER BUDGET"
        except CellExecutionError as exc:
            seconds, status = float("nan"), "ERROR"
            failed.append((path.name, str(exc).splitlines()[-1] if str(exc) else repr(exc)))
        if status != "ERROR":
            rows[path.name] = (seconds, budget)
        print(f"{path.name:<48} {seconds:8.1f} {budget:7d}  {status}", flush=True)
    total = sum(seconds for seconds, _ in rows.values())
    print(f"{'total':<48} {total:8.1f}")
    for name, message in failed:
        print(f"{name}: {message}")
    if args.update_readme and rows:
        update_readme(rows)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
