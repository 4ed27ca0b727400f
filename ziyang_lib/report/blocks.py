"""Blocks of page text that stand where a chart would: tables, key numbers, lists.

A figure that has nothing to be compared with is a number to read, not a bar to measure: a
`key_numbers` block sets each one large with its label. What the text names without counting
is a `listing`. Each block is a `Block`: HTML with the chart's title and subtitle above it, the
provenance of every number it shows (``[[text, source], …]`` in the output metadata, as prose
has), and a plain-text form. `ziyang_lib.report.page.Page.show` publishes a registered block
(``@chart(…, kind="block")``) with its source note and "About this data".
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ziyang_lib.report.wrap import html_text


@dataclass
class Block:
    """Page text with the provenance of its numbers (``numbers``: ``[[text, source], …]``)."""

    html: str
    text: str
    numbers: list[list[str]] = field(default_factory=list)
    kind: str = "block"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> tuple[dict, dict]:
        data = {"text/html": self.html, "text/plain": self.text}
        return data, {"ziyang": {"numbers": self.numbers, "block": self.kind}}


def head_html(title: str, subtitle: str = "", *, numbers_inside: bool = True) -> str:
    """A chart's title and subtitle as page text (the browser wraps them). With
    `numbers_inside`, each number stays on one line with its unit (`html_text`); a block whose
    numbers a checker reads verbatim passes False (plain escaped text)."""
    if not title and not subtitle:
        return ""
    text = html_text if numbers_inside else (lambda x: html.escape(x, quote=False))
    parts = ['<div class="zy-chart-head">']
    if title:
        parts.append(f'<p class="zy-chart-title">{text(title)}</p>')
    if subtitle:
        parts.append(f'<p class="zy-chart-subtitle">{text(subtitle)}</p>')
    return "".join(parts) + "</div>"


@dataclass(frozen=True)
class Key:
    """One key number: the value as shown, what it is, and its provenance source."""

    value: str
    label: str
    source: str
    detail: str = ""


def key_numbers(keys: Sequence[Key], title: str, subtitle: str = "", *, note: str = "") -> Block:
    """Figures to read one by one (different units, nothing to compare): large value, label;
    `note` is a line under them (what the text says without a figure)."""
    items = "".join(
        f'<li class="zy-key"><span class="zy-key-value">{html.escape(k.value)}</span>'
        f'<span class="zy-key-label">{html.escape(k.label)}</span>'
        + (f'<span class="zy-key-label">{html.escape(k.detail)}</span>' if k.detail else "")
        + "</li>"
        for k in keys
    )
    page = head_html(title, subtitle, numbers_inside=False) + f'<ul class="zy-keys">{items}</ul>'
    if note:
        page += f'<p class="zy-list-note">{html.escape(note)}</p>'
    text = "\n".join([title, *(f"{k.value} — {k.label}" for k in keys), note])
    return Block(page, text, [[k.value, k.source] for k in keys], "key_numbers")


def listing(
    groups: Sequence[tuple[str, Sequence[str]]],
    title: str,
    subtitle: str = "",
    *,
    note: str = "",
    numbers: Sequence[Sequence[str]] = (),
) -> Block:
    """Named things as lists, under a heading per group (an empty group heading: one list)."""
    parts = [head_html(title, subtitle, numbers_inside=False)]
    for heading, items in groups:
        if heading:
            parts.append(f'<p class="zy-about-part">{html.escape(heading)}</p>')
        parts.append(
            '<ul class="zy-list">' + "".join(f"<li>{html.escape(x)}</li>" for x in items) + "</ul>"
        )
    if note:
        parts.append(f'<p class="zy-list-note">{html.escape(note)}</p>')
    text = "\n".join([title, *(x for _, items in groups for x in items), note])
    return Block("".join(parts), text, [list(n) for n in numbers], "list")
