"""Charts and blocks of notebook 03 (broad-based alleviation): policy system, funding,
campaigns, 10.17."""

from __future__ import annotations

import re
from typing import Any

import plotly.graph_objects as go

from ziyang_lib.report import fmt, marks, theme
from ziyang_lib.report.blocks import Block, Key, key_numbers, listing
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
FUNDING_PLOT_PX = 340
FUNDING_BARGAP = 0.55
FUNDING_HEADROOM = 0.6  # rows' worth of room above the first bar, for its two labels
LABEL_LINE_PX = 17  # a 12 px label's line: the name sits this far above the value


@chart("policy_system", page=NOTEBOOK, draws="sector_plans_per_year term(3+22)", kind="block")
def build_policy_system(data: Records, lang: str = "zh") -> Block:
    """The "3+22" policy system: the one figure the text gives about it (22 sector plans a
    year) as a number to read, and what the name says and leaves unexplained (the "3"); the
    22 is checked against the indicator, so the name and the figure cannot drift apart.
    """
    c = "broad.charts.policy_system"
    plans = data["sector_plans_per_year"]
    entry = data.term("3+22")
    _, known = (int(x) for x in re.findall(r"\d+", entry["term"]))
    if known != plans.value:
        raise ValueError(f"'3+22' names {known} plans but the indicator says {plans.value}")
    key = Key(fmt.quantity(plans, lang), plans.label(lang), plans.id)
    subtitle = t(f"{c}.subtitle", lang, term=entry["term"])
    block = key_numbers([key], t(f"{c}.title", lang), subtitle, note=entry[f"explanation_{lang}"])
    block.numbers.append([entry["term"], f"term({entry['term']})"])
    return block


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
        marks.row_label(fig, row, fmt.quantity(ind, lang), shift_px=label_shift, bold=True)
        marks.row_label(fig, row, ind.label(lang), shift_px=label_shift + LABEL_LINE_PX)
    axis_title = t("charts.common.axis_unit", lang, scale=word, unit=unit).strip()
    linear = [0, top / divisor * 1.1]
    low = min(ind.low or ind.value for ind in i.values()) / divisor
    log_range = [_log10(low) - 0.3, _log10(top / divisor * 2.5)]
    linear_ticks = marks.nice_ticks(linear[1])
    linear_text = [fmt.number(v, lang) for v in linear_ticks]
    log_axis = marks.log_ticks(10 ** log_range[0], 10 ** log_range[1], lang)
    fig.update_layout(
        height=FUNDING_PLOT_PX,
        margin={"l": 16, "r": 16},
        xaxis={
            "title": axis_title,
            "range": linear,
            "tickmode": "array",
            "tickvals": linear_ticks,
            "ticktext": linear_text,
        },
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
                [
                    {
                        "xaxis.type": "linear",
                        "xaxis.range": linear,
                        "xaxis.tickvals": linear_ticks,
                        "xaxis.ticktext": linear_text,
                    }
                ],
            ),
            (
                t(f"{c}.button_log", lang),
                "relayout",
                [
                    {
                        "xaxis.type": "log",
                        "xaxis.range": log_range,
                        "xaxis.tickvals": log_axis["tickvals"],
                        "xaxis.ticktext": log_axis["ticktext"],
                    }
                ],
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


@chart("campaigns", page=NOTEBOOK, draws=_CAMPAIGNS, kind="block")
def build_campaigns(data: Records, lang: str = "zh") -> Block:
    """The social campaigns and the 扶志扶智 (will and skills) programmes the text names, as two
    lists grouped as the text groups them: the text gives no sizes, budgets or participants,
    so there is nothing to draw, and none are invented."""
    c = "broad.charts.campaigns"
    groups = [
        (t(f"{c}.group_{group}", lang), [label for _, label in items])
        for group, items in campaign_items(lang).items()
    ]
    terms = set(data.glossary["term"])  # a name with digits is the term itself (扶贫120)
    numbers = [
        [label, f"term({label})"]
        for _, labels in groups
        for label in labels
        if label in terms and re.search(r"\d", label)
    ]
    return listing(groups, t(f"{c}.title", lang), t(f"{c}.subtitle", lang), numbers=numbers)


_POVERTY_DAY = "event(publication) mention(10.17) term(万企帮万村) term(10.17)"


@chart("poverty_day", page=NOTEBOOK, draws=_POVERTY_DAY, kind="block")
def build_poverty_day(data: Records, lang: str = "zh") -> Block:
    """The national poverty-alleviation day, 17 October, held every year, and what the text
    says happens on it: a series of activities, donations, and the award meeting for model
    individuals; the article itself appeared just before the 2020 poverty day. A date and a
    list: a year-long axis would be almost all empty."""
    c = "broad.charts.poverty_day"
    entry = data.term("10.17")
    published = str(data.event("publication")["date"])
    day = t(f"{c}.on_the_day", lang, term=entry["term"], term_en=entry["term_en"])
    activities = [t(f"{c}.activities.{k}", lang) for k in POVERTY_DAY_ACTIVITIES]
    note = t(f"{c}.published", lang, date=published)
    block = listing([(day, activities)], t(f"{c}.title", lang), note=note)
    block.numbers.append([str(entry["term"]), f"term({entry['term']})"])
    return block


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
