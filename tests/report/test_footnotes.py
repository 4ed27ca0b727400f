"""The source footnote a notebook prints under a chart cites the paragraphs the chart draws from.

On pages, `show()` drops the chart's in-figure source note and the notebook prints its own
footnote; the two are built separately, so this checks the printed one omits no paragraph.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ziyang_lib.report import narrative, nbtools
from ziyang_lib.report.charts.registry import all_charts

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
CHART_CELL = re.compile(r'^cited = (?P<cited>.+?)\nshow\(.*?chart_id="(?P<chart>\w+)"', re.S)


def cited_paragraphs(expression: str) -> set[int]:
    cited = eval(expression, {"nbtools": nbtools, "data_dir": None})  # noqa: S307 - our notebooks
    return set(narrative.paragraphs(cited))


def figure_paragraphs(fig) -> set[int]:
    text = " ".join(a.text for a in fig.layout.annotations if a.name == "footnote")
    found = {int(n) for n in re.findall(r"¶(\d+)", text)}
    for first, last in re.findall(r"¶(\d+)–¶(\d+)", text):
        found |= set(range(int(first), int(last) + 1))
    return found


def chart_cells() -> list[tuple[str, str, str]]:
    cells = []
    for path in sorted(NOTEBOOKS.glob("0[0-3]_*.ipynb")):
        for cell in json.loads(path.read_text("utf-8"))["cells"]:
            match = CHART_CELL.match("".join(cell["source"]))
            if cell["cell_type"] == "code" and match:
                cells.append((path.stem, match["chart"], match["cited"]))
    return cells


def test_every_chart_cell_is_checked() -> None:
    charts = {
        (s.notebook, s.chart_id) for s in all_charts() if s.notebook[:2] in {"00", "01", "02", "03"}
    }
    assert {(nb, chart) for nb, chart, _ in chart_cells()} == charts


@pytest.mark.parametrize(("notebook", "chart_id", "cited"), chart_cells())
def test_printed_footnote_cites_the_chart_paragraphs(notebook: str, chart_id: str, cited: str):
    spec = next(s for s in all_charts() if (s.notebook, s.chart_id) == (notebook, chart_id))
    drawn_from = figure_paragraphs(spec.build("en"))
    missing = drawn_from - cited_paragraphs(cited)
    assert not missing, f"{notebook}/{chart_id}: the printed footnote omits ¶{sorted(missing)}"
