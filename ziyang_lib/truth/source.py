"""The source document: raw text, cleaned text, the clean→raw offset map, paragraphs and parts.

The raw file is never edited. Cleaning happens in memory: HTML entities are decoded (including
the broken ``ldquo;`` without its ampersand), leading indentation and trailing spaces are
dropped, runs of spaces (NBSP, ideographic space, tab) become one space, a space between a CJK
character and CJK punctuation is dropped as layout (a space between two ideographs is kept: it
separates title halves and bylines), and blank lines are dropped, ``\\n`` separating paragraphs.

Every clean character remembers the raw characters it came from, so any clean span maps back to
an exact raw span (``Source.raw_span``).
"""

from __future__ import annotations

import hashlib
import html
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from ziyang_lib import paths
from ziyang_lib.errors import DataError
from ziyang_lib.truth.extract import COLUMNS as QUANTITY_COLUMNS
from ziyang_lib.truth.extract import extract_quantities
from ziyang_lib.truth.package import PACKAGE_FILE, check_size, file_stamp, verify_file

SOURCE_RESOURCE = "source-text"
"""Name of the raw source's resource in ``datapackage.json`` (with its bytes and sha256)."""

# Attribution of the source (for the data package and the report's citations).
PUBLISHER = "资阳市人民政府"
PUBLISHED = "2020-10-14"
REPORTER = "王继"
TITLE = "决胜脱贫攻坚 圆梦全面小康--我市脱贫攻坚工作综述"
URL = "http://gk.ziyang.gov.cn/details.aspx?id=13692"

PART_KEYS_STRUCTURAL: tuple[str, ...] = ("header", "lead", "outlook", "footer")
#: The article's section headings, verbatim (after cleaning), and the part key each opens. Names
#: of the parts in either language are report text (``report/catalogue/parts.yaml``).
SECTION_HEADINGS: dict[str, str] = {
    "坚持党的领导": "leadership",
    "以人民为中心": "precision",
    "构建“大扶贫”工作格局": "broad",
}
PARAGRAPH_COLUMNS: tuple[str, ...] = ("para", "part", "role", "start", "end", "text")
PART_COLUMNS: tuple[str, ...] = (
    "part",
    "heading",
    "subheading",
    "start",
    "end",
)

_ENTITY_RE = re.compile(
    r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z]+\d*);"
    r"|(?<![A-Za-z&])(?:ldquo|rdquo|lsquo|rsquo|nbsp|mdash|ndash|hellip|middot|emsp|ensp);"
)
_SPACE = frozenset(" \t\r\f\v\xa0\u3000\u2002\u2003\u2009\u202f")
_DROP = frozenset("\u200b\ufeff")
_CJK_PUNCT = frozenset("“”‘’「」『』《》〈〉（）【】、，。：；！？…—·")
_SENTENCE_END_RE = re.compile(r"[。！？!?]+[”’」』\"]*|\n")
_CLAUSE_END_RE = re.compile(r"[，,；;：:]|[。！？!?]+[”’」』\"]*|\n")
_BODY_RE = re.compile(r"[。！？!?]")
_HEADING_STOP_RE = re.compile(r"[。！？!?，,；;：:]")
_DATE_RE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{4}年\d{1,2}月\d{1,2}日")
_HEADING_MAX = 25
_SENTENCE_MAX = 120

# A clean character with the raw span [start, end) it came from.
_Piece = tuple[str, int, int]


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or ch in _CJK_PUNCT


def _decode_entities(raw: str, start: int, end: int) -> list[_Piece]:
    """Return the pieces of raw[start:end] with HTML entities decoded to one character."""
    pieces: list[_Piece] = []
    pos = start
    for m in _ENTITY_RE.finditer(raw, start, end):
        pieces.extend((raw[i], i, i + 1) for i in range(pos, m.start()))
        word = m.group(0)
        decoded = html.unescape(word if word.startswith("&") else "&" + word)
        if len(decoded) == 1:
            pieces.append((decoded, m.start(), m.end()))
        else:
            pieces.extend((raw[i], i, i + 1) for i in range(m.start(), m.end()))
        pos = m.end()
    pieces.extend((raw[i], i, i + 1) for i in range(pos, end))
    return pieces


def _normalise_space(pieces: list[_Piece]) -> list[_Piece]:
    """Strip, collapse space runs to one ' ', drop layout spaces next to CJK punctuation."""
    out: list[_Piece] = []
    for ch, s, e in pieces:
        if ch in _DROP:
            continue
        if ch in _SPACE or ch == " ":
            if out and out[-1][0] != " ":
                out.append((" ", s, e))
            continue
        out.append((ch, s, e))
    while out and out[-1][0] == " ":
        out.pop()
    kept: list[_Piece] = []
    for i, piece in enumerate(out):
        if piece[0] == " " and 0 < i < len(out) - 1:
            prev, nxt = out[i - 1][0], out[i + 1][0]
            if _is_cjk(prev) and _is_cjk(nxt) and (prev in _CJK_PUNCT or nxt in _CJK_PUNCT):
                continue
        kept.append(piece)
    return kept


