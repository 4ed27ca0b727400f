"""The assistance sankey of notebook 01: who was sent where (units → work-team members → teams →
villages; first secretaries and leaders → villages; paired cadres → poor households)."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from ziyang_lib.report import fmt, marks, theme
from ziyang_lib.report.charts.leadership import LINK_COLORS, NOTEBOOK
from ziyang_lib.report.charts.registry import chart
from ziyang_lib.report.text import t
from ziyang_lib.truth.records import Records

# Sankey nodes: (key, indicator id or None); link values are people.
_FLOW_NODES = (
    ("leaders", "leaders_coordinated"),
    ("units", "assisting_units"),
    ("personnel", "work_team_personnel"),
    ("teams", "village_work_teams"),
    ("secretaries", "first_secretaries"),
    ("villages", "poor_villages"),
    ("cadres", "paired_cadres"),
    ("households", None),
)
# (source, target, indicator whose value is the link width, hover key)
_FLOW_LINKS = (
    ("units", "personnel", "work_team_personnel", "link_selected"),
    ("personnel", "teams", "work_team_personnel", "link_form"),
    ("teams", "villages", "work_team_personnel", "link_stationed"),
    ("secretaries", "villages", "first_secretaries", "link_secretaries"),
    ("leaders", "villages", "leaders_coordinated", "link_leaders"),
    ("cadres", "households", "paired_cadres", "link_paired"),
)


_ASSISTANCE_FLOW = (
    "leaders_coordinated assisting_units work_team_personnel village_work_teams "
    "first_secretaries poor_villages paired_cadres"
)


@chart("assistance_flow", page=NOTEBOOK, draws=_ASSISTANCE_FLOW)
def build_assistance_flow(data: Records, lang: str = "zh") -> go.Figure:
    """Who was sent where: units → work-team members → 325 teams → 325 villages, first
    secretaries and leaders → villages, and more than 20,000 paired cadres → poor households.

    A sankey because the story is a flow of people into villages and households; link widths
    are people (the 445 units and the 325 teams are nodes, not widths). The paired cadres are an
    open-ended lower bound ("more than"), drawn in the range colour and labelled so; a button
    hides them so the village forces, twenty times smaller, become readable.
    """
    i = data
    c = "leadership.charts.assistance_flow"
    village_nodes = [key for key, _ in _FLOW_NODES if key not in ("cadres", "households")]
    fig = go.Figure(
        [
            _sankey(village_nodes, i, lang, visible=True),
            _sankey([key for key, _ in _FLOW_NODES], i, lang, visible=False),
        ]
    )
    fig.update_layout(height=380, margin={"l": 8, "r": 8})
    theme.buttons(
        fig,
        [
            (t(f"{c}.button_villages", lang), "restyle", [{"visible": [True, False]}]),
            (t(f"{c}.button_all", lang), "restyle", [{"visible": [False, True]}]),
        ],
    )
    return theme.finish(fig, t(f"{c}.title", lang), subtitle=t(f"{c}.subtitle", lang))


def _is_open_ended(ind: Any) -> bool:
    return ind.qualifier in ("more_than", "at_least")


def _sankey(keys: list[str], i: dict[str, Any], lang: str, *, visible: bool) -> go.Sankey:
    """The assistance sankey over the nodes `keys` (links between them only)."""
    c = "leadership.charts.assistance_flow"
    idents = dict(_FLOW_NODES)
    labels, colors, hovers = [], [], []
    for key in keys:
        name = theme.escape(t(f"{c}.node_{key}", lang))
        ind = i.get(idents[key] or "")
        if ind is None:
            labels.append(name)
            hovers.append(theme.escape(t(f"{c}.households_note", lang)))
            colors.append(theme.COLORS["muted"])
            continue
        labels.append(f"{name}<br>{theme.escape(fmt.quantity(ind, lang))}")
        hovers.append(marks.hover(ind, lang))
        colors.append(theme.COLORS["range" if _is_open_ended(ind) else "stated"])
    link: dict[str, list[Any]] = {k: [] for k in ("source", "target", "value", "color", "hover")}
    for src, dst, ident, hover_key in _FLOW_LINKS:
        if src not in keys or dst not in keys:
            continue
        ind = i[ident]
        link["source"].append(keys.index(src))
        link["target"].append(keys.index(dst))
        link["value"].append(ind.value)
        link["color"].append(LINK_COLORS["range" if _is_open_ended(ind) else "stated"])
        link["hover"].append(
            f"{theme.escape(t(f'{c}.{hover_key}', lang))}<br>"
            f"{theme.escape(fmt.quantity(ind, lang))}<br>{marks.quote_lines(ind.quote)}"
        )
    return go.Sankey(
        visible=visible,
        arrangement="snap",
        node={
            "label": labels,
            "color": colors,
            "customdata": hovers,
            "hovertemplate": "%{customdata}<extra></extra>",
            "pad": 18,
            "thickness": 12,
        },
        link={
            "source": link["source"],
            "target": link["target"],
            "value": link["value"],
            "color": link["color"],
            "customdata": link["hover"],
            "hovertemplate": "%{customdata}<extra></extra>",
        },
        textfont={"size": theme.SMALL_FONT},
    )
