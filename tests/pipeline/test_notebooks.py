"""The report notebooks 00–03: how they are committed, and that they run to the end.

Fast tests read the committed files; `slow` tests use the session's executions (tests/nbfixtures),
which go through ``ziyang_lib.pipeline.execute.execute_notebook`` with timeouts.
"""

from __future__ import annotations

import io
import json
import re
import tokenize
from pathlib import Path

import pytest

from tests.support.nbfixtures import LANGS, NOTEBOOKS, ROOT, executed  # noqa: F401
from ziyang_lib.pipeline.params import read_parameters
from ziyang_lib.report import nbtools
from ziyang_lib.report.charts.display import PLOTLY_MIMETYPE
from ziyang_lib.report.text import t

PARAM_LINE = re.compile(r"^(\w+): (str|int|float|bool) = (\S.*?)  # (\S.*)$")
WIDGET_MIMETYPE = "application/vnd.jupyter.widget-view+json"
MIN_CHARTS = 4


def committed(stem: str) -> dict:
    return json.loads((ROOT / "notebooks" / f"{stem}.ipynb").read_text("utf-8"))


def source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def code_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def is_parameters(cell: dict) -> bool:
    return "parameters" in cell.get("metadata", {}).get("tags", [])


# --- the committed files --------------------------------------------------------------------------


@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_committed_without_outputs(stem: str) -> None:
    nb = committed(stem)
    for cell in code_cells(nb):
        assert cell.get("outputs") == [], f"{stem}: a code cell has outputs"
        assert cell.get("execution_count") is None, f"{stem}: a code cell has a count"
    assert "widgets" not in nb["metadata"], f"{stem}: widget state committed"
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_one_parameters_cell_in_the_typed_form(stem: str) -> None:
    cells = [c for c in committed(stem)["cells"] if is_parameters(c)]
    assert len(cells) == 1, f"{stem}: {len(cells)} cells tagged parameters"
    lines = source(cells[0]).splitlines()
    for line in lines:
        assert PARAM_LINE.match(line), f"{stem}: not `name: type = default  # help`: {line!r}"
    params = {p.name: p for p in read_parameters(ROOT / "notebooks" / f"{stem}.ipynb")}
    assert params["lang"].default == "zh" and params["lang"].choices == LANGS
    assert params["data_dir"].default == ""
    assert params["show_widgets"].type == "bool"
    assert len(params) == len(lines)


@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_first_cell_says_how_to_run(stem: str) -> None:
    first = committed(stem)["cells"][0]
    assert first["cell_type"] == "markdown"
    text = source(first)
    assert text.startswith("# ")
    assert f"papermill notebooks/{stem}.ipynb out.ipynb -p lang en" in text
    assert f"ziyang-report build --only {stem}" in text
    assert "JupyterLab" in text
    title_line = text.splitlines()[0]
    for lang in LANGS:  # bilingual for notebook users: both titles and both intros
        assert nbtools.page_title(stem, lang) in title_line
        assert t(f"notebooks.{nbtools.PAGES[stem]}.intro", lang) in text
    # … and left out of the HTML report
    assert first["metadata"]["tags"] == [nbtools.REPORT_HIDE_TAG]


@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_the_title_cell_follows_the_setup_cell(stem: str) -> None:
    cells = committed(stem)["cells"]
    setup = next(i for i, c in enumerate(cells) if "nbtools.setup(" in source(c))
    assert source(cells[setup + 1]) == f'nbtools.title("{stem}", lang)'
    hidden = [c for c in cells if nbtools.REPORT_HIDE_TAG in c["metadata"].get("tags", [])]
    assert hidden == [cells[0]]


def test_page_titles_and_intros_are_in_one_language_without_numbers() -> None:
    cjk = re.compile(r"[\u4e00-\u9fff]")
    for stem in [*NOTEBOOKS, "04_context"]:
        for part in ("title", "intro"):
            zh, en = (t(f"notebooks.{nbtools.PAGES[stem]}.{part}", lang) for lang in LANGS)
            assert cjk.search(zh) and not cjk.search(en), f"{stem} {part}"
            assert not re.search(r"\d", zh + en), f"{stem} {part} has a number"
            assert "papermill" not in zh + en and "run" not in en.lower().split()
    with pytest.raises(KeyError, match="99_nowhere"):
        nbtools.page_title("99_nowhere", "en")


