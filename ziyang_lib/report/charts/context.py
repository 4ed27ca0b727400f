"""Charts of notebook 04_context: Ziyang against Sichuan and China, like with like.

Each builder names its sources in a footnote (`SOURCES` lists the figures each chart shows),
marks single-sourced figures, draws plans and modelled paths as such, and takes every word from
``catalogue/context.yaml``.
"""

from __future__ import annotations

import math
import os
import re
from datetime import date
from typing import Any

import plotly.graph_objects as go

from ziyang_lib.report import fmt, theme
from ziyang_lib.report.charts.registry import register
from ziyang_lib.report.context_text import resolve, sources_text
from ziyang_lib.report.text import check_lang, t
from ziyang_lib.truth.context import ContextFigure, figure

NOTEBOOK = "04_context"
DataDir = str | os.PathLike[str] | None
EXTERNAL = theme.COLORS["accent"]
ZIYANG = theme.COLORS["stated"]
SHARE_PLOT_HEIGHT = 280  # px: two bars need less than the default plot height
SHARE_AXIS_FACTOR = 3.5  # the share axis runs to this multiple of the largest share (room for text)
X_PAD_DAYS = 75  # room for the point labels at both ends of a date axis

#: The figures (context ids and indicator ids) each chart shows; its footnote names their sources.
SOURCES: dict[str, tuple[str, ...]] = {
    "registered_poor_share": (
        "sc_registered_poor_2013",
        "sc_poor_villages",
        "poor_population",
        "poor_villages",
    ),
    "income_growth": (
        "cn_registered_poor_income_2015",
        "cn_registered_poor_income_2020",
        "poor_income_2013",
        "poor_income_2019",
    ),
    "national_rural_poor": tuple(f"cn_rural_poor_{y}" for y in range(2012, 2021))
    + tuple(f"cn_poverty_incidence_{y}" for y in range(2012, 2020)),
    "sichuan_poor_counties": tuple(f"sc_county_exits_{y}" for y in range(2016, 2021))
    + ("sc_poor_counties", "zy_designated_poor_counties"),
    "village_exits": (
        "zy_villages_exited_mid2018",
        "zy_villages_plan_2018",
        "zy_villages_plan_2019",
        "poor_villages",
    ),
    "funds_discrepancy": (
        "zy_funds_2020_03",
        "special_funds_total",
        "fiscal_special_funds",
        "sectoral_special_funds",
    ),
}


# --- helpers ----------------------------------------------------------------------------------


def _figs(chart_id: str, data_dir: DataDir) -> dict[str, Any]:
    return {i: figure(i, data_dir) for i in SOURCES[chart_id]}


def _label(fig: Any, lang: str) -> str:
    """A figure's label, with the single-source mark where it applies."""
    mark = t("context.single_source_mark", lang) if _single(fig) else ""
    return fig.label(lang) + mark


def _single(fig: Any) -> bool:
    return isinstance(fig, ContextFigure) and fig.single_sourced


def _hover(fig: Any, lang: str, extra: str = "") -> str:
    """Bold label, the formatted quantity, its period and (for context figures) its producer."""
    lines = [f"<b>{theme.escape(_label(fig, lang))}</b>", theme.escape(fmt.quantity(fig, lang))]
    if isinstance(fig, ContextFigure):
        lines.append(theme.escape(t("context.hover.period", lang, period=fig.period_in(lang))))
        lines.append(
            theme.escape(t("context.hover.producer", lang, producer=fig.producer_in(lang)))
        )
        if fig.kind != "stated":
            lines.append(theme.escape(t(f"context.kind.{fig.kind}", lang)))
    if extra:
        lines.append(theme.escape(extra))
    return "<br>".join(lines)


def _scale(kind: str, lang: str) -> tuple[float, str]:
    """Divisor and axis unit for a value axis: people (万人 / million people) or money."""
    return 10 ** int(t(f"context.axis.{kind}.power", lang)), t(f"context.axis.{kind}.unit", lang)


def _years(lang: str, data_dir: DataDir, **ids: str) -> dict[str, str]:
    """Formatted years of figures, by slot name: ``_years(lang, d, sc_year="sc_poor_villages")``."""
    return {name: resolve(f"year({ident})", lang, data_dir) for name, ident in ids.items()}


