"""Words for the context figures: formatted numbers with their provenance, the page's sentences
and the source notes that name each figure's producer and retrieval page.

`resolve` formats a context figure, an indicator or a derivation over them; the sentence builders
record the provenance of every number.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlparse

from ziyang_lib.report import fmt
from ziyang_lib.report.text import check_lang, t
from ziyang_lib.truth.context import MAX_HOSTS, ContextFigure, figure, year_of


def _like(fig: Any, value: float) -> fmt.Quantity:
    return fmt.Quantity(value=value, unit=fig.unit, unit_en=fig.unit_en, qualifier="exact")


def _share(lang: str, a: Any, b: Any) -> str:
    from ziyang_lib.truth.metrics import share

    return fmt.percent(share(a.value, b.value), lang, digits=1)


def _cagr(lang: str, a: Any, b: Any) -> str:
    from ziyang_lib.truth.metrics import cagr

    return fmt.percent(cagr(a.value, b.value, year_of(b) - year_of(a)), lang, digits=1)


def _diff(lang: str, a: Any, b: Any) -> str:
    return fmt.quantity(_like(a, a.value - b.value), lang)


def _total(lang: str, *figs: Any) -> str:
    return fmt.quantity(_like(figs[0], sum(f.value for f in figs)), lang)


def _year(lang: str, a: Any) -> str:
    return fmt.year(year_of(a), lang)


def _date(lang: str, a: ContextFigure) -> str:
    """The date of a context figure's retrieval page, in the language's date style."""
    parts = [int(p) for p in a.source_date.split("-")]
    key = ("context.date.year", "context.date.month", "context.date.day")[len(parts) - 1]
    return t(
        key,
        lang,
        y=parts[0],
        m=parts[1] if len(parts) > 1 else 0,
        d=parts[2] if len(parts) > 2 else 0,
        iso=a.source_date,
    )


DERIVATIONS = {
    "share": _share,
    "cagr": _cagr,
    "diff": _diff,
    "sum": _total,
    "year": _year,
    "date": _date,
}
_SOURCE_RE = re.compile(r"^\s*(?:(\w+)\((.*)\)|(\w+))\s*$")


def resolve(source: str, lang: str, data_dir: Any = None) -> str:
    """The text `source` stands for: ``<id>`` (a context figure or indicator, formatted with its
    qualifier) or ``<derivation>(<id>,…)`` with share, cagr, diff, sum or year."""
    check_lang(lang)
    match = _SOURCE_RE.match(source)
    if not match:
        raise ValueError(f"not a provenance source: {source!r}")
    name, args, ident = match.groups()
    if ident:
        return fmt.quantity(figure(ident, data_dir), lang)
    if name not in DERIVATIONS:
        raise ValueError(f"unknown derivation {name!r} in {source!r}")
    return DERIVATIONS[name](lang, *(figure(a, data_dir) for a in args.split(",")))


# --- sentences --------------------------------------------------------------------------------


def _sentence(key: str, lang: str, data_dir: Any, slots: dict[str, str]) -> Any:
    """Fill ``context.sentence.<key>``; the first single-sourced figure from each page gets the
    single-source mark (slots are filled in the order the template uses them)."""
    from ziyang_lib.report.narrative import Prose, escape

    numbers: list[tuple[str, str]] = []
    values: dict[str, str] = {}
    marked: set[str] = set()
    for name in _template_fields(t(f"context.sentence.{key}", lang)):
        if name in values:
            continue
        source = slots[name]
        text = resolve(source, lang, data_dir)
        numbers.append((text, source))
        values[name] = escape(text)
        fig = figure(source, data_dir) if _SOURCE_RE.match(source).group(3) else None
        if isinstance(fig, ContextFigure) and fig.single_sourced and fig.url not in marked:
            marked.add(fig.url)
            values[name] += escape(t("context.single_source_mark", lang))
    return Prose(t(f"context.sentence.{key}", lang, **values), numbers)


def _template_fields(template: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


SENTENCE_SLOTS: dict[str, dict[str, str]] = {
    "share": {
        "sc_year": "year(sc_registered_poor_2013)",
        "zy_year": "year(poor_population)",
        "people": "poor_population",
        "sc_people": "sc_registered_poor_2013",
        "people_share": "share(poor_population,sc_registered_poor_2013)",
        "villages": "poor_villages",
        "sc_villages": "sc_poor_villages",
        "village_share": "share(poor_villages,sc_poor_villages)",
    },
    "income": {
        "zy_start_year": "year(poor_income_2013)",
        "zy_start": "poor_income_2013",
        "zy_end_year": "year(poor_income_2019)",
        "zy_end": "poor_income_2019",
        "zy_rate": "cagr(poor_income_2013,poor_income_2019)",
        "cn_start_year": "year(cn_registered_poor_income_2015)",
        "cn_start": "cn_registered_poor_income_2015",
        "cn_end_year": "year(cn_registered_poor_income_2020)",
        "cn_end": "cn_registered_poor_income_2020",
        "cn_rate": "cagr(cn_registered_poor_income_2015,cn_registered_poor_income_2020)",
    },
    "national": {
        "start_year": "year(cn_rural_poor_2012)",
        "end_year": "year(cn_rural_poor_2019)",
        "zero_year": "year(cn_rural_poor_2020)",
        "zy_people": "poor_population",
        "start": "cn_rural_poor_2012",
        "start_rate": "cn_poverty_incidence_2012",
        "end": "cn_rural_poor_2019",
        "end_rate": "cn_poverty_incidence_2019",
    },
    "counties": {
        "first_year": "year(sc_county_exits_2016)",
        "last_year": "year(sc_county_exits_2020)",
        "counties": "sc_poor_counties",
        "villages": "sc_poor_villages",
        "exits": "sum(sc_county_exits_2016,sc_county_exits_2017,sc_county_exits_2018,"
        "sc_county_exits_2019,sc_county_exits_2020)",
        "ziyang": "zy_designated_poor_counties",
    },
    "exits": {
        "report_year": "year(zy_villages_exited_mid2018)",
        "plan_2018_year": "year(zy_villages_plan_2018)",
        "plan_2019_year": "year(zy_villages_plan_2019)",
        "total_year": "year(poor_villages)",
        "exited": "zy_villages_exited_mid2018",
        "remaining": "zy_villages_remaining_mid2018",
        "plan_2018": "zy_villages_plan_2018",
        "plan_2019": "zy_villages_plan_2019",
        "total": "poor_villages",
    },
    "funds": {
        "march_date": "date(zy_funds_2020_03)",
        "march": "zy_funds_2020_03",
        "october": "special_funds_total",
        "fiscal": "fiscal_special_funds",
        "sectoral": "sectoral_special_funds",
        "gap": "diff(special_funds_total,zy_funds_2020_03)",
    },
}


def heading(key: str, lang: str, level: int = 2) -> Any:
    """The section heading ``context.heading.<key>`` as markdown `Prose` (no numbers)."""
    from ziyang_lib.report.narrative import Prose, escape

    return Prose(f"{'#' * level} {escape(t(f'context.heading.{key}', lang))}", [])


def sentence(key: str, lang: str, data_dir: Any = None) -> Any:
    """The context sentence `key` (a key of `SENTENCE_SLOTS`) as narrative `Prose`."""
    return _sentence(key, lang, data_dir, SENTENCE_SLOTS[key])


# --- sources ----------------------------------------------------------------------------------


def _host(url: str) -> str:
    host = urlparse(url).hostname or url
    return host.removeprefix("www.").removeprefix("m.")


def sources_text(ids: Iterable[str], lang: str, data_dir: Any = None) -> str:
    """One-line source note for a chart: producers with retrieval hosts and dates, single-sourced
    figures named, and the source document's paragraphs for any indicator ids."""
    from ziyang_lib.report.narrative import footnote_text

    ids = list(ids)
    figs = [figure(i, data_dir) for i in ids]
    ctx = [f for f in figs if isinstance(f, ContextFigure)]
    inds = [i for i, f in zip(ids, figs, strict=True) if not isinstance(f, ContextFigure)]
    parts: list[str] = []
    by_producer: dict[str, list[ContextFigure]] = {}
    for f in ctx:
        by_producer.setdefault(f.producer_in(lang), []).append(f)
    sep = t("context.source.sep", lang)
    for producer, group in by_producer.items():
        hosts = sorted({_host(u) for f in group for u in f.urls})
        shown = sep.join(hosts[:MAX_HOSTS])
        if len(hosts) > MAX_HOSTS:
            shown = t("context.source.more_hosts", lang, hosts=shown, n=len(hosts) - MAX_HOSTS)
        dates = sorted({f.source_date for f in group})
        parts.append(
            t(
                "context.source.producer",
                lang,
                producer=producer,
                hosts=shown,
                dates=f"{dates[0]}–{dates[-1]}" if len(dates) > 1 else dates[0],
            )
        )
    single: dict[str, list[str]] = {}
    for f in ctx:
        if f.single_sourced:
            single.setdefault(f.label(lang), []).append(f.period_in(lang))
    if single:
        items = [
            t("context.source.single_item", lang, label=label, period=sep.join(periods))
            for label, periods in single.items()
        ]
        parts.append(t("context.source.single", lang, names=sep.join(items)))
    if inds:
        parts.append(footnote_text(inds, lang, data_dir))
    return t("context.source.join", lang).join(parts)


