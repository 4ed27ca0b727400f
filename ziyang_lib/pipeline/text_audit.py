"""Output of ``ziyang-report audit-text``: the audit of a text file's arithmetic as CSV or as a
table for the terminal (columns padded by display width, so Chinese text lines up)."""

from __future__ import annotations

import io
import math
import unicodedata
from pathlib import Path

from ziyang_lib.errors import DataError


def read_text(path: Path) -> str:
    """The UTF-8 text of `path` (a BOM is dropped); DataError if it is not UTF-8."""
    try:
        return path.read_text("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(str(path), f"not UTF-8 text (byte {exc.start})") from None


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _interval(low: float, high: float) -> str:
    if math.isnan(low):
        return ""
    shown = [f"{x:.6g}" for x in (low, high)]
    return shown[0] if shown[0] == shown[1] else f"{shown[0]}..{shown[1]}"


def render(text: str, out_format: str, lang: str) -> str:
    """The relations of `text` as ``csv`` or ``table`` (labels and explanations in `lang`)."""
    from ziyang_lib.report.relations_text import CSV_COLUMNS, audit_text
    from ziyang_lib.report.text import t

    frame = audit_text(text, lang)
    if out_format == "csv":
        buffer = io.StringIO()
        frame[list(CSV_COLUMNS)].to_csv(buffer, index=False, lineterminator="\n")
        return buffer.getvalue()
    keys = ("kind", "verdict", "spans", "computed", "stated", "explanation")
    header = [t(f"relations.column.{k}", lang) for k in keys]
    rows = [
        [
            r.kind_label,
            r.verdict_label,
            r.spans,
            _interval(r.computed_low, r.computed_high),
            _interval(r.stated_low, r.stated_high),
            r.explanation,
        ]
        for r in frame.itertuples()
    ]
    widths = [max(_width(row[i]) for row in [header, *rows]) for i in range(len(keys) - 1)]
    lines = [
        "  ".join([*(_pad(c, w) for c, w in zip(row[:-1], widths, strict=True)), row[-1]])
        for row in [header, *rows]
    ]
    return "\n".join(lines) + "\n"
