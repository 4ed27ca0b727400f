"""Charts of notebook 04_context from other reports: Sichuan's list of poor counties, the mid-2018
plan for Ziyang's poor villages, and the March 2020 funds figure (helpers in `context`)."""

from __future__ import annotations

import plotly.graph_objects as go

from ziyang_lib.report import fmt, marks, theme
from ziyang_lib.report.charts.context import (
    EXTERNAL,
    NOTEBOOK,
    X_PAD_DAYS,
    ZIYANG,
    _finish,
    _hover,
    _label,
    _period_end,
    _scale,
    _shift,
    _years,
)
from ziyang_lib.report.charts.registry import chart
from ziyang_lib.report.provenance import resolve
from ziyang_lib.report.text import t
from ziyang_lib.truth.records import Records

# --- 4. Sichuan's 88 poor counties by year of exit; none in Ziyang ----------------------------


@chart(
    "sichuan_poor_counties",
    page=NOTEBOOK,
    draws=tuple(f"sc_county_exits_{y}" for y in range(2016, 2021))
    + ("sc_poor_counties", "zy_designated_poor_counties"),
)
def sichuan_poor_counties(data: Records, lang: str = "zh") -> go.Figure:
    """Sichuan's designated poor counties exiting each year, adding up to its 88; Ziyang: 0."""
    f = data
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
        name=t("context.charts.sichuan_poor_counties.exits", lang),
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
        name=t("context.charts.sichuan_poor_counties.cumulative", lang),
        line={"color": theme.COLORS["text"], "width": 2},
        hovertemplate="%{x}: %{y}<extra></extra>",
    )
    fig.add_hline(
        y=total.value,
        line={"color": theme.COLORS["muted"], "dash": "dot"},
        annotation_text=theme.escape(
            t(
                "context.charts.sichuan_poor_counties.total",
                lang,
                label=total.label(lang),
                n=fmt.quantity(total, lang),
            )
        ),
        annotation_position="top left",
    )
    fig.update_layout(
        xaxis={"title": t("context.axis.year", lang), "dtick": 1},
        yaxis={
            "title": t("context.axis.counties", lang),
            "range": [0, total.value * 1.12],
        },
    )
    marks.number_axis(fig, total.value, lang, axis="yaxis")
    years = _years(lang, data, first_year="sc_county_exits_2016", last_year="sc_county_exits_2020")
    ziyang_text = t("context.charts.sichuan_poor_counties.ziyang", lang,
                    n=fmt.quantity(ziyang, lang))  # fmt: skip
    return _finish(fig, "sichuan_poor_counties", lang, ziyang=ziyang_text, **years)


# --- 5. Ziyang's poor villages exited: mid-2018 report, plans, outcome -------------------------


_EXITS = "zy_villages_exited_mid2018 zy_villages_plan_2018 zy_villages_plan_2019 poor_villages"


