"""Ziyang in context: external figures for China, Sichuan and Ziyang (``data/context.csv``).

Each row is one figure from outside the source, with its definition, its producer and the
original publication (title and date where known, n.d. otherwise), a copy on the producer's own
site where one was found (``url``, on one of `PRODUCER_DOMAINS`), the repost pages it was read on
(``retrieved_from``), whether it is known only from reposts (``reposts_only``), whether a second
independent page confirms it (``single_sourced``) and whether it is a stated result, a plan or
derived here (``kind``). `load_context` reads it with the one table reader
(:mod:`ziyang_lib.truth.tables`, schema from ``datapackage.json``) and checks what the schema
cannot say: the bounds convention, single_sourced against the second URL, and that a producer's
site is never cited as a repost nor a repost as the producer's copy. Their words on the page
(citations, source notes) are report text: `ziyang_lib.report.citation`, `ziyang_lib.report.notes`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pandas as pd

from ziyang_lib.errors import DataError
from ziyang_lib.paths import data_dir as resolve_data_dir
from ziyang_lib.truth.free_text import check_free_text, figures
from ziyang_lib.truth.langs import check_lang
from ziyang_lib.truth.loaders import dataset_key, load_events, load_indicators, load_mentions
from ziyang_lib.truth.package import PACKAGE_FILE, file_stamp
from ziyang_lib.truth.tables import check_bounds, missing, read_table, rows

CONTEXT_FILE = "context.csv"
CONTEXT_RESOURCE = "context"
PRODUCER_DOMAINS: tuple[str, ...] = (
    "gov.cn",  # governments and their bureaus: stats.gov.cn, sc.gov.cn, ziyang.gov.cn …
    "people.com.cn",  # People's Daily
    "people.cn",
    "xinhuanet.com",  # Xinhua
    "news.cn",
    "cctv.com",  # China Central Television
    "cctv.cn",
    "ce.cn",  # Economic Daily
    "scol.com.cn",  # Sichuan Online (Sichuan Daily group)
)
"""The producers' and original publishers' own sites: the one list of them. A URL on one of
these (or a subdomain) may be a figure's citation ``url``; any other page is a repost."""


def is_producer_site(url: str) -> bool:
    """True when `url` is on one of `PRODUCER_DOMAINS` (the domain itself or a subdomain)."""
    host = (urlparse(url).hostname or "").lower()
    return any(host == d or host.endswith("." + d) for d in PRODUCER_DOMAINS)


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
    publication: str
    publication_zh: str
    title: str
    source_date: str
    url: str
    retrieved_from: str
    corroborated_by: str
    reposts_only: bool
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

    def publication_in(self, lang: str) -> str:
        """The original publication in `lang`."""
        return self.publication_zh if check_lang(lang) == "zh" else self.publication

    @property
    def reposts(self) -> list[str]:
        """The pages the figure was retrieved from (reposts), in the order given."""
        return self.retrieved_from.split()

    @property
    def urls(self) -> list[str]:
        """Every page cited: the producer's-site copy, the reposts, the corroborating page."""
        return [u for u in (self.url, *self.reposts, self.corroborated_by) if u]

    @property
    def repost_urls(self) -> list[str]:
        """The cited pages that are not on a producer's site (shown only as "retrieved from")."""
        return [u for u in self.urls if not is_producer_site(u)]

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
    return _load(*_key(data_dir)).copy()


def context_figure(
    context_id: str, data_dir: str | os.PathLike[str] | None = None
) -> ContextFigure:
    """One context figure by id; KeyError if there is none."""
    found = _by_id(*_key(data_dir)).get(context_id)
    if found is None:
        raise KeyError(f"no context figure {context_id!r} in {CONTEXT_FILE}")
    return found


def _key(data_dir: str | os.PathLike[str] | None) -> tuple[str, tuple[Any, ...]]:
    """The cache key of a folder's context.csv: its path and the stamps of what it is read and
    checked with (the package, the file, and the tables its free text is checked against)."""
    path, tables = dataset_key(data_dir or None)
    stamps = tuple(file_stamp(Path(path, name)) for name in (PACKAGE_FILE, CONTEXT_FILE))
    return path, (*stamps, *tables)


@lru_cache(maxsize=8)
def _by_id(folder: str, stamps: tuple[Any, ...]) -> dict[str, ContextFigure]:
    """Every context figure of the (validated) table by id, made once per table: the figures
    are frozen, so every caller may share them."""
    known = {f.name for f in fields(ContextFigure)}
    text = {f.name for f in fields(ContextFigure) if f.type == "str"}
    found = {}
    for _, r in rows(_load(folder, stamps)):
        values = {k: (None if missing(v) else v) for k, v in r.items() if k in known}
        for name in ("value", "low", "high"):
            values[name] = None if values[name] is None else float(values[name])
        values.update({name: "" for name in text if values.get(name) is None})
        found[str(values["context_id"])] = ContextFigure(**values)
    return found


@lru_cache(maxsize=8)
def _load(folder: str, _stamps: tuple[Any, ...]) -> pd.DataFrame:
    frame = read_table(Path(folder), CONTEXT_RESOURCE)
    check_bounds(frame, CONTEXT_FILE)
    for n, r in rows(frame):
        _check_sources(r, n)
    known = figures(frame, load_indicators(folder), load_mentions(folder), load_events(folder))
    check_free_text(frame, CONTEXT_FILE, CONTEXT_RESOURCE, known)
    return frame


def _check_sources(r: dict[str, Any], n: int) -> None:
    """The rules of a row's sources the schema cannot state (DataError at the first broken)."""

    def fail(column: str, problem: str) -> None:
        raise DataError(CONTEXT_FILE, problem, row=n, column=column)

    url = "" if missing(r["url"]) else str(r["url"])
    reposts = "" if missing(r["retrieved_from"]) else str(r["retrieved_from"])
    if r["single_sourced"] != missing(r["corroborated_by"]):
        fail("single_sourced", "single_sourced must be true exactly when corroborated_by is empty")
    if r["reposts_only"] != (url == ""):
        fail("reposts_only", "reposts_only must be true exactly when url is empty")
    if url and not is_producer_site(url):
        fail("url", f"{urlparse(url).hostname} is no producer's site: a repost is retrieved_from")
    if not url and not reposts:
        fail("retrieved_from", "a figure with no producer's-site url needs retrieved_from")
    for page in reposts.split():
        if is_producer_site(page):
            fail("retrieved_from", f"{urlparse(page).hostname} is a producer's site: make it url")


# --- resolving numbers ------------------------------------------------------------------------


def figure(ref: str, data_dir: Any = None) -> Any:
    """A context figure (by context_id) or, failing that, an indicator (by id)."""
    ref = ref.strip()
    found = _by_id(*_key(data_dir)).get(ref)
    if found is not None:
        return found
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
