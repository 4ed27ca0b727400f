"""Find the numbers in a Chinese government text: quantities, years, dates, identifiers.

``extract_quantities(text)`` returns one row per mention, in text order, with columns
``start, end, raw, value, low, high, unit, qualifier, kind`` (offsets into `text`, end exclusive).

Rules are genre-wide (nothing is keyed to one document) and read both scripts: the text is
folded one character for one (full-width → ASCII; 萬 億 個 約 餘 點 … → 万 亿 个 约 余 点), so
100.57萬貧困人口, 892個貧困村 and 3.5個百分點 read like their simplified forms (`lexicon`).

* Numbers: Arabic digits (ASCII or full-width; 1,058 with ASCII commas in groups of three), and
  Chinese numerals where they count something (三年, 二十四个, 八千多万元; see `numerals` for
  what is left out: 一 before a measure word, set phrases such as 十年九旱 and 五个一批, quoted
  names such as “六个精准”, 十八大). 百分之六十 is a percentage.
* Multipliers 万 1e4, 亿 1e8, 万亿 1e12, 千万, 百万, and after digits 千 and 百 (3千人; not 5千米,
  which is kilometres); 多/余 between two (8千多万 → more than 80 million).
* The unit is the measure word after the number (万元/亿元 → 元, 个百分点 → 百分点: percentage
  points are their own unit, never %); with no measure word but a noun ending in 人口/人员/人
  right after (23.6万贫困人口), the unit is 人; else ''.
* Qualifiers: 余/多/以上/超过/逾/多于 → more_than; 不低于/不少于/至少/及以上 → at_least;
  以内/以下/及以下/不超过/不足/不到/少于/至多 → at_most; 约/约为/大约/左右/近似 → about;
  近/将近/接近 → nearly (not 最近/附近); a-b, a—b, a~b, a至b, a到b → range, a multiplier or
  unit written once being shared (5-7亿元). A hedge may also follow the counted noun (280个县左右,
  20户贫困户以上的村): the noun and the hedge are then inside the span. 近N年 framing its clause
  (近55年资阳境内…, 近3年来) is "the past N years", exact; elsewhere (历时近3年) it is nearly.
  Bounds: exact low = high = value; more_than and at_least low = value; at_most and nearly
  high = value; about none; range low and high, value NaN.
* Kinds: percent (%, ‰ or 百分之); year (a 1900–2100 calendar year written with 年, or four
  Chinese digits such as 二〇二〇年; not a duration such as 近2000年: value is the year, unit '');
  date (2020-10-14, 2020年10月14日, 10月17日, 十月十七日, 1—3月, a quoted “10.17”, a clock time
  after 上午/日/a space; value NaN); identifier (value NaN, unit ''): phone numbers, ICP/公安备案
  numbers, labelled or 9+ digit codes, formulas such as “2+1+6”, a hotline number right before
  热线/专线/电话 (“12345”热线, 12345专线), rank words (一把手), and a quoted name of at most 20
  characters, without spaces or punctuation, whose digits stand with letters (“扶贫120”, “双11”,
  “5G”: the whole name is the span) unless a digit is followed by a multiplier or measure word
  (“30万元”, “110kV”, “养了30头猪” are read as quantities); else quantity. A minus sign after a
  word (增长-2.3%) makes the value negative.
* Skipped: ordinals (第3, 第1-3批, 第三年), URLs and e-mail addresses, and digits glued to Latin
  letters outside quotes (5G, G20, PM2.5, COVID-19): a digit run joined to Latin letters is part
  of a name or code, an identifier only when quoted, since unquoted it cannot be told from the
  text around it. A Latin unit symbol such as kV or km is read as a unit (110kV).

Spans: the span covers the qualifier words, the number, its multiplier and its unit (a year's 年
is inside: ``2013年``); quotation marks are never inside a span (“10.17” → ``10.17``); a noun that
only implies the unit (贫困人口) is outside it. A hedge (约/大约/约为/近似) before a range
(约3000-5000人, 大约5-7亿元) is inside the span but the qualifier stays ``range``: the hedge makes
the bounds themselves approximate, which the columns cannot say, so a reader of such a row must
look at ``raw``; other words before a range (不低于5-7亿元) stay outside it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ziyang_lib.truth.extract.lexicon import fold
from ziyang_lib.truth.extract.scan import scan_numbers
from ziyang_lib.truth.extract.shapes import IGNORED, claim_shapes

__all__ = ["COLUMNS", "extract_quantities"]

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


def extract_quantities(text: str) -> pd.DataFrame:
    """Return one row per numeric mention in `text`, in text order (see the module docstring)."""
    norm = fold(text)
    claimed = claim_shapes(norm)
    reported = [x for x in claimed if x.kind != IGNORED]
    mentions = sorted(reported + scan_numbers(norm, claimed), key=lambda x: x.start)
    return pd.DataFrame(
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
