#!/usr/bin/env python3
"""One entry point for the course, needing nothing but Python 3.10+.

    python3 tools/course.py start      # set everything up, then open the course in JupyterLab
    python3 tools/course.py test       # unit tests + every notebook re-executed by nbval
    python3 tools/course.py run-notebooks [NOTEBOOK ...] [--update-readme]
                                       # re-execute notebooks in place, print their wall times
    python3 tools/course.py install    # only create/update the environment
    python3 tools/course.py lock       # refresh constraints.txt from the newest allowed versions

The environment is a virtual environment in ``.venv`` at the repository root (override
with ``COURSE_VENV``). It is created on first use and re-installed whenever
``requirements.txt``, ``constraints.txt`` or ``pyproject.toml`` changes, so every command works
on a fresh clone. ``requirements.txt`` says which versions the course works with (ranges);
``constraints.txt`` pins the exact versions the stored notebook outputs came from, and every
install uses it, so a learner's re-run prints what the notebooks show. ``lock`` rebuilds it from
a fresh environment; then re-execute the notebooks (``run-notebooks``) and run ``test``.
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
CONSTRAINTS = ROOT / "constraints.txt"


def _bin(name: str) -> Path:
    folder = "Scripts" if os.name == "nt" else "bin"
    suffix = ".exe" if os.name == "nt" else ""
    return VENV / folder / f"{name}{suffix}"


def _stamp() -> Path:
    """The file in the environment that records which requirements it was installed from."""
    return VENV / ".course-requirements.sha256"


def _requirements_hash() -> str:
    digest = hashlib.sha256()
    for name in ("requirements.txt", "constraints.txt", "pyproject.toml"):
        if (ROOT / name).exists():
            digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def _run(command: list, **kwargs) -> None:
    print("+", " ".join(str(part) for part in command), flush=True)
    subprocess.run([str(part) for part in command], check=True, cwd=ROOT, **kwargs)


def install(locked: bool = True) -> None:
    """Create ``.venv`` if needed and install the requirements (at the locked versions) when they changed."""
    if sys.version_info < (3, 10):  # noqa: UP036 - this script may be started by an older python3
        sys.exit(f"The course needs Python 3.10 or newer; this is {sys.version.split()[0]}.")
    if not _bin("python").exists():
        print(f"Creating the virtual environment {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = _requirements_hash() + ("" if locked else "-unlocked")
    if _stamp().exists() and _stamp().read_text().strip() == wanted:
        return
    python = _bin("python")
    _run([python, "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
    pins = ["-c", CONSTRAINTS.name] if locked and CONSTRAINTS.exists() else []
    _run([python, "-m", "pip", "install", "--quiet", "-r", "requirements.txt", *pins])
    # A kernel spec that points at this environment's own interpreter, so JupyterLab and
    # headless runs use the course's packages whatever PATH says.
    _run([python, "-m", "ipykernel", "install", "--sys-prefix", "--name", "python3",
          "--display-name", "Python 3 (CNN course)"])
    _stamp().write_text(wanted + "\n")


def lock() -> None:
    """Rebuild ``constraints.txt`` from a fresh environment with the newest versions ``requirements.txt`` allows."""
    global VENV
    VENV = Path(os.environ.get("COURSE_LOCK_VENV", ROOT / ".venv-lock")).resolve()
    if VENV.exists():
        import shutil

        shutil.rmtree(VENV)
    install(locked=False)
    frozen = subprocess.run([str(_bin("python")), "-m", "pip", "freeze", "--exclude-editable"], cwd=ROOT,
                            check=True, capture_output=True, text=True).stdout.splitlines()
    pins = sorted((line for line in frozen if "==" in line), key=str.lower)
    versions = {line.split("==")[0].lower().replace("_", "-"): line.split("==")[1] for line in pins}
    # The lock is made on Linux x86-64 (tensorflow-cpu); other platforms install `tensorflow` at the same version.
    if "tensorflow-cpu" in versions and "tensorflow" not in versions:
        pins.append(f"tensorflow=={versions['tensorflow-cpu']}")
    header = [
        "# Exact versions the stored notebook outputs were produced with; every install uses them",
        "# (`pip install -r requirements.txt -c constraints.txt`). Refresh: `python3 tools/course.py lock`,",
        "# then `python3 tools/course.py run-notebooks` and `python3 tools/course.py test`.",
        f"# Locked with Python {sys.version_info.major}.{sys.version_info.minor} on {sys.platform}.",
    ]
    CONSTRAINTS.write_text("\n".join(header + sorted(pins, key=str.lower)) + "\n")
    print(f"wrote {CONSTRAINTS.name}: {len(pins)} pinned packages")


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
        elif command == "lock":
            lock()
        else:
            print(f"unknown command {command!r}; expected start, test, run-notebooks, install or lock\n{__doc__}")
            return 2
    except subprocess.CalledProcessError as exc:
        return exc.returncode
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
