"""Sentences built from data: numbers through `fmt`, words from the catalogue (``ui.narrative``).

Every sentence is a `Prose`: markdown plus the provenance of each number in it, as
``(formatted text, source)`` pairs. A source is an indicator id (``poor_population``) or a
derivation over indicator ids (``cagr(poor_income_2013,poor_income_2019)``); `resolve(source, lang)`
re-computes the text a source stands for, so a checker can verify every number it finds.
Data-derived strings (labels, quotes, glossary text) are escaped before they enter markdown.
"""

from __future__ import annotations

import html
import re
import string
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ziyang_lib.report import fmt
from ziyang_lib.report.text import check_lang, t

MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
QUOTE_WIDTH = 36  # display columns per hover line (a CJK character counts 2)
_SOURCE_RE = re.compile(r"^\s*(?:(\w+)\((.*)\)|([\w-]+))\s*$")


@dataclass(frozen=True)
class Prose:
    """Markdown text plus the provenance of each number in it: ``[(text, source), ...]``."""

    markdown: str
    numbers: list[tuple[str, str]] = field(default_factory=list)

    def _repr_markdown_(self) -> str:
        return self.markdown

    def __add__(self, other: Prose) -> Prose:
        sep = "" if not self.markdown or not other.markdown else " "
        return Prose(self.markdown + sep + other.markdown, self.numbers + other.numbers)


def escape(text: Any) -> str:
    """Make data-derived text inert inside a markdown sentence: one line, markdown syntax
    backslash-escaped, HTML escaped (``<img …>`` shows as text)."""
    one_line = re.sub(r"\s*[\r\n]+\s*", " ", str(text))
    return html.escape(MD_SPECIAL.sub(r"\\\1", one_line), quote=False)


def display(prose: Prose) -> None:
    """Publish `prose` as ``text/markdown`` with metadata ``{"ziyang": {"numbers": [...]}}``."""
    from IPython.display import publish_display_data

    publish_display_data(
        {"text/markdown": prose.markdown, "text/plain": prose.markdown},
        metadata={"ziyang": {"numbers": [list(pair) for pair in prose.numbers]}},
    )


# ---------------------------------------------------------------------------------------------
# Resolving provenance sources


def _ind(ident: str, data_dir: Any) -> Any:
    from ziyang_lib.truth.loaders import indicator

    return indicator(ident.strip(), data_dir=data_dir)


def indicators(*ids: str, data_dir: Any = None) -> dict[str, Any]:
    """The `Indicator` records for `ids`, keyed by id."""
    return {ident: _ind(ident, data_dir) for ident in ids}


def _year_of(ind: Any) -> int:
    """The calendar year an indicator is about: its value for a year, else its period."""
    if str(ind.unit_en or "").lower() == "year":
        return int(float(ind.value))
    return int(str(ind.period)[:4])


def _years_between(a: Any, b: Any) -> int:
    return _year_of(b) - _year_of(a)


def _like(ind: Any, value: float, qualifier: str = "exact") -> fmt.Quantity:
    return fmt.Quantity(value=value, unit=ind.unit, unit_en=ind.unit_en, qualifier=qualifier)


def _cagr(lang: str, a: Any, b: Any) -> str:
    from ziyang_lib.truth.metrics import cagr

    return fmt.percent(cagr(a.value, b.value, _years_between(a, b)), lang, digits=2)


def _share(lang: str, part: Any, whole: Any) -> str:
    from ziyang_lib.truth.metrics import share

    return fmt.percent(share(part.value, whole.value), lang, digits=1)


def _ratio(lang: str, a: Any, b: Any) -> str:
    from ziyang_lib.truth.metrics import ratio

    return fmt.number(round(ratio(a.value, b.value), 2), lang)


def _sum(lang: str, *inds: Any) -> str:
    return fmt.quantity(_like(inds[0], sum(i.value for i in inds)), lang)


def _overlap(lang: str, a: Any, b: Any, whole: Any) -> str:
    """a + b − whole: the least number counted in both a and b (as a plain quantity)."""
    return fmt.quantity(_like(whole, a.value + b.value - whole.value), lang)


def _count(lang: str, a: Any) -> str:
    """The quantity without its unit, qualifier kept (2万余 / more than 20,000)."""
    return fmt.quantity(fmt.Quantity(a.value, "", a.qualifier, a.low, a.high, ""), lang)


