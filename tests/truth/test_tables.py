"""The one table reader and the data package's guard on the raw source.

Every case edits a copy of data/ and loads it through the public loaders, which all read through
``ziyang_lib.truth.tables`` with their schema from ``datapackage.json``.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from ziyang_lib import DataError, load_glossary, load_indicators, load_mentions, load_source
from ziyang_lib.paths import SOURCE_FILENAME
from ziyang_lib.truth.context import load_context
from ziyang_lib.truth.package import MAX_FILE_BYTES
from ziyang_lib.truth.tables import plain

DATA = Path(__file__).resolve().parents[2] / "data"
RAW_NAME = f"raw/{SOURCE_FILENAME}"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return Path(shutil.copytree(DATA, tmp_path / "data"))


def _error(loader, data: Path) -> DataError:
    with pytest.raises(DataError) as info:
        loader(data)
    assert "\n" not in str(info.value)
    return info.value


# --- spreadsheet habits ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "loader"), [("indicators.csv", load_indicators), ("context.csv", load_context)]
)
def test_a_table_saved_by_excel_with_a_byte_order_mark_loads(data: Path, name, loader) -> None:
    path = data / name
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    with_bom = loader(data)
    assert with_bom.equals(loader(DATA))
    assert not with_bom.columns[0].startswith("\ufeff")


@pytest.mark.parametrize("index", [5, -1])
def test_an_unclosed_quote_names_the_row_it_opens_on(data: Path, index: int) -> None:
    path = data / "glossary.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[index] = lines[index].replace(",", ',"', 1)  # a quote opened after the first comma
    path.write_text("".join(lines), encoding="utf-8")
    err = _error(load_glossary, data)
    assert (err.file, err.row) == ("glossary.csv", index % len(lines) + 1)
    assert "quoted cell opened on this row is not closed" in err.problem


def test_a_huge_table_is_refused_before_it_is_parsed(data: Path) -> None:
    path = data / "mentions.csv"
    with path.open("ab") as fh:  # a sparse file: MAX + 1 MB of size, no time spent writing it
        fh.truncate(MAX_FILE_BYTES + 1_000_000)
    err = _error(load_mentions, data)
    assert err.file == "mentions.csv" and "may be at most 8.0 MB (refused unread)" in err.problem


def test_values_in_messages_print_plainly(data: Path) -> None:
    path = data / "mentions.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join([*lines, lines[3]]), encoding="utf-8")  # a duplicate start
    err = _error(load_mentions, data)
    assert "np." not in str(err) and "duplicate " in err.problem
    start = lines[3].split(",", 1)[0]
    assert f"duplicate {start} (first in row 4)" in err.problem
    assert [plain(x) for x in (999, 999.0, 2.5, "abc")] == ["999", "999", "2.5", "'abc'"]
    import numpy as np

    assert plain(np.int64(999)) == "999" and plain(np.float64(0.5)) == "0.5"


def test_a_column_the_schema_does_not_describe_is_refused(data: Path) -> None:
    path = data / "glossary.csv"
    header, *rows = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([f"{header},comment", *(f"{r},x" for r in rows)]) + "\n", "utf-8")
    err = _error(load_glossary, data)
    assert (err.row, err.column) == (1, "comment") and "not in the schema" in err.problem


# --- the raw source is guarded by its size and sha256 -----------------------------------------


def _recorded(data: Path) -> dict:
    package = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    return next(r for r in package["resources"] if r["path"] == RAW_NAME)


@pytest.mark.parametrize("loader", [load_source, load_indicators])
def test_one_changed_character_of_the_raw_source_is_refused(data: Path, loader) -> None:
    raw = data / "raw" / SOURCE_FILENAME
    text = raw.read_text(encoding="utf-8")
    raw.write_text(text.replace("脱贫", "拖贫", 1), encoding="utf-8")  # same byte count
    assert raw.stat().st_size == _recorded(data)["bytes"]
    found = hashlib.sha256(raw.read_bytes()).hexdigest()
    expected = _recorded(data)["hash"].removeprefix("sha256:")
    err = _error(loader, data)
    assert err.file == RAW_NAME
    assert f"expected sha256 {expected}, found sha256 {found}" in err.problem


def test_a_raw_source_of_another_length_is_refused_with_both_counts(data: Path) -> None:
    raw = data / "raw" / SOURCE_FILENAME
    raw.write_bytes(raw.read_bytes() + b"\n")
    err = _error(load_source, data)
    size = _recorded(data)["bytes"]
    assert err.file == RAW_NAME and f"{size + 1} bytes, not {size}" in err.problem


def test_the_real_raw_source_matches_its_record() -> None:
    source = load_source()
    assert "sha256:" + source.sha256 == _recorded(DATA)["hash"]
