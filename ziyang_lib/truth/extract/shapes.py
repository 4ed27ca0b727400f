"""Shapes claimed before any quantity is read: dates, identifiers, URLs and e-mail addresses.

Each shape is a regex; earlier shapes win ties, and a claimed stretch is never read as a
quantity. Arabic shapes are searched only near digits (which keeps the pass fast); the
Chinese-numeral shapes of `numerals` (十月十七日, 一把手) over the whole text.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ziyang_lib.truth.extract.lexicon import CJK, CLOSE_QUOTES, MULT_RE, OPEN_QUOTES, UNIT_RE
from ziyang_lib.truth.extract.numerals import find_shapes

NAN = math.nan
DATE = "date"
IDENT = "identifier"
IGNORED = ""  # claimed so that its digits are not read, but not reported (URLs, e-mail)


@dataclass(frozen=True)
class Mention:
    """One mention: raw offsets, value and bounds, base unit, qualifier, kind."""

    start: int
    end: int
    value: float
    low: float
    high: float
    unit: str
    qualifier: str
    kind: str


_DIGITS_RE = re.compile(r"\d+")
NAME_MAX = 20  # longest quoted name read as an identifier
# A special shape starts at most this far before its first digit and ends this far after a digit
# run: a label such as 邮政编码: or 蜀ICP备, or a quoted name with its quotes.
_WINDOW = NAME_MAX + 1
_NAME_CHAR = f"[A-Za-z0-9{CJK}·.+-]"
# Quoted words whose digits are followed by a multiplier or measure word (“110kV”, “30万元”,
# “养了30头猪”) are read for their quantities, not as a name.
_QUOTED_QUANTITY = rf"[^{CLOSE_QUOTES}]*\d(?:{MULT_RE.pattern}|{UNIT_RE.pattern})"
_QUOTED_NAME_RE = re.compile(
    rf"(?<=[{OPEN_QUOTES}])(?!{_QUOTED_QUANTITY})"
    rf"(?=[^{CLOSE_QUOTES}]*\d)(?=[^{CLOSE_QUOTES}]*[A-Za-z{CJK}])"
    rf"{_NAME_CHAR}{{2,{NAME_MAX}}}(?=[{CLOSE_QUOTES}])"
)
_HOTLINE_RE = re.compile(
    rf"(?:(?<=[{OPEN_QUOTES}])|(?<![\d.,A-Za-z]))\d{{3,}}(?=[{CLOSE_QUOTES}]?(?:热线|专线|电话))"
)
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_MONTH = r"(?:0?[1-9]|1[0-2])"
# A number after its label: phone, fax, postcode, site code, case number …
_LABELLED_CODE = (
    r"(?:电话|传真|邮编|邮政编码|标识码|代码|编号|编码|热线|备案号|QQ)[:\s]*"
    r"(\d[\d-]*\d)(?![\d.])"
)
# 2020-10-14, 2020/10/14, 2020.10.14
_YEAR_MONTH_DAY = rf"(?<![\d.])(?:19|20)\d{{2}}([-/.]){_MONTH}\1{_DAY}(?![\d])"
# A time of day after a part of the day or a date: 上午9:30, 14日 10:00
_CLOCK_TIME = (
    r"(?:(?<=上午|下午|中午|晚上|早上|凌晨)|(?<=[日号\s]))"
    r"(?:[01]?\d|2[0-3]):[0-5]\d(?![\d:])"
)
# A quoted month.day (“10.17”, the national poverty-alleviation day)
_QUOTED_MONTH_DAY = (
    f"(?<=[{OPEN_QUOTES}])(?:0?[1-9]|1[0-2])[.·](?:0?[1-9]|[12]\\d|3[01])(?=[{CLOSE_QUOTES}])"
)
# Shapes claimed before general numbers, in priority order: (kind, pattern, group for the span).
_SPECIAL: tuple[tuple[str, re.Pattern[str], int], ...] = (
    (IGNORED, re.compile(r"(?:https?://|www\.)[A-Za-z0-9./?=&%#:~+_-]+"), 0),
    (IGNORED, re.compile(r"[A-Za-z0-9._+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"), 0),
    (IDENT, re.compile(f"[{CJK}]?ICP[备证]\\s*\\d+号(?:-\\d+)?"), 0),
    (IDENT, re.compile(r"公网安备\s*(\d+号?)"), 1),
    (IDENT, re.compile(_LABELLED_CODE), 1),
    (IDENT, re.compile(r"(?<![\d-])0\d{2,3}-\d{7,8}(?:-\d{1,5})?(?![\d])"), 0),
    (IDENT, re.compile(r"(?<![\d-])400-?\d{3}-?\d{4}(?!\d)"), 0),
    (IDENT, re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)"), 0),
    (IDENT, re.compile(r"(?<![\d.])\d+(?:\s?\+\s?(?:\d+|[A-Za-z]))+(?![\d.])"), 0),
    (IDENT, _QUOTED_NAME_RE, 0),
    (IDENT, _HOTLINE_RE, 0),
    (DATE, re.compile(_YEAR_MONTH_DAY), 0),
    (DATE, re.compile(f"(?<![\\d.])(?:\\d{{4}}年)?{_MONTH}\\s?[-—–~至到]\\s?{_MONTH}月"), 0),
    (DATE, re.compile(f"(?<![\\d.])(?:\\d{{4}}年)?{_MONTH}月(?:{_DAY}[日号])?"), 0),
    (DATE, re.compile(f"(?<![\\d.]){_DAY}日(?!内|以内|之内|以上|左右)"), 0),
    (DATE, re.compile(_CLOCK_TIME), 0),
    (DATE, re.compile(_QUOTED_MONTH_DAY), 0),
    (IDENT, re.compile(r"(?<![\d.,])\d{9,}号?(?![\d.])"), 0),
)


def _windows(norm: str) -> list[tuple[int, int]]:
    """Stretches of `norm` around its digits (merged); every Arabic shape lies inside one."""
    out: list[tuple[int, int]] = []
    for m in _DIGITS_RE.finditer(norm):
        s, e = max(0, m.start() - _WINDOW), min(len(norm), m.end() + _WINDOW)
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _overlaps(s: int, e: int, taken: list[tuple[int, int]]) -> bool:
    return any(s < te and ts < e for ts, te in taken)


def claim_shapes(norm: str) -> list[Mention]:
    """The non-overlapping date and identifier shapes, earlier patterns winning ties."""
    taken: list[tuple[int, int]] = []
    found: list[Mention] = []
    windows = _windows(norm)
    for kind, pattern, group in _SPECIAL:
        spans = [(0, len(norm))] if kind == IGNORED else windows
        for m in (m for ws, we in spans for m in pattern.finditer(norm, ws, we)):
            s, e = m.span(group)
            if not _overlaps(s, e, taken):
                taken.append((s, e))
                found.append(Mention(s, e, NAN, NAN, NAN, "", "exact", kind))
    for kind, s, e in find_shapes(norm):
        if not _overlaps(s, e, taken):
            taken.append((s, e))
            found.append(Mention(s, e, NAN, NAN, NAN, "", "exact", kind))
    return found
