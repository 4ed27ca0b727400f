"""Charts of notebook 02 (precision measures): the four hard problems, measures and outcomes."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ziyang_lib.report import fmt, narrative, theme
from ziyang_lib.report.charts.registry import register
from ziyang_lib.report.text import t

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


def _small_title(text: str) -> str:
    """A panel title, wrapped to fit a phone."""
    lines = theme.wrap_html(text, PANEL_TITLE_WIDTH)
    return f"<span style='font-size:{theme.BASE_FONT}px'>{lines}</span>"


def _value_bar(fig: go.Figure, ind: Any, lang: str, row: int, *, top: float) -> None:
    """One indicator as a bar on its own axis [0, top]; open-ended values get a dotted
    extension with a triangle, at-most values are drawn as the range [0, v]."""
    text = theme.escape(fmt.quantity(ind, lang))
    hover = narrative.hover(ind, lang)
    if ind.qualifier == "at_most":
        fig.add_trace(
            theme.range_bar([""], [0.0], [ind.value], name=text, hovertext=[hover]), row=row, col=1
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
        fig.add_trace(
            go.Bar(
                x=[ind.value],
                y=[""],
                orientation="h",
                name=text,
                showlegend=False,
                marker={"color": theme.COLORS["stated"]},
                hovertext=[hover],
                hoverinfo="text",
                text=[text],
                textposition="auto",
                insidetextanchor="start",
                textangle=0,
            ),
            row=row,
            col=1,
        )
        if ind.qualifier in OPEN:
            for trace in theme.open_ended(
                ind.value, "", lang=lang, hovertext=hover, color=theme.COLORS["range"]
            ):
                fig.add_trace(trace, row=row, col=1)
    fig.update_xaxes(range=[0, top], visible=False, row=row, col=1)
    fig.update_yaxes(visible=False, row=row, col=1)


@register(NOTEBOOK, "hard_problems")
def build_hard_problems(lang: str = "zh", data_dir: Any = None) -> go.Figure:
    """The four hard problems in four panels: transport milestones (2016, 2019) on a time line;
    drought years as a share of the record, against the saying 十年九旱 (90 %); illness as an
    open-ended "60 % or more"; weak industry, which the text states without a number.

    Each panel uses the form its figure allows. The drought record is "the past 55 years" (近55年
    framing its clause); each share is drawn as a range bar from that reading to the other one,
    "nearly 55 years", which allows a shorter record: the multi-county share reaches nine-in-ten,
    the citywide one does not on either reading.
    """
    from ziyang_lib.truth.metrics import Interval

    ids = (
        "dual_expressway_year",
        "first_class_highway_year",
        "drought_record_years",
        "full_drought_years",
        "multi_county_drought_years",
        "illness_poverty_share",
    )
    i = narrative.indicators(*ids, data_dir=data_dir)
    c = "charts.hard_problems"
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
            hovertext=[narrative.hover(r, lang) for r in roads],
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
        f"{narrative.hover(m, lang)}<br>{theme.escape(t(f'{c}.drought_share', lang, years=fmt.quantity(m, lang), record=fmt.quantity(record, lang), low=fmt.percent(lo / 100, lang), high=fmt.percent(hi / 100, lang)))}"  # noqa: E501
        for m, lo, hi in zip(measures, lows, highs, strict=True)
    ]
    fig.add_trace(
        theme.range_bar(cats, lows, highs, name=t(f"{c}.drought_range", lang), hovertext=hovers),
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
        fig.add_annotation(
            x=0,
            y=cat,
            xref="x2",
            yref="y2",
            xanchor="left",
            showarrow=False,
            align="left",
            text=f"{cat}<br>{theme.escape(span_text)}",
            font={"size": theme.SMALL_FONT},
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
    note = narrative.footnote_text(ids, lang, data_dir)
    return theme.finish(fig, t(f"{c}.title", lang), note, axis_px=24)


@register(NOTEBOOK, "measures")
def build_measures(lang: str = "zh", data_dir: Any = None) -> go.Figure:
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
    i = narrative.indicators(*ids, data_dir=data_dir)
    c = "charts.measures"
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
    note = narrative.footnote_text(ids, lang, data_dir)
    return theme.finish(
        fig, t(f"{c}.title", lang), note, subtitle=t(f"{c}.subtitle", lang), axis_px=8
    )


def overlap_layout(a: float, b: float, whole: float, *, least: bool) -> dict[str, float]:
    """Place groups `a` and `b` inside `whole` with the least (or the most) overlap.

    `b` starts at 0. Least overlap pushes `a` to the end of the whole, leaving an overlap of
    a + b − whole (if positive); most overlap starts both at 0 (overlap min(a, b)). Returns the
    start of `a` and the overlap's start and length.
    """
    a_start = whole - a if least else 0.0
    overlap = max(0.0, b - a_start) if least else min(a, b)
    return {"a_start": a_start, "overlap_start": a_start, "overlap": overlap}


@register(NOTEBOOK, "outcomes_overlap")
def build_outcomes_overlap(lang: str = "zh", data_dir: Any = None) -> go.Figure:
    """190,000 people with industry/employment support and 56,000 with safety-net support,
    inside 236,000 registered poor: the two groups cannot be added.

    Bars on one people axis, placed inside the whole. The opening view pushes the two groups
    to opposite ends of the whole, and the part that still overlaps — at least 10,000
    people — is drawn in its own colour; a button shows the other extreme (all safety-net
    people also in the first group). The truth lies between; the text does not say where.
    """
    ids = ("industry_employment_support", "safety_net_support", "poor_population")
    i = narrative.indicators(*ids, data_dir=data_dir)
    c = "charts.outcomes_overlap"
    a, b, whole = (i[x] for x in ids)
    labels = [x.label(lang) for x in (whole, a, b)] + [t(f"{c}.overlap", lang)]
    rows = [str(k) for k in range(len(labels))]
    overlap_row = rows[3]
    views = {
        least: overlap_layout(a.value, b.value, whole.value, least=least) for least in (True, False)
    }
    unit = fmt.unit(whole, lang)

    def overlap_text(view: dict[str, float]) -> str:
        """The overlap bar's label keeps what it is: a derived bound (at least / at most)."""
        bound = "least" if view is views[True] else "most"
        n = fmt.number(view["overlap"], lang, unit)
        return t(f"{c}.overlap_{bound}", lang, n=n)

    first = views[True]
    fig = go.Figure()
    for row, ind, base, color in (
        (rows[0], whole, 0.0, theme.COLORS["muted"]),
        (rows[1], a, first["a_start"], theme.COLORS["stated"]),
        (rows[2], b, 0.0, theme.COLORS["accent"]),
    ):
        fig.add_trace(
            go.Bar(
                x=[ind.value],
                base=[base],
                y=[row],
                orientation="h",
                name=ind.label(lang),
                marker={"color": color},
                text=[theme.escape(fmt.quantity(ind, lang))],
                textposition="inside",
                insidetextanchor="middle",
                textangle=0,
                hovertext=[narrative.hover(ind, lang)],
                hoverinfo="text",
                showlegend=False,
            )
        )
    derived = narrative.resolve(
        "overlap(industry_employment_support,safety_net_support,poor_population)", lang, data_dir
    )
    fig.add_trace(
        go.Bar(
            x=[first["overlap"]],
            base=[first["overlap_start"]],
            y=[overlap_row],
            orientation="h",
            name=t(f"{c}.overlap", lang),
            meta={"role": "overlap"},
            marker={"color": theme.COLORS["modelled"]},
            text=[theme.escape(overlap_text(first))],
            textposition="outside",
            textangle=0,
            hovertext=[theme.escape(t(f"{c}.overlap_hover", lang, n=derived))],
            hoverinfo="text",
            showlegend=False,
            cliponaxis=False,
        )
    )

    def bounds(view: dict[str, float]) -> list[dict[str, Any]]:
        return [
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": x,
                "x1": x,
                "y0": 0,
                "y1": 1,
                "line": {"dash": "dot", "color": theme.COLORS["modelled"], "width": 1},
            }
            for x in (view["overlap_start"], view["overlap_start"] + view["overlap"])
        ]

    fig.update_layout(shapes=bounds(first))

    def view_args(view: dict[str, float]) -> list[Any]:
        return [
            {
                "base": [[0.0], [view["a_start"]], [0.0], [view["overlap_start"]]],
                "x": [[whole.value], [a.value], [b.value], [view["overlap"]]],
                "text": [[theme.escape(fmt.quantity(x, lang))] for x in (whole, a, b)]
                + [[theme.escape(overlap_text(view))]],
            },
            {"shapes": bounds(view)},
        ]

    theme.buttons(
        fig,
        [
            (t(f"{c}.button_least", lang), "update", view_args(views[True])),
            (t(f"{c}.button_most", lang), "update", view_args(views[False])),
        ],
    )
    plot_px = 380
    for row, label in zip(rows, labels, strict=True):
        fig.add_annotation(
            x=0,
            y=row,
            xref="x",
            yref="y",
            xanchor="left",
            yanchor="bottom",
            showarrow=False,
            yshift=plot_px / len(rows) * (1 - BARGAP) / 2,
            text=theme.escape(label),
            font={"size": theme.SMALL_FONT},
        )
    fig.update_layout(
        height=plot_px,
        barmode="overlay",
        bargap=BARGAP,
        margin={"l": 16, "r": 16},
        xaxis={"range": [0, whole.value * 1.02], "title": t(f"{c}.axis", lang, unit=unit)},
        yaxis={"autorange": "reversed", "showticklabels": False},
    )
    theme.number_axis(fig, whole.value, lang)
    note = narrative.footnote_text(ids, lang, data_dir)
    return theme.finish(fig, t(f"{c}.title", lang), note, subtitle=t(f"{c}.subtitle", lang))


