"""Chart builders of notebooks 00–03 and the theme: every expectation is computed here from the
indicator records or written by hand, never copied from a builder's output."""

from __future__ import annotations

import csv
import json
import math
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
import pytest

from tests.support.browser import browser  # noqa: F401  (session fixture)
from tests.support.figure_text import flat, hover_texts
from ziyang_lib.paths import data_dir
from ziyang_lib.report import marks, theme
from ziyang_lib.report.charts import (
    broad,
    leadership,
    leadership_flow,
    overview,
    precision,
    precision_outcomes,
)
from ziyang_lib.report.charts.registry import all_charts, charts_of, get
from ziyang_lib.report.text import t
from ziyang_lib.truth.loaders import indicator, load_glossary
from ziyang_lib.truth.source import load_source

LANGS = ("zh", "en")
CJK = re.compile(r"[\u4e00-\u9fff]")
EXPECTED = {
    "00_overview": ["headline", "timeline", "glossary_table", "audit_table"],
    "01_party_leadership": [
        "poverty_profile",
        "assistance_flow",
        "coverage",
        "income_path",
        "funds",
    ],
    "02_precision_measures": [
        "hard_problems",
        "drought",
        "measures",
        "outcomes_overlap",
        "outcomes",
        "industry_models",
    ],
    "03_broad_based_alleviation": ["policy_system", "funding_levels", "campaigns", "poverty_day"],
}
# Page text, not plotly: a figure with nothing to compare is a key number, a list is a list,
# a table is an HTML table (issue 10).
BLOCKS = {
    "headline", "timeline", "glossary_table", "audit_table", "hard_problems", "measures",
    "outcomes", "industry_models", "policy_system", "campaigns", "poverty_day",
}  # fmt: skip
# Indicators whose source sentence each chart must show on hover.
QUOTED = {
    "headline": ["poor_villages", "poor_population", "poor_income_2013", "special_funds_total"],
    "drought": ["full_drought_years", "multi_county_drought_years"],
    "poverty_profile": ["anyue_poor_villages", "anyue_registered_poor", "scattered_poor_share"],
    "assistance_flow": ["work_team_personnel", "first_secretaries", "leaders_coordinated"],
    "coverage": ["poor_villages", "non_poor_villages_with_scattered_poor"],
    "income_path": ["poor_income_2013", "poor_income_2019"],
    "funds": ["fiscal_special_funds", "sectoral_special_funds", "special_funds_total"],
    "hard_problems": ["dual_expressway_year", "illness_poverty_share"],
    "measures": ["village_budget_min", "roads_built", "water_projects", "specialty_agri_area"],
    "outcomes_overlap": ["industry_employment_support", "safety_net_support", "poor_population"],
    "outcomes": ["relocated_people", "houses_renovated", "out_of_pocket_share_max"],
    "policy_system": ["sector_plans_per_year"],
    "funding_levels": ["city_budget_per_year", "county_budget_per_year", "health_fund_per_year"],
}


MODULES = {
    m.__name__
    for m in (overview, leadership, leadership_flow, precision, precision_outcomes, broad)
}


def specs() -> list[Any]:
    """The plotly charts these four modules register (the county map lives elsewhere)."""
    return [s for s in all_charts() if get(s.chart_id).draw.__module__ in MODULES]


def records() -> list[Any]:
    """Every chart and block these modules register."""
    return [c for page in EXPECTED for c in charts_of(page) if c.draw.__module__ in MODULES]


@pytest.fixture(scope="module")
def figures() -> dict[tuple[str, str], Any]:
    """Every chart (a figure) and block (page text) of the four notebooks, in both languages."""
    return {(c.chart_id, lang): c.build(lang) for c in records() for lang in LANGS}


def drawn(item: Any) -> str:
    """What a reader can read of a chart or a block, flattened: hovers, or the block's text."""
    return flat(item.html) if hasattr(item, "html") else hover_texts(item)


