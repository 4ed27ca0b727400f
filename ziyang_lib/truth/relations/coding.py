"""A text made ready for the relation rules: its mentions as operands, each written as one
placeholder character, and its sentences.

The rules are regexes over the coded text, where every year, year range, quantity and
percentage is a single private-use character (`Y`, `R`, `N`, `P`) and the words between them
stay as they are (folded to simplified forms, so both scripts read alike).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from types import SimpleNamespace

from ziyang_lib.truth.extract import extract_quantities
from ziyang_lib.truth.extract.lexicon import fold
from ziyang_lib.truth.extract.shapes import Mention
from ziyang_lib.truth.metrics import Interval, half_step

Y, R, N, P, OTHER = "\ue000", "\ue001", "\ue002", "\ue003", "\ue004"
Q = f"[{N}{P}]"
_TERMINATORS = "。！？；!?;\n"
#: Any character between operands inside one sentence (no terminator, no operand).
GAP = f"[^{_TERMINATORS}{Y}{R}{N}{P}{OTHER}]"
#: Any character inside one sentence, operands included.
ANY = f"[^{_TERMINATORS}]"
_SENTENCE_RE = re.compile(f"[^{_TERMINATORS}]+")
#: Units of things counted one by one: a count is a whole number, so rounding cannot make 12
#: villages 12.4 (money, lengths and areas may be rounded from fractions).
COUNT_UNITS = frozenset("个户人名处所家座条项间套辆场批期位支届台头只张件份种类栋次年") | {"人次"}


@dataclass(frozen=True)
class Operand(Mention):
    """One mention of the text as a relation uses it (raw offsets, as `extract_quantities`)."""

    raw: str = ""

    @property
    def span(self) -> str:
        return f"{self.start}-{self.end}"

    def interval(self, rounding: bool = True) -> Interval:
        """The values the text allows: the qualifier's bounds, widened (with `rounding`) by the
        rounding its stated digits allow (1300 may be 1250–1350; 47.36亿 47.355–47.365亿)."""
        iv = Interval.from_indicator(
            SimpleNamespace(
                value=self.value, low=self.low, high=self.high, qualifier=self.qualifier
            )
        )
        if not rounding:
            return iv
        stated = [x for x in (self.value, self.low, self.high) if not math.isnan(x)]
        iv = iv.widen(max((half_step(x) for x in stated), default=0.0))
        if self.unit in COUNT_UNITS and all(x == int(x) for x in stated):
            low = math.ceil(iv.low) if math.isfinite(iv.low) else iv.low
            high = math.floor(iv.high) if math.isfinite(iv.high) else iv.high
            iv = Interval(low, high)
        return iv

    @property
    def is_time_frame(self) -> bool:
        """A stretch of years framing the text around it (近55年 read as the past 55 years)."""
        return self.unit == "年" and self.kind == "quantity" and self.qualifier == "exact"


@dataclass(frozen=True)
class Coded:
    """The coded text: `text[i]` is a placeholder where `operands[at[i]]` stood."""

    text: str
    operands: tuple[Operand, ...]
    at: dict[int, int]

    def operand(self, pos: int) -> Operand:
        return self.operands[self.at[pos]]

    def sentences(self) -> list[tuple[int, int]]:
        """(start, end) of each sentence in the coded text."""
        return [m.span() for m in _SENTENCE_RE.finditer(self.text)]


def _placeholder(row: SimpleNamespace) -> str:
    if row.kind == "year":
        return R if row.qualifier == "range" else Y
    if row.kind == "quantity":
        return N
    if row.kind == "percent":
        return P
    return OTHER


def code(text: str) -> Coded:
    """Extract the mentions of `text` and write each as its placeholder."""
    norm = fold(text)
    pieces: list[str] = []
    operands: list[Operand] = []
    at: dict[int, int] = {}
    pos = length = 0
    for row in extract_quantities(text).itertuples(index=False):
        pieces.append(norm[pos : row.start])
        length += row.start - pos
        mark = _placeholder(row)
        if mark != OTHER:
            at[length] = len(operands)
            operands.append(
                Operand(
                    start=int(row.start),
                    end=int(row.end),
                    value=float(row.value),
                    low=float(row.low),
                    high=float(row.high),
                    unit=str(row.unit),
                    qualifier=str(row.qualifier),
                    kind=str(row.kind),
                    raw=str(row.raw),
                )
            )
        pieces.append(mark)
        length += 1
        pos = int(row.end)
    pieces.append(norm[pos:])
    return Coded("".join(pieces), tuple(operands), at)
