"""extract_quantities on genre texts written for these tests and on the real source."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from ziyang_lib.paths import SOURCE_FILENAME, data_dir
from ziyang_lib.truth.extract import extract_quantities

TEXTS = Path(__file__).resolve().parents[1] / "support" / "texts"
NAN = math.nan
COLUMNS = ["start", "end", "raw", "value", "low", "high", "unit", "qualifier", "kind"]

# (raw, value, low, high, unit, qualifier, kind), written by hand from reading the text.
COUNTY = [
    ("2021年", 2021, 2021, 2021, "", "exact", "year"),
    ("2021-02-03", NAN, NAN, NAN, "", "exact", "date"),
    ("五年", 5, 5, 5, "年", "exact", "quantity"),
    ("2016年", 2016, 2016, 2016, "", "exact", "year"),
    ("86.5亿元", 8.65e9, 8.65e9, 8.65e9, "元", "exact", "quantity"),
    ("2020年", 2020, 2020, 2020, "", "exact", "year"),
    ("132.8亿元", 1.328e10, 1.328e10, 1.328e10, "元", "exact", "quantity"),
    ("约9.1%", 9.1, NAN, NAN, "%", "about", "percent"),
    ("1,058个", 1058, 1058, 1058, "个", "exact", "quantity"),
    ("45个", 45, 45, 45, "个", "exact", "quantity"),
    ("3.2万户", 32000, 32000, 32000, "户", "exact", "quantity"),
    ("10.4万人", 104000, 104000, 104000, "人", "exact", "quantity"),
    ("2014年", 2014, 2014, 2014, "", "exact", "year"),
    ("12.6%", 12.6, 12.6, 12.6, "%", "exact", "percent"),
    ("0", 0, 0, 0, "", "exact", "quantity"),
    ("五年", 5, 5, 5, "年", "exact", "quantity"),
    ("约18亿元", 1.8e9, NAN, NAN, "元", "about", "quantity"),
    ("不少于150万元", 1.5e6, 1.5e6, NAN, "元", "at_least", "quantity"),
    ("1.2万-4万元", NAN, 12000, 40000, "元", "range", "quantity"),
    ("860余公里", 860, 860, NAN, "公里", "more_than", "quantity"),
    ("100%", 100, 100, 100, "%", "exact", "percent"),
    ("不低于120处", 120, 120, NAN, "处", "at_least", "quantity"),
    ("2.3万亩", 23000, 23000, 23000, "亩", "exact", "quantity"),
    ("5万亿元", 5e12, 5e12, 5e12, "元", "exact", "quantity"),
    ("不到0.3%", 0.3, NAN, 0.3, "%", "at_most", "percent"),
    ("2016—2020年", NAN, 2016, 2020, "", "range", "year"),
    ("1.6万人", 16000, 16000, 16000, "人", "exact", "quantity"),
    ("4%以内", 4, NAN, 4, "%", "at_most", "percent"),
    ("近3年", 3, 3, 3, "年", "exact", "quantity"),  # framing its clause: the past 3 years
    ("超过8000人次", 8000, 8000, NAN, "人次", "more_than", "quantity"),
    ("2020年10月17日", NAN, NAN, NAN, "", "exact", "date"),
    ("10.17", NAN, NAN, NAN, "", "exact", "date"),
    ("230多万元", 2.3e6, 2.3e6, NAN, "元", "more_than", "quantity"),
    ("3年", 3, 3, 3, "年", "exact", "quantity"),
    ("12家", 12, 12, 12, "家", "exact", "quantity"),
    ("95%以上", 95, 95, NAN, "%", "more_than", "percent"),
    ("3个月", 3, 3, 3, "个月", "exact", "quantity"),
    ("扶贫120", NAN, NAN, NAN, "", "exact", "identifier"),
    ("6处", 6, 6, 6, "处", "exact", "quantity"),
    ("五年", 5, 5, 5, "年", "exact", "quantity"),
    ("1+N", NAN, NAN, NAN, "", "exact", "identifier"),
    ("7%左右", 7, NAN, NAN, "%", "about", "percent"),
    ("2025年", 2025, 2025, 2025, "", "exact", "year"),
    ("2.5万元", 25000, 25000, 25000, "元", "exact", "quantity"),
    ("5‰以下", 5, NAN, 5, "‰", "at_most", "percent"),
    ("3000至5000户", NAN, 3000, 5000, "户", "range", "quantity"),
    ("25万吨左右", 250000, NAN, NAN, "吨", "about", "quantity"),
    ("６５岁以上", 65, 65, NAN, "岁", "more_than", "quantity"),
    ("约４.２万人", 42000, NAN, NAN, "人", "about", "quantity"),
    ("１８．５％", 18.5, 18.5, 18.5, "%", "exact", "percent"),
    ("0838-6612345", NAN, NAN, NAN, "", "exact", "identifier"),
    ("5106230001", NAN, NAN, NAN, "", "exact", "identifier"),
    ("蜀ICP备12003456号-2", NAN, NAN, NAN, "", "exact", "identifier"),
    ("51062302000123号", NAN, NAN, NAN, "", "exact", "identifier"),
]

TOWNSHIP = [
    ("2021年6月", NAN, NAN, NAN, "", "exact", "date"),
    ("2.86万人", 28600, 28600, 28600, "人", "exact", "quantity"),
    ("60岁及以上", 60, 60, NAN, "岁", "at_least", "quantity"),
    ("4,215人", 4215, 4215, 4215, "人", "exact", "quantity"),
    ("14.7%", 14.7, 14.7, 14.7, "%", "exact", "percent"),
    ("0.6个百分点", 0.6, 0.6, 0.6, "百分点", "exact", "quantity"),
    ("3个", 3, 3, 3, "个", "exact", "quantity"),
    ("约1500亩", 1500, NAN, NAN, "亩", "about", "quantity"),
    ("20余家", 20, 20, NAN, "家", "more_than", "quantity"),
    ("1000～3000元", NAN, 1000, 3000, "元", "range", "quantity"),
    ("0.8亿元至1.2亿元", NAN, 8e7, 1.2e8, "元", "range", "quantity"),
    ("约12.5公里", 12.5, NAN, NAN, "公里", "about", "quantity"),
    ("2022年12月31日", NAN, NAN, NAN, "", "exact", "date"),
    ("2000多年", 2000, 2000, NAN, "年", "more_than", "quantity"),
    ("3·15", NAN, NAN, NAN, "", "exact", "date"),
    ("双10", NAN, NAN, NAN, "", "exact", "identifier"),
    ("12345", NAN, NAN, NAN, "", "exact", "identifier"),
    ("13812345678", NAN, NAN, NAN, "", "exact", "identifier"),
]

DISTRICT = [
    ("2021年", 2021, 2021, 2021, "", "exact", "year"),
    ("2021-03-01", NAN, NAN, NAN, "", "exact", "date"),
    ("09:30", NAN, NAN, NAN, "", "exact", "date"),
    ("2021年3月5日", NAN, NAN, NAN, "", "exact", "date"),
    ("9:00", NAN, NAN, NAN, "", "exact", "date"),
    ("3天多", 3, 3, NAN, "天", "more_than", "quantity"),
    ("1—3月", NAN, NAN, NAN, "", "exact", "date"),
    ("12场", 12, 12, 12, "场", "exact", "quantity"),
    ("2020年", 2020, 2020, 2020, "", "exact", "year"),
    ("-2.3%", -2.3, -2.3, -2.3, "%", "exact", "percent"),
    ("1倍多", 1, 1, NAN, "倍", "more_than", "quantity"),
    ("110kV", 110, 110, 110, "千伏", "exact", "quantity"),
    ("2座", 2, 2, 2, "座", "exact", "quantity"),
    ("1.5万kW", 15000, 15000, 15000, "千瓦", "exact", "quantity"),
    ("8.6万㎡", 86000, 86000, 86000, "平方米", "exact", "quantity"),
    ("300日以上", 300, 300, NAN, "日", "more_than", "quantity"),
    ("40个", 40, 40, 40, "个", "exact", "quantity"),
    ("5日", 5, 5, 5, "日", "exact", "quantity"),
    ("500万元", 5e6, 5e6, 5e6, "元", "exact", "quantity"),
    ("约3000-5000人", NAN, 3000, 5000, "人", "range", "quantity"),
    ("大约5-7亿元", NAN, 5e8, 7e8, "元", "range", "quantity"),
    ("5G", NAN, NAN, NAN, "", "exact", "identifier"),
    ("智慧河西2025", NAN, NAN, NAN, "", "exact", "identifier"),
    ("12345", NAN, NAN, NAN, "", "exact", "identifier"),
    ("12345", NAN, NAN, NAN, "", "exact", "identifier"),
    ("-5℃", -5, -5, -5, "℃", "exact", "quantity"),
    ("0931-8765432", NAN, NAN, NAN, "", "exact", "identifier"),
    ("730050", NAN, NAN, NAN, "", "exact", "identifier"),
]

# Traditional script (texts written for these tests): scale words, measure words, hedges and
# percentage points in their traditional forms, Chinese numerals that count, and 一把手.
TONGLING = [
    ("2021-01-20", NAN, NAN, NAN, "", "exact", "date"),
    ("近五年", 5, 5, 5, "年", "exact", "quantity"),
    ("12.6億元", 1.26e9, 1.26e9, 1.26e9, "元", "exact", "quantity"),
    ("7.8億元", 7.8e8, 7.8e8, 7.8e8, "元", "exact", "quantity"),
    ("4.8億元", 4.8e8, 4.8e8, 4.8e8, "元", "exact", "quantity"),
    ("312個", 312, 312, 312, "个", "exact", "quantity"),
    ("58個", 58, 58, 58, "个", "exact", "quantity"),
    ("2.14萬戶", 21400, 21400, 21400, "户", "exact", "quantity"),
    ("6.93萬人", 69300, 69300, 69300, "人", "exact", "quantity"),
    ("2015年", 2015, 2015, 2015, "", "exact", "year"),
    ("9,860元", 9860, 9860, 9860, "元", "exact", "quantity"),
    ("2020年", 2020, 2020, 2020, "", "exact", "year"),
    ("15,450元", 15450, 15450, 15450, "元", "exact", "quantity"),
    ("9.4%", 9.4, 9.4, 9.4, "%", "exact", "percent"),
    ("2015年", 2015, 2015, 2015, "", "exact", "year"),
    ("11.3%", 11.3, 11.3, 11.3, "%", "exact", "percent"),
    ("0.2%", 0.2, 0.2, 0.2, "%", "exact", "percent"),
    ("11.1個百分點", 11.1, 11.1, 11.1, "百分点", "exact", "quantity"),
    ("1,280餘公里", 1280, 1280, NAN, "公里", "more_than", "quantity"),
    ("約320處", 320, NAN, NAN, "处", "about", "quantity"),
    ("將近900個", 900, NAN, 900, "个", "nearly", "quantity"),
    ("三十二個", 32, 32, 32, "个", "exact", "quantity"),
    ("260個村左右", 260, NAN, NAN, "个", "about", "quantity"),
    ("二十四個", 24, 24, 24, "个", "exact", "quantity"),
    ("一把手", NAN, NAN, NAN, "", "exact", "identifier"),
    ("186名", 186, 186, 186, "名", "exact", "quantity"),
    ("560餘名", 560, 560, NAN, "名", "more_than", "quantity"),
    ("8千多萬元", 8e7, 8e7, NAN, "元", "more_than", "quantity"),
    ("4,216人", 4216, 4216, 4216, "人", "exact", "quantity"),
    ("3,080人", 3080, 3080, 3080, "人", "exact", "quantity"),
    ("1,136人", 1136, 1136, 1136, "人", "exact", "quantity"),
    ("1.35萬戶", 13500, 13500, 13500, "户", "exact", "quantity"),
    ("0.5%以內", 0.5, NAN, 0.5, "%", "at_most", "percent"),
    ("百分之九十五以上", 95, 95, NAN, "%", "more_than", "percent"),
    ("二〇二一年", 2021, 2021, 2021, "", "exact", "year"),
    ("三年", 3, 3, 3, "年", "exact", "quantity"),
    ("7%以上", 7, 7, NAN, "%", "more_than", "percent"),
    ("2023年", 2023, 2023, 2023, "", "exact", "year"),
    ("1.9萬元", 19000, 19000, 19000, "元", "exact", "quantity"),
    ("0839-5551234", NAN, NAN, NAN, "", "exact", "identifier"),
    ("5108240001", NAN, NAN, NAN, "", "exact", "identifier"),
    ("蜀ICP備18004567號-1", NAN, NAN, NAN, "", "exact", "identifier"),
]

FENGXI = [
    ("2020年", 2020, 2020, 2020, "", "exact", "year"),
    ("2016年", 2016, 2016, 2016, "", "exact", "year"),
    ("8,200元", 8200, 8200, 8200, "元", "exact", "quantity"),
    ("2020年", 2020, 2020, 2020, "", "exact", "year"),
    ("12,600元", 12600, 12600, 12600, "元", "exact", "quantity"),
    ("15.2%", 15.2, 15.2, 15.2, "%", "exact", "percent"),
    ("2016年", 2016, 2016, 2016, "", "exact", "year"),
    ("9.8%", 9.8, 9.8, 9.8, "%", "exact", "percent"),
    ("2020年", 2020, 2020, 2020, "", "exact", "year"),
    ("0.3%", 0.3, 0.3, 0.3, "%", "exact", "percent"),
    ("9.5個百分點", 9.5, 9.5, 9.5, "百分点", "exact", "quantity"),
    ("3.42萬人", 34200, 34200, 34200, "人", "exact", "quantity"),
    ("3.15萬人", 31500, 31500, 31500, "人", "exact", "quantity"),
    ("4,700人", 4700, 4700, 4700, "人", "exact", "quantity"),
    ("2016—2020年", NAN, 2016, 2020, "", "range", "year"),
    ("1.5億元", 1.5e8, 1.5e8, 1.5e8, "元", "exact", "quantity"),
    ("5,000萬元", 5e7, 5e7, 5e7, "元", "exact", "quantity"),
    ("12個", 12, 12, 12, "个", "exact", "quantity"),
    ("9個", 9, 9, 9, "个", "exact", "quantity"),
    ("4個", 4, 4, 4, "个", "exact", "quantity"),
    ("36萬人次", 360000, 360000, 360000, "人次", "exact", "quantity"),
    ("14萬人次", 140000, 140000, 140000, "人次", "exact", "quantity"),
    ("22萬人次", 220000, 220000, 220000, "人次", "exact", "quantity"),
    ("2,860人", 2860, 2860, 2860, "人", "exact", "quantity"),
    ("2,100人", 2100, 2100, 2100, "人", "exact", "quantity"),
    ("1,300人", 1300, 1300, 1300, "人", "exact", "quantity"),
    ("3.2萬畝", 32000, 32000, 32000, "亩", "exact", "quantity"),
    ("3.6萬畝", 36000, 36000, 36000, "亩", "exact", "quantity"),
    ("2020年", 2020, 2020, 2020, "", "exact", "year"),
    ("4.8億元", 4.8e8, 4.8e8, 4.8e8, "元", "exact", "quantity"),
    ("0.6億元", 6e7, 6e7, 6e7, "元", "exact", "quantity"),
    ("14.3%", 14.3, 14.3, 14.3, "%", "exact", "percent"),
    ("8,400人", 8400, 8400, 8400, "人", "exact", "quantity"),
    ("600人", 600, 600, 600, "人", "exact", "quantity"),
    ("8.2%", 8.2, 8.2, 8.2, "%", "exact", "percent"),
]

# The source's mentions in order, from the brief's hand-labelled list.
SOURCE_RAWS = [
    "2020-10-14", "2019年", "325个", "23.6万", "63.1%", "1663个", "162个", "764个", "11.9万人",
    "一把手", "2015年", "131名", "445个", "975名", "325个", "325个", "2万余名", "325个", "1663个",
    "825名", "325个", "2+1+6", "82岁", "2013年", "2435元", "2019年", "6969元", "19.2%", "47.36亿元",
    "24.52亿元", "22.84亿元", "20多公里", "2016年", "2019年", "近55年", "43年", "2个", "3个",
    "52年", "60%以上", "不低于200万元", "1300公里", "1600余处", "5900余个", "31.8万亩", "23.6万",
    "19万人", "5.6万人", "3774人", "2.7万户", "2.4万名", "10%以内", "3+22", "22个", "10.17",
    "5000-10000万元", "1亿元左右", "5-7亿元", "扶贫120", "10.17", "三年", "028-26655501",
    "028-28000836", "5120000001", "蜀ICP备05007295号-1", "51200202000010号",
]  # fmt: skip


def _same(a: float, b: float) -> bool:
    if math.isnan(b):
        return math.isnan(a)
    return a == pytest.approx(b, rel=1e-12)


def _check(frame: pd.DataFrame, text: str, expected: list[tuple]) -> None:
    assert list(frame.columns) == COLUMNS
    assert frame["raw"].tolist() == [e[0] for e in expected]
    for row, (raw, value, low, high, unit, qualifier, kind) in zip(
        frame.itertuples(index=False), expected, strict=True
    ):
        assert text[row.start : row.end] == row.raw, raw
        got = (row.value, row.low, row.high)
        assert all(_same(g, w) for g, w in zip(got, (value, low, high), strict=True)), (raw, got)
        assert (row.unit, row.qualifier, row.kind) == (unit, qualifier, kind), raw


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("qingshui_county_report.txt", COUNTY),
        ("baisha_township_briefing.txt", TOWNSHIP),
        ("hexi_district_notice.txt", DISTRICT),
        ("tongling_county_bulletin_hant.txt", TONGLING),
        ("fengxi_town_summary_hant.txt", FENGXI),
    ],
)
def test_genre_texts(name: str, expected: list[tuple]) -> None:
    text = (TEXTS / name).read_text("utf-8")
    _check(extract_quantities(text), text, expected)


@pytest.fixture(scope="module")
def source_frame() -> tuple[str, pd.DataFrame]:
    text = (data_dir() / "raw" / SOURCE_FILENAME).read_text("utf-8")
    return text, extract_quantities(text)


def test_source_mentions_in_order(source_frame: tuple[str, pd.DataFrame]) -> None:
    text, frame = source_frame
    assert frame["raw"].tolist() == SOURCE_RAWS
    assert frame["start"].is_monotonic_increasing
    assert all(text[s:e] == r for s, e, r in zip(frame.start, frame.end, frame.raw, strict=True))


@pytest.mark.parametrize(
    ("raw", "value", "low", "high", "unit", "qualifier", "kind"),
    [
        ("23.6万", 236000, 236000, 236000, "人", "exact", "quantity"),
        ("2万余名", 20000, 20000, NAN, "名", "more_than", "quantity"),
        ("5-7亿元", NAN, 5e8, 7e8, "元", "range", "quantity"),
        ("5000-10000万元", NAN, 5e7, 1e8, "元", "range", "quantity"),
        ("近55年", 55, 55, 55, "年", "exact", "quantity"),  # the past 55 years
        ("60%以上", 60, 60, NAN, "%", "more_than", "percent"),
        ("10%以内", 10, NAN, 10, "%", "at_most", "percent"),
        ("1亿元左右", 1e8, NAN, NAN, "元", "about", "quantity"),
        ("82岁", 82, 82, 82, "岁", "exact", "quantity"),
        ("47.36亿元", 4736000000, 4736000000, 4736000000, "元", "exact", "quantity"),
        ("028-26655501", NAN, NAN, NAN, "", "exact", "identifier"),
        ("2020-10-14", NAN, NAN, NAN, "", "exact", "date"),
        ("2013年", 2013, 2013, 2013, "", "exact", "year"),
        ("20多公里", 20, 20, NAN, "公里", "more_than", "quantity"),
        ("3+22", NAN, NAN, NAN, "", "exact", "identifier"),
        ("不低于200万元", 2e6, 2e6, NAN, "元", "at_least", "quantity"),
    ],
)
def test_source_examples(
    source_frame: tuple[str, pd.DataFrame],
    raw: str,
    value: float,
    low: float,
    high: float,
    unit: str,
    qualifier: str,
    kind: str,
) -> None:
    text, frame = source_frame
    first = frame[frame["raw"] == raw].head(1)
    _check(first, text, [(raw, value, low, high, unit, qualifier, kind)])


def test_quoted_date_and_formula_exclude_the_quotes(source_frame: tuple[str, pd.DataFrame]) -> None:
    text, frame = source_frame
    for raw in ("10.17", "2+1+6", "3+22"):
        row = frame[frame["raw"] == raw].iloc[0]
        assert text[row.start - 1] == "“" and text[row.end] == "”"


@pytest.mark.parametrize(
    ("text", "raws"),
    [
        ("党的十八大以来，实现两不愁三保障和五个一批，十年九旱。", []),
        ("全县5G基站和G20峰会，PM2.5浓度下降。", []),
        ("位列全省第3名，连续第12年。", []),
        ("最近3年和附近2个村。", ["3年", "2个"]),
        ("投入在5000-10000万元之间。", ["5000-10000万元"]),
        ("从2435元增加到6969元。", ["2435元", "6969元"]),
        ("降至0。", ["0"]),
    ],
)
def test_what_is_and_is_not_extracted(text: str, raws: list[str]) -> None:
    assert extract_quantities(text)["raw"].tolist() == raws


@pytest.mark.parametrize(
    ("text", "raws"),
    [
        ("开展“扶贫120”“双11”活动。", ["扶贫120", "双11"]),
        ("拨打“12345”热线或12345专线。", ["12345", "12345"]),
        ("推广“5G”应用，发布“PM2.5”“COVID-19”数据。", ["5G", "PM2.5", "COVID-19"]),
        ("“智慧城市2.0”和“幸福基金·扶贫120”", ["智慧城市2.0", "幸福基金·扶贫120"]),
    ],
)
def test_quoted_names_and_hotlines_are_identifiers(text: str, raws: list[str]) -> None:
    frame = extract_quantities(text)
    assert frame["raw"].tolist() == raws
    assert set(frame["kind"]) == {"identifier"} and frame["value"].isna().all()
    assert set(frame["unit"]) == {""}


@pytest.mark.parametrize(
    ("text", "raw", "value", "unit"),
    [
        ("建成“110kV”变电站", "110kV", 110, "千伏"),
        ("他说“今年养了30头猪”", "30头", 30, "头"),
        ("他说“去年收入3000，今年更多”", "3000", 3000, ""),
        ("全年共“12345”次。", "12345", 12345, ""),
    ],
)
def test_quoted_quantities_and_speech_stay_quantities(
    text: str, raw: str, value: float, unit: str
) -> None:
    frame = extract_quantities(text)
    assert frame["raw"].tolist() == [raw]
    assert frame["kind"].iloc[0] == "quantity"
    assert frame["value"].iloc[0] == value and frame["unit"].iloc[0] == unit


@pytest.mark.parametrize(
    ("text", "raw", "low", "high", "unit"),
    [
        ("约3000-5000人", "约3000-5000人", 3000, 5000, "人"),
        ("大约5-7亿元", "大约5-7亿元", 5e8, 7e8, "元"),
        ("约为3%至5%", "约为3%至5%", 3, 5, "%"),
        ("共3000-5000人左右", "3000-5000人左右", 3000, 5000, "人"),
        ("不低于5-7亿元", "5-7亿元", 5e8, 7e8, "元"),
    ],
)
def test_a_hedge_before_a_range_is_inside_the_span(
    text: str, raw: str, low: float, high: float, unit: str
) -> None:
    frame = extract_quantities(text)
    assert frame["raw"].tolist() == [raw]
    row = frame.iloc[0]
    assert row["qualifier"] == "range" and math.isnan(row["value"])
    assert (row["low"], row["high"], row["unit"]) == (low, high, unit)


@pytest.mark.parametrize(
    ("text", "qualifier", "low", "high"),
    [
        ("约为5%", "about", NAN, NAN),
        ("少于5%", "at_most", NAN, 5),
        ("多于5%", "more_than", 5, NAN),
        ("至少5%", "at_least", 5, NAN),
        ("不超过5%", "at_most", NAN, 5),
        ("逾5%", "more_than", 5, NAN),
        ("5%及以下", "at_most", NAN, 5),
        ("3%-5%之间", "range", 3, 5),
    ],
)
def test_qualifier_words(text: str, qualifier: str, low: float, high: float) -> None:
    frame = extract_quantities(text)
    assert len(frame) == 1 and frame["qualifier"].iloc[0] == qualifier
    assert frame["raw"].iloc[0] == text.removesuffix("之间")
    assert _same(frame["low"].iloc[0], low) and _same(frame["high"].iloc[0], high)


def test_nearly_only_directly_before_the_number() -> None:
    frame = extract_quantities("最近3年，历时近3年。")
    assert frame["qualifier"].tolist() == ["exact", "nearly"]


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("近55年资阳境内全面干旱有43年", "exact"),  # opens its clause: the past 55 years
        ("全县近3年来新增企业", "exact"),
        ("近五年間，全鎮", "exact"),
        ("项目历时近3年完成", "nearly"),
        ("已有近2000年的历史", "nearly"),
        ("将近3年", "nearly"),
    ],
)
def test_near_n_years_as_a_time_frame_is_exact(text: str, qualifier: str) -> None:
    row = extract_quantities(text).iloc[0]
    assert row["unit"] == "年" and row["qualifier"] == qualifier
    assert (row["high"] == row["value"]) and (row["low"] == row["value"]) == (qualifier == "exact")


def test_unit_from_a_following_person_noun_is_outside_the_span() -> None:
    frame = extract_quantities("全市23.6万建档立卡贫困人口中，另有5万村民参与。")
    assert frame["raw"].tolist() == ["23.6万", "5万"]
    assert frame["unit"].tolist() == ["人", ""]


def test_year_range_and_duration() -> None:
    frame = extract_quantities("2013-2019年，历时43年，有近2000年，2019年底。")
    assert frame["kind"].tolist() == ["year", "quantity", "quantity", "year"]
    assert frame["qualifier"].tolist() == ["range", "exact", "nearly", "exact"]
    assert frame["low"].iloc[0] == 2013 and frame["high"].iloc[0] == 2019


def test_empty_text_gives_typed_empty_frame() -> None:
    frame = extract_quantities("没有数字。")
    assert frame.empty and list(frame.columns) == COLUMNS
    assert frame["value"].dtype == "float64" and frame["start"].dtype == "int64"
    assert all(pd.api.types.is_string_dtype(frame[c]) for c in ("raw", "unit", "qualifier", "kind"))


@pytest.mark.parametrize(
    ("text", "raw", "value", "low", "high", "unit", "qualifier", "kind"),
    [
        ("實施三年行動", "三年", 3, 3, 3, "年", "exact", "quantity"),
        ("覆盖二十四个乡镇", "二十四个", 24, 24, 24, "个", "exact", "quantity"),
        ("投入八千多万元", "八千多万元", 8e7, 8e7, NAN, "元", "more_than", "quantity"),
        ("投入8千多万元", "8千多万元", 8e7, 8e7, NAN, "元", "more_than", "quantity"),
        ("惠及三万余人", "三万余人", 30000, 30000, NAN, "人", "more_than", "quantity"),
        ("两个县", "两个", 2, 2, 2, "个", "exact", "quantity"),
        ("用三至五年", "三至五年", NAN, 3, 5, "年", "range", "quantity"),
        ("二〇二〇年底", "二〇二〇年", 2020, 2020, 2020, "", "exact", "year"),
        ("十月十七日举行", "十月十七日", NAN, NAN, NAN, "", "exact", "date"),
        ("百分之六十以上", "百分之六十以上", 60, 60, NAN, "%", "more_than", "percent"),
        ("约百分之三点五", "约百分之三点五", 3.5, NAN, NAN, "%", "about", "percent"),
        ("党政一把手负责制", "一把手", NAN, NAN, NAN, "", "exact", "identifier"),
        ("招聘3千人", "3千人", 3000, 3000, 3000, "人", "exact", "quantity"),
        ("长5千米", "5千米", 5, 5, 5, "千米", "exact", "quantity"),
        ("2萬多億元", "2萬多億元", 2e12, 2e12, NAN, "元", "more_than", "quantity"),
    ],
)
def test_chinese_numerals_that_count(
    text: str,
    raw: str,
    value: float,
    low: float,
    high: float,
    unit: str,
    qualifier: str,
    kind: str,
) -> None:
    _check(extract_quantities(text), text, [(raw, value, low, high, unit, qualifier, kind)])


@pytest.mark.parametrize(
    "text",
    [
        "一支不走的扶贫工作队，一户一策，一人患病",  # 一 before a measure word: the article
        "十年九旱，五个一批，五位一体",  # set phrases
        "落实“六个精准”和“三支力量”",  # quoted names
        "党的十八大以来，四大片区，三保障，十分艰巨",  # no measure word
        "第三年，第一书记",  # ordinals
        "百姓、千方百计、万企帮万村",  # 百/千/万 alone
    ],
)
def test_chinese_numerals_that_count_nothing_are_left_out(text: str) -> None:
    assert extract_quantities(text).empty


@pytest.mark.parametrize(
    ("text", "raw", "qualifier", "low", "high"),
    [
        ("将要摘帽280个县左右，", "280个县左右", "about", NAN, NAN),
        ("有20户贫困户以上的非贫困村", "20户贫困户以上", "more_than", 20, NAN),
        ("覆盖30個村以內。", "30個村以內", "at_most", NAN, 30),
        ("新建3个产业园，", "3个", "exact", 3, 3),  # no hedge after the noun
    ],
)
def test_a_hedge_after_the_counted_noun(
    text: str, raw: str, qualifier: str, low: float, high: float
) -> None:
    frame = extract_quantities(text)
    assert frame["raw"].tolist() == [raw]
    assert frame["qualifier"].iloc[0] == qualifier
    assert _same(frame["low"].iloc[0], low) and _same(frame["high"].iloc[0], high)


@pytest.mark.parametrize(
    ("text", "value", "unit", "qualifier"),
    [
        ("100.57萬貧困人口", 1005700, "人", "exact"),
        ("892個貧困村", 892, "个", "exact"),
        ("約3.5億元", 3.5e8, "元", "about"),
        ("2萬餘名", 20000, "名", "more_than"),
        ("1.2個百分點", 1.2, "百分点", "exact"),
        ("不低於200萬元", 2e6, "元", "at_least"),
        ("超過8000人次", 8000, "人次", "more_than"),
        ("約為5%", 5, "%", "about"),
    ],
)
def test_traditional_script_reads_like_simplified(
    text: str, value: float, unit: str, qualifier: str
) -> None:
    row = extract_quantities(text).iloc[0]
    assert row["raw"] == text.removesuffix("貧困人口").removesuffix("貧困村")
    assert (row["value"], row["unit"], row["qualifier"]) == (value, unit, qualifier)
