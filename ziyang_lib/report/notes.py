"""Source notes: what a chart or a table cites, in words, from the references it declares.

`note_text(refs, lang)` is the plain one-line note drawn under a static chart; `note(refs, lang)`
the markdown note a page prints under a chart. Both name the source document's paragraphs for
what it states (¶3, ¶10–¶12) and, for context figures (``data/context.csv``), each producer with
the original publications and their dates (`ziyang_lib.report.citation`), marking figures that
rest on a single source or are known only from reposts. The page's note links the copy on the
producer's own site and lists the repost pages only inside a closed ``<details>`` block.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from ziyang_lib.report.citation import citation, producer_link, retrieved_from
from ziyang_lib.report.prose import Prose, escape
from ziyang_lib.report.text import t
from ziyang_lib.truth.context import ContextFigure
from ziyang_lib.truth.provenance import figure, ids_in, paragraphs

DataDir = str | os.PathLike[str] | None
MAX_PUBLICATIONS = 3  # publications named per producer in a static chart's one-line note


def _runs(paras: list[int]) -> list[str]:
    """Paragraph references with consecutive runs joined: [6, 10, 11, 12] → ¶6, ¶10–¶12."""
    runs: list[list[int]] = []
    for p in paras:
        if runs and p == runs[-1][-1] + 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    refs: list[str] = []
    for run in runs:
        refs += [f"¶{p}" for p in run] if len(run) < 3 else [f"¶{run[0]}–¶{run[-1]}"]
    return refs


def paragraphs_text(refs: Iterable[str | int], lang: str, data_dir: DataDir = None) -> str:
    """ "Source: <the document>, ¶3, ¶9" for what `refs` cite in the source document."""
    paras = paragraphs(refs, data_dir)
    source = t("common.source_short", lang)
    if not paras:
        return t("ui.narrative.source_only", lang, source=source)
    joined = t("ui.narrative.paragraph_sep", lang).join(_runs(paras))
    return t("ui.narrative.source", lang, source=source, paragraphs=joined)


def _split(refs: Iterable[str | int], data_dir: DataDir) -> tuple[list[ContextFigure], list]:
    """The context figures among `refs`, and every other reference (in the source document)."""
    context: dict[str, ContextFigure] = {}
    other: list[str | int] = []
    for ref in dict.fromkeys(refs):
        figs = [] if isinstance(ref, int) else [figure(i, data_dir) for i in ids_in(ref)]
        ctx = [f for f in figs if isinstance(f, ContextFigure)]
        context.update((f.context_id, f) for f in ctx)
        if not ctx or len(ctx) < len(figs):
            other.append(ref)
    return list(context.values()), other


def _producers(ctx: list[ContextFigure], lang: str) -> list[str]:
    by_producer: dict[str, list[ContextFigure]] = {}
    for f in ctx:
        by_producer.setdefault(f.producer_in(lang), []).append(f)
    parts = []
    for producer, group in by_producer.items():
        cited = list(dict.fromkeys(citation(f, lang, titled=False) for f in group))
        shown = t("context.source.join", lang).join(cited[:MAX_PUBLICATIONS])
        if len(cited) > MAX_PUBLICATIONS:
            shown = t("context.source.more", lang, names=shown, n=len(cited) - MAX_PUBLICATIONS)
        parts.append(t("context.source.producer", lang, producer=producer, publications=shown))
    return parts


def note_text(refs: Iterable[str | int], lang: str, data_dir: DataDir = None) -> str:
    """The one-line note of a static chart: context producers with their publications and dates
    (reposts-only marked), single-sourced figures named, then the source document's paragraphs."""
    ctx, other = _split(refs, data_dir)
    if not ctx:
        return paragraphs_text(other, lang, data_dir)
    sep = t("context.source.sep", lang)
    parts = _producers(ctx, lang)
    single: dict[str, list[str]] = {}
    for f in ctx:
        if f.single_sourced:
            single.setdefault(f.label(lang), []).append(f.period_in(lang))
    if single:
        items = [
            t("context.source.single_item", lang, label=label, period=sep.join(periods))
            for label, periods in single.items()
        ]
        parts.append(t("context.source.single", lang, names=sep.join(items)))
    if other:
        parts.append(paragraphs_text(other, lang, data_dir))
    return t("context.source.join", lang).join(parts)


def _mark(fig: ContextFigure, lang: str) -> str:
    mark = t("context.single_source_mark", lang) if fig.single_sourced else ""
    return mark + (t(f"context.kind_mark.{fig.kind}", lang) if fig.kind != "stated" else "")


def _context_line(label: str, producer: str, figs: list[ContextFigure], lang: str) -> str:
    """One label's line: its periods grouped by citation, each with the producer's-site link."""
    cited: dict[tuple[str, str, str], list[str]] = {}
    for fig in figs:
        key = (escape(citation(fig, lang)), producer_link(fig), escape(_mark(fig, lang)))
        cited.setdefault(key, []).append(escape(fig.period_in(lang)))
    sep = t("context.source.sep", lang)
    items = [
        t("context.source.item", lang, periods=sep.join(periods), mark=mark,
          citation=f"{text} {link}".rstrip())
        for (text, link, mark), periods in cited.items()
    ]  # fmt: skip
    return t(
        "context.source.line",
        lang,
        label=escape(label),
        producer=escape(producer),
        items=t("context.source.join", lang).join(items),
    )


def note(refs: Iterable[str | int], lang: str, data_dir: DataDir = None) -> Prose:
    """The note a page prints under a chart (small print): per context figure its periods with
    their citations and producer's-site links, then the source document's paragraphs; below, the
    repost pages in a closed ``<details>`` block."""
    ctx, other = _split(refs, data_dir)
    groups: dict[tuple[str, str], list[ContextFigure]] = {}
    for fig in ctx:
        groups.setdefault((fig.label(lang), fig.producer_in(lang)), []).append(fig)
    lines = [_context_line(label, prod, figs, lang) for (label, prod), figs in groups.items()]
    if other or not lines:
        lines.append(escape(paragraphs_text(other, lang, data_dir)))
    body = "<br>\n".join(lines)
    reposts = retrieved_from(ctx, lang)
    return Prose(f"<small>{body}</small>" + (f"\n\n{reposts}\n" if reposts else ""), [])
