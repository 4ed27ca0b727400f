"""fmt: every expectation below is written by hand from the source's own wording."""

from __future__ import annotations

import math
import re

import pytest

from ziyang_lib import load_mentions
from ziyang_lib.report import fmt
from ziyang_lib.report.fmt import Quantity


def q(value=None, unit="", unit_en=None, qualifier="exact", low=None, high=None) -> Quantity:
    return Quantity(
        value=value, unit=unit, unit_en=unit_en, qualifier=qualifier, low=low, high=high
    )


CASES = [
    # (quantity, zh as the source writes it, en)
    (q(236000, "人", "people"), "23.6万人", "236,000 people"),
    (q(4736000000, "元", "yuan"), "47.36亿元", "4.736 billion yuan"),
    (q(2452000000, "元", "yuan"), "24.52亿元", "2.452 billion yuan"),
    (q(20000, "名", "persons", "more_than"), "2万余名", "more than 20,000 persons"),
    (q(1600, "处", "projects", "more_than"), "1600余处", "more than 1,600 projects"),
    (q(60, "%", "%", "more_than"), "60%以上", "at least 60%"),
    (q(55, "年", "years", "nearly"), "近55年", "nearly 55 years"),
    (q(2000000, "元", "yuan", "at_least"), "不低于200万元", "at least 2 million yuan"),
    (q(100000000, "元", "yuan", "about"), "1亿元左右", "about 100 million yuan"),
    (q(10, "%", "%", "at_most"), "10%以内", "at most 10%"),
    (q(None, "元", "yuan", "range", 500000000, 700000000), "5—7亿元", "500–700 million yuan"),
    (q(None, "元", "yuan", "range", 50000000, 100000000), "5000—10000万元", "50–100 million yuan"),
    (q(1663, "个", "villages"), "1663个", "1,663 villages"),
    (q(318000, "亩", "mu"), "31.8万亩", "318,000 mu"),
    (q(2435, "元", "yuan per person"), "2435元", "2,435 yuan per person"),
    (q(19.2, "%", "% per year"), "19.2%", "19.2% per year"),
    (q(2016, "年", "year"), "2016年", "2016"),
    # exact counts that are not round numbers of 万 keep their digits (context figures)
    (q(11501, "个", "villages"), "11501个", "11,501 villages"),
    (q(10740, "元", "yuan"), "10740元", "10,740 yuan"),
    (q(2982, "元", "yuan"), "2982元", "2,982 yuan"),
    (q(98990000, "人", "people"), "9899万人", "98.99 million people"),
    (q(3562000000, "元", "yuan"), "35.62亿元", "3.562 billion yuan"),
    (q(44000, "人", "people"), "4.4万人", "44,000 people"),
]


@pytest.mark.parametrize(("quantity", "zh", "en"), CASES)
def test_quantity_in_both_languages(quantity: Quantity, zh: str, en: str) -> None:
    assert fmt.quantity(quantity, "zh") == zh
    assert fmt.quantity(quantity, "en") == en


def test_quantity_accepts_a_mapping_and_falls_back_to_the_zh_unit() -> None:
    values = {"value": 975, "unit": "名", "qualifier": "exact"}
    assert fmt.quantity(values, "zh") == "975名"
    assert fmt.quantity(values, "en") == "975 名"


def test_quantity_rejects_unknown_qualifiers_and_missing_bounds() -> None:
    with pytest.raises(ValueError, match="qualifier"):
        fmt.quantity(q(5, "个", qualifier="roughly"), "zh")
    with pytest.raises(ValueError, match="low and high"):
        fmt.quantity(q(None, "元", qualifier="range", low=5.0), "en")
    with pytest.raises(ValueError, match="value"):
        fmt.quantity(q(math.nan, "元", qualifier="more_than"), "en")


def test_bad_language_is_refused() -> None:
    with pytest.raises(ValueError, match="lang"):
        fmt.number(5, "fr")


