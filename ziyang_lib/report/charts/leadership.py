"""Charts of notebook 01 (party leadership): who was poor, how far help reached, income and
funds; who was sent (the assistance sankey) is in `leadership_flow`."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ziyang_lib.report import fmt, marks, provenance, theme
from ziyang_lib.report.charts.registry import chart
from ziyang_lib.report.text import t
from ziyang_lib.truth import metrics
from ziyang_lib.truth.metrics import Derived
from ziyang_lib.truth.records import Records

NOTEBOOK = "01_party_leadership"
COVERAGE_PX = 240
COVERAGE_GAP = 0.45
FUNDS_PX = 300
FUNDS_GAP = 0.6


def _q(ind: Any, value: float, qualifier: str = "exact") -> fmt.Quantity:
    """A quantity in the unit of `ind` (for values derived from it)."""
    return fmt.Quantity(value=value, unit=ind.unit, unit_en=ind.unit_en, qualifier=qualifier)


def _derived_hover(label: str, text: str, lang: str, *parents: Any) -> str:
    """Hover for a value computed from stated ones: the label, the value, how, and the quotes."""
    lines = [f"<b>{theme.escape(label)}</b>", theme.escape(text), t("charts.common.derived", lang)]
    lines += [marks.quote_lines(p.quote) for p in parents]
    return "<br>".join(lines)


_POVERTY_PROFILE = (
    "poor_villages anyue_poor_villages poor_population anyue_registered_poor "
    "scattered_poor_share non_poor_villages_with_scattered_poor anyue_non_poor_villages"
)


@chart("poverty_profile", page=NOTEBOOK, draws=_POVERTY_PROFILE)
def build_poverty_profile(data: Records, lang: str = "zh") -> go.Figure:
    """Anyue county against the rest of the city, in poor villages and in registered poor people,
    and where the poor lived (scattered in non-poor villages vs in poor villages).

    Stacked horizontal bars, one panel per measure because the units differ; buttons switch
    between absolute numbers and shares. The "rest of the city" and "in poor villages" segments
    are derived (total − stated part) and say so. What a table hides: Anyue is about half of both
    the villages and the people, while most poor people lived outside poor villages.
    """
    i = data
    c = "leadership.charts.poverty_profile"
    fig = make_subplots(
        rows=3,
        cols=1,
        subplot_titles=[
            t(f"{c}.panel_villages", lang),
            t(f"{c}.panel_people", lang),
            t(f"{c}.panel_where", lang),
        ],
        vertical_spacing=0.2,
    )
    anyue, rest = t(f"{c}.anyue", lang), t(f"{c}.rest", lang)
    rows = [
        (i["anyue_poor_villages"], i["poor_villages"]),
        (i["anyue_registered_poor"], i["poor_population"]),
    ]
    absolute: list[list[float]] = []
    shares: list[list[float]] = []
    texts_abs: list[list[str]] = []
    texts_share: list[list[str]] = []
    for row, (part, whole) in enumerate(rows, start=1):
        rest_value = whole.value - part.value
        rest_q = fmt.quantity(_q(whole, rest_value), lang)
        category = [whole.label(lang)]
        for name, value, color, hover, group in (
            (anyue, part.value, theme.COLORS["stated"], marks.hover(part, lang), "anyue"),
            (
                rest,
                rest_value,
                theme.COLORS["muted"],
                _derived_hover(rest, rest_q, lang, whole, part),
                "rest",
            ),
        ):
            share = value / whole.value
            absolute.append([value])
            shares.append([share * 100])
            q_text = fmt.quantity(_q(whole, value), lang)
            texts_abs.append([q_text])
            texts_share.append([fmt.percent(share, lang)])
            bar = marks.hbar(value, category[0], color=color, hover=hover, text=q_text)
            bar.update(name=name, legendgroup=group, showlegend=row == 1)
            fig.add_trace(bar, row=row, col=1)
    scattered = i["scattered_poor_share"]
    in_poor = 100 - scattered.value
    where = [
        (
            t(f"{c}.scattered", lang),
            scattered.value,
            theme.COLORS["accent"],
            marks.hover(scattered, lang),
        ),
        (
            t(f"{c}.in_poor_villages", lang, whole=fmt.percent(1, lang, digits=0)),
            in_poor,
            theme.COLORS["other"],
            _derived_hover(
                t(f"{c}.in_poor_villages", lang, whole=fmt.percent(1, lang, digits=0)),
                fmt.quantity(_q(scattered, in_poor), lang),
                lang,
                scattered,
            ),
        ),
    ]
    for name, value, color, hover in where:
        text = fmt.quantity(_q(scattered, value), lang)
        absolute.append([value])
        shares.append([value])
        texts_abs.append([text])
        texts_share.append([text])
        bar = marks.hbar(value, t(f"{c}.poor_people", lang), color=color, hover=hover, text=text)
        fig.add_trace(bar.update(name=name), row=3, col=1)
    villages = i["non_poor_villages_with_scattered_poor"]
    # the chart's subtitle (laid out in pixels), not a second line of the third panel's title,
    # which a shorter export squeezes onto the bars above it
    subtitle = t(
        f"{c}.scattered_note",
        lang,
        villages=fmt.quantity(villages, lang),
        villages_n=provenance.resolve(f"count({villages.id})", lang, data.data_dir),
        anyue_non_poor=fmt.quantity(i["anyue_non_poor_villages"], lang),
        anyue_non_poor_n=provenance.resolve("count(anyue_non_poor_villages)", lang, data.data_dir),
    )
    fig.update_layout(barmode="stack", height=440)
    fig.update_yaxes(showticklabels=False)
    fig.update_xaxes(showticklabels=False, row=1, col=1)
    fig.update_xaxes(showticklabels=False, row=2, col=1)
    fig.update_xaxes(title_text=t(f"{c}.axis_percent", lang), row=3, col=1)
    fig.update_layout(margin={"l": 16, "r": 16})
    theme.buttons(
        fig,
        [
            (t(f"{c}.button_absolute", lang), "restyle", [{"x": absolute, "text": texts_abs}]),
            (t(f"{c}.button_share", lang), "restyle", [{"x": shares, "text": texts_share}]),
        ],
    )
    return theme.finish(fig, t(f"{c}.title", lang), subtitle=subtitle)


_COVERAGE = "poor_villages non_poor_villages_with_scattered_poor term(五个一) term(三支力量)"


@chart("coverage", page=NOTEBOOK, draws=_COVERAGE)
def build_coverage(data: Records, lang: str = "zh") -> go.Figure:
    """Full coverage stated twice: 五个一 forces in all 325 poor villages and 三支力量 in all
    1,663 non-poor villages with scattered poor households.

    Horizontal bars of village counts, each named above its bar and labelled "all covered"
    (the text says 全覆盖, so a share would always read 100 % and is not drawn). What the bars
    show that the sentence hides: the scattered-poor effort reached about five times as many
    villages as the poor-village teams. Hover explains both terms from the glossary.
    """
    i = data
    c = "leadership.charts.coverage"
    glossary = {"poor_villages": "五个一", "non_poor_villages_with_scattered_poor": "三支力量"}
    fig = go.Figure()
    widest = max(ind.value for ind in i.values())
    shift = marks.bar_shift(COVERAGE_PX, len(glossary), COVERAGE_GAP)
    for row, (ident, term) in enumerate(glossary.items()):
        ind = i[ident]
        entry = data.term(term)
        explanation = theme.wrap(entry[f"explanation_{lang}"], marks.QUOTE_WIDTH)
        hover = f"{marks.hover(ind, lang)}<br><b>{theme.escape(entry['term'])}</b>: " + "<br>".join(
            theme.escape(x) for x in explanation
        )
        label = t(f"{c}.bar_{ident}", lang)
        covered = t(f"{c}.covered", lang, n=fmt.quantity(ind, lang))
        fig.add_trace(
            go.Bar(
                x=[ind.value],
                y=[row],
                orientation="h",
                name=label,
                showlegend=False,
                marker={"color": theme.COLORS["stated"]},
                text=[theme.escape(covered)],
                textposition="inside" if ind.value >= widest / 2 else "outside",
                textangle=0,
                insidetextanchor="start",
                cliponaxis=False,
                hovertext=[hover],
                hoverinfo="text",
            )
        )
        marks.row_label(fig, row, label, shift_px=shift)
    ratio = i["non_poor_villages_with_scattered_poor"].value / i["poor_villages"].value
    subtitle = t(f"{c}.ratio_note", lang, ratio=fmt.number(round(ratio, 1), lang))
    fig.update_layout(
        bargap=COVERAGE_GAP,
        height=COVERAGE_PX,
        xaxis={"title": t(f"{c}.axis_villages", lang), "range": [0, widest * 1.05]},
        yaxis={"visible": False, "range": [len(glossary) - 0.5, -0.5 - 0.3]},
        margin={"l": 16, "r": 16},
    )
    marks.number_axis(fig, widest, lang)
    return theme.finish(fig, t(f"{c}.title", lang), subtitle=subtitle)


def _stated_rate_path(i: dict[str, Any]) -> tuple[list[int], list[float]]:
    """Years 2013 → 2019 and the MODELLED values growing from the 2013 figure at the stated
    yearly rate (nothing between the two stated figures is in the text)."""
    from ziyang_lib.truth.metrics import implied_end

    start, end = i["poor_income_2013"], i["poor_income_2019"]
    y0, y1 = int(start.period), int(end.period)
    rate = i["poor_income_growth_stated"].value / 100
    years = list(range(y0, y1 + 1))
    return years, [float(implied_end(start.value, rate, y - y0)) for y in years]


_INCOME_PATH = "poor_income_2013 poor_income_2019 poor_income_growth_stated"


@chart("income_path", page=NOTEBOOK, draws=_INCOME_PATH)
def build_income_path(
    data: Records, lang: str = "zh", *, growth: Derived | None = None
) -> go.Figure:
    """Net income per poor person: 2,435 yuan (2013) and 6,969 yuan (2019) as stated points,
    the years between as ONE modelled dashed path at the stated 19.2 %/yr.

    A line chart because the question is the path; nothing between the stated points is stated,
    so the path is dashed and its legend says "modelled". The compound rate through both figures
    (19.15 %) would draw a line on top of this one, so it is given in the subtitle instead, with
    what the stated rate implies for 2019 (about 6,985): at this scale the two differ by a
    16-yuan gap, under a pixel, which only a number can show.
    """
    i = data
    c = "leadership.charts.income_path"
    years, path = _stated_rate_path(i)
    start, end, rate = i["poor_income_2013"], i["poor_income_2019"], i["poor_income_growth_stated"]
    unit = fmt.unit(start, lang)
    name = t(f"{c}.path_stated", lang, rate=fmt.quantity(rate, lang))
    modelled = t("charts.common.modelled", lang)
    fig = go.Figure()
    fig.add_trace(
        marks.modelled_line(
            years,
            path,
            lang=lang,
            name=name,
            hovertext=[marks.hover(start, lang)]  # where the path starts: stated
            + [
                f"<b>{theme.escape(name)}</b><br>{fmt.year(y, lang)}: "
                f"{theme.escape(fmt.quantity(_q(end, round(v), 'about'), lang))}"
                f"<br>{theme.escape(modelled)}"
                for y, v in zip(years[1:], path[1:], strict=True)
            ],
            hoverinfo="text",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[int(start.period), int(end.period)],
            y=[start.value, end.value],
            mode="markers+text",
            name=t(f"{c}.stated_points", lang),
            marker={"color": theme.COLORS["stated"], "size": 12},
            text=[theme.escape(fmt.number(p.value, lang)) for p in (start, end)],
            textposition=["bottom right", "top left"],  # short: clear of the lines around
            hovertext=[marks.hover(start, lang), marks.hover(end, lang)],
            hoverinfo="text",
        )
    )
    top = max(path[-1], end.value) * 1.15
    gap = path[-1] - end.value
    subtitle = t(
        f"{c}.gap_note",
        lang,
        year=fmt.year(end.period, lang),
        gap=fmt.number(round(gap), lang, unit),
        computed=provenance.text(growth or metrics.growth_rate(start, end), lang),
    )
    fig.update_layout(
        xaxis={
            "title": t(f"{c}.axis_year", lang),
            "dtick": 1,
            "range": [int(start.period) - 0.5, int(end.period) + 0.5],
        },
        yaxis={"title": t(f"{c}.axis_income", lang, unit=unit), "range": [0, top]},
        hovermode="closest",
    )
    marks.number_axis(fig, top, lang, axis="yaxis")
    return theme.finish(fig, t(f"{c}.title", lang), subtitle=subtitle)


_FUNDS = "fiscal_special_funds sectoral_special_funds special_funds_total"


@chart("funds", page=NOTEBOOK, draws=_FUNDS)
def build_funds(data: Records, lang: str = "zh") -> go.Figure:
    """Cumulative special funds: fiscal 24.52亿 + sector 22.84亿 = 47.36亿元.

    A waterfall because the claim is an addition: the two parts stack up and the stated total
    is drawn as its own bar (at the stated value, not plotly's sum), so any mismatch would show
    as a step. Horizontal, each part named above its bar (a phone has the width for a name, not
    the height under a column); the axis is in the reader's unit (亿元 / billion yuan).
    """
    i = data
    c = "leadership.charts.funds"
    total = i["special_funds_total"]
    divisor, word = fmt.scale(total.value, lang)
    unit = fmt.unit(total, lang)
    parts = [i["fiscal_special_funds"], i["sectoral_special_funds"], total]
    rows = list(range(len(parts)))
    fig = go.Figure(
        go.Waterfall(
            orientation="h",
            y=rows,
            x=[p.value / divisor for p in parts],
            measure=["relative", "relative", "absolute"],
            text=[theme.escape(fmt.quantity(p, lang)) for p in parts],
            textposition="inside",
            textangle=0,
            insidetextanchor="middle",
            hovertext=[marks.hover(p, lang) for p in parts],
            hoverinfo="text",
            increasing={"marker": {"color": theme.COLORS["stated"]}},
            totals={"marker": {"color": theme.COLORS["accent"]}},
            connector={"line": {"color": theme.COLORS["muted"], "dash": "dot"}},
            showlegend=False,
        )
    )
    shift = marks.bar_shift(FUNDS_PX, len(parts) + 0.3, FUNDS_GAP)
    for row, p in zip(rows, parts, strict=True):
        marks.row_label(fig, row, p.label(lang), shift_px=shift)
    axis = t("charts.common.axis_unit", lang, scale=word, unit=unit).strip()
    top = total.value / divisor
    fig.update_layout(
        xaxis={"title": axis, "range": [0, top * 1.05]},
        yaxis={"visible": False, "range": [len(parts) - 0.5, -0.8]},
        height=FUNDS_PX,
        waterfallgap=FUNDS_GAP,  # a waterfall's own gap (bargap does not apply to it)
        margin={"l": 16, "r": 16},
    )
    marks.number_axis(fig, top, lang)
    return theme.finish(fig, t(f"{c}.title", lang), subtitle=t(f"{c}.subtitle", lang))
