"""The plotly look of the report: template ``ziyang``, palette, footnotes, approximation markers.

One palette (Okabe–Ito, colour-blind safe) with fixed roles: ``stated`` for figures the source
states, ``modelled`` for anything we compute between or beyond them, ``range`` for ranges and
approximations. Layout is phone-friendly: small margins, fonts ≥ 12 px, legend under the chart.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import plotly.graph_objects as go

from ziyang_lib.report.wrap import (  # noqa: F401 (charts use them through theme)
    FOOTNOTE_WIDTH,
    columns,
    escape,
    has_cjk,
    lines_of,
    wrap,
    wrap_html,
)

TEMPLATE_NAME = "ziyang"
FONT_FAMILY = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", '
    '"Noto Sans", sans-serif'
)
# Okabe & Ito (2008) colour-blind-safe palette.
PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
)
COLORS: dict[str, str] = {
    "stated": PALETTE[0],
    "modelled": PALETTE[5],
    "range": PALETTE[2],
    "accent": PALETTE[1],
    "other": PALETTE[3],
    "muted": "#8C8C8C",
    "text": "#222222",
    "grid": "#E5E5E5",
}
RANGE_FILL = "rgba(0,158,115,0.35)"
BASE_FONT = 14
SMALL_FONT = 12
HEIGHT = 480
# Pixel budget of the text around a plot (see `finish`); widths are display columns per line,
# a CJK character counting 2. Labels inside a plot are sized for a phone about 360 px wide.
# The title and subtitle a figure carries are for JupyterLab and the static exports (1200 px
# wide): the report page sets them as HTML above the chart instead (`without_title`), where the
# browser wraps them, so they are broken only where a wide figure runs out of room.
PHONE_WIDTH = 340
TITLE_WIDTH = 90
SUBTITLE_WIDTH = 150
TITLE_TOP_PX = 16
TITLE_BASELINE_PX = 32  # figure top to the first title line's baseline (18 px font)
TITLE_LINE_PX = 24
FOOTNOTE_LINE_PX = 17
LEGEND_ROW_PX = 22
MENU_PX = 40
MENU_GAP_PX = 6
SUBPLOT_TITLE_PX = 26
AXIS_PX = 56
MARGIN = {"l": 56, "r": 20, "t": 72, "b": 56}
FOOTNOTE_NAME = "footnote"  # the `name` of the source-note annotation (see `without_footnote`)
TITLE_META = "title_block"  # layout.meta key: the title and subtitle as text, and their pixels
LIFTED_TOP_PX = 16  # room kept above the plot (and its buttons) once the title is lifted out


def template() -> go.layout.Template:
    """Return the ``ziyang`` plotly template (a fresh object)."""
    axis = {
        "gridcolor": COLORS["grid"],
        "zerolinecolor": COLORS["grid"],
        "linecolor": COLORS["muted"],
        "automargin": True,
        "title": {"font": {"size": BASE_FONT}},
        "tickfont": {"size": SMALL_FONT},
    }
    return go.layout.Template(
        layout={
            "font": {"family": FONT_FAMILY, "size": BASE_FONT, "color": COLORS["text"]},
            "title": {"x": 0.0, "xanchor": "left", "font": {"size": BASE_FONT + 4}},
            "colorway": list(PALETTE),
            "paper_bgcolor": "white",
            "plot_bgcolor": "white",
            "margin": dict(MARGIN),
            "autosize": True,
            "height": HEIGHT,
            "xaxis": axis,
            "yaxis": axis,
            "legend": {
                "orientation": "h",
                "x": 0.0,
                "xanchor": "left",
                "yanchor": "top",
                "y": -0.12,
                "font": {"size": SMALL_FONT},
            },
            "hoverlabel": {"font": {"family": FONT_FAMILY, "size": SMALL_FONT}, "align": "left"},
            "separators": ".,",
        }
    )


def register() -> None:
    """Register the template as ``plotly.io.templates['ziyang']``."""
    import plotly.io as pio

    pio.templates[TEMPLATE_NAME] = template()


def apply() -> None:
    """Register the template and make it plotly's default."""
    import plotly.io as pio

    register()
    pio.templates.default = TEMPLATE_NAME


