"""Charts of notebook 02 (precision measures): the four hard problems, the measures and the
industry models; the outcomes are in `precision_outcomes`."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ziyang_lib.report import fmt, marks, theme
from ziyang_lib.report.charts.registry import chart
from ziyang_lib.report.text import t
from ziyang_lib.truth.records import Records

NOTEBOOK = "02_precision_measures"
# 十年九旱, "drought nine years in ten": the saying the drought figures are set against.
NINE_IN_TEN = 9 / 10
CN_NUMERALS = "一二三四五六七八九十"
OPEN = ("more_than", "at_least")
BARGAP = 0.5
# Outcomes counted in people, drawn inside the registered poor population.
PEOPLE_IN_WHOLE = ("relocated_people", "pupils_no_dropout")
PANEL_TITLE_WIDTH = 40  # display columns of a 14 px panel title on a phone


def _hide_axes(fig: go.Figure, row: int, col: int = 1) -> None:
    fig.update_xaxes(visible=False, row=row, col=col)
    fig.update_yaxes(visible=False, row=row, col=col)


def _left_label(fig: go.Figure, y: Any, text: str, *, axes=("x", "y"), **kwargs: Any) -> None:
    """A small label starting at x = 0 of the axes `axes`, on row `y`."""
    xref, yref = axes
    font = {"size": theme.SMALL_FONT}
    fig.add_annotation(x=0, y=y, xref=xref, yref=yref, xanchor="left", showarrow=False, text=text,
                       font=font, **kwargs)  # fmt: skip


def _small_title(text: str) -> str:
    """A panel title, wrapped to fit a phone."""
    lines = theme.wrap_html(text, PANEL_TITLE_WIDTH)
    return f"<span style='font-size:{theme.BASE_FONT}px'>{lines}</span>"


def _value_bar(fig: go.Figure, ind: Any, lang: str, row: int, *, top: float) -> None:
    """One indicator as a bar on its own axis [0, top]; open-ended values get a dotted
    extension with a triangle, at-most values are drawn as the range [0, v]."""
    text = theme.escape(fmt.quantity(ind, lang))
    hover = marks.hover(ind, lang)
    if ind.qualifier == "at_most":
        fig.add_trace(
            marks.range_bar([""], [0.0], [ind.value], name=text, hovertext=[hover]), row=row, col=1
        )
        fig.add_annotation(
            x=ind.value,
            y=0,
            text=text,
            showarrow=False,
            xanchor="left",
            xshift=6,
            row=row,
            col=1,
            font={"color": theme.COLORS["range"]},
        )
    else:
        bar = marks.hbar(ind.value, "", color=theme.COLORS["stated"], hover=hover, text=text)
        bar.update(name=text, showlegend=False, textposition="auto", insidetextanchor="start")
        fig.add_trace(bar.update(textangle=0), row=row, col=1)
        if ind.qualifier in OPEN:
            for trace in marks.open_ended(
                ind.value, "", lang=lang, hovertext=hover, color=theme.COLORS["range"]
            ):
                fig.add_trace(trace, row=row, col=1)
    fig.update_xaxes(range=[0, top], visible=False, row=row, col=1)
    fig.update_yaxes(visible=False, row=row, col=1)


_HARD_PROBLEMS = (
    "dual_expressway_year first_class_highway_year drought_record_years full_drought_years "
    "multi_county_drought_years illness_poverty_share"
)


@chart("hard_problems", page=NOTEBOOK, draws=_HARD_PROBLEMS)
def build_hard_problems(data: Records, lang: str = "zh") -> go.Figure:
    """The four hard problems in four panels: transport milestones (2016, 2019) on a time line;
    drought years as a share of the record, against the saying 十年九旱 (90 %); illness as an
    open-ended "60 % or more"; weak industry, which the text states without a number.

    Each panel uses the form its figure allows. The drought record is "the past 55 years" (近55年
    framing its clause); each share is drawn as a range bar from that reading to the other one,
    "nearly 55 years", which allows a shorter record: the multi-county share reaches nine-in-ten,
    the citywide one does not on either reading.
    """
    from ziyang_lib.truth.metrics import Interval

    i = data
    c = "precision.charts.hard_problems"
    fig = make_subplots(
        rows=4,
        cols=1,
        vertical_spacing=0.1,
        row_heights=[0.28, 0.34, 0.2, 0.18],
        subplot_titles=[
            _small_title(t(f"{c}.panel_{k}", lang))
            for k in ("transport", "drought", "illness", "industry")
        ],
    )
    # 1 transport
    roads = [i["dual_expressway_year"], i["first_class_highway_year"]]
    fig.add_trace(
        go.Scatter(
            x=[int(r.value) for r in roads],
            y=[0, 0],
            mode="markers+text",
            marker={"size": 14, "color": theme.COLORS["stated"], "symbol": "diamond"},
            text=[theme.wrap_html(r.label(lang), 26) for r in roads],
            textposition=["top center", "bottom left"],
            cliponaxis=False,
            textfont={"size": theme.SMALL_FONT},
            showlegend=False,
            hovertext=[marks.hover(r, lang) for r in roads],
            hoverinfo="text",
        ),
        row=1,
        col=1,
    )
    first_year = int(roads[0].value) - 4
    fig.update_xaxes(
        range=[first_year - 0.5, int(roads[-1].value) + 1.5], dtick=2, tickangle=0, row=1, col=1
    )
    fig.update_yaxes(visible=False, range=[-3.4, 2.6], row=1, col=1)
    # 2 drought: years / record, from "the past 55 years" to the "nearly 55 years" reading
    record = i["drought_record_years"]
    span = Interval.from_indicator(SimpleNamespace(value=record.value, qualifier="nearly"))
    measures = [i["full_drought_years"], i["multi_county_drought_years"]]
    lows = [m.value / span.high * 100 for m in measures]
    highs = [m.value / max(span.low, m.value) * 100 for m in measures]
    cats = [theme.wrap_html(m.label(lang), 20) for m in measures]
    hovers = [
        f"{marks.hover(m, lang)}<br>{theme.escape(t(f'{c}.drought_share', lang, years=fmt.quantity(m, lang), record=fmt.quantity(record, lang), low=fmt.percent(lo / 100, lang), high=fmt.percent(hi / 100, lang)))}"  # noqa: E501
        for m, lo, hi in zip(measures, lows, highs, strict=True)
    ]
    fig.add_trace(
        marks.range_bar(cats, lows, highs, name=t(f"{c}.drought_range", lang), hovertext=hovers),
        row=2,
        col=1,
    )
    for cat, lo, hi in zip(cats, lows, highs, strict=True):
        span_text = t(
            f"{c}.range_text",
            lang,
            low=fmt.percent(lo / 100, lang),
            high=fmt.percent(hi / 100, lang),
        )
        _left_label(
            fig, cat, f"{cat}<br>{theme.escape(span_text)}", axes=("x2", "y2"), align="left"
        )
    fig.add_vline(
        x=NINE_IN_TEN * 100,
        line={"dash": "dash", "color": theme.COLORS["modelled"]},
        row=2,
        col=1,
    )
    fig.add_annotation(  # at the panel's top, clear of the two bars (the browser test checks)
        x=NINE_IN_TEN * 100,
        y=1,
        yref="y2 domain",
        xref="x2",
        text=theme.escape(t(f"{c}.saying", lang)),
        showarrow=False,
        xanchor="right",
        yanchor="top",
        xshift=-4,
        font={"size": theme.SMALL_FONT, "color": theme.COLORS["modelled"]},
    )
    fig.update_xaxes(range=[0, 100], ticksuffix="%", row=2, col=1)
    fig.update_yaxes(showticklabels=False, row=2, col=1)
    # 3 illness: open-ended share
    illness = i["illness_poverty_share"]
    _value_bar(fig, illness, lang, 3, top=100)
    fig.update_xaxes(visible=True, ticksuffix="%", row=3, col=1)
    # 4 industry: no figure in the text
    low, high = fig.layout.yaxis4.domain
    fig.add_annotation(
        x=0.5,
        y=low + 0.35 * (high - low),
        xref="paper",
        yref="paper",
        showarrow=False,
        text=theme.wrap_html(t(f"{c}.industry_note", lang), 48),
        font={"size": theme.SMALL_FONT, "color": theme.COLORS["muted"]},
    )
    _hide_axes(fig, 4)
    fig.update_layout(height=600, margin={"l": 12, "r": 16}, showlegend=False)
    fig.update_yaxes(automargin=True)
    return theme.finish(fig, t(f"{c}.title", lang), axis_px=24)


_MEASURES = "village_budget_min roads_built water_projects new_agri_entities specialty_agri_area"


@chart("measures", page=NOTEBOOK, draws=_MEASURES)
def build_measures(data: Records, lang: str = "zh") -> go.Figure:
    """What was built and fostered: ≥ 2 million yuan per poor village, 1,300 km of roads,
    1,600+ water projects, 5,900+ farm businesses, 318,000 mu of specialty farming.

    Small multiples, one bar per measure on its own scale, because the units differ (yuan, km,
    projects, businesses, mu) and one axis would compare the incomparable. "More than" and
    "at least" figures carry a dotted extension and a triangle: the bar is a floor.
    """
    ids = (
        "village_budget_min",
        "roads_built",
        "water_projects",
        "new_agri_entities",
        "specialty_agri_area",
    )
    i = data
    c = "precision.charts.measures"
    fig = make_subplots(
        rows=len(ids),
        cols=1,
        vertical_spacing=0.12,  # room for a two-line panel title on a phone
        subplot_titles=[_small_title(i[x].label(lang)) for x in ids],
    )
    for row, ident in enumerate(ids, start=1):
        _value_bar(fig, i[ident], lang, row, top=i[ident].value * 1.35)
    for annotation in fig.layout.annotations:
        if annotation.text and annotation.text.startswith("<span"):
            annotation.update(x=0, xanchor="left", align="left")
    fig.update_layout(height=100 * len(ids), margin={"l": 12, "r": 12}, showlegend=False)
    return theme.finish(fig, t(f"{c}.title", lang), subtitle=t(f"{c}.subtitle", lang), axis_px=8)


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


@chart("industry_models", page=NOTEBOOK, draws="term(十大产业扶贫模式)")
def build_industry_models(data: Records, lang: str = "zh") -> go.Figure:
    """The "ten industry-based poverty-alleviation models": the four the text names, and six
    it does not.

    A grid of ten cells, because the point is the proportion of what is described: four
    named (hover gives the sentence), six left blank rather than guessed.
    """
    c = "precision.charts.industry_models"
    entry = data.term("十大产业扶贫模式")
    total, named = industry_models(entry, lang)
    source = data.source
    quote = marks.quote_lines(source.sentence(int(entry["start"]), int(entry["end"])))
    cols = 2
    xs = [k % cols for k in range(total)]
    ys = [-(k // cols) for k in range(total)]
    labels = named + [t(f"{c}.unnamed", lang)] * (total - len(named))
    colors = [theme.COLORS["stated"]] * len(named) + [theme.COLORS["grid"]] * (total - len(named))
    fig = go.Figure(
        go.Scatter(
            x=xs,
            y=ys,
            mode="markers+text",
            marker={"symbol": "square", "size": 40, "color": colors},
            text=[theme.wrap_html(label, 22) for label in labels],
            textposition="middle right",
            textfont={"size": theme.SMALL_FONT},
            hovertext=[f"<b>{theme.escape(label)}</b><br>{quote}" for label in labels],
            hoverinfo="text",
            showlegend=False,
        )
    )
    fig.update_layout(
        height=60 * (total // cols) + 20,
        margin={"l": 12, "r": 12},
        xaxis={"visible": False, "range": [-0.15, cols]},
        yaxis={"visible": False, "range": [min(ys) - 0.6, 0.6]},
    )
    subtitle = t(
        f"{c}.subtitle", lang, named=fmt.number(len(named), lang), total=fmt.number(total, lang)
    )
    return theme.finish(fig, t(f"{c}.title", lang), subtitle=subtitle, axis_px=8)
