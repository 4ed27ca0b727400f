"""The audit in words: each check's claim and explanation in zh and en, every number formatted
from the finding that computed it (``catalogue/audit.yaml``).

`audit_table(data_dir, lang)` is the audit with its texts; a printed number's provenance is an
indicator id, or ``audit(<check_id>.<name>)`` for a computed number, which
`ziyang_lib.report.provenance.resolve` re-computes.
"""

from __future__ import annotations

import math
import string
from collections.abc import Mapping
from os import PathLike
from typing import Any

import pandas as pd

from ziyang_lib.report import fmt
from ziyang_lib.report.text import LANGS, check_lang, t
from ziyang_lib.truth.checks import (
    CHECKS,
    Num,
    Phrase,
    Qty,
    audit,
    audit_from_values,
    verdict_key,
)
from ziyang_lib.truth.metrics import Interval

TEXT_COLUMNS: tuple[str, ...] = (
    "claim_zh",
    "claim_en",
    "explanation_zh",
    "explanation_en",
    "numbers_zh",
    "numbers_en",
)
"""Columns `describe` adds. ``numbers_<lang>`` lists the provenance of every number in that
language's claim and explanation as ``(text, source)`` pairs."""


def _one(num: Num, x: float, lang: str) -> str:
    if num.kind == "money":
        return fmt.money(x, lang, digits=num.digits)
    if num.kind == "year":
        return fmt.year(x)
    if num.kind == "percent":
        return fmt.percent(x, lang, digits=1 if num.digits is None else num.digits)
    return fmt.number(x, lang, digits=num.digits)


def number_text(num: Num | Qty | Phrase, lang: str) -> str:
    """A finding's number in `lang`; an interval prints as a range or an 'at least' bound."""
    if isinstance(num, Qty):
        return fmt.quantity(num.ind, lang)
    if isinstance(num, Phrase):
        return t(num.key, lang)
    if not isinstance(num.value, Interval):
        return _one(num, num.value, lang)
    iv = num.value
    if iv.is_point:
        return _one(num, iv.low, lang)
    if iv.high == math.inf:
        return t("audit.format.at_least", lang, n=_one(num, iv.low, lang))
    if num.kind == "money":  # one scale and one unit for both ends: 30—42亿元
        unit = t("ui.fmt.money_unit", lang)
        money_range = {"qualifier": "range", "low": iv.low, "high": iv.high}
        return fmt.quantity({**money_range, "unit": unit, "unit_en": unit}, lang)
    return t("audit.format.range", lang, low=_one(num, iv.low, lang), high=_one(num, iv.high, lang))


def verdict_label(verdict: str, lang: str) -> str:
    """The verdict in `lang` (e.g. 'needs context' → 需结合背景)."""
    return t(f"audit.verdict.{verdict_key(verdict)}", lang)


def _source(check_id: str, name: str, num: Num | Qty) -> str:
    """Provenance of a printed number: the indicator id, or ``audit(check_id.name)``."""
    if isinstance(num, Qty):
        return str(num.ind.id)
    return f"audit({check_id}.{name})"


def _texts(row: Mapping[str, Any], lang: str) -> dict[str, Any]:
    texts = {name: number_text(num, lang) for name, num in row["numbers"].items()}
    base = f"audit.checks.{row['check_id']}"
    keys = (f"{base}.claim", f"{base}.{row['explanation_key']}")
    claim, explanation = (t(key, lang, **texts) for key in keys)
    used = {f for key in keys for _, f, _, _ in string.Formatter().parse(t(key, lang)) if f}
    numbers = [
        (texts[name], _source(row["check_id"], name, num))
        for name, num in row["numbers"].items()
        if name in used and not isinstance(num, Phrase)
    ]
    return {f"claim_{lang}": claim, f"explanation_{lang}": explanation, f"numbers_{lang}": numbers}


def describe(frame: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """The audit `frame` with its `TEXT_COLUMNS`; with `lang`, also ``claim``, ``explanation``
    and ``verdict_label`` in that language."""
    if lang is not None:
        check_lang(lang)
    texts = [
        {k: v for lang_ in LANGS for k, v in _texts(row, lang_).items()}
        for row in frame.to_dict("records")
    ]
    out = pd.concat([frame, pd.DataFrame(texts, index=frame.index)], axis=1)
    if lang is not None:
        out["claim"] = out[f"claim_{lang}"]
        out["explanation"] = out[f"explanation_{lang}"]
        out["verdict_label"] = [verdict_label(v, lang) for v in out["verdict"]]
    return out


def audit_table(
    data_dir: str | PathLike[str] | None = None, lang: str | None = None
) -> pd.DataFrame:
    """The audit of `data_dir` with every check's claim and explanation (see `describe`)."""
    return describe(audit(data_dir), lang)


def audit_table_from_values(values: Mapping[str, Any], lang: str | None = None) -> pd.DataFrame:
    """`audit_table` on any mapping of indicator-like objects."""
    return describe(audit_from_values(values), lang)


__all__ = [
    "CHECKS",
    "TEXT_COLUMNS",
    "audit_table",
    "audit_table_from_values",
    "describe",
    "number_text",
    "verdict_label",
]
