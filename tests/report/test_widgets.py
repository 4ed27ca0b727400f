"""The ipywidgets explorers, driven through their controls (``.value``) as a reader would.

Expected numbers are computed here from the indicator values, never copied from the widgets.
"""

from __future__ import annotations

import html
import math
import re
from pathlib import Path

import pytest

from tests.support.nbfixtures import HOSTILE, HOSTILE_ID, hostile_data
from ziyang_lib.report import widgets
from ziyang_lib.report.charts.display import PLOTLY_MIMETYPE
from ziyang_lib.report.text import t
from ziyang_lib.truth.loaders import indicator, load_indicators

LANGS = ("zh", "en")


def shown_figure(explorer: widgets.Explorer) -> dict:
    """The figure JSON in the explorer's output area (what JupyterLab draws)."""
    (bundle,) = explorer.output.outputs
    return bundle["data"][PLOTLY_MIMETYPE]


def title(fig: dict) -> str:
    return fig["layout"]["title"]["text"]


def plain(text: str) -> str:
    """Text as drawn, for comparing: entities decoded, line breaks and spaces removed."""
    return re.sub(r"<br>|\s", "", html.unescape(text))


# --- indicator browser ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_browser_lists_each_sections_indicators(lang: str) -> None:
    table = load_indicators()
    b = widgets.indicator_browser(lang)
    sections = [value for _, value in b.section.options]
    assert sections == list(dict.fromkeys(table["section"]))
    for section in sections:
        b.section.value = section
        expected = list(table.loc[table["section"] == section, "id"])
        assert [value for _, value in b.indicator.options] == expected
        assert b.indicator.value == expected[0]
        assert b.selected.id == expected[0]


@pytest.mark.parametrize("lang", LANGS)
def test_browser_shows_the_chosen_indicator_with_its_bounds(lang: str) -> None:
    b = widgets.indicator_browser(lang)
    for section in [value for _, value in b.section.options]:
        b.section.value = section
        for _, ident in b.indicator.options:
            b.indicator.value = ident
            ind = indicator(ident)
            fig = shown_figure(b)
            assert plain(title(fig)) == plain(ind.label(lang))
            assert html.escape(ind.quote) in b.note.value
            traces = fig["data"]
            if ind.unit_en.lower() in ("year", "calendar year"):
                assert traces[0]["x"] == [ind.value]
            elif ind.qualifier == "range":
                assert traces[0]["type"] == "bar"
                assert traces[0]["base"] == [ind.low]
                assert traces[0]["x"] == [pytest.approx(ind.high - ind.low)]
            elif ind.qualifier == "about":
                assert traces[0]["type"] == "scatter" and traces[0]["x"] == [ind.value]
            elif ind.qualifier in ("more_than", "at_least"):
                assert traces[0]["x"] == [ind.low]
                beyond = [x for tr in traces[1:] for x in tr["x"]]
                assert max(beyond) > ind.low, f"{ident}: no open-ended mark"
            else:  # exact, at_most, nearly: a bar to the stated value
                assert traces[0]["type"] == "bar" and traces[0]["x"] == [ind.value]
            if ind.qualifier != "exact":
                sub = fig["layout"]["title"]["subtitle"]["text"]
                assert plain(sub) == plain(t(f"widgets.browser.qualifier.{ind.qualifier}", lang))


def test_browser_repr_has_no_state() -> None:
    assert repr(widgets.indicator_browser("en")) == "IndicatorBrowser(lang='en')"


def test_bad_language_is_refused() -> None:
    with pytest.raises(ValueError, match="lang"):
        widgets.funds_explorer("fr")


def test_hostile_label_is_escaped(tmp_path: Path) -> None:
    data = hostile_data(tmp_path)
    b = widgets.indicator_browser("en", str(data))
    b.section.value = indicator(HOSTILE_ID).section
    b.indicator.value = HOSTILE_ID
    assert HOSTILE not in b.note.value
    assert html.escape(HOSTILE) in b.note.value
    assert HOSTILE not in title(shown_figure(b))


# --- growth calculator ----------------------------------------------------------------------------


def income() -> tuple[float, float, float, int, int]:
    start, end = indicator("poor_income_2013"), indicator("poor_income_2019")
    rate = indicator("poor_income_growth_stated").value / 100
    return start.value, end.value, rate, int(start.period[:4]), int(end.period[:4])


