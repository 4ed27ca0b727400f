"""The "Read the source" page: the article paragraph by paragraph, every numeric mention marked.

``SourceArticle(lang, data_dir)`` cuts the cleaned source into its parts (`truth.source`) and
marks each row of ``mentions.csv`` exactly once (`truth.mentions.marked_paragraphs`): a
``<mark data-mention="START">`` holding the source's own words, followed by its note — how it
reads (formatted by `fmt` through the one resolver), the figure it feeds (its label) or why it
feeds none (catalogue ``mentions.excluded``), the audit's checks that read it (verdict words of
`report.findings`) and links to the charts that draw it (`report.source_links`). The note opens
on hover, tap or keyboard focus with CSS alone (``report.css``, block "Read the source"; it is
``hidden`` where that stylesheet is absent, as in JupyterLab, which shows the marks). In
English each paragraph is followed by this project's translation (catalogue
``source.translation.p<N>``), its numbers formatted from data through `prose.sentence_html`.

``article.show_part(part)`` displays one part (HTML with the provenance of every number it prints);
``mention_table(mentions, lang)`` is the page's data: one row per mention.
"""

from __future__ import annotations

import html
import os
from typing import Any

import pandas as pd

from ziyang_lib.report import provenance
from ziyang_lib.report.findings import verdict_label
from ziyang_lib.report.page import page_title
from ziyang_lib.report.prose import sentence_html
from ziyang_lib.report.source_links import ChartLink, Links
from ziyang_lib.report.text import catalogue, check_lang, t
from ziyang_lib.truth.checks import verdict_key
from ziyang_lib.truth.mentions import MarkedParagraph, Mention, marked_paragraphs

DataDir = str | os.PathLike[str] | None
SOURCE_LANG = "zh"  # the language the source is written in
Numbers = list[tuple[str, str]]


def _esc(text: Any) -> str:
    return html.escape(str(text), quote=False)


def _attr(text: Any) -> str:
    return html.escape(str(text), quote=True)


