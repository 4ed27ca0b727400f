"""build, manifest, progress: incremental, atomic builds of a tiny notebooks project."""

from __future__ import annotations

import io
import itertools
import json
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import nbformat
import pytest
from bs4 import BeautifulSoup

from tests.support.browser import browser  # noqa: F401  (session fixture)
from tests.support.project import run_cli_subprocess, write_notebook
from ziyang_lib import paths
from ziyang_lib.errors import DataError, NotebookExecutionError, ParameterError
from ziyang_lib.files import write_atomic
from ziyang_lib.pipeline.build import build, find_notebooks, first_heading, plan_jobs
from ziyang_lib.pipeline.manifest import MANIFEST_NAME, Manifest, tree_digest
from ziyang_lib.pipeline.progress import Progress

PAGES = ["en/01_alpha", "en/02_widgets", "zh/01_alpha", "zh/02_widgets"]


def _hrefs(page: Path) -> list[str]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return [a["href"] for a in soup.find_all("a", href=True)]


def _local_targets(page: Path) -> list[Path]:
    """Files that the page's relative links point at (in-page anchors left out)."""
    targets = []
    for href in _hrefs(page):
        path = urlsplit(href).path
        if path and not urlsplit(href).scheme:
            targets.append((page.parent / path).resolve())
    return targets


def _snapshot(out: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != MANIFEST_NAME
    }


# -- no kernel ------------------------------------------------------------------------------------


def test_first_heading_from_markdown_cells_and_outputs():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("no heading here")]
    assert first_heading(nb) is None
    code = nbformat.v4.new_code_cell("x")
    code.outputs = [
        nbformat.v4.new_output(
            "display_data", data={"text/html": "<h1 id='t'>资阳 <b>2020</b></h1>"}
        )
    ]
    nb.cells.append(code)
    assert first_heading(nb) == "资阳 2020"
    nb.cells.insert(0, nbformat.v4.new_markdown_cell("intro\n\n## Section *two* ##"))
    assert first_heading(nb) == "Section *two*"


def test_manifest_round_trip_and_tree_digest(tmp_path):
    data = tmp_path / "data"
    (data / "raw").mkdir(parents=True)
    (data / "raw" / "a.txt").write_text("一", encoding="utf-8")
    before = tree_digest(data)
    (data / "raw" / "a.txt").write_text("二", encoding="utf-8")
    changed = tree_digest(data)
    (data / "raw" / "a.txt").rename(data / "raw" / "b.txt")
    renamed = tree_digest(data)
    assert len({before, changed, renamed}) == 3
    assert tree_digest(tmp_path / "missing") == tree_digest(tmp_path / "also-missing")

    manifest = Manifest.load(tmp_path)
    assert manifest.entries == {}
    manifest.record("en/01", fingerprint="abc", title="T")
    manifest.save()
    again = Manifest.load(tmp_path)
    assert again.is_fresh("en/01", "abc") and not again.is_fresh("en/01", "abd")
    (tmp_path / MANIFEST_NAME).write_text("{broken", encoding="utf-8")
    assert Manifest.load(tmp_path).entries == {}


def test_write_atomic_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "sub" / "page.html"
    write_atomic(target, "<p>一</p>")
    write_atomic(target, b"<p>two</p>")
    assert target.read_bytes() == b"<p>two</p>"
    assert [p.name for p in target.parent.iterdir()] == ["page.html"]
    assert target.stat().st_mode & 0o044 == 0o044  # readable by others, like any page


def test_progress_plain_lines_have_no_control_characters():
    stream = io.StringIO()
    with Progress(["en/01", "zh/01"], stream, live=False) as progress:
        progress.update("en/01", "running")
        progress.update("en/01", "done")
        progress.update("zh/01", "failed", "01.ipynb: cell 3 raised ValueError: x")
    text = stream.getvalue()
    assert "\r" not in text and "\x1b" not in text
    lines = text.splitlines()
    assert len(lines) == 3
    assert re.match(r"en/01\s+done\s+\d+\.\d s$", lines[1])
    assert lines[2].startswith("zh/01") and "cell 3 raised ValueError" in lines[2]


def test_progress_live_redraws_one_line_per_job_in_place():
    stream = io.StringIO()
    with Progress(["en/01", "zh/01"], stream, live=True, refresh=60) as progress:
        progress.update("en/01", "running")
    text = stream.getvalue()
    assert "\x1b[2F" in text  # moved back up over the two lines to redraw them
    final = text.rsplit("\x1b[2F", 1)[1]
    assert re.search(r"en/01\s+running\s+\d+\.\d s", final) and "zh/01  queued" in final