def style(fig: go.Figure, title: str, *, subtitle: str | None = None) -> go.Figure:
    """Apply the ``ziyang`` template and an escaped title, plus subtitle (broken into lines only
    where a wide figure runs out of room: `TITLE_WIDTH`, `SUBTITLE_WIDTH`).

    The title hangs from the top of the plot area by a pixel pad (see `finish`), so it stays in
    place whatever height the figure is drawn or exported at.
    """
    title_spec: dict[str, Any] = {
        "text": "<br>".join(escape(x) for x in lines_of(title, TITLE_WIDTH)),
        "x": 0,
        "xref": "container",
        "xanchor": "left",
        "pad": {"l": 8},
    }
    if subtitle:
        title_spec["subtitle"] = {
            "text": "<br>".join(escape(x) for x in lines_of(subtitle, SUBTITLE_WIDTH)),
            "font": {"size": SMALL_FONT, "color": COLORS["muted"]},
        }
    fig.layout.template = _shared_template()  # plotly copies it into the figure
    fig.update_layout(title=title_spec)
    return fig


@lru_cache(maxsize=1)
def _shared_template() -> go.layout.Template:
    """`template()` made once: each figure it is assigned to gets its own copy."""
    return template()


_NO_LEGEND_TYPES = frozenset({"sankey", "table", "indicator", "treemap", "sunburst", "pie"})


def _legend_rows(fig: go.Figure) -> int:
    """Rows the horizontal legend needs on a phone-width (~360 px) chart."""
    if fig.layout.showlegend is False:
        return 0
    names = [
        str(tr.name)
        for tr in fig.data
        if tr.type not in _NO_LEGEND_TYPES and tr.showlegend is not False and tr.name
    ]
    if len(set(names)) < 2 and fig.layout.showlegend is not True:
        return 0
    rows, used = 0, PHONE_WIDTH
    for name in dict.fromkeys(names):
        width = 44 + 6 * columns(name)
        if used + width > PHONE_WIDTH:
            rows, used = rows + 1, 0
        used += width
    return rows


def _has_x_axis(fig: go.Figure) -> bool:
    return any(tr.type not in _NO_LEGEND_TYPES for tr in fig.data)


