"""Charts and blocks of notebook 02 (precision measures): the hard problems, the drought
record, the measures and the industry models; the outcomes are in `precision_outcomes`."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import plotly.graph_objects as go

from ziyang_lib.report import fmt, marks, theme
from ziyang_lib.report.blocks import Block, Key, key_numbers, listing
from ziyang_lib.report.charts.registry import chart
from ziyang_lib.report.text import t
from ziyang_lib.truth.records import Records

NOTEBOOK = "02_precision_measures"
# 十年九旱, "drought nine years in ten": the saying the drought figures are set against.
NINE_IN_TEN = 9 / 10
CN_NUMERALS = "一二三四五六七八九十"
BARGAP = 0.5
# Outcomes counted in people, given as shares of the registered poor population.
PEOPLE_IN_WHOLE = ("relocated_people", "pupils_no_dropout")


_HARD_PROBLEMS = "dual_expressway_year first_class_highway_year illness_poverty_share"


@chart("hard_problems", page=NOTEBOOK, draws=_HARD_PROBLEMS, kind="block")
def build_hard_problems(data: Records, lang: str = "zh") -> Block:
    """Three of the four hard problems as the text states them: transport milestones (2016,
    2019), illness as an open-ended "60 % or more", and weak industry, which the text states
    without a number. Figures with nothing to be measured against are numbers to read; the
    drought figures, which the text sets against a saying, are a chart of their own (`drought`).
    """
    i = data
    c = "precision.charts.hard_problems"
    keys = [
        Key(fmt.quantity(i[x], lang), i[x].label(lang), x, t(f"{c}.panel_{panel}", lang))
        for x, panel in (
            ("dual_expressway_year", "transport"),
            ("first_class_highway_year", "transport"),
            ("illness_poverty_share", "illness"),
        )
    ]
    note = f"{t(f'{c}.panel_industry', lang)}: {t(f'{c}.industry_note', lang)}"
    return key_numbers(keys, t(f"{c}.title", lang), note=note)


_DROUGHT = "drought_record_years full_drought_years multi_county_drought_years"
DROUGHT_PX = 240
DROUGHT_GAP = 0.55


@chart("drought", page=NOTEBOOK, draws=_DROUGHT)
def build_drought(data: Records, lang: str = "zh") -> go.Figure:
    """Drought years as a share of the record, against the saying 十年九旱 (nine years in ten).

    The record is "the past 55 years" (近55年 framing its clause); each share is drawn as a range
    bar from that reading to the other one, "nearly 55 years", which allows a shorter record:
    the multi-county share reaches nine-in-ten, the citywide one does not on either reading.
    Each measure is named above its bar, with its range.
    """
    from ziyang_lib.truth.metrics import Interval

    i = data
    c = "precision.charts.drought"
    record = i["drought_record_years"]
    span = Interval.from_indicator(SimpleNamespace(value=record.value, qualifier="nearly"))
    measures = [i["full_drought_years"], i["multi_county_drought_years"]]
    lows = [m.value / span.high * 100 for m in measures]
    highs = [m.value / max(span.low, m.value) * 100 for m in measures]
    rows = list(range(len(measures)))
    hovers = [
        f"{marks.hover(m, lang)}<br>{theme.escape(t(f'{c}.share', lang, years=fmt.quantity(m, lang), record=fmt.quantity(record, lang), low=fmt.percent(lo / 100, lang), high=fmt.percent(hi / 100, lang)))}"  # noqa: E501
        for m, lo, hi in zip(measures, lows, highs, strict=True)
    ]
    fig = go.Figure(
        marks.range_bar(rows, lows, highs, name=t(f"{c}.range", lang), hovertext=hovers)
    )
    shift = marks.bar_shift(DROUGHT_PX, len(rows) + 0.4, DROUGHT_GAP)
    for row, m, lo, hi in zip(rows, measures, lows, highs, strict=True):
        span_text = t(
            f"{c}.range_text",
            lang,
            low=fmt.percent(lo / 100, lang),
            high=fmt.percent(hi / 100, lang),
        )
        name = t(f"{c}.row_{m.id}", lang)
        marks.row_label(fig, row, f"{name}: {span_text}", shift_px=shift)
    fig.add_vline(x=NINE_IN_TEN * 100, line={"dash": "dash", "color": theme.COLORS["modelled"]})
    fig.add_annotation(  # under the axis's top, right of the line: clear of the bars' labels
        x=NINE_IN_TEN * 100,
        y=0,
        yref="paper",
        text=theme.escape(t(f"{c}.saying", lang)),
        showarrow=False,
        xanchor="right",
        yanchor="bottom",
        xshift=-4,
        yshift=4,
        font={"size": theme.SMALL_FONT, "color": theme.COLORS["modelled"]},
    )
    fig.update_layout(
        height=DROUGHT_PX,
        bargap=DROUGHT_GAP,
        showlegend=False,
        margin={"l": 16, "r": 16},
        xaxis={"range": [0, 100], "ticksuffix": "%", "title": t(f"{c}.axis", lang)},
        yaxis={"visible": False, "range": [len(rows) - 0.5, -0.9]},
    )
    return theme.finish(fig, t(f"{c}.title", lang), subtitle=t(f"{c}.subtitle", lang))


_MEASURES = "village_budget_min roads_built water_projects new_agri_entities specialty_agri_area"


@chart("measures", page=NOTEBOOK, draws=_MEASURES, kind="block")
def build_measures(data: Records, lang: str = "zh") -> Block:
    """What was built and fostered: ≥ 2 million yuan per poor village, 1,300 km of roads,
    1,600+ water projects, 5,900+ farm businesses, 318,000 mu of specialty farming.

    Five figures in five units (yuan, km, projects, businesses, mu) with nothing to compare
    them with: numbers to read, each with the qualifier the text gives it ("more than", "at
    least"), not five bars of equal length.
    """
    ids = _MEASURES.split()
    c = "precision.charts.measures"
    keys = [Key(fmt.quantity(data[x], lang), data[x].label(lang), x) for x in ids]
    return key_numbers(keys, t(f"{c}.title", lang), t(f"{c}.subtitle", lang))


MODEL_PATTERNS = {
    "zh": re.compile(r"“([^”]+)”([^、。；;“”]+)"),
    "en": re.compile(r"'([^']+)' ([^,.;']+)"),
}


def industry_models(entry: dict[str, Any], lang: str) -> tuple[int, list[str]]:
    """How many industry models the term names (十大 → 10) and the ones the text lists,
    read from its glossary entry `entry` (ValueError if it cannot be read)."""
    numeral = entry["term"][0]
    if numeral not in CN_NUMERALS:
        raise ValueError(f"cannot read the number of models from {entry['term']!r}")
    total = CN_NUMERALS.index(numeral) + 1
    named = [
        t("precision.charts.industry_models.model_name", lang, quoted=q, rest=rest.strip())
        for q, rest in MODEL_PATTERNS[lang].findall(entry[f"explanation_{lang}"])
    ]
    if not 0 < len(named) <= total:
        raise ValueError(f"cannot read the named models from the glossary entry ({len(named)})")
    return total, [x.strip() for x in named]


@chart("industry_models", page=NOTEBOOK, draws="term(十大产业扶贫模式)", kind="block")
def build_industry_models(data: Records, lang: str = "zh") -> Block:
    """The "ten industry-based poverty-alleviation models": the ones the text names, as a list,
    and a line saying the others are not named (nothing is guessed)."""
    c = "precision.charts.industry_models"
    entry = data.term("十大产业扶贫模式")
    _, named = industry_models(entry, lang)
    return listing(
        [("", named)],
        t(f"{c}.title", lang),
        t(f"{c}.subtitle", lang),
        note=t(f"{c}.unnamed", lang),
    )
