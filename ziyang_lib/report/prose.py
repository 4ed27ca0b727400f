"""Prose built from data: `sentence(key, lang)` is the one sentence function.

A catalogue sentence is a template beside its slots (``{zh:, en:, slots: {field: source}}``,
see `ziyang_lib.report.text`). `sentence` fills each field the template of `lang` uses: from a
value the caller passes (a `Derived` figure the notebook computed, or a record), else from the
slot's provenance source; a field ``x_n`` is the unitless count of ``x``. A context figure the
source has from one producer only gets the single-source mark where it first appears. The
result is a `Prose`: markdown plus the provenance of each number, ``[(text, source), …]``;
`sentence_html` is the same sentence as HTML text, for a page that writes its own markup.
"""

from __future__ import annotations

import html
import re
import string
from dataclasses import dataclass, field
from typing import Any

from ziyang_lib.report import provenance
from ziyang_lib.report.text import check_lang, slots, t
from ziyang_lib.truth.metrics import Derived, count

MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


@dataclass(frozen=True)
class Prose:
    """Markdown text plus the provenance of each number in it: ``[(text, source), ...]``."""

    markdown: str
    numbers: list[tuple[str, str]] = field(default_factory=list)

    def _repr_markdown_(self) -> str:
        return self.markdown

    def __add__(self, other: Prose) -> Prose:
        sep = "" if not self.markdown or not other.markdown else " "
        return Prose(self.markdown + sep + other.markdown, self.numbers + other.numbers)


def escape(text: Any) -> str:
    """Make data-derived text inert inside a markdown sentence: one line, markdown syntax
    backslash-escaped, HTML escaped (``<img …>`` shows as text)."""
    one_line = re.sub(r"\s*[\r\n]+\s*", " ", str(text))
    return html.escape(MD_SPECIAL.sub(r"\\\1", one_line), quote=False)


def display(prose: Prose, *, note_of: str | None = None) -> None:
    """Publish `prose` as ``text/markdown`` with metadata ``{"ziyang": {"numbers": [...]}}``
    (and ``"note_of": chart id`` for the source note under a chart)."""
    from IPython.display import publish_display_data

    meta: dict[str, Any] = {"numbers": [list(pair) for pair in prose.numbers]}
    if note_of:
        meta["note_of"] = note_of
    publish_display_data(
        {"text/markdown": prose.markdown, "text/plain": prose.markdown}, metadata={"ziyang": meta}
    )


def heading(text: str, level: int = 2) -> Prose:
    """A markdown heading of catalogue text (no numbers)."""
    return Prose(f"{'#' * level} {escape(text)}", [])


def fields(template: str) -> list[str]:
    """The ``{fields}`` of a template, in order, each once."""
    return list(dict.fromkeys(name for _, name, _, _ in string.Formatter().parse(template) if name))


def _single_url(value: Any) -> str | None:
    """The one page a single-sourced context figure rests on (None for any other value)."""
    from ziyang_lib.truth.context import ContextFigure

    return value.urls[0] if isinstance(value, ContextFigure) and value.single_sourced else None


def sentence(key: str, lang: str, data_dir: Any = None, /, **values: Any) -> Prose:
    """The catalogue sentence `key` in `lang`, every number formatted from data with its source.

    `values` give fields directly (a `Derived` the notebook computed, a record); the other
    fields come from the entry's slots. A field the template uses that neither gives is an
    error naming it.
    """
    return _sentence(key, lang, data_dir, values, escape, lambda template: template)


def sentence_html(key: str, lang: str, data_dir: Any = None, /, **values: Any) -> Prose:
    """`sentence` as HTML text (template and values HTML-escaped) for a page's own markup;
    the `Prose` holds that HTML and the same provenance."""
    return _sentence(key, lang, data_dir, values, _html_text, _html_text)


def _html_text(text: Any) -> str:
    return html.escape(str(text), quote=False)


def _sentence(
    key: str, lang: str, data_dir: Any, values: dict[str, Any], esc: Any, esc_template: Any
) -> Prose:
    check_lang(lang)
    template, known = t(key, lang), slots(key)
    numbers: list[tuple[str, str]] = []
    texts: dict[str, str] = {}
    marked: set[str] = set()
    for name in fields(template):
        base, unitless = (name[:-2], True) if name.endswith("_n") else (name, False)
        if name in values or name in known:
            base, unitless = name, False
        if base in values:
            value = values[base]
        elif base in known:
            value = provenance.derive(known[base], data_dir)
        else:
            raise KeyError(f"{key} uses {{{name}}}: give it, or add a slot for {base!r}")
        source = known.get(base) if base not in values else provenance.source_of(value)
        if unitless:
            value, source = count(value), f"count({source})"
        shown = provenance.text(value, lang)
        numbers.append((shown, source))
        texts[name] = esc(shown)
        url = _single_url(value)
        if url and url not in marked:
            marked.add(url)
            texts[name] += esc(t("context.single_source_mark", lang))
    shown_template = esc_template(template)
    return Prose(shown_template.format(**texts) if texts else shown_template, numbers)


def glossary_entry(row: dict[str, Any], lang: str) -> Prose:
    """One glossary term and its explanation in `lang`, escaped (data-derived text)."""
    check_lang(lang)
    text = t(
        "ui.narrative.glossary_entry",
        lang,
        term=escape(row["term"]),
        term_en=escape(row.get("term_en", "")),
        text=escape(row.get(f"explanation_{lang}", "")),
    )
    numbers = [(row["term"], f"term({row['term']})")] if re.search(r"\d", row["term"]) else []
    return Prose(text, numbers)


__all__ = [
    "Derived",
    "Prose",
    "display",
    "escape",
    "fields",
    "heading",
    "sentence",
    "sentence_html",
]