def numbers_in(trace: dict[str, Any]) -> Iterator[float]:
    for key in ("x", "y", "base", "value"):
        for v in trace.get(key) or []:
            if isinstance(v, int | float) and not isinstance(v, bool):
                yield float(v)


def test_every_chart_of_the_four_notebooks_is_registered() -> None:
    found: dict[str, list[str]] = {}
    for record in records():
        found.setdefault(record.pages[0], []).append(record.chart_id)
    assert {k: sorted(v) for k, v in found.items()} == {k: sorted(v) for k, v in EXPECTED.items()}
    assert {c.chart_id for c in records() if c.kind == "block"} == BLOCKS
    assert not BLOCKS & {s.chart_id for s in all_charts()}  # no static export of page text


@pytest.mark.parametrize("lang", LANGS)
def test_blocks_are_page_text_with_a_title_and_the_provenance_of_their_numbers(
    figures, lang: str
) -> None:
    from bs4 import BeautifulSoup

    for chart_id in sorted(BLOCKS):
        block = figures[(chart_id, lang)]
        soup = BeautifulSoup(block.html, "html.parser")
        title = soup.select_one(".zy-chart-head .zy-chart-title").get_text()
        assert title == t(get(chart_id).title_key, lang) and "<br" not in block.html
        assert bool(CJK.search(title)) == (lang == "zh"), (chart_id, title)
        shown = flat(soup.get_text())
        for text, source in block.numbers:
            assert flat(text) in shown, (chart_id, text, source)


@pytest.mark.parametrize("lang", LANGS)
def test_builders_return_titled_figures_in_the_language(figures, lang: str) -> None:
    for spec in specs():
        fig = figures[(spec.chart_id, lang)]
        assert isinstance(fig, go.Figure), spec.chart_id
        title = flat(fig.layout.title.text or "")
        assert title, spec.chart_id
        assert bool(CJK.search(title)) == (lang == "zh"), (spec.chart_id, title)
        assert not re.search(r"\d", title), (spec.chart_id, title)  # titles reach plain text
        assert fig.layout.template.layout.font.family == theme.FONT_FAMILY
        notes = [a for a in fig.layout.annotations if a.name == "footnote"]
        assert len(notes) == 1 and flat(t("common.source_short", lang)) in flat(notes[0].text)


def test_no_nan_in_data_traces(figures) -> None:
    for (chart, lang), fig in figures.items():
        if chart in BLOCKS:
            continue
        for trace in fig.to_plotly_json()["data"]:
            assert not any(math.isnan(v) for v in numbers_in(trace)), (chart, lang, trace["type"])


@pytest.mark.parametrize("chart", sorted(QUOTED))
def test_the_source_sentence_is_on_hover_or_in_about_this_data(figures, chart: str) -> None:
    """A chart's hover quotes the source; a block of key numbers quotes it in "About this
    data" under it (collapsed), with the paragraph."""
    for lang in LANGS:
        item = figures[(chart, lang)]
        quoted = flat(get(chart).about(lang).to_html()) if chart in BLOCKS else drawn(item)
        for ident in QUOTED[chart]:
            assert flat(indicator(ident).quote) in quoted, (chart, lang, ident)


def test_text_blocks_quote_and_name_what_the_source_says(figures) -> None:
    source = load_source()
    timeline = drawn(figures[("timeline", "en")])
    assert flat(source.sentence(1856, 1869)) in timeline  # 渝蓉高速 (events.csv span)
    campaigns = drawn(figures[("campaigns", "zh")])
    assert "万企帮万村" in campaigns and "五点钟书屋" in campaigns
    day = drawn(figures[("poverty_day", "zh")])
    assert "脱贫攻坚奖评选和表扬大会" in day
    models = drawn(figures[("industry_models", "zh")])
    assert "十大产业扶贫模式" in models
    _, named = precision.industry_models(models_entry(), "zh")
    assert all(flat(name) in models for name in named)


