"""The plotly look of the report: template ``ziyang``, palette, footnotes, approximation markers.

One palette (Okabe–Ito, colour-blind safe) with fixed roles: ``stated`` for figures the source
states, ``modelled`` for anything we compute between or beyond them, ``range`` for ranges and
approximations. Layout is phone-friendly: small margins, fonts ≥ 12 px, legend under the chart.
"""

from __future__ import annotations

import html
import math
import unicodedata
from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go

from ziyang_lib.report.text import t

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
# a CJK character counting 2, sized for a phone about 360 px wide.
PHONE_WIDTH = 340
TITLE_WIDTH = 36
SUBTITLE_WIDTH = 52
FOOTNOTE_WIDTH = 52  # leaves room for a y axis whose labels widen the left margin
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


def escape(text: str) -> str:
    """Escape data-derived text for plotly's small HTML subset (titles, hover, annotations)."""
    return html.escape(str(text), quote=False)


def _is_cjk(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _columns(ch: str) -> int:
    """Display columns of one character: 2 for CJK and for the "ambiguous" ones (“ ” · — …)
    that the CJK font draws full width; 1 otherwise."""
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F", "A") else 1


def columns(text: str) -> int:
    """Display columns of `text` (a CJK character counts 2)."""
    return sum(_columns(ch) for ch in str(text))


def has_cjk(text: str) -> bool:
    """Whether `text` has a CJK character (text plotly cannot wrap at spaces)."""
    return any(_is_cjk(ch) for ch in str(text))


_NO_LINE_START = "，、。；：！？）》”,.;:!?)"
_NO_LINE_END = "（《“("


def _breakable(line: str, k: int) -> bool:
    """May a line break before index `k`? After a space, next to a CJK character, or after a
    hyphen joining two words (poverty-|alleviation); never next to punctuation that binds to
    a word (“…”, （…）, ，) nor between a number and its unit (6985元, 60%以上)."""
    before, after = line[k - 1], line[k]
    if (
        after in _NO_LINE_START
        or before in _NO_LINE_END
        or ((before.isdigit() or before == "%") and _is_cjk(after))
    ):
        return False
    return (
        before == " "
        or _is_cjk(before)
        or _is_cjk(after)
        or (before in "-–" and k >= 2 and line[k - 2].isalpha() and after.isalpha())
    )


def _wrap_raw(text: str, width: int) -> list[str]:
    """Lines of at most `width` columns; a line broken at a space keeps that space at its end,
    so that the lines joined again give back the text exactly."""
    lines: list[str] = []
    line, used = "", 0
    for ch in text:
        line += ch
        used += _columns(ch)
        if used > width:
            cuts = [k for k in range(1, len(line)) if _breakable(line, k)]
            cut = cuts[-1] if cuts else len(line) - 1
            lines.append(line[:cut])
            line = line[cut:]
            used = sum(_columns(c) for c in line)
    if line:
        lines.append(line)
    return lines


def wrap(text: str, width: int = FOOTNOTE_WIDTH) -> list[str]:
    """Split `text` into lines of at most `width` display columns (CJK counts 2).

    Breaks after spaces, after a hyphen between two words or next to CJK characters, never
    inside a Latin word or a number (a word longer than a line is cut). Lines are stripped.
    """
    return [x.strip() for x in _wrap_raw(text, width) if x.strip()]


def _lines(text: str | None, width: int) -> list[str]:
    return wrap(text, width) if text else []


def wrap_html(text: str, width: int) -> str:
    """`text` escaped and wrapped with <br> at `width` display columns (tick labels, hovers).

    Spaces at the breaks are kept, so the drawn text reads back as the original string."""
    return "<br>".join(escape(line) for line in _wrap_raw(str(text), width))


def style(fig: go.Figure, title: str, *, subtitle: str | None = None) -> go.Figure:
    """Apply the ``ziyang`` template and an escaped title (wrapped for a phone), plus subtitle.

    The title hangs from the top of the plot area by a pixel pad (see `finish`), so it stays in
    place whatever height the figure is drawn or exported at.
    """
    title_spec: dict[str, Any] = {
        "text": "<br>".join(escape(x) for x in _lines(title, TITLE_WIDTH)),
        "x": 0,
        "xref": "container",
        "xanchor": "left",
        "pad": {"l": 8},
    }
    if subtitle:
        title_spec["subtitle"] = {
            "text": "<br>".join(escape(x) for x in _lines(subtitle, SUBTITLE_WIDTH)),
            "font": {"size": SMALL_FONT, "color": COLORS["muted"]},
        }
    fig.update_layout(template=template(), title=title_spec)
    return fig


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
    note: str,
    *,
    subtitle: str | None = None,
    axis_px: int | None = None,
) -> go.Figure:
    """Style `fig`, then lay out top to bottom in pixels: title, subtitle, buttons, plot,
    axis, legend, source note. The plot keeps the height the builder asked for (default
    `HEIGHT`); the figure grows by what the text around it needs. `axis_px` is the room under
    the plot for x tick labels and axis title (default `AXIS_PX`, or 8 without an x axis)."""
    style(fig, title, subtitle=subtitle)
    title_px = TITLE_LINE_PX * len(_lines(title, TITLE_WIDTH))
    sub_lines = len(_lines(subtitle, SUBTITLE_WIDTH))
    title_px += FOOTNOTE_LINE_PX * sub_lines + (8 if sub_lines else 0)
    has_menu = bool(fig.layout.updatemenus)
    subplot_titles = any(
        a.yref == "paper" and (a.y or 0) >= 1 and a.yanchor == "bottom"
        for a in fig.layout.annotations
    )
    top = TITLE_TOP_PX + title_px + (MENU_PX if has_menu else 0) + 8
    top += SUBPLOT_TITLE_PX if subplot_titles else 0
    note_lines = wrap(note)
    note_px = FOOTNOTE_LINE_PX * len(note_lines)
    legend_px = LEGEND_ROW_PX * _legend_rows(fig)
    if axis_px is None:
        axis_px = AXIS_PX if _has_x_axis(fig) else 8
    bottom = axis_px + legend_px + note_px + 12
    plot_px = fig.layout.height or HEIGHT
    height = plot_px + top + bottom
    fig.update_layout(
        height=height,
        margin={"t": top, "b": bottom},
        # plotly sets a multi-line title's FIRST baseline at the anchor whatever `yanchor` says,
        # so anchor that baseline to the plot's top edge (paper y = 1) by a pixel pad
        title={"yref": "paper", "y": 1, "yanchor": "bottom", "pad": {"b": top - TITLE_BASELINE_PX}},
        legend={"yref": "container", "y": (note_px + 10) / height, "yanchor": "bottom"},
    )
    if has_menu:
        lift = (MENU_GAP_PX + (SUBPLOT_TITLE_PX if subplot_titles else 0)) / plot_px
        for menu in fig.layout.updatemenus:
            menu.update(y=1 + lift, yanchor="bottom", x=0, xanchor="left", pad={"t": 0, "b": 0})
    fig.add_annotation(
        text="<br>".join(escape(line) for line in note_lines),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="bottom",
        yshift=-bottom + 6,
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


def footnote(fig: go.Figure, text: str) -> go.Figure:
    """Add a source note under an already styled chart (use `finish` for new charts)."""
    title = html.unescape((fig.layout.title.text or "").replace("<br>", ""))
    return finish(fig, title, text)


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


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """Round tick values from 0 up to `top`: steps of 1, 2 or 5 × a power of ten."""
    if top <= 0:
        return [0.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return [k * step for k in range(int(top // step) + 1)]


def number_axis(fig: go.Figure, top: float, lang: str, *, axis: str = "xaxis") -> go.Figure:
    """Label a numeric axis the way the language writes numbers (5万 / 50,000), not 50k."""
    from ziyang_lib.report import fmt

    ticks = nice_ticks(top)
    fig.update_layout({axis: {"tickvals": ticks, "ticktext": [fmt.number(v, lang) for v in ticks]}})
    return fig


def range_bar(
    categories: Sequence[Any],
    low: Sequence[float],
    high: Sequence[float],
    *,
    name: str,
    hovertext: Sequence[str] | None = None,
    horizontal: bool = True,
) -> go.Bar:
    """A bar drawn from `low` to `high` (hatched, ``range`` colour): a range, not a point."""
    lengths = [h - lo for lo, h in zip(low, high, strict=True)]
    spec: dict[str, Any] = {
        "base": list(low),
        "name": name,
        "marker": {
            "color": RANGE_FILL,
            "pattern": {"shape": "/", "fgcolor": COLORS["range"], "solidity": 0.2},
            "line": {"color": COLORS["range"], "width": 2},
        },
        "hovertext": list(hovertext) if hovertext is not None else None,
        "hoverinfo": "text" if hovertext is not None else None,
        "orientation": "h" if horizontal else "v",
    }
    if horizontal:
        spec.update(x=lengths, y=list(categories))
    else:
        spec.update(x=list(categories), y=lengths)
    return go.Bar(**spec)


def open_ended(
    x: float,
    y: Any,
    *,
    lang: str,
    extend: float = 0.15,
    horizontal: bool = True,
    name: str | None = None,
    hovertext: str | None = None,
    showlegend: bool = False,
    color: str | None = None,
    label: str | None = None,
) -> list[go.Scatter]:
    """Mark a "more than / at least" value: a triangle at the bound pointing onward, a dotted
    extension of `extend` × the value beyond it and a "余 / more than" label.

    With ``horizontal`` the value is on the x axis (category `y`); otherwise on the y axis.
    """
    color = color or COLORS["stated"]
    label = label if label is not None else t("ui.theme.more_than", lang)
    tip = x * (1 + extend)
    xs, ys = ([x, tip], [y, y]) if horizontal else ([y, y], [x, tip])
    line = go.Scatter(
        x=xs,
        y=ys,
        mode="lines",
        line={"color": color, "dash": "dot", "width": 2},
        hoverinfo="skip",
        showlegend=False,
        name=name or label,
    )
    mx, my = ([tip], [y]) if horizontal else ([y], [tip])
    marker = go.Scatter(
        x=mx,
        y=my,
        mode="markers+text",
        marker={
            "symbol": "triangle-right" if horizontal else "triangle-up",
            "size": 12,
            "color": color,
        },
        text=[escape(label)],
        textposition="middle right" if horizontal else "top center",
        textfont={"size": SMALL_FONT, "color": color},
        hovertext=[hovertext] if hovertext else None,
        hoverinfo="text" if hovertext else "skip",
        showlegend=showlegend,
        name=name or label,
    )
    return [line, marker]


def modelled_line(
    x: Sequence[Any], y: Sequence[float], *, lang: str, name: str, **kwargs: Any
) -> go.Scatter:
    """A dashed line in the ``modelled`` colour whose legend entry says it is modelled."""
    spec: dict[str, Any] = {
        "x": list(x),
        "y": list(y),
        "mode": "lines",
        "name": t("ui.theme.modelled_name", lang, name=name),
        "line": {"color": COLORS["modelled"], "dash": "dash", "width": 2},
    }
    spec.update(kwargs)
    return go.Scatter(**spec)


register()
