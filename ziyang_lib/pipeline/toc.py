"""A page's table of contents: every h1–h3 inside ``<main>`` gets a unique id, and a linked list
of them opens ``<main>``.

The page is read once with the standard library's tokenizer (:class:`html.parser.HTMLParser`,
which knows where scripts and styles end) and edited in place: only the heading tags, their
anchor links and the new ``<nav>`` change, every other byte of the page stays as nbconvert
wrote it. (A parse into a tree and back, as BeautifulSoup does, costs several times more per
page and reformats the whole page.)
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import unquote

TOC_LEVELS: tuple[str, ...] = ("h1", "h2", "h3")
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
ANCHOR_LINK = "anchor-link"  # nbconvert's class for a heading's ¶ link


@dataclass
class _Tag:
    """A start tag of the page: where it is, its name and attributes."""

    start: int
    end: int
    name: str
    attrs: list[tuple[str, str | None]]

    def text(self, **changed: str) -> str:
        """The tag written again with the attributes in `changed` replaced (or added)."""
        attrs = [(k, changed.pop(k) if k in changed else v) for k, v in self.attrs]
        attrs += list(changed.items())
        written = "".join(
            f" {k}" if v is None else f' {k}="{html.escape(v, quote=True)}"' for k, v in attrs
        )
        return f"<{self.name}{written}>"


@dataclass
class _Heading:
    tag: _Tag
    text: list[str] = field(default_factory=list)
    links: list[_Tag] = field(default_factory=list)


class _Reader(HTMLParser):
    """Collects the ``<main>`` start tag and the headings inside it."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        # getpos() counts lines by "\n" alone
        self._line_starts = [0, *(m.end() for m in re.finditer("\n", page))]
        self.main: _Tag | None = None
        self.headings: list[_Heading] = []
        self._in_main = False
        self._open: _Heading | None = None
        self._in_link = False  # inside the open heading's anchor link

    def _tag(self, name: str, attrs: list[tuple[str, str | None]]) -> _Tag:
        line, column = self.getpos()
        start = self._line_starts[line - 1] + column
        return _Tag(start, start + len(self.get_starttag_text() or ""), name, attrs)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "main" and self.main is None:
            self.main, self._in_main = self._tag(tag, attrs), True
        elif self._in_main and tag in HEADINGS:
            self._close()  # a heading left unclosed ends where the next one starts, as in HTML
            if tag in TOC_LEVELS:
                self._open = _Heading(self._tag(tag, attrs))
        elif self._open is not None and tag == "a":
            if ANCHOR_LINK in (dict(attrs).get("class") or "").split():
                self._in_link = True
                self._open.links.append(self._tag(tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        if tag == "main":
            self._close()
            self._in_main = False
        elif self._open is not None and tag in HEADINGS:
            self._close()
        elif tag == "a":
            self._in_link = False

    def _close(self) -> None:
        if self._open is not None:
            self.headings.append(self._open)
        self._open, self._in_link = None, False

    def handle_data(self, data: str) -> None:
        if self._open is not None and not self._in_link:
            self._open.text.append(data)


def add_toc(page: str, label: str) -> str:
    """Give every heading in `page`'s ``<main>`` a unique id (kept when it already has one
    that is unique and has no space, else ``sec-N``), point its anchor link there, and put a
    ``<nav>`` titled `label` listing them at the top of ``<main>``."""
    reader = _Reader(page)
    reader.feed(page)
    reader.close()
    if reader.main is None or not reader.headings:
        return page
    edits: list[tuple[int, int, str]] = []
    entries, used = [], set()
    for n, heading in enumerate(reader.headings, start=1):
        anchor = unquote(dict(heading.tag.attrs).get("id") or "")
        if not anchor or anchor in used or any(ch.isspace() for ch in anchor):
            anchor = f"sec-{n}"
        used.add(anchor)
        edits.append((heading.tag.start, heading.tag.end, heading.tag.text(id=anchor)))
        for link in heading.links:
            edits.append((link.start, link.end, link.text(href=f"#{anchor}")))
        entries.append((heading.tag.name, anchor, " ".join("".join(heading.text).split())))
    items = "".join(
        f'<li class="zy-toc-{level}"><a href="#{html.escape(anchor, quote=True)}">'
        f"{html.escape(text)}</a></li>"
        for level, anchor, text in entries
    )
    title = html.escape(label)
    nav = (
        f'<nav class="zy-toc" aria-label="{html.escape(label, quote=True)}">'
        f'<details open=""><summary>{title}</summary><ol>{items}</ol></details></nav>'
    )
    edits.append((reader.main.end, reader.main.end, nav))
    pieces, at = [], 0
    for start, end, text in sorted(edits, key=lambda e: (e[0], e[1])):
        pieces += [page[at:start], text]
        at = end
    pieces.append(page[at:])
    return "".join(pieces)
