"""Every number a reader sees in an executed notebook's text outputs traces back to data/.

Scanned: each output's ``text/plain``, ``text/markdown`` and ``text/html`` (not the plotly JSON).
A number passes when

1. it is inside a text listed in that output's provenance metadata
   ``{"ziyang": {"numbers": [[text, source], ...]}}``, and that source re-evaluates to it: the
   number(s) parsed from the text equal what this test computes from the indicator records
   (independently of ``fmt``/``provenance``, to the precision shown), the qualifier words of an
   approximate figure are kept, and ``provenance.resolve(source)`` gives the same text; or
2. a stated rule allows it: the source's own words where a page marks them with their raw span
   (``data-mention="START"``, a row of ``mentions.csv``, or ``data-span="START-END"``), checked
   here against the cleaned raw text at that span; a paragraph number right after ¶; a date or
   a year (2012–2020) that is in ``events.csv`` or an indicator's ``period``; an ordinal that
   names an event in ``events.csv`` (the "18th" of the 18th Party Congress); a chart id or
   notebook name; a sentence of the source quoted word for word (an indicator's quote, as a
   page's table of figures shows it, or the sentence of an event or a glossary term, as the
   timeline and "About this data" show them); the words of a data row shown as they stand in
   ``data/``: an indicator's label, an event's label and date note, a glossary entry's English
   name and explanation (the glossary table); the metadata of a context figure a note names
   (the date and address of its retrieval page, a period longer than a year).

Anything else is reported. The checker is tested on injected numbers so it can fail.
"""

from __future__ import annotations

import copy
import html
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import pytest

from tests.support.nbfixtures import LANGS, NOTEBOOKS, executed  # noqa: F401
from ziyang_lib.report import provenance
from ziyang_lib.truth.loaders import (
    indicator,
    load_events,
    load_glossary,
    load_indicators,
    load_mentions,
)
from ziyang_lib.truth.provenance import figure

TEXT_TYPES = ("text/plain", "text/markdown", "text/html")
DIGIT = re.compile(r"[0-9０-９]")
MD_ESCAPE = re.compile(r"\\([\\`*_\[\]{}()#+\-.!|~<>])")
TAG = re.compile(r"<[^>]*>")
PARAGRAPH_REF = re.compile(r"¶\s*\d+")
DATE = re.compile(r"\b\d{4}-\d{2}(?:-\d{2})?\b")
YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")
ORDINAL = re.compile(r"\b\d+(?:st|nd|rd|th)\b")
NUMBER = re.compile(
    r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"  # 236,000 / 23.6 / 2435
    r"(?:\s*(?:万亿|亿|万|thousand|million|billion))?"  # a scale word of this number
)
SCALES = {"万亿": 1e12, "亿": 1e8, "万": 1e4, "thousand": 1e3, "million": 1e6, "billion": 1e9}
SCALED = re.compile(
    r"((?<![\w.,])[-−])?"  # a minus sign (a range that starts below zero: -1.28—5.32亿元)
    r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s*([—–-]|to)\s*(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?))?"
    r"\s*(万亿|亿|万|thousand|million|billion)?"
)
# Words that must survive formatting for each qualifier (test expectations, written by hand).
QUALIFIER_WORDS = {
    "zh": {
        "more_than": ("余", "以上", "多", "超过"),
        "at_least": ("不低于", "不少于", "以上", "至少"),
        "at_most": ("以内", "以下", "不超过"),
        "nearly": ("近",),
        "about": ("左右", "约"),
    },
    "en": {
        "more_than": ("more than", "at least", "over"),
        "at_least": ("at least",),
        "at_most": ("at most", "up to"),
        "nearly": ("nearly", "almost"),
        "about": ("about", "around"),
    },
}


# --- what a source stands for, computed here from the records ----------------------------------


@dataclass(frozen=True)
class Expected:
    """The number(s) a source stands for, in the unit shown (percent points for shares)."""

    numbers: tuple[float, ...]
    qualifier: str = "exact"


def _year(ind: Any) -> int:
    if str(ind.unit_en).lower() in ("year", "calendar year"):
        return int(ind.value)
    return int(str(ind.period)[:4])


def _shown(ind: Any) -> Expected:
    if ind.qualifier == "range":
        return Expected((ind.low, ind.high), "range")
    return Expected((ind.value,), ind.qualifier)


