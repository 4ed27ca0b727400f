"""Charts of notebook 04_context: Ziyang against Sichuan and China, like with like (the shares,
the income growth, China's rural poor); the other reports' figures are in `context_reports`.

Each chart's record lists the figures it shows (its source note names their producers),
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

from ziyang_lib.report import fmt, marks, provenance, theme
from ziyang_lib.report.charts.registry import chart
from ziyang_lib.report.provenance import resolve
from ziyang_lib.report.text import t
from ziyang_lib.truth.context import ContextFigure
from ziyang_lib.truth.metrics import Derived, growth_rate
from ziyang_lib.truth.records import Records

NOTEBOOK = "04_context"
DataDir = str | os.PathLike[str] | None
EXTERNAL = theme.COLORS["accent"]
ZIYANG = theme.COLORS["stated"]
SHARE_PLOT_HEIGHT = 280  # px: two bars need less than the default plot height
SHARE_AXIS_FACTOR = 3.5  # the share axis runs to this multiple of the largest share (room for text)
RATE_DIGITS = 1  # growth rates on this page are shown to one decimal
X_PAD_DAYS = 75  # room for the point labels at both ends of a date axis

# --- helpers ----------------------------------------------------------------------------------


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


def _years(lang: str, data: Records, **ids: str) -> dict[str, str]:
    """Formatted years of figures, by slot name: ``_years(lang, d, sc_year="sc_poor_villages")``."""
    return {name: resolve(f"year({ident})", lang, data.data_dir) for name, ident in ids.items()}


def _finish(fig: go.Figure, chart_id: str, lang: str, **values: str) -> go.Figure:
    """Title, subtitle and the chart's caveat (its sources follow it in a static export, see
    `Chart.build`); `values` fill the placeholders of these texts."""
    return theme.finish(
        fig,
        t(f"context.charts.{chart_id}.title", lang, **values),
        note=t(f"context.charts.{chart_id}.note", lang, **values),
        subtitle=t(f"context.charts.{chart_id}.subtitle", lang, **values),
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


_REGISTERED_POOR_SHARE = "sc_registered_poor_2013 sc_poor_villages poor_population poor_villages"


@chart("registered_poor_share", page=NOTEBOOK, draws=_REGISTERED_POOR_SHARE)
def registered_poor_share(data: Records, lang: str = "zh") -> go.Figure:
    """Ziyang's registered poor and poor villages as percentages of Sichuan's.

    Category names sit on the bars (no y-axis labels), so the chart fits a phone."""
    f = data
    pairs = [
        ("people", f["poor_population"], f["sc_registered_poor_2013"]),
        ("villages", f["poor_villages"], f["sc_poor_villages"]),
    ]
    rows = [t(f"context.charts.registered_poor_share.{key}", lang) for key, _, _ in pairs]
    shares = [part.value / whole.value * 100 for _, part, whole in pairs]
    texts = [
        resolve(f"share({part_id},{whole_id})", lang, data.data_dir)
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
        name=t("context.charts.registered_poor_share.ziyang", lang),
        marker_color=ZIYANG,
        text=[
            theme.escape(t("context.charts.registered_poor_share.row", lang, label=row, share=x))
            for row, x in zip(rows, texts, strict=True)
        ],
        textposition="outside",
        cliponaxis=False,
        hovertext=hovers,
        hoverinfo="text",
    )
    top = math.ceil(max(shares) * SHARE_AXIS_FACTOR / 5) * 5
    fig.update_layout(
        xaxis={"title": t("context.charts.registered_poor_share.axis", lang), "range": [0, top]},
        yaxis={"autorange": "reversed", "showticklabels": False},
        showlegend=False,
        height=SHARE_PLOT_HEIGHT,
    )
    years = _years(lang, data, sc_year="sc_registered_poor_2013", zy_year="poor_population")
    return _finish(fig, "registered_poor_share", lang, **years)


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
        marks.modelled_line(
            path["year"],
            path["value"],
            lang=lang,
            name=name,
            line={"color": color, "dash": "dash", "width": 2},
            hovertemplate=t("context.charts.income_growth.path_hover", lang),
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


_INCOME_GROWTH = (
    "cn_registered_poor_income_2015 cn_registered_poor_income_2020 poor_income_2013 "
    "poor_income_2019"
)


@chart("income_growth", page=NOTEBOOK, draws=_INCOME_GROWTH)
def income_growth(
    data: Records, lang: str = "zh", *, rates: dict[str, Derived] | None = None
) -> go.Figure:
    """Net income of the registered poor: Ziyang 2013→2019 against China 2015→2020; `rates`
    (``{"ziyang": …, "china": …}``) are the growth rates the page computed, if it did."""
    f = data
    series = [
        ("ziyang", "poor_income_2013", "poor_income_2019", ZIYANG),
        ("china", "cn_registered_poor_income_2015", "cn_registered_poor_income_2020", EXTERNAL),
    ]
    fig = go.Figure()
    for key, start_id, end_id, color in series:
        start, end = f[start_id], f[end_id]
        growth = (rates or {}).get(key) or growth_rate(start, end, digits=RATE_DIGITS)
        rate = provenance.text(growth, lang)
        name = t(
            f"context.charts.income_growth.{key}",
            lang,
            start=resolve(f"year({start_id})", lang, data.data_dir),
            end=resolve(f"year({end_id})", lang, data.data_dir),
            rate=rate,
            mark=t("context.single_source_mark", lang) if _single(start) else "",
        )
        _income_series(fig, start, end, name, color, lang, rate_text(rate, lang))
    fig.update_layout(
        xaxis={"title": t("context.axis.year", lang), "dtick": 1, "tickformat": "d"},
        yaxis={"title": t("context.axis.yuan_per_person", lang), "rangemode": "tozero"},
    )
    top = max(f[end_id].value for _, _, end_id, _ in series)
    marks.number_axis(fig, top, lang, axis="yaxis")
    years = _years(
        lang,
        data,
        zy_start="poor_income_2013",
        zy_end="poor_income_2019",
        cn_start="cn_registered_poor_income_2015",
        cn_end="cn_registered_poor_income_2020",
    )
    return _finish(fig, "income_growth", lang, **years)


def rate_text(rate: str, lang: str) -> str:
    """'19.2% a year (compound, from the two endpoints)'."""
    return t("context.charts.income_growth.rate", lang, rate=rate)


# --- 3. China's rural poor (NBS survey) and poverty incidence, 2012-2020 -----------------------


@chart(
    "national_rural_poor",
    page=NOTEBOOK,
    draws=tuple(f"cn_rural_poor_{y}" for y in range(2012, 2021))
    + tuple(f"cn_poverty_incidence_{y}" for y in range(2012, 2020)),
)
def national_rural_poor(data: Records, lang: str = "zh") -> go.Figure:
    """NBS survey count of China's rural poor (bars) under poverty incidence (line), 2012-2020."""
    from plotly.subplots import make_subplots

    f = data
    divisor, unit = _scale("people", lang)
    poor = [v for k, v in f.items() if k.startswith("cn_rural_poor_")]
    incidence = [v for k, v in f.items() if k.startswith("cn_poverty_incidence_")]
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.35, 0.65],
                        vertical_spacing=0.06)  # fmt: skip
    fig.add_scatter(
        x=[p.year for p in incidence],
        y=[p.value for p in incidence],
        mode="lines+markers+text",
        name=t("context.charts.national_rural_poor.incidence", lang),
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
        name=t("context.charts.national_rural_poor.poor", lang, unit=unit),
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
    most = max(p.value for p in poor) / divisor
    fig.update_yaxes(title_text=unit, range=[0, most * 1.15], row=2, col=1)
    marks.number_axis(fig, most, lang, axis="yaxis2")
    fig.update_xaxes(dtick=1, row=2, col=1, title_text=t("context.axis.year_end", lang))
    years = _years(lang, data, zero_year="cn_rural_poor_2020")
    return _finish(fig, "national_rural_poor", lang, **years)
