"""Every chart, registered once: its id, its page(s), what it draws and its builder.

A builder is a function of data: ``build(data, lang, **computed) -> go.Figure`` where `data` is
the `ziyang_lib.truth.records.Records` of what the chart declares (`draws`: indicator and
context ids, ``term(…)``, ``event(…)``, ``mention(…)``, ``audit(*)``). It loads nothing; the
figure it returns can be extended in a cell (``fig.add_scatter(...)``) before `show` publishes
it. The record is the one list of what the chart cites: its source note (`Chart.note`), the
page's indicator table and the static export (`Chart.build`) all read it.

    @chart("income_path", page="01_party_leadership", draws="poor_income_2013 poor_income_2019 …")
    def build_income_path(data, lang="zh", *, growth=None): ...
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

DataDir = str | os.PathLike[str] | None
CHART_MODULES: tuple[str, ...] = (
    "overview",
    "leadership",
    "leadership_flow",
    "precision",
    "precision_outcomes",
    "broad",
    "map",
    "context",
    "context_reports",
)
KINDS = ("figure", "block")
#: Notebook stem → the first part of its catalogue keys (``catalogue/<key>.yaml``).
PAGES: dict[str, str] = {
    "00_overview": "overview",
    "01_party_leadership": "leadership",
    "02_precision_measures": "precision",
    "03_broad_based_alleviation": "broad",
    "04_context": "context",
    "05_source": "source",
}
#: Pages that show the source itself rather than charts (their data is the mentions they mark).
SOURCE_PAGES: tuple[str, ...] = ("05_source",)


@dataclass(frozen=True)
class Chart:
    """One chart: id, the pages showing it, the references it draws, its builder and where its
    words are (`texts`: the catalogue prefix of ``title``, ``subtitle``, ``note``, …)."""

    chart_id: str
    pages: tuple[str, ...]
    draws: tuple[str, ...]
    draw: Callable[..., Any]
    texts: str
    kind: str = "figure"  # "figure" (plotly), or "block": page text (a table, key numbers, a list)

    @property
    def title_key(self) -> str:
        return f"{self.texts}.title"

    @property
    def subtitle_key(self) -> str:
        return f"{self.texts}.subtitle"

    def data(self, data_dir: DataDir = None) -> Any:
        """What the chart draws, loaded (`ziyang_lib.truth.records.load_records`)."""
        from ziyang_lib.truth.records import load_records

        return load_records(self.draws, data_dir)

    def cites(self, extra: Iterable[str] = ()) -> tuple[str, ...]:
        """The references its note cites: what it draws, then what a cell added."""
        return tuple(dict.fromkeys([*self.draws, *extra]))

    def note(self, lang: str, data_dir: DataDir = None, extra: Iterable[str] = ()) -> Any:
        """The source note a page prints under the chart (`ziyang_lib.report.notes.note`)."""
        from ziyang_lib.report.notes import note

        return note(self.cites(extra), lang, data_dir)

    def note_text(self, lang: str, data_dir: DataDir = None, extra: Iterable[str] = ()) -> str:
        """The one-line note drawn under the static chart."""
        from ziyang_lib.report.notes import note_text

        return note_text(self.cites(extra), lang, data_dir)

    def build(self, lang: str = "zh", data_dir: DataDir = None) -> Any:
        """The chart as a static export shows it: drawn from its data, its source note under it."""
        from ziyang_lib.report.theme import add_note

        fig = self.draw(self.data(data_dir), lang)
        return add_note(fig, self.note_text(lang, data_dir)) if self.kind == "figure" else fig

    def about(self, lang: str, data_dir: DataDir = None, extra: Iterable[str] = ()) -> Any:
        """The "About this data" block under it (`ziyang_lib.report.about`)."""
        from ziyang_lib.report.about import About

        return About(self.chart_id, self.cites(extra), lang, data_dir)


@dataclass(frozen=True)
class ChartSpec:
    """One chart on one page (what the figure export enumerates)."""

    notebook: str
    chart_id: str
    build: Callable[..., Any]


_REGISTRY: dict[str, Chart] = {}


def chart(
    chart_id: str,
    *,
    page: str | tuple[str, ...],
    draws: str | Iterable[str],
    texts: str | None = None,
    kind: str = "figure",
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator: register the builder of chart `chart_id` (ids are unique across pages).

    `draws` lists references (a string of them separated by spaces, or any iterable). `kind`
    "block" registers a builder of page text instead of a plotly figure (a table, key numbers,
    a list): it has the record, the source note and "About this data" of a chart, no static
    export."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    pages = (page,) if isinstance(page, str) else tuple(page)
    draws = draws.split() if isinstance(draws, str) else draws
    prefix = texts or f"{PAGES[pages[0]]}.charts.{chart_id}"

    def wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
        known = _REGISTRY.get(chart_id)
        if known is not None and known.draw is not fn:
            raise ValueError(f"chart {chart_id!r} is registered twice")
        _REGISTRY[chart_id] = Chart(chart_id, pages, tuple(draws), fn, prefix, kind)
        return fn

    return wrap


def _import_all() -> None:
    for name in CHART_MODULES:
        importlib.import_module(f"ziyang_lib.report.charts.{name}")


def get(chart_id: str) -> Chart:
    """The record of chart `chart_id`."""
    _import_all()
    if chart_id not in _REGISTRY:
        raise KeyError(f"no chart {chart_id!r}; known: {', '.join(sorted(_REGISTRY))}")
    return _REGISTRY[chart_id]


def charts_of(page: str) -> list[Chart]:
    """The charts page `page` shows, in registration order."""
    _import_all()
    return [c for c in _REGISTRY.values() if page in c.pages]


def all_charts() -> list[ChartSpec]:
    """Every plotly chart on every page, by notebook (each page's copy of a shared chart); the
    blocks of page text are not in it (they have no static export)."""
    _import_all()
    figures = [c for c in _REGISTRY.values() if c.kind == "figure"]
    specs = [ChartSpec(p, c.chart_id, c.build) for c in figures for p in c.pages]
    return sorted(specs, key=lambda s: s.notebook)
