"""The whole report as readers get it: weights, file modes, every page in chromium in both
plotly.js modes, the directory mode served over HTTP by another user, and the --zip archive."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner

from tests.support.browser import browser  # noqa: F401  (session fixture)
from tests.support.nbshape import page_charts
from tests.support.site import report_site  # noqa: F401  (session fixture)
from ziyang_lib.pipeline.cli import cli
from ziyang_lib.pipeline.export import page_from_notebook
from ziyang_lib.pipeline.html_export import PLOTLYJS_NAME
from ziyang_lib.report.charts.registry import SOURCE_PAGES

MAX_INLINE_PAGE = 2_000_000
MAX_DIRECTORY_PAGE = 250_000
MAX_BUNDLE = 2_000_000
SERVER_USER = "nobody"
N_PAGES = 12  # six notebooks × two languages

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def n_plotly_outputs(executed: Path) -> int:
    """The charts a page draws: plotly outputs, and explorers with an offline view."""
    return page_charts(nbformat.read(str(executed), as_version=4))


@pytest.fixture(scope="module")
def site(report_site: Path) -> Path:  # noqa: F811
    """The real report built with a shared plotly.js, in a folder any user may enter (as a web
    server's document root would be); its own modes are the build's (tests/support/site.py)."""
    return report_site


def pages(out: Path) -> list[Path]:
    found = sorted(out.glob("html/*/*.html"))
    assert len(found) == N_PAGES
    return found


def draws_charts(page: Path) -> bool:
    """Whether the page is one of charts (the source page shows the article, none)."""
    return page.stem not in SOURCE_PAGES


def executed_of(out: Path, page: Path) -> Path:
    return out / "executed" / page.parent.name / f"{page.stem}.ipynb"


def test_directory_mode_weights_and_every_file_readable_by_others(site):
    bundle = site / "html" / PLOTLYJS_NAME
    assert bundle.stat().st_size <= MAX_BUNDLE
    for page in pages(site):
        assert page.stat().st_size <= MAX_DIRECTORY_PAGE, page
    for path in [site, *site.rglob("*")]:
        wanted = 0o555 if path.is_dir() else 0o444
        assert path.stat().st_mode & wanted == wanted, f"{path} {oct(path.stat().st_mode)}"


@pytest.fixture(scope="module")
def served(site) -> Iterator[str]:
    """`site` served over HTTP on 127.0.0.1 by `SERVER_USER` (not the user who built it)."""
    if os.geteuid() != 0:
        pytest.skip(f"serving as {SERVER_USER} needs root (runuser); the modes test still runs")
    python = shutil.which("python3", path="/usr/bin") or "python3"
    server = subprocess.Popen(
        ["runuser", "-u", SERVER_USER, "--", python, "-u", "-m", "http.server", "0",
         "--bind", "127.0.0.1", "--directory", str(site)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    try:
        line = server.stdout.readline()
        port = re.search(r"port (\d+)", line)
        assert port, f"http.server said {line!r}"
        yield f"http://127.0.0.1:{port.group(1)}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_every_page_draws_every_chart_served_by_another_user(site, served, browser):  # noqa: F811
    with urllib.request.urlopen(f"{served}/html/{PLOTLYJS_NAME}", timeout=10) as response:
        assert response.status == 200
        assert len(response.read()) == (site / "html" / PLOTLYJS_NAME).stat().st_size
    index = browser.open_url(f"{served}/index.html")
    assert index.errors == [] and index.external_requests == []
    for page in pages(site):
        wanted = n_plotly_outputs(executed_of(site, page))
        report = browser.open_url(f"{served}/{page.relative_to(site).as_posix()}")
        assert (wanted > 0) == draws_charts(page), page
        assert report.n_charts == report.n_chart_slots == wanted, page
        assert report.errors == [] and report.external_requests == [], page


def test_every_self_contained_page_weighs_at_most_2mb_and_draws_offline(site, browser, tmp_path):  # noqa: F811
    for page in pages(site):
        executed = executed_of(site, page)
        nb = nbformat.read(str(executed), as_version=4)
        result = page_from_notebook(nb, name=executed.name)
        path = tmp_path / page.parent.name / page.name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(result.html, encoding="utf-8")
        assert path.stat().st_size <= MAX_INLINE_PAGE, page
        report = browser.open_page(path)
        assert report.n_charts == report.n_chart_slots == result.n_charts, page
        assert (result.n_charts > 0) == draws_charts(page), page
        assert report.errors == [] and report.external_requests == [], page


def test_zip_archive_opens_offline_once_unzipped(site, browser, tmp_path):  # noqa: F811
    archive = tmp_path / "ziyang.zip"
    result = CliRunner().invoke(cli, ["build", "--out", str(site), "--zip", str(archive)])
    assert result.exit_code == 0, result.output
    assert "up to date" in result.output and f"archive: {archive}" in result.output
    with zipfile.ZipFile(archive) as zipped:
        names = zipped.namelist()
        zipped.extractall(tmp_path / "unzipped")
    wanted = ["index.html", f"html/{PLOTLYJS_NAME}"]
    wanted += [p.relative_to(site).as_posix() for p in pages(site)]
    assert sorted(names) == sorted(f"ziyang/{name}" for name in wanted)
    unzipped = tmp_path / "unzipped" / "ziyang"
    index = browser.open_page(unzipped / "index.html")
    assert index.errors == [] and index.external_requests == []
    for page in pages(site):
        report = browser.open_page(unzipped / page.relative_to(site))
        assert report.n_charts == report.n_chart_slots, page
        assert (report.n_charts > 0) == draws_charts(page), page
        assert report.errors == [] and report.external_requests == [], page