@dataclass(frozen=True)
class _Line:
    para: int
    clean_start: int
    clean_end: int
    raw_start: int
    raw_end: int
    text: str


def _clean(raw: str) -> tuple[str, list[int], list[int], list[_Line]]:
    """Return (clean text, raw start per clean char, raw end per clean char, lines)."""
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    lines: list[_Line] = []
    line_start = 0
    for raw_line in raw.split("\n"):
        line_end = line_start + len(raw_line)
        pieces = _normalise_space(_decode_entities(raw, line_start, line_end))
        if pieces:
            if lines:
                newline = raw.rfind("\n", 0, line_start)
                chars.append("\n")
                starts.append(newline)
                ends.append(newline + 1)
            begin = len(chars)
            for ch, s, e in pieces:
                chars.append(ch)
                starts.append(s)
                ends.append(e)
            text = "".join(ch for ch, _, _ in pieces)
            para = len(lines) + 1
            lines.append(_Line(para, begin, len(chars), pieces[0][1], pieces[-1][2], text))
        line_start = line_end + 1
    return "".join(chars), starts, ends, lines


def _is_heading(text: str) -> bool:
    return len(text) <= _HEADING_MAX and not _HEADING_STOP_RE.search(text)


def _segment(lines: list[_Line], file: str) -> tuple[list[str], list[str]]:
    """Return (part, role) per line, found from the text's shape.

    Body paragraphs carry sentence punctuation; the article runs from the first to the last of
    them. Before it is the page header (its title is the line just above the dated line), after
    it the footer. Inside, short unpunctuated lines are section headings (title, subtitle); the
    body before the first heading is the lead, and the closing paragraph is the outlook.
    """
    body = [i for i, ln in enumerate(lines) if _BODY_RE.search(ln.text)]
    if not body:
        raise DataError(file, "no body paragraphs found (no sentence punctuation)")
    first, last = body[0], body[-1]
    parts = ["header"] * first + [""] * (last - first + 1) + ["footer"] * (len(lines) - last - 1)
    roles = ["furniture"] * len(lines)
    dated = next((i for i in range(first) if _DATE_RE.search(lines[i].text)), None)
    if dated is not None and dated > 0:
        roles[dated - 1] = "title"
    titles = SECTION_HEADINGS
    current = "lead"
    for i in range(first, last + 1):
        heading = _is_heading(lines[i].text)
        roles[i] = "heading" if heading else "body"
        if heading and not (i > first and roles[i - 1] == "heading"):
            current = titles.get(lines[i].text, "")
            if not current:
                raise DataError(
                    file,
                    f"heading {lines[i].text!r} (paragraph {lines[i].para}) matches no "
                    "section heading in SECTION_HEADINGS",
                )
        parts[i] = current
    if parts[last] != "lead" and roles[last - 1] == "body":
        parts[last] = "outlook"
    return parts, roles


def _paragraph_frame(lines: list[_Line], parts: list[str], roles: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "para": pd.Series([ln.para for ln in lines], dtype="int64"),
            "part": parts,
            "role": roles,
            "start": pd.Series([ln.raw_start for ln in lines], dtype="int64"),
            "end": pd.Series([ln.raw_end for ln in lines], dtype="int64"),
            "text": [ln.text for ln in lines],
        },
        columns=list(PARAGRAPH_COLUMNS),
    )


def _parts_frame(paragraphs: pd.DataFrame) -> pd.DataFrame:
    """One row per part: its heading and subheading as the source prints them ('' for the
    header, lead, outlook and footer, which have none) and its raw span."""
    rows = []
    for part, group in paragraphs.groupby("part", sort=False):
        headings = group.loc[group["role"] == "heading", "text"].tolist()
        rows.append(
            {
                "part": part,
                "heading": headings[0] if headings else "",
                "subheading": headings[1] if len(headings) > 1 else "",
                "start": int(group["start"].min()),
                "end": int(group["end"].max()),
            }
        )
    frame = pd.DataFrame(rows, columns=list(PART_COLUMNS))
    return frame.astype({"start": "int64", "end": "int64"})


