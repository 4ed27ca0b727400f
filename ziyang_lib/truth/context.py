"""Ziyang in context: external figures for China, Sichuan and Ziyang (``data/context.csv``).

Each row is one figure from outside the source, with its definition, producer, retrieval URL and
date, whether a second independent page confirms it (``single_sourced``) and whether it is a
stated result, a plan or derived here (``kind``). `load_context` validates the table against
`FIELDS` (the same schema the data package declares). Their words on the page (sentences,
source notes) are report text: `ziyang_lib.report.notes`.
"""

from __future__ import annotations

import csv
import math
import os
import re
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from ziyang_lib.errors import DataError
from ziyang_lib.paths import data_dir as resolve_data_dir
from ziyang_lib.truth.langs import check_lang
from ziyang_lib.truth.quantity import QUALIFIERS as _QUALIFIERS

CONTEXT_FILE = "context.csv"
MAX_HOSTS = 3  # retrieval hosts named per producer in a chart's footnote
QUALIFIERS = list(_QUALIFIERS)
KINDS = ["stated", "plan", "derived"]
GEOS = ["China", "Sichuan province", "Ziyang city"]
_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
_URL = r"^https?://[^\s()<>\"']+$"


def _f(name: str, type_: str, title: str, description: str, **constraints: Any) -> dict:
    spec: dict[str, Any] = {"name": name, "type": type_, "title": title}
    spec["description"] = description
    if type_ == "boolean":
        spec.update(trueValues=["true"], falseValues=["false"])
    if constraints:
        spec["constraints"] = constraints
    return spec


