#!/usr/bin/env python3
"""One entry point for the course, needing nothing but Python 3.10+.

    python3 tools/course.py start      # set everything up, then open the course in JupyterLab
    python3 tools/course.py test       # unit tests + every notebook re-executed by nbval
    python3 tools/course.py run-notebooks [NOTEBOOK ...] [--update-readme]
                                       # re-execute notebooks in place, print their wall times
    python3 tools/course.py install    # only create/update the environment

The environment is a virtual environment in ``.venv`` at the repository root (override
with ``COURSE_VENV``). It is created on first use and re-installed whenever
``requirements.txt`` or ``pyproject.toml`` changes, so every command works on a fresh clone.
Extra arguments after ``start`` go to JupyterLab, after ``test`` to pytest.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(os.environ.get("COURSE_VENV", ROOT / ".venv")).resolve()
STAMP = VENV / ".course-requirements.sha256"


def _bin(name: str) -> Path:
    folder = "Scripts" if os.name == "nt" else "bin"
    suffix = ".exe" if os.name == "nt" else ""
    return VENV / folder / f"{name}{suffix}"


def _requirements_hash() -> str:
    digest = hashlib.sha256()
    for name in ("requirements.txt", "pyproject.toml"):
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def _run(command: list, **kwargs) -> None:
    print("+", " ".join(str(part) for part in command), flush=True)
    subprocess.run([str(part) for part in command], check=True, cwd=ROOT, **kwargs)


def install() -> None:
    """Create ``.venv`` if needed and install the requirements when they changed."""
    if sys.version_info < (3, 10):  # noqa: UP036 - this script may be started by an older python3
        sys.exit(f"The course needs Python 3.10 or newer; this is {sys.version.split()[0]}.")
    if not _bin("python").exists():
        print(f"Creating the virtual environment {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = _requirements_hash()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    python = _bin("python")
    _run([python, "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
    _run([python, "-m", "pip", "install", "--quiet", "-r", "requirements.txt"])
    # A kernel spec that points at this environment's own interpreter, so JupyterLab and
    # headless runs use the course's packages whatever PATH says.
    _run([python, "-m", "ipykernel", "install", "--sys-prefix", "--name", "python3",
          "--display-name", "Python 3 (CNN course)"])
    STAMP.write_text(wanted + "\n")


def start(extra: list) -> None:
    install()
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--allow-root" not in extra:
        # Containers often run as root, and JupyterLab refuses to start as root without this flag.
        extra = ["--allow-root", *extra]
    _run([_bin("jupyter"), "lab", *extra, "notebooks"])


def test(extra: list) -> int:
    install()
    print("+ python -m pytest", *extra, flush=True)
    return subprocess.run([str(_bin("python")), "-m", "pytest", *extra], cwd=ROOT).returncode


def run_notebooks(extra: list) -> int:
    install()
    return subprocess.run([str(_bin("python")), str(ROOT / "tools" / "run_notebooks.py"), *extra],
                          cwd=ROOT).returncode


def main(argv: list) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if argv else 2
    command, extra = argv[0], argv[1:]
    try:
        if command == "start":
            start(extra)
        elif command == "test":
            return test(extra)
        elif command == "run-notebooks":
            return run_notebooks(extra)
        elif command == "install":
            install()
        else:
            print(f"unknown command {command!r}; expected start, test, run-notebooks or install\n{__doc__}")
            return 2
    except subprocess.CalledProcessError as exc:
        return exc.returncode
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
