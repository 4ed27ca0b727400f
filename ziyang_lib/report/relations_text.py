"""The audit of any text's arithmetic in words: one sentence per relation, in zh and en.

`audit_text(text, lang)` is `ziyang_lib.truth.relations.find_relations` with the explanation of
every relation rendered from ``catalogue/relations.yaml``: a stated operand prints as the text
writes it (in quotes), a computed one with its unit in the language.
"""

from __future__ import annotations

import math

import pandas as pd

from ziyang_lib.report import fmt
from ziyang_lib.report.text import LANGS, catalogue, check_lang, t
from ziyang_lib.truth.metrics import Interval
from ziyang_lib.truth.relations import COLUMNS, Stated, StatedList, Value, find_relations

TEXT_COLUMNS: tuple[str, ...] = ("explanation_zh", "explanation_en")
#: The columns `ziyang-report audit-text` writes as CSV (no Python objects): the truth layer's
#: columns with the explanation in words instead of its key and the numbers it uses.
CSV_COLUMNS: tuple[str, ...] = (
    *(c for c in COLUMNS if c not in ("explanation_key", "numbers")),
    *TEXT_COLUMNS,
)


def _unit_name(unit: str, lang: str) -> str:
    key = f"relations.unit.{unit}"
    return t(key, lang) if key in catalogue() else unit


def _one(x: float, unit: str, digits: int | None, lang: str) -> str:
    if unit == "year":
        return fmt.year(x, lang)
    if unit == "%":
        return t("relations.format.percent", lang, n=fmt.number(x, lang, digits=digits))
    if unit == "百分点":
        n = fmt.number(x, lang, digits=digits)
        return t("relations.format.percentage_points", lang, n=n)
    if unit == "年":
        return t("relations.format.years", lang, n=fmt.number(x, lang, digits=digits))
    return fmt.number(x, lang, unit=_unit_name(unit, lang) or None, digits=digits)


def value_text(value: Value, lang: str) -> str:
    """A computed value (a number or an interval) with its unit, in `lang`."""
    v = value.value
    if isinstance(v, Interval):
        if v.is_point or _same_shown(v, value.digits):
            return _one(v.low, value.unit, value.digits, lang)
        if not math.isfinite(v.high):
            return t("audit.format.at_least", lang, n=_one(v.low, value.unit, value.digits, lang))
        low, high = (_one(x, value.unit, value.digits, lang) for x in (v.low, v.high))
        return t("relations.format.range", lang, low=low, high=high)
    return _one(float(v), value.unit, value.digits, lang)


def _same_shown(iv: Interval, digits: int | None) -> bool:
    """True when both ends print alike (a width below the digits shown)."""
    places = 6 if digits is None else digits
    return math.isfinite(iv.high) and round(iv.low, places) == round(iv.high, places)


def number_text(num: Stated | StatedList | Value, lang: str) -> str:
    """One printed number of a relation's explanation."""
    if isinstance(num, Stated):
        return t("relations.format.quoted", lang, raw=num.raw)
    if isinstance(num, StatedList):
        quoted = (t("relations.format.quoted", lang, raw=r) for r in num.raws)
        return t("relations.format.list_sep", lang).join(quoted)
    return value_text(num, lang)


def explanation(key: str, numbers: dict, lang: str) -> str:
    """The sentence ``relations.explanation.<key>`` in `lang`, filled from `numbers`."""
    texts = {name: number_text(num, lang) for name, num in numbers.items()}
    return t(f"relations.explanation.{key}", lang, **texts)


def describe(frame: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """`frame` (of `find_relations`) with ``explanation_zh`` and ``explanation_en``; with
    `lang`, also ``kind_label``, ``verdict_label`` and ``explanation`` in that language."""
    if lang is not None:
        check_lang(lang)
    out = frame.copy()
    for lang_ in LANGS:
        out[f"explanation_{lang_}"] = [
            explanation(k, n, lang_)
            for k, n in zip(frame["explanation_key"], frame["numbers"], strict=True)
        ]
    if lang is not None:
        out["kind_label"] = [t(f"relations.kind.{k}", lang) for k in frame["kind"]]
        out["verdict_label"] = [
            t(f"audit.verdict.{v.replace(' ', '_')}", lang) for v in frame["verdict"]
        ]
        out["explanation"] = out[f"explanation_{lang}"]
    return out


def audit_text(text: str, lang: str | None = None) -> pd.DataFrame:
    """The relations `text` states between its numbers, checked, each with its explanation."""
    return describe(find_relations(text), lang)


__all__ = ["CSV_COLUMNS", "TEXT_COLUMNS", "audit_text", "describe", "explanation", "value_text"]