def table_rows(block: Any) -> list[Any]:
    from bs4 import BeautifulSoup

    return BeautifulSoup(block.html, "html.parser").select("table.zy-table tbody tr")


def test_tables_hold_every_glossary_term_and_every_audit_check(figures) -> None:
    from ziyang_lib.truth.checks import audit

    assert len(table_rows(figures[("glossary_table", "en")])) == len(load_glossary())
    checks = audit()
    rows = table_rows(figures[("audit_table", "zh")])
    assert len(rows) == len(checks)
    assert [r["data-filter-verdict"] for r in rows] == [
        v.replace(" ", "_") for v in checks["verdict"]
    ]
    badges = [r.select_one(".zy-verdict")["class"][1] for r in rows]
    consistent = {b for b, v in zip(badges, checks["verdict"], strict=True) if v == "consistent"}
    other = {b for b, v in zip(badges, checks["verdict"], strict=True) if v != "consistent"}
    assert consistent and other and consistent.isdisjoint(other)  # the colour says the verdict
    options = [o["value"] for o in _select(figures[("audit_table", "zh")], "verdict")]
    assert sorted(options) == sorted({v.replace(" ", "_") for v in checks["verdict"]})


def _select(block: Any, key: str) -> list[Any]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(block.html, "html.parser")
    return [o for o in soup.select(f'select[data-filter="{key}"] option') if o["value"]]


def _shown_terms(rows: list[Any]) -> list[str]:
    """The zh terms of the glossary table's rows (the bold start of each first cell)."""
    return [flat(r.select_one("td b").get_text()) for r in rows]


@pytest.mark.parametrize("lang", LANGS)
def test_glossary_filters_by_category_and_by_part(figures, lang: str) -> None:
    glossary = load_glossary()
    source = load_source()
    block = figures[("glossary_table", lang)]
    rows = table_rows(block)
    parts = {source.part_of(int(s)) for s in glossary["start"]}
    categories = set(glossary["category"])
    assert {o["value"] for o in _select(block, "kind")} == categories
    assert {o["value"] for o in _select(block, "part")} == parts
    campaigns = [r for r in rows if r["data-filter-kind"] == "campaign"]
    # the seven named drives: 任务和问题清零, 10.17, 有爱城市, 有爱乡村, the two campaigns of the
    # deputies and the political consultative members, 万企帮万村
    shown = _shown_terms(campaigns)
    assert {"人大代表再行动", "我为扶贫攻坚做件事", "万企帮万村", "10.17"} <= set(shown)
    assert len(shown) == 7 and "低保" not in shown
    for category in categories:
        expected = set(glossary.loc[glossary["category"] == category, "term"])
        chosen = [r for r in rows if r["data-filter-kind"] == category]
        assert set(_shown_terms(chosen)) == {flat(x) for x in expected}, category
    outlook = [r for r in rows if r["data-filter-part"] == "outlook"]
    assert _shown_terms(outlook) == ["成渝地区双城经济圈", "成资同城化"]
    # 乡村振兴 is first used in the page's breadcrumb, the section the article is filed under
    header = [r for r in rows if r["data-filter-part"] == "header"]
    assert _shown_terms(header) == ["乡村振兴"]


