"""How a context figure is cited: its original publication first, reposts only collapsed.

`citation(fig, lang)` is the words: the original publication, its title where known and its date
(n.d. when unknown), and "known only from reposts" where no copy on the producer's own site was
found. `producer_link(fig)` is the markdown link to that copy, if there is one. `retrieved_from`
is the closed ``<details>`` block a page prints under a note, listing the repost pages each
figure was read on, so a repost is never the citation. Every word comes from the catalogue.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from urllib.parse import urlparse

from ziyang_lib.report.prose import escape
from ziyang_lib.report.provenance import date_text
from ziyang_lib.report.text import t
from ziyang_lib.truth.context import ContextFigure

RETRIEVED_CLASS = "zy-retrieved"  # class of the <details> block of repost links


def host(url: str) -> str:
    """The site of `url` as a reader names it (``www.`` and ``m.`` dropped)."""
    name = urlparse(url).hostname or url
    return name.removeprefix("www.").removeprefix("m.")


def cite(
    lang: str, *, publication: str, title: str, date: str, reposts_only: bool, titled: bool = True
) -> str:
    """Plain text: publication, “title” where known (unless not `titled`: a chart's one-line
    note), the date or n.d.; then the reposts-only mark where it applies."""
    values = {"publication": publication, "date": date_text(date, lang)}
    if title and titled:
        text = t("context.cite.with_title", lang, title=title, **values)
    else:
        text = t("context.cite.without_title", lang, **values)
    return text + (t("context.cite.reposts_only", lang) if reposts_only else "")


def citation(fig: ContextFigure, lang: str, *, titled: bool = True) -> str:
    """`cite` for a context figure."""
    return cite(
        lang,
        publication=fig.publication_in(lang),
        title=fig.title,
        date=fig.source_date,
        reposts_only=fig.reposts_only,
        titled=titled,
    )


def producer_link(fig: ContextFigure) -> str:
    """Markdown link to the copy on the producer's own site; '' when none was found."""
    return f"[{escape(host(fig.url))}]({fig.url})" if fig.url else ""


def retrieved_from(figs: Iterable[ContextFigure], lang: str) -> str:
    """HTML: a closed ``<details>`` listing, per figure label, the repost pages its figures were
    retrieved from; '' when none was. One block of raw HTML (markdown leaves it as it is)."""
    groups: dict[str, tuple[list[str], list[str]]] = {}
    for fig in figs:
        if fig.repost_urls:
            periods, urls = groups.setdefault(fig.label(lang), ([], []))
            periods.append(fig.period_in(lang))
            urls.extend(u for u in fig.repost_urls if u not in urls)
    sep = t("context.source.sep", lang)
    items = [
        t(
            "context.cite.retrieved.item",
            lang,
            label=html.escape(label),
            periods=html.escape(sep.join(periods)),
            links=_anchors(urls),
        )
        for label, (periods, urls) in groups.items()
    ]
    return retrieved_details(items, lang)


def retrieved_details(items: list[str], lang: str) -> str:
    """The closed ``<details>`` block around `items` (HTML lines); '' when there are none."""
    if not items:
        return ""
    summary = html.escape(t("context.cite.retrieved.summary", lang))
    return (
        f'<details class="{RETRIEVED_CLASS}"><summary><small>{summary}</small></summary>'
        f"<small>{'<br>'.join(items)}</small></details>"
    )


def _anchors(urls: Iterable[str]) -> str:
    """HTML links to `urls`, each named by its site."""
    return " · ".join(
        f'<a href="{html.escape(u, quote=True)}">{html.escape(host(u))}</a>' for u in urls
    )


def repost_links(urls: Iterable[str], lang: str) -> str:
    """The closed ``<details>`` block of one figure's repost pages ('' when it has none)."""
    urls = list(urls)
    return retrieved_details([_anchors(urls)] if urls else [], lang)
