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
import json
import math
import os
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, NoReturn

import pandas as pd

from ziyang_lib.errors import DataError
from ziyang_lib.files import write_atomic
from ziyang_lib.paths import SOURCE_FILENAME
from ziyang_lib.paths import data_dir as _data_dir
from ziyang_lib.truth.langs import check_lang

PACKAGE_FILE = "datapackage.json"
TABLES: tuple[str, ...] = ("indicators", "mentions", "glossary", "events")
BOUNDS: tuple[str, ...] = ("value", "low", "high")
_DTYPES = {"string": "string", "number": "float64", "integer": "Int64"}
_TOLERANCE = 1e-9  # relative, for comparing numbers read back from CSV text

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
    schemas = _read_schemas(folder)
    raw = _read_raw(folder)
    frames = {name: _read_table(folder / f"{name}.csv", schemas[name]) for name in TABLES}
    for name in TABLES:
        if "start" in frames[name]:
            _check_spans(frames[name], f"{name}.csv", raw)
    _check_indicators(frames["indicators"])
    source = _load_source(folder)
    _check_mentions(frames["mentions"], frames["indicators"], source.quantities())
    _check_glossary(frames["glossary"], raw)
    _check_events(frames["events"], frames["indicators"])
    return _Dataset(folder, frames, source)


def _load_source(folder: Path) -> Any:
    from ziyang_lib.truth.source import load_source  # imported late: only needed once per load

    return load_source(folder)


# --- reading --------------------------------------------------------------------------------


def _read_schemas(folder: Path) -> dict[str, list[dict[str, Any]]]:
    """The field descriptors of each table, from datapackage.json."""
    path = folder / PACKAGE_FILE
    try:
        package = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(PACKAGE_FILE, f"file not found in {folder}") from None
    except (OSError, ValueError) as exc:
        raise DataError(PACKAGE_FILE, f"cannot read JSON: {exc}") from None
    resources = {r.get("name"): r for r in package.get("resources", []) if isinstance(r, dict)}
    schemas = {}
    for name in TABLES:
        fields = resources.get(name, {}).get("schema", {}).get("fields")
        if not fields:
            raise DataError(PACKAGE_FILE, f"no resource {name!r} with schema fields")
        schemas[name] = fields
    return schemas


def _read_raw(folder: Path) -> str:
    path = folder / "raw" / SOURCE_FILENAME
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(f"raw/{SOURCE_FILENAME}", f"file not found in {folder}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"raw/{SOURCE_FILENAME}", f"cannot read: {exc}") from None


def _read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header and data rows of a UTF-8 CSV file."""
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh, strict=True))
    except FileNotFoundError:
        raise DataError(path.name, f"file not found in {path.parent}") from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DataError(path.name, f"cannot read CSV: {exc}") from None
    if not rows:
        raise DataError(path.name, "file is empty (no header row)")
    return rows[0], rows[1:]


def _read_table(path: Path, fields: list[dict[str, Any]]) -> pd.DataFrame:
    """Read `path` and convert each column to its schema type, checking the constraints."""
    header, rows = _read_rows(path)
    name = path.name
    for i, column in enumerate(header):
        if column in header[:i]:
            raise DataError(name, "column appears twice in the header", row=1, column=column)
    for f in fields:
        if f["name"] not in header:
            raise DataError(name, "required column is missing", row=1, column=f["name"])
    for n, row in enumerate(rows, start=2):
        if len(row) != len(header):
            raise DataError(name, f"has {len(row)} cells, the header has {len(header)}", row=n)
    cells = {c: [r[i] for r in rows] for i, c in enumerate(header)}
    frame = pd.DataFrame({f["name"]: _column(name, f, cells[f["name"]]) for f in fields})
    for f in fields:
        if f.get("constraints", {}).get("unique"):
            _check_unique(frame, name, f["name"])
    return frame


def _column(file: str, spec: dict[str, Any], cells: list[str]) -> pd.Series:
    """Convert one column's text cells to the schema type; empty cells become missing."""
    column, kind = spec["name"], spec.get("type", "string")
    rules = spec.get("constraints", {})
    values: list[Any] = []
    for n, cell in enumerate(cells, start=2):
        if cell == "":
            if rules.get("required"):
                raise DataError(file, "required value is empty", row=n, column=column)
            values.append(None)
            continue
        value = _convert(file, kind, cell, n, column)
        _check_rules(file, rules, value, n, column)
        values.append(value)
    dtype = _DTYPES.get(kind, "string")
    if kind == "integer" and rules.get("required"):
        dtype = "int64"  # never missing, so a plain integer column
    return pd.Series(values, dtype=dtype, name=column)


def _convert(file: str, kind: str, cell: str, row: int, column: str) -> Any:
    if kind == "string":
        return cell
    try:
        if kind == "integer":
            return int(cell.strip())
        value = float(cell)
    except ValueError:
        raise DataError(
            file,
            f"expected {'an integer' if kind == 'integer' else 'a number'}, got {cell!r}",
            row=row,
            column=column,
        ) from None
    if not math.isfinite(value):
        raise DataError(file, f"expected a finite number, got {cell!r}", row=row, column=column)
    return value


def _check_rules(file: str, rules: dict[str, Any], value: Any, row: int, column: str) -> None:
    enum = rules.get("enum")
    if enum is not None and value not in enum:
        raise DataError(file, f"{value!r} is not one of {', '.join(enum)}", row=row, column=column)
    if "minimum" in rules and value < rules["minimum"]:
        raise DataError(file, f"{value} is below {rules['minimum']}", row=row, column=column)
    if "minLength" in rules and len(value) < rules["minLength"]:
        raise DataError(file, f"{value!r} is too short", row=row, column=column)
    pattern = rules.get("pattern")
    if pattern is not None and not re.fullmatch(pattern, value):
        raise DataError(file, f"{value!r} does not match {pattern}", row=row, column=column)


def _check_unique(frame: pd.DataFrame, file: str, column: str) -> None:
    dup = frame[column].duplicated() & frame[column].notna()
    if dup.any():
        i = int(dup.to_numpy().nonzero()[0][0])
        first = int((frame[column] == frame[column].iloc[i]).to_numpy().nonzero()[0][0])
        raise DataError(
            file,
            f"duplicate {frame[column].iloc[i]!r} (first in row {first + 2})",
            row=i + 2,
            column=column,
        )


# --- checks across tables and against the source -------------------------------------------


def _rows(frame: pd.DataFrame) -> Any:
    """(row number, record) pairs; the header is row 1."""
    return zip(range(2, len(frame) + 2), frame.to_dict("records"), strict=True)


def _missing(x: Any) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))


