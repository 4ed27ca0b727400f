"""Charts of notebook 00 (overview): headline figures, timeline, glossary and the audit."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import plotly.graph_objects as go

from ziyang_lib.report import fmt, marks, theme
from ziyang_lib.report.charts.registry import chart
from ziyang_lib.report.text import t
from ziyang_lib.truth.records import Records

NOTEBOOK = "00_overview"
VERDICT_COLORS = {
    "consistent": "#CDEBDD",
    "inconsistent": "#F6D0BD",
    "not additive": "#F9E3B0",
    "needs context": "#D4E8F6",
}
# Tables are sized for a phone: the plot area of a chart on a ~360 px screen is about TABLE_PX
# wide; plotly pads a cell by 8 px each side of its text and never wraps CJK text by itself.
TABLE_PX = 324
COLUMN_PX = 6.5  # one display column of 12 px text (a CJK character is two)
TIMELINE_LABEL = 26  # widest timeline label, in display columns


def _cell_columns(share: float) -> int:
    """Display columns of text that fit a table column taking `share` of the table's width."""
    return int((TABLE_PX * share - 16) / COLUMN_PX)


# glossary: term (with its English gloss and kind) | explanation
GLOSSARY_SHARES = (0.42, 0.58)
# audit: verdict | claim and explanation
AUDIT_SHARES = (0.3, 0.7)


def _tile_axes(fig: go.Figure) -> None:
    for axis in ("xaxis", "yaxis"):
        fig.update_layout({axis: {"visible": False, "range": [0, 2], "fixedrange": True}})


_HEADLINE = "poor_villages poor_population poor_income_2013 poor_income_2019 special_funds_total"


@chart("headline", page=NOTEBOOK, draws=_HEADLINE)
def build_headline(data: Records, lang: str = "zh") -> go.Figure:
    """The four headline figures as tiles: 325 poor villages, 236,000 registered poor,
    income 2,435 → 6,969 yuan, 4.736 billion yuan of special funds.

    Tiles, not bars: the four figures have different units and are read one by one; each keeps
    the source's own format (23.6万人 / 236,000 people) and shows its sentence on hover.
    """
    i = data
    c = "overview.charts.headline"
    start, end = i["poor_income_2013"], i["poor_income_2019"]
    tiles = [
        (
            fmt.quantity(i["poor_villages"], lang),
            i["poor_villages"].label(lang),
            marks.hover(i["poor_villages"], lang),
        ),
        (
            fmt.quantity(i["poor_population"], lang),
            i["poor_population"].label(lang),
            marks.hover(i["poor_population"], lang),
        ),
        (
            t(
                f"{c}.income_value",
                lang,
                start=fmt.number(start.value, lang),
                end=fmt.number(end.value, lang),
                unit=fmt.unit(end, lang),
            ),
            t(
                f"{c}.income_label",
                lang,
                start=fmt.year(start.period, lang),
                end=fmt.year(end.period, lang),
            ),
            f"{marks.hover(start, lang)}<br><br>{marks.hover(end, lang)}",
        ),
        (
            fmt.quantity(i["special_funds_total"], lang),
            i["special_funds_total"].label(lang),
            marks.hover(i["special_funds_total"], lang),
        ),
    ]
    centers = [(0.5, 1.5), (1.5, 1.5), (0.5, 0.5), (1.5, 0.5)]
    fig = go.Figure()
    for (x, y), color in zip(centers, theme.PALETTE, strict=False):
        fig.add_shape(
            type="rect",
            x0=x - 0.47,
            x1=x + 0.47,
            y0=y - 0.45,
            y1=y + 0.45,
            line={"color": color, "width": 2},
            fillcolor="rgba(0,0,0,0.02)",
            layer="below",
        )
    fig.add_trace(
        go.Scatter(
            x=[x for x, _ in centers],
            y=[y + 0.12 for _, y in centers],
            mode="text",
            text=[theme.wrap_html(value, 18) for value, _, _ in tiles],
            textfont={"size": 20, "color": theme.COLORS["text"]},
            hovertext=[hover for _, _, hover in tiles],
            hoverinfo="text",
            showlegend=False,
            name=t(f"{c}.title", lang),
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[x for x, _ in centers],
            y=[y - 0.22 for _, y in centers],
            mode="text",
            text=[theme.wrap_html(label, 24) for _, label, _ in tiles],
            textfont={"size": theme.SMALL_FONT, "color": theme.COLORS["muted"]},
            hovertext=[hover for _, _, hover in tiles],
            hoverinfo="text",
            showlegend=False,
            name=t(f"{c}.title", lang),
        )
    )
    _tile_axes(fig)
    fig.update_layout(height=300, margin={"l": 8, "r": 8})
    return theme.finish(fig, t(f"{c}.title", lang), axis_px=8)


