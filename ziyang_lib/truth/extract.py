"""Find the numbers in a Chinese municipal work report: quantities, years, dates, identifiers.

``extract_quantities(text)`` returns one row per mention, in text order, with columns
``start, end, raw, value, low, high, unit, qualifier, kind`` (offsets into `text`, end exclusive).

Rules are genre-wide (nothing is keyed to one document):

* Only Arabic digits count (ASCII or full-width); Chinese numerals (十八大, 五个一批) are words.
* Multipliers 万 1e4, 亿 1e8, 万亿 1e12 (also 百万, 千万); 1,058 (ASCII comma, groups of three).
* The unit is the measure word after the number (万元/亿元 → 元, 个百分点 → 百分点); with no measure
  word but a noun ending in 人口/人员/人 right after (23.6万贫困人口), the unit is 人; else ''.
* Qualifiers: 余/多/以上/超过/逾/多于 → more_than; 不低于/不少于/至少/及以上 → at_least;
  以内/以下/及以下/不超过/不足/不到/少于/至多 → at_most; 约/约为/大约/左右/近似 → about;
  近/将近/接近 → nearly (not 最近/附近); a-b, a—b, a~b, a至b, a到b → range, a multiplier or
  unit written once being shared (5-7亿元). Bounds: exact low = high = value; more_than and
  at_least low = value; at_most and nearly high = value; about none; range low and high, value NaN.
* Kinds: percent (% or ‰); year (a 1900–2100 calendar year written with 年, not a duration
  such as 近2000年: value is the year, unit ''); date (2020-10-14, 2020年10月14日, 10月17日,
  1—3月, a quoted “10.17”, a clock time after 上午/日/a space; value NaN); identifier (value NaN,
  unit ''): phone numbers, ICP/公安备案 numbers, labelled or 9+ digit codes, formulas such as
  “2+1+6”, a hotline number right before 热线/专线/电话 (“12345”热线, 12345专线), and a quoted
  name of at most 20 characters, without spaces or punctuation, whose digits stand with letters
  (“扶贫120”, “双11”, “5G”: the whole name is the span) unless a digit is followed by a
  multiplier or measure word (“30万元”, “110kV”, “养了30头猪” are read as quantities); else
  quantity. A minus sign after a word (增长-2.3%) makes the value negative.
* Skipped: ordinals (第3, 第1-3批), URLs and e-mail addresses, and digits glued to Latin letters
  outside quotes (5G, G20, PM2.5, COVID-19): a digit run joined to Latin letters is part of a
  name or code, an identifier only when quoted, since unquoted it cannot be told from the text
  around it. A Latin unit symbol such as kV or km is read as a unit (110kV).

Spans: the span covers the qualifier words, the number, its multiplier and its unit (a year's 年
is inside: ``2013年``); quotation marks are never inside a span (“10.17” → ``10.17``); a noun that
only implies the unit (贫困人口) is outside it. A hedge (约/大约/约为/近似) before a range
(约3000-5000人, 大约5-7亿元) is inside the span but the qualifier stays ``range``: the hedge makes
the bounds themselves approximate, which the columns cannot say, so a reader of such a row must
look at ``raw``; other words before a range (不低于5-7亿元) stay outside it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

COLUMNS: tuple[str, ...] = (
    "start",
    "end",
    "raw",
    "value",
    "low",
    "high",
    "unit",
    "qualifier",
    "kind",
)
NAN = math.nan

# Full-width forms → ASCII, one character for one so offsets are unchanged.
_FOLD = str.maketrans(
    "０１２３４５６７８９％．－～＋／：",
    "0123456789%.-~+/:",
)
_CJK = "\u4e00-\u9fff"
_OPEN_QUOTES = "“\"‘'「『"
_CLOSE_QUOTES = "”\"’'」』"

_MULTIPLIERS: dict[str, int] = {
    "万亿": 10**12,
    "千万": 10**7,
    "百万": 10**6,
    "亿": 10**8,
    "万": 10**4,
}
# Measure word as written → base unit. Longest spellings are tried first.
_UNITS: dict[str, str] = {
    "个百分点": "百分点",
    "百分点": "百分点",
    "平方公里": "平方公里",
    "平方千米": "平方公里",
    "平方米": "平方米",
    "立方米": "立方米",
    "千瓦时": "千瓦时",
    "个月": "个月",
    "人次": "人次",
    "公里": "公里",
    "千米": "千米",
    "公顷": "公顷",
    "千瓦": "千瓦",
    "千克": "千克",
    "公斤": "公斤",
    "小时": "小时",
    "周年": "周年",
    "元": "元",
    "人": "人",
    "户": "户",
    "个": "个",
    "名": "名",
    "米": "米",
    "亩": "亩",
    "处": "处",
    "年": "年",
    "岁": "岁",
    "次": "次",
    "所": "所",
    "家": "家",
    "座": "座",
    "条": "条",
    "项": "项",
    "间": "间",
    "套": "套",
    "吨": "吨",
    "辆": "辆",
    "场": "场",
    "批": "批",
    "期": "期",
    "位": "位",
    "支": "支",
    "天": "天",
    "倍": "倍",
    "届": "届",
    "台": "台",
    "头": "头",
    "只": "只",
    "张": "张",
    "件": "件",
    "份": "份",
    "种": "种",
    "类": "类",
    "栋": "栋",
    "日": "日",
    "分钟": "分钟",
    "兆瓦": "兆瓦",
    "千伏": "千伏",
    "℃": "℃",
    "㎡": "平方米",
    "%": "%",
    "‰": "‰",
}
# Latin unit symbols → base unit; a symbol must not run on into a longer Latin word.
_LATIN_UNITS: dict[str, str] = {
    "km": "公里",
    "kg": "千克",
    "kWh": "千瓦时",
    "kW": "千瓦",
    "MW": "兆瓦",
    "kV": "千伏",
    "m²": "平方米",
    "m³": "立方米",
}
# Units after which 多/余 still means "more than" (1倍多, 3年多, 2个月余).
_TAIL_APPROX_UNITS = frozenset({"倍", "年", "个月", "天", "日", "小时", "分钟"})
_PREFIXES: dict[str, str] = {
    "不低于": "at_least",
    "不少于": "at_least",
    "至少": "at_least",
    "不超过": "at_most",
    "不足": "at_most",
    "不到": "at_most",
    "至多": "at_most",
    "少于": "at_most",
    "多于": "more_than",
    "超过": "more_than",
    "逾": "more_than",
    "大约": "about",
    "约为": "about",
    "近似": "about",
    "约": "about",
    "将近": "nearly",
    "接近": "nearly",
    "近": "nearly",
}
# 近 after these characters is part of another word (最近 recent, 附近 nearby).
_NOT_NEARLY_BEFORE = "最附邻临靠贴"
_APPROX = {"余": "more_than", "多": "more_than"}
_SUFFIXES: dict[str, str] = {
    "及以上": "at_least",
    "及以下": "at_most",
    "以上": "more_than",
    "有余": "more_than",
    "之多": "more_than",
    "以下": "at_most",
    "以内": "at_most",
    "左右": "about",
}


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation of `words`, longest first."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_NUMBER_RE = re.compile(r"(?<![0-9.])(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?")
_MULT_RE = re.compile(_alternation(_MULTIPLIERS))
_UNITS.update(_LATIN_UNITS)
_UNIT_RE = re.compile(
    "|".join(
        re.escape(u) + ("(?![A-Za-z])" if u in _LATIN_UNITS else "")  # kV, not kVA
        for u in sorted(_UNITS, key=len, reverse=True)
    )
)
_APPROX_RE = re.compile("[余多]")
_SUFFIX_RE = re.compile(_alternation(_SUFFIXES))
_PREFIX_RE = re.compile(f"(?:{_alternation(_PREFIXES)})$")
_RANGE_SEP_RE = re.compile(r"\s?(?:——|[-—–~至到])\s?")
_PERSON_NOUN_RE = re.compile(f"[{_CJK}]{{0,9}}?(?:人口|人员|人(?![{_CJK}]))")
_LATIN = re.compile(r"[A-Za-z]")
_ORDINAL_TAIL_RE = re.compile(r"\s?(?:——|[-—–~至到])\s?\d+")
_MINUS = "-−"

_DIGITS_RE = re.compile(r"\d+")
_NAME_MAX = 20  # longest quoted name read as an identifier
# A special shape starts at most this far before its first digit and ends this far after a digit
# run: a label such as 邮政编码: or 蜀ICP备, or a quoted name with its quotes.
_WINDOW_BEFORE = _NAME_MAX + 1
_WINDOW_AFTER = _NAME_MAX + 1
_NAME_CHAR = f"[A-Za-z0-9{_CJK}·.+-]"
# Quoted words whose digits are followed by a multiplier or measure word (“110kV”, “30万元”,
# “养了30头猪”) are read for their quantities, not as a name.
_QUOTED_QUANTITY = rf"[^{_CLOSE_QUOTES}]*\d(?:{_MULT_RE.pattern}|{_UNIT_RE.pattern})"
_QUOTED_NAME_RE = re.compile(
    rf"(?<=[{_OPEN_QUOTES}])(?!{_QUOTED_QUANTITY})"
    rf"(?=[^{_CLOSE_QUOTES}]*\d)(?=[^{_CLOSE_QUOTES}]*[A-Za-z{_CJK}])"
    rf"{_NAME_CHAR}{{2,{_NAME_MAX}}}(?=[{_CLOSE_QUOTES}])"
)
_HOTLINE_RE = re.compile(
    rf"(?:(?<=[{_OPEN_QUOTES}])|(?<![\d.,A-Za-z]))\d{{3,}}(?=[{_CLOSE_QUOTES}]?(?:热线|专线|电话))"
)
_DATE = "date"
_IDENT = "identifier"
_IGNORED = ""  # claimed so that its digits are not read, but not reported (URLs, e-mail)
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_MONTH = r"(?:0?[1-9]|1[0-2])"
# Shapes claimed before general numbers, in priority order: (kind, pattern, group for the span).
_SPECIAL: tuple[tuple[str, re.Pattern[str], int], ...] = (
    (_IGNORED, re.compile(r"(?:https?://|www\.)[A-Za-z0-9./?=&%#:~+_-]+"), 0),
    (_IGNORED, re.compile(r"[A-Za-z0-9._+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"), 0),
    (_IDENT, re.compile(f"[{_CJK}]?ICP[备证]\\s*\\d+号(?:-\\d+)?"), 0),
    (_IDENT, re.compile(r"公网安备\s*(\d+号?)"), 1),
    (
        _IDENT,
        re.compile(
            r"(?:电话|传真|邮编|邮政编码|标识码|代码|编号|编码|热线|备案号|QQ)[:\s]*"
            r"(\d[\d-]*\d)(?![\d.])"
        ),
        1,
    ),
    (_IDENT, re.compile(r"(?<![\d-])0\d{2,3}-\d{7,8}(?:-\d{1,5})?(?![\d])"), 0),
    (_IDENT, re.compile(r"(?<![\d-])400-?\d{3}-?\d{4}(?!\d)"), 0),
    (_IDENT, re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)"), 0),
    (_IDENT, re.compile(r"(?<![\d.])\d+(?:\s?\+\s?(?:\d+|[A-Za-z]))+(?![\d.])"), 0),
    (_IDENT, _QUOTED_NAME_RE, 0),
    (_IDENT, _HOTLINE_RE, 0),
    (
        _DATE,
        re.compile(
            r"(?<![\d.])(?:19|20)\d{2}([-/.])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12]\d|3[01])(?![\d])"
        ),
        0,
    ),
    (_DATE, re.compile(f"(?<![\\d.])(?:\\d{{4}}年)?{_MONTH}\\s?[-—–~至到]\\s?{_MONTH}月"), 0),
    (_DATE, re.compile(f"(?<![\\d.])(?:\\d{{4}}年)?{_MONTH}月(?:{_DAY}[日号])?"), 0),
    (_DATE, re.compile(f"(?<![\\d.]){_DAY}日(?!内|以内|之内|以上|左右)"), 0),
    (
        _DATE,
        re.compile(
            r"(?:(?<=上午|下午|中午|晚上|早上|凌晨)|(?<=[日号\s]))(?:[01]?\d|2[0-3]):[0-5]\d(?![\d:])"
        ),
        0,
    ),
    (
        _DATE,
        re.compile(
            f"(?<=[{_OPEN_QUOTES}])(?:0?[1-9]|1[0-2])[.·](?:0?[1-9]|[12]\\d|3[01])"
            f"(?=[{_CLOSE_QUOTES}])"
        ),
        0,
    ),
    (_IDENT, re.compile(r"(?<![\d.,])\d{9,}号?(?![\d.])"), 0),
)


@dataclass
class _Mention:
    start: int
    end: int
    value: float
    low: float
    high: float
    unit: str
    qualifier: str
    kind: str


def _windows(norm: str) -> list[tuple[int, int]]:
    """Stretches of `norm` around its digits (merged); every special shape lies inside one."""
    out: list[tuple[int, int]] = []
    for m in _DIGITS_RE.finditer(norm):
        s, e = max(0, m.start() - _WINDOW_BEFORE), min(len(norm), m.end() + _WINDOW_AFTER)
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _claim_specials(norm: str) -> list[_Mention]:
    """Return the non-overlapping date/identifier mentions, earlier patterns winning ties."""
    taken: list[tuple[int, int]] = []
    found: list[_Mention] = []
    windows = _windows(norm)  # scanning only near digits keeps this fast
    for kind, pattern, group in _SPECIAL:
        spans = [(0, len(norm))] if kind == _IGNORED else windows
        for m in (m for ws, we in spans for m in pattern.finditer(norm, ws, we)):
            s, e = m.span(group)
            if any(s < te and ts < e for ts, te in taken):
                continue
            taken.append((s, e))
            found.append(_Mention(s, e, NAN, NAN, NAN, "", "exact", kind))
    return found


def _reported(mentions: list[_Mention]) -> list[_Mention]:
    return [x for x in mentions if x.kind != _IGNORED]


def _number(token: str, factor: int = 1) -> float:
    """The value of a digit token times a multiplier, exact in decimal (23.6万 → 236000.0)."""
    return float(Decimal(token.replace(",", "")) * factor)


def _bounds(value: float, qualifier: str) -> tuple[float, float]:
    if qualifier == "exact":
        return value, value
    if qualifier in ("more_than", "at_least"):
        return value, NAN
    if qualifier in ("at_most", "nearly"):
        return NAN, value
    return NAN, NAN


def _is_year(value: float, token: str) -> bool:
    return len(token) == 4 and token.isdigit() and 1900 <= value <= 2100


def _skip_number(norm: str, s: int, e: int) -> bool:
    """Digits glued to an unquoted Latin word or code (5G, G20, COVID-19)."""
    before = norm[s - 1] if s else ""
    after = norm[e] if e < len(norm) else ""
    if _LATIN.match(before or " ") or (_LATIN.match(after or " ") and not _UNIT_RE.match(norm, e)):
        return True
    return before in ("-", "_") and s > 1 and bool(_LATIN.match(norm[s - 2]))


def _minus(norm: str, s: int) -> bool:
    """True when a minus sign stands right before the number (增长-2.3%), not a hyphen."""
    if s == 0 or norm[s - 1] not in _MINUS:
        return False
    before = norm[s - 2] if s > 1 else " "
    return not ((before.isascii() and before.isalnum()) or before in _MINUS or before in ")）")


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


def _prefix(norm: str, s: int) -> tuple[int, str]:
    """Return (span start, qualifier) for a qualifier word just before position `s`."""
    pre = _PREFIX_RE.search(norm, max(0, s - 3), s)
    if not pre:
        return s, ""
    word = pre.group(0)
    if word == "近" and pre.start() > 0 and norm[pre.start() - 1] in _NOT_NEARLY_BEFORE:
        return s, ""
    return pre.start(), _PREFIXES[word]


def _hedge_start(norm: str, s: int) -> int:
    """Where a range starting at `s` begins: before a hedge word (约, 大约) standing right there."""
    start, qualifier = _prefix(norm, s)
    return start if qualifier == "about" else s


def _parse_at(norm: str, m: re.Match[str], limit: int) -> tuple[_Mention | None, int]:
    """Parse the quantity whose number is `m`, not reading past `limit`.

    Returns the mention (None when the number is skipped) and where to continue scanning.
    """
    s, e = m.span()
    if s and norm[s - 1] == "第":
        tail = _ORDINAL_TAIL_RE.match(norm[:limit], e)  # 第1-3名: the whole ordinal range
        return None, tail.end() if tail else e
    if _skip_number(norm, s, e):
        return None, e
    return _parse_quantity(norm, m, limit), e


def _parse_quantity(norm: str, m: re.Match[str], limit: int) -> _Mention:
    """Read qualifier words, multiplier, range and unit around the number `m`."""
    s, e = m.span()
    text = norm[:limit]
    token = m.group(0)
    cur = _Cursor(text, e)
    approx = cur.take(_APPROX_RE)
    mult = cur.take(_MULT_RE)
    approx = approx or cur.take(_APPROX_RE)
    unit = cur.take(_UNIT_RE)
    rng = None if approx else _range_tail(text, cur.pos, token, mult, unit)
    if rng is not None:
        cur.pos, low, high, unit = rng
        value, qualifier = NAN, "range"
        start = _hedge_start(norm, s)
    else:
        value = _number(token, _MULTIPLIERS.get(mult, 1))
        low = high = NAN
        if _minus(norm, s):
            value, s = -value, s - 1
        start, qualifier = _prefix(norm, s)
        if unit in _TAIL_APPROX_UNITS and not approx:
            approx = cur.take(_APPROX_RE)
        qualifier = qualifier or _APPROX.get(approx, "")
    base_unit = _UNITS.get(unit, "")
    if base_unit == "年" and not mult and not qualifier and _is_year(value, token):
        return _Mention(start, cur.pos, value, value, value, "", "exact", "year")
    if qualifier == "range" and base_unit == "年" and _is_year(low, token) and high <= 2100:
        return _Mention(start, cur.pos, NAN, low, high, "", "range", "year")
    suffix = cur.take(_SUFFIX_RE)
    qualifier = qualifier or _SUFFIXES.get(suffix, "") or "exact"
    if qualifier != "range":
        low, high = _bounds(value, qualifier)
    if not base_unit and _PERSON_NOUN_RE.match(text, cur.pos):
        base_unit = "人"
    kind = "percent" if base_unit in ("%", "‰") else "quantity"
    return _Mention(start, cur.pos, value, low, high, base_unit, qualifier, kind)


def _range_tail(
    text: str, pos: int, token: str, mult: str, unit: str
) -> tuple[int, float, float, str] | None:
    """Read '-b[mult][unit]' after a first number; return (end, low, high, unit) or None.

    A multiplier or unit written only once applies to both ends (5-7亿元, 5000-10000万元).
    """
    sep = _RANGE_SEP_RE.match(text, pos)
    if not sep:
        return None
    m2 = _NUMBER_RE.match(text, sep.end())
    if not m2 or _LATIN.match(text[m2.end() : m2.end() + 1] or " "):
        return None
    cur = _Cursor(text, m2.end())
    mult2 = cur.take(_MULT_RE)
    unit2 = cur.take(_UNIT_RE)
    if unit and unit2 != unit:
        return None
    if sep.group(0).strip() in ("至", "到") and not unit2:
        return None
    low = _number(token, _MULTIPLIERS.get(mult or mult2, 1))
    high = _number(m2.group(0), _MULTIPLIERS.get(mult2, 1))
    if high <= low:
        return None
    return cur.pos, low, high, _UNITS.get(unit2, "")


def _scan_numbers(norm: str, claimed: list[_Mention]) -> list[_Mention]:
    spans = sorted((c.start, c.end) for c in claimed)
    found: list[_Mention] = []
    pos = 0
    while True:
        m = _NUMBER_RE.search(norm, pos)
        if not m:
            return found
        inside = next((e for s, e in spans if s <= m.start() < e), None)
        if inside is not None:
            pos = inside
            continue
        limit = next((s for s, _ in spans if s >= m.end()), len(norm))
        mention, pos = _parse_at(norm, m, limit)
        if mention is not None:
            found.append(mention)
            pos = mention.end


def extract_quantities(text: str) -> pd.DataFrame:
    """Return one row per numeric mention in `text`, in text order (see the module docstring)."""
    norm = text.translate(_FOLD)
    claimed = _claim_specials(norm)
    mentions = sorted(_reported(claimed) + _scan_numbers(norm, claimed), key=lambda x: x.start)
    frame = pd.DataFrame(
        {
            "start": np.array([x.start for x in mentions], dtype=np.int64),
            "end": np.array([x.end for x in mentions], dtype=np.int64),
            "raw": pd.array([text[x.start : x.end] for x in mentions], dtype="str"),
            "value": np.array([x.value for x in mentions], dtype=np.float64),
            "low": np.array([x.low for x in mentions], dtype=np.float64),
            "high": np.array([x.high for x in mentions], dtype=np.float64),
            "unit": pd.array([x.unit for x in mentions], dtype="str"),
            "qualifier": pd.array([x.qualifier for x in mentions], dtype="str"),
            "kind": pd.array([x.kind for x in mentions], dtype="str"),
        },
        columns=list(COLUMNS),
    )
    return frame
