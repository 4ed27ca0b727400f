"""Load the curated tables in ``data/`` as typed, validated frames, and single indicator records.

The four tables (indicators, mentions, glossary, events) are read and checked together, against
their schemas in ``datapackage.json`` and against the raw source: spans must hold their text,
every mention must still be found by the extractor with the same value, every indicator must be
stated somewhere. Any problem raises :class:`~ziyang_lib.errors.DataError` naming the file, the
row (the header is row 1, as in a spreadsheet and in ``frictionless``), the column and the
problem. Results are cached per data folder and file modification times; callers get copies.
"""

from __future__ import annotations

import csv
import difflib
import io
import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, NoReturn

import pandas as pd

from ziyang_lib.errors import DataError
from ziyang_lib.files import write_atomic
from ziyang_lib.paths import SOURCE_FILENAME
from ziyang_lib.paths import data_dir as _data_dir
from ziyang_lib.truth.free_text import check_free_text, figures
from ziyang_lib.truth.langs import check_lang
from ziyang_lib.truth.package import PACKAGE_FILE
from ziyang_lib.truth.tables import BOUNDS, check_bounds, missing, read_table, rows, same

TABLES: tuple[str, ...] = ("indicators", "mentions", "glossary", "events")

PathLike = str | os.PathLike[str] | None


@dataclass(frozen=True)
class Indicator:
    """One fact of the source: its CSV fields plus where the source states it.

    Numbers are in base units (23.6万 → 236000.0; 47.36亿元 → 4736000000.0). Bounds follow the
    qualifier: ``exact`` → low = high = value; ``more_than``/``at_least`` → low = value, high
    None; ``at_most``/``nearly`` → high = value, low None; ``about`` → both None; ``range`` →
    low and high, value None. ``quote`` is the cleaned source sentence of the first mention,
    ``spans`` the raw-text offsets of every mention, ``paragraph`` the first mention's paragraph.
    """

    id: str
    section: str
    value: float | None
    low: float | None
    high: float | None
    unit: str
    qualifier: str
    period: str | None
    geo: str
    label_zh: str
    label_en: str
    description_en: str
    description_zh: str
    unit_en: str
    quote: str
    spans: tuple[tuple[int, int], ...]
    paragraph: int | None
    part: str | None

    def label(self, lang: str) -> str:
        """The short label in `lang` ('zh' or 'en')."""
        return getattr(self, f"label_{check_lang(lang)}")

    def description(self, lang: str) -> str:
        """The one- or two-sentence description in `lang` ('zh' or 'en')."""
        return getattr(self, f"description_{check_lang(lang)}")


# --- public API -----------------------------------------------------------------------------


def load_indicators(data_dir: PathLike = None) -> pd.DataFrame:
    """Return ``indicators.csv``: one row per fact (see docs/architecture.md)."""
    return _dataset(data_dir).frames["indicators"].copy()


def load_mentions(data_dir: PathLike = None) -> pd.DataFrame:
    """Return ``mentions.csv``: every number in the source with its raw span."""
    return _dataset(data_dir).frames["mentions"].copy()


def load_glossary(data_dir: PathLike = None) -> pd.DataFrame:
    """Return ``glossary.csv``: the source's policy shorthand, explained in zh and en."""
    return _dataset(data_dir).frames["glossary"].copy()


def load_events(data_dir: PathLike = None) -> pd.DataFrame:
    """Return ``events.csv``: the dated events of the overview timeline."""
    return _dataset(data_dir).frames["events"].copy()


def indicator(id: str, data_dir: PathLike = None) -> Indicator:
    """Return the :class:`Indicator` `id`; unknown ids raise KeyError naming close matches."""
    data = _dataset(data_dir)
    if id not in data.records:
        data.records[id] = _build_indicator(data, id)
    return data.records[id]


# --- the cached, validated dataset ----------------------------------------------------------


@dataclass
class _Dataset:
    folder: Path
    frames: dict[str, pd.DataFrame]
    source: Any
    records: dict[str, Indicator] = field(default_factory=dict)


_CACHE: dict[Path, tuple[tuple[Any, ...], _Dataset]] = {}


def dataset_key(data_dir: PathLike = None) -> tuple[str, tuple[Any, ...]]:
    """The folder's path and the stamps of every file its dataset reads: the key for a cache
    of what is derived from the dataset (it changes when any of those files does)."""
    folder = _data_dir(data_dir).resolve()
    return str(folder), _stamp(folder)


