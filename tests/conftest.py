"""Shared fixtures: small notebooks written on the fly and a tiny notebooks project."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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


# ---- browser tests: run them all, or skip them only when asked, and say how many ---------------


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that uses chromium as ``browser``; with ZIYANG_SKIP_BROWSER=1 skip them."""
    from tests.support.browser import SKIP_ENV, skip_browser_tests

    for item in items:
        if {"browser", "lab"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)
    if skip_browser_tests():
        skip = pytest.mark.skip(reason=f"{SKIP_ENV} is set: browser test not run")
        for item in items:
            if item.get_closest_marker("browser"):
                item.add_marker(skip)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say loudly how many browser tests an opted-out run did not run."""
    from tests.support.browser import SKIP_ENV, skip_browser_tests

    if not skip_browser_tests():
        return
    skipped = terminalreporter.stats.get("skipped", [])
    n = sum(SKIP_ENV in str(report.longrepr) for report in skipped)
    terminalreporter.write_sep("!", f"{SKIP_ENV}: {n} browser tests skipped (not run)", red=True)
