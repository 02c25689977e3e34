"""The notebook runner's README table merge (the part that needs no kernel)."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _load_runner():
    spec = importlib.util.spec_from_file_location("run_notebooks", ROOT / "tools" / "run_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_update_readme_merges_rows(tmp_path, monkeypatch):
    runner = _load_runner()
    readme = tmp_path / "README.md"
    readme.write_text("intro\n<!-- notebook-times:start -->\n| notebook | wall time (s) | budget (s) |\n"
                      "|---|---:|---:|\n| `1.1_a.ipynb` | 10 | 180 |\n| `1.2_b.ipynb` | 20 | 180 |\n"
                      "<!-- notebook-times:end -->\noutro\n")
    monkeypatch.setattr(runner, "ROOT", tmp_path)
    runner.update_readme({"1.2_b.ipynb": (25.4, 180), "2.6_c.ipynb": (200.0, 300)})
    text = readme.read_text()
    assert "| `1.1_a.ipynb` | 10 | 180 |" in text
    assert "| `1.2_b.ipynb` | 25 | 180 |" in text and "| `1.2_b.ipynb` | 20 |" not in text
    assert "| `2.6_c.ipynb` | 200 | 300 |" in text
    assert "| **all 3 notebooks** | **235** | |" in text
    assert text.startswith("intro\n") and text.endswith("outro\n")


def test_budget_is_longer_for_heavy_notebooks():
    runner = _load_runner()
    assert runner.budget_seconds(Path("notebooks/2.6_residual_networks.ipynb")) == 300
    assert runner.budget_seconds(Path("notebooks/1.4_convolution_step_by_step.ipynb")) == 180
