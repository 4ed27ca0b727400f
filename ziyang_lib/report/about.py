""" "About this data" under a chart or a table: what it draws, where the source says it, and
its data as a CSV file the reader can download offline.

``About(chart_id, refs, lang, data_dir)`` takes the references a chart's record cites (its
``draws`` plus what a cell added) and shows, collapsed (``<details>``): every figure drawn
(label, value with its qualifier and unit, period, place, and the source's sentence with its
paragraph, or for a context figure its producer and original publication as `report.citation`
cites it, the copy on the producer's site, and collapsed the reposts it was retrieved from),
the glossary terms, events and audit checks drawn, and a "Download data (CSV)" link whose file
is in the page itself (a ``data:`` URI), one row per figure, term, event or check, values in
base units as in ``data/``. Every number shown carries its provenance in the output metadata.
"""

from __future__ import annotations

import base64
import csv
import html
import io
import math
import os
import re
from collections.abc import Callable, Iterable
from typing import Any

from ziyang_lib.report import fmt
from ziyang_lib.report.citation import citation, host, repost_links
from ziyang_lib.report.html_table import Cell, Column, Row, cell, table_html, value_cell
from ziyang_lib.report.text import catalogue, check_lang, t
from ziyang_lib.truth.context import ContextFigure
from ziyang_lib.truth.provenance import parse
from ziyang_lib.truth.records import Records, load_records

DataDir = str | os.PathLike[str] | None
CSV_COLUMNS = (
    "kind", "id", "label", "value", "low", "high", "unit", "qualifier", "period", "place",
    "date", "verdict", "paragraph", "text", "producer", "url", "retrieved_from",
)  # fmt: skip
PERIOD_FORMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(\d{4})$"), "year"),
    (re.compile(r"^(\d{4})-(\d{4})$"), "span"),
    (re.compile(r"^by end-(\d{4})$"), "by_end"),
    (re.compile(r"^since (\d{4})\b.*$"), "since"),
    (re.compile(r"^per year$"), "per_year"),
    (re.compile(r"^cumulative$"), "cumulative"),
)
CSV_MIME = "text/csv;charset=utf-8"


def period_text(period: Any, lang: str) -> str:
    """An indicator's period in `lang` (``by end-2019`` → 截至2019年底); '' when there is none."""
    if period is None or (isinstance(period, float) and math.isnan(period)) or period == "":
        return ""
    for pattern, key in PERIOD_FORMS:
        match = pattern.match(str(period))
        if match:
            years = dict(zip("ab", match.groups(), strict=False))
            return t(f"about.period.{key}", lang, **years)
    return str(period)


def place_text(geo: Any, lang: str) -> str:
    """A place as the data names it, in `lang` (``Anyue county`` → 安岳县)."""
    key = f"about.place.{geo}"
    return t(key, lang) if key in catalogue() else str(geo or "")


