"""The explorers' offline views: what the HTML report shows where JupyterLab shows live
ipywidgets (a page has no kernel to run their Python callbacks).

`growth_view(calculator)` is the growth calculator done with plotly's own controls: the same
figure, and a slider over every pair of years the income period allows, each step a
precomputed state (the chosen years shaded, their modelled values marked) with the sentence
the calculator would print for it (``layout.meta.slider_notes``, which the page shows under the
slider). The view is ``{"chart_id", "figure", "after", "draws"}``: the figure (plotly JSON,
without its source note), the HTML under it (the source note and "About this data") and the
ids it draws.
"""

from __future__ import annotations

import html
from itertools import combinations
from typing import Any

from ziyang_lib.report import fmt, theme
from ziyang_lib.report.about import About
from ziyang_lib.report.charts.display import figure_json
from ziyang_lib.report.notes import paragraphs_text
from ziyang_lib.report.text import t

SLIDER_NOTES = "slider_notes"  # layout.meta key: per slider, the sentence of each step


def growth_view(calc: Any) -> dict[str, Any]:
    """The growth calculator's offline view (see the module docstring)."""
    from ziyang_lib.report.widgets import INCOME_END, INCOME_RATE, INCOME_START

    lang = calc.lang
    years = list(range(calc.first_year, calc.last_year + 1))
    pairs = list(combinations(years, 2))
    fig = calc._figure()  # as the calculator opens: the whole period chosen
    whole = pairs.index((calc.first_year, calc.last_year))
    rates = (calc.stated_rate, calc.computed_rate)
    fig.add_scatter(
        x=[],
        y=[],
        mode="markers",
        marker={"size": 9, "color": theme.COLORS["modelled"], "symbol": "circle-open"},
        name=t("widgets.growth.chosen", lang),
        hoverinfo="x+y",
    )
    chosen = len(fig.data) - 1

    def state(a: int, b: int) -> list[Any]:
        points = [(y, calc.path(r, y)) for r in rates for y in (a, b)]
        return [
            {"x": [[x for x, _ in points]], "y": [[v for _, v in points]]},
            {"shapes[0].x0": a, "shapes[0].x1": b},
            [chosen],
        ]

    first = state(*pairs[whole])
    fig.data[chosen].update(x=first[0]["x"][0], y=first[0]["y"][0])
    steps = [
        {
            "method": "update",
            "label": t("widgets.growth.pair", lang, start=fmt.year(a), end=fmt.year(b)),
            "args": state(a, b),
        }
        for a, b in pairs
    ]
    fig.update_layout(
        sliders=[
            {
                "active": whole,
                "currentvalue": {"prefix": t("widgets.growth.years", lang)},
                "steps": steps,
            }
        ]
    )
    meta = dict(fig.layout.meta) if isinstance(fig.layout.meta, dict) else {}
    meta[SLIDER_NOTES] = [[calc.result(a, b) for a, b in pairs]]
    fig.update_layout(meta=meta)
    ids = [INCOME_START, INCOME_END, INCOME_RATE]
    note = f"<p><small>{html.escape(paragraphs_text(ids, lang, calc.data_dir))}</small></p>"
    about = About("growth_calculator", ids, lang, calc.data_dir).to_html()
    figure = theme.without_footnote(figure_json(fig))
    return {"chart_id": "growth_calculator", "figure": figure, "after": note + about, "draws": ids}