def _dataset(override: PathLike) -> _Dataset:
    """Load and validate every table of the folder, or return the cached result."""
    folder = _data_dir(override).resolve()
    key = _stamp(folder)
    hit = _CACHE.get(folder)
    if hit is not None and hit[0] == key:
        return hit[1]
    data = _load_all(folder)
    _CACHE[folder] = (key, data)
    return data


def _stamp(folder: Path) -> tuple[Any, ...]:
    """(name, mtime, size) of every file the dataset reads; a missing file stamps as None."""
    names = [PACKAGE_FILE, *(f"{t}.csv" for t in TABLES), f"raw/{SOURCE_FILENAME}"]
    stamp = []
    for name in names:
        try:
            st = (folder / name).stat()
            stamp.append((name, st.st_mtime_ns, st.st_size))
        except OSError:
            stamp.append((name, None))
    return tuple(stamp)


def _load_all(folder: Path) -> _Dataset:
    source = _load_source(folder)  # checks data/raw against its size and sha256 first
    raw = source.raw
    frames = {name: read_table(folder, name) for name in TABLES}
    for name in TABLES:
        if "start" in frames[name]:
            _check_spans(frames[name], f"{name}.csv", raw)
    check_bounds(frames["indicators"], "indicators.csv")
    _check_mentions(frames["mentions"], frames["indicators"], source.quantities())
    _check_glossary(frames["glossary"], raw)
    _check_events(frames["events"], frames["indicators"])
    known = figures(frames["indicators"], frames["mentions"], frames["events"])
    for name in ("indicators", "glossary"):
        check_free_text(frames[name], f"{name}.csv", name, known)
    return _Dataset(folder, frames, source)


def _load_source(folder: Path) -> Any:
    from ziyang_lib.truth.source import load_source  # imported late: only needed once per load

    return load_source(folder)


# --- checks across tables and against the source -------------------------------------------


def _check_spans(frame: pd.DataFrame, file: str, raw: str) -> None:
    for n, r in rows(frame):
        if not 0 <= r["start"] < r["end"] <= len(raw):
            raise DataError(
                file,
                f"span {r['start']}:{r['end']} is outside the source (0:{len(raw)})",
                row=n,
                column="end" if r["start"] < len(raw) else "start",
            )
        if "raw" in r and raw[r["start"] : r["end"]] != r["raw"]:
            got = raw[r["start"] : r["end"]]
            raise DataError(
                file,
                f"{r['raw']!r} is not the source text at {r['start']}:{r['end']} ({got!r})",
                row=n,
                column="raw",
            )


def _check_mentions(frame: pd.DataFrame, indicators: pd.DataFrame, found: pd.DataFrame) -> None:
    """Exactly one of indicator_id/excluded_reason; values match the source and the indicator."""
    facts = indicators.set_index("id").to_dict("index")
    extracted = {int(r["start"]): r for r in found.to_dict("records")}
    for n, r in rows(frame):
        linked, excluded = not missing(r["indicator_id"]), not missing(r["excluded_reason"])
        if linked == excluded:
            state = "both" if linked else "neither"
            _mention_error(
                f"needs exactly one of indicator_id and excluded_reason, has {state}",
                n,
                "indicator_id",
            )
        src = extracted.get(r["start"])
        if src is None or int(src["end"]) != r["end"]:
            _mention_error(
                f"the extractor no longer finds a number at {r['start']}:{r['end']}; "
                "run ziyang_lib.truth.loaders.rebuild_mentions(write=True)",
                n,
                "start",
            )
        _compare(r, src, n, "does not match the source, which gives")
        if linked:
            fact = facts.get(r["indicator_id"])
            if fact is None:
                _mention_error(f"unknown indicator {r['indicator_id']!r}", n, "indicator_id")
            _compare(r, fact, n, f"differs from indicator {r['indicator_id']!r}:")
    stated = set(frame["indicator_id"].dropna())
    for n, r in rows(indicators):
        if r["id"] not in stated:
            raise DataError(
                "indicators.csv", "no row of mentions.csv states this indicator", row=n, column="id"
            )


def _compare(mention: dict[str, Any], other: dict[str, Any], row: int, problem: str) -> None:
    """Raise if the mention's value, bounds or qualifier differ from `other`'s."""
    for column in (*BOUNDS, "qualifier"):
        if not _equal(mention[column], other[column]):
            _mention_error(f"{mention[column]} {problem} {other[column]}", row, column)


def _mention_error(problem: str, row: int, column: str) -> NoReturn:
    raise DataError("mentions.csv", problem, row=row, column=column)


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return same(a, b)