def test_income_path_models_one_path_and_says_what_the_stated_rate_implies(figures) -> None:
    start, end = indicator("poor_income_2013"), indicator("poor_income_2019")
    rate = indicator("poor_income_growth_stated").value / 100
    years = list(range(int(start.period), int(end.period) + 1))
    implied = start.value * (1 + rate) ** (years[-1] - years[0])
    assert round(implied) == 6985 and round(implied) != end.value  # 2435 × 1.192^6, by hand
    for lang in LANGS:
        fig = figures[("income_path", lang)]
        word = t("ui.theme.modelled", lang)
        modelled = [tr for tr in fig.data if word in tr.name]
        assert len(modelled) == 1 and modelled[0].line.dash == "dash"  # one line, none hidden
        (path,) = modelled
        assert list(path.x) == years and path.y[0] == start.value
        for k, y in enumerate(path.y):
            assert y == pytest.approx(start.value * (1 + rate) ** k)
        (points,) = [tr for tr in fig.data if tr is not path]
        assert list(points.x) == [years[0], years[-1]]
        assert list(points.y) == [start.value, end.value] and word not in points.name
        assert not fig.layout.updatemenus  # nothing to switch between
        # no arrow across the chart for a gap under a pixel: the subtitle says it in numbers
        assert [a for a in fig.layout.annotations if a.name != theme.FOOTNOTE_NAME] == []
        subtitle = flat(theme.title_block(fig.to_plotly_json())["subtitle"])
        gap = round(implied - end.value)
        assert gap == 16 and str(gap) in subtitle and "19.15%" in subtitle
        assert flat(t("charts.common.modelled", lang)) in flat(path.hovertext[-1])
        implied_text = f"{round(implied):,}" if lang == "en" else str(round(implied))
        assert implied_text in flat(path.hovertext[-1])


def test_overlap_chart_shows_the_forced_overlap(figures) -> None:
    a = indicator("industry_employment_support").value
    b = indicator("safety_net_support").value
    whole = indicator("poor_population").value
    least = a + b - whole
    assert least == 10000  # 19万 + 5.6万 − 23.6万, by hand
    for lang in LANGS:
        fig = figures[("outcomes_overlap", lang)]
        (overlap,) = [tr for tr in fig.data if (tr.meta or {}).get("role") == "overlap"]
        assert overlap.x[0] == least
        start = overlap.base[0]
        group_a = [tr for tr in fig.data if tr.x[0] == a][0]
        assert group_a.base[0] == whole - a and start == whole - a
        most = fig.layout.updatemenus[0].buttons[1].args[0]
        assert most["x"][-1] == [min(a, b)]


def test_funding_levels_draws_ranges_as_ranges(figures) -> None:
    city, county = indicator("city_budget_per_year"), indicator("county_budget_per_year")
    health = indicator("health_fund_per_year")
    for lang, divisor in (("zh", 1e8), ("en", 1e6)):  # 亿元 / million yuan
        fig = figures[("funding_levels", lang)]
        bars = [tr for tr in fig.data if tr.type == "bar"]
        spans = sorted(
            v for tr in bars for v in (tr.base[0] * divisor, (tr.base[0] + tr.x[0]) * divisor)
        )
        assert spans == pytest.approx(sorted([city.low, city.high, health.low, health.high]))
        (about,) = [tr for tr in fig.data if tr.type == "scatter"]
        assert about.x[0] * divisor == pytest.approx(county.value)
        assert about.marker.symbol == "diamond-open"
        types = [b.args[0]["xaxis.type"] for b in fig.layout.updatemenus[0].buttons]
        assert types == ["linear", "log"]


def test_open_ended_figures_keep_their_qualifier(figures) -> None:
    measures = (
        "village_budget_min",
        "roads_built",
        "water_projects",
        "new_agri_entities",
        "specialty_agri_area",
    )
    opens = [i for i in measures if indicator(i).qualifier in ("more_than", "at_least")]
    assert len(opens) == 3
    for lang, words in (("zh", ("余", "不低于")), ("en", ("more than", "at least"))):
        block = figures[("measures", lang)]
        values = dict((source, text) for text, source in block.numbers)
        assert set(values) == set(measures)
        for ident in opens:
            assert any(w in values[ident] for w in words), (ident, values[ident])
        assert flat(values[ident]) in flat(block.html)
    cadres = indicator("paired_cadres")
    for lang, word in (("zh", "余"), ("en", "more than")):
        fig = figures[("assistance_flow", lang)]
        (bar,) = [tr for tr in fig.data if tr.type == "bar" and tr.x[0] == cadres.value]
        assert word in bar.text[0] and flat(bar.text[0]) == flat(
            leadership.fmt.quantity(cadres, lang)
        )
        triangles = [
            tr for tr in fig.data if tr.type == "scatter" and tr.marker.symbol == "triangle-right"
        ]
        assert len(triangles) == 1 and triangles[0].x[0] > cadres.value  # a floor, drawn onward