def test_bad_parameters_raise_before_anything_is_written(project, tmp_path):
    out = tmp_path / "out"
    with pytest.raises(ParameterError, match="build: parameter 'colour': no selected notebook"):
        build(out, notebooks_dir=project, params={"colour": "x"})
    with pytest.raises(ParameterError, match="build: parameter 'title': no selected notebook"):
        build(out, notebooks_dir=project, params={"title": "x"}, only=["02"])
    with pytest.raises(ParameterError, match="'lang'"):
        build(out, notebooks_dir=project, params={"lang": "en"})
    with pytest.raises(ParameterError, match="'data_dir': folder '/no/such' does not exist"):
        build(out, notebooks_dir=project, params={"data_dir": "/no/such"})
    assert not out.exists()


def test_a_parameter_applies_to_the_notebooks_that_declare_it(project):
    jobs = plan_jobs(find_notebooks(project), ("en", "zh"), {"title": "x"})
    overrides = {job.key: job.overrides for job in jobs}
    assert overrides == {
        "en/01_alpha": {"title": "x", "lang": "en"},
        "zh/01_alpha": {"title": "x", "lang": "zh"},
        "en/02_widgets": {"lang": "en"},
        "zh/02_widgets": {"lang": "zh"},
    }


def test_bad_data_raises_before_anything_is_written(project, tmp_path):
    data = Path(shutil.copytree(paths.data_dir(), tmp_path / "data"))
    (data / "mentions.csv").write_text("start,end\n", encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(DataError, match="mentions.csv"):
        build(out, notebooks_dir=project, params={"data_dir": str(data)})
    assert not out.exists()


def _inputs() -> tuple[str, str]:
    """Digests of the library and data folders (other people may be editing them)."""
    return tree_digest(paths.PACKAGE_DIR), tree_digest(paths.data_dir())


def _twice(first, second):
    """Run `first` then `second` with unchanged library and data; return second's result.

    While the project is being edited, a file of ziyang_lib/ may change between the two builds
    and rightly make the second one rebuild; then the pair is run again (at most 3 times).
    """
    for _ in range(3):
        before = _inputs()
        first()
        result = second()
        if _inputs() == before:
            return result
    pytest.fail("ziyang_lib/ or data/ kept changing during the test")


def test_noop_build_imports_no_papermill_or_nbconvert(project, tmp_path):
    """A fresh manifest for every page → nothing runs and no heavy module is imported."""
    args = ("build", "--notebooks", str(project), "--out", str(tmp_path / "out"), "--lang", "en")
    args += ("--only", "01")
    first = run_cli_subprocess(*args)
    assert first[0] == 0 and "papermill" in first[3]  # the first build really executes
    code, stdout, _, heavy = _twice(
        lambda: run_cli_subprocess(*args), lambda: run_cli_subprocess(*args)
    )
    assert code == 0 and stdout.startswith("up to date (1 pages)")
    assert heavy == []


# -- real builds ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One full build of the tiny project (both languages), shared by the read-only tests."""
    from tests.support.project import make_project

    root = tmp_path_factory.mktemp("proj")
    notebooks = make_project(root)
    out = root / "out"
    report = build(out, notebooks_dir=notebooks, jobs=2, progress_stream=io.StringIO())
    return notebooks, out, report


@pytest.mark.slow
def test_build_writes_every_page_executed_notebook_and_index(built):
    _, out, report = built
    assert report.ok and sorted(report.executed) == PAGES and report.retried == []
    for key in PAGES:
        lang, stem = key.split("/")
        assert (out / "executed" / lang / f"{stem}.ipynb").is_file()
        page = (out / "html" / lang / f"{stem}.html").read_text(encoding="utf-8")
        assert f'lang="{"zh-CN" if lang == "zh" else "en"}"' in page
    titles = {
        k: v["title"] for k, v in json.loads((out / MANIFEST_NAME).read_text())["entries"].items()
    }
    assert titles == {
        "en/01_alpha": "Alpha page",
        "zh/01_alpha": "Alpha page",
        "en/02_widgets": "Widgets en",
        "zh/02_widgets": "Widgets zh",
    }
    assert not list(out.rglob(".*.tmp*")) and not list(out.rglob(".*staged*"))


@pytest.mark.slow
def test_index_and_page_links_resolve_to_existing_files(built):
    _, out, _ = built
    index = out / "index.html"
    targets = _local_targets(index)
    expected = {(out / "html" / k.split("/")[0] / f"{k.split('/')[1]}.html") for k in PAGES}
    assert set(targets) == {p.resolve() for p in expected}
    soup = BeautifulSoup(index.read_text(encoding="utf-8"), "html.parser")
    assert "Widgets zh" in soup.get_text() and "Alpha page" in soup.get_text()
    for page in expected:
        links = _local_targets(page)
        assert index.resolve() in links
        assert all(target.is_file() for target in links), page
        other = "en" if page.parent.name == "zh" else "zh"
        assert (out / "html" / other / page.name).resolve() in links


@pytest.mark.slow
def test_noop_rebuild_executes_nothing_and_changes_nothing(built):
    notebooks, out, _ = built
    snapshots = []

    def refresh():
        build(out, notebooks_dir=notebooks, progress_stream=io.StringIO())
        snapshots.append(_snapshot(out))

    report = _twice(
        refresh, lambda: build(out, notebooks_dir=notebooks, progress_stream=io.StringIO())
    )
    assert report.executed == [] and sorted(report.skipped) == PAGES and report.up_to_date
    assert _snapshot(out) == snapshots[-1]


@pytest.mark.slow
def test_changed_notebook_rebuilds_only_its_pages(project, tmp_path):
    out = tmp_path / "out"
    edits = itertools.count()

    def full_build():
        assert build(out, notebooks_dir=project, progress_stream=io.StringIO()).ok

    def change_and_build():
        write_notebook(
            project / "01_alpha.ipynb",
            "print('changed')",
            heading=f"# Alpha changed {next(edits)}",
            params='lang: str = "zh"  # report language: zh or en\ntitle: str = ""  # free text',
        )
        return build(out, notebooks_dir=project, progress_stream=io.StringIO())

    report = _twice(full_build, change_and_build)
    assert sorted(report.executed) == ["en/01_alpha", "zh/01_alpha"]
    assert sorted(report.skipped) == ["en/02_widgets", "zh/02_widgets"]
    assert "Alpha changed" in (out / "index.html").read_text(encoding="utf-8")

    def change_parameter():
        title = f"t{next(edits)}"
        return build(
            out, notebooks_dir=project, params={"title": title}, langs=("en",), only=["01"]
        )

    # a parameter change is a change too
    assert _twice(lambda: None, change_parameter).executed == ["en/01_alpha"]


@pytest.mark.slow
def test_failing_notebook_keeps_previous_page_and_reports_the_cell(project, tmp_path):
    out = tmp_path / "out"
    assert build(out, notebooks_dir=project, langs=("en",), progress_stream=io.StringIO()).ok
    page = out / "html" / "en" / "01_alpha.html"
    executed = out / "executed" / "en" / "01_alpha.ipynb"
    good_page, good_nb = page.read_bytes(), executed.read_bytes()
    manifest_before = json.loads((out / MANIFEST_NAME).read_text())["entries"]["en/01_alpha"]

    write_notebook(
        project / "01_alpha.ipynb",
        "x = 1",
        "raise ValueError('bad value in ' + lang)",
        heading="# Alpha page",
        params='lang: str = "zh"  # report language: zh or en\ntitle: str = ""  # free text',
    )
    code, stdout, stderr, _ = run_cli_subprocess(
        "build", "--notebooks", str(project), "--out", str(out), "--lang", "en"
    )
    assert code == 1
    assert "en/01_alpha" in stderr and "cell 3 raised ValueError: bad value in en" in stderr
    assert page.read_bytes() == good_page and executed.read_bytes() == good_nb
    failed = out / "failed" / "en" / "01_alpha.ipynb"
    assert failed.is_file() and "bad value in en" in failed.read_text(encoding="utf-8")
    after = json.loads((out / MANIFEST_NAME).read_text())["entries"]["en/01_alpha"]
    assert after == manifest_before
    assert "index: " in stdout  # the index is still written and named

    # the failure is not remembered as success: fixing the notebook rebuilds it
    shutil.copy(project / "02_widgets.ipynb", tmp_path / "keep.ipynb")
    write_notebook(project / "01_alpha.ipynb", "print(1)", heading="# Alpha fixed")
    report = build(out, notebooks_dir=project, langs=("en",), progress_stream=io.StringIO())
    assert "en/01_alpha" in report.executed and not failed.exists()


@pytest.mark.slow
def test_build_raises_nothing_for_a_failure_but_reports_it(project, tmp_path):
    write_notebook(project / "03_broken.ipynb", "1 / 0", heading="# Broken")
    report = build(
        tmp_path / "out", notebooks_dir=project, langs=("zh",), progress_stream=io.StringIO()
    )
    assert list(report.failed) == ["zh/03_broken"]
    err = report.failed["zh/03_broken"]
    assert isinstance(err, NotebookExecutionError) and err.cell_index == 2
    assert sorted(report.executed) == ["zh/01_alpha", "zh/02_widgets"]
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "03_broken" not in index  # no page, no link


@pytest.mark.slow
def test_plotlyjs_directory_mode_shares_one_file(project, tmp_path):
    chart = (
        "import plotly.graph_objects as go\n"
        "from ziyang_lib.report.charts.display import show\n"
        "show(go.Figure(go.Bar(x=[1, 2], y=[3, 4])), chart_id='bars')"
    )
    write_notebook(project / "03_chart.ipynb", chart, heading="# Chart")
    out = tmp_path / "out"
    report = build(
        out,
        notebooks_dir=project,
        langs=("en",),
        only=["03_chart"],
        plotlyjs="directory",
        progress_stream=io.StringIO(),
    )
    assert report.ok, report.failed
    page = out / "html" / "en" / "03_chart.html"
    assert (out / "html" / "plotly.min.js").is_file()
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    sources = [s["src"] for s in soup.find_all("script", src=True)]
    assert sources == ["../plotly.min.js"]
    assert page.stat().st_size < 200_000


@pytest.mark.slow
@pytest.mark.browser
def test_index_and_pages_work_offline_in_chromium(built, browser):  # noqa: F811
    _, out, _ = built
    index = browser.open_page(out / "index.html", find_text="Widgets zh")
    assert index.text_found and not index.errors and not index.external_requests
    assert index.lang == "zh-CN"
    for lang, text in (("zh", "lang: zh"), ("en", "lang: en")):
        page = browser.open_page(out / "html" / lang / "01_alpha.html", find_text=text)
        assert page.text_found, page.text[:200]
        assert not page.errors and not page.external_requests and not page.broken_anchors


@pytest.mark.slow
def test_an_output_the_page_cannot_show_fails_the_page_not_the_build(project, tmp_path):
    out = tmp_path / "out"
    assert build(out, notebooks_dir=project, langs=("en",), progress_stream=io.StringIO()).ok
    page = out / "html" / "en" / "01_alpha.html"
    good = page.read_bytes()
    write_notebook(
        project / "01_alpha.ipynb",
        "from IPython.display import display\ndisplay({'application/x-unknown': 'x'}, raw=True)",
        heading="# Alpha page",
    )
    report = build(out, notebooks_dir=project, langs=("en",), progress_stream=io.StringIO())
    assert list(report.failed) == ["en/01_alpha"]
    assert "not able to be represented" in str(report.failed["en/01_alpha"])
    assert page.read_bytes() == good
    assert (out / "failed" / "en" / "01_alpha.ipynb").is_file()
    assert not list((out / "executed" / "en").glob(".*"))


@pytest.mark.slow
def test_a_page_good_again_loses_its_stale_failed_notebook(project, tmp_path):
    out = tmp_path / "out"
    write_notebook(project / "03_broken.ipynb", "1 / 0", heading="# Broken")
    alpha = project / "01_alpha.ipynb"
    good = alpha.read_bytes()

    def run():
        return build(out, notebooks_dir=project, langs=("en",), only=["01", "03"], jobs=2,
                     progress_stream=io.StringIO())  # fmt: skip

    assert list(run().failed) == ["en/03_broken"]
    write_notebook(alpha, "raise ValueError('broken alpha')", heading="# Alpha page")
    assert sorted(run().failed) == ["en/01_alpha", "en/03_broken"]
    stale = out / "failed" / "en" / "01_alpha.ipynb"
    assert stale.is_file()

    alpha.write_bytes(good)  # back to the notebook of the last good page: it is up to date
    report = run()
    assert "en/01_alpha" in report.skipped + report.executed
    assert not stale.exists()
    assert (out / "failed" / "en" / "03_broken.ipynb").is_file()  # still failing: kept

    (project / "03_broken.ipynb").unlink()
    write_notebook(project / "03_broken.ipynb", "print('fixed')", heading="# Fixed")
    assert run().ok
    assert not (out / "failed").exists()  # no failure left, no empty folder left
