"""The shape every report notebook keeps (a helper module, not a test file).

`problems(nb, stem)` lists what is wrong with a notebook's shape: it checks structure, never text
equal to anything generated, and never rejects a cell an analyst adds in JupyterLab (a table, a
line on a chart, a computation): only what a page must have, and the few things it must not do.
"""

from __future__ import annotations

import ast
import re
from typing import Any

from ziyang_lib.report.charts.registry import PAGES, SOURCE_PAGES, charts_of
from ziyang_lib.report.page import REPORT_HIDE_TAG

PARAM_LINE = re.compile(r"^(\w+): (str|int|float|bool|list|dict) = (\S.*?)  # (\S.*)$")
CJK = re.compile(r"[\u4e00-\u9fff]")
CODE_SPAN = re.compile(r"`[^`]*`")
MIN_CHARTS = 4


def source(cell: dict[str, Any]) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def code_cells(nb: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def tags(cell: dict[str, Any]) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def calls(nb: dict[str, Any]) -> list[ast.Call]:
    """Every call in the notebook's code cells (parameters cell included)."""
    found = []
    for cell in code_cells(nb):
        found += [n for n in ast.walk(ast.parse(source(cell))) if isinstance(n, ast.Call)]
    return found


def name_of(call: ast.Call) -> str:
    return ast.unparse(call.func)


def parameter_lines(nb: dict[str, Any]) -> list[str]:
    cells = [c for c in code_cells(nb) if "parameters" in tags(c)]
    return source(cells[0]).splitlines() if len(cells) == 1 else []


def problems(nb: dict[str, Any], stem: str) -> list[str]:
    """Everything wrong with the shape of notebook `stem` (empty when it is right)."""
    found: list[str] = []
    cells = nb["cells"]
    # one parameters cell, every line `name: type = default  # help`
    tagged = [c for c in code_cells(nb) if "parameters" in tags(c)]
    if len(tagged) != 1:
        return [f"{len(tagged)} cells tagged parameters"]
    names = []
    for line in parameter_lines(nb):
        match = PARAM_LINE.match(line)
        if not match:
            found.append(f"not `name: type = default  # help`: {line!r}")
        else:
            names.append(match.group(1))
    # the first cell: markdown for notebook users, hidden from the report, both languages
    first = cells[0]
    text = source(first)
    if first["cell_type"] != "markdown" or not text.startswith("# "):
        found.append("the first cell is not a markdown cell opening with a # title")
    if tags(first) != [REPORT_HIDE_TAG]:
        found.append(f"the first cell is not tagged {REPORT_HIDE_TAG} (only)")
    for needed in (
        f"papermill notebooks/{stem}.ipynb out.ipynb -p lang en",
        f"ziyang-report build --only {stem}",
        "jupyter lab notebooks/",
    ):
        if needed not in text:
            found.append(f"the first cell does not say how to run it: {needed!r}")
    if not (CJK.search(text) and re.search(r"[A-Za-z]{4,} [a-z]{3,}", CODE_SPAN.sub("", text))):
        found.append("the first cell is not in both languages")
    # no number typed into prose: markdown carries digits only inside code and commands
    for cell in cells:
        if cell["cell_type"] == "markdown" and re.search(r"\d", CODE_SPAN.sub("", source(cell))):
            found.append(f"a markdown cell types a number: {source(cell)[:60]!r}")
    # the setup cell checks every parameter with ziyang-report's code, then opens the page
    checks = [c for c in calls(nb) if name_of(c) == "check_notebook"]
    if len(checks) != 1:
        found.append(f"{len(checks)} calls of check_notebook (one in the setup cell)")
    else:
        (check,) = checks
        given = {k.arg: ast.unparse(k.value) for k in check.keywords}
        if [ast.literal_eval(a) for a in check.args] != [stem]:
            found.append("check_notebook is not given this notebook's name")
        if given != {name: name for name in names}:
            found.append(f"check_notebook checks {sorted(given)}, the cell declares {names}")
    pages = [c for c in calls(nb) if name_of(c) == "Page"]
    if len(pages) != 1 or ast.literal_eval(pages[0].args[0]) != stem:
        found.append("no `page = Page(<this notebook>, lang, data_dir)`")
    if stem in SOURCE_PAGES:
        found += _source_page_problems(nb)
    else:
        found += _chart_page_problems(nb, stem)
    for call in calls(nb):
        name = name_of(call)
        if name.endswith(".show") and name != "page.show" or name in ("show", "iplot"):
            found.append(f"a chart shown without its source note: {ast.unparse(call)[:60]}")
    # a chart owns what it cites: no hand-kept lists of sources in the notebook
    code = "\n".join(source(c) for c in code_cells(nb))
    if re.search(r"\bcited\s*=", code) or "notes.note(" in code:
        found.append("a cell keeps its own list of what a chart cites")
    return found


def _chart_page_problems(nb: dict[str, Any], stem: str) -> list[str]:
    """A page of charts shows its figures as a table, then at least `MIN_CHARTS` charts."""
    found = []
    # a visible data cell: the page's figures as a readable table
    if not any(name_of(c) == "indicator_table" for c in calls(nb)):
        found.append("no cell shows the page's figures with indicator_table")
    if not any(
        name_of(c) == "indicator_frame" and "page.indicator_ids" in ast.unparse(c)
        for c in calls(nb)
    ):
        found.append("no cell loads the page's figures with indicator_frame(page.indicator_ids)")
    # charts: through page.show (which prints each chart's source note from its record)
    shown = [c for c in calls(nb) if name_of(c) == "page.show"]
    shown_ids = [ast.literal_eval(c.args[1]) for c in shown if len(c.args) > 1]
    registered = {c.chart_id for c in charts_of(stem)}
    if len(shown) < MIN_CHARTS:
        found.append(f"only {len(shown)} charts")
    missing = registered - set(shown_ids)
    if missing:
        found.append(f"registered charts not shown: {sorted(missing)}")
    return found


def _source_page_problems(nb: dict[str, Any]) -> list[str]:
    """A page of the source shows the mentions it marks as a table, then the article's parts."""
    found = []
    names = {name_of(c) for c in calls(nb)}
    if "SourceArticle" not in names:
        found.append("no cell makes the article with SourceArticle(lang, page.data_dir)")
    if not {"mention_rows", "mention_table"} <= names:
        found.append("no cell shows the marked mentions with mention_table(article, mention_rows)")
    if "article.show_part" not in names:
        found.append("no cell shows the article with article.show_part(part)")
    return found


def page_key(stem: str) -> str:
    return PAGES[stem]


def page_charts(nb: Any) -> int:
    """The plotted charts an executed notebook's page draws: its plotly outputs, and its
    explorers' offline views (an explorer without one is left off the page)."""
    plotly = "application/vnd.plotly.v1+json"
    return sum(
        plotly in out.get("data", {})
        or bool(out.get("metadata", {}).get("ziyang", {}).get("offline"))
        for cell in nb["cells"]
        for out in cell.get("outputs", [])
    )