def _same(a: Any, b: Any) -> bool:
    if _missing(a) or _missing(b):
        return _missing(a) and _missing(b)
    return math.isclose(float(a), float(b), rel_tol=_TOLERANCE, abs_tol=0.0)


def _check_spans(frame: pd.DataFrame, file: str, raw: str) -> None:
    for n, r in _rows(frame):
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


def _expected_bounds(r: dict[str, Any]) -> tuple[Any, Any, Any]:
    """(value, low, high) as the bounds convention requires them for the row's qualifier."""
    q, v = r["qualifier"], r["value"]
    if q == "range":
        return None, r["low"], r["high"]
    if q == "about":
        return v, None, None
    if q in ("more_than", "at_least"):
        return v, v, None
    if q in ("at_most", "nearly"):
        return v, None, v
    return v, v, v


def _check_indicators(frame: pd.DataFrame) -> None:
    file = "indicators.csv"
    for n, r in _rows(frame):
        need = {"range": ("low", "high")}.get(r["qualifier"], ("value",))
        for column in need:
            if _missing(r[column]):
                raise DataError(
                    file, f"a {r['qualifier']!r} figure needs {column}", row=n, column=column
                )
        for column, want in zip(BOUNDS, _expected_bounds(r), strict=True):
            if not _same(r[column], want):
                raise DataError(
                    file,
                    f"{r[column]} breaks the bounds convention for {r['qualifier']!r} "
                    f"(expected {'empty' if _missing(want) else want})",
                    row=n,
                    column=column,
                )
        if r["qualifier"] == "range" and not r["low"] < r["high"]:
            raise DataError(file, "range low is not below high", row=n, column="low")


def _check_mentions(frame: pd.DataFrame, indicators: pd.DataFrame, found: pd.DataFrame) -> None:
    """Exactly one of indicator_id/excluded_reason; values match the source and the indicator."""
    facts = indicators.set_index("id").to_dict("index")
    extracted = {int(r["start"]): r for r in found.to_dict("records")}
    for n, r in _rows(frame):
        linked, excluded = not _missing(r["indicator_id"]), not _missing(r["excluded_reason"])
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
    for n, r in _rows(indicators):
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
    return _same(a, b)


def _check_glossary(frame: pd.DataFrame, raw: str) -> None:
    """A term appearing verbatim must be its span; otherwise its characters must lie in order."""
    for n, r in _rows(frame):
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
    for n, r in _rows(frame):
        if not _missing(r["indicator_id"]) and r["indicator_id"] not in ids:
            raise DataError(
                "events.csv",
                f"unknown indicator {r['indicator_id']!r}",
                row=n,
                column="indicator_id",
            )
        if r["date_basis"] == "implied" and _missing(r["date_note_en"]):
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
    row = {k: None if _missing(v) else v for k, v in match.iloc[0].to_dict().items() if k in names}
    mentions = data.frames["mentions"]
    mine = mentions[mentions["indicator_id"] == id].sort_values("start")
    first = mine.iloc[0]
    spans = tuple((int(s), int(e)) for s, e in zip(mine["start"], mine["end"], strict=True))
    numbers = {k: None if row[k] is None else float(row[k]) for k in BOUNDS}
    return Indicator(
        **{**row, **numbers},
        quote=data.source.sentence(int(first["start"]), int(first["end"])),
        spans=spans,
        paragraph=None if _missing(first["paragraph"]) else int(first["paragraph"]),
        part=None if _missing(first["part"]) else str(first["part"]),
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
    schemas = _read_schemas(folder)
    old = _read_table(folder / "mentions.csv", schemas["mentions"])
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
    new = new[[f["name"] for f in schemas["mentions"]]]
    if write:
        _write_csv(new, folder / "mentions.csv")
    return new


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write `frame` as UTF-8 CSV with integers shown without '.0' and missing values empty."""

    def cell(x: Any) -> str:
        if _missing(x):
            return ""
        if isinstance(x, float):
            return str(int(x)) if x.is_integer() else repr(x)
        return str(x)

    text = io.StringIO()
    out = csv.writer(text, lineterminator="\n")
    out.writerow(frame.columns)
    out.writerows([cell(x) for x in row] for row in frame.itertuples(index=False))
    write_atomic(path, text.getvalue())
