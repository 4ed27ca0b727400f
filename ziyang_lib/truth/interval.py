"""Intervals of the values a figure may have: 余 (more than), 近 (nearly), 左右 (about) and ranges.

`Interval.from_indicator` reads an indicator's qualifier and bounds; arithmetic on intervals keeps
the width of every qualifier through a calculation (`ziyang_lib.truth.metrics` uses it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Real
from typing import Any

#: Default relative tolerance per qualifier for `Interval.from_indicator`:
#: 左右 (about) → ±10 %; 近 (nearly) → up to 5 % below the stated value.
DEFAULT_TOL: dict[str, float] = {"about": 0.10, "nearly": 0.05}

Number = float | int


# ---------------------------------------------------------------------------------------------
# Interval


def _mul(a: float, b: float) -> float:
    """Product of two bounds with 0 × ∞ = 0 (the interval-arithmetic convention)."""
    return 0.0 if a == 0 or b == 0 else a * b


def _recip(x: float) -> float:
    return 0.0 if math.isinf(x) else 1.0 / x


@dataclass(frozen=True)
class Interval:
    """A closed interval [low, high] of possible values of a figure.

    `high` may be ``math.inf`` (an open-ended 'more than' figure) and `low` may be ``-math.inf``.
    Arithmetic (``+ - * /``, also with plain numbers) returns the smallest interval holding every
    possible result: an exact value plus a range is a range, a lower bound stays a lower bound.
    """

    low: float
    high: float

    def __post_init__(self) -> None:
        low, high = float(self.low), float(self.high)
        if math.isnan(low) or math.isnan(high):
            raise ValueError(f"interval bounds must be numbers; got [{self.low}, {self.high}]")
        if low > high:
            raise ValueError(f"interval low {low} is above high {high}")
        if low == math.inf or high == -math.inf:
            raise ValueError(f"interval [{low}, {high}] holds no finite value")
        object.__setattr__(self, "low", low)
        object.__setattr__(self, "high", high)

    # construction ------------------------------------------------------------------------------
    @classmethod
    def point(cls, value: Number) -> Interval:
        """The degenerate interval [value, value] of an exact figure."""
        return cls(value, value)

    @classmethod
    def coerce(cls, x: Interval | Number) -> Interval:
        """Return `x` if it is an Interval, else the point interval of the number `x`."""
        if isinstance(x, Interval):
            return x
        if isinstance(x, Real) and not isinstance(x, bool):
            return cls.point(float(x))
        raise TypeError(f"expected an Interval or a number; got {type(x).__name__}")

    @classmethod
    def from_indicator(
        cls, ind: Any, *, tol: float | None = None, cap: float | None = None
    ) -> Interval:
        """The values an indicator's qualifier allows (reads `.value/.low/.high/.qualifier`).

        - ``exact`` → [v, v]
        - ``more_than`` / ``at_least`` (余, 以上, 不低于) → [v, ∞), or [v, cap] if `cap` is given
        - ``at_most`` (以内) → [0, v] (the source's figures are counts, money and shares, all
          non-negative; a negative v gives (−∞, v])
        - ``nearly`` (近) → [v·(1 − tol), v], default tol ``DEFAULT_TOL['nearly']`` (5 %)
        - ``about`` (左右) → [v·(1 − tol), v·(1 + tol)], default tol ``DEFAULT_TOL['about']`` (10 %)
        - ``range`` (5–7) → [low, high]

        `tol` is a relative tolerance (0.1 = 10 %); it only applies to ``nearly`` and ``about``.
        """
        qualifier = str(getattr(ind, "qualifier", "exact") or "exact")
        if qualifier == "range":
            return cls(_field(ind, "low"), _field(ind, "high"))
        value = _field(ind, "value")
        if qualifier == "exact":
            return cls.point(value)
        if qualifier in ("more_than", "at_least"):
            return cls(value, math.inf if cap is None else cap)
        if qualifier == "at_most":
            return cls(0.0 if value >= 0 else -math.inf, value)
        if qualifier in DEFAULT_TOL:
            rel = DEFAULT_TOL[qualifier] if tol is None else tol
            if not 0 <= rel < 1:
                raise ValueError(f"tol must be in [0, 1); got {rel}")
            low = value * (1 - rel)
            high = value if qualifier == "nearly" else value * (1 + rel)
            return cls(min(low, high), max(low, high))
        raise ValueError(f"unknown qualifier {qualifier!r}")

    # properties --------------------------------------------------------------------------------
    @property
    def is_point(self) -> bool:
        """True when low == high (an exact figure)."""
        return self.low == self.high

    @property
    def is_bounded(self) -> bool:
        """True when both bounds are finite."""
        return math.isfinite(self.low) and math.isfinite(self.high)

    @property
    def width(self) -> float:
        """high − low (``inf`` for an open-ended interval)."""
        return self.high - self.low

    @property
    def midpoint(self) -> float:
        """(low + high) / 2 — a MODELLED value, not a stated one; label it so if shown.

        Raises ValueError for an unbounded interval, which has no midpoint.
        """
        if not self.is_bounded:
            raise ValueError(f"unbounded interval {self} has no midpoint")
        return (self.low + self.high) / 2

    def contains(self, x: Interval | Number) -> bool:
        """True if the number `x` (or every value of the interval `x`) lies in this interval."""
        other = Interval.coerce(x)
        return self.low <= other.low and other.high <= self.high

    def overlaps(self, x: Interval | Number) -> bool:
        """True if this interval and `x` share at least one value."""
        other = Interval.coerce(x)
        return self.low <= other.high and other.low <= self.high

    def intersect(self, x: Interval | Number) -> Interval:
        """The values in both intervals; ValueError if they do not overlap."""
        other = Interval.coerce(x)
        if not self.overlaps(other):
            raise ValueError(f"intervals {self} and {other} do not overlap")
        return Interval(max(self.low, other.low), min(self.high, other.high))

    def widen(self, by: float) -> Interval:
        """[low − by, high + by] (e.g. a rounding tolerance); `by` must not be negative."""
        if by < 0:
            raise ValueError(f"widen by a non-negative amount; got {by}")
        return Interval(self.low - by, self.high + by)

    # arithmetic --------------------------------------------------------------------------------
    def __add__(self, other: Interval | Number) -> Interval:
        o = Interval.coerce(other)
        return Interval(self.low + o.low, self.high + o.high)

    __radd__ = __add__

    def __neg__(self) -> Interval:
        return Interval(-self.high, -self.low)

    def __sub__(self, other: Interval | Number) -> Interval:
        return self + (-Interval.coerce(other))

    def __rsub__(self, other: Interval | Number) -> Interval:
        return Interval.coerce(other) + (-self)

    def __mul__(self, other: Interval | Number) -> Interval:
        o = Interval.coerce(other)
        products = [_mul(a, b) for a in (self.low, self.high) for b in (o.low, o.high)]
        return Interval(min(products), max(products))

    __rmul__ = __mul__

    def reciprocal(self) -> Interval:
        """[1/high, 1/low]; ValueError if the interval contains 0."""
        if self.low <= 0 <= self.high:
            raise ValueError(f"cannot divide by the interval {self}: it contains 0")
        return Interval(_recip(self.high), _recip(self.low))

    def __truediv__(self, other: Interval | Number) -> Interval:
        return self * Interval.coerce(other).reciprocal()

    def __rtruediv__(self, other: Interval | Number) -> Interval:
        return Interval.coerce(other) * self.reciprocal()

    def __str__(self) -> str:
        return f"[{self.low:g}, {self.high:g}]"


def _field(ind: Any, name: str) -> float:
    """A numeric field of an indicator-like object; ValueError if missing or NaN."""
    raw = getattr(ind, name, None)
    try:
        value = float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        value = math.nan
    if math.isnan(value):
        ident = getattr(ind, "id", "indicator")
        qualifier = getattr(ind, "qualifier", "?")
        raise ValueError(f"{ident}: a {qualifier!r} figure needs {name!r}; got {raw!r}")
    return value
