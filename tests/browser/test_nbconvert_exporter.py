"""A notebook executed by the plain papermill CLI, then ``jupyter nbconvert --to ziyang``: the
report's offline page, every chart drawn, nothing requested outside file://."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tests.support.browser import browser  # noqa: F401  (session fixture)
from tests.support.nbshape import page_charts

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
NOTEBOOK = ROOT / "notebooks" / "01_party_leadership.ipynb"


@pytest.mark.slow
@pytest.mark.browser
def test_papermill_then_nbconvert_to_ziyang_gives_the_offline_page(browser, tmp_path):  # noqa: F811
    executed = tmp_path / "executed.ipynb"
    papermill = [str(BIN / "papermill"), str(NOTEBOOK), str(executed), "-p", "lang", "en"]
    subprocess.run([*papermill, "-k", "python3"], check=True, capture_output=True, timeout=300)
    n_charts = page_charts(nbformat.read(str(executed), as_version=4))
    assert n_charts > 0
    convert = [str(BIN / "jupyter"), "nbconvert", "--to", "ziyang", str(executed)]
    done = subprocess.run(convert, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    page = tmp_path / "executed.html"
    report = browser.open_page(page)
    assert report.lang == "en"
    assert report.n_charts == report.n_chart_slots == n_charts
    assert report.errors == [] and report.external_requests == [] and report.dialogs == []
    text = page.read_text(encoding="utf-8")
    assert "Content-Security-Policy" in text and "cdnjs" not in text and "unpkg" not in text
