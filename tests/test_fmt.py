"""fmt: every expectation below is written by hand from the source's own wording."""

from __future__ import annotations

import math

import pytest

from ziyang_lib import fmt
from ziyang_lib.fmt import Quantity


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
