"""Numbers inside free-text cells trace to data, like the numbers of the narrative.

A description, explanation or note is prose someone typed, and a number typed into prose can
drift from the figure it repeats (``500`` → ``600`` million). So every number in a free-text
column (:data:`FREE_TEXT`) must be one of:

1. a **figure of data/**: its value, with its scale word applied (万, 亿, 万亿, thousand,
   million, billion; both ends of a range such as ``5-7亿`` or ``500 to 700 million``),
   equals the ``value``, ``low`` or ``high`` of a row of ``indicators.csv``, of
   ``mentions.csv`` (every number the source states) or, for context notes, of
   ``context.csv``; or a number written in a mention's ``raw`` text or an event's ``date``
   (the 2020 of 2020-10-14); or
2. **written in its own row**: the same digits stand in one of the row's other cells (the
   glossary term ``10.17``, a ``period``, a ``source_date``).

Anything else raises DataError naming file, row, column and the number. Definitions and labels
are not free text in this sense (they name standards and titles) and are not scanned.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

from ziyang_lib.errors import DataError
from ziyang_lib.truth.tables import BOUNDS, missing, plain, rows

FREE_TEXT: dict[str, tuple[str, ...]] = {
    "indicators": ("description_en", "description_zh"),
    "glossary": ("explanation_zh", "explanation_en"),
    "context": ("note",),
}
"""The free-text columns of each table whose numbers are checked."""

SCALES = {"万亿": 1e12, "亿": 1e8, "万": 1e4, "thousand": 1e3, "million": 1e6, "billion": 1e9}
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_QUANTITY = re.compile(
    rf"(?<![A-Za-z0-9_.,])({_NUMBER})"
    rf"(?:\s*(?:[—–~-]|to)\s*({_NUMBER}))?"
    r"\s*(万亿|亿|万|thousand|million|billion)?"
)
_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_TOLERANCE = 1e-9


def figures(*frames: pd.DataFrame) -> list[float]:
    """The figures a free-text number may repeat: every value, low and high of `frames`, and
    every number written in a ``raw`` (a mention as the source writes it: the 2020 of
    2020-10-14) or ``date`` cell (an event's date)."""
    found: set[float] = set()
    for frame in frames:
        for column in BOUNDS:
            if column in frame:
                found.update(float(x) for x in frame[column] if not missing(x))
        for column in ("raw", "date"):
            if column in frame:
                for cell in frame[column].dropna():
                    found.update(float(d) for d in _DIGITS.findall(str(cell)))
    return sorted(found)


def numbers(text: str) -> Iterable[tuple[str, list[tuple[str, float]]]]:
    """(quantity as written, [(number as written, value with its scale)]) for each quantity."""
    for match in _QUANTITY.finditer(text):
        first, second, scale = match.groups()
        factor = SCALES.get(scale or "", 1.0)
        parts = [p for p in (first, second) if p]
        yield match.group(0).strip(), [(p, float(p.replace(",", "")) * factor) for p in parts]


def check_free_text(frame: pd.DataFrame, file: str, table: str, known: list[float]) -> None:
    """Raise DataError at the first number of a free-text cell that traces to nothing."""
    columns = [c for c in FREE_TEXT.get(table, ()) if c in frame]
    for n, record in rows(frame):
        own = _own_digits(record, columns)
        for column in columns:
            text = record[column]
            if missing(text):
                continue
            for written, parts in numbers(str(text)):
                for digits, value in parts:
                    if _is_figure(value, known) or digits.replace(",", "") in own:
                        continue
                    raise DataError(
                        file,
                        f"{plain(written)} in free text traces to no figure of data/ "
                        f"({plain(value)} is no value, low or high of the source's numbers or "
                        "the tables, nor written in this row's other cells)",
                        row=n,
                        column=column,
                    )


def _own_digits(record: dict[str, Any], free: list[str]) -> set[str]:
    """Digit runs (and decimals) of the row's cells other than its free text."""
    own: set[str] = set()
    for column, cell in record.items():
        if column in free or missing(cell) or not isinstance(cell, str):
            continue
        for run in _DIGITS.findall(cell):
            own.add(run)
            own.update(run.split("."))
    return own


def _is_figure(value: float, known: list[float]) -> bool:
    return any(math.isclose(value, f, rel_tol=_TOLERANCE, abs_tol=0.0) for f in known)