def evaluate(source: str, data_dir: Any = None) -> Expected:
    """Re-compute the figure `source` names, with plain arithmetic on the indicator records."""
    match = re.fullmatch(r"\s*(\w+)\((.*)\)\s*|\s*([\w-]+)\s*", source)
    if not match:
        raise ValueError(f"unreadable source {source!r}")
    name, args, ident = match.groups()
    if ident:
        return _shown(figure(ident, data_dir))
    if name == "audit":
        return _audit_number(source, data_dir)
    if name == "event":
        events = load_events(data_dir).set_index("event_id")
        return Expected((int(str(events.loc[args.strip(), "date"])[:4]),))
    if name == "term":
        terms = set(load_glossary(data_dir)["term"])
        assert args.strip() in terms, f"{source}: not a glossary term"
        return Expected(tuple(float(x) for x in re.findall(r"\d+(?:\.\d+)?", args)))
    if name == "mention":
        return _mention(args.strip(), data_dir)
    i = [figure(a.strip(), data_dir) for a in args.split(",") if "=" not in a]  # digits=N
    years = (_year(i[-1]) - _year(i[0])) if name in ("cagr", "years") else None
    formulas = {
        "cagr": lambda: ((i[1].value / i[0].value) ** (1 / years) - 1) * 100,
        "share": lambda: i[0].value / i[1].value * 100,
        "ratio": lambda: i[0].value / i[1].value,
        "sum": lambda: sum(x.value for x in i),
        "overlap": lambda: i[0].value + i[1].value - i[2].value,
        "year": lambda: _year(i[0]),
        "years": lambda: years,
    }
    if name == "count":
        return _shown(i[0])
    if name not in formulas:
        raise ValueError(f"{source}: unknown derivation {name!r}")
    return Expected((float(formulas[name]()),))


def _mention(raw: str, data_dir: Any) -> Expected:
    """A mention of the source: a code or date shows the digits it is written with, a year or a
    quantity its value (a range its bounds) with its qualifier."""
    rows = load_mentions(data_dir)
    rows = rows[rows["raw"] == raw]
    assert len(rows), f"mention({raw}): no row of mentions.csv has that raw text"
    row = rows.iloc[0]
    if row["kind"] in ("date", "identifier") or _missing(row["value"], row["low"], row["high"]):
        return Expected(tuple(float(x) for x in re.findall(r"\d+(?:\.\d+)?", raw)))
    if row["qualifier"] == "range":
        return Expected((float(row["low"]), float(row["high"])), "range")
    return Expected((float(row["value"]),), str(row["qualifier"]))


def _missing(value: Any, low: Any, high: Any) -> bool:
    import pandas as pd

    return bool(pd.isna(value)) and (bool(pd.isna(low)) or bool(pd.isna(high)))


def _audit_number(source: str, data_dir: Any) -> Expected:
    """A number an audit check prints: the value its computation gives (an indicator's for a
    quantity it quotes; both ends of a range; the bound of an open interval), in the unit
    shown (percent points for a percentage)."""
    from ziyang_lib.truth.checks import Num, Phrase, Qty
    from ziyang_lib.truth.metrics import Interval
    from ziyang_lib.truth.provenance import derive

    num = derive(source, data_dir)
    if isinstance(num, Qty):
        return _shown(num.ind)
    assert not isinstance(num, Phrase), f"{source}: a phrase has no number"
    assert isinstance(num, Num), source
    scale = 100 if num.kind == "percent" else 1
    value = num.value
    if isinstance(value, Interval):
        if value.is_point:
            return Expected((value.low * scale,))
        if value.high == math.inf:
            return Expected((value.low * scale,), "at_least")
        return Expected((value.low * scale, value.high * scale), "range")
    return Expected((float(value) * scale,))


def parse(text: str) -> list[tuple[float, float]]:
    """Numbers in a formatted text as (value, half a unit of the last digit shown), in base units.

    "47.36亿元" → [(4.736e9, 5e5)]; "5—7亿元" → both ends with the shared scale word;
    "236,000 people" → [(236000, 0.5)]; "-1.28—5.32亿元" → a negative first end.
    """
    found: list[tuple[float, float]] = []
    for m in SCALED.finditer(text):
        scale = SCALES.get(m.group(5) or "", 1.0)
        for sign, part in ((-1 if m.group(1) else 1, m.group(2)), (1, m.group(4))):
            if part:
                digits = part.replace(",", "")
                decimals = len(digits.split(".")[1]) if "." in digits else 0
                found.append((sign * float(digits) * scale, 0.5 * 10**-decimals * scale))
    return found