def _number(x: Any) -> str:
    """A value as the CSV writes it: as in data/ (4736000000, 19.2), empty when missing."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    value = float(x)
    return str(int(value)) if value.is_integer() else repr(value)


class About:
    """The "About this data" block of one chart (see the module docstring)."""

    def __init__(
        self, chart_id: str, refs: Iterable[str], lang: str, data_dir: DataDir = None
    ) -> None:
        self.chart_id = chart_id
        self.lang = check_lang(lang)
        self.refs = tuple(dict.fromkeys(refs))
        self.records: Records = load_records(self.refs, data_dir)
        self.numbers: list[list[str]] = []
        self._kinds = {parse(ref)[0] for ref in self.refs}

    # --- the rows ---------------------------------------------------------------------------

    def figure_rows(self) -> list[dict[str, str]]:
        lang, rows = self.lang, []
        for ident, fig in self.records.items():
            row = {
                "kind": "figure",
                "id": ident,
                "label": fig.label(lang),
                "value": _number(fig.value),
                "low": _number(fig.low),
                "high": _number(fig.high),
                "unit": fmt.unit(fig, lang),
                "qualifier": fig.qualifier,
            }
            if isinstance(fig, ContextFigure):
                row.update(
                    period=fig.period_in(lang),
                    place=place_text(fig.geo, lang),
                    producer=fig.producer_in(lang),
                    text=citation(fig, lang),
                    url=fig.url,
                    retrieved_from=" ".join(fig.repost_urls),
                    date=fig.source_date,
                )
            else:
                row.update(
                    period=period_text(fig.period, lang),
                    place=place_text(fig.geo, lang),
                    paragraph=str(fig.paragraph),
                    text=fig.quote,
                )
            rows.append(row)
        return rows

    def _rows(
        self, kind: str, frame: Any, cells: Callable[[dict[str, Any]], dict[str, str]]
    ) -> list[dict[str, str]]:
        """One row per record of `frame` if the chart draws `kind`: its cells and paragraph."""
        if kind not in self._kinds:
            return []
        source = self.records.source
        return [
            {"kind": kind, **cells(r), "paragraph": str(source.paragraph_of(int(r["start"])))}
            for r in frame.to_dict("records")
        ]

    def term_rows(self) -> list[dict[str, str]]:
        return self._rows(
            "term",
            self.records.glossary.sort_values("start"),
            lambda r: {
                "id": str(r["term"]),
                "label": str(r["term_en"]),
                "text": str(r[f"explanation_{self.lang}"]),
            },
        )

    def event_rows(self) -> list[dict[str, str]]:
        return self._rows(
            "event",
            self.records.events,
            lambda r: {
                "id": str(r["event_id"]),
                "label": str(r[f"label_{self.lang}"]),
                "date": str(r["date"]),
                "qualifier": str(r["date_basis"]),
            },
        )

    def check_rows(self) -> list[dict[str, str]]:
        if "audit" not in self._kinds:
            return []
        from ziyang_lib.report.findings import describe, verdict_label

        checks = describe(self.records.audit())
        return [
            {
                "kind": "check",
                "id": str(r["check_id"]),
                "verdict": verdict_label(str(r["verdict"]), self.lang),
                "label": str(r[f"claim_{self.lang}"]),
                "text": str(r[f"explanation_{self.lang}"]),
            }
            for r in checks.to_dict("records")
        ]

    def rows(self) -> list[dict[str, str]]:
        """Every CSV row: figures, then terms, events and checks."""
        return self.figure_rows() + self.term_rows() + self.event_rows() + self.check_rows()

    def csv_text(self) -> str:
        """The chart's data as CSV: the columns any row fills, in `CSV_COLUMNS` order."""
        rows = self.rows()
        used = [c for c in CSV_COLUMNS if any(r.get(c) for r in rows)]
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=used, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue()

    def csv_uri(self) -> str:
        data = base64.b64encode(self.csv_text().encode("utf-8")).decode("ascii")
        return f"data:{CSV_MIME};base64,{data}"

    # --- the block --------------------------------------------------------------------------

    def _figures_html(self) -> str:
        lang = self.lang
        columns = [
            Column("label", t("ui.table.indicator", lang)),
            Column("value", t("ui.table.value", lang), numeric=True),
            Column("period", t("ui.table.period", lang)),
            Column("place", t("ui.table.place", lang)),
            Column("source", t("ui.table.source", lang)),
        ]
        rows = []
        for ident, row in zip(self.records, self.figure_rows(), strict=True):
            fig = self.records[ident]
            value = fmt.quantity(fig, lang)
            self.numbers.append([value, ident])
            sort = fig.value if fig.value is not None and fig.value == fig.value else fig.low
            rows.append(
                Row(
                    {
                        "label": cell(row["label"]),
                        "value": value_cell(value, sort),
                        "period": cell(row["period"]),
                        "place": cell(row["place"]),
                        "source": Cell(self._where_html(fig)),
                    }
                )
            )
        return table_html(columns, rows, lang, css="zy-about-figures")

    def _where_html(self, fig: Any) -> str:
        lang = self.lang
        if isinstance(fig, ContextFigure):  # cited as every page cites it (report.citation)
            who = t("context.cite.by", lang, producer=fig.producer_in(lang),
                    citation=citation(fig, lang))  # fmt: skip
            link = (
                f' <a href="{html.escape(fig.url, quote=True)}">{html.escape(host(fig.url))}</a>'
                if fig.url
                else ""
            )
            return html.escape(who) + link + repost_links(fig.repost_urls, lang)
        where = t("about.stated_in", lang, paragraph=fig.paragraph)
        return f"{html.escape(where)}: <q>{html.escape(fig.quote)}</q>"

    def _terms_html(self) -> str:
        items = []
        for row in self.term_rows():
            term = row["id"]
            if re.search(r"\d", term):
                self.numbers.append([term, f"term({term})"])
            gloss = t("about.term_gloss", self.lang, gloss=row["label"])
            items.append(
                f"<dt>{html.escape(term + gloss)}</dt><dd>{html.escape(row['text'])} "
                f"<small>¶{row['paragraph']}</small></dd>"
            )
        return f'<dl class="zy-about-terms">{"".join(items)}</dl>' if items else ""

    def _events_html(self) -> str:
        items = [
            f'<li><span class="zy-nowrap">{html.escape(row["date"])}</span> '
            f"{html.escape(row['label'])} <small>¶{row['paragraph']}</small></li>"
            for row in self.event_rows()
        ]
        return f'<ul class="zy-about-events">{"".join(items)}</ul>' if items else ""

    def _section(self, key: str, body: str) -> str:
        if not body:
            return ""
        return f'<p class="zy-about-part">{html.escape(t(f"about.{key}", self.lang))}</p>{body}'

    def to_html(self) -> str:
        self.numbers = []
        lang = self.lang
        parts = []
        if len(self.records):
            parts.append(self._section("figures", self._figures_html()))
        parts.append(self._section("terms", self._terms_html()))
        parts.append(self._section("events", self._events_html()))
        name = f"{self.chart_id}.csv"
        parts.append(
            f'<p class="zy-about-download"><a class="zy-download" download="{html.escape(name)}"'
            f' href="{self.csv_uri()}">{html.escape(t("about.download", lang))}</a> '
            f"<small>{html.escape(t('about.download_note', lang))}</small></p>"
        )
        return (
            f'<details class="zy-about" data-about="{html.escape(self.chart_id, quote=True)}">'
            f"<summary>{html.escape(t('about.summary', lang))}</summary>"
            f'<div class="zy-about-body">{"".join(parts)}</div></details>'
        )

    def to_text(self) -> str:
        return f"{t('about.summary', self.lang)}: {self.chart_id}"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> tuple[dict, dict]:
        page = self.to_html()
        meta = {"numbers": self.numbers, "about_of": self.chart_id}
        return {"text/html": page, "text/plain": self.to_text()}, {"ziyang": meta}


def about(chart_id: str, refs: Iterable[str], lang: str, data_dir: DataDir = None) -> About:
    """The "About this data" block of chart `chart_id` drawing `refs`."""
    return About(chart_id, refs, lang, data_dir)