class Rendered:
    """HTML built piece by piece, with the provenance of every number it prints."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.numbers: Numbers = []

    def add(self, markup: str, numbers: Numbers = ()) -> None:
        self.parts.append(markup)
        self.numbers.extend(numbers)

    def html(self) -> str:
        return "".join(self.parts)


class _Display:
    """What JupyterLab, papermill and the HTML report show (``text/html`` with provenance)."""

    def __init__(self, markup: str, plain: str, numbers: Numbers, kind: str) -> None:
        self.markup, self.plain, self.numbers, self.kind = markup, plain, numbers, kind

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> tuple[dict, dict]:
        meta = {"ziyang": {"numbers": [list(pair) for pair in self.numbers], "source": self.kind}}
        return {"text/html": self.markup, "text/plain": self.plain}, meta


class SourceArticle:
    """The source article in `lang` with every mention marked (see the module docstring)."""

    def __init__(self, lang: str, data_dir: DataDir = None) -> None:
        self.lang = check_lang(lang)
        self.data_dir = str(data_dir) if data_dir else None
        self.paragraphs: list[MarkedParagraph] = marked_paragraphs(self.data_dir)
        self.parts: list[str] = list(dict.fromkeys(p.part for p in self.paragraphs))
        self.links = Links(self.data_dir)

    def __repr__(self) -> str:
        return f"SourceArticle(lang={self.lang!r}, parts={self.parts})"

    @property
    def mentions(self) -> list[Mention]:
        return [m for p in self.paragraphs for m in p.mentions]

    def part(self, part: str) -> _Display:
        """Part `part` of the article (a heading, then each paragraph and its translation)."""
        paragraphs = [p for p in self.paragraphs if p.part == part]
        if not paragraphs:
            raise KeyError(f"no part {part!r}; the source has {', '.join(self.parts)}")
        out = Rendered()
        out.add(f'<section class="zy-src" data-part="{_attr(part)}">')
        if not any(p.role == "heading" for p in paragraphs):
            title = t(f"parts.{part}.title", self.lang)
            out.add(f'<h2 class="zy-src-part" id="part-{_attr(part)}">{_esc(title)}</h2>')
        level = 2
        for p in paragraphs:
            if p.role == "heading":
                self._heading(out, p, level)
                level = 3
            else:
                self._paragraph(out, p)
        out.add("</section>")
        first, last = paragraphs[0].para, paragraphs[-1].para
        plain = f"{t(f'parts.{part}.title', self.lang)} ¶{first}–¶{last}"
        return _Display(out.html(), plain, out.numbers, "article")

    def legend(self) -> _Display:
        """How to read the marks (catalogue ``source.legend``)."""
        text = t("source.legend", self.lang)
        return _Display(f'<p class="zy-legend">{_esc(text)}</p>', text, [], "legend")

    def show_part(self, part: str) -> None:
        """Display part `part` (see `part`)."""
        from IPython.display import display

        display(self.part(part))

    # --- paragraphs ---------------------------------------------------------------------------

    def _heading(self, out: Rendered, p: MarkedParagraph, level: int) -> None:
        out.add(f'<h{level} class="zy-src-h" id="p{p.para}">')
        out.add(f'<span class="zy-src-orig" lang="{_attr(_html_lang(SOURCE_LANG))}">')
        self._pieces(out, p)
        out.add("</span>")
        self._translation(out, p, ' <span class="zy-tr-h" lang="{lang}">', "</span>")
        out.add(f"</h{level}>")

    def _paragraph(self, out: Rendered, p: MarkedParagraph) -> None:
        role = {"title": " zy-src-title", "furniture": " zy-src-furniture"}.get(p.role, "")
        lang = _attr(_html_lang(SOURCE_LANG))
        out.add(f'<p class="zy-src-p{role}" id="p{p.para}" data-para="{p.para}" lang="{lang}">')
        out.add(f'<span class="zy-src-n">¶{p.para}</span> ')
        self._pieces(out, p)
        out.add("</p>")
        label = _attr(t("source.note.translation", self.lang))
        self._translation(out, p, f'<p class="zy-tr" lang="{{lang}}" title="{label}">', "</p>")

    def _translation(self, out: Rendered, p: MarkedParagraph, opening: str, closing: str) -> None:
        """Paragraph `p` in the page's language (none on a page in the source's language),
        inside `opening` (its ``{lang}`` filled) and `closing`."""
        if self.lang == SOURCE_LANG:
            return
        prose = sentence_html(f"source.translation.p{p.para}", self.lang, self.data_dir)
        out.add(opening.format(lang=_attr(_html_lang(self.lang))))
        out.add(prose.markdown, prose.numbers)
        out.add(closing)

    def _pieces(self, out: Rendered, p: MarkedParagraph) -> None:
        for text, m in p.pieces:
            if m is None:
                out.add(_esc(text))
            else:
                self._mark(out, m)

    # --- a mention and its note ---------------------------------------------------------------

    def _mark(self, out: Rendered, m: Mention) -> None:
        state = "zy-fed" if m.mapped else "zy-excluded"
        note_id = f"zy-note-{m.start}"
        out.add(
            f'<mark class="zy-mention {state}" tabindex="0" data-mention="{m.start}" '
            f'aria-describedby="{note_id}">{_esc(m.words)}</mark>'
        )
        lang = _attr(_html_lang(self.lang))
        attrs = f'id="{note_id}" role="tooltip" tabindex="-1" lang="{lang}" hidden'
        out.add(f'<span class="zy-note" {attrs}>')
        self._note(out, m)
        out.add("</span>")

    def _note(self, out: Rendered, m: Mention) -> None:
        reading, numbers = self.reading(m)
        head = f'<b class="zy-note-value">{_esc(reading)}</b>'
        if m.mapped:
            label = self.label(m.indicator_id)
            head += _esc(t("source.note.figure", self.lang, label=label))
            out.add(f'<span class="zy-note-head">{head}</span>', numbers)
        else:
            kind = t(f"mentions.kind.{m.kind}", self.lang)
            head += _esc(t("source.note.excluded", self.lang, kind=kind))
            out.add(f'<span class="zy-note-head">{head}</span>', numbers)
            reason = self.reason(m)
            out.add(f'<span class="zy-note-reason">{reason.markdown}</span>', reason.numbers)
        self._checks(out, m)
        self._charts(out, m)

    def _checks(self, out: Rendered, m: Mention) -> None:
        uses = self.links.checks(m)
        if not uses:
            return
        out.add(f'<span class="zy-note-k">{_esc(t("source.note.checks", self.lang))}</span>')
        for use in uses:
            word = _esc(verdict_label(use.verdict, self.lang))
            verdict = (
                f'<span class="zy-verdict zy-verdict-{verdict_key(use.verdict)}">{word}</span>'
            )
            others = t("source.note.list_sep", self.lang).join(self.label(i) for i in use.others)
            said = t("source.note.checked_with", self.lang, others=others) if others else ""
            out.add(f'<span class="zy-note-check">{verdict} {_esc(said)}</span>')

    def _charts(self, out: Rendered, m: Mention) -> None:
        links = self.links.charts(m)
        if not links and not m.mapped:
            return
        out.add(f'<span class="zy-note-k">{_esc(t("source.note.charts", self.lang))}</span>')
        if not links:
            out.add(
                f'<span class="zy-note-none">{_esc(t("source.note.no_chart", self.lang))}</span>'
            )
        pages: dict[str, list[ChartLink]] = {}
        for link in links:
            pages.setdefault(link.stem, []).append(link)
        for stem, on_page in pages.items():
            out.add(f'<span class="zy-note-page">{_esc(page_title(stem, self.lang))}</span>')
            for link in on_page:
                label = _esc(link.chart_title(self.lang) or page_title(stem, self.lang))
                out.add(f'<a class="zy-note-chart" href="{_attr(link.href)}">{label}</a>')

    # --- words --------------------------------------------------------------------------------

    def reading(self, m: Mention) -> tuple[str, Numbers]:
        """How `m` reads in the page's language and its provenance: the figure it feeds, or the
        mention itself (``mention(<raw text>)``)."""
        source = m.indicator_id or m.source
        text = provenance.resolve(source, self.lang, self.data_dir)
        return text, [(text, source)]

    def reason(self, m: Mention) -> Any:
        """Why excluded mention `m` feeds no figure, in the page's language (HTML `Prose`)."""
        key = f"mentions.excluded.m{m.start}"
        if key not in catalogue():
            raise KeyError(
                f"mentions.csv row at raw {m.start} ({m.raw!r}) is excluded "
                f"({m.excluded_reason!r}) but the catalogue has no {key} to say why in zh and en"
            )
        return sentence_html(key, self.lang, self.data_dir)

    def label(self, indicator_id: str) -> str:
        """The label of figure `indicator_id` in the page's language."""
        from ziyang_lib.truth.provenance import figure

        return str(figure(indicator_id, self.data_dir).label(self.lang))


