"""The words the extractor reads: scale words, measure words, hedges, in both scripts.

Texts are folded one character for one before any rule runs, so offsets never move: full-width
digits and signs become ASCII, and the traditional forms of the characters the rules read become
their simplified forms (萬 → 万, 億 → 亿, 個 → 个, 約 → 约, 餘 → 余, 點 → 点 …). Only these
characters are folded: a whole-text converter (OpenCC and the like) works on phrases, may change
lengths and would add a dependency for characters no rule looks at.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Full-width forms → ASCII.
_WIDTH = ("０１２３４５６７８９％．－～＋／：", "0123456789%.-~+/:")
# Traditional → simplified, for the characters in the words below (and those relations read).
_SCRIPT = (
    "萬億個約餘於兩戶畝處項間張條輛場噸頭隻種類棟臺屆鐘裡裏點內為將過時歲週號熱專線電話傳郵編碼"
    "標識證備網鄰臨貼員幾來後減長從達計還別較",
    "万亿个约余于两户亩处项间张条辆场吨头只种类栋台届钟里里点内为将过时岁周号热专线电话传邮编码"
    "标识证备网邻临贴员几来后减长从达计还别较",
)
_FOLD_MAP = dict(zip(_WIDTH[0] + _SCRIPT[0], _WIDTH[1] + _SCRIPT[1], strict=True))
_FOLD_RE = re.compile(f"[{re.escape(''.join(_FOLD_MAP))}]")


def fold(text: str) -> str:
    """`text` with full-width and traditional forms folded, one character for one."""
    return _FOLD_RE.sub(lambda m: _FOLD_MAP[m.group(0)], text)  # faster than str.translate


CJK = "\u4e00-\u9fff"
OPEN_QUOTES = "“\"‘'「『"
CLOSE_QUOTES = "”\"’'」』"

MULTIPLIERS: dict[str, int] = {
    "万亿": 10**12,
    "千万": 10**7,
    "百万": 10**6,
    "亿": 10**8,
    "万": 10**4,
    "千": 10**3,
    "百": 10**2,
}
# 千 and 百 scale a number only when they do not start a unit (5千米 is 5 km, 0.6百分点).
_MULT_GUARDS = {"千": "(?!米|克|瓦|伏|卡|帕)", "百": "(?!分)"}

# Measure word as written → base unit. Longest spellings are tried first.
UNITS: dict[str, str] = {
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
    "分钟": "分钟",
    "兆瓦": "兆瓦",
    "千伏": "千伏",
    "℃": "℃",
    "㎡": "平方米",
    "%": "%",
    "‰": "‰",
}
UNITS.update(
    {u: u for u in "元人户个名米亩处年岁次所家座条项间套吨辆场批期位支天倍届台头只张件份种类栋日"}
)
# Latin unit symbols → base unit; a symbol must not run on into a longer Latin word.
LATIN_UNITS: dict[str, str] = {
    "km": "公里",
    "kg": "千克",
    "kWh": "千瓦时",
    "kW": "千瓦",
    "MW": "兆瓦",
    "kV": "千伏",
    "m²": "平方米",
    "m³": "立方米",
}
UNITS.update(LATIN_UNITS)
# Units after which 多/余 still means "more than" (1倍多, 3年多, 2个月余).
TAIL_APPROX_UNITS = frozenset({"倍", "年", "个月", "天", "日", "小时", "分钟"})

PREFIXES: dict[str, str] = {
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
NOT_NEARLY_BEFORE = "最附邻临靠贴"
APPROX = {"余": "more_than", "多": "more_than"}
SUFFIXES: dict[str, str] = {
    "及以上": "at_least",
    "及以下": "at_most",
    "以上": "more_than",
    "有余": "more_than",
    "之多": "more_than",
    "以下": "at_most",
    "以内": "at_most",
    "左右": "about",
}
# Hedges that may also stand after the counted noun (280个县左右, 20户贫困户以上的村).
NOUN_SUFFIXES = ("及以上", "及以下", "以上", "以下", "以内", "左右")
# 近N年 framing a clause is "the past N years" (近55年资阳境内…, 近3年来): a time frame, not a
# hedge. It frames the clause when 来/以来/间/中/里/期间 follow, or when it opens the clause.
TIME_FRAME_AFTER = ("以来", "期间", "来", "间", "中", "里")
CLAUSE_OPENERS = "，。；：、！？,;:!?（(\n 在这"


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of `words`, longest first."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


NUMBER_RE = re.compile(r"(?<![0-9.])(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?")
MULT_RE = re.compile(
    "|".join(
        re.escape(m) + _MULT_GUARDS.get(m, "") for m in sorted(MULTIPLIERS, key=len, reverse=True)
    )
)
UNIT_RE = re.compile(
    "|".join(
        re.escape(u) + ("(?![A-Za-z])" if u in LATIN_UNITS else "")  # kV, not kVA
        for u in sorted(UNITS, key=len, reverse=True)
    )
)
APPROX_RE = re.compile("[余多]")
SUFFIX_RE = re.compile(alternation(SUFFIXES))
PREFIX_RE = re.compile(f"(?:{alternation(PREFIXES)})$")
RANGE_SEP_RE = re.compile(r"\s?(?:——|[-—–~至到])\s?")
PERSON_NOUN_RE = re.compile(f"[{CJK}]{{0,9}}?(?:人口|人员|人(?![{CJK}]))")
# A counted noun (no numeral, no function word) and a hedge after it, before a clause break.
NOUN_HEDGE_RE = re.compile(
    f"(?:(?![的和及与或等之以零〇一二两三四五六七八九十])[{CJK}]){{1,6}}?"
    f"({alternation(NOUN_SUFFIXES)})(?=[的，。；、,;\\s]|$)"
)
LATIN = re.compile(r"[A-Za-z]")
ORDINAL_TAIL_RE = re.compile(r"\s?(?:——|[-—–~至到])\s?\d+")
MINUS = "-−"
