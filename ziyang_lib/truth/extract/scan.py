"""Read the quantities: a number (Arabic, Chinese or 百分之…) and the words around it.

`scan_numbers(norm, claimed)` walks the folded text number by number, skipping claimed shapes,
and reads for each: hedge words before it, 多/余, its multiplier, a range, its measure word,
hedges after it or after the counted noun, and whether it is a calendar year.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal

from ziyang_lib.truth.extract import lexicon as lx
from ziyang_lib.truth.extract import numerals as cn
from ziyang_lib.truth.extract.shapes import Mention

NAN = math.nan
TOKEN_RE = re.compile(
    f"(?:{cn.PERCENT_PATTERN})|(?P<ar>{lx.NUMBER_RE.pattern})|(?P<cn>{cn.CN_NUMBER_RE.pattern})"
)


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    text: str
    script: str  # ar (Arabic digits), cn (Chinese numeral) or pct (百分之…)
    value: Decimal


def _token(m: re.Match[str]) -> _Token | None:
    if m.group("pct") is not None:
        value = cn.percent_value(m.group("pct"))
        script, text = "pct", m.group(0)
    elif m.group("ar") is not None:
        text = m.group("ar")
        value, script = Decimal(text.replace(",", "")), "ar"
    else:
        text = m.group("cn")
        value, script = cn.cn_value(text), "cn"
    return None if value is None else _Token(m.start(), m.end(), text, script, Decimal(value))


class _Cursor:
    """Reads the words after a number, advancing `pos`."""

    def __init__(self, norm: str, pos: int) -> None:
        self.norm = norm
        self.pos = pos

    def take(self, pattern: re.Pattern[str]) -> str:
        m = pattern.match(self.norm, self.pos)
        if not m:
            return ""
        self.pos = m.end()
        return m.group(0)


def bounds(value: float, qualifier: str) -> tuple[float, float]:
    """(low, high) a qualifier implies for `value` (the data's bounds convention)."""
    if qualifier == "exact":
        return value, value
    if qualifier in ("more_than", "at_least"):
        return value, NAN
    if qualifier in ("at_most", "nearly"):
        return NAN, value
    return NAN, NAN


def _skip_number(norm: str, s: int, e: int) -> bool:
    """Digits glued to an unquoted Latin word or code (5G, G20, COVID-19)."""
    before = norm[s - 1] if s else ""
    after = norm[e] if e < len(norm) else ""
    if lx.LATIN.match(before or " ") or (
        lx.LATIN.match(after or " ") and not lx.UNIT_RE.match(norm, e)
    ):
        return True
    return before in ("-", "_") and s > 1 and bool(lx.LATIN.match(norm[s - 2]))


def _minus(norm: str, s: int) -> bool:
    """True when a minus sign stands right before the number (增长-2.3%), not a hyphen."""
    if s == 0 or norm[s - 1] not in lx.MINUS:
        return False
    before = norm[s - 2] if s > 1 else " "
    return not ((before.isascii() and before.isalnum()) or before in lx.MINUS or before in ")）")


def _prefix(norm: str, s: int) -> tuple[int, str, str]:
    """(span start, qualifier, word) for a hedge word just before position `s`."""
    pre = lx.PREFIX_RE.search(norm, max(0, s - 3), s)
    if not pre:
        return s, "", ""
    word = pre.group(0)
    if word == "近" and pre.start() > 0 and norm[pre.start() - 1] in lx.NOT_NEARLY_BEFORE:
        return s, "", ""
    return pre.start(), lx.PREFIXES[word], word


def _time_frame(norm: str, start: int, end: int) -> bool:
    """近N年 framing its clause ("the past N years"), not hedging a length of time."""
    after = norm[end : end + 2]
    if after.startswith(lx.TIME_FRAME_AFTER + ("内",)):
        return True
    before = norm[start - 1] if start else "\n"
    return before in lx.CLAUSE_OPENERS and not after.startswith("的")


def _hedge_start(norm: str, s: int) -> int:
    """Where a range starting at `s` begins: before a hedge word (约, 大约) standing right there."""
    start, qualifier, _ = _prefix(norm, s)
    return start if qualifier == "about" else s


def _scale(cur: _Cursor) -> tuple[str, int]:
    """Read 多/余 and multipliers after a number: (approx word, factor). 8千多万 → (多, 10**7)."""
    approx = cur.take(lx.APPROX_RE)
    mult = cur.take(lx.MULT_RE)
    factor = lx.MULTIPLIERS.get(mult, 1)
    if not approx:
        approx = cur.take(lx.APPROX_RE)
        if approx and mult:
            back = cur.pos
            second = cur.take(lx.MULT_RE)
            if second and lx.MULTIPLIERS[second] > factor:
                factor *= lx.MULTIPLIERS[second]
            else:
                cur.pos = back
    return approx, factor


def _range_tail(
    text: str, pos: int, tok: _Token, factor: int, unit: str
) -> tuple[int, float, float, str] | None:
    """Read '-b[mult][unit]' after a first number; return (end, low, high, unit) or None.

    A multiplier or unit written only once applies to both ends (5-7亿元, 5000-10000万元).
    """
    sep = lx.RANGE_SEP_RE.match(text, pos)
    if not sep:
        return None
    pattern = lx.NUMBER_RE if tok.script == "ar" else cn.CN_NUMBER_RE
    m2 = pattern.match(text, sep.end())
    if not m2 or lx.LATIN.match(text[m2.end() : m2.end() + 1] or " "):
        return None
    high_value = cn.cn_value(m2.group(0)) if tok.script == "cn" else m2.group(0).replace(",", "")
    if high_value is None:
        return None
    cur = _Cursor(text, m2.end())
    mult2 = cur.take(lx.MULT_RE)
    unit2 = cur.take(lx.UNIT_RE)
    if unit and unit2 != unit:
        return None
    if sep.group(0).strip() in ("至", "到") and not unit2:
        return None
    low = float(tok.value * (factor if factor > 1 else lx.MULTIPLIERS.get(mult2, 1)))
    high = float(Decimal(high_value) * lx.MULTIPLIERS.get(mult2, 1))
    if high <= low:
        return None
    return cur.pos, low, high, lx.UNITS.get(unit2, "")


def _is_year(tok: _Token, unit: str) -> bool:
    if unit != "年":
        return False
    if tok.script == "cn":
        return cn.is_year_token(tok.text)
    return len(tok.text) == 4 and tok.text.isdigit() and 1900 <= tok.value <= 2100


def _counts(norm: str, tok: _Token, unit: str, factor: int, end: int) -> bool:
    """Whether a Chinese numeral counts something here (see `numerals`)."""
    if tok.script != "cn":
        return True
    if not unit and factor == 1 and not cn.has_scale(tok.text):
        return False
    return not (cn.starts_set_phrase(norm, end) or cn.in_quoted_name(norm, tok.start, end))


def _parse_quantity(norm: str, tok: _Token, limit: int) -> Mention | None:
    """Read qualifier words, multiplier, range and unit around the number `tok`."""
    s = tok.start
    text = norm[:limit]
    cur = _Cursor(text, tok.end)
    if tok.script == "pct":
        approx, factor, unit = "", 1, "%"
    else:
        approx, factor = _scale(cur)
        unit = cur.take(lx.UNIT_RE)
    rng = None if approx or tok.script == "pct" else _range_tail(text, cur.pos, tok, factor, unit)
    word = ""
    if rng is not None:
        cur.pos, low, high, unit = rng
        value, qualifier = NAN, "range"
        start = _hedge_start(norm, s)
    else:
        value = float(tok.value * factor)
        low = high = NAN
        if _minus(norm, s):
            value, s = -value, s - 1
        start, qualifier, word = _prefix(norm, s)
        if unit in lx.TAIL_APPROX_UNITS and not approx:
            approx = cur.take(lx.APPROX_RE)
        qualifier = qualifier or lx.APPROX.get(approx, "")
    base_unit = lx.UNITS.get(unit, "")
    if not _counts(norm, tok, base_unit, factor, cur.pos):
        return None
    if base_unit == "年" and factor == 1 and not qualifier and _is_year(tok, base_unit):
        return Mention(start, cur.pos, value, value, value, "", "exact", "year")
    if qualifier == "range" and base_unit == "年" and _is_year(tok, base_unit) and high <= 2100:
        return Mention(start, cur.pos, NAN, low, high, "", "range", "year")
    if word == "近" and base_unit == "年" and not approx and _time_frame(norm, start, cur.pos):
        qualifier = "exact"  # the past N years, exactly N
    suffix = cur.take(lx.SUFFIX_RE)
    qualifier = qualifier or lx.SUFFIXES.get(suffix, "")
    if not base_unit and lx.PERSON_NOUN_RE.match(text, cur.pos):
        base_unit = "人"
    if not qualifier and base_unit not in ("", "%", "‰", "年"):
        hedge = lx.NOUN_HEDGE_RE.match(text, cur.pos)
        if hedge:
            cur.pos, qualifier = hedge.end(), lx.SUFFIXES[hedge.group(1)]
    qualifier = qualifier or "exact"
    if qualifier != "range":
        low, high = bounds(value, qualifier)
    kind = "percent" if base_unit in ("%", "‰") else "quantity"
    return Mention(start, cur.pos, value, low, high, base_unit, qualifier, kind)


def _parse_at(norm: str, tok: _Token, limit: int) -> tuple[Mention | None, int]:
    """Parse the quantity at `tok`; return the mention (or None) and where to go on scanning."""
    s, e = tok.start, tok.end
    if s and norm[s - 1] == "第":
        tail = lx.ORDINAL_TAIL_RE.match(norm[:limit], e)  # 第1-3名: the whole ordinal range
        return None, tail.end() if tail else e
    if tok.script == "ar" and _skip_number(norm, s, e):
        return None, e
    if tok.script == "cn" and tok.text == "一":
        return None, e
    return _parse_quantity(norm, tok, limit), e


def scan_numbers(norm: str, claimed: list[Mention]) -> list[Mention]:
    """Every quantity, year and percentage outside the `claimed` stretches, in text order."""
    spans = sorted((c.start, c.end) for c in claimed)
    found: list[Mention] = []
    pos = 0
    while True:
        m = TOKEN_RE.search(norm, pos)
        if not m:
            return found
        inside = next((e for s, e in spans if s <= m.start() < e), None)
        if inside is not None:
            pos = inside
            continue
        tok = _token(m)
        if tok is None:
            pos = m.end()
            continue
        limit = next((s for s, _ in spans if s >= m.end()), len(norm))
        mention, pos = _parse_at(norm, tok, limit)
        if mention is not None:
            found.append(mention)
            pos = mention.end
