"""A chart owns what it cites: its record (`ziyang_lib.report.charts.registry`) is the one list.

The note printed under a chart and the note of its static export both come from the record, so
nothing here compares two lists. What can still go wrong is a record that cites less than its
chart draws: a builder quoting a sentence of the source in a hover whose paragraph the record
does not cite. This reads every hover of every chart and checks each quoted source sentence
against the paragraphs the note names.
"""

from __future__ import annotations

import re

import pytest

from tests.support.figure_text import flat, hover_texts
from ziyang_lib.report.charts.registry import PAGES, all_charts, charts_of, get
from ziyang_lib.truth.provenance import paragraphs
from ziyang_lib.truth.records import Records
from ziyang_lib.truth.source import load_source

SENTENCE = re.compile(r"[^。！？；]+[。！？；]?")
MIN_CHARS = 12  # shorter pieces (a heading, a name) are not evidence of a quotation


def hovers(fig) -> str:
    """What a chart quotes on hover, or all a block of page text says."""
    return flat(fig.html) if hasattr(fig, "html") else hover_texts(fig)


def quoted_paragraphs(fig) -> set[int]:
    """Body paragraphs of the source with a sentence drawn word for word in the hovers (a
    heading the chart uses as a label is not a quotation)."""
    source = load_source()
    drawn = hovers(fig)
    found = set()
    for row in source.paragraphs[source.paragraphs["role"] == "body"].itertuples():
        for piece in SENTENCE.findall(str(row.text)):
            if len(flat(piece)) >= MIN_CHARS and flat(piece) in drawn:
                found.add(int(row.para))
    return found


CHARTS = sorted(
    {spec.chart_id for spec in all_charts()} | {c.chart_id for p in PAGES for c in charts_of(p)}
)


def test_quoted_paragraphs_are_found() -> None:
    """The reader of quotations finds something (it could otherwise pass every chart)."""
    assert quoted_paragraphs(get("income_path").build("en"))
    assert quoted_paragraphs(get("timeline").build("zh"))


@pytest.mark.parametrize("chart_id", CHARTS)
def test_the_note_cites_every_paragraph_the_chart_quotes(chart_id: str) -> None:
    record = get(chart_id)
    cited = set(paragraphs(record.draws))
    for lang in ("zh", "en"):
        missing = quoted_paragraphs(record.build(lang)) - cited
        assert not missing, f"{chart_id}: draws ¶{sorted(missing)} but its record does not cite it"


def test_a_builder_cannot_draw_what_its_record_does_not_declare() -> None:
    record = get("income_path")
    data = Records(record.draws[:1])
    with pytest.raises(KeyError, match="poor_income_2019"):
        record.draw(data, "en")
    with pytest.raises(KeyError, match="not declared"):
        Records(["poor_villages"]).term("3+22")


def test_a_cell_can_add_to_what_the_note_cites() -> None:
    record = get("income_path")
    plain = record.note_text("en")
    added = record.note_text("en", extra=["cn_registered_poor_income_2015"])
    assert plain in added or added.endswith(plain.split(", ¶")[-1])
    assert added != plain
