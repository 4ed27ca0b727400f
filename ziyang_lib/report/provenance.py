"""The text each provenance source stands for: `resolve(source, lang)` is the one resolver.

`text(value, lang)` formats anything a source derives (`ziyang_lib.truth.provenance.derive`):
an indicator or context figure with its unit and qualifier, a `Derived` figure by its kind, an
audit number, a mention of the source (`mention_text`); `resolve` is ``text(derive(source))``.
A checker re-evaluates a printed number's source through it, so every formatted number is the
same wherever it appears.
"""

from __future__ import annotations

import os
from typing import Any

from ziyang_lib.report import fmt
from ziyang_lib.report.text import check_lang, t
from ziyang_lib.truth.mentions import Mention
from ziyang_lib.truth.metrics import Derived
from ziyang_lib.truth.provenance import derive

DataDir = str | os.PathLike[str] | None


def date_text(iso: str, lang: str) -> str:
    """An ISO date (``2020``, ``2020-03``, ``2020-03-17``) in the language's date style; an
    empty date (an undated publication) is n.d. (未注明日期)."""
    if not str(iso or "").strip():
        return t("context.date.none", lang)
    parts = [int(p) for p in str(iso).split("-")]
    key = ("context.date.year", "context.date.month", "context.date.day")[len(parts) - 1]
    y, m, d = (parts + [0, 0])[:3]
    return t(key, lang, y=y, m=m, d=d, iso=iso)


def _derived(value: Derived, lang: str) -> str:
    kind = value.kind
    if kind == "percent":
        return fmt.percent(value.value, lang, digits=1 if value.digits is None else value.digits)
    if kind == "number":
        return fmt.number(round(value.value, 2), lang)
    if kind == "year":
        return fmt.year(value.value, lang)
    if kind == "date":
        return date_text(value.value, lang)
    if kind == "term":
        return str(value.value)
    if kind == "count":
        q = fmt.Quantity(value.value, "", value.qualifier, value.low, value.high, "")
        return fmt.quantity(q, lang)
    if kind == "quantity":
        q = fmt.Quantity(value=value.value, unit=value.unit, unit_en=value.unit_en)
        return fmt.quantity(q, lang)
    raise ValueError(f"{value.source}: unknown kind {kind!r}")


def mention_text(m: Mention, lang: str) -> str:
    """A mention of the source in `lang`: a year as a year, a quantity with its unit (catalogue
    ``mentions.unit``) and qualifier, a date or a code as the source writes it."""
    if m.kind == "year" and m.value is not None:
        return fmt.year(m.value, lang)
    if m.kind in ("date", "identifier") or (m.value is None and None in (m.low, m.high)):
        return m.words
    units = {}
    if m.unit:
        key = f"mentions.unit.{m.unit}"
        units = {"unit": t(key, "zh"), "unit_en": t(key, "en")}
    bounds = {"value": m.value, "low": m.low, "high": m.high, "qualifier": m.qualifier}
    return fmt.quantity({**bounds, **units}, lang)


def text(value: Any, lang: str) -> str:
    """`value` in `lang`: a `Derived` by its kind, an audit number as the audit prints it, a
    mention (`mention_text`), any record with a value, unit and qualifier as `fmt.quantity`."""
    check_lang(lang)
    if isinstance(value, Derived):
        return _derived(value, lang)
    if isinstance(value, Mention):
        return mention_text(value, lang)
    from ziyang_lib.truth.checks import Num, Phrase, Qty

    if isinstance(value, Num | Qty | Phrase):
        from ziyang_lib.report.findings import number_text

        return number_text(value, lang)
    return fmt.quantity(value, lang)


def resolve(source: str, lang: str, data_dir: DataDir = None) -> str:
    """The text `source` stands for in `lang` (see `ziyang_lib.truth.provenance`)."""
    check_lang(lang)
    return text(derive(source, data_dir), lang)


def source_of(value: Any) -> str:
    """The provenance source of a record or a `Derived` figure."""
    from ziyang_lib.truth.metrics import ref

    return ref(value)