def finish(
    fig: go.Figure,
    title: str,
    *,
    note: str | None = None,
    subtitle: str | None = None,
    axis_px: int | None = None,
) -> go.Figure:
    """Style `fig`, then lay out top to bottom in pixels: title, subtitle, buttons, plot,
    axis, legend, and room for a source note (`add_note`; `note` is a caveat drawn there first).
    The plot keeps the height the builder asked for (default `HEIGHT`); the figure grows by what
    the text around it needs. `axis_px` is the room under the plot for x tick labels and axis
    title (default `AXIS_PX`, or 8 without an x axis)."""
    style(fig, title, subtitle=subtitle)
    title_px = TITLE_LINE_PX * len(lines_of(title, TITLE_WIDTH))
    sub_lines = len(lines_of(subtitle, SUBTITLE_WIDTH))
    title_px += FOOTNOTE_LINE_PX * sub_lines + (8 if sub_lines else 0)
    meta = dict(fig.layout.meta) if isinstance(fig.layout.meta, dict) else {}
    has_menu = bool(fig.layout.updatemenus)
    meta[TITLE_META] = {
        "title": title,
        "subtitle": subtitle or "",
        "px": TITLE_TOP_PX + title_px,
        "menu_px": MENU_PX if has_menu else 0,
        "note": note or "",  # the chart's caveat: a page sets it under the plot
    }
    fig.update_layout(meta=meta)
    subplot_titles = any(
        a.yref == "paper" and (a.y or 0) >= 1 and a.yanchor == "bottom"
        for a in fig.layout.annotations
    )
    top = TITLE_TOP_PX + title_px + (MENU_PX if has_menu else 0) + 8
    top += SUBPLOT_TITLE_PX if subplot_titles else 0
    legend_px = LEGEND_ROW_PX * _legend_rows(fig)
    if axis_px is None:
        axis_px = AXIS_PX if _has_x_axis(fig) else 8
    bottom = axis_px + legend_px + 12
    plot_px = fig.layout.height or HEIGHT
    height = plot_px + top + bottom
    fig.update_layout(
        height=height,
        margin={"t": top, "b": bottom},
        # plotly sets a multi-line title's FIRST baseline at the anchor whatever `yanchor` says,
        # so anchor that baseline to the plot's top edge (paper y = 1) by a pixel pad
        title={"yref": "paper", "y": 1, "yanchor": "bottom", "pad": {"b": top - TITLE_BASELINE_PX}},
        legend={"yref": "container", "y": 10 / height, "yanchor": "bottom"},
    )
    if has_menu:
        lift = (MENU_GAP_PX + (SUBPLOT_TITLE_PX if subplot_titles else 0)) / plot_px
        for menu in fig.layout.updatemenus:
            menu.update(y=1 + lift, yanchor="bottom", x=0, xanchor="left", pad={"t": 0, "b": 0})
    return add_note(fig, note) if note else fig


def add_note(fig: go.Figure, text: str) -> go.Figure:
    """Add `text` to the source note under a finished chart (after what is there), growing the
    figure by the lines it needs; the plot, title and legend keep their pixel places."""
    notes = [a for a in fig.layout.annotations if a.name == FOOTNOTE_NAME]
    meta = dict(fig.layout.meta or {}) if isinstance(fig.layout.meta, dict) else {}
    before = html.unescape(str(meta.get(FOOTNOTE_NAME) or "")) if notes else ""
    raw = f"{before} {text}" if before else text
    lines = wrap(raw)
    delta = FOOTNOTE_LINE_PX * len(lines) - (_note_px(notes[0].to_plotly_json()) if notes else 0)
    height, bottom = fig.layout.height + delta, fig.layout.margin.b + delta
    note_px = FOOTNOTE_LINE_PX * len(lines)
    fig.update_layout(
        height=height,
        margin={"b": bottom},
        legend={"y": (note_px + 10) / height},
        meta={**meta, FOOTNOTE_NAME: escape(raw)},  # kept escaped, like every drawn text
    )
    spec = {
        "text": "<br>".join(escape(line) for line in lines),
        "yshift": -bottom + 6,
    }
    if notes:
        notes[0].update(spec)
        return fig
    fig.add_annotation(
        **spec,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="bottom",
        xshift=-(fig.layout.margin.l if fig.layout.margin.l is not None else MARGIN["l"]) + 8,
        align="left",
        showarrow=False,
        font={"size": SMALL_FONT, "color": COLORS["muted"]},
        name=FOOTNOTE_NAME,
    )
    return fig


def _note_px(annotation: dict[str, Any]) -> int:
    """Pixels `finish` reserved for a source note: one `FOOTNOTE_LINE_PX` per drawn line."""
    return FOOTNOTE_LINE_PX * (str(annotation.get("text") or "").count("<br>") + 1)