def _year(lang: str, a: Any) -> str:
    return fmt.year(_year_of(a), lang)


def _years(lang: str, a: Any, b: Any) -> str:
    return fmt.number(_years_between(a, b), lang)


DERIVATIONS: dict[str, Callable[..., str]] = {
    "cagr": _cagr,
    "share": _share,
    "ratio": _ratio,
    "sum": _sum,
    "overlap": _overlap,
    "year": _year,
    "count": _count,
    "years": _years,
}


def _event_year(event_id: str, data_dir: Any) -> str:
    from ziyang_lib.truth.loaders import load_events

    events = load_events(data_dir)
    row = events.loc[events["event_id"] == event_id]
    if row.empty:
        raise KeyError(f"no event {event_id!r}")
    return str(row["date"].iloc[0])[:4]


def resolve(source: str, lang: str, data_dir: Any = None) -> str:
    """Return the text `source` stands for in `lang`.

    Sources: ``<indicator id>`` (its `fmt.quantity`), ``<derivation>(<id>,<id>…)`` with a
    derivation in `DERIVATIONS` (cagr, share, ratio, sum, overlap, year, years, count),
    ``event(<event id>)`` (the year of an event), ``term(<glossary term>)`` (the term itself).
    """
    check_lang(lang)
    match = _SOURCE_RE.match(source)
    if not match:
        raise ValueError(f"not a provenance source: {source!r}")
    name, args, ident = match.groups()
    if ident:
        return fmt.quantity(_ind(ident, data_dir), lang)
    if name == "event":
        return fmt.year(_event_year(args.strip(), data_dir), lang)
    if name == "term":
        return glossary_row(args, data_dir)["term"]
    if name not in DERIVATIONS:
        raise ValueError(f"unknown derivation {name!r} in {source!r}")
    inds = [_ind(a, data_dir) for a in args.split(",")]
    return DERIVATIONS[name](lang, *inds)


class Numbers:
    """Collects the numbers of one sentence: each call formats, records and escapes."""

    def __init__(self, lang: str, data_dir: Any = None) -> None:
        self.lang = check_lang(lang)
        self.data_dir = data_dir
        self.numbers: list[tuple[str, str]] = []

    def __call__(self, source: str) -> str:
        text = resolve(source, self.lang, self.data_dir)
        self.numbers.append((text, source))
        return escape(text)

    def prose(self, key: str, **texts: str) -> Prose:
        """The catalogue sentence `key` filled with already-escaped `texts`."""
        return Prose(t(key, self.lang, **texts), list(self.numbers))


# ---------------------------------------------------------------------------------------------
# Footnotes and hover text


def glossary_row(term: str, data_dir: Any = None) -> dict[str, Any]:
    """The glossary row of `term` as a dict; KeyError if the term is not in the glossary."""
    from ziyang_lib.truth.loaders import load_glossary

    glossary = load_glossary(data_dir)
    row = glossary.loc[glossary["term"] == term.strip()]
    if row.empty:
        raise KeyError(f"no glossary term {term!r}")
    return row.iloc[0].to_dict()


def paragraphs(ids_or_paragraphs: Iterable[str | int], data_dir: Any = None) -> list[int]:
    """Sorted paragraph numbers of every mention of the given indicator ids (ints pass through)."""
    from ziyang_lib.truth.loaders import load_mentions

    wanted: set[int] = set()
    ids = []
    for item in ids_or_paragraphs:
        if isinstance(item, int):
            wanted.add(item)
        else:
            ids.append(item)
    if ids:
        for ident in ids:
            _ind(ident, data_dir)  # unknown ids fail loudly
        mentions = load_mentions(data_dir)
        rows = mentions.loc[mentions["indicator_id"].isin(ids), "paragraph"]
        wanted.update(int(p) for p in rows.dropna())
    return sorted(wanted)


def _runs(paras: list[int]) -> list[str]:
    """Paragraph references with consecutive runs joined: [6, 10, 11, 12] → ¶6, ¶10–¶12."""
    runs: list[list[int]] = []
    for p in paras:
        if runs and p == runs[-1][-1] + 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    refs: list[str] = []
    for run in runs:
        refs += [f"¶{p}" for p in run] if len(run) < 3 else [f"¶{run[0]}–¶{run[-1]}"]
    return refs


