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


def _git(*args: str, cwd: Path = ROOT) -> str:
    out = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return out.stdout


def test_committed_notebooks_are_stripped() -> None:
    """What git holds (the index, through the filter) has no outputs, whatever the work tree has
    (JupyterLab saves outputs into the file; the nbstripout filter keeps them out of git)."""
    tracked = _git("ls-files", "notebooks/*.ipynb").split()
    assert len(tracked) >= 5
    for rel in tracked:
        nb = json.loads(_git("show", f":{rel}"))
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert not cell.get("outputs"), f"{rel} is committed with outputs"
                assert cell.get("execution_count") is None, f"{rel} has execution counts"
        assert "widgets" not in nb["metadata"], f"{rel}: widget state committed"


def test_the_nbstripout_filter_strips_outputs_on_git_add(tmp_path: Path) -> None:
    """The set-up `make setup` does (this repository's .gitattributes, then `nbstripout --install`)
    in a scratch repository: a notebook saved with outputs is added without them."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    makefile = (ROOT / "Makefile").read_text("utf-8")
    assert "nbstripout --install" in makefile
    _git("init", "-q", cwd=tmp_path)
    (tmp_path / ".gitattributes").write_text((ROOT / ".gitattributes").read_text("utf-8"))
    install = [sys.executable, "-m", "nbstripout", "--install", "--python", sys.executable]
    subprocess.run(install, cwd=tmp_path, check=True)
    cell = new_code_cell("1 + 1", execution_count=3)
    cell.outputs = [new_output("execute_result", data={"text/plain": "2"}, execution_count=3)]
    nbformat.write(new_notebook(cells=[cell]), str(tmp_path / "nb.ipynb"))
    _git("add", "nb.ipynb", cwd=tmp_path)
    stored = json.loads(_git("show", ":nb.ipynb", cwd=tmp_path))
    assert "".join(stored["cells"][0]["source"]) == "1 + 1"
    assert stored["cells"][0]["outputs"] == [] and stored["cells"][0]["execution_count"] is None
    on_disk = json.loads((tmp_path / "nb.ipynb").read_text("utf-8"))
    assert on_disk["cells"][0]["outputs"], "the work tree keeps what the analyst saw"


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
