"""How context figures are cited (issue 12): original publication first, n.d. for an undated
one, the producer's-site copy as the link, reposts only inside a closed <details> block."""

from __future__ import annotations

import csv
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from ziyang_lib.report import notes, provenance
from ziyang_lib.report.charts.registry import get
from ziyang_lib.report.citation import RETRIEVED_CLASS, citation
from ziyang_lib.report.tables import indicator_table
from ziyang_lib.report.text import t
from ziyang_lib.truth import context
from ziyang_lib.truth.records import indicator_frame

DATA = Path(__file__).resolve().parents[2] / "data"


class Links(HTMLParser):
    """Every <a href> of an HTML text, with whether it sits inside a closed retrieved-from
    <details> block (`inside`) or anywhere else (`outside`)."""

    def __init__(self) -> None:
        super().__init__()
        self.depth: list[bool] = []  # one entry per open <details>: is it a closed repost list
        self.inside: list[str] = []
        self.outside: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "details":
            classes = (found.get("class") or "").split()
            self.depth.append(RETRIEVED_CLASS in classes and "open" not in found)
        elif tag == "a" and found.get("href"):
            (self.inside if any(self.depth) else self.outside).append(str(found["href"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "details" and self.depth:
            self.depth.pop()


def links_of(text: str) -> Links:
    parser = Links()
    parser.feed(text)
    return parser


def markdown_links(text: str) -> list[str]:
    return re.findall(r"\]\((https?://[^)\s]+)\)", text)


def _edit(folder: Path, row_id: str, **cells: str) -> None:
    path = folder / "context.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        if row["context_id"] == row_id:
            row.update(cells)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_undated_publication_is_n_d(lang: str) -> None:
    nd = t("context.date.none", lang)
    area = context.context_figure("zy_area_official")
    assert area.source_date == "" and nd in citation(area, lang)
    assert provenance.resolve("date(zy_area_official)", lang) == nd
    # on a chart's note: the undated end-2016 figure of the national series
    note = notes.note(get("national_rural_poor").draws, lang).markdown
    assert nd in note and nd in notes.note_text(get("national_rural_poor").draws, lang)
    assert re.search(r"\d{4}", nd) is None  # no made-up year


def test_a_date_removed_from_the_data_becomes_n_d(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    before = notes.note(get("funds_discrepancy").draws, "en", folder).markdown
    assert t("context.date.none", "en") not in before
    _edit(folder, "zy_funds_2020_03", source_date="")
    after = notes.note(get("funds_discrepancy").draws, "en", folder).markdown
    assert t("context.date.none", "en") in after


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_notes_cite_the_publication_and_collapse_the_reposts(lang: str) -> None:
    for chart_id in ("national_rural_poor", "funds_discrepancy", "sichuan_poor_counties"):
        draws = get(chart_id).draws
        figs = [f for f in map(context.figure, draws) if isinstance(f, context.ContextFigure)]
        note = notes.note(draws, lang).markdown
        found = links_of(note)
        visible = markdown_links(note) + found.outside
        # the visible links are the producers' own sites; every repost is in the closed block
        assert all(context.is_producer_site(u) for u in visible), chart_id
        assert bool(visible) == any(f.url for f in figs), chart_id
        reposts = {u for f in figs for u in f.repost_urls}
        assert reposts and reposts <= set(found.inside), chart_id
        for fig in figs:
            assert fig.publication_in(lang) in note
            if fig.reposts_only:
                assert t("context.cite.reposts_only", lang).strip() in note


def test_the_indicator_table_collapses_reposts_too() -> None:
    ids = ["cn_rural_poor_2012", "zy_funds_2020_03", "poor_villages"]
    page = indicator_table(indicator_frame(ids), "en").to_html()
    found = links_of(page)
    assert "http://j.people.com.cn/n3/2020/0125/c94475-9651734.html" in found.outside
    assert "https://p2.ttnews.xyz/a/5e6c3365dc9b5e221ac4272f" in found.inside
    assert not [u for u in found.outside if not context.is_producer_site(u)]
    assert "People's Daily, 2020-01-25" in page and "known only from reposts" in page