def check_pair(text: str, source: str, lang: str, data_dir: Any) -> list[str]:
    """Problems with one provenance entry (empty when the text is what the source stands for)."""
    problems = []
    expected = evaluate(source, data_dir)
    got = parse(text)
    if len(got) != len(expected.numbers):
        return [f"{text!r} ({source}): shows {len(got)} numbers, source has {expected.numbers}"]
    for (value, half_unit), want in zip(got, expected.numbers, strict=True):
        if not math.isclose(value, want, rel_tol=1e-9, abs_tol=half_unit * (1 + 1e-9)):
            problems.append(f"{text!r} ({source}): {value} shown, {want} in data")
    words = QUALIFIER_WORDS[lang].get(expected.qualifier, ())
    if words and not any(w in text for w in words):
        problems.append(f"{text!r} ({source}): lost its qualifier {expected.qualifier}")
    resolved = provenance.resolve(source, lang, data_dir)
    if resolved != text:
        problems.append(f"{text!r} ({source}): provenance.resolve gives {resolved!r}")
    return problems


# --- the rules for numbers without provenance ----------------------------------------------------


@cache
def allowed_dates_and_years(data_dir: Any = None) -> tuple[frozenset[str], frozenset[str]]:
    """Dates of events, and years 2012–2020 found in events' dates or indicators' periods."""
    dates = {str(d) for d in load_events(data_dir)["date"]}
    periods = [str(p) for p in load_indicators(data_dir)["period"].dropna()]
    years = {y for text in [*dates, *periods] for y in YEAR.findall(text)}
    return frozenset(dates), frozenset(y for y in years if 2012 <= int(y) <= 2020)


@cache
def event_ordinals(data_dir: Any = None) -> frozenset[str]:
    """Ordinals in the English labels of events ("18th" of the 18th Party Congress)."""
    events = load_events(data_dir)
    return frozenset(o for label in events["label_en"] for o in ORDINAL.findall(str(label)))


@cache
def names() -> tuple[str, ...]:
    """Chart ids and notebook names, longest first (they may contain digits)."""
    from ziyang_lib.report.charts.registry import all_charts

    found = {spec.chart_id for spec in all_charts()} | {spec.notebook for spec in all_charts()}
    return tuple(sorted(found | set(NOTEBOOKS), key=len, reverse=True))


@cache
def context_metadata(data_dir: Any = None) -> tuple[str, ...]:
    """Periods, publication dates and titles, URLs and hosts of the context figures, longest
    first."""
    from urllib.parse import urlparse

    from ziyang_lib.report.provenance import date_text
    from ziyang_lib.truth.context import load_context

    frame = load_context(data_dir)
    found: set[str] = set()
    for column in ("period", "period_zh", "source_date", "title"):
        found.update(str(x) for x in frame[column].dropna() if x)  # an empty cell is missing
    for column in ("url", "retrieved_from", "corroborated_by"):
        urls = [u for cell in frame[column].dropna() for u in str(cell).split()]
        found.update(urls)
        hosts = (urlparse(u).hostname or "" for u in urls)
        found.update(h.removeprefix("www.").removeprefix("m.") for h in hosts)
    for lang in ("zh", "en"):  # publication dates as the notes print them
        found.update(date_text(d, lang) for d in frame["source_date"].dropna())
    return tuple(sorted({x for x in found if len(x) >= 6}, key=len, reverse=True))


@cache
def quotes(data_dir: Any = None) -> tuple[str, ...]:
    """The source's sentences that indicators, events and glossary terms quote, and the words
    of those data rows (labels, notes, explanations), longest first."""
    from ziyang_lib.truth.source import load_source

    records = [indicator(i, data_dir) for i in load_indicators(data_dir)["id"]]
    found = (
        {r.quote for r in records} | {r.label_zh for r in records} | {r.label_en for r in records}
    )
    source = load_source(data_dir)
    events, glossary = load_events(data_dir), load_glossary(data_dir)
    for frame, columns in (
        (events, ("label_zh", "label_en", "date_note_zh", "date_note_en")),
        (glossary, ("term_en", "explanation_zh", "explanation_en")),
    ):
        for row in frame.to_dict("records"):
            found.update(str(row[c]) for c in columns if isinstance(row[c], str))
            found.add(source.sentence(int(row["start"]), int(row["end"])))
    return tuple(sorted(found - {""}, key=len, reverse=True))


def normalise(text: str) -> str:
    """What a reader sees: tags dropped, entities decoded, markdown escapes removed."""
    return MD_ESCAPE.sub(r"\1", html.unescape(TAG.sub(" ", text)))


SOURCE_WORDS = re.compile(
    r'<(\w+)\b[^>]*?\sdata-(mention|span)="(\d+)(?:-(\d+))?"[^>]*>([^<]*)</\1\s*>'
)


