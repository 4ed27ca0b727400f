"""truth.mentions: every row of mentions.csv placed once in the cleaned source, with its words."""

from __future__ import annotations

import csv
import dataclasses
import re

import pytest

from ziyang_lib.errors import DataError
from ziyang_lib.paths import data_dir
from ziyang_lib.truth import provenance
from ziyang_lib.truth.mentions import (
    load_mention_records,
    marked_paragraphs,
    mention,
    one_reading,
    place,
)
from ziyang_lib.truth.source import load_source


def csv_rows() -> list[dict[str, str]]:
    with (data_dir() / "mentions.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_every_row_is_placed_once_at_its_offsets() -> None:
    source = load_source()
    placed = [m for p in marked_paragraphs() for m in p.mentions]
    rows = csv_rows()
    assert sorted(m.start for m in placed) == sorted(int(r["start"]) for r in rows)
    for row, m in zip(sorted(rows, key=lambda r: int(r["start"])), placed, strict=True):
        start, end = int(row["start"]), int(row["end"])
        assert (m.start, m.end, m.raw) == (start, end, row["raw"])
        span = source.raw[start:end]
        if not re.search(r"[&;\s]", span):  # nothing for the cleaning to change
            assert m.words == span
        assert m.indicator_id == row["indicator_id"]
        assert bool(m.excluded_reason) == (not row["indicator_id"])


def test_pieces_rebuild_each_paragraph() -> None:
    source = load_source()
    paragraphs = marked_paragraphs()
    assert [p.para for p in paragraphs] == source.paragraphs["para"].tolist()
    for p in paragraphs:
        assert "".join(text for text, _ in p.pieces) == p.text
        for text, m in p.pieces:
            if m is not None:
                assert text == m.words and m.paragraph == p.para


def _shifted(m, by: int):
    return dataclasses.replace(m, start=m.start + by, end=m.end + by)


def test_an_overlapping_or_overflowing_row_is_refused_naming_it() -> None:
    source, records = load_source(), load_mention_records()
    first = records[2]  # a quantity of the lead
    overlapping = [*records, _shifted(first, 1)]
    with pytest.raises(DataError, match=f"{first.start + 1}.*overlaps"):
        place(source, overlapping)
    end = source.paragraphs.set_index("para").loc[first.paragraph, "end"]
    past = dataclasses.replace(first, start=int(end) - 1, end=int(end) + 3)
    others = [r for r in records if r is not first]
    with pytest.raises(DataError, match="runs past the end of paragraph"):
        place(source, [*others, past])


def test_mention_is_one_reading_of_its_raw_text() -> None:
    age = mention("82岁")
    assert (age.value, age.unit, age.kind, age.mapped) == (82.0, "岁", "quantity", False)
    assert provenance.derive("mention(82岁)") == age
    with pytest.raises(KeyError, match="no mention"):
        mention("9999个")
    records = load_mention_records()
    twice = [m for m in records if m.raw == "10.17"]
    assert len(twice) == 2 and one_reading("10.17", records) == twice[0]
    disagreeing = [twice[0], dataclasses.replace(twice[1], kind="quantity")]
    with pytest.raises(ValueError, match="read differently"):
        one_reading("10.17", disagreeing)