def _finish(
    fig: go.Figure, chart_id: str, lang: str, data_dir: DataDir, **values: str
) -> go.Figure:
    """Title, subtitle and the footnote (the chart's caveat, then its sources); `values` fill
    the placeholders of these texts."""
    note = t(f"context.chart.{chart_id}.note", lang, **values)
    return theme.finish(
        fig,
        t(f"context.chart.{chart_id}.title", lang, **values),
        note + " " + sources_text(SOURCES[chart_id], lang, data_dir),
        subtitle=t(f"context.chart.{chart_id}.subtitle", lang, **values),
    )


def _shift(day: date, days: int) -> str:
    return date.fromordinal(day.toordinal() + days).isoformat()


def _period_end(period: str) -> date:
    """Last day a period names: 'end-2019'/'2019' → 2019-12-31, '2015 to 2018-06' → 2018-06-30."""
    months = re.findall(r"(\d{4})-(\d{2})(?!\d)", period)
    if months:
        y, m = map(int, months[-1])
        nxt = date(y + (m == 12), m % 12 + 1, 1)
        return date.fromordinal(nxt.toordinal() - 1)
    return date(int(re.findall(r"\d{4}", period)[-1]), 12, 31)


# --- 1. Ziyang's share of Sichuan's registered poor and poor villages --------------------------


@register(NOTEBOOK, "registered_poor_share")
def registered_poor_share(lang: str = "zh", data_dir: DataDir = None) -> go.Figure:
    """Ziyang's registered poor and poor villages as percentages of Sichuan's.

    Category names sit on the bars (no y-axis labels), so the chart fits a phone."""
    check_lang(lang)
    f = _figs("registered_poor_share", data_dir)
    pairs = [
        ("people", f["poor_population"], f["sc_registered_poor_2013"]),
        ("villages", f["poor_villages"], f["sc_poor_villages"]),
    ]
    rows = [t(f"context.chart.registered_poor_share.{key}", lang) for key, _, _ in pairs]
    shares = [part.value / whole.value * 100 for _, part, whole in pairs]
    texts = [
        resolve(f"share({part_id},{whole_id})", lang, data_dir)
        for part_id, whole_id in (
            ("poor_population", "sc_registered_poor_2013"),
            ("poor_villages", "sc_poor_villages"),
        )
    ]
    hovers = [
        f"{_hover(part, lang)}<br>—<br>{_hover(whole, lang)}<br>= {theme.escape(text)}"
        for (_, part, whole), text in zip(pairs, texts, strict=True)
    ]
    fig = go.Figure()
    fig.add_bar(
        y=rows,
        x=shares,
        orientation="h",
        name=t("context.chart.registered_poor_share.ziyang", lang),
        marker_color=ZIYANG,
        text=[
            theme.escape(t("context.chart.registered_poor_share.row", lang, label=row, share=x))
            for row, x in zip(rows, texts, strict=True)
        ],
        textposition="outside",
        cliponaxis=False,
        hovertext=hovers,
        hoverinfo="text",
    )
    top = math.ceil(max(shares) * SHARE_AXIS_FACTOR / 5) * 5
    fig.update_layout(
        xaxis={"title": t("context.chart.registered_poor_share.axis", lang), "range": [0, top]},
        yaxis={"autorange": "reversed", "showticklabels": False},
        showlegend=False,
        height=SHARE_PLOT_HEIGHT,
    )
    years = _years(lang, data_dir, sc_year="sc_registered_poor_2013", zy_year="poor_population")
    return _finish(fig, "registered_poor_share", lang, data_dir, **years)


# --- 2. Income of the registered poor: Ziyang 2013-2019 vs China 2015-2020 ---------------------


def _income_series(
    fig: go.Figure, start: Any, end: Any, name: str, color: str, lang: str, rate: str
) -> None:
    """Stated endpoints as markers, the constant-growth path between them as a modelled line."""
    from ziyang_lib.truth.context import year_of
    from ziyang_lib.truth.metrics import interpolate_compound

    y0, y1 = year_of(start), year_of(end)
    path = interpolate_compound(start.value, y0, end.value, y1)
    # The modelled path is explained by the subtitle and its hover; the legend shows the series.
    fig.add_trace(
        theme.modelled_line(
            path["year"],
            path["value"],
            lang=lang,
            name=name,
            line={"color": color, "dash": "dash", "width": 2},
            hovertemplate=t("context.chart.income_growth.path_hover", lang),
            legendgroup=name,
            showlegend=False,
        )
    )
    fig.add_scatter(
        x=[y0, y1],
        y=[start.value, end.value],
        mode="markers+text",
        name=name,
        legendgroup=name,
        marker={"color": color, "size": 11},
        text=[theme.escape(fmt.number(v, lang)) for v in (start.value, end.value)],
        textposition=["bottom right", "top left"],
        cliponaxis=False,
        hovertext=[_hover(start, lang), _hover(end, lang, extra=rate)],
        hoverinfo="text",
    )


