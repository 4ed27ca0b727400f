"""Packaging checks: pyproject and environment.yml agree, notebooks stripped, make help."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]

# conda-forge names that differ from the PyPI names.
CONDA_NAMES = {"python-kaleido": "kaleido"}


def _split(requirement: str) -> tuple[str, str]:
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", requirement)
    assert match, f"unparseable requirement {requirement!r}"
    name = match.group(1).lower().replace("_", "-")
    return CONDA_NAMES.get(name, name), match.group(2).replace(" ", "")


def pyproject_requirements() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    reqs = list(project["dependencies"]) + list(project["optional-dependencies"]["test"])
    return dict(_split(r) for r in reqs)


def conda_requirements() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text("utf-8"))
    specs = [d for d in env["dependencies"] if isinstance(d, str)]
    return {name: spec for name, spec in map(_split, specs) if name not in {"python", "pip"}}


def test_every_dependency_has_a_lower_bound() -> None:
    for name, spec in pyproject_requirements().items():
        assert spec.startswith(">="), f"{name} in pyproject.toml has no lower bound: {spec!r}"


def test_environment_yml_matches_pyproject() -> None:
    assert conda_requirements() == pyproject_requirements()


def test_committed_notebooks_are_stripped() -> None:
    tracked = subprocess.run(
        ["git", "ls-files", "notebooks/*.ipynb"], cwd=ROOT, capture_output=True, text=True
    ).stdout.split()
    for rel in tracked:
        nb = json.loads((ROOT / rel).read_text("utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert not cell.get("outputs"), f"{rel} is committed with outputs"
                assert cell.get("execution_count") is None, f"{rel} has execution counts"


def test_make_help_lists_every_target() -> None:
    out = subprocess.run(["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    makefile = (ROOT / "Makefile").read_text("utf-8")
    targets = re.findall(r"^([a-z-]+):.*##", makefile, flags=re.M)
    for target in ("report", "test", "help", *targets):
        assert re.search(rf"make {target}\b", out.stdout), f"make help does not list {target}"


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    ci = (ROOT / ".ci/run").read_text("utf-8")
    assert "make test" in readme.split("\n## ", 2)[1], "README's first section lacks make test"
    assert re.search(r"^make test$", ci, flags=re.M)


def test_ruff_lint_and_format_are_clean() -> None:
    for args in (["check", "."], ["format", "--check", "."]):
        out = subprocess.run(
            [sys.executable, "-m", "ruff", *args], cwd=ROOT, capture_output=True, text=True
        )
        assert out.returncode == 0, f"ruff {' '.join(args)}:\n{out.stdout}{out.stderr}"