def sources_markdown(ids: Iterable[str], lang: str, data_dir: Any = None) -> Any:
    """Footnote for the notebook: per figure (grouped by label and producer) each period with
    its clickable retrieval URLs and page date, single-sourced ones marked; then the source
    document's paragraphs for any indicator ids."""
    from ziyang_lib.report.narrative import Prose, escape, footnote_text

    groups: dict[tuple[str, str], list[ContextFigure]] = {}
    inds = []
    for ident in dict.fromkeys(ids):
        fig = figure(ident, data_dir)
        if isinstance(fig, ContextFigure):
            groups.setdefault((fig.label(lang), fig.producer_in(lang)), []).append(fig)
        else:
            inds.append(ident)
    lines = []
    for (label, producer), figs in groups.items():
        items = []
        for fig in figs:
            links = " · ".join(f"[{escape(_host(u))}]({u})" for u in fig.urls)
            mark = t("context.single_source_mark", lang) if fig.single_sourced else ""
            if fig.kind != "stated":
                mark += t(f"context.kind_mark.{fig.kind}", lang)
            items.append(
                t(
                    "context.source.item",
                    lang,
                    period=escape(fig.period_in(lang)),
                    mark=escape(mark),
                    links=links,
                    date=escape(fig.source_date),
                )
            )
        lines.append(
            t(
                "context.source.line",
                lang,
                label=escape(label),
                producer=escape(producer),
                items=t("context.source.join", lang).join(items),
            )
        )
    if inds:
        lines.append(escape(footnote_text(inds, lang, data_dir)))
    body = "<br>\n".join(lines)
    return Prose(f"<small>{body}</small>", [])