def test_assistance_forces_are_people_on_one_axis_with_a_view_without_the_cadres(figures) -> None:
    people = ("paired_cadres", "work_team_personnel", "first_secretaries", "leaders_coordinated")
    fig = figures[("assistance_flow", "en")]
    bars = [tr for tr in fig.data if tr.type == "bar"]
    assert sorted(b.x[0] for b in bars) == sorted(indicator(i).value for i in people)
    (menu,) = fig.layout.updatemenus
    villages, everything = (b.args for b in menu.buttons)
    cadre = [k for k, tr in enumerate(fig.data) if tr.y[0] == 0]
    assert cadre and not any(villages[0]["visible"][k] for k in cadre)
    assert all(everything[0]["visible"])
    assert villages[1]["xaxis.range"][1] < indicator("paired_cadres").value  # its own scale
    assert [tr.visible for tr in fig.data] == villages[0]["visible"]  # it opens on villages


def test_funds_waterfall_adds_the_parts_to_the_stated_total(figures) -> None:
    fiscal, sectoral = indicator("fiscal_special_funds"), indicator("sectoral_special_funds")
    total = indicator("special_funds_total")
    fig = figures[("funds", "zh")]
    (waterfall,) = fig.data
    assert waterfall.orientation == "h"
    assert list(waterfall.measure) == ["relative", "relative", "absolute"]
    values = [v * 1e8 for v in waterfall.x]  # zh axis in 亿元
    assert values == pytest.approx([fiscal.value, sectoral.value, total.value])
    assert values[0] + values[1] == pytest.approx(values[2])


def test_poverty_profile_switches_to_shares_that_sum_to_the_whole(figures) -> None:
    fig = figures[("poverty_profile", "en")]
    shares = fig.layout.updatemenus[0].buttons[1].args[0]["x"]
    anyue = indicator("anyue_poor_villages").value / indicator("poor_villages").value * 100
    assert shares[0][0] == pytest.approx(anyue)
    for k in range(0, len(shares), 2):
        assert shares[k][0] + shares[k + 1][0] == pytest.approx(100)


def test_drought_shares_span_both_readings(figures) -> None:
    """From "the past 55 years" (the record's figure) to "nearly 55 years" (up to 5 % fewer)."""
    record = indicator("drought_record_years")
    assert record.qualifier == "exact"
    full = indicator("full_drought_years").value
    fig = figures[("drought", "zh")]
    (bars,) = [tr for tr in fig.data if tr.type == "bar"]
    low, high = bars.base[0], bars.base[0] + bars.x[0]
    assert low == pytest.approx(full / record.value * 100)
    assert high == pytest.approx(full / (record.value * 0.95) * 100)
    assert high < 85 and low < high  # the citywide measure stays under nine in ten


def models_entry() -> dict:
    glossary = load_glossary()
    return glossary.loc[glossary["term"] == "十大产业扶贫模式"].iloc[0].to_dict()


def test_industry_models_are_the_texts_own_names() -> None:
    raw = load_source().raw
    for lang in LANGS:
        total, named = precision.industry_models(models_entry(), lang)
        assert (total, len(named)) == (10, 4)
    _, named_zh = precision.industry_models(models_entry(), "zh")
    for name in named_zh:
        quoted, rest = re.fullmatch(r"“(.+)”(.+)", name).groups()
        assert f"“{quoted}”{rest}" in raw


def test_campaign_and_activity_names_are_found_in_the_source() -> None:
    assert broad.check_catalogue_phrases() == []
    items = broad.campaign_items("en")
    assert sum(len(v) for v in items.values()) == 10


