"""What every audit check is made of: the verdicts, the numbers its texts print, the finding
it returns, and read access to the figures it checks."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ziyang_lib.truth.metrics import Interval, half_step

VERDICTS: tuple[str, ...] = ("consistent", "inconsistent", "not additive", "needs context")

COLUMNS: tuple[str, ...] = (
    "check_id",
    "computed",
    "computed_low",
    "computed_high",
    "stated",
    "tolerance",
    "unit",
    "verdict",
    "explanation_key",
    "indicator_ids",
    "numbers",
)
"""Columns of the audit frame. ``computed`` is the computed figure (for an interval, its lower
bound; ``computed_low``/``computed_high`` give the whole interval); ``stated`` is the source's
figure it is compared with (NaN when there is none); ``tolerance`` is the gap rounding alone can
explain (NaN when nothing is compared). All three are in ``unit`` — the indicators' base unit
(元, 人, …), or ``%`` for shares and rates, in which case the tolerance is in percentage points.
``explanation_key`` names the case the explanation describes (the verdict's key, or a case of it
such as ``partly``); ``numbers`` maps each name the texts print to a `Num`, a `Qty` or a
`Phrase`."""

#: 十年九旱 ("nine droughts in ten years") — the saying's rate, counted in tenths of the years.
SAYING_SHARE = 9 / 10
#: The saying counts whole tenths, so a share within half a tenth of 9/10 matches it.
SAYING_TOLERANCE = 1 / 20
#: Years over which yearly budgets are set against the cumulative funds. An ASSUMPTION: the text
#: dates the assistance from 2015 (2015年以来) to the article (2020) but gives no period for the
#: funds; it is stated in every explanation that uses it.
ASSUMED_FUND_YEARS: tuple[int, int] = (2015, 2020)
#: A share is described as "about half" when it lies within 5 percentage points of one half.
ABOUT_HALF = Interval(0.45, 0.55)


# ---------------------------------------------------------------------------------------------
# numbers printed in claims and explanations

#: Input of the county-budget check that is not an indicator: how many county-level divisions
#: the city has, counted in the boundary data (data/geo).
COUNTY_DIVISIONS = "county_divisions"


@dataclass(frozen=True)
class Num:
    """A computed number to print: ``kind`` is number, money, year or percent (a fraction)."""

    value: float | Interval
    kind: str = "number"
    digits: int | None = None


@dataclass(frozen=True)
class Qty:
    """A stated figure, printed the source's way, qualifier and unit included (23.6万人)."""

    ind: Any


@dataclass(frozen=True)
class Phrase:
    """A phrase of the report's catalogue chosen by a computed value (e.g. ', about half')."""

    key: str


@dataclass(frozen=True)
class Finding:
    """What one check computed; `numbers` fill its catalogue templates."""

    computed: Interval
    verdict: str
    unit: str
    stated: float = math.nan
    tolerance: float = math.nan
    numbers: dict[str, Num | Qty | Phrase] = field(default_factory=dict)
    #: Catalogue key of the explanation when one verdict has several cases; else the verdict's.
    explanation: str = ""


@dataclass(frozen=True)
class Check:
    """One audit check: its id, the indicators it reads and the verdicts it can give."""

    check_id: str
    indicator_ids: tuple[str, ...]
    run: Callable[[Values], Finding]
    verdicts: tuple[str, ...]
    #: Figures of data/context.csv the check also reads (by context_id).
    context_ids: tuple[str, ...] = ()


class Values:
    """Read access to indicator-like objects by id, as intervals or quantities."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._values = values

    def ind(self, ind_id: str) -> Any:
        try:
            return self._values[ind_id]
        except KeyError:
            raise KeyError(f"audit needs indicator {ind_id!r}, which is missing") from None

    def iv(self, ind_id: str) -> Interval:
        return Interval.from_indicator(self.ind(ind_id))

    def qty(self, ind_id: str) -> Qty:
        return Qty(self.ind(ind_id))

    def year(self, ind_id: str) -> int:
        period = str(getattr(self.ind(ind_id), "period", ""))
        try:
            return int(period)
        except ValueError:
            raise ValueError(f"{ind_id}: period {period!r} is not a single year") from None

    def half_step(self, ind_id: str) -> float:
        """Half the last stated digit of an exact figure (the most rounding can hide)."""
        return half_step(self.iv(ind_id).low)


def gap(a: Interval, b: Interval) -> float:
    """Distance between two intervals (0 when they overlap)."""
    return max(0.0, a.low - b.high, b.low - a.high)


def pct(iv: Interval) -> Interval:
    return iv * 100


def fund_years() -> int:
    """How many years `ASSUMED_FUND_YEARS` spans (an assumption, said in every explanation)."""
    y0, y1 = ASSUMED_FUND_YEARS
    return y1 - y0 + 1
