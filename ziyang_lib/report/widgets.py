"""Three ipywidgets explorers for JupyterLab, where the kernel is live.

* `indicator_browser` — pick a section, then an indicator: its value with bounds, and its source.
* `growth_calculator` — two years in the income period: what the stated yearly growth implies
  between them, against the compound rate implied by the two stated endpoints (both modelled).
* `funds_explorer` — funds by kind (cumulative) or by level of government (per year), with a
  toggle; ranges stay ranges and approximations stay approximations.

Each explorer is a `VBox` whose public controls are attributes (set ``.value`` to drive it) and
whose current state is `figure` (the plotly figure shown) and `note` (an HTML widget). The figure
is shown through an `Output` widget whose ``outputs`` hold the same bundle
`ziyang_lib.report.charts.display.show` publishes, so it renders in JupyterLab without ``anywidget``
(plotly 7's ``FigureWidget`` needs it). In the exported HTML report a widget view becomes its
offline view when the explorer has one (`Explorer.offline`: the growth calculator becomes a
slider over precomputed pairs of years), and the page leaves the section out when it has none.
Every label comes from ``catalogue/widgets.yaml`` or the indicator metadata; every number from
``data/`` through ``fmt``.
"""

from __future__ import annotations

import html
import math
from typing import Any

import ipywidgets as widgets
import plotly.graph_objects as go

from ziyang_lib.report import fmt, marks, theme
from ziyang_lib.report.charts.display import chart_bundle
from ziyang_lib.report.notes import paragraphs_text
from ziyang_lib.report.text import check_lang, t
from ziyang_lib.truth.loaders import Indicator, indicator, load_indicators

INCOME_START, INCOME_END, INCOME_RATE = (
    "poor_income_2013",
    "poor_income_2019",
    "poor_income_growth_stated",
)
FUNDS_KIND = ("fiscal_special_funds", "sectoral_special_funds")
FUNDS_TOTAL = "special_funds_total"
FUNDS_LEVEL = ("city_budget_per_year", "county_budget_per_year", "health_fund_per_year")
SMALL_HEIGHT = 320
LABEL_ROOM = 1.35  # x-axis span as a multiple of the largest value, so outside labels fit
UNIT_FIELD = {"zh": "unit", "en": "unit_en"}  # which Indicator field holds the unit per language


def _esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


class Explorer(widgets.VBox):
    """Base class: controls on top, the chart (an `Output`) and a note under it."""

    def __init__(self, lang: str, data_dir: Any, controls: list[widgets.Widget]) -> None:
        self.lang = check_lang(lang)
        self.data_dir = data_dir or None
        self.output = widgets.Output()
        self.note = widgets.HTML()
        self.figure: go.Figure | None = None
        super().__init__(children=[*controls, self.output, self.note])

    def __repr__(self) -> str:  # the default repr dumps every child's state
        return f"{type(self).__name__}(lang={self.lang!r})"

    def offline(self) -> dict[str, Any] | None:
        """What the HTML report shows instead of the live controls (`ziyang_lib.report.
        explorers_offline`): the same job done with precomputed states; None when the page's
        other charts and tables already do it (the report then leaves the section out)."""
        return None

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        data = super()._repr_mimebundle_(**kwargs)
        view = self.offline()
        if view is None or not data:
            return data
        return data, {"ziyang": {"offline": view}}

    def _render(self, fig: go.Figure, chart_id: str, note_html: str) -> None:
        """Show `fig` in the output area and `note_html` under it."""
        data, metadata = chart_bundle(fig, chart_id=chart_id, lang=self.lang)
        self.figure = fig
        self.output.outputs = ({"output_type": "display_data", "data": data, "metadata": metadata},)
        self.note.value = note_html


# --- indicator browser --------------------------------------------------------------------------


def _is_calendar_year(ind: Indicator) -> bool:
    return str(ind.unit_en).lower() in ("year", "calendar year")


