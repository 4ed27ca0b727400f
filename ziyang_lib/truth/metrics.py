"""Small, checked arithmetic on the source's figures: growth rates, shares and intervals.

On numbers: `cagr`, `share`, `ratio`, `per_capita`, `implied_end`, `interpolate_compound`. On
records (an indicator or context figure): `growth_rate`, `share_of`, `total`, `overlap`, … return
a `Derived` figure that carries its provenance source, for a page to compute visibly.

Every function validates its inputs and raises ``ValueError`` with a one-line reason (negative
years, zero denominators, …). `share`, `ratio`, `per_capita` and `cagr` accept plain numbers or
`Interval`s; when any argument is an `Interval` the result is an `Interval`, so a qualifier such as
余 (more than) or a range such as 5–7亿 keeps its width through the calculation.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from numbers import Real
from typing import Any

import pandas as pd

from ziyang_lib.truth.interval import DEFAULT_TOL, Interval, Number  # noqa: F401 (re-exported)


def _check_years(years: float) -> None:
    if not isinstance(years, Real) or math.isnan(years):
        raise ValueError(f"years must be a number; got {years!r}")
    if years < 0:
        raise ValueError(f"years must not be negative; got {years}")


def _nonzero(x: Number, what: str) -> None:
    if x == 0:
        raise ValueError(f"{what} must not be zero")


def half_step(x: float) -> float:
    """Half of the largest power of ten that `x` is a whole multiple of (2452000000 → 500000).

    That power is the coarsest precision the figure can have been rounded to, so half of it is
    the largest rounding error the stated digits allow.
    """
    if x == 0 or not math.isfinite(x):
        return 0.0
    for k in range(12, -7, -1):
        q = x / 10**k
        if round(q) != 0 and abs(q - round(q)) < 1e-9 * abs(q):
            return 10**k / 2
    return 0.0


# ---------------------------------------------------------------------------------------------
# Rates, shares, ratios


def _any_interval(*xs: Any) -> bool:
    return any(isinstance(x, Interval) for x in xs)


def ratio(a: Interval | Number, b: Interval | Number) -> Interval | float:
    """a / b; ValueError if b is zero (or, for an interval, contains zero)."""
    if _any_interval(a, b):
        return Interval.coerce(a) / Interval.coerce(b)
    _nonzero(b, "the denominator")
    return a / b


def share(part: Interval | Number, whole: Interval | Number) -> Interval | float:
    """part / whole as a fraction (0.498 for 49.8 %); ValueError if `whole` is zero.

    A part larger than the whole is returned as is (> 1), so callers can detect it.
    """
    if not _any_interval(whole):
        _nonzero(whole, "the whole")
    return ratio(part, whole)


def per_capita(total: Interval | Number, people: Interval | Number) -> Interval | float:
    """total / people; ValueError unless the number of people is positive."""
    low = people.low if isinstance(people, Interval) else people
    if low <= 0:
        raise ValueError(f"people must be positive; got {people}")
    return ratio(total, people)


def _cagr(start: float, end: float, years: float) -> float:
    return (end / start) ** (1 / years) - 1


def cagr(
    start_value: Interval | Number, end_value: Interval | Number, years: float
) -> Interval | float:
    """Compound annual growth rate as a fraction: (end / start) ** (1 / years) − 1.

    2435 → 6969 over 6 years gives ≈ 0.1916. `years` must be positive and both values positive.
    With intervals the result spans the slowest (high start, low end) to the fastest growth.
    """
    _check_years(years)
    if years == 0:
        raise ValueError("years must be positive for a growth rate")
    start, end = Interval.coerce(start_value), Interval.coerce(end_value)
    if start.low <= 0 or end.low <= 0:
        raise ValueError(f"growth needs positive values; got {start_value} → {end_value}")
    if not _any_interval(start_value, end_value):
        return _cagr(start.low, end.low, years)
    return Interval(_cagr(start.high, end.low, years), _cagr(start.low, end.high, years))


def implied_end(start: Interval | Number, rate: Interval | Number, years: float) -> Any:
    """start × (1 + rate) ** years — the value a constant yearly `rate` (a fraction) implies."""
    _check_years(years)
    r = Interval.coerce(rate)
    if r.low <= -1:
        raise ValueError(f"rate must be above -1 (−100 %); got {rate}")
    if not _any_interval(start, rate):
        return start * (1 + rate) ** years
    factor = Interval((1 + r.low) ** years, (1 + r.high) ** years)
    return Interval.coerce(start) * factor


def interpolate_compound(
    start_value: float,
    start_year: int,
    end_value: float,
    end_year: int,
    years: Iterable[int] | None = None,
) -> pd.DataFrame:
    """Values for `years` on the constant-growth path between two stated endpoints.

    Returns columns ``year`` (int), ``value`` (float) and ``modelled`` (bool): False for the two
    stated endpoints (their values are returned exactly as given), True for every year in between,
    whose value is MODELLED (start × (1 + cagr) ** (year − start_year)), not stated in the source.
    `years` defaults to every year from `start_year` to `end_year`; years outside that span raise
    ValueError (this interpolates, it never extrapolates).
    """
    if end_year <= start_year:
        raise ValueError(f"end_year {end_year} must be after start_year {start_year}")
    rate = cagr(start_value, end_value, end_year - start_year)
    wanted = range(start_year, end_year + 1) if years is None else sorted(set(years))
    rows = []
    for year in wanted:
        if not start_year <= year <= end_year:
            raise ValueError(f"year {year} is outside {start_year}–{end_year}")
        if year == start_year:
            value, modelled = float(start_value), False
        elif year == end_year:
            value, modelled = float(end_value), False
        else:
            value, modelled = float(implied_end(start_value, rate, year - start_year)), True
        rows.append((int(year), value, modelled))
    frame = pd.DataFrame(rows, columns=["year", "value", "modelled"])
    return frame.astype({"year": "int64", "value": "float64", "modelled": "bool"})


# ---------------------------------------------------------------------------------------------
# On records: the figures a page computes from stated ones, each with its provenance source


@dataclass(frozen=True)
class Derived:
    """A figure computed from stated ones, with `source`, the provenance that re-computes it.

    `kind` says how it reads: ``percent`` (a fraction shown as a percentage, to `digits`
    decimals), ``quantity`` (in the unit of its inputs), ``number`` (a plain number), ``year``,
    ``count`` (a quantity without its unit, qualifier kept), ``date`` (an ISO date) or ``term``
    (a glossary term). Every page computation returns one, so the chart and the sentence that
    use it print the same number and the number-tracing tests can re-compute it.
    """

    value: Any
    source: str
    kind: str = "quantity"
    unit: str = ""
    unit_en: str = ""
    qualifier: str = "exact"
    low: float | None = None
    high: float | None = None
    digits: int | None = None


def ref(record: Any) -> str:
    """The id of an indicator, context figure or derived figure (its source)."""
    for name in ("id", "context_id", "source"):
        value = getattr(record, name, None)
        if value:
            return str(value)
    raise TypeError(f"not a figure with an id: {record!r}")


def _source(name: str, *records: Any, digits: int | None = None, default: int | None = None) -> str:
    args = [ref(r) for r in records]
    if digits is not None and digits != default:
        args.append(f"digits={digits}")
    return f"{name}({','.join(args)})"


def year_of(record: Any) -> int:
    """The calendar year a figure is about: its value for a year figure, else the last year its
    period names (``2013`` → 2013, ``by end-2019`` → 2019, ``2014-2020`` → 2020)."""
    import re

    if str(getattr(record, "unit_en", "") or "").lower() in ("year", "calendar year"):
        return int(float(record.value))
    years = re.findall(r"\d{4}", str(getattr(record, "period", "") or ""))
    if not years:
        raise ValueError(f"{ref(record)}: period {getattr(record, 'period', None)!r} names no year")
    return int(years[-1])


GROWTH_DIGITS = 2
SHARE_DIGITS = 1


def growth_rate(start: Any, end: Any, *, digits: int = GROWTH_DIGITS) -> Derived:
    """The compound yearly growth from figure `start` to figure `end` (`cagr` over their years)."""
    value = cagr(start.value, end.value, year_of(end) - year_of(start))
    source = _source("cagr", start, end, digits=digits, default=GROWTH_DIGITS)
    return Derived(value, source, "percent", digits=digits)


def share_of(part: Any, whole: Any, *, digits: int = SHARE_DIGITS) -> Derived:
    """`part` as a fraction of `whole` (shown as a percentage)."""
    source = _source("share", part, whole, digits=digits, default=SHARE_DIGITS)
    return Derived(share(part.value, whole.value), source, "percent", digits=digits)


def ratio_of(a: Any, b: Any) -> Derived:
    """a / b as a plain number (shown to two decimals at most)."""
    return Derived(ratio(a.value, b.value), _source("ratio", a, b), "number")


def _in_unit_of(like: Any, value: float, source: str) -> Derived:
    return Derived(value, source, "quantity", str(like.unit), str(like.unit_en))


def total(*parts: Any) -> Derived:
    """The sum of figures in one unit (the unit of the first)."""
    return _in_unit_of(parts[0], sum(p.value for p in parts), _source("sum", *parts))


def overlap(a: Any, b: Any, whole: Any) -> Derived:
    """a + b − whole: the least number that two groups inside `whole` must share."""
    return _in_unit_of(whole, a.value + b.value - whole.value, _source("overlap", a, b, whole))


def difference(a: Any, b: Any) -> Derived:
    """a − b, in the unit of `a`."""
    return _in_unit_of(a, a.value - b.value, _source("diff", a, b))


def year(record: Any) -> Derived:
    """The calendar year of a figure (see `year_of`)."""
    return Derived(year_of(record), _source("year", record), "year")


def years_between(a: Any, b: Any) -> Derived:
    """How many years lie between the years of two figures."""
    return Derived(year_of(b) - year_of(a), _source("years", a, b), "number")


def count(record: Any) -> Derived:
    """The figure without its unit, its qualifier and bounds kept (2万余 / more than 20,000)."""
    return Derived(
        record.value,
        _source("count", record),
        "count",
        qualifier=record.qualifier,
        low=record.low,
        high=record.high,
    )


#: Derivations by their name in the provenance language (`ziyang_lib.truth.provenance`).
DERIVATIONS: dict[str, Any] = {
    "cagr": growth_rate,
    "share": share_of,
    "ratio": ratio_of,
    "sum": total,
    "overlap": overlap,
    "diff": difference,
    "year": year,
    "years": years_between,
    "count": count,
}
