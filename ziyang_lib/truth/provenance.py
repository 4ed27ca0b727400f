"""The one provenance language: where every number a reader sees comes from.

A source is one of

- ``<id>``: an indicator (``poor_population``) or a context figure (``sc_poor_villages``);
- ``<derivation>(<id>,<id>…[,digits=N])``: a figure computed from stated ones, one of
  `ziyang_lib.truth.metrics.DERIVATIONS` (cagr, share, ratio, sum, overlap, diff, year, years,
  count); ``digits`` is the precision a percentage is shown at;
- ``event(<event id>)``: the year of an event; ``term(<glossary term>)``: the term itself;
  ``date(<context id>)``: the date of a context figure's retrieval page;
- ``audit(<check id>.<number>)``: a number an audit check computed (`ziyang_lib.truth.checks`);
- ``mention(<raw text>)``: a number of the source that feeds no figure (a year, an age, a code),
  as ``mentions.csv`` reads it (`ziyang_lib.truth.mentions.mention`).

The same references say what a chart or a note cites (`paragraphs`): ids, ``term(…)``,
``event(…)``, ``mention(<raw text>)`` (every mention of that text), ``term(*)``, ``event(*)``
and ``audit(*)`` (every row of the glossary, the events, the audit's indicators), or a
paragraph number. `derive` gives a source's value; `ziyang_lib.report.provenance.resolve`
formats it: there is no other resolver.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from typing import Any

from ziyang_lib.truth.metrics import DERIVATIONS, Derived

DataDir = str | os.PathLike[str] | None
_SOURCE = re.compile(r"^\s*(?:(\w+)\((.*)\)|([\w-]+))\s*$")
TABLE_REFS = ("event", "term", "mention", "audit")


def parse(source: str) -> tuple[str | None, list[str], dict[str, int]]:
    """``(name, args, options)`` of a source; ``(None, [id], {})`` for a bare id."""
    match = _SOURCE.match(str(source))
    if not match:
        raise ValueError(f"not a provenance source: {source!r}")
    name, args, ident = match.groups()
    if ident:
        return None, [ident], {}
    if name in TABLE_REFS or name == "date":
        return name, [args.strip()], {}
    plain, options = [], {}
    for arg in args.split(","):
        key, eq, value = arg.strip().partition("=")
        if eq:
            options[key] = int(value)
        else:
            plain.append(key)
    return name, plain, options


def figure(ident: str, data_dir: DataDir = None) -> Any:
    """The indicator or context figure `ident` (KeyError naming it if it is neither)."""
    from ziyang_lib.truth.context import figure as context_or_indicator

    return context_or_indicator(ident, data_dir)


def derive(source: str, data_dir: DataDir = None) -> Any:
    """The value `source` stands for: a record (indicator, context figure, mention), a `Derived`
    figure or an audit number (`ziyang_lib.truth.checks.Num`)."""
    name, args, options = parse(source)
    if name is None:
        return figure(args[0], data_dir)
    if name == "event":
        return Derived(int(str(_event(args[0], data_dir)["date"])[:4]), source, "year")
    if name == "term":
        return Derived(_term(args[0], data_dir)["term"], source, "term")
    if name == "date":
        return Derived(figure(args[0], data_dir).source_date, source, "date")
    if name == "mention":
        from ziyang_lib.truth.mentions import mention

        return mention(args[0], data_dir)
    if name == "audit":
        from ziyang_lib.truth.checks import run_check

        check_id, _, number = args[0].partition(".")
        numbers = run_check(check_id, data_dir).numbers
        if number not in numbers:
            raise KeyError(f"audit check {check_id!r} has no number {number!r}")
        return numbers[number]
    if name not in DERIVATIONS:
        raise ValueError(f"unknown derivation {name!r} in {source!r}")
    return DERIVATIONS[name](*(figure(a, data_dir) for a in args), **options)


def ids_in(source: str) -> list[str]:
    """The indicator and context ids a source reads (none for events, terms and mentions)."""
    name, args, _ = parse(source)
    if name in TABLE_REFS:
        return []
    return args


def _event(event_id: str, data_dir: DataDir) -> dict[str, Any]:
    from ziyang_lib.truth.loaders import load_events

    events = load_events(data_dir)
    row = events.loc[events["event_id"] == event_id]
    if row.empty:
        raise KeyError(f"no event {event_id!r}")
    return row.iloc[0].to_dict()


def _term(term: str, data_dir: DataDir) -> dict[str, Any]:
    from ziyang_lib.truth.loaders import load_glossary

    glossary = load_glossary(data_dir)
    row = glossary.loc[glossary["term"] == term.strip()]
    if row.empty:
        raise KeyError(f"no glossary term {term!r}")
    return row.iloc[0].to_dict()


def _starts(name: str, key: str, data_dir: DataDir) -> list[int]:
    """Raw start offsets of the rows a table reference names (``*``: every row)."""
    from ziyang_lib.truth import loaders

    load, column = {
        "event": (loaders.load_events, "event_id"),
        "term": (loaders.load_glossary, "term"),
        "mention": (loaders.load_mentions, "raw"),
    }[name]
    frame = load(data_dir)
    if key != "*":
        frame = frame[frame[column] == key]
        if frame.empty:
            raise KeyError(f"no {name} {key!r}")
    return [int(s) for s in frame["start"].dropna()]


def audit_ids(data_dir: DataDir = None) -> list[str]:
    """Every indicator id the audit's checks read (what ``audit(*)`` cites)."""
    from ziyang_lib.truth.checks import audit

    found: dict[str, None] = {}
    for cell in audit(data_dir)["indicator_ids"]:
        found.update((i.strip(), None) for i in str(cell).split(",") if i.strip())
    return list(found)


def paragraphs(refs: Iterable[str | int], data_dir: DataDir = None) -> list[int]:
    """Sorted paragraph numbers of the source that the references cite (see the module doc):
    every mention of an indicator id, the span of each glossary term, event or mention named,
    paragraph numbers as given; context figures cite no paragraph."""
    from ziyang_lib.truth.context import ContextFigure
    from ziyang_lib.truth.loaders import load_mentions
    from ziyang_lib.truth.source import load_source

    wanted: set[int] = set()
    starts: list[int] = []
    ids: list[str] = []
    for item in refs:
        if isinstance(item, int):
            wanted.add(item)
            continue
        name, args, _ = parse(item)
        if name == "audit":
            ids += audit_ids(data_dir)
        elif name in TABLE_REFS:
            starts += _starts(name, args[0], data_dir)
        else:
            ids += [i for i in ids_in(item) if not isinstance(figure(i, data_dir), ContextFigure)]
    if ids:
        mentions = load_mentions(data_dir)
        rows = mentions.loc[mentions["indicator_id"].isin(ids), "paragraph"]
        wanted.update(int(p) for p in rows.dropna())
    if starts:
        source = load_source(data_dir)
        wanted.update(source.paragraph_of(s) for s in starts)
    return sorted(wanted)
