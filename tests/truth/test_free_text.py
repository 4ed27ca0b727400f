"""Numbers typed into free-text cells (descriptions, explanations, notes) must trace to data/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ziyang_lib import DataError, load_glossary, load_indicators
from ziyang_lib.truth.context import load_context
from ziyang_lib.truth.free_text import FREE_TEXT, figures, numbers

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return Path(shutil.copytree(DATA, tmp_path / "data"))


def _replace(path: Path, old: str, new: str) -> int:
    """Replace `old` (found once) by `new`; return its spreadsheet row (header = 1)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


@pytest.mark.parametrize(
    ("file", "loader", "old", "new", "column", "written"),
    [
        ("indicators.csv", load_indicators, "500 to 700 million", "600 to 700 million",
         "description_en", "600 to 700 million"),
        ("indicators.csv", load_indicators, "原文为“5-7亿元”", "原文为“5-8亿元”",
         "description_zh", "5-8亿"),
        ("glossary.csv", load_glossary, "43 years of citywide drought",
         "41 years of citywide drought", "explanation_en", "41"),
        ("context.csv", load_context, "9899万 at end-2012", "9989万 at end-2012", "note", "9989万"),
    ],
)  # fmt: skip
def test_a_number_changed_inside_free_text_is_caught(
    data: Path, file, loader, old, new, column, written
) -> None:
    row = _replace(data / file, old, new)
    with pytest.raises(DataError) as info:
        loader(data)
    err = info.value
    assert (err.file, err.row, err.column) == (file, row, column)
    assert f"{written!r} in free text traces to no figure of data/" in str(err)
    assert "\n" not in str(err)


def test_the_project_data_keeps_the_rule_and_exercises_it() -> None:
    loaders = {"indicators": load_indicators, "glossary": load_glossary, "context": load_context}
    assert set(loaders) == set(FREE_TEXT)
    scanned = 0
    for table, columns in FREE_TEXT.items():
        frame = loaders[table]()  # loading runs the check; the project's data passes it
        for column in columns:
            scanned += sum(1 for text in frame[column].dropna() for _ in numbers(text))
    assert scanned > 50  # the rule has numbers to check, it is not vacuous


def test_scale_words_and_ranges_are_read_as_one_figure_each() -> None:
    read = {
        w: [v for _, v in parts]
        for w, parts in numbers("2万余名; 5-7亿元; 1,600 and 50 to 100 million; 10%")
    }
    assert read == {
        "2万": [20_000.0],
        "5-7亿": [5e8, 7e8],
        "1,600": [1600.0],
        "50 to 100 million": [5e7, 1e8],
        "10": [10.0],
    }
    assert 236_000.0 in figures(load_indicators())