@cache
def mention_ends(data_dir: Any = None) -> dict[int, int]:
    """Raw end offset of each row of mentions.csv, by its start."""
    rows = load_mentions(data_dir)
    return dict(zip(rows["start"].astype(int), rows["end"].astype(int), strict=True))


def without_source_words(text: str, data_dir: Any = None) -> tuple[str, list[str]]:
    """`text` with the source's own words removed where a page marks them with their raw span,
    and a problem for each marked text that is not what the source says there."""
    from ziyang_lib.truth.source import load_source

    source, ends, problems = load_source(data_dir), mention_ends(data_dir), []

    def drop(m: re.Match[str]) -> str:
        start = int(m.group(3))
        end = int(m.group(4)) if m.group(4) else ends.get(start)
        shown = html.unescape(m.group(5))
        if end is None:
            problems.append(f"data-mention={start}: no row of mentions.csv starts there")
            return m.group(0)
        said = source.text[source.to_clean(start) : source.to_clean(end)]
        if shown != said:
            problems.append(
                f"marked {shown!r} at raw {start}–{end}, where the source says {said!r}"
            )
            return m.group(0)
        return " "

    return SOURCE_WORDS.sub(drop, text), problems


def untraced(text: str, numbers: list[list[str]], lang: str, data_dir: Any = None) -> list[str]:
    """Every problem in one output text: bad provenance entries and numbers nobody explains."""
    text, problems = without_source_words(text, data_dir)
    seen = normalise(text)
    for quote in quotes(data_dir):  # the source's own words, before the numbers shown beside them
        seen = seen.replace(quote, " ")
    for entry_text, source in sorted(numbers, key=lambda pair: -len(pair[0])):
        alone = re.compile(rf"(?<![\d.,]){re.escape(entry_text)}(?!\d|[.,]\d)")
        if not alone.search(seen):
            continue  # checked where it appears (see check_notebook)
        problems += check_pair(entry_text, source, lang, data_dir)
        seen = alone.sub(" ", seen)
    dates, years = allowed_dates_and_years(data_dir)
    for token in context_metadata(data_dir):
        seen = seen.replace(token, " ")
    for name in names():
        seen = seen.replace(name, " ")
    seen = PARAGRAPH_REF.sub(" ", seen)
    ordinals = event_ordinals(data_dir)
    seen = ORDINAL.sub(lambda m: " " if m.group(0) in ordinals else m.group(0), seen)
    seen = DATE.sub(lambda m: " " if m.group(0) in dates else m.group(0), seen)
    seen = YEAR.sub(lambda m: " " if m.group(0) in years else m.group(0), seen)
    for m in NUMBER.finditer(seen):
        start = max(0, m.start() - 15)
        problems.append(f"untraced number {m.group(0)!r} in …{seen[start : m.end() + 15]}…")
    if DIGIT.search(NUMBER.sub(" ", seen)):
        problems.append(f"untraced digits in {seen!r}")
    return problems


def texts_of(nb: Any) -> Iterator[tuple[int, str, str, list[list[str]]]]:
    """(cell index, mimetype, text, provenance) of every text output of `nb`."""
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            numbers = out.get("metadata", {}).get("ziyang", {}).get("numbers", [])
            for mime in TEXT_TYPES:
                if mime in data:
                    text = data[mime]
                    yield index, mime, "".join(text) if isinstance(text, list) else text, numbers
            if out.get("output_type") == "stream":
                yield index, "stream", "".join(out.get("text", "")), []


def check_notebook(nb: Any) -> list[str]:
    """Every problem in an executed notebook's text outputs."""
    params = nb.metadata.get("papermill", {}).get("parameters", {})
    lang, data_dir = params.get("lang", "zh"), params.get("data_dir") or None
    problems = []
    shown: dict[int, str] = {}
    for index, mime, text, numbers in texts_of(nb):
        problems += [f"cell {index} {mime}: {p}" for p in untraced(text, numbers, lang, data_dir)]
        shown[index] = shown.get(index, "") + normalise(text)
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            for entry_text, source in out.get("metadata", {}).get("ziyang", {}).get("numbers", []):
                if entry_text not in shown.get(index, ""):
                    problems.append(f"cell {index}: provenance {entry_text!r} ({source}) not shown")
    return problems


# --- the notebooks -------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_every_number_traces_to_data(executed, stem: str, lang: str) -> None:  # noqa: F811
    nb = executed.run((stem, lang)).notebook()
    problems = check_notebook(nb)
    assert not problems, "\n".join(problems)
    traced = sum(len(numbers) for *_, numbers in texts_of(nb))
    assert traced > 0, "no provenance at all: the checker would pass anything"


