"""Text for plotly's small HTML subset, sized for a phone: escaping and line wrapping.

Widths are display columns (a CJK character, and the punctuation a CJK font draws full width,
counts 2). Lines break after spaces, next to CJK characters or after a hyphen between words;
never inside a number, between a number and its unit, nor next to binding punctuation.
"""

from __future__ import annotations

import html
import re
import unicodedata

FOOTNOTE_WIDTH = 52  # leaves room for a y axis whose labels widen the left margin


def escape(text: str) -> str:
    """Escape data-derived text for plotly's small HTML subset (titles, hover, annotations)."""
    return html.escape(str(text), quote=False)


def _is_cjk(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _columns(ch: str) -> int:
    """Display columns of one character: 2 for CJK and for the "ambiguous" ones (“ ” · — …)
    that the CJK font draws full width; 1 otherwise."""
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F", "A") else 1


def columns(text: str) -> int:
    """Display columns of `text` (a CJK character counts 2)."""
    return sum(_columns(ch) for ch in str(text))


def has_cjk(text: str) -> bool:
    """Whether `text` has a CJK character (text plotly cannot wrap at spaces)."""
    return any(_is_cjk(ch) for ch in str(text))


_NO_LINE_START = "，、。；：！？）》”,.;:!?)"
_NO_LINE_END = "（《“("


def _breakable(line: str, k: int) -> bool:
    """May a line break before index `k`? After a space, next to a CJK character, or after a
    hyphen joining two words (poverty-|alleviation); never next to punctuation that binds to
    a word (“…”, （…）, ，) nor between a number and its unit (6985元, 60%以上)."""
    before, after = line[k - 1], line[k]
    if (
        after in _NO_LINE_START
        or before in _NO_LINE_END
        or ((before.isdigit() or before == "%") and _is_cjk(after))
    ):
        return False
    return (
        before == " "
        or _is_cjk(before)
        or _is_cjk(after)
        or (before in "-–" and k >= 2 and line[k - 2].isalpha() and after.isalpha())
    )


def _wrap_raw(text: str, width: int) -> list[str]:
    """Lines of at most `width` columns; a line broken at a space keeps that space at its end,
    so that the lines joined again give back the text exactly."""
    lines: list[str] = []
    line, used = "", 0
    for ch in text:
        line += ch
        used += _columns(ch)
        if used > width:
            cuts = [k for k in range(1, len(line)) if _breakable(line, k)]
            cut = cuts[-1] if cuts else len(line) - 1
            lines.append(line[:cut])
            line = line[cut:]
            used = sum(_columns(c) for c in line)
    if line:
        lines.append(line)
    return lines


def wrap(text: str, width: int = FOOTNOTE_WIDTH) -> list[str]:
    """Split `text` into lines of at most `width` display columns (CJK counts 2).

    Breaks after spaces, after a hyphen between two words or next to CJK characters, never
    inside a Latin word or a number (a word longer than a line is cut). Lines are stripped.
    """
    return [x.strip() for x in _wrap_raw(text, width) if x.strip()]


def lines_of(text: str | None, width: int) -> list[str]:
    return wrap(text, width) if text else []


def wrap_html(text: str, width: int) -> str:
    """`text` escaped and wrapped with <br> at `width` display columns (tick labels, hovers).

    Spaces at the breaks are kept, so the drawn text reads back as the original string."""
    return "<br>".join(escape(line) for line in _wrap_raw(str(text), width))


# A number with what binds to it: a qualifier word before it (en), its scale word and its unit
# after it (23.6万人, 47.36亿元, 60%以上, about 6,985 yuan, 4.736 billion yuan, 2019年).
_BOUND_NUMBER = re.compile(
    r"(?:(?:about|nearly|more than|at least|at most|over) )?"
    r"\d[\d,.]*(?:[—–-]\d[\d,.]*)?"
    r"(?:%|‰)?"
    r"(?:(?:万亿|亿|万)?(?:元|人|个|户|名|年|亩|处|公里|项|所|次|倍|家)?(?:以上|以内|左右|余)?)"
    r"(?: (?:thousand|million|billion))?"
    r"(?: (?:yuan|people|persons|households|villages|km|mu|years?|teams|units|projects))?"
)


def html_text(text: str) -> str:
    """`text` escaped for an HTML page, each number kept on one line with its qualifier, scale
    and unit (``<span class="zy-nowrap">``): the browser wraps the rest, CJK included."""
    out, last = [], 0
    for match in _BOUND_NUMBER.finditer(str(text)):
        out.append(html.escape(text[last : match.start()], quote=False))
        out.append(f'<span class="zy-nowrap">{html.escape(match.group(0), quote=False)}</span>')
        last = match.end()
    out.append(html.escape(str(text)[last:], quote=False))
    return "".join(out)