def _check_glossary(frame: pd.DataFrame, raw: str) -> None:
    """A term appearing verbatim must be its span; otherwise its characters must lie in order."""
    for n, r in rows(frame):
        text, term = raw[r["start"] : r["end"]], r["term"]
        ok = text == term if term in raw else _subsequence(term, text)
        if not ok:
            raise DataError(
                "glossary.csv",
                f"span {r['start']}:{r['end']} holds {text!r}, not the term {term!r}",
                row=n,
                column="start",
            )


def _subsequence(needle: str, hay: str) -> bool:
    it = iter(hay)
    return all(ch in it for ch in needle)


def _check_events(frame: pd.DataFrame, indicators: pd.DataFrame) -> None:
    ids = set(indicators["id"])
    for n, r in rows(frame):
        if not missing(r["indicator_id"]) and r["indicator_id"] not in ids:
            raise DataError(
                "events.csv",
                f"unknown indicator {r['indicator_id']!r}",
                row=n,
                column="indicator_id",
            )
        if r["date_basis"] == "implied" and missing(r["date_note_en"]):
            raise DataError(
                "events.csv",
                "an implied date needs a note saying how",
                row=n,
                column="date_note_en",
            )


# --- indicator records ----------------------------------------------------------------------


def _build_indicator(data: _Dataset, id: str) -> Indicator:
    facts = data.frames["indicators"]
    match = facts[facts["id"] == id]
    if match.empty:
        close = difflib.get_close_matches(id, list(facts["id"]), n=5, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else "; see load_indicators()['id']"
        raise KeyError(f"unknown indicator {id!r}{hint}")
    names = {f.name for f in fields(Indicator)}
    row = {k: None if missing(v) else v for k, v in match.iloc[0].to_dict().items() if k in names}
    mentions = data.frames["mentions"]
    mine = mentions[mentions["indicator_id"] == id].sort_values("start")
    first = mine.iloc[0]
    spans = tuple((int(s), int(e)) for s, e in zip(mine["start"], mine["end"], strict=True))
    numbers = {k: None if row[k] is None else float(row[k]) for k in BOUNDS}
    return Indicator(
        **{**row, **numbers},
        quote=data.source.sentence(int(first["start"]), int(first["end"])),
        spans=spans,
        paragraph=None if missing(first["paragraph"]) else int(first["paragraph"]),
        part=None if missing(first["part"]) else str(first["part"]),
    )


# --- maintenance ----------------------------------------------------------------------------


def rebuild_mentions(data_dir: PathLike = None, *, write: bool = False) -> pd.DataFrame:
    """Rebuild mentions.csv from ``load_source().quantities()``, keeping the curated assignments.

    Use it when the extractor changes (the drift tests in tests/test_data.py say so). Each new
    mention inherits the indicator_id / excluded_reason of the old row sharing one of its digits'
    offsets; a mention with no such row gets neither, so the loader rejects the file until someone
    assigns it. With `write`, the result replaces ``mentions.csv``.
    """
    folder = _data_dir(data_dir)
    old = read_table(folder, "mentions")
    by_digit: dict[int, tuple[Any, Any]] = {}
    for r in old.to_dict("records"):
        for i, ch in enumerate(r["raw"]):
            if ch.isnumeric():  # Arabic digits and Chinese numerals (三年, 一把手)
                by_digit[r["start"] + i] = (r["indicator_id"], r["excluded_reason"])
    new = _load_source(folder).quantities()
    kept = [
        next(
            (by_digit[s + i] for i, ch in enumerate(raw) if ch.isnumeric() and s + i in by_digit),
            (None, None),
        )
        for s, raw in zip(new["start"], new["raw"], strict=True)
    ]
    new["indicator_id"] = pd.Series([k[0] for k in kept], dtype="string")
    new["excluded_reason"] = pd.Series([k[1] for k in kept], dtype="string")
    new = new[list(old.columns)]
    if write:
        _write_csv(new, folder / "mentions.csv")
    return new


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write `frame` as UTF-8 CSV with integers shown without '.0' and missing values empty."""

    def cell(x: Any) -> str:
        if missing(x):
            return ""
        if isinstance(x, float):
            return str(int(x)) if x.is_integer() else repr(x)
        return str(x)

    text = io.StringIO()
    out = csv.writer(text, lineterminator="\n")
    out.writerow(frame.columns)
    out.writerows([cell(x) for x in row] for row in frame.itertuples(index=False))
    write_atomic(path, text.getvalue())