def _markdown_with_numbers(nb: Any) -> dict:
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            has_numbers = out.get("metadata", {}).get("ziyang", {}).get("numbers")
            if has_numbers and "text/markdown" in out.get("data", {}):
                return out
    raise AssertionError("no output with provenance")


@pytest.mark.slow
def test_checker_catches_an_injected_number(executed) -> None:  # noqa: F811
    nb = copy.deepcopy(executed.run(("01_party_leadership", "zh")).notebook())
    assert check_notebook(nb) == []
    out = _markdown_with_numbers(nb)
    out["data"]["text/markdown"] += " 另有12345人。"
    problems = check_notebook(nb)
    assert len(problems) == 1 and "12345" in problems[0]


@pytest.mark.slow
def test_checker_catches_a_number_its_source_does_not_give(executed) -> None:  # noqa: F811
    nb = copy.deepcopy(executed.run(("01_party_leadership", "en")).notebook())
    out = _markdown_with_numbers(nb)
    text, source = out["metadata"]["ziyang"]["numbers"][0]
    digit = re.search(r"\d", text)
    wrong = text[: digit.start()] + str((int(digit.group(0)) + 1) % 10) + text[digit.end() :]
    as_written = "".join(rf"\\?{re.escape(ch)}" for ch in text)  # markdown may escape "."
    for mime in ("text/markdown", "text/plain"):
        out["data"][mime], n = re.subn(as_written, wrong, out["data"][mime])
        assert n >= 1
    out["metadata"]["ziyang"]["numbers"][0] = [wrong, source]
    problems = check_notebook(nb)
    assert any(source in p and "in data" in p for p in problems), problems


# --- the checker's rules on small texts ----------------------------------------------------------


def test_rules_allow_paragraphs_event_dates_and_years_only() -> None:
    dates, years = allowed_dates_and_years()
    a_date = sorted(d for d in dates if len(d) == 10)[0]
    a_year = sorted(years)[0]
    assert untraced(f"Source: x, {a_date}, ¶17、¶27 — since {a_year}", [], "en") == []
    assert untraced("in 2011 it began", [], "en")  # not an event or period year
    assert untraced("2020-02-30", [], "en")  # not an event date
    assert untraced("3 teams", [], "en")
    assert untraced("since the 18th Party Congress", [], "en") == []
    assert untraced("the 19th Party Congress", [], "en")  # no such event in the data
    quote = indicator("poor_villages").quote
    assert re.search(r"\d", quote)
    assert untraced(f"¶6 “{quote}”", [], "en") == []  # the source's own sentence, word for word
    altered = re.sub(r"\d", lambda m: str((int(m.group(0)) + 1) % 10), quote, count=1)
    assert untraced(f"¶6 “{altered}”", [], "en")  # not what the source says


def test_provenance_must_match_the_data() -> None:
    pop = indicator("poor_population")
    right = provenance.resolve("poor_population", "zh")
    assert untraced(f"共{right}。", [[right, "poor_population"]], "zh") == []
    assert parse(right) == [(pop.value, 0.05 * 1e4)]
    wrong = right.replace("23.6", "23.7")
    problems = untraced(f"共{wrong}。", [[wrong, "poor_population"]], "zh")
    assert any("in data" in p for p in problems)


def test_qualifier_must_survive() -> None:
    cadres = provenance.resolve("paired_cadres", "en")
    assert check_pair(cadres, "paired_cadres", "en", None) == []
    bare = cadres.replace("more than ", "")
    assert any("qualifier" in p for p in check_pair(bare, "paired_cadres", "en", None))


def test_ranges_and_derivations_are_recomputed() -> None:
    for lang in LANGS:
        for source in (
            "health_fund_per_year",
            "city_budget_per_year",
            "cagr(poor_income_2013,poor_income_2019)",
            "share(fiscal_special_funds,special_funds_total)",
            "overlap(industry_employment_support,safety_net_support,poor_population)",
            "event(assistance_forces)",
        ):
            assert check_pair(provenance.resolve(source, lang), source, lang, None) == []
    assert check_pair("19.25%", "cagr(poor_income_2013,poor_income_2019)", "en", None)
    assert parse("-1.28—5.32亿元") == [(-1.28e8, 5e5), (5.32e8, 5e5)]
    assert parse("2013-2019") == [(2013.0, 0.5), (2019.0, 0.5)]  # a range, not a minus
    assert parse("备05007295号-1") == [(5007295.0, 0.5), (1.0, 0.5)]  # a code's hyphen