def _bounds(ind: Indicator) -> tuple[float | None, float | None]:
    """(low, high) as stated; None where the source gives no bound."""

    def num(x: float | None) -> float | None:
        return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)

    return num(ind.low), num(ind.high)


def _labelled_point(
    fig: go.Figure, x: float, row: list[str], text: str, hover: str, marker: dict[str, Any]
) -> None:
    """One marker with its formatted value above it and the source quote on hover."""
    fig.add_scatter(
        x=[x],
        y=row,
        mode="markers+text",
        text=[text],
        hovertext=[hover],
        hoverinfo="text",
        textposition="top center",
        marker=marker,
    )


def indicator_figure(ind: Indicator, lang: str) -> go.Figure:
    """A one-row chart of an indicator: the value as a bar, bounds drawn as the qualifier says.

    Exact → a bar; more than / at least → a bar to the lower bound and an open-ended marker;
    at most / nearly → a bar to the upper bound, labelled as an upper bound; about → a point
    labelled approximate; range → a hatched bar from low to high. Calendar years → a point on
    a year axis (a bar from 0 to 2016 would say nothing).
    """
    row = [ind.label(lang)]
    text = fmt.quantity(ind, lang)
    hover = marks.hover(ind, lang)
    low, high = _bounds(ind)
    fig = go.Figure()
    q = ind.qualifier
    if _is_calendar_year(ind):
        _labelled_point(fig, ind.value, row, text, hover, {"size": 14})
        fig.update_xaxes(title=t("widgets.browser.year_axis", lang), dtick=1)
    elif q == "range":
        bar = marks.range_bar(row, [low], [high], name=text, hovertext=[hover])
        bar.text, bar.textposition = [text], "inside"
        fig.add_trace(bar)
    elif q == "about":
        marker = {"size": 14, "symbol": "diamond-open", "color": theme.COLORS["range"]}
        _labelled_point(fig, ind.value, row, text, hover, marker)
    else:
        end = low if q in ("more_than", "at_least") else (high if high is not None else ind.value)
        color = theme.COLORS["range"] if q in ("at_most", "nearly") else theme.COLORS["stated"]
        bar = marks.hbar(end, row[0], color=color, hover=hover, text=text)
        fig.add_trace(bar.update(insidetextanchor=None))
        if q in ("more_than", "at_least"):
            for trace in marks.open_ended(end, row[0], lang=lang, hovertext=hover):
                fig.add_trace(trace)
    if not _is_calendar_year(ind):
        unit = getattr(ind, UNIT_FIELD[lang])
        top = max(v for v in (ind.value, low, high) if v is not None and not math.isnan(v))
        fig.update_xaxes(
            title=t("widgets.browser.value_axis", lang, unit=unit), range=[0, top * LABEL_ROOM]
        )
    fig.update_yaxes(showticklabels=False)
    theme.finish(
        fig,
        ind.label(lang),
        note=paragraphs_text([ind.id], lang),
        subtitle=t(f"widgets.browser.qualifier.{q}", lang),
    )
    fig.update_layout(height=SMALL_HEIGHT, showlegend=False)
    return fig