@dataclass(frozen=True)
class Source:
    """The source document. Offsets in `paragraphs`, `parts` and `quantities()` are raw."""

    path: Path
    raw: str
    text: str
    sha256: str
    _paragraphs: pd.DataFrame = field(repr=False, compare=False)
    _parts: pd.DataFrame = field(repr=False, compare=False)
    _starts: tuple[int, ...] = field(repr=False, compare=False)
    _ends: tuple[int, ...] = field(repr=False, compare=False)

    @property
    def paragraphs(self) -> pd.DataFrame:
        """One row per paragraph: para, part, role, raw start and end (a copy: every caller
        shares the loaded source)."""
        return self._paragraphs.copy()

    @property
    def parts(self) -> pd.DataFrame:
        """One row per part (header … footer) with its raw span (a copy, as `paragraphs`)."""
        return self._parts.copy()

    def to_raw(self, i: int) -> int:
        """Map a clean offset (0..len(text)) to the raw offset of the same position."""
        if not 0 <= i <= len(self.text):
            raise IndexError(f"clean offset {i} outside 0..{len(self.text)}")
        return self._starts[i] if i < len(self._starts) else (self._ends[-1] if self._ends else 0)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a clean span [start, end) to the raw span covering the same characters."""
        if not 0 <= start <= end <= len(self.text):
            raise IndexError(f"clean span ({start}, {end}) outside 0..{len(self.text)}")
        if start == end:
            return self.to_raw(start), self.to_raw(start)
        return self._starts[start], self._ends[end - 1]

    def to_clean(self, raw_offset: int) -> int:
        """Map a raw offset to the clean offset of the first clean character at or after it."""
        return bisect_left(self._starts, raw_offset)

    @cached_property
    def _para_index(self) -> tuple[list[int], list[str], list[int]]:
        p = self._paragraphs
        return p["start"].tolist(), p["part"].tolist(), p["para"].tolist()

    def _line_index(self, raw_offset: int) -> int:
        if not 0 <= raw_offset <= len(self.raw):
            raise IndexError(f"raw offset {raw_offset} outside 0..{len(self.raw)}")
        return max(bisect_right(self._para_index[0], raw_offset) - 1, 0)

    def part_of(self, raw_offset: int) -> str:
        """The part (header … footer) holding a raw offset; a gap joins the paragraph before."""
        return self._para_index[1][self._line_index(raw_offset)]

    def paragraph_of(self, raw_offset: int) -> int:
        """The 1-based paragraph number holding a raw offset."""
        return self._para_index[2][self._line_index(raw_offset)]

    def sentence(self, raw_start: int, raw_end: int) -> str:
        """The cleaned sentence around a raw span (its clause, if the sentence is very long)."""
        s = self.to_clean(raw_start)
        e = max(self.to_clean(raw_end), s + 1)
        found = _around(self.text, s, e, _SENTENCE_END_RE)
        if len(found) > _SENTENCE_MAX:
            found = _around(self.text, s, e, _CLAUSE_END_RE)
        return found

    @cached_property
    def _quantities(self) -> pd.DataFrame:
        frame = extract_quantities(self.text)
        spans = [self.raw_span(s, e) for s, e in zip(frame["start"], frame["end"], strict=True)]
        frame["start"] = pd.Series([s for s, _ in spans], dtype="int64")
        frame["end"] = pd.Series([e for _, e in spans], dtype="int64")
        frame["raw"] = [self.raw[s:e] for s, e in spans]
        frame["part"] = [self.part_of(s) for s, _ in spans]
        frame["paragraph"] = pd.Series([self.paragraph_of(s) for s, _ in spans], dtype="int64")
        return frame[[*QUANTITY_COLUMNS, "part", "paragraph"]]

    def quantities(self) -> pd.DataFrame:
        """Every numeric mention: `extract_quantities(text)` with raw offsets, part, paragraph."""
        return self._quantities.copy()


def _around(text: str, s: int, e: int, boundary: re.Pattern[str]) -> str:
    """The stretch of `text` around [s, e) between two `boundary` matches.

    A closing sentence mark (。！？ and any closing quote) is kept; a newline or clause mark is not.
    """
    left = 0
    for m in boundary.finditer(text, 0, s):
        left = m.end()
    m = boundary.search(text, e)
    if m is None:
        right = len(text)
    else:
        right = m.end() if _BODY_RE.match(m.group(0)) else m.start()
    return text[left:right].strip()


_CACHE: dict[Path, tuple[Any, Source]] = {}


def load_source(data_dir: str | Path | None = None) -> Source:
    """Load the source document from `<data dir>/raw/`; cached until the file changes.

    In a data package (a folder with ``datapackage.json``) the file must have the byte count
    and sha256 the package records, or DataError names the file and both digests.
    """
    folder = paths.data_dir(data_dir)
    path = folder / "raw" / paths.SOURCE_FILENAME
    package = folder / PACKAGE_FILE
    try:
        st = path.stat()
    except FileNotFoundError:
        raise DataError(str(path), "source document not found") from None
    stamp = (st.st_mtime_ns, st.st_size, file_stamp(package))
    key = path.resolve()
    cached = _CACHE.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    if package.exists():
        data = verify_file(folder, SOURCE_RESOURCE)
    else:  # a bare article (another text of the genre), not a data package
        check_size(path, f"raw/{path.name}")
        data = path.read_bytes()
    source = _read(path, data)
    _CACHE[key] = (stamp, source)
    return source


def _read(path: Path, data: bytes) -> Source:
    try:
        decoded = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(str(path), f"not valid UTF-8 ({exc.reason} at byte {exc.start})") from None
    raw = decoded.replace("\r\n", "\n").replace("\r", "\n")  # as Path.read_text does
    text, starts, ends, lines = _clean(raw)
    parts, roles = _segment(lines, str(path))
    paragraphs = _paragraph_frame(lines, parts, roles)
    return Source(
        path=path,
        raw=raw,
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        _paragraphs=paragraphs,
        _parts=_parts_frame(paragraphs),
        _starts=tuple(starts),
        _ends=tuple(ends),
    )
