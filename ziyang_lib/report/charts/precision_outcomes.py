"""Charts of notebook 02 (precision measures) about outcomes: the two support groups that must
overlap, and the stated outcomes against the registered poor (helpers in `precision`)."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from ziyang_lib.report import fmt, marks, provenance, theme
from ziyang_lib.report.blocks import Block, Key, key_numbers
from ziyang_lib.report.charts.precision import BARGAP, NOTEBOOK, PEOPLE_IN_WHOLE
from ziyang_lib.report.charts.registry import chart
from ziyang_lib.report.text import t
from ziyang_lib.truth import metrics
from ziyang_lib.truth.metrics import Derived
from ziyang_lib.truth.records import Records


def overlap_layout(a: float, b: float, whole: float, *, least: bool) -> dict[str, float]:
    """Place groups `a` and `b` inside `whole` with the least (or the most) overlap.

    `b` starts at 0. Least overlap pushes `a` to the end of the whole, leaving an overlap of
    a + b − whole (if positive); most overlap starts both at 0 (overlap min(a, b)). Returns the
    start of `a` and the overlap's start and length.
    """
    a_start = whole - a if least else 0.0
    overlap = max(0.0, b - a_start) if least else min(a, b)
    return {"a_start": a_start, "overlap_start": a_start, "overlap": overlap}


_OUTCOMES_OVERLAP = "industry_employment_support safety_net_support poor_population"


@chart("outcomes_overlap", page=NOTEBOOK, draws=_OUTCOMES_OVERLAP)
def build_outcomes_overlap(
    data: Records, lang: str = "zh", *, shared: Derived | None = None
) -> go.Figure:
    """190,000 people with industry/employment support and 56,000 with safety-net support,
    inside 236,000 registered poor: the two groups cannot be added.

    Bars on one people axis, placed inside the whole. The opening view pushes the two groups
    to opposite ends of the whole, and the part that still overlaps — at least 10,000
    people — is drawn in its own colour; a button shows the other extreme (all safety-net
    people also in the first group). The truth lies between; the text does not say where.
    """
    ids = ("industry_employment_support", "safety_net_support", "poor_population")
    i = data
    c = "precision.charts.outcomes_overlap"
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
                hovertext=[marks.hover(ind, lang)],
                hoverinfo="text",
                showlegend=False,
            )
        )
    derived = provenance.text(shared or metrics.overlap(a, b, whole), lang)
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
    shift = marks.bar_shift(plot_px, len(rows), BARGAP, above=0)
    for row, label in zip(rows, labels, strict=True):
        marks.row_label(fig, row, label, shift_px=shift)
    fig.update_layout(
        height=plot_px,
        barmode="overlay",
        bargap=BARGAP,
        margin={"l": 16, "r": 16},
        xaxis={"range": [0, whole.value * 1.02], "title": t(f"{c}.axis", lang, unit=unit)},
        yaxis={"autorange": "reversed", "showticklabels": False},
    )
    marks.number_axis(fig, whole.value, lang)
    return theme.finish(fig, t(f"{c}.title", lang), subtitle=t(f"{c}.subtitle", lang))


_OUTCOMES = (
    "relocated_people pupils_no_dropout houses_renovated out_of_pocket_share_max poor_population"
)


@chart("outcomes", page=NOTEBOOK, draws=_OUTCOMES, kind="block")
def build_outcomes(data: Records, lang: str = "zh") -> Block:
    """The stated outcomes: 3,774 people relocated, 24,000 poor pupils with no poverty
    dropout, 27,000 households' houses renovated, out-of-pocket medical costs at most 10 %.

    Four figures in four units, read one by one: the two counted in people say what share of
    the 236,000 registered poor they are (relocation touched a small share, pupils about a
    tenth); the cap "at most 10 %" keeps its qualifier.
    """
    i = data
    c = "precision.charts.outcomes"
    whole = i["poor_population"]
    keys, extra = [], []
    for ident in ("relocated_people", "pupils_no_dropout", "houses_renovated",
                  "out_of_pocket_share_max"):  # fmt: skip
        ind = i[ident]
        detail = ""
        if ident in PEOPLE_IN_WHOLE:
            source = f"share({ident},{whole.id})"
            share = provenance.resolve(source, lang, data.data_dir)
            detail = t(f"{c}.of_whole", lang, whole=fmt.quantity(whole, lang), share=share)
            extra += [[share, source], [fmt.quantity(whole, lang), whole.id]]
        keys.append(Key(fmt.quantity(ind, lang), ind.label(lang), ident, detail))
    block = key_numbers(keys, t(f"{c}.title", lang))
    block.numbers += extra
    return block