class IndicatorBrowser(Explorer):
    """Pick a section, then an indicator: its chart and its source sentence."""

    def __init__(self, lang: str, data_dir: Any = None) -> None:
        check_lang(lang)
        table = load_indicators(data_dir or None)
        self._ids_by_section = {
            section: list(group["id"]) for section, group in table.groupby("section", sort=False)
        }
        self.section = widgets.Dropdown(
            description=t("widgets.browser.section", lang),
            options=[(t(f"parts.{s}.title", lang), s) for s in self._ids_by_section],
        )
        self.indicator = widgets.Dropdown(description=t("widgets.browser.indicator", lang))
        super().__init__(lang, data_dir, [self.section, self.indicator])
        self.section.observe(self._on_section, names="value")
        self.indicator.observe(self._on_indicator, names="value")
        self._on_section()

    def _on_section(self, _change: Any = None) -> None:
        ids = self._ids_by_section[self.section.value]
        options = [(indicator(i, self.data_dir).label(self.lang), i) for i in ids]
        self.indicator.options = options  # resets the value to the first option
        if self.indicator.value is None:
            self.indicator.value = ids[0]
        self._on_indicator()

    def _on_indicator(self, _change: Any = None) -> None:
        if self.indicator.value is None:
            return
        self.selected = indicator(self.indicator.value, self.data_dir)
        self._render(indicator_figure(self.selected, self.lang), "indicator", self._note())

    def _note(self) -> str:
        ind, lang = self.selected, self.lang
        return (
            f"<p><b>{_esc(ind.label(lang))}</b>: {_esc(fmt.quantity(ind, lang))}</p>"
            f"<p>{_esc(ind.description(lang))}</p>"
            f"<blockquote>{_esc(t('widgets.browser.quote', lang))}: “{_esc(ind.quote)}”"
            "</blockquote>"
            f"<p><small>{_esc(paragraphs_text([ind.id], lang))}</small></p>"
        )


def indicator_browser(lang: str, data_dir: Any = None) -> IndicatorBrowser:
    """Return the indicator browser: a section dropdown, an indicator dropdown, chart and quote."""
    return IndicatorBrowser(lang, data_dir)


# --- growth calculator --------------------------------------------------------------------------


def _period_year(ind: Indicator) -> int:
    return int(str(ind.period)[:4])