@register(NOTEBOOK, "income_growth")
def income_growth(lang: str = "zh", data_dir: DataDir = None) -> go.Figure:
    """Net income of the registered poor: Ziyang 2013→2019 against China 2015→2020."""
    check_lang(lang)
    f = _figs("income_growth", data_dir)
    series = [
        ("ziyang", "poor_income_2013", "poor_income_2019", ZIYANG),
        ("china", "cn_registered_poor_income_2015", "cn_registered_poor_income_2020", EXTERNAL),
    ]
    fig = go.Figure()
    for key, start_id, end_id, color in series:
        start, end = f[start_id], f[end_id]
        rate = resolve(f"cagr({start_id},{end_id})", lang, data_dir)
        name = t(
            f"context.chart.income_growth.{key}",
            lang,
            start=resolve(f"year({start_id})", lang, data_dir),
            end=resolve(f"year({end_id})", lang, data_dir),
            rate=rate,
            mark=t("context.single_source_mark", lang) if _single(start) else "",
        )
        _income_series(fig, start, end, name, color, lang, rate_text(rate, lang))
    fig.update_layout(
        xaxis={"title": t("context.axis.year", lang), "dtick": 1, "tickformat": "d"},
        yaxis={
            "title": t("context.axis.yuan_per_person", lang),
            "rangemode": "tozero",
            "tickformat": t("context.axis.integer_format", lang),
        },
    )
    years = _years(
        lang,
        data_dir,
        zy_start="poor_income_2013",
        zy_end="poor_income_2019",
        cn_start="cn_registered_poor_income_2015",
        cn_end="cn_registered_poor_income_2020",
    )
    return _finish(fig, "income_growth", lang, data_dir, **years)


def rate_text(rate: str, lang: str) -> str:
    """'19.2% a year (compound, from the two endpoints)'."""
    return t("context.chart.income_growth.rate", lang, rate=rate)


# --- 3. China's rural poor (NBS survey) and poverty incidence, 2012-2020 -----------------------


@register(NOTEBOOK, "national_rural_poor")
def national_rural_poor(lang: str = "zh", data_dir: DataDir = None) -> go.Figure:
    """NBS survey count of China's rural poor (bars) under poverty incidence (line), 2012-2020."""
    from plotly.subplots import make_subplots

    check_lang(lang)
    f = _figs("national_rural_poor", data_dir)
    divisor, unit = _scale("people", lang)
    poor = [v for k, v in f.items() if k.startswith("cn_rural_poor_")]
    incidence = [v for k, v in f.items() if k.startswith("cn_poverty_incidence_")]
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.35, 0.65],
                        vertical_spacing=0.06)  # fmt: skip
    fig.add_scatter(
        x=[p.year for p in incidence],
        y=[p.value for p in incidence],
        mode="lines+markers+text",
        name=t("context.chart.national_rural_poor.incidence", lang),
        line={"color": theme.COLORS["text"], "width": 2},
        marker={
            "size": 9,
            "symbol": ["circle-open" if p.single_sourced else "circle" for p in incidence],
            "color": theme.COLORS["text"],
        },
        text=[theme.escape(fmt.quantity(p, lang)) for p in incidence],
        textposition="top right",
        hovertext=[_hover(p, lang) for p in incidence],
        hoverinfo="text",
        row=1,
        col=1,
    )
    fig.add_bar(
        x=[p.year for p in poor],
        y=[p.value / divisor for p in poor],
        name=t("context.chart.national_rural_poor.poor", lang, unit=unit),
        marker={
            "color": EXTERNAL,
            "pattern": {"shape": ["/" if p.kind == "derived" else "" for p in poor]},
        },
        text=[theme.escape(fmt.number(p.value / divisor, lang)) for p in poor],
        textposition="outside",
        hovertext=[_hover(p, lang) for p in poor],
        hoverinfo="text",
        row=2,
        col=1,
    )
    top = max(p.value for p in incidence)
    fig.update_yaxes(title_text="%", range=[0, top * 1.35], row=1, col=1)
    fig.update_yaxes(title_text=unit, rangemode="tozero", tickformat="d", row=2, col=1)
    fig.update_yaxes(range=[0, max(p.value for p in poor) / divisor * 1.15], row=2, col=1)
    fig.update_xaxes(dtick=1, row=2, col=1, title_text=t("context.axis.year_end", lang))
    return _finish(
        fig,
        "national_rural_poor",
        lang,
        data_dir,
        **_years(lang, data_dir, zero_year="cn_rural_poor_2020"),
    )