def footnote_text(ids_or_paragraphs: Iterable[str | int], lang: str, data_dir: Any = None) -> str:
    """Plain text "Source: <source_short>, ¶3, ¶9" for indicator ids and/or paragraph numbers."""
    paras = paragraphs(ids_or_paragraphs, data_dir)
    source = t("common.source_short", lang)
    if not paras:
        return t("ui.narrative.source_only", lang, source=source)
    refs = t("ui.narrative.paragraph_sep", lang).join(_runs(paras))
    return t("ui.narrative.source", lang, source=source, paragraphs=refs)


def footnote(ids_or_paragraphs: Iterable[str | int], lang: str, data_dir: Any = None) -> Prose:
    """The footnote as `Prose` (small print); paragraph numbers follow ¶ and need no source."""
    text = footnote_text(list(ids_or_paragraphs), lang, data_dir)
    return Prose(f"<small>{escape(text)}</small>", [])


def quote_lines(quote: str, width: int = QUOTE_WIDTH) -> str:
    """The quote in “…”, escaped for plotly and wrapped with <br> for a phone-sized hover box."""
    from ziyang_lib.report.theme import wrap_html

    return wrap_html(f"“{quote}”", width)


def hover(ind: Any, lang: str) -> str:
    """Hover text for an indicator: bold label, the formatted quantity and the source quote."""
    from ziyang_lib.report.theme import escape as plotly_escape

    return (
        f"<b>{plotly_escape(ind.label(lang))}</b><br>{plotly_escape(fmt.quantity(ind, lang))}"
        f"<br>{quote_lines(ind.quote)}"
    )


# ---------------------------------------------------------------------------------------------
# Headline sentences, one per notebook section


