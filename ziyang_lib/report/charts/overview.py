"""Blocks of notebook 00 (overview): the headline figures, the timeline, the glossary and the
audit, set as page text (key numbers, a dated list and two tables); the map is in `map`."""

from __future__ import annotations

import html

from ziyang_lib.report import fmt
from ziyang_lib.report.blocks import Block, Key, head_html, key_numbers
from ziyang_lib.report.charts.registry import chart
from ziyang_lib.report.html_table import Cell, Column, Filter, Row, cell, table_html
from ziyang_lib.report.text import t
from ziyang_lib.truth.records import Records

NOTEBOOK = "00_overview"
VERDICTS = ("consistent", "inconsistent", "not additive", "needs context")

_HEADLINE = "poor_villages poor_population poor_income_2013 poor_income_2019 special_funds_total"


@chart("headline", page=NOTEBOOK, draws=_HEADLINE, kind="block")
def build_headline(data: Records, lang: str = "zh") -> Block:
    """The headline figures as key numbers: 325 poor villages, 236,000 registered poor, income
    2,435 → 6,969 yuan, 4.736 billion yuan of special funds.

    Numbers to read, not bars: the four have different units and nothing to be measured
    against; each keeps the source's own format (23.6万人 / 236,000 people).
    """
    i = data
    c = "overview.charts.headline"
    start, end = i["poor_income_2013"], i["poor_income_2019"]
    since = t(
        f"{c}.income_since",
        lang,
        start=fmt.quantity(start, lang),
        year=fmt.year(start.period, lang),
    )
    keys = [
        Key(fmt.quantity(i[x], lang), i[x].label(lang), x)
        for x in ("poor_villages", "poor_population")
    ]
    keys.append(Key(fmt.quantity(end, lang), end.label(lang), end.id, since))
    keys.append(
        Key(
            fmt.quantity(i["special_funds_total"], lang),
            i["special_funds_total"].label(lang),
            "special_funds_total",
        )
    )
    block = key_numbers(keys, t(f"{c}.title", lang))
    block.numbers.append([fmt.quantity(start, lang), start.id])
    return block


@chart("timeline", page=NOTEBOOK, draws="event(*)", kind="block")
def build_timeline(data: Records, lang: str = "zh") -> Block:
    """The dated events from the 18th Party Congress (2012) to publication (2020-10-14), as a
    list in time order under each year: each a single moment at the precision the text gives
    (a year, a month or a day), never drawn as a span it did not last. Dates the text only
    implies (今年 → 2020) are marked and say how they were inferred; each event quotes its
    sentence.
    """
    events = data.events.assign(_order=data.events["date"].map(str)).sort_values("_order")
    source = data.source
    c = "overview.charts.timeline"
    years: dict[str, list[str]] = {}
    for ev in events.itertuples():
        basis = str(ev.date_basis)
        note = getattr(ev, f"date_note_{lang}")
        implied = (
            f'<span class="zy-implied">{html.escape(t(f"{c}.basis_{basis}", lang))}</span> '
            if basis != "stated"
            else ""
        )
        why = (
            f'<small class="zy-event-why">{html.escape(note)}</small>'
            if isinstance(note, str) and note
            else ""
        )
        sentence = source.sentence(int(ev.start), int(ev.end))
        years.setdefault(str(ev.date)[:4], []).append(
            f'<li class="zy-event zy-event-{html.escape(basis)}">'
            f'<time datetime="{html.escape(str(ev.date))}">{html.escape(str(ev.date))}</time> '
            f"{implied}<b>{html.escape(getattr(ev, f'label_{lang}'))}</b>{why}"
            f"<q>{html.escape(sentence)}</q></li>"
        )
    body = "".join(
        f'<li class="zy-year"><span class="zy-year-label">{year}</span>'
        f'<ol class="zy-events">{"".join(items)}</ol></li>'
        for year, items in years.items()
    )
    title = t(f"{c}.title", lang)
    page = head_html(title, t(f"{c}.subtitle", lang), numbers_inside=False)
    return Block(f'{page}<ol class="zy-timeline">{body}</ol>', title, [], "timeline")