@register(NOTEBOOK, "outcomes")
def build_outcomes(lang: str = "zh", data_dir: Any = None) -> go.Figure:
    """The stated outcomes: 3,774 people relocated, 24,000 poor pupils with no poverty
    dropout, 27,000 households' houses renovated, out-of-pocket medical costs at most 10 %.

    Small multiples. Relocated people and pupils are people, so they are drawn inside the
    236,000 registered poor (grey): relocation touched a small share, pupils about a tenth.
    Households have no stated whole and get their own scale; the cap "≤ 10 %" is a range from
    0 to 10 on a 0–100 % axis, so it reads as a ceiling rather than a value.
    """
    ids = (
        "relocated_people",
        "pupils_no_dropout",
        "houses_renovated",
        "out_of_pocket_share_max",
        "poor_population",
    )
    i = narrative.indicators(*ids, data_dir=data_dir)
    c = "charts.outcomes"
    whole = i["poor_population"]
    shown = ids[:4]
    fig = make_subplots(
        rows=len(shown),
        cols=1,
        vertical_spacing=0.12,
        subplot_titles=[_small_title(i[x].label(lang)) for x in shown],
    )
    for row, ident in enumerate(shown, start=1):
        ind = i[ident]
        if ident in PEOPLE_IN_WHOLE:
            share = narrative.resolve(f"share({ident},{whole.id})", lang, data_dir)
            fig.add_trace(
                go.Bar(
                    x=[whole.value],
                    y=[""],
                    orientation="h",
                    showlegend=False,
                    name=whole.label(lang),
                    marker={"color": theme.COLORS["grid"]},
                    text=[
                        theme.escape(
                            t(f"{c}.of_whole", lang, whole=fmt.quantity(whole, lang), share=share)
                        )
                    ],
                    textposition="inside",
                    insidetextanchor="end",
                    textangle=0,
                    hovertext=[narrative.hover(whole, lang)],
                    hoverinfo="text",
                ),
                row=row,
                col=1,
            )
            _value_bar(fig, ind, lang, row, top=whole.value * 1.02)
            fig.update_layout(barmode="overlay")
        elif ind.unit == fmt.PERCENT:
            _value_bar(fig, ind, lang, row, top=100)
            fig.update_xaxes(visible=True, ticksuffix="%", row=row, col=1)
        else:
            _value_bar(fig, ind, lang, row, top=ind.value * 1.35)
    for annotation in fig.layout.annotations:
        if annotation.text and annotation.text.startswith("<span"):
            annotation.update(x=0, xanchor="left", align="left")
    fig.update_layout(height=95 * len(shown), margin={"l": 12, "r": 12}, showlegend=False)
    note = narrative.footnote_text(ids, lang, data_dir)
    return theme.finish(
        fig, t(f"{c}.title", lang), note, subtitle=t(f"{c}.subtitle", lang), axis_px=32
    )


