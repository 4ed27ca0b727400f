"""Ziyang in context: external figures for China, Sichuan and Ziyang (``data/context.csv``).

Each row is one figure from outside the source, with its definition, producer, retrieval URL and
date, whether a second independent page confirms it (``single_sourced``) and whether it is a
stated result, a plan or derived here (``kind``). `load_context` reads it with the one table
reader (:mod:`ziyang_lib.truth.tables`, schema from ``datapackage.json``) and checks what the
schema cannot say: the bounds convention and single_sourced against the second URL. Their words
on the page (sentences, source notes) are report text: `ziyang_lib.report.notes`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from ziyang_lib.errors import DataError
from ziyang_lib.paths import data_dir as resolve_data_dir
from ziyang_lib.truth.free_text import check_free_text, figures
from ziyang_lib.truth.langs import check_lang
from ziyang_lib.truth.loaders import load_events, load_indicators, load_mentions
from ziyang_lib.truth.package import PACKAGE_FILE, file_stamp
from ziyang_lib.truth.tables import check_bounds, missing, read_table, rows

CONTEXT_FILE = "context.csv"
CONTEXT_RESOURCE = "context"
MAX_HOSTS = 3  # retrieval hosts named per producer in a chart's footnote


@dataclass(frozen=True)
class ContextFigure:
    """One row of context.csv; formats like an indicator."""

    context_id: str
    geo: str
    indicator: str
    definition: str
    period: str
    period_zh: str
    value: float | None
    low: float | None
    high: float | None
    unit: str
    unit_en: str
    qualifier: str
    kind: str
    label_zh: str
    label_en: str
    producer: str
    producer_zh: str
    url: str
    corroborated_by: str
    source_date: str
    single_sourced: bool
    note: str

    def label(self, lang: str) -> str:
        """The chart label in `lang`."""
        return getattr(self, f"label_{check_lang(lang)}")

    def period_in(self, lang: str) -> str:
        """The period in `lang`."""
        return self.period_zh if check_lang(lang) == "zh" else self.period

    def producer_in(self, lang: str) -> str:
        """The producer in `lang`."""
        return self.producer_zh if check_lang(lang) == "zh" else self.producer

    @property
    def urls(self) -> list[str]:
        """The retrieval URL and, if any, the corroborating one."""
        return [u for u in (self.url, self.corroborated_by) if u]

    @property
    def year(self) -> int:
        """The last calendar year named in `period` (end-2012 → 2012, 2014-2020 → 2020)."""
        years = re.findall(r"\d{4}", self.period)
        if not years:
            raise ValueError(f"{self.context_id}: period {self.period!r} names no year")
        return int(years[-1])


# --- loading and validation -------------------------------------------------------------------


def context_path(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """Path of context.csv in the data folder (an empty string means the default folder)."""
    return resolve_data_dir(data_dir or None) / CONTEXT_FILE


def load_context(data_dir: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Return context.csv as a validated frame (numbers as float, single_sourced as bool).

    Read by the one table reader with the schema in ``datapackage.json``; raises DataError
    naming the row (header = row 1) and column of the first problem.
    """
    folder = resolve_data_dir(data_dir or None)
    stamps = tuple(file_stamp(folder / name) for name in (PACKAGE_FILE, CONTEXT_FILE))
    return _load(str(folder.resolve()), stamps).copy()


def context_figure(
    context_id: str, data_dir: str | os.PathLike[str] | None = None
) -> ContextFigure:
    """One context figure by id; KeyError if there is none."""
    frame = load_context(data_dir)
    rows_ = frame.loc[frame["context_id"] == context_id]
    if rows_.empty:
        raise KeyError(f"no context figure {context_id!r} in {CONTEXT_FILE}")
    values = {k: (None if missing(v) else v) for k, v in rows_.iloc[0].to_dict().items()}
    for name in ("value", "low", "high"):
        values[name] = None if values[name] is None else float(values[name])
    for f in fields(ContextFigure):
        if f.type == "str" and values.get(f.name) is None:
            values[f.name] = ""
    known = {f.name for f in fields(ContextFigure)}
    return ContextFigure(**{k: v for k, v in values.items() if k in known})


@lru_cache(maxsize=8)
def _load(folder: str, _stamps: tuple[Any, ...]) -> pd.DataFrame:
    frame = read_table(Path(folder), CONTEXT_RESOURCE)
    check_bounds(frame, CONTEXT_FILE)
    for n, r in rows(frame):
        if r["single_sourced"] != missing(r["corroborated_by"]):
            raise DataError(
                CONTEXT_FILE,
                "single_sourced must be true exactly when corroborated_by is empty",
                row=n,
                column="single_sourced",
            )
    known = figures(frame, load_indicators(folder), load_mentions(folder), load_events(folder))
    check_free_text(frame, CONTEXT_FILE, CONTEXT_RESOURCE, known)
    return frame


# --- resolving numbers ------------------------------------------------------------------------


def figure(ref: str, data_dir: Any = None) -> Any:
    """A context figure (by context_id) or, failing that, an indicator (by id)."""
    ref = ref.strip()
    frame = load_context(data_dir)
    if (frame["context_id"] == ref).any():
        return context_figure(ref, data_dir)
    from ziyang_lib.truth.loaders import indicator

    return indicator(ref, data_dir=data_dir)


def year_of(fig: Any) -> int:
    """The calendar year a figure refers to (last year named in its period)."""
    if isinstance(fig, ContextFigure):
        return fig.year
    years = re.findall(r"\d{4}", str(fig.period or ""))
    if not years:
        raise ValueError(f"{fig.id}: period {fig.period!r} names no year")
    return int(years[-1])