def _span(value: str) -> tuple[date, date]:
    """The first and last day an ISO date string of any precision (YYYY, YYYY-MM, …) covers."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        day = date(*parts)
        return day, day
    if len(parts) == 2:
        first = date(parts[0], parts[1], 1)
        following = date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return first, following - timedelta(days=1)
    return date(parts[0], 1, 1), date(parts[0], 12, 31)


@chart("timeline", page=NOTEBOOK, draws="event(*)")
def build_timeline(data: Records, lang: str = "zh") -> go.Figure:
    """The dated events from the 18th Party Congress (2012) to publication (2020-10-14).

    One row per event on a true time axis. A date known only to the year is drawn as a bar
    across that year, not a false point; months and days are dots. Dates the text implies (e.g.
    今年 → 2020) are orange, hollow and dotted; stated ones blue and solid. Hover gives the
    sentence and, for implied dates, how the date was inferred.
    """
    events = data.events.sort_values("date", key=lambda s: s.map(lambda d: _span(d)[0]))
    source = data.source
    c = "overview.charts.timeline"
    fig = go.Figure()
    first = _span(str(events["date"].iloc[0]))[0]
    last = _span(str(events["date"].iloc[-1]))[1]
    x_range = (
        date(first.year, 1, 1) - timedelta(days=120),
        date(last.year, 12, 31) + timedelta(days=120),
    )
    shown: set[str] = set()
    for row, ev in enumerate(events.itertuples()):
        lo, hi = _span(str(ev.date))
        basis = str(ev.date_basis)
        stated = basis == "stated"
        color = theme.COLORS["stated"] if stated else theme.COLORS["modelled"]
        note = getattr(ev, f"date_note_{lang}")
        label = getattr(ev, f"label_{lang}")
        name = t(f"{c}.basis_{basis}", lang)
        hover = [f"<b>{theme.escape(label)}</b>", theme.escape(f"{ev.date} · {name}")]
        if isinstance(note, str) and note:
            hover.append(theme.wrap_html(note, marks.QUOTE_WIDTH))
        hover.append(marks.quote_lines(source.sentence(int(ev.start), int(ev.end))))
        y = len(events) - row
        long_span = (hi - lo).days > 31
        fig.add_trace(
            go.Scatter(
                x=[lo, hi + timedelta(days=1)] if long_span else [lo + (hi - lo) / 2],
                y=[y, y] if long_span else [y],
                mode="lines" if long_span else "markers",
                line={"color": color, "width": 9, "dash": "solid" if stated else "dot"},
                marker={
                    "size": 13,
                    "color": color if stated else "white",
                    "line": {"color": color, "width": 2},
                },
                name=name,
                legendgroup=basis,
                showlegend=basis not in shown,
                hovertext=["<br>".join(hover)] * (2 if long_span else 1),
                hoverinfo="text",
            )
        )
        shown.add(basis)
        right, width = _label_room(lo, hi, x_range)
        fig.add_annotation(
            x=hi if right else lo,
            y=y,
            text=theme.wrap_html(label, width),
            showarrow=False,
            xanchor="left" if right else "right",
            xshift=10 if right else -10,
            align="left" if right else "right",
            font={"size": theme.SMALL_FONT},
        )
    fig.update_layout(
        height=58 * len(events) + 30,
        yaxis={"visible": False, "range": [0.3, len(events) + 0.7]},
        xaxis={
            "type": "date",
            "range": list(x_range),
            "dtick": "M12",
            "tickformat": "%Y",
        },
        margin={"l": 12, "r": 12},
        hovermode="closest",
    )
    return theme.finish(fig, t(f"{c}.title", lang), axis_px=36)


def _label_room(lo: date, hi: date, x_range: tuple[date, date]) -> tuple[bool, int]:
    """Which side of an event its label goes (True: right of `hi`) and its width in columns:
    the side with more room, as wide as that room on a phone (at most `TIMELINE_LABEL`)."""
    days = (x_range[1] - x_range[0]).days
    right = (x_range[1] - hi).days >= (lo - x_range[0]).days
    room = ((x_range[1] - hi) if right else (lo - x_range[0])).days / days
    px = room * (theme.PHONE_WIDTH - 24) - 14  # plot width on a phone, less the label's shift
    return right, max(8, min(TIMELINE_LABEL, int(px / COLUMN_PX)))


def _filter_menu(options: list[tuple[str, list[list[str]], list[list[str]] | None]]) -> list:
    """Dropdown items that swap a table's cell values (and fill colours) in place."""
    items = []
    for label, values, fills in options:
        style: dict[str, Any] = {"cells.values": [values]}
        if fills is not None:
            style["cells.fill.color"] = [fills]
        items.append((label, "restyle", [style]))
    return items


