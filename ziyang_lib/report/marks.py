"""Marks the charts share: ranges, open-ended figures, modelled lines, hovers with the source's
sentence, and number axes written the way each language writes numbers."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go

from ziyang_lib.report import fmt
from ziyang_lib.report.text import t
from ziyang_lib.report.theme import COLORS, RANGE_FILL, SMALL_FONT
from ziyang_lib.report.wrap import escape, wrap_html

QUOTE_WIDTH = 36  # display columns per hover line (a CJK character counts 2)


def quote_lines(quote: str, width: int = QUOTE_WIDTH) -> str:
    """The quote in “…”, escaped for plotly and wrapped with <br> for a phone-sized hover box."""
    return wrap_html(f"“{quote}”", width)


def hover(ind: Any, lang: str) -> str:
    """Hover text for a figure: bold label, the formatted quantity and the source quote."""
    return (
        f"<b>{escape(ind.label(lang))}</b><br>{escape(fmt.quantity(ind, lang))}"
        f"<br>{quote_lines(ind.quote)}"
    )


def hbar(
    x: float, y: Any, *, color: str, hover: str, text: str | None = None, **kwargs: Any
) -> go.Bar:
    """One horizontal bar: its value `x` on row `y`, coloured, its hover and (if any) its text
    written inside it; `kwargs` are any other `go.Bar` settings."""
    spec: dict[str, Any] = {
        "x": [x],
        "y": [y],
        "orientation": "h",
        "marker": {"color": color},
        "hovertext": [hover],
        "hoverinfo": "text",
    }
    if text is not None:
        spec.update(text=[text], textposition="inside", insidetextanchor="middle")
    spec.update(kwargs)
    return go.Bar(**spec)


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """Round tick values from 0 up to `top`: steps of 1, 2 or 5 × a power of ten."""
    if top <= 0:
        return [0.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return [k * step for k in range(int(top // step) + 1)]


def number_axis(
    fig: go.Figure, top: float, lang: str, *, axis: str = "xaxis", reach: float = 4.0
) -> go.Figure:
    """Label a numeric axis the way `fmt` writes numbers in the language (8,000 and 10,000 /
    8000 and 1万), never plotly's own format (8000 beside 10,000, or 50k). Ticks are round
    steps for an axis up to `top`, listed up to `reach` × `top`, so a cell that widens the
    axis's range still gets labelled ticks."""
    step_ticks = nice_ticks(top)
    step = step_ticks[1] - step_ticks[0] if len(step_ticks) > 1 else top or 1
    ticks = [k * step for k in range(int(top * reach // step) + 1)]
    text = [fmt.number(v, lang) for v in ticks]
    fig.update_layout({axis: {"tickmode": "array", "tickvals": ticks, "ticktext": text}})
    return fig


def log_ticks(low: float, high: float, lang: str) -> dict[str, list[Any]]:
    """Ticks for a log axis from `low` to `high`: 1, 2 and 5 × each power of ten, written in
    full by `fmt` (50 and 200, never plotly's abbreviated 5 and 2)."""
    first, last = math.floor(math.log10(low)), math.ceil(math.log10(high))
    values = [m * 10**p for p in range(first, last + 1) for m in (1, 2, 5)]
    values = [v for v in values if low <= v <= high]
    return {"tickvals": values, "ticktext": [fmt.number(v, lang) for v in values]}


def row_label(
    fig: go.Figure,
    y: Any,
    text: str,
    *,
    shift_px: float,
    yref: str = "y",
    color: str | None = None,
    bold: bool = False,
) -> None:
    """One line of text over a bar's row, from the plot's left edge: the row's name or value,
    set above the bar (`shift_px`) where a phone has room for it, never on the bar. `text` is
    escaped here; a long name is shortened in the catalogue, not broken."""
    body = f"<b>{escape(text)}</b>" if bold else escape(text)
    fig.add_annotation(
        x=0,
        xref="paper",
        y=y,
        yref=yref,
        yanchor="bottom",
        yshift=shift_px,
        xanchor="left",
        showarrow=False,
        text=body,
        align="left",
        bgcolor="rgba(255,255,255,0.85)",  # readable over a grid or reference line
        borderpad=1,
        font={"size": SMALL_FONT, **({"color": color} if color else {})},
    )


def bar_shift(plot_px: float, rows_span: float, bargap: float, above: float = 4) -> float:
    """Pixels from a bar row's centre to just above its bar (half a bar, plus `above`)."""
    return plot_px / rows_span * (1 - bargap) / 2 + above


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
