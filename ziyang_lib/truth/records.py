"""What a chart or a page table draws, loaded from data/: the one place charts get their data.

`load_records(refs, data_dir)` takes the references a chart record declares (ids, ``term(…)``,
``event(…)``, ``mention(…)``, ``audit(*)``, see `ziyang_lib.truth.provenance`) and returns a
`Records`: the figures by id (only those declared), plus the glossary rows, events and source
text it may quote. `indicator_frame(ids)` is the page's table of indicators, one row per fact.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from functools import cached_property
from typing import Any

import pandas as pd

from ziyang_lib.truth.provenance import figure, ids_in, parse

DataDir = str | os.PathLike[str] | None


class Records(Mapping[str, Any]):
    """The figures a chart draws, by id (`records["poor_population"]`), and the tables it quotes.

    Asking for an id, a term or an event the chart did not declare raises KeyError: a chart
    cannot draw what its record does not cite.
    """

    def __init__(self, refs: Iterable[str], data_dir: DataDir = None) -> None:
        self.refs = tuple(refs)
        self.data_dir = data_dir or None
        ids = [i for ref in self.refs for i in ids_in(ref)]
        self._figures = {i: figure(i, self.data_dir) for i in dict.fromkeys(ids)}
        self._named = {name: set() for name in ("term", "event", "mention", "audit")}
        for ref in self.refs:
            name, args, _ = parse(ref)
            if name in self._named:
                self._named[name].add(args[0])

    def __getitem__(self, ident: str) -> Any:
        if ident not in self._figures:
            raise KeyError(f"{ident!r} is not among the figures declared: {', '.join(self)}")
        return self._figures[ident]

    def __iter__(self) -> Iterator[str]:
        return iter(self._figures)

    def __len__(self) -> int:
        return len(self._figures)

    def __repr__(self) -> str:
        return f"Records({', '.join(self.refs)})"

    def _declared(self, name: str, key: str) -> None:
        if key not in self._named[name] and "*" not in self._named[name]:
            raise KeyError(f"{name}({key}) is not declared by this chart: {', '.join(self.refs)}")

    @cached_property
    def source(self) -> Any:
        """The source document (`ziyang_lib.truth.source.Source`)."""
        from ziyang_lib.truth.source import load_source

        return load_source(self.data_dir)

    @cached_property
    def glossary(self) -> pd.DataFrame:
        """The glossary rows declared (all of them for ``term(*)``)."""
        from ziyang_lib.truth.loaders import load_glossary

        frame = load_glossary(self.data_dir)
        terms = self._named["term"]
        return frame if "*" in terms else frame[frame["term"].isin(terms)]

    @cached_property
    def events(self) -> pd.DataFrame:
        """The events declared (all of them for ``event(*)``)."""
        from ziyang_lib.truth.loaders import load_events

        frame = load_events(self.data_dir)
        ids = self._named["event"]
        return frame if "*" in ids else frame[frame["event_id"].isin(ids)]

    def term(self, term: str) -> dict[str, Any]:
        """One declared glossary row as a dict."""
        return self._row("term", self.glossary, "term", term)

    def event(self, event_id: str) -> dict[str, Any]:
        """One declared event as a dict."""
        return self._row("event", self.events, "event_id", event_id)

    def _row(self, name: str, frame: pd.DataFrame, column: str, key: str) -> dict[str, Any]:
        self._declared(name, key)
        row = frame.loc[frame[column] == key]
        if row.empty:
            raise KeyError(f"no {name} {key!r}")
        return row.iloc[0].to_dict()

    def audit(self) -> pd.DataFrame:
        """The audit's checks (`ziyang_lib.truth.checks.audit`), when ``audit(*)`` is declared."""
        from ziyang_lib.truth.checks import audit

        self._declared("audit", "*")
        return audit(self.data_dir)

    @cached_property
    def counties(self) -> dict[str, Any]:
        """The county boundaries (GeoJSON, `ziyang_lib.truth.geo`)."""
        from ziyang_lib.truth.geo import load_counties

        return load_counties(self.data_dir)


def load_records(refs: Iterable[str], data_dir: DataDir = None) -> Records:
    """The `Records` of `refs` (every id is looked up now: an unknown one raises KeyError)."""
    return Records(refs, data_dir)


FRAME_COLUMNS = (
    "id", "label_zh", "label_en", "value", "low", "high", "unit", "unit_en", "qualifier",
    "period", "period_zh", "geo", "paragraph", "quote", "producer_zh", "producer_en",
    "publication_zh", "publication_en", "title", "source_date", "url", "reposts", "reposts_only",
)  # fmt: skip


def _frame_row(fig: Any) -> dict[str, Any]:
    from ziyang_lib.truth.context import ContextFigure

    row = {name: getattr(fig, name, None) for name in FRAME_COLUMNS}
    if isinstance(fig, ContextFigure):
        row.update(id=fig.context_id, producer_en=fig.producer, publication_en=fig.publication,
                   reposts=" ".join(fig.repost_urls))  # fmt: skip
    return row


def indicator_frame(ids: Iterable[str], data_dir: DataDir = None) -> pd.DataFrame:
    """The figures `ids` as a table, one row per fact, in the order given: the CSV fields plus
    where the source states each: for an indicator the paragraph and the sentence of the source
    (``paragraph``, ``quote``), for a context figure its producer, original publication (title,
    date), the copy on the producer's site (``url``) and the repost pages (``reposts``).
    Filter it like any frame (``frame[frame["unit"] == "元"]``)."""
    rows = [_frame_row(figure(ident, data_dir)) for ident in dict.fromkeys(ids)]
    return pd.DataFrame(rows, columns=list(FRAME_COLUMNS))