#: The table schema (Frictionless field descriptors); data/datapackage.json carries the same.
FIELDS: list[dict[str, Any]] = [
    _f("context_id", "string", "Context id", "Readable slug; primary key.",
       required=True, unique=True, pattern="^[a-z][a-z0-9_]*$"),
    _f("geo", "string", "Place", "China, Sichuan province or Ziyang city (post-2016 boundary).",
       required=True, enum=GEOS),
    _f("indicator", "string", "Indicator", "What is measured, in a few words.", required=True),
    _f("definition", "string", "Definition",
       "Precise definition, naming the statistical concept (survey estimate vs register).",
       required=True),
    _f("period", "string", "Period", "Time the figure refers to (end-2012, 2015, 2014-2020…).",
       required=True),
    _f("period_zh", "string", "Period (zh)", "The period in Chinese (2012年底, 2014—2020年…).",
       required=True),
    _f("value", "number", "Value", "The figure in base units; empty for a range."),
    _f("low", "number", "Lower bound", "Lower bound implied by the qualifier (as indicators.csv)."),
    _f("high", "number", "Upper bound",
       "Upper bound implied by the qualifier (as indicators.csv)."),
    _f("unit", "string", "Unit (zh)", "Base unit in Chinese (人, 个, 元, %, 平方公里).",
       required=True),
    _f("unit_en", "string", "Unit (en)", "Base unit in English (people, villages, yuan…).",
       required=True),
    _f("qualifier", "string", "Qualifier", "exact, more_than, at_least, at_most, about, nearly "
       "or range (as indicators.csv).", required=True, enum=QUALIFIERS),
    _f("kind", "string", "Kind", "stated: a reported result; plan: a target announced in "
       "advance; derived: computed here from other published figures.",
       required=True, enum=KINDS),
    _f("label_zh", "string", "Label (zh)", "Short Chinese label for charts.", required=True),
    _f("label_en", "string", "Label (en)", "Short English label for charts.", required=True),
    _f("producer", "string", "Producer (en)",
       "Who produced the figure, where known; reposts are said to be reposts.", required=True),
    _f("producer_zh", "string", "Producer (zh)", "The producer in Chinese.", required=True),
    _f("url", "string", "Retrieval URL", "Page the figure was retrieved from (often a repost).",
       required=True, pattern=_URL),
    _f("corroborated_by", "string", "Second source",
       "An independent page giving the same figure; empty when single-sourced.", pattern=_URL),
    _f("source_date", "string", "Source date", "Date of the retrieval page (YYYY[-MM[-DD]]).",
       required=True, pattern=_DATE),
    _f("single_sourced", "boolean", "Single-sourced",
       "true when only one page was found for the figure; say so wherever it is shown.",
       required=True),
    _f("note", "string", "Note", "Caveats: how a derived figure was derived, scope, cut-off."),
]  # fmt: skip
NAMES: tuple[str, ...] = tuple(f["name"] for f in FIELDS)


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

    Raises DataError naming the row (header = row 1) and column of the first problem.
    """
    path = context_path(data_dir)
    if not path.exists():
        raise DataError(CONTEXT_FILE, f"file not found in {path.parent}")
    return _load(str(path.resolve()), path.stat().st_mtime_ns).copy()


def context_figure(
    context_id: str, data_dir: str | os.PathLike[str] | None = None
) -> ContextFigure:
    """One context figure by id; KeyError if there is none."""
    frame = load_context(data_dir)
    rows = frame.loc[frame["context_id"] == context_id]
    if rows.empty:
        raise KeyError(f"no context figure {context_id!r} in {CONTEXT_FILE}")
    row = rows.iloc[0].to_dict()
    values = {k: (None if _missing(v) else v) for k, v in row.items()}
    for name in ("value", "low", "high"):
        values[name] = None if values[name] is None else float(values[name])
    for f in fields(ContextFigure):
        if f.type == "str" and values[f.name] is None:
            values[f.name] = ""
    return ContextFigure(**values)


@lru_cache(maxsize=8)
def _load(path: str, _mtime: int) -> pd.DataFrame:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    if not rows or tuple(rows[0]) != NAMES:
        raise DataError(CONTEXT_FILE, f"header must be {', '.join(NAMES)}", row=1)
    records = [_convert_row(cells, i) for i, cells in enumerate(rows[1:], start=2)]
    frame = pd.DataFrame.from_records(records, columns=list(NAMES))
    _check_table(frame)
    return frame


def _convert_row(cells: list[str], row: int) -> dict[str, Any]:
    if len(cells) != len(NAMES):
        raise DataError(CONTEXT_FILE, f"expected {len(NAMES)} cells, got {len(cells)}", row=row)
    out: dict[str, Any] = {}
    for spec, cell in zip(FIELDS, cells, strict=True):
        out[spec["name"]] = _convert_cell(spec, cell, row)
    _check_row(out, row)
    return out


def _convert_cell(spec: dict[str, Any], cell: str, row: int) -> Any:
    name, rules = spec["name"], spec.get("constraints", {})
    if cell == "":
        if rules.get("required"):
            raise DataError(CONTEXT_FILE, "required value is empty", row=row, column=name)
        return math.nan if spec["type"] == "number" else ""
    if spec["type"] == "number":
        try:
            return float(cell)
        except ValueError:
            raise DataError(CONTEXT_FILE, f"not a number: {cell!r}", row=row, column=name) from None
    if spec["type"] == "boolean":
        if cell not in ("true", "false"):
            raise DataError(
                CONTEXT_FILE, f"expected true/false, got {cell!r}", row=row, column=name
            )
        return cell == "true"
    if "enum" in rules and cell not in rules["enum"]:
        raise DataError(
            CONTEXT_FILE, f"{cell!r} is not one of {rules['enum']}", row=row, column=name
        )
    if "pattern" in rules and not re.fullmatch(rules["pattern"], cell):
        raise DataError(
            CONTEXT_FILE, f"{cell!r} does not match {rules['pattern']}", row=row, column=name
        )
    return cell


def _missing(x: Any) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or x == ""


def _check_row(r: dict[str, Any], row: int) -> None:
    """Bounds follow the qualifier (as indicators.csv); single_sourced agrees with the 2nd URL."""
    q, value, low, high = r["qualifier"], r["value"], r["low"], r["high"]
    expected = {
        "exact": (value, value),
        "more_than": (value, high),
        "at_least": (value, high),
        "at_most": (low, value),
        "nearly": (low, value),
    }
    if q == "range":
        if not _missing(value) or _missing(low) or _missing(high) or low > high:
            raise DataError(CONTEXT_FILE, "a range needs low <= high and no value", row=row)
    elif _missing(value):
        raise DataError(CONTEXT_FILE, f"a {q!r} figure needs a value", row=row, column="value")
    elif q in expected:
        lo, hi = expected[q]
        for column, got, want in (("low", low, lo), ("high", high, hi)):
            if not _missing(want) and (_missing(got) or not math.isclose(got, want)):
                raise DataError(
                    CONTEXT_FILE, f"{q!r} needs {column} = {want}", row=row, column=column
                )
    if r["single_sourced"] != (r["corroborated_by"] == ""):
        raise DataError(
            CONTEXT_FILE,
            "single_sourced must be true exactly when corroborated_by is empty",
            row=row,
            column="single_sourced",
        )


def _check_table(frame: pd.DataFrame) -> None:
    dup = frame["context_id"].duplicated()
    if dup.any():
        row = int(dup.to_numpy().nonzero()[0][0]) + 2
        raise DataError(CONTEXT_FILE, "duplicate context_id", row=row, column="context_id")


def datapackage_resource() -> dict[str, Any]:
    """The data-package resource descriptor for context.csv (its schema is `FIELDS`)."""
    return {
        "name": "context",
        "type": "table",
        "path": CONTEXT_FILE,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "title": "Ziyang in context: external figures for China, Sichuan and Ziyang",
        "description": (
            "Figures from outside the source, one value per row, each with its definition, "
            "producer, retrieval URL (often a repost) and date, a second independent URL where "
            "one was found, and whether it is a stated result, a plan or derived here."
        ),
        "schema": {"fields": FIELDS, "primaryKey": ["context_id"]},
    }


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
