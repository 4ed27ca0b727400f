"""Where a mention of the source goes in the report: the charts that draw it and the audit's
checks that use it, found from the chart registry's `draws` and the audit's `indicator_ids`.

A chart draws a mention when one of its references names it: an indicator id (or a derivation
over ids) that the mention feeds, ``mention(<its raw text>)``, ``term(<its words>)`` (or
``term(*)`` when its words are a glossary term), ``event(<id>)`` / ``event(*)`` for an event
whose span holds the mention or that dates the indicator it feeds, and ``audit(*)`` for an
indicator the audit reads. Nothing is listed by hand: a new chart or row is found by the same
rules. `links = Links(data_dir)` loads what the rules need once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from ziyang_lib.report.charts.display import chart_anchor
from ziyang_lib.report.charts.registry import PAGES, charts_of, get
from ziyang_lib.report.text import catalogue, t
from ziyang_lib.truth.mentions import Mention
from ziyang_lib.truth.provenance import audit_ids, ids_in, parse

DataDir = str | os.PathLike[str] | None


@dataclass(frozen=True)
class ChartLink:
    """A chart on a page: `href` is ``<page stem>.html#<the chart's anchor>`` (same folder)."""

    stem: str
    chart_id: str

    @property
    def href(self) -> str:
        return f"{self.stem}.html#{chart_anchor(self.chart_id)}"

    def chart_title(self, lang: str) -> str:
        """The chart's title in `lang` on one line, or '' if its title is not a catalogue text
        of its own (the county map's changes with its buttons)."""
        key = get(self.chart_id).title_key
        return " ".join(t(key, lang).split()) if key in catalogue() else ""

    def label(self, lang: str) -> str:
        """'<page title> · <chart title>' in `lang` (the page title alone if the chart has no
        title of its own)."""
        from ziyang_lib.report.page import page_title

        page, chart = page_title(self.stem, lang), self.chart_title(lang)
        return t("source.note.chart_link", lang, page=page, chart=chart) if chart else page


@dataclass(frozen=True)
class CheckUse:
    """An audit check that reads the mention's indicator: its verdict and the other figures."""

    check_id: str
    verdict: str
    others: tuple[str, ...]


class Links:
    """The charts and audit checks of one data folder, and the mentions each of them uses."""

    def __init__(self, data_dir: DataDir = None) -> None:
        self.data_dir = data_dir

    @cached_property
    def _audit(self) -> list[tuple[str, str, list[str]]]:
        from ziyang_lib.truth.checks import audit

        frame = audit(self.data_dir)
        return [
            (str(r["check_id"]), str(r["verdict"]), _ids(r["indicator_ids"]))
            for r in frame.to_dict("records")
        ]

    @cached_property
    def _audit_ids(self) -> frozenset[str]:
        return frozenset(audit_ids(self.data_dir))

    @cached_property
    def _terms(self) -> frozenset[str]:
        from ziyang_lib.truth.loaders import load_glossary

        return frozenset(str(term) for term in load_glossary(self.data_dir)["term"])

    @cached_property
    def _events(self) -> list[dict[str, Any]]:
        from ziyang_lib.truth.loaders import load_events

        return load_events(self.data_dir).to_dict("records")

    def checks(self, m: Mention) -> list[CheckUse]:
        """The audit's checks that read the indicator `m` feeds (none for an excluded one)."""
        if not m.mapped:
            return []
        return [
            CheckUse(check_id, verdict, tuple(i for i in ids if i != m.indicator_id))
            for check_id, verdict, ids in self._audit
            if m.indicator_id in ids
        ]

    def charts(self, m: Mention) -> list[ChartLink]:
        """Every chart (on every page showing it) whose references name `m`."""
        found = [
            ChartLink(stem, chart.chart_id)
            for stem in PAGES  # plots and the blocks of page text that stand for charts
            for chart in charts_of(stem)
            if any(self.draws(ref, m) for ref in chart.draws)
        ]
        return list(dict.fromkeys(found))

    def draws(self, ref: str, m: Mention) -> bool:
        """Whether the chart reference `ref` names mention `m` (see the module docstring)."""
        name, args, _ = parse(ref)
        key = args[0] if args else ""
        if name == "mention":
            return key == m.raw
        if name == "term":
            return key == m.words or (key == "*" and m.words in self._terms)
        if name == "event":
            return any(self._event_holds(e, m) for e in self._events if key in ("*", e["event_id"]))
        if name == "audit":
            return m.mapped and m.indicator_id in self._audit_ids
        return m.mapped and m.indicator_id in ids_in(ref)

    @staticmethod
    def _event_holds(event: dict[str, Any], m: Mention) -> bool:
        if m.mapped and _text(event.get("indicator_id")) == m.indicator_id:
            return True
        start, end = event.get("start"), event.get("end")
        if _text(start) == "" or _text(end) == "":
            return False
        return int(start) <= m.start and m.end <= int(end)


def _text(x: Any) -> str:
    import pandas as pd

    return "" if x is None or pd.isna(x) else str(x)


def _ids(cell: Any) -> list[str]:
    return [i.strip() for i in _text(cell).split(",") if i.strip()]
