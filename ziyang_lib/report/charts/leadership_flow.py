"""Who was sent, on notebook 01: the people of each assistance force, and where they went
(work-team members, first secretaries and leaders to the poor villages; paired cadres to poor
households)."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from ziyang_lib.report import fmt, marks, theme
from ziyang_lib.report.charts.leadership import NOTEBOOK
from ziyang_lib.report.charts.registry import chart
from ziyang_lib.report.text import t
from ziyang_lib.truth.records import Records

# (row key, indicator of the people it counts, hover key), top to bottom
_ROWS = (
    ("cadres", "paired_cadres", "link_paired"),
    ("personnel", "work_team_personnel", "link_stationed"),
    ("secretaries", "first_secretaries", "link_secretaries"),
    ("leaders", "leaders_coordinated", "link_leaders"),
)
PLOT_PX = 300
BARGAP = 0.5
ROOM = 1.3  # the x axis runs to this multiple of the largest bar (its value is written beside it)

_ASSISTANCE_FLOW = (
    "leaders_coordinated assisting_units work_team_personnel village_work_teams "
    "first_secretaries poor_villages paired_cadres"
)


def _is_open_ended(ind: Any) -> bool:
    return ind.qualifier in ("more_than", "at_least")


@chart("assistance_flow", page=NOTEBOOK, draws=_ASSISTANCE_FLOW)
def build_assistance_flow(data: Records, lang: str = "zh") -> go.Figure:
    """Who was sent: the people of each force on one axis of people, named above its bar —
    975 work-team members (from 445 units, in 325 teams, one per poor village), 825 first
    secretaries and 131 leaders to the villages, and more than 20,000 paired cadres to poor
    households.

    Bars because the question is how many people each force put in; the paired cadres are an
    open-ended lower bound ("more than"), drawn as a floor with a dotted extension. They are
    twenty times the village forces, so the opening view shows the village forces on their own
    scale and a button adds the cadres.
    """
    i = data
    c = "leadership.charts.assistance_flow"
    fig = go.Figure()
    for row, (key, ident, hover_key) in enumerate(_ROWS):
        ind = i[ident]
        hover = f"<b>{theme.escape(t(f'{c}.{hover_key}', lang))}</b><br>{marks.hover(ind, lang)}"
        color = theme.COLORS["range" if _is_open_ended(ind) else "stated"]
        bar = marks.hbar(ind.value, row, color=color, hover=hover)
        bar.update(
            name=t(f"{c}.row_{key}", lang),
            text=[theme.escape(fmt.quantity(ind, lang))],
            textposition="outside",
            cliponaxis=False,
            showlegend=False,
        )
        fig.add_trace(bar)
        if _is_open_ended(ind):
            for trace in marks.open_ended(ind.value, row, lang=lang, hovertext=hover, color=color):
                fig.add_trace(trace.update(text=[""], mode="lines+markers"))
        shift = marks.bar_shift(PLOT_PX, len(_ROWS), BARGAP)
        marks.row_label(fig, row, t(f"{c}.row_{key}", lang), shift_px=shift)
    village = max(i[ident].value for key, ident, _ in _ROWS if key != "cadres")
    everything = i["paired_cadres"].value * (1 + 0.15)
    views = {
        "villages": ([0.5, len(_ROWS) - 0.5], [0, village * ROOM]),
        "all": ([-0.5, len(_ROWS) - 0.5], [0, everything * ROOM / 1.15]),
    }
    cadre_traces = [k for k, tr in enumerate(fig.data) if tr.y[0] == 0]
    visible = {
        name: [(k not in cadre_traces) or name == "all" for k in range(len(fig.data))]
        for name in views
    }

    def view(name: str) -> list[dict[str, Any]]:
        (y0, y1), x_range = views[name]
        ticks = marks.nice_ticks(x_range[1])
        return [
            {"visible": visible[name]},
            {
                "yaxis.range": [y1, y0],
                "xaxis.range": x_range,
                "xaxis.tickvals": ticks,
                "xaxis.ticktext": [fmt.number(v, lang) for v in ticks],
                "annotations[0].visible": name == "all",
            },
        ]

    start = view("villages")
    for k, trace in enumerate(fig.data):
        trace.visible = start[0]["visible"][k]
    fig.update_layout(
        height=PLOT_PX,
        bargap=BARGAP,
        margin={"l": 16, "r": 16},
        xaxis={"range": start[1]["xaxis.range"], "title": t(f"{c}.axis", lang)},
        yaxis={"range": start[1]["yaxis.range"], "visible": False},
    )
    fig.update_xaxes(tickvals=start[1]["xaxis.tickvals"], ticktext=start[1]["xaxis.ticktext"])
    fig.layout.annotations[0].visible = False
    theme.buttons(
        fig,
        [
            (t(f"{c}.button_villages", lang), "update", view("villages")),
            (t(f"{c}.button_all", lang), "update", view("all")),
        ],
    )
    subtitle = t(
        f"{c}.subtitle",
        lang,
        personnel=fmt.quantity(i["work_team_personnel"], lang),
        units=fmt.quantity(i["assisting_units"], lang),
        teams=fmt.quantity(i["village_work_teams"], lang),
    )
    return theme.finish(fig, t(f"{c}.title", lang), subtitle=subtitle)