def _html_lang(lang: str) -> str:
    return t("page.html_lang", lang)


# --- the page's data: one row per mention ---------------------------------------------------------

TABLE_COLUMNS: tuple[str, ...] = ("paragraph", "words", "reading", "what", "charts")


def mention_table(article: SourceArticle, mentions: pd.DataFrame | None = None) -> _Display:
    """The mentions the article marks (those of `mentions`, a frame of `mention_rows` you may
    filter; all by default) as an HTML table in a collapsed block: each one's paragraph, its
    words in the source, how it reads, the figure it feeds or why none, and its charts."""
    lang = article.lang
    wanted = None if mentions is None else {int(s) for s in mentions["start"]}
    out = Rendered()
    summary = _esc(t("source.table.summary", lang))
    out.add(f'<details class="zy-mention-list"><summary>{summary}</summary>')
    names = {c: _attr(t(f"source.table.{c}", lang)) for c in TABLE_COLUMNS}
    head = "".join(f"<th>{names[c]}</th>" for c in TABLE_COLUMNS)
    out.add(f'<table class="zy-mentions"><thead><tr>{head}</tr></thead><tbody>')
    lines = []
    for m in article.mentions:
        if wanted is not None and m.start not in wanted:
            continue
        reading, numbers = article.reading(m)
        cell = {c: f'<td data-label="{names[c]}">' for c in TABLE_COLUMNS}
        out.add(f'<tr>{cell["paragraph"]}<a href="#p{m.paragraph}">¶{m.paragraph}</a></td>')
        out.add(f'{cell["words"]}<q data-span="{m.start}-{m.end}">{_esc(m.words)}</q></td>')
        out.add(f"{cell['reading']}{_esc(reading)}</td>", numbers)
        if m.mapped:
            out.add(f"{cell['what']}{_esc(article.label(m.indicator_id))}</td>")
        else:
            reason = article.reason(m)
            out.add(f"{cell['what']}{reason.markdown}</td>", reason.numbers)
        links = article.links.charts(m)
        cells = "<br>".join(
            f'<a href="{_attr(link.href)}">{_esc(link.label(lang))}</a>' for link in links
        )
        out.add(f"{cell['charts']}{cells}</td></tr>")
        lines.append(f"¶{m.paragraph}: {reading}")
    out.add("</tbody></table></details>")
    return _Display(out.html(), "\n".join(lines), out.numbers, "mentions")


def mention_rows(article: SourceArticle) -> pd.DataFrame:
    """The mentions as a frame (raw span, words, reading in the page's language, figure or
    reason key, charts) for a cell to filter."""
    rows = []
    for m in article.mentions:
        reading, _ = article.reading(m)
        rows.append(
            {
                "start": m.start,
                "end": m.end,
                "paragraph": m.paragraph,
                "words": m.words,
                "reading": reading,
                "indicator_id": m.indicator_id,
                "excluded_reason": m.excluded_reason,
                "charts": [link.href for link in article.links.charts(m)],
            }
        )
    return pd.DataFrame(rows)
