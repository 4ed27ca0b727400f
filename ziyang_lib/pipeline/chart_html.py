"""One chart as page markup: its words and controls as HTML around the plot plotly.js draws.

A chart output (plotly JSON) becomes ``<figure class="zy-chart" id="chart-<id>">``:

- its title and subtitle as page text above the plot (taken out of the figure with
  `ziyang_lib.report.theme.lift`), so the browser wraps them at any width, CJK included, numbers
  kept with their units;
- its buttons, dropdowns and sliders (plotly ``updatemenus`` / ``sliders``) as HTML controls at
  least 40 px tall, which apply the same precomputed states through plotly's own methods
  (``static/charts.js``, the page's chart runner); a slider step's sentence
  (``layout.meta.slider_notes``) shows under the slider;
- the plot itself, drawn by the runner from a JSON script element, and a note that shows until
  it is drawn (plotly.js missing or failing), so a chart is never a blank box.
"""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from ziyang_lib.report.blocks import head_html
from ziyang_lib.report.charts.display import chart_anchor, chart_title
from ziyang_lib.report.explorers_offline import SLIDER_NOTES
from ziyang_lib.report.text import t
from ziyang_lib.report.theme import lift
from ziyang_lib.report.wrap import html_text

STATIC_DIR = Path(__file__).resolve().parent / "templates" / "ziyang" / "static"
PLOT_CONFIG: dict[str, Any] = {"responsive": True, "displaylogo": False, "typesetMath": False}
_TAG = re.compile(r"<[^>]+>")


@lru_cache(maxsize=1)
def runner_js() -> str:
    """The page's chart runner (``templates/ziyang/static/charts.js``)."""
    return (STATIC_DIR / "charts.js").read_text(encoding="utf-8")


def script_json(value: Any) -> str:
    """Serialise `value` as JSON safe inside a ``<script>`` element (no ``<``, ``>`` or ``&``)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def plain(label: Any) -> str:
    """A plotly label (its small HTML subset, escaped) as plain text."""
    return " ".join(html.unescape(_TAG.sub(" ", str(label or ""))).split())


def _state(item: dict[str, Any]) -> dict[str, Any]:
    return {"method": item.get("method") or "restyle", "args": item.get("args") or []}


def _menu_html(k: int, menu: dict[str, Any]) -> str:
    items = menu.get("buttons") or []
    active = int(menu.get("active") or 0)
    if menu.get("type") == "dropdown":
        options = "".join(
            f'<option value="{j}"{" selected" if j == active else ""}>'
            f"{html.escape(plain(b.get('label')))}</option>"
            for j, b in enumerate(items)
        )
        return (
            f'<div class="zy-controls" data-zy-menu="{k}"><select class="zy-control">'
            f"{options}</select></div>"
        )
    buttons = "".join(
        f'<button type="button" class="zy-control" data-zy-item="{j}" '
        f'aria-pressed="{"true" if j == active else "false"}">'
        f"{html.escape(plain(b.get('label')))}</button>"
        for j, b in enumerate(items)
    )
    return f'<div class="zy-controls" role="group" data-zy-menu="{k}">{buttons}</div>'


def _slider_html(k: int, slider: dict[str, Any], notes: list[str]) -> str:
    steps = slider.get("steps") or []
    active = int(slider.get("active") or 0)
    prefix = plain((slider.get("currentvalue") or {}).get("prefix"))
    label = plain(steps[active].get("label")) if steps else ""
    note = notes[active] if active < len(notes) else ""
    return (
        f'<div class="zy-slider" data-zy-slider="{k}"><label><span>{html.escape(prefix)}</span>'
        f"<output>{html.escape(label)}</output>"
        f'<input type="range" min="0" max="{max(0, len(steps) - 1)}" step="1" value="{active}">'
        f'</label><p class="zy-slider-note" aria-live="polite">{html.escape(note)}</p></div>'
    )


def _slider_notes(parts: dict[str, Any], k: int) -> list[str]:
    notes = parts.get("slider_notes") or []
    return [str(x) for x in notes[k]] if k < len(notes) else []


def spec(figure: dict[str, Any], parts: dict[str, Any]) -> dict[str, Any]:
    """data/layout/config for Plotly.newPlot (sized to its container) and the controls' states."""
    layout = dict(figure.get("layout") or {})
    layout.pop("width", None)
    layout["autosize"] = True
    config = {**(figure.get("config") or {}), **PLOT_CONFIG}
    sliders = []
    for k, slider in enumerate(parts["sliders"]):
        notes = _slider_notes(parts, k)
        steps = slider.get("steps") or []
        sliders.append(
            [
                {**_state(step), "label": plain(step.get("label")),
                 "note": notes[j] if j < len(notes) else ""}
                for j, step in enumerate(steps)
            ]
        )  # fmt: skip
    menus = [[_state(b) for b in m.get("buttons") or []] for m in parts["menus"]]
    controls = {"menus": menus, "sliders": sliders}
    return {"data": figure.get("data") or [], "layout": layout, "config": config,
            "controls": controls}  # fmt: skip


def chart_html(figure: dict[str, Any], chart_id: str, caption: str | None, lang: str) -> str:
    """The ``<figure>`` markup of one chart (see the module docstring)."""
    anchor = html.escape(chart_id, quote=True)
    drawn_title = chart_title(figure)
    figure, parts = lift(figure)
    meta = (figure.get("layout") or {}).get("meta")
    if isinstance(meta, dict) and SLIDER_NOTES in meta:
        parts["slider_notes"] = meta[SLIDER_NOTES]
        layout = dict(figure["layout"])
        layout["meta"] = {k: v for k, v in meta.items() if k != SLIDER_NOTES}
        figure = {**figure, "layout": layout}
    title = parts["title"] or drawn_title
    label = html.escape(title or chart_id, quote=True)
    controls = [_menu_html(k, m) for k, m in enumerate(parts["menus"])]
    controls += [
        _slider_html(k, s, _slider_notes(parts, k)) for k, s in enumerate(parts["sliders"])
    ]
    note = f'<p class="zy-chart-note">{html.escape(t("page.chart_not_drawn", lang))}</p>'
    out = [
        f'<figure class="zy-chart" id="{chart_anchor(anchor)}">',
        head_html(title, parts["subtitle"]),
        *controls,
        f'<div class="zy-plot" data-chart-id="{anchor}" role="img" aria-label="{label}"></div>',
        f'<div class="zy-chart-fallback">{note}</div>',
        f'<p class="zy-chart-caveat">{html_text(parts["note"])}</p>' if parts["note"] else "",
        f'<script type="application/json" class="zy-plot-data">{script_json(spec(figure, parts))}'
        "</script>",
    ]
    if caption:
        out.append(f"<figcaption>{html.escape(caption)}</figcaption>")
    out.append("</figure>")
    return "\n".join(x for x in out if x)
