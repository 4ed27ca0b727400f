"""A total and its parts: 其中 (of which), 中 (among), done and remaining, years in a frame.

Parts are read clause by clause after the total: each clause must hold exactly one quantity in
the total's unit, and the list stops at the first clause that does not (or that states a change,
比上年…). Parts exhaust the total only when a clause names the rest (剩余, 尚有, 其余 …): then
they must add up to it. Otherwise (其中 need not list everything) the parts must not add up to
more than the total — unless each fits and the groups may overlap (``needs context``) — and no
single part may be larger than the total.
"""

from __future__ import annotations

from collections.abc import Iterator

from ziyang_lib.truth.metrics import Interval
from ziyang_lib.truth.relations import patterns as pt
from ziyang_lib.truth.relations.coding import Coded, N, Operand
from ziyang_lib.truth.relations.rules import Relation, Stated, StatedList, Value


def _clauses(text: str, a: int, b: int) -> Iterator[tuple[int, int]]:
    start = a
    for m in pt.CLAUSE_SEP.finditer(text, a, b):
        yield start, m.start()
        start = m.end()
    yield start, b


def _parts_after(coded: Coded, pos: int, b: int, unit: str) -> tuple[list[Operand], bool]:
    """The parts listed from `pos` to the sentence end `b`, and whether they exhaust the total."""
    parts: list[Operand] = []
    for s, e in _clauses(coded.text, pos, b):
        clause = coded.text[s:e]
        if not clause.strip():
            continue
        at = [s + i for i, ch in enumerate(clause) if ch == N]
        same = [i for i in at if coded.operand(i).unit == unit]
        if len(same) != 1 or pt.CHANGE_WORDS.search(clause):
            break
        parts.append(coded.operand(same[0]))
        if pt.REMAINDER.search(coded.text, s, same[0]):
            return parts, True
    return parts, False


def _relation(tot: Operand, parts: list[Operand], exhaustive: bool) -> Relation:
    total = tot.interval()
    ivs = [p.interval() for p in parts]
    summed = sum(ivs[1:], ivs[0])
    central = sum((p.interval(False) for p in parts[1:]), parts[0].interval(False))
    if exhaustive:
        kind, case = "sum", "complement"
        verdict = "consistent" if summed.overlaps(total) else "inconsistent"
        case += "_consistent" if verdict == "consistent" else "_inconsistent"
    elif len(parts) > 1 and summed.is_bounded and summed.overlaps(total):
        kind, case, verdict = "sum", "consistent", "consistent"
    elif summed.low <= total.high:
        kind, case, verdict = "parts", "within" if len(parts) > 1 else "part_within", "consistent"
    elif any(iv.low > total.high for iv in ivs):
        kind, case = "parts", "exceeds" if len(parts) > 1 else "part_exceeds"
        verdict = "inconsistent"
    else:
        kind, case, verdict = "parts", "overlap", "needs context"
    excess = central - tot.interval(False)
    numbers = {
        "total": Stated(tot.raw),
        "parts": StatedList(tuple(p.raw for p in parts)),
        "sum": Value(central, tot.unit),
        "excess": Value(Interval(max(excess.low, 0.0), max(excess.high, 0.0)), tot.unit),
        "gap": Value(Interval(max(-excess.high, 0.0), max(-excess.low, 0.0)), tot.unit),
    }
    shown = tot.interval(False)
    return Relation(kind, verdict, case, (tot, *parts), central, shown, tot.unit, numbers)


def _totals(coded: Coded, a: int, b: int) -> Iterator[tuple[Operand, int, str]]:
    """(total, where its parts start, trigger) for every total a sentence introduces."""
    text = coded.text
    for m in pt.OF_WHICH.finditer(text, a, b):
        yield coded.operand(m.start("tot")), m.end(), "of_which"
    for m in pt.AMONG.finditer(text, a, b):
        noun = m.group("noun")
        before = text[m.end() - 3] if m.end() - 3 >= a else ""
        if noun.endswith("其") or before in pt.NOT_AMONG_BEFORE or pt.NOT_A_NOUN.search(noun):
            continue
        yield coded.operand(m.start("tot")), m.end(), "among"
    for m in pt.THEN_PARTS.finditer(text, a, b):
        yield coded.operand(m.start("tot")), m.end(), "then"


def parts(coded: Coded, a: int, b: int) -> Iterator[Relation]:
    """Totals with their parts in the sentence [a, b)."""
    used: set[int] = set()
    for tot, pos, trigger in _totals(coded, a, b):
        if tot.start in used or tot.kind != "quantity" or not tot.unit:
            continue
        found, exhaustive = _parts_after(coded, pos, b, tot.unit)
        if trigger == "then" and not (exhaustive and len(found) > 1):
            continue
        if found:
            used.add(tot.start)
            yield _relation(tot, found, exhaustive)
    yield from _frame_parts(coded, a, b, used)


def _frame_parts(coded: Coded, a: int, b: int, used: set[int]) -> Iterator[Relation]:
    """近55年…有43年: the years of a time frame in which something happened."""
    for m in pt.FRAME.finditer(coded.text, a, b):
        tot = coded.operand(m.start("tot"))
        framed = tot.raw.startswith("近") or m.end() > m.start("tot") + 1
        if tot.start in used or not tot.is_time_frame or not framed:
            continue
        found = [
            coded.operand(p.start("part"))
            for p in pt.FRAME_PART.finditer(coded.text, m.end(), b)
            if coded.operand(p.start("part")).unit == "年"
        ]
        if found:
            used.add(tot.start)
            yield _relation(tot, found, False)
