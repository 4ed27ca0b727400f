"""The source's numeric mentions in place: each row of ``mentions.csv`` with the words it marks.

`load_mention_records(data_dir)` gives every mention as a `Mention` (its raw span, the words the
cleaned text shows there, its reading, and the indicator it feeds or why it is excluded);
`marked_paragraphs(data_dir)` cuts every paragraph of the cleaned source into plain text and
mentions (`place`), so a page can show the article with each mention marked exactly once;
`mention(raw)` is what the provenance source ``mention(<raw text>)`` stands for.

Nothing here is a hard-coded list: the mentions are the rows of the table, placed through the
source's clean→raw map. A row whose span is empty once cleaned, crosses a paragraph or overlaps
another row raises `DataError` naming it.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pandas as pd

from ziyang_lib.errors import DataError

DataDir = str | os.PathLike[str] | None
MENTIONS_FILE = "mentions.csv"
#: The fields that say how a mention reads; mentions of the same raw text must agree on them.
READING: tuple[str, ...] = ("value", "low", "high", "unit", "qualifier", "kind")


def _text(x: Any) -> str:
    return "" if x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x)) else str(x)


def _number(x: Any) -> float | None:
    if x is None or x is pd.NA:
        return None
    try:
        value = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else value


@dataclass(frozen=True)
class Mention:
    """One row of ``mentions.csv`` placed in the source.

    `start`/`end` are raw offsets; `words` is what the cleaned text shows for that span (the
    source's own words); `indicator_id` is the fact it feeds, or '' with `excluded_reason` said.
    """

    start: int
    end: int
    raw: str
    words: str
    value: float | None
    low: float | None
    high: float | None
    unit: str
    qualifier: str
    kind: str
    part: str
    paragraph: int
    indicator_id: str
    excluded_reason: str

    @property
    def source(self) -> str:
        """Its provenance source: ``mention(<raw text>)``."""
        return f"mention({self.raw})"

    @property
    def mapped(self) -> bool:
        """Whether it feeds an indicator (else it is excluded, with a reason)."""
        return bool(self.indicator_id)

    def reading(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in READING)


@dataclass(frozen=True)
class MarkedParagraph:
    """One paragraph of the cleaned source as pieces: ``(text, None)`` or ``(words, Mention)``."""

    para: int
    part: str
    role: str
    text: str
    pieces: tuple[tuple[str, Mention | None], ...]

    @property
    def mentions(self) -> list[Mention]:
        return [m for _, m in self.pieces if m is not None]


def load_mention_records(data_dir: DataDir = None) -> list[Mention]:
    """Every row of ``mentions.csv`` as a `Mention`, in reading order."""
    from ziyang_lib.truth.loaders import dataset_key

    return list(_mention_records(*dataset_key(data_dir)))


@lru_cache(maxsize=8)
def _mention_records(folder: str, _stamps: tuple[Any, ...]) -> tuple[Mention, ...]:
    """The mentions of the dataset in `folder`, made once per state of its files (`Mention` is
    frozen, so every caller may share them)."""
    from ziyang_lib.truth.loaders import load_mentions
    from ziyang_lib.truth.source import load_source

    source = load_source(folder)
    frame = load_mentions(folder).sort_values("start", kind="stable")
    records = []
    for row in frame.to_dict("records"):
        start, end = int(row["start"]), int(row["end"])
        clean_start, clean_end = source.to_clean(start), source.to_clean(end)
        records.append(
            Mention(
                start=start,
                end=end,
                raw=_text(row["raw"]),
                words=source.text[clean_start:clean_end],
                value=_number(row["value"]),
                low=_number(row["low"]),
                high=_number(row["high"]),
                unit=_text(row["unit"]),
                qualifier=_text(row["qualifier"]) or "exact",
                kind=_text(row["kind"]),
                part=source.part_of(start),
                paragraph=source.paragraph_of(start),
                indicator_id=_text(row["indicator_id"]),
                excluded_reason=_text(row["excluded_reason"]),
            )
        )
    return tuple(records)


def mention_frame(data_dir: DataDir = None) -> pd.DataFrame:
    """The mentions as a frame (one row per mention, the `Mention` fields as columns)."""
    records = load_mention_records(data_dir)
    columns = list(Mention.__dataclass_fields__)
    return pd.DataFrame([[getattr(m, c) for c in columns] for m in records], columns=columns)


def mention(raw: str, data_dir: DataDir = None) -> Mention:
    """The mention of raw text `raw` (``mention(<raw>)``): every row with that text must read the
    same way (value, bounds, unit, qualifier, kind); KeyError if none has it."""
    return one_reading(raw, load_mention_records(data_dir))


def one_reading(raw: str, records: list[Mention]) -> Mention:
    """The first of `records` with raw text `raw`, if all of them read the same way."""
    found = [m for m in records if m.raw == raw.strip()]
    if not found:
        raise KeyError(f"no mention with raw text {raw!r} in {MENTIONS_FILE}")
    readings = {m.reading() for m in found}
    if len(readings) > 1:
        starts = ", ".join(str(m.start) for m in found)
        raise ValueError(f"mentions of {raw!r} (starts {starts}) read differently: {readings}")
    return found[0]


def marked_paragraphs(data_dir: DataDir = None) -> list[MarkedParagraph]:
    """Every paragraph of the source, cut into plain text and its mentions (each exactly once);
    see `place`."""
    from ziyang_lib.truth.source import load_source

    return place(load_source(data_dir), load_mention_records(data_dir))


def place(source: Any, records: list[Mention]) -> list[MarkedParagraph]:
    """Cut every paragraph of `source` (a `ziyang_lib.truth.source.Source`) into plain text and
    the `records` it holds, each exactly once.

    Raises `DataError` for a mention whose cleaned span is empty, runs past its paragraph or
    overlaps the mention before it.
    """
    by_para: dict[int, list[Mention]] = {}
    for m in sorted(records, key=lambda r: r.start):
        by_para.setdefault(m.paragraph, []).append(m)
    paragraphs = []
    for row in source.paragraphs.to_dict("records"):
        para = int(row["para"])
        begin = source.to_clean(int(row["start"]))
        text = str(row["text"])
        pieces: list[tuple[str, Mention | None]] = []
        pos = 0
        for m in by_para.get(para, []):
            cs, ce = source.to_clean(m.start) - begin, source.to_clean(m.end) - begin
            if ce <= cs:
                _fail(m, "its span is empty in the cleaned text")
            if ce > len(text):
                _fail(m, f"its span runs past the end of paragraph {para}")
            if cs < pos:
                _fail(m, "its span overlaps the mention before it")
            if cs > pos:
                pieces.append((text[pos:cs], None))
            pieces.append((text[cs:ce], m))
            pos = ce
        if pos < len(text):
            pieces.append((text[pos:], None))
        paragraphs.append(
            MarkedParagraph(para, str(row["part"]), str(row["role"]), text, tuple(pieces))
        )
    return paragraphs


def _fail(m: Mention, problem: str) -> None:
    raise DataError(MENTIONS_FILE, f"mention {m.raw!r} at raw {m.start}–{m.end}: {problem}")