@pytest.mark.parametrize("lang", LANGS)
def test_growth_calculator_between_two_chosen_years(lang: str) -> None:
    v0, v1, stated, y0, y1 = income()
    implied = (v1 / v0) ** (1 / (y1 - y0)) - 1
    g = widgets.growth_calculator(lang)
    assert (g.start_year.min, g.start_year.max) == (y0, y1)
    assert (g.start_year.value, g.end_year.value) == (y0, y1)
    g.start_year.value, g.end_year.value = y0 + 2, y0 + 4
    fig = shown_figure(g)
    (band,) = fig["layout"]["shapes"]
    assert (band["x0"], band["x1"]) == (y0 + 2, y0 + 4)
    stated_path, implied_path, endpoints = fig["data"]
    modelled = t("ui.theme.modelled", lang)
    assert modelled in stated_path["name"] and modelled in implied_path["name"]
    for year, y in zip(stated_path["x"], stated_path["y"], strict=True):
        assert y == pytest.approx(v0 * (1 + stated) ** (year - y0))
    assert implied_path["y"][-1] == pytest.approx(v1)  # the implied path meets the stated end
    assert endpoints["y"] == [v0, v1] and endpoints["x"] == [y0, y1]
    note = g.note.value
    assert f"{(1 + stated) ** 2:.2f}" in note and f"{(1 + implied) ** 2:.2f}" in note
    assert f"{implied * 100:.2f}%" in note
    assert modelled in note


def test_growth_calculator_orders_reversed_years_and_handles_equal_ones() -> None:
    _, _, _, y0, y1 = income()
    g = widgets.growth_calculator("en")
    g.start_year.value, g.end_year.value = y1 - 1, y0 + 1
    band = shown_figure(g)["layout"]["shapes"][0]
    assert (band["x0"], band["x1"]) == (y0 + 1, y1 - 1)
    assert f"From {y0 + 1} to {y1 - 1}" in g.note.value
    g.end_year.value = g.start_year.value
    assert g.note.value == f"<p>{html.escape(t('widgets.growth.same_year', 'en'))}</p>"
    assert not re.search(r"\d", g.note.value)


# --- funds explorer -------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_funds_by_kind_parts_add_up_to_the_total(lang: str) -> None:
    total = indicator("special_funds_total").value
    fiscal, sectoral = (
        indicator("fiscal_special_funds").value,
        indicator("sectoral_special_funds").value,
    )
    f = widgets.funds_explorer(lang)
    assert f.view.value == "kind"
    fig = shown_figure(f)
    assert plain(title(fig)) == plain(t("widgets.funds.title_kind", lang))
    bars = fig["data"]
    divisor = total / bars[0]["y"][0]
    assert [b["y"][0] * divisor for b in bars] == pytest.approx([total, fiscal, sectoral])
    assert bars[1]["x"] == bars[2]["x"] != bars[0]["x"]  # the parts share one stacked bar
    assert fig["layout"]["barmode"] == "stack"
    assert math.log10(divisor) == int(math.log10(divisor))  # a power of ten (亿, billion)


@pytest.mark.parametrize("lang", LANGS)
def test_funds_by_level_keeps_ranges_as_ranges(lang: str) -> None:
    f = widgets.funds_explorer(lang)
    f.view.value = "level"
    fig = shown_figure(f)
    assert plain(title(fig)) == plain(t("widgets.funds.title_level", lang))
    traces = {tr["y"][0]: tr for tr in fig["data"]}
    city, county, health = (indicator(i) for i in widgets.FUNDS_LEVEL)
    city_bar = traces[city.label(lang)]
    divisor = city.low / city_bar["base"][0]
    for ind in (city, health):
        bar = traces[ind.label(lang)]
        assert bar["type"] == "bar"
        assert bar["base"][0] * divisor == pytest.approx(ind.low)
        assert (bar["base"][0] + bar["x"][0]) * divisor == pytest.approx(ind.high)
    point = traces[county.label(lang)]
    assert point["type"] == "scatter" and point["x"][0] * divisor == pytest.approx(county.value)
    f.view.value = "kind"
    assert plain(title(shown_figure(f))) == plain(t("widgets.funds.title_kind", lang))
