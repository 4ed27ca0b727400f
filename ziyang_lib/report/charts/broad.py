"""Charts of notebook 03 (broad-based alleviation): policy system, funding, campaigns, 10.17."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import plotly.graph_objects as go

from ziyang_lib.report import fmt, marks, theme
from ziyang_lib.report.charts.registry import chart
from ziyang_lib.report.text import catalogue, t
from ziyang_lib.truth.records import Records

NOTEBOOK = "03_broad_based_alleviation"
# Campaigns and programmes the text names, grouped as the text groups them: the keys of
# ``charts.campaigns.items`` (zh = the text's own words, so each can be found in the source).
CAMPAIGN_GROUPS: dict[str, tuple[str, ...]] = {
    "social": ("caring_city", "caring_village", "deputies", "cppcc", "firms", "donations"),
    "will_and_skills": ("happiness", "p120", "reading", "awards"),
}
POVERTY_DAY_ACTIVITIES = ("series", "donations", "awards")
FUNDING_PLOT_PX = 300
FUNDING_BARGAP = 0.55
FUNDING_HEADROOM = 0.4  # rows' worth of room above the first bar, for its two-line label


def _source_sentence(phrase: str, source: Any) -> str:
    """The cleaned sentence of the first raw occurrence of `phrase` in the source."""
    start = source.raw.find(phrase)
    if start < 0:
        raise ValueError(f"{phrase!r} is not in the source text")
    end = start + len(phrase)
    return source.sentence(start, end)


@chart("policy_system", page=NOTEBOOK, draws="sector_plans_per_year term(3+22)")
def build_policy_system(data: Records, lang: str = "zh") -> go.Figure:
    """The "3+22" policy system as a grid of cells: 22 annual sector plans (each year) and 3
    parts the text does not spell out, left blank rather than guessed.

    Cells, because the name is a count of documents; the numbers are read from the term itself
    (and the 22 checked against the indicator), so the chart cannot drift from the data.
    """
    c = "broad.charts.policy_system"
    plans = data["sector_plans_per_year"]
    entry = data.term("3+22")
    unknown, known = (int(x) for x in re.findall(r"\d+", entry["term"]))
    if known != plans.value:
        raise ValueError(f"'3+22' names {known} plans but the indicator says {plans.value}")
    cols = 5
    explanation = theme.wrap_html(entry[f"explanation_{lang}"], marks.QUOTE_WIDTH)
    groups = [
        (t(f"{c}.unknown", lang, n=unknown), unknown, theme.COLORS["grid"], explanation, 0),
        (t(f"{c}.plans", lang), known, theme.COLORS["stated"], marks.hover(plans, lang), 1),
    ]
    fig = go.Figure()
    for name, count, color, hover, row0 in groups:
        cells = range(count)
        fig.add_trace(
            go.Scatter(
                x=[k % cols for k in cells],
                y=[-(row0 + k // cols) - (0.6 if row0 else 0) for k in cells],
                mode="markers",
                marker={
                    "symbol": "square",
                    "size": 30,
                    "color": color,
                    "line": {"color": theme.COLORS["muted"], "width": 1},
                },
                name=theme.escape(name),
                hovertext=[hover] * count,
                hoverinfo="text",
            )
        )
    rows = 1 + -(-known // cols)
    fig.update_layout(
        height=52 * rows + 40,
        margin={"l": 12, "r": 12},
        xaxis={"visible": False, "range": [-0.7, cols - 0.3]},
        yaxis={"visible": False, "range": [-(rows + 0.2), 0.7], "scaleanchor": None},
    )
    return theme.finish(
        fig,
        t(f"{c}.title", lang),
        subtitle=t(f"{c}.subtitle", lang, term=entry["term"]),
        axis_px=8,
    )


_FUNDING_LEVELS = "city_budget_per_year county_budget_per_year health_fund_per_year"


@chart("funding_levels", page=NOTEBOOK, draws=_FUNDING_LEVELS)
def build_funding_levels(data: Records, lang: str = "zh") -> go.Figure:
    """Yearly money by level: the city budget (a range, 50–100 million yuan), the counties
    (about 100 million, bounds not stated) and the health-care fund (a range, 500–700 million).

    Ranges are drawn as ranges (a bar from low to high), the "about" figure as a hollow marker
    with no invented bounds. A linear/log button: on the linear scale the health fund dwarfs the
    budgets; the log scale lets the reader compare the two budgets.
    """
    ids = ("city_budget_per_year", "county_budget_per_year", "health_fund_per_year")
    i = data
    c = "broad.charts.funding_levels"
    top = max(
        max(x for x in (ind.value, ind.high) if x is not None and x == x) for ind in i.values()
    )
    divisor, word = fmt.scale(top, lang)
    unit = fmt.unit(i["city_budget_per_year"], lang)
    rows = [str(k) for k in range(len(ids))]
    # each label (name, then the stated figure) sits just above its row's bar: half a bar (a
    # row's share of the plot, less the gap) plus 4 px, so it never covers the hatched range;
    # not beside the bar, where the widest range leaves no room on a phone
    y_range = [len(rows) - 0.5, -0.5 - FUNDING_HEADROOM]  # reversed: the first row on top
    label_shift = FUNDING_PLOT_PX / (y_range[0] - y_range[1]) * (1 - FUNDING_BARGAP) / 2 + 4
    fig = go.Figure()
    for row, ident in zip(rows, ids, strict=True):
        ind = i[ident]
        hover = f"{marks.hover(ind, lang)}<br>{theme.wrap_html(ind.description(lang), 40)}"
        if ind.qualifier == "range":
            fig.add_trace(
                marks.range_bar(
                    [row],
                    [ind.low / divisor],
                    [ind.high / divisor],
                    name=t(f"{c}.legend_range", lang),
                    hovertext=[hover],
                )
            )
        else:
            fig.add_trace(
                go.Scatter(
                    x=[ind.value / divisor],
                    y=[row],
                    mode="markers",
                    marker={
                        "symbol": "diamond-open",
                        "size": 16,
                        "color": theme.COLORS["range"],
                        "line": {"width": 3},
                    },
                    name=t(f"{c}.legend_about", lang),
                    hovertext=[hover],
                    hoverinfo="text",
                )
            )
        fig.add_annotation(
            x=0,
            xref="paper",
            y=row,
            yanchor="bottom",
            yshift=label_shift,
            xanchor="left",
            showarrow=False,
            text=f"{theme.wrap_html(ind.label(lang), theme.FOOTNOTE_WIDTH)}<br>"
            f"<b>{theme.escape(fmt.quantity(ind, lang))}</b>",
            align="left",
            font={"size": theme.SMALL_FONT},
        )
    axis_title = t("charts.common.axis_unit", lang, scale=word, unit=unit).strip()
    linear = [0, top / divisor * 1.1]
    log_range = [
        _log10(min(ind.low or ind.value for ind in i.values()) / divisor) - 0.3,
        _log10(top / divisor * 2.5),
    ]
    fig.update_layout(
        height=FUNDING_PLOT_PX,
        margin={"l": 16, "r": 16},
        xaxis={"title": axis_title, "range": linear},
        yaxis={"visible": False, "range": y_range},
        bargap=FUNDING_BARGAP,
        barmode="overlay",  # one bar per row, centred on it (not offset as in a group)
    )
    theme.buttons(
        fig,
        [
            (
                t(f"{c}.button_linear", lang),
                "relayout",
                [{"xaxis.type": "linear", "xaxis.range": linear}],
            ),
            (
                t(f"{c}.button_log", lang),
                "relayout",
                [{"xaxis.type": "log", "xaxis.range": log_range}],
            ),
        ],
    )
    _dedupe_legend(fig)
    return theme.finish(fig, t(f"{c}.title", lang), subtitle=t(f"{c}.subtitle", lang))


def _log10(x: float) -> float:
    import math

    return math.log10(x)


def _dedupe_legend(fig: go.Figure) -> None:
    seen: set[str] = set()
    for trace in fig.data:
        trace.showlegend = trace.name not in seen
        seen.add(trace.name)


def campaign_items(lang: str) -> dict[str, list[tuple[str, str]]]:
    """The named campaigns by group: ``{group: [(key, label in lang), ...]}``."""
    return {
        group: [(key, t(f"broad.charts.campaigns.items.{key}", lang)) for key in keys]
        for group, keys in CAMPAIGN_GROUPS.items()
    }


_CAMPAIGNS = (
    "term(有爱城市) term(万企帮万村) term(幸福基金·幸福超市) term(扶贫120) term(五点钟书屋)"
)


@chart("campaigns", page=NOTEBOOK, draws=_CAMPAIGNS)
def build_campaigns(data: Records, lang: str = "zh") -> go.Figure:
    """The social campaigns and the 扶志扶智 (will and skills) programmes the text names,
    grouped as the text groups them.

    A treemap used as a labelled grouping: every name gets the same area, because the text gives
    no sizes, budgets or participants — none are invented. Hover shows each name's sentence.
    """
    c = "broad.charts.campaigns"
    root = t(f"{c}.root", lang)
    ids, labels, parents, hovers = [root], [theme.escape(root)], [""], [""]
    for group, items in campaign_items(lang).items():
        group_label = t(f"{c}.group_{group}", lang)
        ids.append(group)
        labels.append(theme.escape(group_label))
        parents.append(root)
        hovers.append(theme.escape(group_label))
        for key, label in items:
            sentence = _source_sentence(t(f"{c}.items.{key}", "zh"), data.source)
            ids.append(key)
            labels.append(theme.wrap_html(label, 16))
            parents.append(group)
            hovers.append(f"<b>{theme.escape(label)}</b><br>{marks.quote_lines(sentence)}")
    fig = go.Figure(
        go.Treemap(
            ids=ids,
            labels=labels,
            parents=parents,
            hovertext=hovers,
            hoverinfo="text",
            textinfo="label",
            branchvalues="remainder",
            root={"color": "white"},
            marker={"colors": [_campaign_color(p) for p in parents]},
            textfont={"size": theme.SMALL_FONT},
            tiling={"pad": 2},
        )
    )
    fig.update_layout(height=380, margin={"l": 8, "r": 8})
    return theme.finish(fig, t(f"{c}.title", lang), subtitle=t(f"{c}.subtitle", lang))


def _campaign_color(parent: str) -> str:
    return {
        "social": theme.COLORS["accent"],
        "will_and_skills": theme.COLORS["stated"],
    }.get(parent, "white")


_POVERTY_DAY = "event(publication) mention(10.17) term(万企帮万村) term(10.17)"


@chart("poverty_day", page=NOTEBOOK, draws=_POVERTY_DAY)
def build_poverty_day(data: Records, lang: str = "zh") -> go.Figure:
    """The national poverty-alleviation day, 17 October, held every year, and what the text
    says happens on it: a series of activities, donations, and the award meeting for model
    individuals. The article itself appeared three days before the 2020 poverty day.

    A calendar strip of one year with the day and the publication date; a button zooms to
    October. Each activity is a row whose hover quotes the text.
    """
    c = "broad.charts.poverty_day"
    entry = data.term("10.17")
    month, day = (int(x) for x in entry["term"].split("."))
    published = date.fromisoformat(str(data.event("publication")["date"]))
    the_day = date(published.year, month, day)
    fig = go.Figure()
    activities = [(k, t(f"{c}.activities.{k}", lang)) for k in POVERTY_DAY_ACTIVITIES]
    for row, (key, label) in enumerate(activities, start=1):
        sentence = _source_sentence(t(f"{c}.activities.{key}", "zh"), data.source)
        fig.add_trace(
            go.Scatter(
                x=[the_day],
                y=[row],
                mode="markers+text",
                text=[theme.wrap_html(label, 26)],
                textposition="middle left",
                textfont={"size": theme.SMALL_FONT},
                marker={"size": 12, "color": theme.COLORS["stated"], "symbol": "circle"},
                hovertext=[f"<b>{theme.escape(label)}</b><br>{marks.quote_lines(sentence)}"],
                hoverinfo="text",
                showlegend=False,
                name=theme.escape(label),
            )
        )
    term_hover = (
        f"<b>{theme.escape(entry['term_en'])}</b><br>"
        f"{theme.wrap_html(entry[f'explanation_{lang}'], marks.QUOTE_WIDTH)}"
    )
    fig.add_trace(
        go.Scatter(
            x=[the_day],
            y=[0],
            mode="markers+text",
            text=[theme.escape(t(f"{c}.day", lang))],
            textposition="middle left",
            marker={"size": 18, "color": theme.COLORS["accent"], "symbol": "star"},
            hovertext=[term_hover],
            hoverinfo="text",
            showlegend=False,
            name=theme.escape(t(f"{c}.day", lang)),
        )
    )
    sentence = _source_sentence(str(published), data.source)
    fig.add_trace(
        go.Scatter(
            x=[published],
            y=[-1],
            mode="markers+text",
            text=[theme.escape(t(f"{c}.published", lang, date=str(published)))],
            textposition="middle left",
            textfont={"size": theme.SMALL_FONT},
            marker={"size": 12, "color": theme.COLORS["muted"], "symbol": "square"},
            hovertext=[marks.quote_lines(sentence)],
            hoverinfo="text",
            showlegend=False,
            name=theme.escape(t(f"{c}.published", lang, date=str(published))),
        )
    )
    year_range = [date(published.year, 1, 1), date(published.year, 12, 31)]
    october = [date(published.year, month, 1), date(published.year, month, 31)]
    fig.update_layout(
        height=300,
        margin={"l": 12, "r": 20},
        xaxis={"type": "date", "range": year_range, "tickformat": t(f"{c}.tick_month", lang)},
        yaxis={"visible": False, "range": [-1.7, len(activities) + 0.7]},
    )
    theme.buttons(
        fig,
        [
            (
                t(f"{c}.button_year", lang),
                "relayout",
                [{"xaxis.range": year_range, "xaxis.tickformat": t(f"{c}.tick_month", lang)}],
            ),
            (
                t(f"{c}.button_october", lang),
                "relayout",
                [{"xaxis.range": october, "xaxis.tickformat": t(f"{c}.tick_day", lang)}],
            ),
        ],
    )
    days = fmt.number((the_day - published).days, lang)
    subtitle = t(f"{c}.subtitle", lang, day=the_day, days=days)
    return theme.finish(fig, t(f"{c}.title", lang), subtitle=subtitle)


def check_catalogue_phrases(data_dir: Any = None) -> list[str]:
    """The zh catalogue phrases of campaigns and poverty-day activities missing from the source
    (empty when every name is the text's own)."""
    from ziyang_lib.truth.source import load_source

    raw = load_source(data_dir).raw
    keys = [
        k
        for k in catalogue()
        if k.startswith(("broad.charts.campaigns.items.", "broad.charts.poverty_day.activities."))
    ]
    return [k for k in keys if t(k, "zh") not in raw]
