"""export: a notebook executed elsewhere → the report page (language, refusals, CLI, nbconvert)."""

from __future__ import annotations

import nbformat
import plotly.graph_objects as go
import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from ziyang_lib.errors import ParameterError
from ziyang_lib.pipeline.cli import cli
from ziyang_lib.pipeline.export import ExportError, notebook_lang, page_from_notebook
from ziyang_lib.pipeline.html_export import PLOTLYJS_NAME, plotlyjs_source
from ziyang_lib.report.charts.display import chart_bundle


def executed_notebook(*, default: str = "zh", injected: str | None = None, recorded=None):
    """A notebook as papermill leaves it: parameters cell, maybe an injected cell, one chart."""
    params = new_code_cell(f'lang: str = "{default}"  # report language: zh or en')
    params.metadata["tags"] = ["parameters"]
    cells = [new_markdown_cell("# Page heading"), params]
    if injected is not None:
        cell = new_code_cell(f'# Parameters\nlang = "{injected}"\n')
        cell.metadata["tags"] = ["injected-parameters"]
        cells.append(cell)
    data, metadata = chart_bundle(
        go.Figure(go.Bar(x=[1, 2], y=[3, 4]), layout={"title": {"text": "Bars"}}), chart_id="bars"
    )
    cells.append(
        new_code_cell(
            "show(fig)", outputs=[new_output("display_data", data=data, metadata=metadata)]
        )
    )
    nb = new_notebook(cells=cells)
    if recorded is not None:
        nb.metadata["papermill"] = {"parameters": recorded, "exception": None}
    return nb


@pytest.mark.parametrize(
    ("kwargs", "lang"),
    [
        ({}, "zh"),  # JupyterLab: the parameters cell as written
        ({"default": "en"}, "en"),
        ({"injected": "en"}, "en"),  # papermill's injected cell overrides the default
        ({"injected": "en", "recorded": {"lang": "zh"}}, "zh"),  # papermill's own record first
    ],
)
def test_the_page_language_is_the_one_the_notebook_ran_in(kwargs, lang):
    nb = executed_notebook(**kwargs)
    assert notebook_lang(nb) == lang
    page = page_from_notebook(nb, name="x.ipynb")
    assert f'<html lang="{"zh-CN" if lang == "zh" else "en"}"' in page.html
    assert page.n_charts == 1 and "<title>Page heading</title>" in page.html


def test_an_explicit_language_wins_and_a_missing_or_bad_one_is_refused():
    nb = executed_notebook(injected="en")
    assert '<html lang="zh-CN"' in page_from_notebook(nb, name="x.ipynb", lang="zh").html
    nb.cells = [c for c in nb.cells if "tags" not in c.metadata]
    assert notebook_lang(nb) is None
    with pytest.raises(ParameterError, match="x.ipynb: parameter 'lang': the notebook sets no"):
        page_from_notebook(nb, name="x.ipynb")
    with pytest.raises(ParameterError, match="'fr' is not one of zh, en"):
        page_from_notebook(executed_notebook(injected="fr"), name="x.ipynb")


@pytest.mark.filterwarnings("ignore:Your element with mimetype")  # nbconvert's own, expected
def test_a_failed_run_or_an_unshowable_output_makes_no_page():
    nb = executed_notebook()
    error = new_output("error", ename="KeyError", evalue="'nope'", traceback=[])
    nb.cells.append(new_code_cell("boom", outputs=[error]))
    with pytest.raises(ExportError, match="x.ipynb: the run failed.*cell 3 raised KeyError"):
        page_from_notebook(nb, name="x.ipynb")
    nb = executed_notebook(recorded={"lang": "en"})
    nb.metadata["papermill"]["exception"] = True
    with pytest.raises(ExportError, match="papermill marks the run as failed"):
        page_from_notebook(nb, name="x.ipynb")
    nb = executed_notebook()
    nb.cells.append(new_code_cell("x", outputs=[new_output("display_data", data={"image/x": "?"})]))
    with pytest.raises(ExportError, match="not able to be represented"):
        page_from_notebook(nb, name="x.ipynb")


def test_export_command_writes_the_page_next_to_the_notebook_or_to_o(tmp_path):
    source = tmp_path / "run.ipynb"
    nbformat.write(executed_notebook(injected="en"), source)
    result = CliRunner().invoke(cli, ["export", str(source)])
    assert result.exit_code == 0, result.output
    assert "exported run.ipynb: 1 charts" in result.output
    page = (tmp_path / "run.html").read_text(encoding="utf-8")
    assert page.count(plotlyjs_source()) == 1 and '<html lang="en"' in page
    assert (tmp_path / "run.html").stat().st_mode & 0o444 == 0o444
    target = tmp_path / "pages" / "p.html"
    args = ["export", str(source), "-o", str(target), "--plotlyjs", "directory", "--lang", "zh"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    soup = BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser")
    assert [s["src"] for s in soup.find_all("script", src=True)] == [PLOTLYJS_NAME]
    assert (target.parent / PLOTLYJS_NAME).read_text(encoding="utf-8") == plotlyjs_source()


def test_export_command_exit_codes(tmp_path):
    source = tmp_path / "run.ipynb"
    nb = executed_notebook()
    nb.cells.append(new_code_cell("b", outputs=[new_output("error", ename="E", evalue="v")]))
    nbformat.write(nb, source)
    result = CliRunner().invoke(cli, ["export", str(source)])
    assert result.exit_code == 1 and "error: run.ipynb: the run failed" in result.output
    assert not (tmp_path / "run.html").exists()
    nbformat.write(executed_notebook(injected="fr"), source)
    assert CliRunner().invoke(cli, ["export", str(source)]).exit_code == 2
    assert CliRunner().invoke(cli, ["export", str(tmp_path / "missing.ipynb")]).exit_code == 2


def test_nbconvert_finds_the_ziyang_exporter_by_name():
    from nbconvert.exporters import get_exporter

    nb = executed_notebook(injected="en")
    page, resources = get_exporter("ziyang")().from_notebook_node(nb)
    assert resources["output_extension"] == ".html"
    assert page == page_from_notebook(nb, name="x.ipynb").html
