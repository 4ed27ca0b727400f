"""The layer contract (import-linter, configured in pyproject.toml): truth ← report ← pipeline.

The real tree must keep it, and the same contract must fail on a copy of the package where the
truth layer imports the report layer, so this test can fail.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT = (
    "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(no_cache=True))"
)


def _lint(cwd: Path, package_parent: Path) -> subprocess.CompletedProcess[str]:
    env = {"PYTHONPATH": str(package_parent), "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-c", LINT], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_tree_keeps_the_layers() -> None:
    out = _lint(ROOT, ROOT)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Contracts: 2 kept, 0 broken." in out.stdout


def test_an_upward_import_breaks_the_contract(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "ziyang_lib", tmp_path / "ziyang_lib")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    metrics = tmp_path / "ziyang_lib" / "truth" / "metrics.py"
    metrics.write_text(metrics.read_text("utf-8") + "\nfrom ziyang_lib.report import fmt\n")
    out = _lint(tmp_path, tmp_path)
    assert out.returncode == 1, out.stdout + out.stderr
    assert "ziyang_lib.truth.metrics -> ziyang_lib.report.fmt" in out.stdout