def test_timeline_dates_each_event_once_and_marks_implied_dates(figures) -> None:
    """One entry per event at the precision the text gives (no year drawn as a span), in time
    order, the implied dates marked and explained."""
    from bs4 import BeautifulSoup

    from ziyang_lib.truth.loaders import load_events

    events = load_events()
    soup = BeautifulSoup(figures[("timeline", "en")].html, "html.parser")
    entries = soup.select("li.zy-event")
    dates = [e.select_one("time")["datetime"] for e in entries]
    assert sorted(dates) == sorted(str(d) for d in events["date"]) and dates == sorted(dates)
    implied = set(events.loc[events["date_basis"] != "stated", "date"].map(str))
    marked = {e.select_one("time")["datetime"] for e in entries if e.select_one(".zy-implied")}
    assert marked == implied and implied
    years = [y.get_text() for y in soup.select(".zy-year-label")]
    assert years == sorted({d[:4] for d in dates})


def hostile_data(tmp_path: Path) -> Path:
    folder = Path(shutil.copytree(data_dir(), tmp_path / "data"))
    path = folder / "indicators.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    for row in rows[1:]:
        if row[0] == "fiscal_special_funds":
            row[header.index("label_en")] = "<img src=x onerror=alert(1)>"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return folder


def test_hostile_label_is_shown_as_text(tmp_path: Path) -> None:
    folder = hostile_data(tmp_path)
    fig = get("funds").build("en", folder)
    text = json.dumps(fig.to_plotly_json(), ensure_ascii=False)
    assert "<img" not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text


def test_titles_hang_from_the_plot_by_pixels_whatever_the_figure_height(figures) -> None:
    """Exports resize a figure (figures.fit): a title placed as a fraction of the height would
    move, and a two-line one would leave the top. Hung from the plot top by a pixel pad, its
    first line stays `TITLE_BASELINE_PX` below the figure's top edge."""
    for (chart, lang), fig in figures.items():
        if chart in BLOCKS:
            continue
        title = fig.layout.title
        assert (title.yref, title.y, title.yanchor) == ("paper", 1, "bottom"), chart
        assert fig.layout.margin.t - title.pad.b == theme.TITLE_BASELINE_PX, (chart, lang)
        lines = title.text.count("<br>") + 1
        sub = title.subtitle.text.count("<br>") + 1 if title.subtitle.text else 0
        below = theme.TITLE_LINE_PX * (lines - 1) + theme.FOOTNOTE_LINE_PX * sub
        assert theme.TITLE_BASELINE_PX + below < fig.layout.margin.t, (chart, lang)