MODEL_PATTERNS = {
    "zh": re.compile(r"“([^”]+)”([^、。；;“”]+)"),
    "en": re.compile(r"'([^']+)' ([^,.;']+)"),
}


def industry_models(lang: str, data_dir: Any = None) -> tuple[int, list[str]]:
    """How many industry models the term names (十大 → 10) and the ones the text lists,
    read from the glossary entry of 十大产业扶贫模式 (ValueError if it cannot be read)."""
    entry = narrative.glossary_row("十大产业扶贫模式", data_dir)
    numeral = entry["term"][0]
    if numeral not in CN_NUMERALS:
        raise ValueError(f"cannot read the number of models from {entry['term']!r}")
    total = CN_NUMERALS.index(numeral) + 1
    named = [
        t("charts.industry_models.model_name", lang, quoted=q, rest=rest.strip())
        for q, rest in MODEL_PATTERNS[lang].findall(entry[f"explanation_{lang}"])
    ]
    if not 0 < len(named) <= total:
        raise ValueError(f"cannot read the named models from the glossary entry ({len(named)})")
    return total, [x.strip() for x in named]


@register(NOTEBOOK, "industry_models")
def build_industry_models(lang: str = "zh", data_dir: Any = None) -> go.Figure:
    """The "ten industry-based poverty-alleviation models": the four the text names, and six
    it does not.

    A grid of ten cells, because the point is the proportion of what is described: four
    named (hover gives the sentence), six left blank rather than guessed.
    """
    from ziyang_lib.truth.source import load_source

    c = "charts.industry_models"
    total, named = industry_models(lang, data_dir)
    entry = narrative.glossary_row("十大产业扶贫模式", data_dir)
    source = load_source(data_dir)
    quote = narrative.quote_lines(source.sentence(int(entry["start"]), int(entry["end"])))
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
    note = narrative.footnote_text([source.paragraph_of(int(entry["start"]))], lang, data_dir)
    subtitle = t(
        f"{c}.subtitle", lang, named=fmt.number(len(named), lang), total=fmt.number(total, lang)
    )
    return theme.finish(fig, t(f"{c}.title", lang), note, subtitle=subtitle, axis_px=8)