def _glossary_rows(data: Records, lang: str) -> tuple[list[Row], list[list[str]]]:
    glossary = data.glossary.sort_values("start")
    source = data.source
    rows, numbers = [], []
    for r in glossary.to_dict("records"):
        kind = t(f"glossary.category.{r['category']}", lang)
        part = source.part_of(int(r["start"]))
        paragraph = source.paragraph_of(int(r["start"]))
        gloss = t("about.term_gloss", lang, gloss=r["term_en"])
        where = f"{html.escape(t(f'parts.{part}.title', lang))} <small>¶{paragraph}</small>"
        if any(ch.isdigit() for ch in str(r["term"])):
            numbers.append([str(r["term"]), f"term({r['term']})"])
        rows.append(
            Row(
                {
                    "term": Cell(f"<b>{html.escape(str(r['term']))}</b>{html.escape(gloss)}"),
                    "kind": cell(kind),
                    "text": cell(r[f"explanation_{lang}"]),
                    "part": Cell(where, paragraph),
                },
                filters={"kind": str(r["category"]), "part": part},
            )
        )
    return rows, numbers


@chart("glossary_table", page=NOTEBOOK, draws="term(*)", kind="block")
def build_glossary_table(data: Records, lang: str = "zh") -> Block:
    """The glossary of policy shorthand as a table, filterable by the kind of term (goal,
    method, campaign, …) and by the part of the article where each term first appears, and
    searchable: a reader looks terms up, and a reader of one section finds its terms.
    """
    c = "overview.charts.glossary_table"
    glossary = data.glossary.sort_values("start")
    source = data.source
    rows, numbers = _glossary_rows(data, lang)
    columns = [
        Column("term", t(f"{c}.col_term", lang)),
        Column("kind", t(f"{c}.col_kind", lang)),
        Column("text", t(f"{c}.col_text", lang)),
        Column("part", t(f"{c}.col_part", lang), numeric=True),
    ]
    kinds = dict.fromkeys(str(k) for k in glossary["category"])
    parts = dict.fromkeys(source.part_of(int(s)) for s in glossary["start"])
    filters = [
        Filter("kind", t(f"{c}.col_kind", lang),
               [(k, t(f"glossary.category.{k}", lang)) for k in kinds]),
        Filter("part", t(f"{c}.col_part", lang), [(p, t(f"parts.{p}.title", lang)) for p in parts]),
    ]  # fmt: skip
    title = t(f"{c}.title", lang)
    page = head_html(title, numbers_inside=False) + table_html(
        columns, rows, lang, filters=filters, css="zy-glossary"
    )
    return Block(page, title, numbers, "table")


@chart("audit_table", page=NOTEBOOK, draws="audit(*)", kind="block")
def build_audit_table(data: Records, lang: str = "zh") -> Block:
    """Every check of the source's own arithmetic: its verdict, the claim and what the check
    found, filterable by verdict; each check is read as a sentence, and the verdict's colour
    lets a reader scanning on a phone see at once which claims add up and which need context.
    """
    from ziyang_lib.report.findings import describe

    checks = describe(data.audit())
    c = "overview.charts.audit_table"
    rows, numbers = [], []
    for r in checks.to_dict("records"):
        verdict = str(r["verdict"])
        key = verdict.replace(" ", "_")
        label = t(f"{c}.verdict_{key}", lang)
        numbers += [list(pair) for pair in r[f"numbers_{lang}"]]
        rows.append(
            Row(
                {
                    "verdict": Cell(
                        f'<span class="zy-verdict zy-verdict-{key}">{html.escape(label)}</span>'
                    ),
                    "claim": cell(r[f"claim_{lang}"]),
                    "found": cell(r[f"explanation_{lang}"]),
                },
                filters={"verdict": key},
            )
        )
    columns = [
        Column("verdict", t(f"{c}.col_verdict", lang)),
        Column("claim", t(f"{c}.col_claim", lang)),
        Column("found", t(f"{c}.col_explanation", lang)),
    ]
    present = [v for v in VERDICTS if v in set(checks["verdict"])]
    options = [
        (v.replace(" ", "_"), t(f"{c}.verdict_{v.replace(' ', '_')}", lang)) for v in present
    ]
    filters = [Filter("verdict", t(f"{c}.col_verdict", lang), options)]
    title = t(f"{c}.title", lang)
    page = head_html(title, numbers_inside=False) + table_html(
        columns, rows, lang, filters=filters, css="zy-audit"
    )
    return Block(page, title, numbers, "table")
