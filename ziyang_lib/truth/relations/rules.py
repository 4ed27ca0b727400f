"""Each relation kind: find its shape in a sentence, compute it and give a verdict.

A verdict is ``inconsistent`` only when no reading the rules know of fits within the rounding of
the stated digits (every operand is an interval: its qualifier's bounds, widened by half its last
stated digit). When only another reading fits (a year more, a simple instead of a compound rate,
a year range counted without its first year) the verdict is ``needs context``; so is a list of
parts that add up to more than their total while each part fits (the groups may overlap). A
shape whose operands do not fit the rule (different units, a % change of a percentage) is left
out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ziyang_lib.truth.metrics import Interval, cagr
from ziyang_lib.truth.relations import patterns as pt
from ziyang_lib.truth.relations.coding import Coded, Operand

_FALL_WORDS = frozenset({"减少", "下降", "降低", "降", "减", "降幅"})


@dataclass(frozen=True)
class Stated:
    """An operand printed as the text writes it."""

    raw: str


@dataclass(frozen=True)
class StatedList:
    """Several operands printed as the text writes them, in order."""

    raws: tuple[str, ...]


@dataclass(frozen=True)
class Value:
    """A computed number (or interval) in `unit` (a base unit in Chinese, % or '')."""

    value: float | Interval
    unit: str = ""
    digits: int | None = None


@dataclass(frozen=True)
class Relation:
    """One stated relation, computed and judged."""

    kind: str
    verdict: str
    case: str
    operands: tuple[Operand, ...]
    computed: Interval
    stated: Interval
    unit: str
    numbers: dict[str, Any] = field(default_factory=dict)


def _sign(word: str) -> int:
    return -1 if word in _FALL_WORDS else 1


def _ops(coded: Coded, m: re.Match[str], *names: str) -> list[Operand]:
    return [coded.operand(m.start(n)) for n in names]


def _matches(pattern: re.Pattern[str], coded: Coded, a: int, b: int) -> Iterator[re.Match[str]]:
    """Every match of `pattern` in [a, b), overlapping ones included."""
    pos = a
    while (m := pattern.search(coded.text, pos, b)) is not None:
        yield m
        pos = m.start() + 1


def _judge(readings: list[tuple[str, Interval]], stated: Interval) -> tuple[str, str, Interval]:
    """(verdict, case, interval): the first reading (the usual one) or another that fits."""
    if readings[0][1].overlaps(stated):
        return "consistent", "consistent", readings[0][1]
    for name, iv in readings[1:]:
        if iv.overlaps(stated):
            return "needs context", name, iv
    return "inconsistent", "inconsistent", readings[0][1]


def _same_unit(a: Operand, b: Operand) -> bool:
    return a.unit == b.unit and a.unit != ""


# --- growth ------------------------------------------------------------------------------------


def growth(coded: Coded, a: int, b: int) -> Iterator[Relation]:
    """From X in year A to Y in year B at r% a year: r against the compound rate."""
    for pattern in pt.GROWTH:
        for m in _matches(pattern, coded, a, b):
            if pt.NOT_NOMINAL.search(m.group(0)):
                continue
            x0, x1, r = _ops(coded, m, "x0", "x1", "r")
            if "rng" in m.groupdict():
                rng = coded.operand(m.start("rng"))
                y0, y1, years = int(rng.low), int(rng.high), (rng,)
            else:
                first, last = _ops(coded, m, "y0", "y1")
                y0, y1, years = int(first.value), int(last.value), (first, last)
            n = y1 - y0
            if n <= 0 or not _same_unit(x0, x1) or x0.unit == "%":
                continue
            start, end = x0.interval(), x1.interval()
            if start.low <= 0 or end.low <= 0:
                continue
            stated = r.interval() * _sign(m.group("w2"))
            readings = [
                ("consistent", Interval.coerce(cagr(start, end, n)) * 100),
                ("one_more_year", Interval.coerce(cagr(start, end, n + 1)) * 100),
                ("simple", (end / start - 1) / n * 100),
            ]
            verdict, case, _ = _judge(readings, stated)
            central = Interval.coerce(cagr(x0.interval(False), x1.interval(False), n)) * 100
            numbers = {
                "start": Stated(x0.raw),
                "end": Stated(x1.raw),
                "y0": Value(y0, "year"),
                "y1": Value(y1, "year"),
                "years": Value(n),
                "rate": Value(central, "%", 2),
                "stated": Stated(r.raw),
            }
            if case == "one_more_year":
                numbers["alt_years"] = Value(n + 1)
                alt = cagr(x0.interval(False), x1.interval(False), n + 1)
                numbers["alt"] = Value(Interval.coerce(alt) * 100, "%", 2)
            elif case == "simple":
                simple = (x1.interval(False) / x0.interval(False) - 1) / n * 100
                numbers["alt"] = Value(simple, "%", 2)
            ops = (*years, x0, x1, r)
            shown = r.interval(False) * _sign(m.group("w2"))
            yield Relation("growth", verdict, case, ops, central, shown, "%", numbers)


# --- change ------------------------------------------------------------------------------------


def change(coded: Coded, a: int, b: int) -> Iterator[Relation]:
    """From X to Y, a stated change of Z (in the unit, in 个百分点, or in %)."""
    for m in _matches(pt.CHANGE, coded, a, b):
        x0, x1, z = _ops(coded, m, "x0", "x1", "z")
        sign = _sign(m.group("w2"))
        if _sign(m.group("w")) != sign:
            continue
        unit_of = x0.unit if x1.unit == "" and x1.value == 0 else x1.unit
        if x0.kind == "percent" and x1.kind == "percent":
            if z.unit != "百分点":
                continue  # a % change of a percentage could be relative or absolute
            unit, relative = "百分点", False
        elif x0.kind == x1.kind == "quantity" and x0.unit == unit_of != "":
            if z.kind == "percent":
                unit, relative = "%", True
            elif z.unit == x0.unit:
                unit, relative = x0.unit, False
            else:
                continue
        else:
            continue
        if relative and x0.interval().low <= 0:
            continue
        stated = z.interval() * sign
        verdict, case, _ = _judge([("consistent", _diff(x0, x1, relative, True))], stated)
        central = _diff(x0, x1, relative, False)
        numbers = {
            "from": Stated(x0.raw),
            "to": Stated(x1.raw),
            "stated": Stated(z.raw),
            "diff": Value(abs_interval(central), unit, 2 if unit == "%" else None),
        }
        years = [coded.operand(m.start(g)) for g in ("y0", "y1") if m.group(g) is not None]
        case = f"relative_{case}" if relative else case
        ops = (*years, x0, x1, z)
        shown = z.interval(False) * sign
        yield Relation("change", verdict, case, ops, central, shown, unit, numbers)


def _diff(x0: Operand, x1: Operand, relative: bool, rounding: bool) -> Interval:
    d = x1.interval(rounding) - x0.interval(rounding)
    return d / x0.interval(rounding) * 100 if relative else d


def _rate_on_previous(y: Operand, z: Operand, sign: int, rounding: bool) -> Interval | None:
    """The change z as a % of the year before (y ∓ z); None if that is not positive."""
    before = y.interval(rounding) - z.interval(rounding) * sign
    if before.low <= 0:
        return None
    return z.interval(rounding) / before * 100


def abs_interval(iv: Interval) -> Interval:
    """The magnitudes of `iv` (a fall of 3 is printed as 3, its direction is in the words)."""
    if iv.low >= 0:
        return iv
    if iv.high <= 0:
        return -iv
    return Interval(0, max(-iv.low, iv.high))


def change_on_previous(coded: Coded, a: int, b: int) -> Iterator[Relation]:
    """Y, up (down) Z on the year before, a change of p%: p against Z / (Y ∓ Z)."""
    for m in _matches(pt.CHANGE_ON_PREVIOUS, coded, a, b):
        y, z, p = _ops(coded, m, "y", "z", "p")
        sign = _sign(m.group("w"))
        if _sign(m.group("w2")) != sign or not _same_unit(y, z):
            continue
        computed = _rate_on_previous(y, z, sign, True)
        central = _rate_on_previous(y, z, sign, False)
        if computed is None or central is None:
            continue
        stated = p.interval()
        verdict, case, _ = _judge([("consistent", computed)], stated)
        before = y.interval(False) - z.interval(False) * sign
        numbers = {
            "value": Stated(y.raw),
            "change": Stated(z.raw),
            "stated": Stated(p.raw),
            "before": Value(before, y.unit),
            "rate": Value(central, "%", 2),
        }
        shown, case = p.interval(False), f"previous_{case}"
        yield Relation("change", verdict, case, (y, z, p), central, shown, "%", numbers)


# --- per year ----------------------------------------------------------------------------------


def _year_counts(coded: Coded, m: re.Match[str]) -> tuple[Operand, ...] | None:
    """The operands that give the number of years, or None if they do not."""
    groups = m.groupdict()
    if groups.get("rng") is not None:
        return (coded.operand(m.start("rng")),)
    if groups.get("y0") is not None:
        return coded.operand(m.start("y0")), coded.operand(m.start("y1"))
    frame = coded.operand(m.start("n"))
    if frame.unit != "年" or frame.qualifier != "exact" or frame.value < 1:
        return None
    return (frame,)


def _counts(frame: tuple[Operand, ...]) -> list[tuple[str, int]]:
    """Readings of the number of years: a range counts its first year too (2016—2020: 5, or 4
    without it); from year A to year B is B − A years (or one more); N年 is N."""
    if len(frame) == 2:
        span = int(frame[1].value - frame[0].value)
        return [("consistent", span), ("inclusive", span + 1)]
    if frame[0].kind == "year":
        span = int(frame[0].high - frame[0].low)
        return [("consistent", span + 1), ("exclusive", span)]
    return [("consistent", int(frame[0].value))]


def _total(coded: Coded, m: re.Match[str], rounding: bool) -> Interval | None:
    """The total the yearly average divides: stated, or the change from X to Y."""
    if "tot" in m.groupdict():
        return coded.operand(m.start("tot")).interval(rounding)
    x0, x1 = _ops(coded, m, "x0", "x1")
    sign = _sign(m.group("w"))
    if sign != _sign(m.group("w2")) or not _same_unit(x0, x1):
        return None
    return abs_interval(x1.interval(rounding) - x0.interval(rounding))


def per_year(coded: Coded, a: int, b: int) -> Iterator[Relation]:
    """A total over N years and a stated yearly average: total / N against the average."""
    matches = [
        *_matches(pt.PER_YEAR, coded, a, b),
        *_matches(pt.PER_YEAR_SPAN, coded, a, b),
        *_matches(pt.PER_YEAR_CHANGE, coded, a, b),
    ]
    for m in matches:
        is_change = "x0" in m.groupdict()
        tot, avg = _ops(coded, m, "x0" if is_change else "tot", "avg")
        frame = _year_counts(coded, m)
        total, central_total = _total(coded, m, True), _total(coded, m, False)
        if frame is None or total is None or central_total is None:
            continue
        if not _same_unit(tot, avg) or "percent" in (tot.kind, avg.kind):
            continue
        counts = [(name, n) for name, n in _counts(frame) if n > 0]
        if not counts or counts[0][0] != "consistent":
            continue
        readings = [(name, total / n) for name, n in counts]
        verdict, case, _ = _judge(readings, avg.interval())
        n = dict(counts)["consistent" if case == "inconsistent" else case]
        central = central_total / n
        numbers = {
            "total": Value(central_total, tot.unit) if is_change else Stated(tot.raw),
            "years": Value(n),
            "avg": Stated(avg.raw),
            "computed": Value(central, tot.unit),
        }
        if case != "consistent" and case != "inconsistent":
            numbers["usual_years"] = Value(counts[0][1])
        if is_change:
            numbers.update(start=Stated(tot.raw), end=Stated(coded.operand(m.start("x1")).raw))
            case = f"change_{case}"
        used = (tot, coded.operand(m.start("x1"))) if is_change else (tot,)
        ops = (*frame, *used, avg)
        shown = avg.interval(False)
        yield Relation("per_year", verdict, case, ops, central, shown, tot.unit, numbers)