@chart("village_exits", page=NOTEBOOK, draws=_EXITS)
def village_exits(data: Records, lang: str = "zh") -> go.Figure:
    """Cumulative poor villages exited: mid-2018 actual, the 2018/2019 plans (dashed), end-2019."""
    f = data
    years = _years(
        lang,
        data,
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
                "context.charts.village_exits.sum",
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
                "context.charts.village_exits.sum",
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
        name=t("context.charts.village_exits.plan", lang, **years),
        line={"color": theme.COLORS["muted"], "dash": "dash", "width": 2},
        marker={"symbol": "circle-open", "size": 12, "color": theme.COLORS["muted"]},
        text=[
            "",
            theme.escape(
                t("context.charts.village_exits.plan_point", lang, n=fmt.number(plan_y[1], lang))
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
        name=t("context.charts.village_exits.actual", lang),
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
        yaxis={
            "title": t("context.axis.villages_cumulative", lang),
            "range": [0, total.value * 1.15],
        },
    )
    marks.number_axis(fig, total.value, lang, axis="yaxis")
    return _finish(fig, "village_exits", lang, **years)


# --- 6. Funds: 35.62亿 (2020-03) vs 47.36亿 (2020-10) -----------------------------------------


_FUNDS = "zy_funds_2020_03 special_funds_total fiscal_special_funds sectoral_special_funds"


@chart("funds_discrepancy", page=NOTEBOOK, draws=_FUNDS)
def funds_discrepancy(data: Records, lang: str = "zh") -> go.Figure:
    """The March 2020 report's funds figure against the October summary's, with its two parts."""
    f = data
    march, total = f["zy_funds_2020_03"], f["special_funds_total"]
    fiscal, sectoral = f["fiscal_special_funds"], f["sectoral_special_funds"]
    divisor, unit = _scale("money", lang)
    x = [
        t("context.charts.funds_discrepancy.march", lang,
          date=resolve("date(zy_funds_2020_03)", lang, data.data_dir)),
        t("context.charts.funds_discrepancy.october", lang),
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
    gap = resolve("diff(special_funds_total,zy_funds_2020_03)", lang, data.data_dir)
    fig.add_annotation(
        x=x[1],
        y=total.value / divisor,
        text=theme.escape(fmt.quantity(total, lang)),
        showarrow=False,
        yanchor="bottom",
    )
    top = total.value / divisor
    fig.update_layout(
        barmode="stack",
        yaxis={"title": unit, "range": [0, top * 1.2]},
    )
    marks.number_axis(fig, top, lang, axis="yaxis")
    return _finish(fig, "funds_discrepancy", lang, gap=gap)


# --- 7. The March 2020 report against the summary: funds, houses, pupils -----------------------

#: (item, the March 2020 report's figure, the October summary's) for each figure that differs.
MARCH_GAPS = (
    ("funds", "zy_funds_2020_03", "special_funds_total"),
    ("houses", "zy_houses_renovated_2020_03", "houses_renovated"),
    ("pupils", "zy_pupils_2020_03", "pupils_no_dropout"),
)


@chart("march_gaps", page=NOTEBOOK, draws=" ".join(i for _, *ids in MARCH_GAPS for i in ids))
def march_gaps(data: Records, lang: str = "zh") -> go.Figure:
    """Each figure the March 2020 report gives lower than the October summary, as a percentage
    of the summary's (which is drawn at 100 %): the funds, the houses renovated and the pupils.

    Item names sit on the bars (no y-axis labels), so the chart fits a phone."""
    c = "context.charts.march_gaps"
    rows, shares, texts, hovers = [], [], [], []
    for item, march_id, october_id in MARCH_GAPS:
        march, october = data[march_id], data[october_id]
        share = resolve(f"share({march_id},{october_id})", lang, data.data_dir)
        gap = resolve(f"diff({october_id},{march_id})", lang, data.data_dir)
        rows.append(t(f"{c}.item.{item}", lang))
        shares.append(march.value / october.value * 100)
        texts.append(t(f"{c}.bar", lang, item=rows[-1], share=share))
        both = t(
            f"{c}.hover",
            lang,
            march=fmt.quantity(march, lang),
            october=fmt.quantity(october, lang),
            gap=gap,
        )
        hovers.append(f"{_hover(march, lang)}<br>—<br>{_hover(october, lang, extra=both)}")
    fig = go.Figure()
    fig.add_bar(
        y=rows,
        x=shares,
        orientation="h",
        name=t(f"{c}.march", lang, date=resolve("date(zy_funds_2020_03)", lang, data.data_dir)),
        marker_color=theme.COLORS["muted"],
        text=[theme.escape(x) for x in texts],
        textposition="inside",
        insidetextanchor="start",
        hovertext=hovers,
        hoverinfo="text",
    )
    fig.add_vline(
        x=100,
        line={"color": ZIYANG, "width": 2},
        annotation_text=theme.escape(t(f"{c}.october", lang, n=fmt.percent(1, lang, digits=0))),
        annotation_position="top left",
    )
    fig.update_layout(
        xaxis={"title": t(f"{c}.axis", lang), "range": [0, 110]},
        yaxis={"autorange": "reversed", "showticklabels": False},
        showlegend=False,
    )
    return _finish(
        fig, "march_gaps", lang, date=resolve("date(zy_funds_2020_03)", lang, data.data_dir)
    )