def _dropdown(fig: go.Figure, items: list, *, active: int = 0) -> None:
    """A filter dropdown above a table; its list opens downwards (sideways it leaves a phone)."""
    theme.buttons(fig, items, active=active)
    fig.layout.updatemenus[0].update(type="dropdown", direction="down")


def _table(shares: tuple[float, ...], headers: list[str], values: list, fill: Any) -> go.Figure:
    """A table sized by column `shares`: escaped `headers` on the stated colour, then `values`."""
    return go.Figure(
        go.Table(
            columnwidth=list(shares),
            header={
                "values": [theme.escape(h) for h in headers],
                "fill": {"color": theme.COLORS["stated"]},
                "font": {"color": "white", "size": theme.SMALL_FONT},
                "align": "left",
            },
            cells={
                "values": values,
                "fill": {"color": fill},
                "align": "left",
                "font": {"size": theme.SMALL_FONT},
                "line": {"color": theme.COLORS["grid"]},
            },
        )
    )


def _cell_text(text: str, columns: int) -> str:
    """Escaped cell text. Text without CJK is left unbroken: plotly wraps it at its spaces to
    the column's drawn width (wide on a desktop); CJK text is wrapped at `columns` here."""
    text = str(text)
    if theme.has_cjk(text):
        return theme.wrap_html(text, columns)
    return theme.escape(text)