# --- 4. Sichuan's 88 poor counties by year of exit; none in Ziyang ----------------------------


@register(NOTEBOOK, "sichuan_poor_counties")
def sichuan_poor_counties(lang: str = "zh", data_dir: DataDir = None) -> go.Figure:
    """Sichuan's designated poor counties exiting each year, adding up to its 88; Ziyang: 0."""
    check_lang(lang)
    f = _figs("sichuan_poor_counties", data_dir)
    exits = [v for k, v in f.items() if k.startswith("sc_county_exits_")]
    total, ziyang = f["sc_poor_counties"], f["zy_designated_poor_counties"]
    running, cumulative = 0.0, []
    for e in exits:
        running += e.value
        cumulative.append(running)
    fig = go.Figure()
    fig.add_bar(
        x=[e.year for e in exits],
        y=[e.value for e in exits],
        name=t("context.chart.sichuan_poor_counties.exits", lang),
        marker_color=EXTERNAL,
        text=[theme.escape(fmt.number(e.value, lang)) for e in exits],
        textposition="outside",
        hovertext=[_hover(e, lang) for e in exits],
        hoverinfo="text",
    )
    fig.add_scatter(
        x=[e.year for e in exits],
        y=cumulative,
        mode="lines+markers",
        name=t("context.chart.sichuan_poor_counties.cumulative", lang),
        line={"color": theme.COLORS["text"], "width": 2},
        hovertemplate="%{x}: %{y}<extra></extra>",
    )
    fig.add_hline(
        y=total.value,
        line={"color": theme.COLORS["muted"], "dash": "dot"},
        annotation_text=theme.escape(
            t(
                "context.chart.sichuan_poor_counties.total",
                lang,
                label=total.label(lang),
                n=fmt.quantity(total, lang),
            )
        ),
        annotation_position="top left",
    )
    fig.add_annotation(
        x=0.02,
        y=0.6,
        xref="paper",
        yref="paper",
        xanchor="left",
        showarrow=False,
        align="left",
        bgcolor="rgba(255,255,255,0.85)",
        bordercolor=ZIYANG,
        text=theme.escape(
            t(
                "context.chart.sichuan_poor_counties.ziyang",
                lang,
                n=fmt.quantity(ziyang, lang),
            )
        ),
        font={"color": ZIYANG},
    )
    fig.update_layout(
        xaxis={"title": t("context.axis.year", lang), "dtick": 1},
        yaxis={"title": t("context.axis.counties", lang), "rangemode": "tozero", "dtick": 20},
    )
    years = _years(
        lang, data_dir, first_year="sc_county_exits_2016", last_year="sc_county_exits_2020"
    )
    return _finish(fig, "sichuan_poor_counties", lang, data_dir, **years)


# --- 5. Ziyang's poor villages exited: mid-2018 report, plans, outcome -------------------------


