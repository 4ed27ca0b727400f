"""Loaders: typed frames, Indicator records, and a DataError for every kind of broken file.

Broken-file tests edit a copy of data/ in tmp_path and load it through the public API.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

import ziyang_lib
from ziyang_lib import (
    DataError,
    indicator,
    load_events,
    load_glossary,
    load_indicators,
    load_mentions,
)
from ziyang_lib.paths import SOURCE_FILENAME
from ziyang_lib.truth.loaders import rebuild_mentions

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
RAW = (DATA / "raw" / SOURCE_FILENAME).read_text(encoding="utf-8")

Row = dict[str, str]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A private copy of data/ (tables, data package and raw source)."""
    return Path(shutil.copytree(DATA, tmp_path / "data"))


def read(path: Path) -> tuple[list[str], list[Row]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def write(path: Path, header: list[str], rows: list[Row]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def edit(path: Path, change: Callable[[list[Row]], list[Row] | None]) -> None:
    """Rewrite a CSV after `change` edits (or replaces) its list of row dicts."""
    header, rows = read(path)
    write(path, header, change(rows) or rows)


def row_of(path: Path, column: str, value: str) -> int:
    """Spreadsheet row number (header = 1) of the first row where `column` == `value`."""
    _, rows = read(path)
    return next(i for i, r in enumerate(rows, start=2) if r[column] == value)


def set_cells(column: str, key: str, key_value: str, **cells: str):
    def change(rows: list[Row]) -> None:
        for r in rows:
            if r[column] == key_value:
                r.update(cells)
                return
        raise AssertionError(f"no row with {column}={key_value}")

    return change


def load_error(data: Path, loader: Callable[..., object] = load_indicators) -> DataError:
    with pytest.raises(DataError) as info:
        loader(data)
    message = str(info.value)
    assert "\n" not in message, "a DataError message is one line"
    assert info.value.file in message and info.value.problem in message
    return info.value


# --- the real data loads, typed ---------------------------------------------------------------


def test_tables_load_with_explicit_dtypes() -> None:
    ind, men = load_indicators(), load_mentions()
    assert ind["id"].dtype == "string" and ind["label_en"].dtype == "string"
    assert ind["value"].dtype == "float64" and ind["high"].dtype == "float64"
    assert men["start"].dtype == "int64" and men["end"].dtype == "int64"
    assert men["paragraph"].dtype == "Int64"
    assert men["indicator_id"].dtype == "string"
    assert load_events()["start"].dtype == "int64"
    assert load_glossary()["term"].dtype == "string"
    # a range has no single value: missing, not zero
    city = ind.set_index("id").loc["city_budget_per_year"]
    assert pd.isna(city["value"]) and city["low"] == 50_000_000 and city["high"] == 100_000_000


def test_loaders_return_copies_so_callers_cannot_corrupt_the_cache() -> None:
    first = load_indicators()
    first.loc[0, "label_en"] = "vandalised"
    del first["value"]
    again = load_indicators()
    assert "value" in again.columns
    assert "vandalised" not in set(again["label_en"])


def test_cache_follows_the_file_on_disk(data: Path) -> None:
    assert "changed label" not in set(load_indicators(data)["label_en"])
    edit(data / "indicators.csv", set_cells("id", "id", "roads_built", label_en="changed label"))
    assert load_indicators(data).set_index("id").loc["roads_built", "label_en"] == "changed label"
    assert indicator("roads_built", data).label("en") == "changed label"


def test_data_dir_from_environment(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    edit(data / "indicators.csv", set_cells("id", "id", "roads_built", label_en="from env dir"))
    monkeypatch.setenv("ZIYANG_DATA_DIR", str(data))
    assert indicator("roads_built").label("en") == "from env dir"


# --- indicator records ------------------------------------------------------------------------


def test_indicator_record_points_at_every_mention() -> None:
    rec = indicator("poor_population")
    first = RAW.index("23.6万")
    second = RAW.index("23.6万", first + 1)
    assert [s for s, _ in rec.spans] == [first, second]
    assert all(RAW[s:e].startswith("23.6万") for s, e in rec.spans)
    assert rec.value == rec.low == rec.high == 236_000
    assert rec.qualifier == "exact" and rec.unit == "人"
    assert "23.6万贫困人口全部脱贫" in rec.quote
    assert rec.part == "lead"
    assert rec.paragraph is not None and rec.paragraph >= 1


def test_indicator_keeps_open_bounds_missing() -> None:
    rec = indicator("paired_cadres")  # 2万余名: more than 20,000, no upper bound
    assert rec.qualifier == "more_than" and rec.value == rec.low == 20_000
    assert rec.high is None
    assert "2万余名" in rec.quote


def test_indicator_labels_by_language() -> None:
    rec = indicator("specialty_agri_area")
    assert rec.label("zh") == rec.label_zh and rec.label("en") == rec.label_en
    assert rec.description("en") == rec.description_en
    assert rec.label("zh") != rec.label("en")
    with pytest.raises(ValueError, match="lang"):
        rec.label("fr")


def test_indicator_is_frozen() -> None:
    rec = indicator("roads_built")
    with pytest.raises(AttributeError):
        rec.value = 1.0  # type: ignore[misc]


def test_unknown_indicator_names_close_matches() -> None:
    with pytest.raises(KeyError, match="poor_villages"):
        indicator("poor_vilages")


def test_public_api_is_exported() -> None:
    assert ziyang_lib.Indicator is type(indicator("roads_built"))
    assert ziyang_lib.load_events is load_events


# --- every malformed or missing file raises DataError -----------------------------------------


@pytest.mark.parametrize("name", ["indicators.csv", "mentions.csv", "glossary.csv", "events.csv"])
def test_missing_table(data: Path, name: str) -> None:
    (data / name).unlink()
    err = load_error(data)
    assert err.file == name and "not found" in err.problem


def test_missing_raw_source(data: Path) -> None:
    (data / "raw" / SOURCE_FILENAME).unlink()
    assert SOURCE_FILENAME in load_error(data, load_mentions).file


def test_missing_data_package(data: Path) -> None:
    (data / "datapackage.json").unlink()
    assert load_error(data, load_glossary).file == "datapackage.json"


def test_missing_column(data: Path) -> None:
    path = data / "indicators.csv"
    header, rows = read(path)
    header.remove("unit_en")
    write(path, header, [{k: v for k, v in r.items() if k != "unit_en"} for r in rows])
    err = load_error(data)
    assert (err.file, err.row, err.column) == ("indicators.csv", 1, "unit_en")


def test_wrong_type(data: Path) -> None:
    edit(data / "indicators.csv", set_cells("id", "id", "roads_built", value="about 1300"))
    err = load_error(data)
    assert err.column == "value" and err.row == row_of(data / "indicators.csv", "id", "roads_built")
    assert "about 1300" in err.problem


def test_wrong_integer(data: Path) -> None:
    edit(data / "events.csv", set_cells("event_id", "event_id", "publication", start="86.5"))
    err = load_error(data, load_events)
    assert (err.file, err.column) == ("events.csv", "start")


def test_value_outside_enum(data: Path) -> None:
    edit(data / "indicators.csv", set_cells("id", "id", "roads_built", qualifier="roughly"))
    err = load_error(data)
    assert err.column == "qualifier" and "roughly" in err.problem


def test_glossary_category_outside_its_enum(data: Path) -> None:
    path = data / "glossary.csv"
    edit(path, set_cells("term", "term", "低保", category="welfare"))
    err = load_error(data, load_glossary)
    assert (err.file, err.column) == ("glossary.csv", "category")
    assert err.row == row_of(path, "term", "低保") and "welfare" in err.problem


def test_glossary_category_is_required(data: Path) -> None:
    path = data / "glossary.csv"
    edit(path, set_cells("term", "term", "扶智", category=""))
    err = load_error(data, load_glossary)
    assert (err.column, err.row) == ("category", row_of(path, "term", "扶智"))
    assert "empty" in err.problem


def test_glossary_has_a_category_per_term() -> None:
    glossary = load_glossary()
    assert glossary["category"].dtype == "string"
    assert glossary.set_index("term").loc["第一书记", "category"] == "organisation"
    assert glossary.set_index("term").loc["川中典型丘区", "category"] == "place"


def test_duplicate_id(data: Path) -> None:
    path = data / "indicators.csv"
    edit(path, lambda rows: [*rows, dict(rows[3])])
    err = load_error(data)
    _, rows = read(path)
    assert err.column == "id" and err.row == len(rows) + 1
    assert rows[3]["id"] in err.problem


def test_span_out_of_range(data: Path) -> None:
    path = data / "glossary.csv"
    edit(path, set_cells("term", "term", "绣花功夫", end=str(len(RAW) + 5)))
    err = load_error(data, load_glossary)
    assert err.file == "glossary.csv" and err.row == row_of(path, "term", "绣花功夫")
    assert "outside" in err.problem


def test_glossary_span_must_hold_its_term(data: Path) -> None:
    path = data / "glossary.csv"
    start = RAW.index("十年九旱") + 1
    edit(path, set_cells("term", "term", "十年九旱", start=str(start), end=str(start + 4)))
    err = load_error(data, load_glossary)
    assert err.row == row_of(path, "term", "十年九旱") and "十年九旱" in err.problem


def test_mention_raw_text_must_match_the_source(data: Path) -> None:
    path = data / "mentions.csv"
    edit(path, set_cells("start", "start", str(RAW.index("1300公里")), raw="1400公里"))
    err = load_error(data, load_mentions)
    assert (err.file, err.column) == ("mentions.csv", "raw") and "1400公里" in err.problem


def test_indicator_value_that_no_longer_matches_the_source(data: Path) -> None:
    edit(
        data / "indicators.csv",
        set_cells("id", "id", "roads_built", value="1400", low="1400", high="1400"),
    )
    err = load_error(data)
    assert err.file == "mentions.csv" and err.column == "value"
    assert err.row == row_of(data / "mentions.csv", "indicator_id", "roads_built")
    assert "roads_built" in err.problem


def test_mention_value_that_no_longer_matches_the_source(data: Path) -> None:
    path = data / "mentions.csv"
    start = str(RAW.index("1300公里"))
    edit(path, set_cells("start", "start", start, value="1400", low="1400", high="1400"))
    err = load_error(data, load_mentions)
    assert err.column == "value" and err.row == row_of(path, "start", start)
    assert "source" in err.problem


def test_indicator_breaking_the_bounds_convention(data: Path) -> None:
    # 2万余名 is a lower bound: giving it an upper bound is wrong
    edit(data / "indicators.csv", set_cells("id", "id", "paired_cadres", high="20000"))
    err = load_error(data)
    assert err.file == "indicators.csv" and err.column == "high"


def test_indicator_with_no_mention(data: Path) -> None:
    path = data / "indicators.csv"

    def add(rows: list[Row]) -> list[Row]:
        extra = dict(rows[-1], id="invented_fact")
        return [*rows, extra]

    edit(path, add)
    err = load_error(data)
    assert (err.file, err.column) == ("indicators.csv", "id")
    assert err.row == row_of(path, "id", "invented_fact")


@pytest.mark.parametrize(
    ("indicator_id", "reason", "state"),
    [("roads_built", "also excluded", "both"), ("", "", "neither")],
)
def test_mention_needs_exactly_one_of_indicator_and_reason(
    data: Path, indicator_id: str, reason: str, state: str
) -> None:
    path = data / "mentions.csv"
    start = str(RAW.index("1300公里"))
    edit(
        path, set_cells("start", "start", start, indicator_id=indicator_id, excluded_reason=reason)
    )
    err = load_error(data, load_mentions)
    assert err.row == row_of(path, "start", start) and state in err.problem


def test_unknown_indicator_id_in_mentions(data: Path) -> None:
    path = data / "mentions.csv"
    start = str(RAW.index("1300公里"))
    edit(path, set_cells("start", "start", start, indicator_id="roads_bulit"))
    err = load_error(data, load_mentions)
    assert err.column == "indicator_id" and "roads_bulit" in err.problem


def test_unknown_indicator_id_in_events(data: Path) -> None:
    edit(
        data / "events.csv",
        set_cells("event_id", "event_id", "publication", indicator_id="no_such_fact"),
    )
    err = load_error(data, load_events)
    assert (err.file, err.column) == ("events.csv", "indicator_id")


def test_ragged_csv_row(data: Path) -> None:
    path = data / "glossary.csv"
    with path.open("a", encoding="utf-8") as fh:
        fh.write("孤行,only two cells\n")
    _, rows = read(path)
    err = load_error(data, load_glossary)
    assert err.file == "glossary.csv" and err.row == len(rows) + 1


# --- rebuilding mentions.csv after an extractor change ----------------------------------------


def test_rebuild_mentions_is_a_no_op_on_current_data(data: Path) -> None:
    rebuild_mentions(data, write=True)
    assert (data / "mentions.csv").read_bytes() == (DATA / "mentions.csv").read_bytes()


def test_rebuild_mentions_keeps_assignments_and_flags_new_numbers(data: Path) -> None:
    path = data / "mentions.csv"
    budget = RAW.index("不低于200万元")
    age = RAW.index("82岁")

    def age_out_and_old_span(rows: list[Row]) -> list[Row]:
        # as if an older extractor had left 不低于 outside the span and missed 82岁
        for r in rows:
            if r["start"] == str(budget):
                r.update(start=str(budget + 3), raw="200万元")
        return [r for r in rows if r["start"] != str(age)]

    edit(path, age_out_and_old_span)
    rebuilt = rebuild_mentions(data, write=True).set_index("start")
    assert rebuilt.loc[budget, "indicator_id"] == "village_budget_min"
    assert rebuilt.loc[budget, "raw"] == "不低于200万元"
    assert pd.isna(rebuilt.loc[age, "indicator_id"]) and pd.isna(
        rebuilt.loc[age, "excluded_reason"]
    )
    err = load_error(data, load_mentions)
    assert err.row == row_of(path, "start", str(age)) and "neither" in err.problem
