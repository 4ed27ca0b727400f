"""What a stated quantity is: a value or bounds, a unit in each language, and a qualifier."""

from __future__ import annotations

from dataclasses import dataclass

#: How a figure is stated: exactly, as a bound (余/多 more_than, 不低于 at_least, 以内 at_most,
#: 近 nearly), as an approximation (约/左右 about) or as a range (5—7).
QUALIFIERS: tuple[str, ...] = (
    "exact",
    "more_than",
    "at_least",
    "at_most",
    "about",
    "nearly",
    "range",
)


@dataclass(frozen=True)
class Quantity:
    """A quantity not read from a table (a derived value, say). An `Indicator`, a context figure
    or a mapping with these fields stands in the same place."""

    value: float | None = None
    unit: str = ""
    qualifier: str = "exact"
    low: float | None = None
    high: float | None = None
    unit_en: str | None = None