def without_footnote(figure: dict[str, Any]) -> dict[str, Any]:
    """A copy of `figure` (plotly JSON, as from ``fig.to_plotly_json()``) without the source note
    `finish` drew under it, for pages that print the note themselves.

    The figure gets shorter by the note's height; the plot, the title (hung from the plot) and
    a container-anchored legend keep their pixel positions. A figure without a note is returned
    as it is.
    """
    layout = dict(figure.get("layout") or {})
    annotations = list(layout.get("annotations") or [])
    notes = [a for a in annotations if a.get("name") == FOOTNOTE_NAME]
    if not notes:
        return figure
    note_px = sum(_note_px(a) for a in notes)
    layout["annotations"] = [a for a in annotations if a.get("name") != FOOTNOTE_NAME]
    if isinstance(layout.get("meta"), dict):
        layout["meta"] = {k: v for k, v in layout["meta"].items() if k != FOOTNOTE_NAME}
    height = layout.get("height")
    if height:
        layout["height"] = height - note_px
        margin = dict(layout.get("margin") or {})
        if margin.get("b") is not None:
            margin["b"] = max(0, margin["b"] - note_px)
        layout["margin"] = margin
        legend = layout.get("legend") or {}
        if legend.get("yref") == "container" and legend.get("y") is not None:
            y = max(0.0, legend["y"] * height - note_px) / layout["height"]
            layout["legend"] = {**legend, "y": y}
    return {**figure, "layout": layout}


def title_block(figure: dict[str, Any]) -> dict[str, Any] | None:
    """The title and subtitle `finish` gave a figure (plotly JSON), as plain text, and the pixels
    they and the row of buttons take above the plot: ``{"title", "subtitle", "px", "menu_px"}``;
    None for a figure `finish` did not lay out."""
    meta = (figure.get("layout") or {}).get("meta")
    block = meta.get(TITLE_META) if isinstance(meta, dict) else None
    return dict(block) if isinstance(block, dict) else None


def lift(figure: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Split `figure` (plotly JSON) for a page that sets its words and controls as HTML: the
    figure without its title, subtitle, buttons and sliders, and those as ``{"title",
    "subtitle", "note", "menus", "sliders"}`` (texts from `title_block`, else ''; ``note`` is the
    caveat `finish` drew with the source note, which `without_footnote` takes out).

    The figure gets shorter by what it no longer draws above the plot (down to
    `LIFTED_TOP_PX`); the plot and a container-anchored legend keep their pixel places.
    """
    block = title_block(figure) or {}
    layout = dict(figure.get("layout") or {})
    parts = {
        "title": block.get("title", ""),
        "subtitle": block.get("subtitle", ""),
        "note": block.get("note", ""),
        "menus": list(layout.pop("updatemenus", None) or []),
        "sliders": list(layout.pop("sliders", None) or []),
    }
    margin = dict(layout.get("margin") or {})
    if not block or margin.get("t") is None:
        return {**figure, "layout": layout}, parts
    drawn = int(block.get("px", 0)) + int(block.get("menu_px", 0))
    lift_px = max(0, min(drawn - LIFTED_TOP_PX, int(margin["t"]) - LIFTED_TOP_PX))
    layout["title"] = {"text": ""}
    layout["meta"] = {k: v for k, v in layout["meta"].items() if k != TITLE_META}
    margin["t"] -= lift_px
    layout["margin"] = margin
    height = layout.get("height")
    if height:
        layout["height"] = height - lift_px
        legend = layout.get("legend") or {}
        if legend.get("yref") == "container" and legend.get("y") is not None:
            layout["legend"] = {**legend, "y": legend["y"] * height / layout["height"]}
    return {**figure, "layout": layout}, parts


def buttons(
    fig: go.Figure, items: Sequence[tuple[str, str, list[Any]]], *, active: int = 0
) -> go.Figure:
    """Add a row of buttons above the plot: each item is (label, plotly method, args).

    `finish` places the row under the title; the buttons work offline (plain plotly.js).
    """
    fig.update_layout(
        updatemenus=[
            {
                "type": "buttons",
                "direction": "right",
                "active": active,
                "showactive": True,
                "font": {"size": SMALL_FONT},
                "buttons": [
                    {"label": escape(label), "method": method, "args": args}
                    for label, method, args in items
                ],
            }
        ]
    )
    return fig


register()
