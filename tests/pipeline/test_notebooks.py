"""The report notebooks: their shape as committed, and that they run to the end.

The committed notebooks are the source of the pages (nothing generates them). Fast tests check
their shape (tests/support/nbshape.py), never their text against generated text; `slow` tests use
the session's executions (tests/nbfixtures), which go through
``ziyang_lib.pipeline.execute.execute_notebook`` with timeouts.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from tests.support import nbshape
from tests.support.nbfixtures import LANGS, NOTEBOOKS, ROOT, executed  # noqa: F401
from ziyang_lib.pipeline.params import read_parameters
from ziyang_lib.report.charts.display import PLOTLY_MIMETYPE
from ziyang_lib.report.charts.registry import PAGES, SOURCE_PAGES
from ziyang_lib.report.page import REPORT_HIDE_TAG, Page, page_title
from ziyang_lib.report.text import catalogue, t

WIDGET_MIMETYPE = "application/vnd.jupyter.widget-view+json"
ALL = sorted(PAGES)
source, code_cells = nbshape.source, nbshape.code_cells


def committed(stem: str) -> dict:
    return json.loads((ROOT / "notebooks" / f"{stem}.ipynb").read_text("utf-8"))


# --- the committed files --------------------------------------------------------------------------


def test_every_page_has_a_committed_notebook() -> None:
    assert sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")) == ALL


@pytest.mark.parametrize("stem", ALL)
def test_the_notebook_has_the_shape_of_a_page(stem: str) -> None:
    nb = committed(stem)
    assert nbshape.problems(nb, stem) == []
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    params = {p.name: p for p in read_parameters(ROOT / "notebooks" / f"{stem}.ipynb")}
    assert params["lang"].default == "zh" and params["lang"].choices == LANGS
    assert params["data_dir"].default == ""


def analyst_cells() -> list[dict]:
    """What an analyst adds in JupyterLab: a filtered table, a line on a chart, a computation."""
    from nbformat.v4 import new_code_cell, new_markdown_cell

    return [
        new_markdown_cell("My own note: the money figures only."),
        new_code_cell('indicator_table(figures[figures["unit"] == "元"], lang)'),
        new_code_cell(
            "fig = leadership.build_income_path(income, lang)\n"
            'fig.add_scatter(x=[2015, 2020], y=[2982, 10740], name=page.t("charts.x.name"))\n'
            'page.show(fig, "income_path", cites=["cn_registered_poor_income_2015"])'
        ),
        new_code_cell(
            "ratio = metrics.ratio_of(income['poor_income_2019'], income['poor_income_2013'])"
        ),
    ]


def test_cells_an_analyst_adds_keep_the_shape() -> None:
    nb = committed("01_party_leadership")
    edited = copy.deepcopy(nb)
    edited["cells"][6:6] = analyst_cells()
    assert nbshape.problems(edited, "01_party_leadership") == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda nb: nb["cells"].pop(1), "cells tagged parameters"),
        (lambda nb: nb["cells"][0]["metadata"].update(tags=[]), "not tagged report-hide"),
        (lambda nb: nb["cells"].append(_md("There were 325 villages.")), "types a number"),
        (lambda nb: nb["cells"].append(_code("fig.show()")), "without its source note"),
        (lambda nb: nb["cells"].append(_code('cited = ["poor_villages"]')), "its own list"),
        (lambda nb: _drop(nb, "indicator_table("), "indicator_table"),
        (lambda nb: _drop(nb, 'page.show(fig, "funds")'), "registered charts not shown"),
        (lambda nb: _replace(nb, "show_widgets=show_widgets", ""), "check_notebook checks"),
    ],
)
def test_the_shape_check_can_fail(change, problem: str) -> None:
    nb = copy.deepcopy(committed("01_party_leadership"))
    change(nb)
    found = nbshape.problems(nb, "01_party_leadership")
    assert any(problem in p for p in found), found


def _md(text: str) -> dict:
    from nbformat.v4 import new_markdown_cell

    return new_markdown_cell(text)


def _code(text: str) -> dict:
    from nbformat.v4 import new_code_cell

    return new_code_cell(text)


def _drop(nb: dict, text: str) -> None:
    nb["cells"] = [c for c in nb["cells"] if text not in source(c)]


def _replace(nb: dict, old: str, new: str) -> None:
    for cell in nb["cells"]:
        cell["source"] = source(cell).replace(old, new).replace(", )", ")")


PROSE = re.compile(r"^(\w+)\.(title|intro|sections\.\w+\.(heading|sentence)|charts\..+)$")


def test_page_words_type_no_numbers() -> None:
    """Titles, intros, headings, sentences and chart texts carry no digits: every number comes
    from data through a {field} (plotly format codes like %{y:.0f} are not numbers either)."""
    from ziyang_lib.truth.source import load_source

    raw = load_source().raw
    checked = 0
    for key, texts in catalogue().items():
        match = PROSE.match(key)
        if not match or match.group(1) not in PAGES.values():
            continue
        for lang, text in texts.items():
            bare = re.sub(r"%?\{[^}]*\}", "", text)
            if texts["zh"] in raw and re.findall(r"\d+", bare) == re.findall(r"\d+", texts["zh"]):
                continue  # a name the source itself uses (扶贫120), in its own digits
            assert not re.search(r"\d", bare), f"{key} ({lang}) types a number: {text!r}"
            checked += 1
    assert checked > 300


def test_page_titles_and_intros_are_in_one_language() -> None:
    cjk = re.compile(r"[\u4e00-\u9fff]")
    for stem, key in PAGES.items():
        for part in ("title", "intro"):
            zh, en = (t(f"{key}.{part}", lang) for lang in LANGS)
            assert cjk.search(zh) and not cjk.search(en), f"{stem} {part}"
            assert "papermill" not in zh + en and "run" not in en.lower().split()
    with pytest.raises(KeyError, match="99_nowhere"):
        page_title("99_nowhere", "en")


def test_page_title_skips_the_hidden_intro() -> None:
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

    from ziyang_lib.pipeline.build import first_heading

    hidden = new_markdown_cell("# 总览 · Overview", metadata={"tags": [REPORT_HIDE_TAG]})
    title = new_code_cell("page.title()")
    title.outputs = [new_output("display_data", data={"text/markdown": "# Overview\n\nIntro."})]
    nb = new_notebook(cells=[hidden, title])
    assert first_heading(nb) == "Overview"
    hidden.metadata["tags"] = []
    assert first_heading(nb) == "总览 · Overview"


def test_page_refuses_a_bad_language_and_bad_data(tmp_path: Path) -> None:
    from ziyang_lib.errors import DataError

    with pytest.raises(ValueError, match="lang"):
        Page("01_party_leadership", "fr", "")
    (tmp_path / "indicators.csv").write_text("id\n", encoding="utf-8")
    with pytest.raises(DataError):
        Page("01_party_leadership", "en", str(tmp_path))
    page = Page("01_party_leadership", "en", "")
    assert page.data_dir is None and "poor_income_2013" in page.indicator_ids


# --- executions -------------------------------------------------------------------------------


def outs_all(nb) -> list[dict]:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


def outputs(nb) -> list[dict]:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_notebook_runs_to_the_end(executed, stem: str, lang: str) -> None:  # noqa: F811
    nb = executed.run((stem, lang)).notebook()
    outs = outputs(nb)
    assert not [o for o in outs if o["output_type"] == "error"]
    assert not [o for o in outs if o.get("name") == "stderr"], f"{stem}/{lang} wrote to stderr"
    # a chart is a plot or a block of page text standing for one (key numbers, a list, a table)
    charts = [o for o in outs if o.get("metadata", {}).get("ziyang", {}).get("draws")]
    shown = sum(source(c).count("page.show(") for c in code_cells(committed(stem)))
    assert len(charts) == shown >= (0 if stem in SOURCE_PAGES else nbshape.MIN_CHARTS)
    assert stem in SOURCE_PAGES or any(PLOTLY_MIMETYPE in o["data"] for o in charts)
    # every chart is followed by its source note, from its record, then "About this data"
    for cell in nb.cells:
        cell_outs = cell.get("outputs", [])
        for k, out in enumerate(cell_outs):
            ours = out.get("metadata", {}).get("ziyang", {})
            if ours.get("draws"):
                chart_id = ours["chart_id"]
                assert cell_outs[k + 1]["metadata"]["ziyang"]["note_of"] == chart_id
                assert cell_outs[k + 2]["metadata"]["ziyang"]["about_of"] == chart_id
    # the page's figures (a source page: its mentions) are shown as a table, every value with
    # its provenance
    kind = "source" if stem in SOURCE_PAGES else "table"
    tables = [o for o in outs_all(nb) if o.get("metadata", {}).get("ziyang", {}).get(kind)]
    if stem in SOURCE_PAGES:
        tables = [o for o in tables if o["metadata"]["ziyang"]["source"] == "mentions"]
    assert tables and "<table" in tables[0]["data"]["text/html"]
    assert len(tables[0]["metadata"]["ziyang"]["numbers"]) >= 3
    # the last cell ran: its outputs are there
    assert nb.cells[-1].get("outputs"), f"{stem}/{lang}: the last cell has no output"
    headings = [o["data"]["text/markdown"] for o in outs if "text/markdown" in o.get("data", {})]
    assert any(h.startswith("## ") for h in headings)
    # the page title is the notebook's own heading in `lang`, not the bilingual intro's
    from ziyang_lib.pipeline.build import first_heading

    assert first_heading(nb) == page_title(stem, lang)


@pytest.mark.slow
@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_languages_differ_and_zh_is_chinese(executed, stem: str) -> None:  # noqa: F811
    texts = {}
    for lang in LANGS:
        outs = outputs(executed.run((stem, lang)).notebook())
        texts[lang] = " ".join(o["data"].get("text/markdown", "") for o in outs if "data" in o)
    cjk = re.compile(r"[\u4e00-\u9fff]")
    latin_words = re.compile(r"\b[A-Za-z]{4,}\b")
    assert len(cjk.findall(texts["zh"])) > 5 * len(latin_words.findall(texts["zh"]))
    assert len(latin_words.findall(texts["en"])) > len(cjk.findall(texts["en"]))


@pytest.mark.slow
def test_widgets_shown_only_when_asked(executed) -> None:  # noqa: F811
    with_widgets = outputs(executed.run(("01_party_leadership", "en")).notebook())
    without = outputs(executed.run("no_widgets").notebook())
    n_with = sum(WIDGET_MIMETYPE in o.get("data", {}) for o in with_widgets)
    n_without = sum(WIDGET_MIMETYPE in o.get("data", {}) for o in without)
    assert n_with >= 1 and n_without == 0
    charts = [o for o in without if PLOTLY_MIMETYPE in o.get("data", {})]
    assert len(charts) == sum(PLOTLY_MIMETYPE in o.get("data", {}) for o in with_widgets)


@pytest.mark.slow
def test_bad_language_fails_in_setup_with_a_clear_error(executed) -> None:  # noqa: F811
    from ziyang_lib.errors import NotebookExecutionError

    error = executed.run("bad_lang").error
    assert isinstance(error, NotebookExecutionError)
    assert error.ename == "ParameterError"  # the same check and message as ziyang-report's
    assert "'lang'" in error.evalue and "'fr' is not one of 'zh', 'en'" in error.evalue
    nb = committed("01_party_leadership")
    setup_index = next(i for i, c in enumerate(nb["cells"]) if "check_notebook(" in source(c))
    assert error.cell_index == setup_index


@pytest.mark.slow
def test_plain_papermill_refuses_the_text_false_with_the_fix(tmp_path: Path) -> None:
    """`papermill … -p show_widgets false` (the form people type) passes the string "false":
    the setup cell refuses it, naming the fix, instead of showing the widgets."""
    import subprocess
    import sys

    out = tmp_path / "out.ipynb"
    nb = ROOT / "notebooks" / "01_party_leadership.ipynb"
    args = [sys.executable, "-m", "papermill", str(nb), str(out), "-p", "show_widgets", "false"]
    run = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode != 0
    assert "ParameterError" in run.stderr and "-p show_widgets False" in run.stderr
    executed_nb = json.loads(out.read_text("utf-8"))
    widgets = [o for c in code_cells(executed_nb) for o in c.get("outputs", [])
               if WIDGET_MIMETYPE in o.get("data", {})]  # fmt: skip
    assert widgets == []