def drawn_texts(figure: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(where, text) of every text a figure draws on the plot (not hovers, not the static
    export's source note): trace text, sankey and treemap labels, tick labels, annotations."""
    for k, trace in enumerate(figure.get("data") or []):
        for key in ("text", "texttemplate", "labels"):
            values = trace.get(key)
            for v in values if isinstance(values, list) else [values]:
                if isinstance(v, str):
                    yield f"trace {k} {key}", v
        for v in (trace.get("node") or {}).get("label") or []:
            yield f"trace {k} node", str(v)
    layout = figure.get("layout") or {}
    for name, axis in layout.items():
        if name.startswith(("xaxis", "yaxis")) and isinstance(axis, dict):
            for v in axis.get("ticktext") or []:
                yield name, str(v)
            yield f"{name} title", str((axis.get("title") or {}).get("text") or "")
    for a in layout.get("annotations") or []:
        if a.get("name") != theme.FOOTNOTE_NAME:
            yield "annotation", str(a.get("text") or "")


def test_no_figure_breaks_a_line_by_hand() -> None:
    """Titles and subtitles are the page's text (the browser wraps them); every text drawn in
    a plot fits a phone on one line or is shortened, never broken with <br> (issue 10)."""
    from ziyang_lib.report.charts.display import figure_json

    checked = 0
    for spec in all_charts():
        for lang in LANGS:
            figure = theme.without_footnote(figure_json(spec.build(lang)))
            block = theme.title_block(figure)
            assert block and block["title"], spec.chart_id
            for text in (block["title"], block["subtitle"], block["note"]):
                assert "<br" not in text and "\n" not in text, (spec.chart_id, text)
            for where, text in drawn_texts(figure):
                assert "<br" not in text.lower(), (spec.chart_id, lang, where, text)
                checked += 1
    assert checked > 200


def test_without_footnote_drops_the_note_and_only_its_room() -> None:
    fig = go.Figure([go.Scatter(x=[1, 2], y=[1, 2], name="a"), go.Bar(x=[1], y=[2], name="b")])
    fig.add_annotation(x=1, y=2, text="kept")
    note = "来源：" + "资阳市人民政府" * 12
    theme.finish(fig, "标题", note=note)
    before = fig.to_plotly_json()
    after = theme.without_footnote(before)
    lines = len(theme.wrap(note))
    assert lines > 1
    note_px = theme.FOOTNOTE_LINE_PX * lines
    old, new = before["layout"], after["layout"]
    assert [a["text"] for a in new["annotations"]] == ["kept"]
    assert old["height"] - new["height"] == note_px
    assert old["margin"]["b"] - new["margin"]["b"] == note_px
    assert new["margin"]["t"] == old["margin"]["t"] and new["title"] == old["title"]
    plot = old["height"] - old["margin"]["t"] - old["margin"]["b"]
    assert new["height"] - new["margin"]["t"] - new["margin"]["b"] == plot
    legend_px = (old["legend"]["y"] * old["height"], new["legend"]["y"] * new["height"])
    assert legend_px[0] - legend_px[1] == pytest.approx(note_px)  # same gap to the plot
    assert len(before["layout"]["annotations"]) == 2  # the given figure is left alone
    bare = go.Figure(go.Bar(x=[1], y=[1])).to_plotly_json()
    assert theme.without_footnote(bare) == bare


def test_wrap_keeps_numbers_units_and_punctuation_together() -> None:
    assert theme.wrap("about 6,985 yuan per person", 12) == ["about 6,985", "yuan per", "person"]
    assert theme.wrap("poverty-alleviation funds", 11) == ["poverty-", "alleviation", "funds"]
    lines = theme.wrap("按所述增速推算2019年为6985元左右", 28)
    assert lines[0].endswith("6985元")  # never "6985" | "元"
    for line in theme.wrap("复算，年均增长。" * 6, 13):
        assert line[0] not in "，。"
    for line in theme.wrap("实现“县县双高速”" * 4, 11):
        assert not line.endswith("“")
    assert theme.columns("“五个一”") == 10  # the CJK font draws the quotes full width
    assert theme.has_cjk("低保") and not theme.has_cjk("“quoted” – dash")


def test_theme_template_and_helpers() -> None:
    theme.apply()
    assert pio.templates.default == theme.TEMPLATE_NAME
    layout = pio.templates[theme.TEMPLATE_NAME].layout
    assert layout.font.family.startswith('"Noto Sans CJK SC"') and layout.font.size >= 12
    assert layout.legend.orientation == "h"
    assert len(set(theme.COLORS[k] for k in ("stated", "modelled", "range"))) == 3
    fig = theme.finish(go.Figure(go.Bar(x=[1], y=[2])), "标题", note="来源：x <b>")
    (note,) = fig.layout.annotations
    assert note.text == "来源：x &lt;b&gt;" and fig.layout.margin.b > theme.AXIS_PX
    assert theme.wrap("资阳" * 40, 20) == ["资阳" * 5] * 8
    assert theme.wrap("twenty thousand people", 10) == ["twenty", "thousand", "people"]
    assert marks.nice_ticks(236000) == [0, 50000, 100000, 150000, 200000]
    line = marks.modelled_line([1, 2], [3, 4], lang="en", name="path")
    assert line.name == "path (modelled)" and line.line.dash == "dash"
    ends = marks.open_ended(10.0, "a", lang="zh")
    assert ends[0].x == (10.0, 11.5) and ends[1].marker.symbol == "triangle-right"


# --- drawn in a phone-sized browser --------------------------------------------------------------

# Runs in the page: every drawn text that leaves its chart (or, in a table, its column).
_OVERFLOW_JS = """() => {
  const out = [];
  const say = (id, el, why) => out.push(id + ": " + why + ": " + el.textContent.slice(0, 40));
  for (const plot of document.querySelectorAll(".js-plotly-plot")) {
    const id = plot.dataset.chartId;
    const box = plot.getBoundingClientRect();
    for (const el of plot.querySelectorAll("svg.main-svg text")) {
      if (el.closest(".hoverlayer") || el.closest(".updatemenu-container")) continue;
      if (el.closest(".column-cell")) continue;  // table cells: checked against their column
      const r = el.getBoundingClientRect();
      if (!r.width || !el.textContent.trim()) continue;
      if (r.left < box.left - 1 || r.right > box.right + 1) say(id, el, "sideways");
      if (r.top < box.top - 1 || r.bottom > box.bottom + 1) say(id, el, "above/below");
    }
    for (const cell of plot.querySelectorAll(".column-cell")) {
      const rect = cell.querySelector(".cell-rect").getBoundingClientRect();
      const text = cell.querySelector(".cell-text");
      if (text && text.getBoundingClientRect().right > rect.right + 1) say(id, text, "cell");
    }
  }
  return out;
}"""
# Runs in the page: every annotation drawn over a bar or a button (labels must sit beside them).
_COVERED_JS = """() => {
  const out = [];
  const hit = (a, b) => a.left < b.right - 1 && b.left < a.right - 1
    && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  for (const plot of document.querySelectorAll(".js-plotly-plot")) {
    const marks = [...plot.querySelectorAll(".bars path, .updatemenu-header, .updatemenu-button")]
      .map((e) => e.getBoundingClientRect()).filter((r) => r.width && r.height);
    for (const text of plot.querySelectorAll(".annotation-text-g text")) {
      const r = text.getBoundingClientRect();
      if (r.width && marks.some((m) => hit(r, m))) {
        out.push(plot.dataset.chartId + ": " + text.textContent.slice(0, 40));
      }
    }
  }
  return out;
}"""
PHONES = ({"width": 390, "height": 844}, {"width": 360, "height": 780})


def charts_page(lang: str, folder: Path) -> Path:
    """An offline report page holding every chart of the four notebooks as `show` publishes it."""
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    from ziyang_lib.pipeline.html_export import export_html
    from ziyang_lib.report.charts.display import chart_bundle

    outputs = []
    for spec in specs():
        data, metadata = chart_bundle(spec.build(lang), chart_id=spec.chart_id, lang=lang)
        outputs.append(new_output("display_data", data=data, metadata=metadata))
    result = export_html(
        new_notebook(cells=[new_code_cell("", outputs=outputs)]), lang=lang, page_title="c"
    )
    path = folder / f"charts_{lang}.html"
    path.write_text(result.html, encoding="utf-8")
    return path


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_every_chart_fits_a_phone_screen_and_labels_stay_off_bars(
    browser,  # noqa: F811
    tmp_path: Path,
    lang: str,
) -> None:
    """Drawn as the report page draws them, at two phone widths: no text leaves its chart or
    its table column (titles included), and no label lies over a bar or a button."""
    page = charts_page(lang, tmp_path)
    for viewport in PHONES:
        checks = {"overflow": _OVERFLOW_JS, "covered": _COVERED_JS}
        report = browser.open_page(page, viewport=viewport, evaluate=checks)
        assert report.n_charts == len(specs()) and not report.errors, report.errors
        assert report.values["overflow"] == [], (viewport, report.values["overflow"])
        assert report.values["covered"] == [], (viewport, report.values["covered"])
