"""The plotly look of the report: template ``ziyang``, palette, footnotes, approximation markers.

One palette (Okabe–Ito, colour-blind safe) with fixed roles: ``stated`` for figures the source
states, ``modelled`` for anything we compute between or beyond them, ``range`` for ranges and
approximations. Layout is phone-friendly: small margins, fonts ≥ 12 px, legend under the chart.
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go

from ziyang_lib.text import t

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
BASE_FONT = 14
SMALL_FONT = 12
HEIGHT = 480
FOOTNOTE_LINE_PX = 17
FOOTNOTE_WIDTH = 64  # display columns per footnote line (a CJK character counts 2)
MARGIN = {"l": 56, "r": 20, "t": 72, "b": 56}


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


def _columns(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def wrap(text: str, width: int = FOOTNOTE_WIDTH) -> list[str]:
    """Split `text` into lines of at most `width` display columns (CJK counts 2).

    Latin text breaks at spaces where possible; CJK text may break between any two characters.
    """
    lines: list[str] = []
    line, used, last_space = "", 0, -1
    for ch in text:
        line += ch
        used += _columns(ch)
        if ch == " ":
            last_space = len(line) - 1
        if used > width:
            cut = last_space if last_space > 0 else len(line) - 1
            lines.append(line[:cut].rstrip())
            line = line[cut:].lstrip()
            used = sum(_columns(c) for c in line)
            last_space = line.rfind(" ")
    if line.strip():
        lines.append(line.strip())
    return lines


def style(fig: go.Figure, title: str, *, subtitle: str | None = None) -> go.Figure:
    """Apply the ``ziyang`` template and a (escaped) title, optionally with a subtitle."""
    title_spec: dict[str, Any] = {"text": escape(title)}
    if subtitle:
        title_spec["subtitle"] = {"text": escape(subtitle), "font": {"size": SMALL_FONT}}
    fig.update_layout(template=template(), title=title_spec)
    return fig


def footnote(fig: go.Figure, text: str) -> go.Figure:
    """Add a source note under the chart (escaped, wrapped for a phone) and make room for it."""
    lines = wrap(text)
    height_px = FOOTNOTE_LINE_PX * len(lines)
    margin_b = (fig.layout.margin.b or MARGIN["b"]) + height_px + 8
    fig.add_annotation(
        text="<br>".join(escape(line) for line in lines),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="bottom",
        yshift=-margin_b + 4,
        align="left",
        showarrow=False,
        font={"size": SMALL_FONT, "color": COLORS["muted"]},
        name="footnote",
    )
    fig.update_layout(margin={"b": margin_b})
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
            "color": COLORS["range"],
            "opacity": 0.75,
            "pattern": {"shape": "/", "fgcolor": "white", "solidity": 0.25},
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
