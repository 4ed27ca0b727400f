"""An audit of any text's own arithmetic: the relations it states, checked.

``find_relations(text)`` finds the relations a government text of the genre states between its
own numbers and checks each with the interval arithmetic of `ziyang_lib.truth.metrics`
(qualifiers and the rounding of the stated digits widen the bounds). Kinds:

- ``growth``: from X in year A to Y in year B, at r% a year (年均增长, 年均增幅);
- ``change``: from X to Y, a stated fall or rise of Z (in the unit, 个百分点 or %), and Y with
  its change on the year before and that change in % (比上年增加Z，增长p%);
- ``per_year``: a total over N years (N年来, a year range) and its yearly average (平均每年);
- ``sum``: a total and parts that add up to it (其中 …、…; of N, M done and K remaining);
- ``parts``: parts within a total that do not claim to exhaust it (其中, 中): none may be larger
  than the total, and together they may exceed it only if the groups can overlap.

One row per relation, in text order, with `COLUMNS`: ``spans`` lists the raw ``start-end`` of
every mention the relation uses (``;``-separated); ``computed_*`` is what the stated numbers
give, ``stated_*`` what the text states (both before the rounding allowance); ``verdict`` is
consistent, inconsistent or needs context (see `rules`); ``explanation_key`` names the case the
one-sentence explanation describes, and ``numbers`` the values it prints. The sentences are
report text: `ziyang_lib.report.relations_text`. A relation the rules are unsure of is left out
rather than guessed.
"""

from __future__ import annotations

import pandas as pd

from ziyang_lib.truth.relations.coding import code
from ziyang_lib.truth.relations.parts import parts
from ziyang_lib.truth.relations.rules import (
    Relation,
    Stated,
    StatedList,
    Value,
    change,
    change_on_previous,
    growth,
    per_year,
)

__all__ = ["COLUMNS", "EXPLANATION_KEYS", "KINDS", "VERDICTS", "Relation", "Stated",
           "StatedList", "Value", "find_relations"]  # fmt: skip

KINDS: tuple[str, ...] = ("growth", "change", "per_year", "sum", "parts")
VERDICTS: tuple[str, ...] = ("consistent", "inconsistent", "needs context")
COLUMNS: tuple[str, ...] = (
    "kind",
    "verdict",
    "spans",
    "computed_low",
    "computed_high",
    "stated_low",
    "stated_high",
    "unit",
    "explanation_key",
    "numbers",
)
#: Every ``explanation_key`` a relation can have (``kind.case``); the report's catalogue has a
#: sentence for each (``relations.explanation.<key>``).
EXPLANATION_KEYS: tuple[str, ...] = (
    *(f"growth.{c}" for c in ("consistent", "inconsistent", "one_more_year", "simple")),
    *(f"change.{p}{c}" for p in ("", "relative_", "previous_") for c in ("consistent",
                                                                        "inconsistent")),
    *(f"per_year.{c}" for c in ("consistent", "inconsistent", "exclusive", "inclusive")),
    *(f"per_year.change_{c}" for c in ("consistent", "inconsistent", "inclusive")),
    *(f"sum.{c}" for c in ("consistent", "complement_consistent", "complement_inconsistent")),
    *(f"parts.{c}" for c in ("within", "part_within", "overlap", "exceeds", "part_exceeds")),
)  # fmt: skip
_RULES = (growth, change, change_on_previous, per_year, parts)


def relations(text: str) -> list[Relation]:
    """Every relation `text` states, in text order (one per set of mentions)."""
    coded = code(text)
    found: list[Relation] = []
    seen: set[tuple[int, ...]] = set()
    for a, b in coded.sentences():
        for rule in _RULES:
            for rel in rule(coded, a, b):
                key = tuple(sorted(op.start for op in rel.operands))
                if key not in seen:
                    seen.add(key)
                    found.append(rel)
    return sorted(found, key=lambda r: min(op.start for op in r.operands))


def find_relations(text: str) -> pd.DataFrame:
    """The relations `text` states, checked; one row per relation, in `COLUMNS`."""
    rows = [
        {
            "kind": r.kind,
            "verdict": r.verdict,
            "spans": ";".join(op.span for op in r.operands),
            "computed_low": r.computed.low,
            "computed_high": r.computed.high,
            "stated_low": r.stated.low,
            "stated_high": r.stated.high,
            "unit": r.unit,
            "explanation_key": f"{r.kind}.{r.case}",
            "numbers": r.numbers,
        }
        for r in relations(text)
    ]
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    floats = ("computed_low", "computed_high", "stated_low", "stated_high")
    return frame.astype({c: "float64" for c in floats})
