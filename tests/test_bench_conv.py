"""benchmarks/bench_conv.py runs end to end on tiny shapes (its timings are not checked: no speed tests)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TINY = [sys.executable, "benchmarks/bench_conv.py", "--tiny", "--repeat", "1", "--rounds", "1"]


def test_benchmark_runs_on_tiny_shapes_and_prints_a_markdown_table():
    result = subprocess.run(
        [*TINY, "--markdown", "--threads", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    assert "TensorFlow" in out and "1 thread for BLAS and TensorFlow" in out
    assert "| case (batch of 2, float32) |" in out
    for case in ("conv forward", "conv backward", "max pool backward", "average pool forward"):
        assert f"| {case}, tiny" in out, case
    assert "| tiny pool, max pool backward |" in out  # the speed-up over the loops
    assert "cases miss their target" in out


def test_benchmark_only_selects_cases():
    result = subprocess.run(
        [*TINY, "--no-eager", "--only", "max pool"],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "max pool forward, tiny" in result.stdout and "max pool backward, tiny" in result.stdout
    assert "conv forward" not in result.stdout and "average pool" not in result.stdout
