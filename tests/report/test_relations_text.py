"""The audit of a text's arithmetic in words (ziyang_lib.report.relations_text): a sentence in
each language for every case the rules can give, filled from the relation's own numbers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import ziyang_lib
from ziyang_lib.report.relations_text import CSV_COLUMNS, audit_text
from ziyang_lib.report.text import LANGS, catalogue
from ziyang_lib.truth.relations import EXPLANATION_KEYS, find_relations

TEXTS = Path(__file__).resolve().parents[1] / "support" / "texts"
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_case_has_a_sentence_in_both_languages() -> None:
    entries = catalogue()
    for key in EXPLANATION_KEYS:
        entry = entries[f"relations.explanation.{key}"]
        assert set(entry) == set(LANGS), key
        assert CJK.search(entry["zh"]) and not CJK.search(entry["en"]), key


def test_the_cases_found_on_the_test_texts_are_declared() -> None:
    found = set()
    for path in TEXTS.glob("*.txt"):
        found |= set(find_relations(path.read_text("utf-8"))["explanation_key"])
    assert found <= set(EXPLANATION_KEYS)
    assert len(found) >= 14  # the texts exercise most cases


@pytest.mark.parametrize("name", ["fengxi_town_summary_hant.txt", "songhe_district_report.txt"])
def test_explanations_quote_the_operands_and_print_what_was_computed(name: str) -> None:
    text = (TEXTS / name).read_text("utf-8")
    frame = audit_text(text, "en")
    assert {"explanation_zh", "explanation_en", "explanation", "verdict_label"} <= set(frame)
    for row in frame.itertuples():
        for lang in LANGS:
            sentence = getattr(row, f"explanation_{lang}")
            assert "{" not in sentence and "}" not in sentence
            quoted = re.findall("“([^”]+)”", sentence)
            spans = [text[int(a) : int(b)] for a, b in (s.split("-") for s in row.spans.split(";"))]
            assert quoted and set(quoted) <= set(spans), (sentence, spans)
        assert row.explanation == row.explanation_en


def test_the_computed_values_read_in_each_language() -> None:
    frame = audit_text("常住人口由3.42萬人減少到3.15萬人，減少了4,700人。", "zh")
    (row,) = frame.itertuples()
    assert "变化了2700人" in row.explanation_zh and "不是" in row.explanation_zh
    assert "a change of 2,700 people, not the “4,700人”" in row.explanation_en
    assert row.verdict_label == "不一致" and row.kind_label == "增减"
    growth = audit_text("收入从2016年的8,200元增加到2020年的12,600元，年均增长15.2%。", "en")
    assert "11.34% a year compounded over 4 years" in growth["explanation_en"].iloc[0]


def test_public_entry_point_and_csv_columns() -> None:
    frame = ziyang_lib.audit_text("全区86个贫困村中，已退出79个，剩余7个。")
    assert set(CSV_COLUMNS) <= set(frame.columns)
    assert "79个" in frame["explanation_zh"].iloc[0]