def _fields(template: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


def _sentence(key: str, lang: str, data_dir: Any, slots: dict[str, str]) -> Prose:
    """Fill catalogue sentence `key`; a field ``x_n`` is the unitless count of slot ``x``.

    Only the fields the template uses are formatted, so each language may pick its own.
    """
    n = Numbers(lang, data_dir)
    key = f"ui.narrative.{key}"
    values = {}
    for name in _fields(t(key, lang)):
        if name in slots:
            values[name] = n(slots[name])
        elif name.endswith("_n") and name[:-2] in slots:
            values[name] = n(f"count({slots[name[:-2]]})")
        else:
            raise KeyError(f"{key} uses unknown field {name!r}")
    return n.prose(key, **values)


def headline(lang: str, data_dir: Any = None) -> Prose:
    """Lead: all poor villages exited and all registered poor lifted out by the end of 2019."""
    slots = {
        "year": "event(all_villages_exited)",
        "villages": "poor_villages",
        "people": "poor_population",
    }
    return _sentence("headline", lang, data_dir, slots)


def profile_sentence(lang: str, data_dir: Any = None) -> Prose:
    """Where the poor lived: scattered poverty, and Anyue's weight in the city."""
    slots = {
        "scattered": "scattered_poor_share",
        "non_poor_villages": "non_poor_villages_with_scattered_poor",
        "anyue_villages": "anyue_poor_villages",
        "anyue_non_poor": "anyue_non_poor_villages",
        "anyue_people": "anyue_registered_poor",
        "village_share": "share(anyue_poor_villages,poor_villages)",
        "people_share": "share(anyue_registered_poor,poor_population)",
    }
    return _sentence("profile", lang, data_dir, slots)


def forces_sentence(lang: str, data_dir: Any = None) -> Prose:
    """Who was sent: leaders, units, work teams, first secretaries and paired cadres."""
    slots = {
        "since": "event(assistance_forces)",
        "leaders": "leaders_coordinated",
        "units": "assisting_units",
        "personnel": "work_team_personnel",
        "teams": "village_work_teams",
        "per_team": "ratio(work_team_personnel,village_work_teams)",
        "cadres": "paired_cadres",
        "secretaries": "first_secretaries",
    }
    return _sentence("forces", lang, data_dir, slots)


def income_sentence(lang: str, data_dir: Any = None) -> Prose:
    """Income per poor person 2013 → 2019: the stated yearly growth and the rate implied."""
    slots = {
        "start_year": "year(poor_income_2013)",
        "start": "poor_income_2013",
        "end_year": "year(poor_income_2019)",
        "end": "poor_income_2019",
        "stated": "poor_income_growth_stated",
        "computed": "cagr(poor_income_2013,poor_income_2019)",
        "multiple": "ratio(poor_income_2019,poor_income_2013)",
    }
    return _sentence("income", lang, data_dir, slots)


def funds_sentence(lang: str, data_dir: Any = None) -> Prose:
    """Cumulative special funds and their two parts, with the check that the parts add up."""
    slots = {
        "total": "special_funds_total",
        "fiscal": "fiscal_special_funds",
        "fiscal_share": "share(fiscal_special_funds,special_funds_total)",
        "sectoral": "sectoral_special_funds",
        "sum": "sum(fiscal_special_funds,sectoral_special_funds)",
    }
    return _sentence("funds", lang, data_dir, slots)


def hard_problems_sentence(lang: str, data_dir: Any = None) -> Prose:
    """The four hard problems: transport, drought, illness, weak industry."""
    slots = {
        "expressway_year": "year(dual_expressway_year)",
        "highway_year": "year(first_class_highway_year)",
        "record": "drought_record_years",
        "full": "full_drought_years",
        "multi": "multi_county_drought_years",
        "illness": "illness_poverty_share",
    }
    return _sentence("hard_problems", lang, data_dir, slots)


def measures_sentence(lang: str, data_dir: Any = None) -> Prose:
    """Infrastructure and industry measures."""
    slots = {
        "budget": "village_budget_min",
        "roads": "roads_built",
        "water": "water_projects",
        "entities": "new_agri_entities",
        "area": "specialty_agri_area",
    }
    return _sentence("measures", lang, data_dir, slots)


def outcomes_sentence(lang: str, data_dir: Any = None) -> Prose:
    """Who got which support (with the overlap the numbers force) and the stated outcomes."""
    slots = {
        "population": "poor_population",
        "industry": "industry_employment_support",
        "safety": "safety_net_support",
        "overlap": "overlap(industry_employment_support,safety_net_support,poor_population)",
        "relocated": "relocated_people",
        "houses": "houses_renovated",
        "pupils": "pupils_no_dropout",
        "out_of_pocket": "out_of_pocket_share_max",
    }
    return _sentence("outcomes", lang, data_dir, slots)


def policy_sentence(lang: str, data_dir: Any = None) -> Prose:
    """The "3+22" policy system: 22 annual sector plans; the "3" is not spelled out."""
    slots = {"system": "term(3+22)", "plans": "sector_plans_per_year"}
    return _sentence("policy", lang, data_dir, slots)


def funding_levels_sentence(lang: str, data_dir: Any = None) -> Prose:
    """Yearly funding by level: city (range), counties (about), health fund (range)."""
    slots = {
        "city": "city_budget_per_year",
        "county": "county_budget_per_year",
        "health": "health_fund_per_year",
    }
    return _sentence("funding_levels", lang, data_dir, slots)


SENTENCES: dict[str, Callable[..., Prose]] = {
    "headline": headline,
    "profile": profile_sentence,
    "forces": forces_sentence,
    "income": income_sentence,
    "funds": funds_sentence,
    "hard_problems": hard_problems_sentence,
    "measures": measures_sentence,
    "outcomes": outcomes_sentence,
    "policy": policy_sentence,
    "funding_levels": funding_levels_sentence,
}


def glossary_entry(term: str, lang: str, data_dir: Any = None) -> Prose:
    """One glossary term and its explanation in `lang`, escaped (data-derived text)."""
    check_lang(lang)
    row = glossary_row(term, data_dir)
    text = t(
        "ui.narrative.glossary_entry",
        lang,
        term=escape(row["term"]),
        term_en=escape(row.get("term_en", "")),
        text=escape(row.get(f"explanation_{lang}", "")),
    )
    numbers = [(row["term"], f"term({row['term']})")] if re.search(r"\d", row["term"]) else []
    return Prose(text, numbers)


def sources_of(prose: Prose) -> Sequence[str]:
    """The provenance sources of a prose object, in order."""
    return [source for _, source in prose.numbers]
