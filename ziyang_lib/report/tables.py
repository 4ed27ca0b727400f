"""Data shown as data: a page's indicators as a readable table (labels in `lang`, values with
their units and qualifiers, and where the source states each: paragraph and sentence).

``indicator_table(frame, lang)`` takes a frame from `ziyang_lib.truth.records.indicator_frame`
(filter it first if you like) and returns an object JupyterLab, papermill and the HTML report
all show as an HTML table (`ziyang_lib.report.html_table`: sortable by column and filterable in
the page); every value carries its provenance in the output's metadata.
"""

from __future__ import annotations

import html
from collections import Counter
from typing import Any

import pandas as pd

from ziyang_lib.report import fmt
from ziyang_lib.report.citation import cite, host, repost_links
from ziyang_lib.report.html_table import Cell, Column, Row, cell, table_html, value_cell
from ziyang_lib.report.text import check_lang, t

COLUMNS = ("indicator", "value", "source")


class IndicatorTable:
    """A displayable table of indicators (``text/html`` and ``text/plain``, with provenance)."""

    def __init__(self, frame: pd.DataFrame, lang: str) -> None:
        self.lang = check_lang(lang)
        records = frame.to_dict("records")
        labels = Counter(str(r[f"label_{lang}"]) for r in records)
        self.rows = [_row(r, lang, labels[str(r[f"label_{lang}"])] > 1) for r in records]

    def __len__(self) -> int:
        return len(self.rows)

    def numbers(self) -> list[list[str]]:
        """``[[shown value, its source], …]`` for every row."""
        return [[r["value"], r["id"]] for r in self.rows]

    def to_html(self) -> str:
        lang = self.lang
        columns = [
            Column("indicator", t("ui.table.indicator", lang)),
            Column("value", t("ui.table.value", lang), numeric=True),
            Column("source", t("ui.table.source", lang), numeric=True),
        ]
        rows = [
            Row(
                {
                    "indicator": cell(r["label"]),
                    "value": value_cell(r["value"], r["sort"]),
                    "source": Cell(f"{_esc(r['where'])} {_quote_html(r)}", r["paragraph"]),
                }
            )
            for r in self.rows
        ]
        return table_html(columns, rows, lang, css="zy-indicators")

    def to_text(self) -> str:
        return "\n".join(
            f"{r['label']}: {r['value']} — {r['where']} “{r['quote']}”" for r in self.rows
        )

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> tuple[dict, dict]:
        data = {"text/html": self.to_html(), "text/plain": self.to_text()}
        return data, {"ziyang": {"numbers": self.numbers(), "table": "indicators"}}


def _quote_html(row: dict[str, str]) -> str:
    """The source's sentence in quotation marks, or the context figure's producer's-site copy
    and, collapsed, the repost pages it was retrieved from."""
    if row["link"] or row["reposts"]:
        link = row["link"]
        shown = f'<a href="{html.escape(link, quote=True)}">{_esc(host(link))}</a>' if link else ""
        return shown + repost_links(row["reposts"].split(), row["lang"])
    return f"<q>{_esc(row['quote'])}</q>" if row["quote"] else ""


def _cell(row: dict[str, Any], name: str) -> str:
    """A text cell of the frame ('' for a missing one: an indicator has no publication)."""
    value = row.get(name)
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _esc(text: Any) -> str:
    return html.escape(str(text), quote=False)


def _label(row: dict[str, Any], lang: str, shared: bool) -> str:
    """The figure's label in `lang`; one the table shows more than once (a series, year by year)
    also names its period, where the data gives it in `lang` (a context figure's ``period_zh``)."""
    label = str(row[f"label_{lang}"])
    period = _cell(row, "period_zh" if lang == "zh" else "period") if shared else ""
    return t("ui.table.label_period", lang, label=label, period=period) if period else label


def _row(row: dict[str, Any], lang: str, shared_label: bool = False) -> dict[str, Any]:
    """One figure's cells: label (with its period when `shared_label`), formatted value, where
    it is stated, and the words there."""
    producer = _cell(row, f"producer_{lang}")
    reposts, paragraph = "", None
    if producer:
        cited = cite(
            lang,
            publication=_cell(row, f"publication_{lang}"),
            title=_cell(row, "title"),
            date=_cell(row, "source_date"),
            reposts_only=bool(row.get("reposts_only")),
        )
        where = t("context.cite.by", lang, producer=producer, citation=cited)
        quote, link = "", _cell(row, "url")
        reposts = _cell(row, "reposts")
    else:
        paragraph = float(row["paragraph"]) if pd.notna(row.get("paragraph")) else None
        where = f"¶{int(paragraph)}" if paragraph is not None else ""
        quote, link = row.get("quote") or "", ""
    value = row.get("value")
    sort = value if pd.notna(value) else row.get("low")
    return {
        "id": str(row["id"]),
        "label": _label(row, lang, shared_label),
        "value": fmt.quantity(row, lang),
        "where": where,
        "quote": str(quote),
        "link": str(link or ""),
        "reposts": reposts,
        "lang": lang,
        "sort": float(sort) if pd.notna(sort) else None,
        "paragraph": paragraph,
    }


def indicator_table(frame: pd.DataFrame, lang: str) -> IndicatorTable:
    """`frame` (one row per indicator) as a readable table in `lang`."""
    return IndicatorTable(frame, lang)
