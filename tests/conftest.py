"""Shared fixtures: small notebooks written on the fly and a tiny notebooks project."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.project import LANG_PARAM, WIDGET_CELLS, make_project, write_notebook


@pytest.fixture
def notebook_factory(tmp_path: Path):
    """Return ``make(name, *cells, params=..., heading=...) -> Path`` writing into tmp_path."""

    def make(name: str, *cells: str, params: str = LANG_PARAM, heading: str = "") -> Path:
        return write_notebook(tmp_path / name, *cells, params=params, heading=heading)

    return make


@pytest.fixture
def widget_notebook(tmp_path: Path) -> Path:
    """A notebook that displays ipywidgets (the cells behind nbclient #312)."""
    return write_notebook(tmp_path / "widgets.ipynb", *WIDGET_CELLS, heading="# Widgets")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A tiny notebooks folder: 01_alpha (heading, title and data_dir) and 02_widgets (widgets)."""
    return make_project(tmp_path)