@pytest.mark.parametrize(
    ("x", "zh", "en"),
    [
        (0, "0", "0"),
        (975, "975", "975"),
        (6969, "6969", "6,969"),
        (10000, "1万", "10,000"),
        (119000, "11.9万", "119,000"),
        (1000000, "100万", "1 million"),
        (100000000, "1亿", "100 million"),
        (1000000000, "10亿", "1 billion"),
        (-56000, "-5.6万", "-56,000"),
        (12500, "1.25万", "12,500"),
        (10740, "10740", "10,740"),
        (123456789, "123456789", "123,456,789"),
        (1150100, "115.01万", "1,150,100"),
        (4736100000, "473610万", "4,736.1 million"),
    ],
)
def test_number_scales(x: float, zh: str, en: str) -> None:
    assert fmt.number(x, "zh") == zh
    assert fmt.number(x, "en") == en


def test_number_with_unit_and_digits() -> None:
    assert fmt.number(10000, "zh", unit="人") == "1万人"
    assert fmt.number(10000, "en", unit="people") == "10,000 people"
    assert fmt.number(2.8620, "en", digits=2) == "2.86"
    assert fmt.number(-0.001, "en", digits=1) == "0.0"


def test_digits_round_the_value_but_never_hide_a_digit_it_needs() -> None:
    # rounding to whole yuan keeps the plain digits instead of collapsing to 2万
    assert fmt.number(15234.7, "zh", unit="元", digits=0) == "15235元"
    assert fmt.number(15234.7, "en", digits=0) == "15,235"
    # a scaled mantissa shows at least `digits` decimals and every decimal it needs
    assert fmt.money(4736000000, "zh", digits=0) == "47.36亿元"
    assert fmt.money(4700000000, "zh", digits=2) == "47.00亿元"
    assert fmt.number(20000, "zh", digits=1) == "2.0万"


def test_a_range_uses_one_scale_short_for_both_ends() -> None:
    assert fmt.quantity(q(None, "元", "yuan", "range", 300000000, 4200000000), "zh") == "3—42亿元"
    assert fmt.quantity(q(None, "人", "people", "range", 12000, 15500), "zh") == "1.2—1.55万人"
    assert fmt.quantity(q(None, "人", "people", "range", 11501, 15000), "zh") == "11501—15000人"


def test_scale_for_axes_is_always_the_largest_word() -> None:
    assert fmt.scale(11501, "zh") == (10000.0, "万")
    assert fmt.scale(700000000, "en") == (1000000.0, "million")


_NUMERAL = re.compile(r"\d+(?:\.\d+)?(?:[-—]\d+(?:\.\d+)?)?[万亿]?")


def numeral(text: str) -> str:
    """The number of a quantity as written, with its scale word: '5-7亿元' → '5—7亿'."""
    found = _NUMERAL.search(text)
    assert found, text
    return found.group().replace("-", "—")


def test_every_mention_of_the_source_is_written_with_the_sources_own_numeral() -> None:
    mentions = load_mentions()
    rows = mentions[mentions["kind"].isin(["quantity", "percent"])]
    assert len(rows) > 40
    for row in rows.to_dict("records"):
        written = fmt.quantity(row, "zh")
        if not re.search(r"\d", row["raw"]):  # Chinese numerals (三年): the report writes digits
            assert numeral(written) == f"{row['value']:g}", (row["raw"], written)
            continue
        assert numeral(written) == numeral(row["raw"]), (row["raw"], written)


def test_percent_money_year() -> None:
    assert fmt.percent(0.19158, "zh") == "19.2%"
    assert fmt.percent(0.19158, "en", digits=2) == "19.16%"
    assert fmt.percent(0.5, "en", digits=0) == "50%"
    assert fmt.money(2284000000, "zh") == "22.84亿元"
    assert fmt.money(2284000000, "en") == "2.284 billion yuan"
    assert fmt.money(5000, "en") == "5,000 yuan"
    assert fmt.year(2016) == "2016"
    assert fmt.year("2019", "zh") == "2019年"
    assert fmt.year(2019.0, "en") == "2019"


def test_float_noise_does_not_leak_into_text() -> None:
    assert fmt.number(0.1 + 0.2, "en") == "0.3"
    assert fmt.number(2452000000 + 2284000000, "zh") == "47.36亿"