class GrowthCalculator(Explorer):
    """Two year sliders; what the stated and the endpoint-implied rates give between them."""

    def __init__(self, lang: str, data_dir: Any = None) -> None:
        check_lang(lang)
        self.start_income = indicator(INCOME_START, data_dir or None)
        self.end_income = indicator(INCOME_END, data_dir or None)
        self.stated = indicator(INCOME_RATE, data_dir or None)
        self.first_year = _period_year(self.start_income)
        self.last_year = _period_year(self.end_income)
        span = {"min": self.first_year, "max": self.last_year, "step": 1}
        self.start_year = widgets.IntSlider(
            value=self.first_year, description=t("widgets.growth.start_year", lang), **span
        )
        self.end_year = widgets.IntSlider(
            value=self.last_year, description=t("widgets.growth.end_year", lang), **span
        )
        super().__init__(lang, data_dir, [self.start_year, self.end_year])
        for slider in (self.start_year, self.end_year):
            slider.observe(self._update, names="value")
        self._update()

    @property
    def stated_rate(self) -> float:
        """The stated yearly growth as a fraction."""
        return float(self.stated.value) / 100

    @property
    def computed_rate(self) -> float:
        """The compound yearly rate the two stated endpoints imply (a fraction)."""
        from ziyang_lib.truth.metrics import cagr

        years = self.last_year - self.first_year
        return float(cagr(self.start_income.value, self.end_income.value, years))

    def path(self, rate: float, year: int) -> float:
        """Modelled income in `year` growing at `rate` from the stated first-year value."""
        return float(self.start_income.value) * (1 + rate) ** (year - self.first_year)

    def chosen(self) -> tuple[int, int]:
        """The chosen years, earlier first."""
        a, b = self.start_year.value, self.end_year.value
        return (a, b) if a <= b else (b, a)

    def _figure(self) -> go.Figure:
        lang = self.lang
        years = list(range(self.first_year, self.last_year + 1))
        fig = go.Figure()
        rates = (("stated_path", self.stated_rate, 1), ("computed_path", self.computed_rate, 2))
        for key, rate, digits in rates:
            name = t(f"widgets.growth.{key}", lang, rate=fmt.percent(rate, lang, digits=digits))
            line = marks.modelled_line(
                years, [self.path(rate, y) for y in years], lang=lang, name=name
            )
            if key == "computed_path":
                line.line.dash = "dot"
                line.line.color = theme.COLORS["accent"]
            fig.add_trace(line)
        ends = (self.start_income, self.end_income)
        fig.add_scatter(
            x=[_period_year(i) for i in ends],
            y=[i.value for i in ends],
            mode="markers+text",
            name=t("widgets.growth.endpoints", lang),
            text=[fmt.quantity(i, lang) for i in ends],
            textposition=["bottom right", "top left"],  # inside the plot at both ends
            hovertext=[marks.hover(i, lang) for i in ends],
            hoverinfo="text",
            marker={"size": 12, "color": theme.COLORS["stated"]},
        )
        a, b = self.chosen()
        fig.add_vrect(
            x0=a,
            x1=b,
            fillcolor=theme.COLORS["muted"],
            opacity=0.15,
            line_width=0,
            name=t("widgets.growth.chosen", lang),
        )
        fig.update_xaxes(dtick=1, title=t("widgets.browser.year_axis", lang))
        fig.update_yaxes(title=t("widgets.growth.income_axis", lang), rangemode="tozero")
        marks.number_axis(fig, float(self.end_income.value), lang, axis="yaxis")
        ids = [INCOME_START, INCOME_END, INCOME_RATE]
        return theme.finish(fig, t("widgets.growth.title", lang), note=paragraphs_text(ids, lang))

    def _note(self) -> str:
        a, b = self.chosen()
        if a == b:
            return f"<p>{_esc(t('widgets.growth.same_year', self.lang))}</p>"
        return f"<p>{_esc(self.result(a, b))}</p>"

    def result(self, a: int, b: int) -> str:
        """What the two rates give between years `a` < `b` (a sentence, numbers through fmt)."""
        lang = self.lang
        money = t("ui.fmt.money_unit", lang)
        stated, computed = self.stated_rate, self.computed_rate
        return t(
            "widgets.growth.result",
            lang,
            start=fmt.year(a, lang),
            end=fmt.year(b, lang),
            years=fmt.number(b - a, lang),
            stated=fmt.percent(stated, lang, digits=1),
            stated_factor=fmt.number((1 + stated) ** (b - a), lang, digits=2),
            stated_from=fmt.number(self.path(stated, a), lang, unit=money, digits=0),
            stated_to=fmt.number(self.path(stated, b), lang, unit=money, digits=0),
            computed=fmt.percent(computed, lang, digits=2),
            computed_factor=fmt.number((1 + computed) ** (b - a), lang, digits=2),
            computed_from=fmt.number(self.path(computed, a), lang, unit=money, digits=0),
            computed_to=fmt.number(self.path(computed, b), lang, unit=money, digits=0),
            first=fmt.year(self.first_year, lang),
            last=fmt.year(self.last_year, lang),
        )

    def _update(self, _change: Any = None) -> None:
        self._render(self._figure(), "growth_calculator", self._note())

    def offline(self) -> dict[str, Any]:
        from ziyang_lib.report.explorers_offline import growth_view

        return growth_view(self)


def growth_calculator(lang: str, data_dir: Any = None) -> GrowthCalculator:
    """Return the growth calculator: two year sliders over the income period, chart and note."""
    return GrowthCalculator(lang, data_dir)


# --- funds explorer ------------------------------------------------------------------------------


