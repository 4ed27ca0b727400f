"""How a chart leaves the kernel: ``show(fig, chart_id=...)`` is the report's explicit renderer.

Each call publishes one display bundle (`ziyang_lib.report.page.Page.show` adds what a
registered chart cites and prints its source note under it):

- ``application/vnd.plotly.v1+json``: the figure, drawn live by JupyterLab's plotly extension
  and turned into an offline chart by ``ziyang_lib.html_export``, WITHOUT the in-figure source
  note of ``theme.finish`` (the notebook prints the note right under the chart; static exports
  through ``ziyang_lib.figures`` keep it);
- ``text/html``: a short escaped note (chart title + where to see it interactive), so plain
  ``jupyter nbconvert`` shows a note instead of a blank box;
- ``text/plain``: the same note as text;

plus output metadata ``{"ziyang": {"chart_id": ..., "draws": [...], "title_key": ...,
"caption": ...}}`` (what the chart cites and where its title is, for the page around it).

``plotly.io.renderers`` is never touched: its first use imports nbformat (about 1.3 s per kernel
here), so there is no ``use_report_renderer()``; call ``show()`` instead of ``fig.show()``.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

PLOTLY_MIMETYPE = "application/vnd.plotly.v1+json"
METADATA_KEY = "ziyang"
_TAG = re.compile(r"</?[A-Za-z][^>]*>")


def chart_anchor(chart_id: str) -> str:
    """The id of chart `chart_id`'s ``<figure>`` on its page (``page.html#chart-<id>`` links to
    it; `ziyang_lib.pipeline.html_export` gives it)."""
    return f"chart-{chart_id}"


def figure_json(fig: Any) -> dict[str, Any]:
    """Return the figure (a plotly Figure or dict) as a JSON-compatible dict."""
    from plotly.io import to_json

    return json.loads(to_json(fig, validate=False, remove_uids=False))


def chart_title(figure: dict[str, Any]) -> str:
    """Return the figure's title as plain text (plotly's inline tags removed), or ''."""
    title = figure.get("layout", {}).get("title", "")
    text = title.get("text", "") if isinstance(title, dict) else str(title)
    return " ".join(html.unescape(_TAG.sub(" ", text or "")).split())


def fallback_note(title: str, lang: str | None) -> str:
    """Return the plain-text note shown where the interactive chart cannot be drawn.

    `lang` None gives the note in both languages (the kernel does not know the page language).
    """
    from ziyang_lib.report.text import LANGS, t

    langs = LANGS if lang is None else (lang,)
    note = " / ".join(t("page.chart_fallback", code) for code in langs)
    return f"{title} — {note}" if title else note


def chart_bundle(
    fig: Any, *, chart_id: str, caption: str | None = None, lang: str | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return the ``(data, metadata)`` display bundle that `show` publishes (the figure without
    its in-figure source note, see `ziyang_lib.report.theme.without_footnote`)."""
    from ziyang_lib.report.theme import without_footnote

    if not chart_id or not isinstance(chart_id, str):
        raise ValueError("show() needs a non-empty chart_id string")
    figure = without_footnote(figure_json(fig))
    note = fallback_note(chart_title(figure), lang)
    parts = [f'<p class="ziyang-chart-fallback">{html.escape(note)}</p>']
    if caption:
        parts.append(f'<p class="ziyang-chart-caption">{html.escape(caption)}</p>')
    data = {
        PLOTLY_MIMETYPE: figure,
        "text/html": "\n".join(parts),
        "text/plain": note,
    }
    meta: dict[str, Any] = {"chart_id": chart_id}
    if caption:
        meta["caption"] = caption
    return data, {METADATA_KEY: meta}


def show(
    fig: Any,
    *,
    chart_id: str,
    caption: str | None = None,
    lang: str | None = None,
    meta: dict[str, Any] | None = None,
) -> None:
    """Display `fig` as one bundle (plotly JSON + static HTML note) tagged with `chart_id`.

    The figure is shown without its in-figure source note: print the note under it (a page's
    registered charts do both through `ziyang_lib.report.page.Page.show`). `caption` (plain
    text) is drawn under the chart in the HTML report; `lang` picks the language of the static
    note (both languages when None); `meta` adds to the output's ``ziyang`` metadata.
    """
    from IPython.display import publish_display_data

    data, metadata = chart_bundle(fig, chart_id=chart_id, caption=caption, lang=lang)
    metadata[METADATA_KEY].update(meta or {})
    publish_display_data(data=data, metadata=metadata)


def show_block(
    block: Any, *, chart_id: str | None = None, meta: dict[str, Any] | None = None
) -> None:
    """Publish a block of page text (an object with ``_repr_mimebundle_``: a table, key numbers,
    "About this data") with its own metadata, plus ``chart_id`` and `meta` when it stands for a
    registered chart (the page then gives it the chart's anchor)."""
    from IPython.display import publish_display_data

    data, metadata = block._repr_mimebundle_()
    ours = dict(metadata.get(METADATA_KEY) or {})
    if chart_id:
        ours["chart_id"] = chart_id
    ours.update(meta or {})
    publish_display_data(data=data, metadata={**metadata, METADATA_KEY: ours})
