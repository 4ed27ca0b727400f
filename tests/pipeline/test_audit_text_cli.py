"""ziyang-report audit-text FILE: CSV and table output, and its errors."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from click.testing import CliRunner

from tests.support.project import run_cli_subprocess
from ziyang_lib.pipeline.cli import cli
from ziyang_lib.report.relations_text import CSV_COLUMNS

TEXTS = Path(__file__).resolve().parents[1] / "support" / "texts"
FENGXI = TEXTS / "fengxi_town_summary_hant.txt"


def test_csv_has_one_row_per_relation_with_spans_into_the_file() -> None:
    code, stdout, stderr, heavy = run_cli_subprocess("audit-text", str(FENGXI), "--format", "csv")
    assert code == 0, stderr
    assert heavy == []  # no notebook machinery for a text audit
    rows = list(csv.DictReader(io.StringIO(stdout)))
    assert list(rows[0]) == list(CSV_COLUMNS)
    text = FENGXI.read_text("utf-8")
    assert len(rows) == 10
    assert [r["verdict"] for r in rows].count("inconsistent") == 6
    for row in rows:
        for span in row["spans"].split(";"):
            start, end = (int(x) for x in span.split("-"))
            assert text[start:end].strip() and 0 <= start < end <= len(text)
        assert row["explanation_zh"] and row["explanation_en"]
        float(row["computed_low"]), float(row["stated_high"])


def test_table_in_english_lines_up_one_relation_a_line() -> None:
    result = CliRunner().invoke(cli, ["audit-text", str(FENGXI), "--lang", "en"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:3] == ["Kind", "Verdict", "Spans"]
    assert len(lines) == 11
    assert lines[1].startswith("growth") and "inconsistent" in lines[1]
    assert "not the stated “15.2%”" in lines[1]
    zh = CliRunner().invoke(cli, ["audit-text", str(FENGXI)])
    assert zh.output.splitlines()[0].split()[:2] == ["类型", "结论"]


def test_a_text_without_relations_prints_only_the_header(tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text("今年全县共举办培训班12期。\n", "utf-8")
    result = CliRunner().invoke(cli, ["audit-text", str(path), "--format", "csv"])
    assert result.exit_code == 0 and result.output.splitlines() == [",".join(CSV_COLUMNS)]


def test_missing_and_unreadable_files(tmp_path: Path) -> None:
    missing = CliRunner().invoke(cli, ["audit-text", str(tmp_path / "none.txt")])
    assert missing.exit_code == 2 and "does not exist" in missing.output
    latin = tmp_path / "gbk.txt"
    latin.write_bytes("资阳".encode("gbk"))
    code, _, stderr, _ = run_cli_subprocess("audit-text", str(latin))
    assert code == 3 and "not UTF-8 text" in stderr and len(stderr.strip().splitlines()) == 1