class FundsExplorer(Explorer):
    """A toggle between funds by kind (cumulative) and by level of government (per year)."""

    def __init__(self, lang: str, data_dir: Any = None) -> None:
        check_lang(lang)
        ids = (FUNDS_TOTAL, *FUNDS_KIND, *FUNDS_LEVEL)
        self.indicators = {i: indicator(i, data_dir or None) for i in ids}
        self.view = widgets.ToggleButtons(
            description=t("widgets.funds.view", lang),
            options=[
                (t("widgets.funds.by_kind", lang), "kind"),
                (t("widgets.funds.by_level", lang), "level"),
            ],
            value="kind",
        )
        super().__init__(lang, data_dir, [self.view])
        self.view.observe(self._update, names="value")
        self._update()

    def _axis(self, largest: float) -> tuple[float, str]:
        divisor, word = fmt.scale(largest, self.lang)
        return divisor, t("widgets.funds.money_axis", self.lang, scale=word)

    def _kind_figure(self) -> go.Figure:
        lang, ind = self.lang, self.indicators
        total = ind[FUNDS_TOTAL]
        div, axis = self._axis(total.value)
        fig = go.Figure()
        bars = [("total", total, theme.COLORS["stated"])]
        colors = (theme.COLORS["accent"], theme.COLORS["other"])
        bars += [("parts", ind[i], color) for i, color in zip(FUNDS_KIND, colors, strict=True)]
        for column, figure, color in bars:
            fig.add_bar(
                x=[t(f"widgets.funds.{column}", lang)],
                y=[figure.value / div],
                name=figure.label(lang),
                text=[fmt.quantity(figure, lang)],
                hovertext=[marks.hover(figure, lang)],
                hoverinfo="text",
                marker={"color": color},
            )
        fig.update_layout(barmode="stack")
        fig.update_yaxes(title=axis)
        ids = [FUNDS_TOTAL, *FUNDS_KIND]
        return theme.finish(
            fig, t("widgets.funds.title_kind", lang), note=paragraphs_text(ids, lang)
        )

    def _level_figure(self) -> go.Figure:
        lang, ind = self.lang, self.indicators
        largest = max(
            float(ind[i].high if ind[i].qualifier == "range" else ind[i].value) for i in FUNDS_LEVEL
        )
        div, axis = self._axis(largest)
        fig = go.Figure()
        for ident in FUNDS_LEVEL:
            i = ind[ident]
            row, hover = [i.label(lang)], marks.hover(i, lang)
            if i.qualifier == "range":
                bar = marks.range_bar(
                    row, [i.low / div], [i.high / div], name=i.label(lang), hovertext=[hover]
                )
                bar.text, bar.textposition = [fmt.quantity(i, lang)], "outside"
                fig.add_trace(bar)
            else:  # "about": a point, never a bar that would look exact
                fig.add_scatter(
                    x=[i.value / div],
                    y=row,
                    mode="markers+text",
                    text=[fmt.quantity(i, lang)],
                    textposition="top center",
                    name=i.label(lang),
                    hovertext=[hover],
                    hoverinfo="text",
                    marker={"size": 14, "symbol": "diamond-open", "color": theme.COLORS["range"]},
                )
        # room on the right for the labels drawn outside the bars
        fig.update_xaxes(title=axis, range=[0, largest / div * LABEL_ROOM])
        fig.update_layout(showlegend=False)
        return theme.finish(
            fig,
            t("widgets.funds.title_level", lang),
            note=paragraphs_text(list(FUNDS_LEVEL), lang),
        )

    def _note(self) -> str:
        lang, ind = self.lang, self.indicators
        q = {k: _esc(fmt.quantity(v, lang)) for k, v in ind.items()}
        if self.view.value == "kind":
            text = t(
                "widgets.funds.note_kind",
                lang,
                total=q[FUNDS_TOTAL],
                fiscal=q[FUNDS_KIND[0]],
                sectoral=q[FUNDS_KIND[1]],
            )
        else:
            city, county, health = (q[i] for i in FUNDS_LEVEL)
            text = t("widgets.funds.note_level", lang, city=city, county=county, health=health)
        return f"<p>{text}</p>"

    def _update(self, _change: Any = None) -> None:
        kind = self.view.value == "kind"
        fig = self._kind_figure() if kind else self._level_figure()
        self._render(fig, f"funds_{self.view.value}", self._note())


def funds_explorer(lang: str, data_dir: Any = None) -> FundsExplorer:
    """Return the funds explorer: a by-kind / by-level toggle, chart and note."""
    return FundsExplorer(lang, data_dir)