@chart("glossary_table", page=NOTEBOOK, draws="term(*)")
def build_glossary_table(data: Records, lang: str = "zh") -> go.Figure:
    """The glossary of policy shorthand as a table, filterable (a dropdown that works offline)
    by the kind of term (goal, method, campaign, …) and by the part of the article where each
    term first appears.

    A table because the reader looks terms up; the kind answers "which campaigns are named?",
    the part follows the article's own structure, so a reader of one section sees its terms.
    """
    glossary = data.glossary.sort_values("start")
    source = data.source
    c = "overview.charts.glossary_table"
    kinds = [t(f"glossary.category.{k}", lang) for k in glossary["category"]]
    parts = [source.part_of(int(s)) for s in glossary["start"]]
    explanation = f"explanation_{lang}"
    term_cols, text_cols = (_cell_columns(x) for x in GLOSSARY_SHARES)

    def columns(mask: list[bool]) -> list[list[str]]:
        rows = [
            (r, kind)
            for r, kind, keep in zip(glossary.itertuples(), kinds, mask, strict=True)
            if keep
        ]
        terms = [
            f"<b>{theme.wrap_html(r.term, term_cols)}</b>"
            f"<br>{theme.wrap_html(r.term_en, term_cols)}"
            f"<br><i>{theme.wrap_html(kind, term_cols)}</i>"
            for r, kind in rows
        ]
        texts = [_cell_text(getattr(r, explanation), text_cols) for r, _ in rows]
        return [terms, texts]

    def option(key: str, mask: list[bool], **names: str) -> tuple[str, list[list[str]], None]:
        return t(key, lang, n=fmt.number(sum(mask), lang), **names), columns(mask), None

    everything = [True] * len(glossary)
    headers = [t(f"{c}.col_{k}", lang) for k in ("term", "text")]
    fig = _table(GLOSSARY_SHARES, headers, columns(everything), "white")
    options = [option(f"{c}.filter_all", everything)]
    for kind in dict.fromkeys(kinds):  # kinds in the order the text first uses them
        mask = [k == kind for k in kinds]
        options.append(option("glossary.filter_category", mask, category=kind))
    for part in dict.fromkeys(parts):
        part_name = t(f"parts.{part}.title", lang)
        options.append(option(f"{c}.filter_part", [p == part for p in parts], part=part_name))
    _dropdown(fig, _filter_menu(options))
    fig.update_layout(height=560, margin={"l": 8, "r": 8})
    return theme.finish(fig, t(f"{c}.title", lang))


@chart("audit_table", page=NOTEBOOK, draws="audit(*)")
def build_audit_table(data: Records, lang: str = "zh") -> go.Figure:
    """Every check of the source's own arithmetic: the claim, the verdict (coloured) and the
    explanation, with a dropdown to show one verdict at a time.

    A table because each check is read as a sentence; colour carries the verdict so a reader
    scanning on a phone sees at once which claims add up and which need context.
    """
    from ziyang_lib.report.findings import describe

    checks = describe(data.audit())
    c = "overview.charts.audit_table"
    verdict_cols, text_cols = (_cell_columns(x) for x in AUDIT_SHARES)

    def columns(frame: Any) -> tuple[list[list[str]], list[list[str]]]:
        verdicts = [str(v) for v in frame["verdict"]]
        values = [
            [
                theme.wrap_html(t(f"{c}.verdict_{v.replace(' ', '_')}", lang), verdict_cols)
                for v in verdicts
            ],
            [
                f"<b>{theme.wrap_html(claim, text_cols)}</b><br>{theme.wrap_html(text, text_cols)}"
                for claim, text in zip(
                    frame[f"claim_{lang}"], frame[f"explanation_{lang}"], strict=True
                )
            ],
        ]
        fill = [VERDICT_COLORS.get(v, "white") for v in verdicts]
        return values, [fill, ["white"] * len(fill)]

    values, fills = columns(checks)
    headers = [t(f"{c}.col_{k}", lang) for k in ("verdict", "claim")]
    fig = _table(AUDIT_SHARES, headers, values, fills)
    counts = checks["verdict"].value_counts()
    options = [(t(f"{c}.filter_all", lang, n=fmt.number(len(checks), lang)), values, fills)]
    for verdict in VERDICT_COLORS:
        if verdict not in counts.index:
            continue
        subset = checks.loc[checks["verdict"] == verdict]
        sub_values, sub_fills = columns(subset)
        label = t(
            f"{c}.filter_verdict",
            lang,
            verdict=t(f"{c}.verdict_{verdict.replace(' ', '_')}", lang),
            n=fmt.number(int(counts[verdict]), lang),
        )
        options.append((label, sub_values, sub_fills))
    _dropdown(fig, _filter_menu(options))
    fig.update_layout(height=640, margin={"l": 8, "r": 8})
    return theme.finish(fig, t(f"{c}.title", lang))