@register(NOTEBOOK, "village_exits")
def village_exits(lang: str = "zh", data_dir: DataDir = None) -> go.Figure:
    """Cumulative poor villages exited: mid-2018 actual, the 2018/2019 plans (dashed), end-2019."""
    check_lang(lang)
    f = _figs("village_exits", data_dir)
    years = _years(
        lang,
        data_dir,
        report_year="zy_villages_exited_mid2018",
        plan_year="zy_villages_plan_2018",
        total_year="poor_villages",
    )
    mid, plan18, plan19, total = (
        f["zy_villages_exited_mid2018"],
        f["zy_villages_plan_2018"],
        f["zy_villages_plan_2019"],
        f["poor_villages"],
    )
    plan_x = [_period_end(p.period) for p in (mid, plan18, plan19)]
    plan_y = [mid.value, mid.value + plan18.value, mid.value + plan18.value + plan19.value]
    plan_hover = [
        _hover(mid, lang),
        _hover(
            plan18,
            lang,
            extra=t(
                "context.chart.village_exits.sum",
                lang,
                a=fmt.number(mid.value, lang),
                b=fmt.number(plan18.value, lang),
                n=fmt.number(plan_y[1], lang),
            ),
        ),
        _hover(
            plan19,
            lang,
            extra=t(
                "context.chart.village_exits.sum",
                lang,
                a=fmt.number(plan_y[1], lang),
                b=fmt.number(plan19.value, lang),
                n=fmt.number(plan_y[2], lang),
            ),
        ),
    ]
    fig = go.Figure()
    fig.add_scatter(
        x=plan_x,
        y=plan_y,
        mode="lines+markers+text",
        name=t("context.chart.village_exits.plan", lang, **years),
        line={"color": theme.COLORS["muted"], "dash": "dash", "width": 2},
        marker={"symbol": "circle-open", "size": 12, "color": theme.COLORS["muted"]},
        text=[
            "",
            theme.escape(
                t("context.chart.village_exits.plan_point", lang, n=fmt.number(plan_y[1], lang))
            ),
            "",
        ],
        textposition="bottom right",
        hovertext=plan_hover,
        hoverinfo="text",
    )
    actual = [(mid, _period_end(mid.period)), (total, _period_end(total.period))]
    fig.add_scatter(
        x=[x for _, x in actual],
        y=[a.value for a, _ in actual],
        mode="markers+text",
        name=t("context.chart.village_exits.actual", lang),
        marker={"color": ZIYANG, "size": 12},
        text=[theme.escape(fmt.quantity(a, lang)) for a, _ in actual],
        textposition=["bottom right", "top left"],
        hovertext=[_hover(a, lang) for a, _ in actual],
        hoverinfo="text",
    )
    fig.update_layout(
        xaxis={
            "title": t("context.axis.date", lang),
            "tickformat": "%Y-%m",
            "range": [_shift(plan_x[0], -X_PAD_DAYS), _shift(plan_x[-1], X_PAD_DAYS)],
        },
        yaxis={"title": t("context.axis.villages_cumulative", lang), "rangemode": "tozero"},
    )
    return _finish(fig, "village_exits", lang, data_dir, **years)


# --- 6. Funds: 35.62亿 (2020-03) vs 47.36亿 (2020-10) -----------------------------------------


@register(NOTEBOOK, "funds_discrepancy")
def funds_discrepancy(lang: str = "zh", data_dir: DataDir = None) -> go.Figure:
    """The March 2020 report's funds figure against the October summary's, with its two parts."""
    check_lang(lang)
    f = _figs("funds_discrepancy", data_dir)
    march, total = f["zy_funds_2020_03"], f["special_funds_total"]
    fiscal, sectoral = f["fiscal_special_funds"], f["sectoral_special_funds"]
    divisor, unit = _scale("money", lang)
    x = [
        t("context.chart.funds_discrepancy.march", lang,
          date=resolve("date(zy_funds_2020_03)", lang, data_dir)),
        t("context.chart.funds_discrepancy.october", lang),
    ]  # fmt: skip
    fig = go.Figure()
    fig.add_bar(
        x=[x[0]],
        y=[march.value / divisor],
        name=theme.escape(_label(march, lang)),
        marker={"color": theme.COLORS["muted"]},
        text=[theme.escape(fmt.number(march.value / divisor, lang))],
        textposition="outside",
        hovertext=[_hover(march, lang)],
        hoverinfo="text",
    )
    for part, color in ((fiscal, ZIYANG), (sectoral, theme.PALETTE[4])):
        fig.add_bar(
            x=[x[1]],
            y=[part.value / divisor],
            name=theme.escape(part.label(lang)),
            marker_color=color,
            text=[theme.escape(fmt.number(part.value / divisor, lang))],
            textposition="inside",
            textangle=0,
            hovertext=[_hover(part, lang)],
            hoverinfo="text",
        )
    gap = resolve("diff(special_funds_total,zy_funds_2020_03)", lang, data_dir)
    fig.add_annotation(
        x=x[1],
        y=total.value / divisor,
        text=theme.escape(
            t("context.chart.funds_discrepancy.total", lang, n=fmt.quantity(total, lang), gap=gap)
        ).replace("\n", "<br>"),
        showarrow=False,
        yanchor="bottom",
    )
    fig.update_layout(
        barmode="stack",
        yaxis={"title": unit, "rangemode": "tozero", "range": [0, total.value / divisor * 1.2]},
    )
    return _finish(fig, "funds_discrepancy", lang, data_dir)
