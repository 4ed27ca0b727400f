"""Language-aware formatting of numbers and quantities.

zh keeps the source's own style (23.6万人, 47.36亿元, 2万余名, 5—7亿元, 60%以上, 近55年);
en uses thousands separators and million/billion (236,000 people, 4.736 billion yuan, more than
20,000 persons). The stated precision is kept (47.36亿 → 4.736 billion, never 4.74 billion) and the
qualifier is never dropped.

Scale rule: a number is written with the largest scale word whose mantissa is short — at most
``MAX_SCALED_DECIMALS[lang]`` decimals (zh 2: 23.6万, 47.36亿; en 3: 4.736 billion) — and in plain
digits otherwise. So round figures read as the source writes them (19万, 2.4万, 31.8万亩) while
exact counts keep their digits (1663个, 3774人, 11501个, 10740元), and nothing is ever rounded away.
Every word comes from ``catalogue/ui.yaml`` (``ui.fmt.*``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from ziyang_lib.report.text import check_lang, t
from ziyang_lib.truth.quantity import QUALIFIERS, Quantity

__all__ = [
    "QUALIFIERS",
    "Quantity",
    "money",
    "number",
    "percent",
    "quantity",
    "scale",
    "unit",
    "year",
]

PERCENT = "%"
_MAX_DECIMALS = 6
#: Most decimals a scaled mantissa may have; a number needing more is written in plain digits.
MAX_SCALED_DECIMALS: dict[str, int] = {"zh": 2, "en": 3}
# Unit spellings that mean "calendar year" (a year is printed as 2016 / 2016年, never 2,016).
_YEAR_UNITS_EN = frozenset({"year", "calendar year"})
# Which field of an indicator holds the unit in each language.
_UNIT_FIELD = {"zh": "unit", "en": "unit_en"}


@lru_cache(maxsize=4)
def _scales(lang: str) -> tuple[tuple[int, str], ...]:
    """Return (power of ten, word) pairs from the catalogue, largest first."""
    pairs = []
    for item in t("ui.fmt.scales", lang).split(","):
        power, word = item.split()
        pairs.append((int(power), word))
    return tuple(sorted(pairs, reverse=True))


def _is_missing(x: Any) -> bool:
    if x is None:
        return True
    try:
        return math.isnan(float(x))
    except (TypeError, ValueError):
        return True


def _digits_text(x: float, lang: str, digits: int | None) -> str:
    """Plain decimal text of `x`: shortest exact form, or `digits` decimals; grouped in en."""
    group = t("ui.fmt.group_thousands", lang) == "yes"
    if digits is None:
        text = f"{round(x, _MAX_DECIMALS):,.{_MAX_DECIMALS}f}".rstrip("0").rstrip(".")
    else:
        text = f"{x:,.{digits}f}"
    if not group:
        text = text.replace(",", "")
    if text.startswith("-") and not text.strip("-0.,"):
        text = text[1:]  # no "-0.00" for a tiny negative number
    return text or "0"


def _decimals_needed(x: float) -> int:
    """How many decimals the shortest exact text of `x` has (float noise ignored)."""
    text = f"{x:.{_MAX_DECIMALS}f}".rstrip("0").rstrip(".")
    return len(text.partition(".")[2])


def _scale_for(x: float, lang: str) -> tuple[int, str]:
    """The largest catalogue scale not above |x|, or (0, '') for small numbers."""
    for power, word in _scales(lang):
        if abs(x) >= 10**power:
            return power, word
    return 0, ""


def _short_scale(values: tuple[float, ...], lang: str) -> tuple[int, str]:
    """The largest scale not above min |values| in which every value has a short mantissa.

    Short means at most ``MAX_SCALED_DECIMALS[lang]`` decimals; (0, '') means plain digits.
    """
    top, _ = _scale_for(min(abs(v) for v in values), lang)
    limit = MAX_SCALED_DECIMALS[lang]
    for power, word in _scales(lang):
        if power <= top and all(_decimals_needed(v / 10**power) <= limit for v in values):
            return power, word
    return 0, ""


def scale(x: float, lang: str) -> tuple[float, str]:
    """The divisor and scale word for chart axes over |x|: 7e8 → (1e8, '亿') / (1e6, 'million').

    Always the largest scale not above |x| (an axis is read in round units), unlike `number`,
    which keeps exact counts in plain digits. Numbers below every scale give (1.0, '').
    """
    check_lang(lang)
    power, word = _scale_for(float(x), lang)
    return float(10**power), word


def _mantissa(x: float, lang: str, power: int, digits: int | None) -> str:
    """`x` in units of 10**power; `digits` decimals at least, never fewer than it needs."""
    m = x / 10**power
    if digits is None:
        return _digits_text(m, lang, None)
    return _digits_text(m, lang, max(digits, _decimals_needed(m)) if power else digits)


def _scaled(x: float, lang: str, power: int, word: str, digits: int | None) -> str:
    sep = t("ui.fmt.unit_sep", lang)
    mantissa = _mantissa(x, lang, power, digits)
    return f"{mantissa}{sep}{word}" if word else mantissa


def _shown(x: float, digits: int | None) -> float:
    """The value as it will be printed: rounded to `digits` decimals (or the exact-form limit)."""
    return round(float(x), _MAX_DECIMALS if digits is None else digits)


def _join_unit(unit: str, lang: str) -> str:
    """The unit with the separator it needs in front (none for % or an empty unit)."""
    if not unit:
        return ""
    if unit.startswith(PERCENT):
        return unit  # 60%, 19.2% per year
    return t("ui.fmt.unit_sep", lang) + unit


def number(x: float, lang: str, unit: str | None = None, digits: int | None = None) -> str:
    """Format `x` with the language's scale words (万/亿, million/billion) and an optional unit.

    `unit` is written as given (pass the unit in `lang`). The scale follows the module's scale
    rule (236000 → 23.6万 / 236,000; 11501 → 11501 / 11,501). `digits` rounds the value to that
    many decimals (of the mantissa when scaled, never dropping a digit the value needs: 15234.7
    with digits=0 → 15235); otherwise the shortest exact form is used.
    """
    check_lang(lang)
    v = _shown(x, digits)
    power, word = _short_scale((v,), lang)
    return _scaled(v, lang, power, word, digits) + _join_unit(unit or "", lang)


def percent(x: float, lang: str, digits: int = 1) -> str:
    """Format a fraction as a percentage: 0.1916 → '19.2%' (same in both languages)."""
    check_lang(lang)
    return _digits_text(float(x) * 100, lang, digits) + PERCENT


def money(x: float, lang: str, digits: int | None = None) -> str:
    """Format an amount in yuan: 4.736e9 → '47.36亿元' / '4.736 billion yuan'."""
    return number(x, lang, unit=t("ui.fmt.money_unit", lang), digits=digits)


def year(x: float | int | str, lang: str | None = None) -> str:
    """Format a calendar year: '2016' (with 年 when `lang` is 'zh'; never a thousands comma)."""
    text = str(int(float(x)))
    return t("ui.fmt.year", lang, n=text) if lang else text


def _field(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _unit_in(obj: Any, lang: str) -> str:
    """The unit in `lang` (`unit` is zh, `unit_en` en), falling back to the zh unit."""
    for name in (_UNIT_FIELD[lang], "unit"):
        unit = _field(obj, name)
        if not _is_missing_text(unit):
            return str(unit)
    return ""


def unit(ind_or_values: Any, lang: str) -> str:
    """The unit of an indicator (or mapping) in `lang`: 元 / yuan, 人 / people."""
    return _unit_in(ind_or_values, check_lang(lang))


def _is_missing_text(s: Any) -> bool:
    return s is None or (isinstance(s, float) and math.isnan(s)) or str(s) == ""


def _is_calendar_year(obj: Any) -> bool:
    unit_en = _field(obj, "unit_en")
    return not _is_missing_text(unit_en) and str(unit_en).lower() in _YEAR_UNITS_EN


def _range_text(low: float, high: float, lang: str, digits: int | None) -> str:
    """'5—7亿' / '500–700 million': both ends share one scale, short for both (scale rule)."""
    low, high = _shown(low, digits), _shown(high, digits)
    power, word = _short_scale((low, high), lang)
    lo = _mantissa(low, lang, power, digits)
    hi = _scaled(high, lang, power, word, digits)
    return f"{lo}{t('ui.fmt.range_sep', lang)}{hi}"


def quantity(ind_or_values: Any, lang: str, digits: int | None = None) -> str:
    """Format a quantity with its unit and qualifier: 23.6万人 / 236,000 people, 2万余名 / more
    than 20,000 persons, 5—7亿元 / 500–700 million yuan, 60%以上 / at least 60%.

    Accepts an `Indicator`, a `Quantity` or a mapping with value/low/high/unit/unit_en/qualifier.
    Raises ValueError if the qualifier is unknown or the bounds it needs are missing.
    """
    check_lang(lang)
    qualifier = str(_field(ind_or_values, "qualifier", "exact") or "exact")
    if qualifier not in QUALIFIERS:
        raise ValueError(f"unknown qualifier {qualifier!r}; expected one of {QUALIFIERS}")
    unit = _unit_in(ind_or_values, lang)
    if qualifier == "range":
        low, high = _field(ind_or_values, "low"), _field(ind_or_values, "high")
        if _is_missing(low) or _is_missing(high):
            raise ValueError("a range needs both low and high")
        n = _range_text(float(low), float(high), lang, digits)
    else:
        value = _field(ind_or_values, "value")
        if _is_missing(value):
            raise ValueError(f"a {qualifier!r} quantity needs a value")
        if qualifier == "exact" and _is_calendar_year(ind_or_values):
            return year(value, lang)
        n = number(float(value), lang, digits=digits)
    is_percent = _unit_in(ind_or_values, "zh").startswith(PERCENT)
    key = f"{qualifier}_percent" if qualifier == "more_than" and is_percent else qualifier
    return t(f"ui.fmt.qualifier.{key}", lang, n=n, u=_join_unit(unit, lang))
