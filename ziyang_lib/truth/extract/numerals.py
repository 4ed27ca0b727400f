"""Chinese numerals (三年, 二十四个, 八千多万, 二〇二〇年, 百分之六十): their values and when
they count something.

A Chinese numeral is read only where it counts: with a measure word or unit after it, or with
万/亿 in it. It is left out

* when it is a lone 一 (一支队伍, 一户一策, 一人患病): 一 before a measure word is the article
  "a" at least as often as a count;
* in set phrases, where a numeral follows the measure word (十年九旱, 五个一批, 一户一策);
* inside a quoted name that goes on after it (“六个精准”, “三支力量”): the name is a term;
* after 第 (第三年, an ordinal), and without a measure word (十八大, 四大片区, 三保障).

Rank words such as 一把手 (the head of a party or government body, "the number-one hand") are
identifiers: the numeral names a rank and counts nothing. 二〇二〇年 is a year, 十月十七日 a date,
百分之六十 a percentage.
"""

from __future__ import annotations

import re

from ziyang_lib.truth.extract.lexicon import CJK, CLOSE_QUOTES, OPEN_QUOTES

DIGITS: dict[str, int] = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_SMALL = {"十": 10, "百": 100, "千": 1000}
_BIG = {"万": 10**4, "亿": 10**8}
_ALL = "".join(DIGITS) + "".join(_SMALL) + "".join(_BIG)
# A numeral starts with a digit or 十 (never with 百/千/万/亿 alone: 百姓, 千方百计, 万企帮万村).
CN_NUMBER_RE = re.compile(f"(?<![{_ALL}])[一二两三四五六七八九十〇零][{_ALL}]*")
_NAME_REACH = 20  # how far back an opening quote may stand for a quoted name


def cn_value(token: str) -> int | None:
    """The value of a Chinese numeral (二十四 → 24, 三亿五千万 → 350000000, 二〇二〇 → 2020);
    None if it is not well formed (三三两两)."""
    if len(token) > 1 and all(ch in DIGITS for ch in token):  # digit by digit, as in years
        return int("".join(str(DIGITS[ch]) for ch in token)) if "两" not in token else None
    total = section = number = 0
    last = ""
    for ch in token:
        if ch in DIGITS:
            if last == "digit" and number:
                return None
            number, last = DIGITS[ch], "digit"
        elif ch in _SMALL:
            if last == "small" or (last == "" and ch != "十"):
                return None
            section += (number or 1) * _SMALL[ch]
            number, last = 0, "small"
        else:
            if last in ("", "big"):
                return None
            if ch == "亿":
                total = (total + section + number) * _BIG[ch]
                section = 0
            else:
                section = (section + number) * _BIG[ch]
            number, last = 0, "big"
    return total + section + number


def has_scale(token: str) -> bool:
    """True when the numeral carries 万 or 亿 itself (三万, 一亿): a quantity without a unit."""
    return any(ch in _BIG for ch in token)


def is_year_token(token: str) -> bool:
    """Four digits read one by one (二〇二〇): a calendar year when 年 follows."""
    return len(token) == 4 and all(ch in DIGITS and ch != "两" for ch in token)


def starts_set_phrase(text: str, pos: int) -> bool:
    """A numeral right after the measure word makes a set phrase (十年九旱, 五个一批)."""
    return pos < len(text) and text[pos] in DIGITS


def in_quoted_name(text: str, start: int, end: int) -> bool:
    """True when [start, end) sits inside quotes and the quoted name goes on after it."""
    before = text[max(0, start - _NAME_REACH) : start]
    opened = max(before.rfind(q) for q in OPEN_QUOTES)
    if opened < 0 or any(q in before[opened + 1 :] for q in CLOSE_QUOTES):
        return False
    if any(p in before[opened + 1 :] for p in "，。；！？、"):
        return False
    return end < len(text) and bool(re.match(f"[{CJK}]", text[end]))


_CN_DIGIT = "[〇零一二三四五六七八九]"
_CN_SMALL_NUMBER = "[一二三四五六七八九十]"
#: Chinese-numeral shapes that are not counts: (kind, anchor, pattern, reach back, reach ahead).
#: A shape is looked for only around its anchor, which keeps the pass fast.
CN_SHAPES: tuple[tuple[str, str, re.Pattern[str], int, int], ...] = (
    (
        "date",
        "月",
        re.compile(
            f"(?:{_CN_DIGIT}{{4}}年)?{_CN_SMALL_NUMBER}{{1,2}}月(?:{_CN_SMALL_NUMBER}{{1,3}}[日号])?"
        ),
        7,
        5,
    ),
    ("identifier", "把手", re.compile("[一二三四五]把手"), 1, 2),
)


def find_shapes(text: str) -> list[tuple[str, int, int]]:
    """(kind, start, end) of the Chinese-numeral dates and rank words in `text`."""
    found: list[tuple[str, int, int]] = []
    for kind, anchor, pattern, back, ahead in CN_SHAPES:
        i = text.find(anchor)
        while i >= 0:
            for m in pattern.finditer(text, max(0, i - back), i + len(anchor) + ahead):
                s, e = m.span()
                if s <= i < e and not (s and text[s - 1] in _ALL):
                    found.append((kind, s, e))
                    break
            i = text.find(anchor, i + 1)
    return found


#: 百分之 and the numeral after it (the numeral is group ``pct``).
PERCENT_PATTERN = f"百分之(?P<pct>[{_ALL}]+(?:点[{''.join(DIGITS)}]+)?)"


def percent_value(words: str) -> float | None:
    """The value of the numeral after 百分之 (六十 → 60, 三点五 → 3.5)."""
    whole, _, decimals = words.partition("点")
    value = cn_value(whole)
    if value is None or (decimals and any(ch not in DIGITS for ch in decimals)):
        return None
    if decimals:
        return float(f"{value}.{''.join(str(DIGITS[ch]) for ch in decimals)}")
    return float(value)
