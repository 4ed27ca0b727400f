"""find_relations on genre texts written for these tests (both scripts, with deliberate
inconsistencies), on texts the rules must leave alone, and on the real source.

Each expected relation below was written from the text when it was composed: its kind, the
verdict its arithmetic gives, and the operands as the text writes them."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

import ziyang_lib
from ziyang_lib.paths import SOURCE_FILENAME, data_dir
from ziyang_lib.truth.relations import COLUMNS, KINDS, VERDICTS, find_relations

TEXTS = Path(__file__).resolve().parents[1] / "support" / "texts"
OK, BAD, CTX = "consistent", "inconsistent", "needs context"

EXPECTED = {
    "tongling_county_bulletin_hant.txt": [
        ("sum", OK, ["12.6億元", "7.8億元", "4.8億元"]),
        ("parts", OK, ["312個", "58個"]),
        ("growth", OK, ["2015年", "2020年", "9,860元", "15,450元", "9.4%"]),
        ("change", OK, ["2015年", "11.3%", "0.2%", "11.1個百分點"]),
        ("sum", OK, ["4,216人", "3,080人", "1,136人"]),
    ],
    "fengxi_town_summary_hant.txt": [
        ("growth", BAD, ["2016年", "2020年", "8,200元", "12,600元", "15.2%"]),  # 11.3%
        ("change", OK, ["2016年", "2020年", "9.8%", "0.3%", "9.5個百分點"]),
        ("change", BAD, ["3.42萬人", "3.15萬人", "4,700人"]),  # 2,700
        ("per_year", BAD, ["2016—2020年", "1.5億元", "5,000萬元"]),  # 3,000万 (3,750万)
        ("sum", BAD, ["12個", "9個", "4個"]),  # 9 + 4 ≠ 12
        ("sum", OK, ["36萬人次", "14萬人次", "22萬人次"]),
        ("parts", CTX, ["2,860人", "2,100人", "1,300人"]),  # may overlap
        ("parts", BAD, ["3.2萬畝", "3.6萬畝"]),  # a part larger than its whole
        ("change", OK, ["4.8億元", "0.6億元", "14.3%"]),
        ("change", BAD, ["8,400人", "600人", "8.2%"]),  # 600 / 9,000 = 6.7%
    ],
    "songhe_district_report.txt": [
        ("growth", OK, ["2014年", "2019年", "2,650元", "8,120元", "25.1%"]),
        ("change", OK, ["2014年", "2019年", "4.26万人", "0.18万人", "4.08万人"]),
        ("per_year", OK, ["六年", "1,860公里", "310公里"]),
        ("per_year", OK, ["2015—2019年", "6.5万人次", "1.3万人次"]),
        ("sum", OK, ["21.4亿元", "9.6亿元", "3.2亿元", "8.6亿元"]),
        ("sum", OK, ["86个", "79个", "7个"]),
        ("parts", OK, ["4.26万人", "1.53万人"]),
        ("change", OK, ["420万人次", "60万人次", "16.7%"]),
        ("change", BAD, ["4.2%", "3.6%", "0.8个百分点"]),  # 0.6
    ],
    # Real growth, a % change of a percentage, a multiple and 其中 with no total are left out.
    "yunping_county_notes.txt": [
        ("parts", OK, ["58万人", "28.3万人", "11.2万人"]),
        ("per_year", CTX, ["2016—2020年", "8,400户", "2,100户"]),  # fits 4 years, not 5
    ],
    "qingshui_county_report.txt": [
        ("growth", CTX, ["2016年", "2020年", "86.5亿元", "132.8亿元", "约9.1%"]),  # 5 years
        ("parts", OK, ["1,058个", "45个"]),
    ],
    "baisha_township_briefing.txt": [("parts", OK, ["2.86万人", "4,215人"])],
    "hexi_district_notice.txt": [],
}


def _raws(text: str, spans: str) -> list[str]:
    return [text[int(a) : int(b)] for a, b in (s.split("-") for s in spans.split(";"))]


def _found(name: str) -> tuple[str, pd.DataFrame]:
    text = (TEXTS / name).read_text("utf-8")
    return text, find_relations(text)


@pytest.mark.parametrize(("name", "expected"), EXPECTED.items())
def test_every_stated_relation_is_found_with_its_verdict(name: str, expected: list) -> None:
    text, frame = _found(name)
    got = [(r.kind, r.verdict, _raws(text, r.spans)) for r in frame.itertuples()]
    assert got == expected


def test_no_consistent_relation_is_called_inconsistent_and_every_planted_error_is() -> None:
    planted = sum(v == BAD for rows in EXPECTED.values() for _, v, _ in rows)
    flagged = 0
    for name, expected in EXPECTED.items():
        _, frame = _found(name)
        wanted = {(k, v) for k, v, _ in expected}
        flagged += int((frame["verdict"] == BAD).sum())
        assert set(zip(frame["kind"], frame["verdict"], strict=True)) <= wanted
    assert flagged == planted == 7


def test_frame_shape_and_vocabulary() -> None:
    _, frame = _found("fengxi_town_summary_hant.txt")
    assert list(frame.columns) == list(COLUMNS)
    assert set(frame["kind"]) <= set(KINDS) and set(frame["verdict"]) <= set(VERDICTS)
    for col in ("computed_low", "computed_high", "stated_low", "stated_high"):
        assert frame[col].dtype == "float64"
    assert frame["explanation_key"].str.startswith(tuple(f"{k}." for k in KINDS)).all()
    empty = find_relations("没有数字的句子。")
    assert empty.empty and list(empty.columns) == list(COLUMNS)


def test_computed_values_are_the_arithmetic_of_the_stated_numbers() -> None:
    _, frame = _found("fengxi_town_summary_hant.txt")
    rows = list(frame.itertuples())
    growth = rows[0]  # 8,200 → 12,600 over 2016–2020
    assert growth.computed_low == pytest.approx(((12600 / 8200) ** (1 / 4) - 1) * 100)
    assert (growth.stated_low, growth.unit) == (15.2, "%")
    change = rows[2]  # 3.42萬 → 3.15萬, stated a fall of 4,700
    assert (change.computed_low, change.stated_low, change.unit) == (-2700, -4700, "人")
    per_year = rows[3]  # 1.5億 over the five years 2016–2020
    assert per_year.computed_low == pytest.approx(1.5e8 / 5) and per_year.stated_low == 5e7
    remainder = rows[4]
    assert (remainder.computed_low, remainder.stated_low) == (13, 12)
    previous = rows[9]  # 600 fewer than the year before: 600 / 9,000
    assert previous.computed_low == pytest.approx(600 / 9000 * 100)


def test_rounding_of_the_stated_digits_is_allowed_and_no_more() -> None:
    def verdict(sentence: str) -> str:
        (row,) = find_relations(sentence).itertuples()
        return row.verdict

    # 2,435 → 6,969 over six years is 19.155%: 19.2% is that to one decimal
    assert verdict("人均纯收入从2013年的2435元增加到2019年的6969元，年均增长19.2%。") == OK
    assert verdict("人均纯收入从2013年的2435元增加到2019年的6969元，年均增长19.3%。") == BAD
    # parts stated to 0.01亿 may miss their total by 0.015亿, not by 0.1亿
    assert verdict("资金47.36亿元，其中财政资金24.52亿元，行业资金22.85亿元。") == OK
    assert verdict("资金47.36亿元，其中财政资金24.52亿元，行业资金22.94亿元。") == CTX
    # a count is a whole number: 9 and 4 cannot round to 12
    assert verdict("全镇12个村中，已出列9个，剩余4个。") == BAD
    assert verdict("全镇13个村中，已出列9个，剩余4个。") == OK


@pytest.mark.parametrize(
    "sentence",
    [
        "收入由2015年的9,200元增加到2020年的14,100元，年均实际增长6.2%。",  # real, not nominal
        "贫困发生率由8.4%降至1.2%，下降85.7%。",  # relative or absolute?
        "地区生产总值是2015年的1.6倍。",  # a multiple, no kind of ours
        "其中，外出务工人员3.6万人。",  # no total in the sentence
        "按2010年价格计算，由2012年的9899万人减少到2016年的4335万人。",  # no stated change
        "今年投入资金5000万元，比上年增长12%。",  # no earlier value to check against
        "全县共有规模以上企业126家，其中今年新增18家，比上年增加5家。",  # 新增 clause: a part
    ],
)
def test_unsure_relations_are_left_out(sentence: str) -> None:
    frame = find_relations(sentence)
    assert (frame["verdict"] != BAD).all()
    if "其中今年新增" not in sentence:
        assert frame.empty


def test_both_scripts_read_alike() -> None:
    simplified = "全镇农民人均纯收入从2016年的8,200元增加到2020年的12,600元，年均增长15.2%。"
    traditional = "全鎮農民人均純收入從2016年的8,200元增加到2020年的12,600元，年均增長15.2%。"
    a, b = find_relations(simplified), find_relations(traditional)
    assert len(a) == len(b) == 1
    assert a.drop(columns="numbers").equals(b.drop(columns="numbers"))


def test_the_source_reproduces_the_hand_written_checks_of_these_kinds() -> None:
    """The income growth, the funds sum, the overlapping support groups and the drought years
    within the record; the rest of the hand-written audit is of other kinds (per village,
    cross-paragraph shares, budgets over assumed years, a saying)."""
    text = (data_dir() / "raw" / SOURCE_FILENAME).read_text("utf-8")
    frame = find_relations(text)
    got = [(r.kind, r.verdict, _raws(text, r.spans)) for r in frame.itertuples()]
    assert got == [
        ("growth", OK, ["2013年", "2019年", "2435元", "6969元", "19.2%"]),
        ("sum", OK, ["47.36亿元", "24.52亿元", "22.84亿元"]),
        ("parts", CTX, ["近55年", "43年", "52年"]),
        ("parts", CTX, ["23.6万", "19万人", "5.6万人"]),
    ]
    assert (frame["verdict"] != BAD).all()


def test_a_changed_figure_flips_the_verdict() -> None:
    text = (data_dir() / "raw" / SOURCE_FILENAME).read_text("utf-8")

    def verdict_of(changed: str, first: str) -> tuple[str, str]:
        frame = find_relations(changed)
        row = frame[frame["spans"].str.startswith(str(text.rindex(first)))].iloc[0]
        return row["kind"], row["verdict"]

    assert verdict_of(text.replace("19.2%", "21.2%"), "2013年") == ("growth", BAD)
    # parts of a 其中 total may fall short of it (they need not list everything) …
    assert verdict_of(text.replace("22.84亿元", "21.84亿元"), "47.36亿元") == ("parts", OK)
    # … and may exceed it only as groups that overlap: needs context, never inconsistent
    assert verdict_of(text.replace("22.84亿元", "23.84亿元"), "47.36亿元") == ("parts", CTX)
    assert verdict_of(text.replace("19万人", "29万人"), "23.6万") == ("parts", BAD)


def test_public_entry_point() -> None:
    frame = ziyang_lib.find_relations("全区86个贫困村中，已退出79个，剩余7个。")
    assert frame["verdict"].tolist() == [OK]
    assert not math.isnan(frame["computed_low"].iloc[0])