def test_page_title_skips_the_hidden_intro() -> None:
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

    from ziyang_lib.pipeline.build import first_heading

    hidden = new_markdown_cell("# 总览 · Overview", metadata={"tags": [nbtools.REPORT_HIDE_TAG]})
    title = new_code_cell("nbtools.title(...)")
    title.outputs = [new_output("display_data", data={"text/markdown": "# Overview\n\nIntro."})]
    nb = new_notebook(cells=[hidden, title])
    assert first_heading(nb) == "Overview"
    hidden.metadata["tags"] = []
    assert first_heading(nb) == "总览 · Overview"


@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_committed_notebook_is_what_nbtools_generates(stem: str) -> None:
    generated = nbtools.build_notebook(stem)
    nb = committed(stem)
    assert [source(c) for c in nb["cells"]] == [c.source for c in generated.cells], (
        f"{stem} differs from ziyang_lib.report.nbtools.NOTEBOOKS; regenerate with "
        "`python -m ziyang_lib.nbtools` after editing the spec"
    )


def allowed_strings() -> set[str]:
    """String literals a notebook cell may hold: ids, terms, keys — never prose or numbers."""
    from ziyang_lib.report.charts.registry import all_charts
    from ziyang_lib.report.text import catalogue
    from ziyang_lib.truth.loaders import load_events, load_glossary, load_indicators

    keys = {k.removeprefix("notebooks.") for k in catalogue() if k.startswith("notebooks.")}
    return (
        set(load_indicators()["id"])
        | set(load_glossary()["term"])
        | set(load_events()["event_id"])
        | {spec.chart_id for spec in all_charts()}
        | keys
        | set(nbtools.PAGES)
        | {"events", "glossary", "mentions"}
    )


@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_code_cells_type_no_numbers_or_prose(stem: str) -> None:
    allowed = allowed_strings()
    for cell in code_cells(committed(stem)):
        if is_parameters(cell):
            continue
        tokens = tokenize.generate_tokens(io.StringIO(source(cell)).readline)
        for tok in tokens:
            assert tok.type != tokenize.NUMBER, f"{stem}: number typed in a cell: {tok.string}"
            if tok.type == tokenize.STRING:
                text = tok.string.strip("\"'")
                assert text in allowed, f"{stem}: literal {tok.string} is not an id/key/term"


@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_every_chart_has_a_footnote_and_there_are_enough(stem: str) -> None:
    charts = [c for c in code_cells(committed(stem)) if "show(" in source(c)]
    assert len(charts) >= MIN_CHARTS
    for cell in charts:
        assert "narrative.footnote(" in source(cell), f"{stem}: chart without footnote"


def test_setup_rejects_a_bad_language_and_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="lang"):
        nbtools.setup("fr", "")
    with pytest.raises(ValueError, match="data_dir"):
        nbtools.setup("en", str(tmp_path / "nowhere"))
    assert nbtools.setup("en", "") == ("en", None)


# --- executions -------------------------------------------------------------------------------


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
    charts = [o for o in outs if PLOTLY_MIMETYPE in o.get("data", {})]
    shown = sum(source(c).count("show(") for c in code_cells(committed(stem)))
    assert len(charts) == shown >= MIN_CHARTS
    for chart in charts:
        assert chart["metadata"]["ziyang"]["chart_id"]
    # the last cell ran: its outputs are there
    assert nb.cells[-1].get("outputs"), f"{stem}/{lang}: the last cell has no output"
    headings = [o["data"]["text/markdown"] for o in outs if "text/markdown" in o.get("data", {})]
    assert any(h.startswith("## ") for h in headings)
    # the page title is the notebook's own heading in `lang`, not the bilingual intro's
    from ziyang_lib.pipeline.build import first_heading

    assert first_heading(nb) == nbtools.page_title(stem, lang)


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


@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_every_registered_chart_of_the_notebook_is_shown(stem: str) -> None:
    from ziyang_lib.report.charts.registry import all_charts

    cells = [source(c) for c in code_cells(committed(stem))]
    shown = re.findall(r'show\(([\w.]+)\(lang, data_dir\), chart_id="(\w+)"', "\n".join(cells))
    registered = {s.chart_id: s.build for s in all_charts() if s.notebook == stem}
    assert sorted(chart_id for _, chart_id in shown) == sorted(registered)
    for builder, chart_id in shown:
        assert builder.rsplit(".", 1)[-1] == registered[chart_id].__name__


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
