"""Executed notebook → one offline HTML page (nbconvert, template ``pipeline/templates/ziyang``).

What the page guarantees:

- every plotly output (``show()`` bundle or any ``application/vnd.plotly.v1+json``) becomes a
  ``<figure>`` drawn by ``Plotly.newPlot``, responsive, with the vendored plotly.js bundle
  (`ziyang_lib.pipeline.bundle`: only the trace types the charts use) inlined once per page
  (``plotlyjs="inline"``) or loaded from a shared file (``plotlyjs="directory"``); never a CDN;
- a chart that cannot be drawn (plotly.js blocked, missing or failing) shows its title and a
  note in the page's language instead of a blank box;
- widget outputs become a static note and the widget state is dropped;
- nothing is fetched from the network: the template loads no require.js, MathJax, mermaid,
  widget manager or web font, and a Content-Security-Policy allows only this page's own scripts
  (so a stray ``<script>`` or ``onerror=`` in an output cannot run);
- cells tagged ``report-hide`` (`ziyang_lib.report.page.REPORT_HIDE_TAG`: the notebook's
  bilingual how-to-run intro) are left out, so the page starts with the notebook's heading in
  `lang`;
- inputs and prompts are hidden; a table of contents is built from the headings;
- problems are returned in ``ExportResult.warnings`` (the build fails on any), among them a chart
  whose trace type the vendored plotly.js lacks (it would stay undrawn).
"""

from __future__ import annotations

import base64
import copy
import hashlib
import html
import re
import secrets
import stat
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ziyang_lib.files import write_atomic
from ziyang_lib.pipeline.bundle import bundle_info, bundle_source
from ziyang_lib.pipeline.chart_html import chart_html, runner_js
from ziyang_lib.pipeline.lean_imports import skip_unused
from ziyang_lib.pipeline.toc import add_toc
from ziyang_lib.report.charts.display import METADATA_KEY, PLOTLY_MIMETYPE, chart_anchor
from ziyang_lib.report.html_table import TABLE_WRAP
from ziyang_lib.report.page import REPORT_HIDE_TAG
from ziyang_lib.report.text import LANGS, check_lang, t

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "ziyang"
PLOTLYJS_NAME = "plotly.min.js"
WIDGET_VIEW_MIMETYPE = "application/vnd.jupyter.widget-view+json"
PLOTLYJS_PLACEHOLDER = "<!--ziyang:plotlyjs-->"
LINK_KEYS: tuple[str, ...] = ("index", "prev", "next", "other_lang")
_HANDLER = re.compile(r"<[a-zA-Z][^>]*\son[a-zA-Z]+\s*=", re.DOTALL)
_UNSAFE_ID = re.compile(r"[^A-Za-z0-9_-]+")
READABLE = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH  # a web server's user must read the files
_EXPORTERS = threading.local()  # nbconvert exporters are not safe to share between threads


@dataclass
class ExportResult:
    """One exported page: the HTML text, how many charts it draws, and what went wrong."""

    html: str
    n_charts: int
    warnings: list[str] = field(default_factory=list)


def plotlyjs_source() -> str:
    """Return the report's plotly.min.js (the vendored bundle, see `ziyang_lib.pipeline.bundle`)."""
    return bundle_source()


@lru_cache(maxsize=4)
def _sha256_source(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def write_plotlyjs(directory: Path) -> Path:
    """Write plotly.min.js into `directory` (atomically, readable like the pages); return it."""
    target = Path(directory) / PLOTLYJS_NAME
    data = plotlyjs_source().encode("utf-8")
    if target.is_file() and target.stat().st_mode & READABLE == READABLE:
        if target.stat().st_size == len(data) and target.read_bytes() == data:
            return target
    write_atomic(target, data)
    return target


def _chart_id(metadata: dict[str, Any], n: int, used: set[str]) -> str:
    """Return a unique, id-safe chart id from the output metadata (or ``chart-N``)."""
    wanted = str((metadata.get(METADATA_KEY) or {}).get("chart_id") or f"{n}")
    base = _UNSAFE_ID.sub("-", wanted).strip("-") or f"{n}"
    chart_id, k = base, 2
    while chart_id in used:
        chart_id, k = f"{base}-{k}", k + 1
    used.add(chart_id)
    return chart_id


def _where(index: int, cell: Any) -> str:
    cell_id = cell.get("id")
    return f"cell {index}" + (f" (id {cell_id})" if cell_id else "")


def _check_output(data: dict[str, Any], where: str, priority: list[str]) -> list[str]:
    """Return warnings for an output nbconvert cannot show or whose script the page blocks."""
    if not any(mime in data for mime in priority):
        return [f"{where}: output with mimetype(s) {sorted(data)} is not able to be represented"]
    found = []
    if "application/javascript" in data:
        found.append(f"{where}: application/javascript output is blocked in the report page")
    for mime in ("text/html", "text/markdown"):
        text = data.get(mime)
        text = "".join(text) if isinstance(text, list) else text
        if not isinstance(text, str):
            continue
        if "<script" in text.lower():
            found.append(f"{where}: {mime} output contains a <script>, blocked in the report page")
        if _HANDLER.search(text):
            found.append(f"{where}: {mime} output has an inline on…= handler, blocked in the page")
    return found


def _check_traces(figure: dict[str, Any], where: str, chart_id: str) -> list[str]:
    """Return a warning if the figure draws a trace type the vendored plotly.js lacks."""
    drawn = {str(trace.get("type") or "scatter") for trace in figure.get("data") or []}
    missing = sorted(drawn - set(bundle_info().traces))
    if not missing:
        return []
    return [
        f"{where}: chart {chart_id!r} draws trace type(s) {', '.join(missing)}, which the "
        "report's plotly.js lacks (add the chart to the registry and run `make plotlyjs`)"
    ]


def is_hidden(cell: Any) -> bool:
    """Whether `cell` is tagged `REPORT_HIDE_TAG` (kept for notebook users, not in the page)."""
    return REPORT_HIDE_TAG in (cell.get("metadata", {}).get("tags") or [])


def offline_view(metadata: dict[str, Any]) -> dict[str, Any] | None:
    """What an explorer's output offers the page instead of its live controls: ``{"chart_id",
    "figure", "after"}`` (``ziyang.offline`` in the output metadata), or None."""
    offline = (metadata.get(METADATA_KEY) or {}).get("offline")
    return offline if isinstance(offline, dict) and offline.get("figure") else None


def _without_dead_widgets(cells: list[tuple[int, Any]]) -> list[tuple[int, Any]]:
    """The cells, less those holding a widget with no offline view: a live explorer needs a
    kernel, so the page leaves its section out (its heading, shown by the same cell, too)."""

    def dead(output: Any) -> bool:
        data = output.get("data", {})
        return WIDGET_VIEW_MIMETYPE in data and offline_view(output.get("metadata", {})) is None

    return [(i, c) for i, c in cells if not any(dead(o) for o in c.get("outputs", []))]


def _block_html(text: Any, chart_id: str) -> str:
    """A registered block of page text (a table, key numbers, a list) with its chart anchor."""
    body = "".join(text) if isinstance(text, list) else str(text)
    anchor = html.escape(chart_id, quote=True)
    return f'<section class="zy-block" id="{chart_anchor(anchor)}">{body}</section>'


def prepare_notebook(nb: Any, lang: str, priority: list[str]) -> tuple[Any, int, list[str]]:
    """Return a copy of `nb` with charts and explorers replaced by static HTML, the chart count
    and warnings. The widget state is dropped from the notebook metadata; cells tagged
    `REPORT_HIDE_TAG` are dropped, and so are cells whose explorer has no offline view."""
    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)
    n_charts, used, warnings = 0, set(), []
    kept = [(i, cell) for i, cell in enumerate(nb.cells) if not is_hidden(cell)]
    kept = _without_dead_widgets(kept)
    nb.cells = [cell for _, cell in kept]
    for index, cell in kept:
        for output in cell.get("outputs", []):
            if output.get("output_type") not in ("display_data", "execute_result"):
                continue
            data, metadata = output.get("data", {}), output.get("metadata", {})
            ours = metadata.get(METADATA_KEY) or {}
            if PLOTLY_MIMETYPE in data or WIDGET_VIEW_MIMETYPE in data:
                offline = offline_view(metadata) if WIDGET_VIEW_MIMETYPE in data else None
                figure = offline["figure"] if offline else data[PLOTLY_MIMETYPE]
                n_charts += 1
                chart_id = _chart_id(
                    {METADATA_KEY: offline} if offline else metadata, n_charts, used
                )
                warnings += _check_traces(figure, _where(index, cell), chart_id)
                page = chart_html(figure, chart_id, ours.get("caption"), lang)
                output["data"] = {"text/html": page + (offline or {}).get("after", "")}
            elif ours.get("chart_id") and "text/html" in data:
                chart_id = _chart_id(metadata, 0, used)
                output["data"] = {"text/html": _block_html(data["text/html"], chart_id)}
            else:
                warnings += _check_output(data, _where(index, cell), priority)
    return nb, n_charts, warnings


def links_html(links: dict[str, str] | None, lang: str) -> str:
    """Return the header bar of navigation links (labels from the catalogue), or ''."""
    if not links:
        return ""
    unknown = sorted(set(links) - set(LINK_KEYS))
    if unknown:
        raise ValueError(f"unknown link key(s) {unknown}; expected some of {list(LINK_KEYS)}")
    items = [_link(key, links[key], lang) for key in LINK_KEYS if key in links]
    label = html.escape(t("page.links_label", lang), quote=True)
    return f'<nav class="zy-links" aria-label="{label}">' + "".join(items) + "</nav>"


def _link(key: str, href: str, lang: str) -> str:
    """Return one ``<a>`` of the links bar; `href` must be relative (the report is offline)."""
    if urlsplit(href).scheme or href.startswith("//"):
        raise ValueError(f"link {key!r} must be a relative path, got {href!r}")
    attrs = f'class="zy-link-{key}" href="{html.escape(href, quote=True)}"'
    if key == "other_lang":
        other = next(code for code in LANGS if code != lang)
        attrs += f' hreflang="{html.escape(t("page.html_lang", other), quote=True)}"'
    return f"<a {attrs}>{html.escape(t(f'page.links.{key}', lang))}</a>"


def content_security_policy(script_hashes: list[str], *, self_scripts: bool) -> str:
    """Return the page's CSP: only the listed inline scripts (and same-origin files if asked)."""
    sources = [*script_hashes, *(["'self'"] if self_scripts else [])] or ["'none'"]
    return "; ".join(
        [
            "default-src 'none'",
            "script-src " + " ".join(sources),
            "style-src 'unsafe-inline'",
            "img-src data: blob:",
            "font-src data:",
            "worker-src blob:",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


@lru_cache(maxsize=1)
def tables_js() -> str:
    """The page's table script (sorting, filtering; ``templates/ziyang/static/tables.js``)."""
    return (TEMPLATES_DIR / TEMPLATE_NAME / "static" / "tables.js").read_text(encoding="utf-8")


def has_tables(nb: Any) -> bool:
    """Whether an output of `nb` holds a report table (`ziyang_lib.report.html_table`)."""
    marker = f'class="{TABLE_WRAP}"'
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/html", "")
            if marker in ("".join(text) if isinstance(text, list) else text):
                return True
    return False


def _scripts(
    n_charts: int, plotlyjs: str, plotlyjs_href: str | None, *, tables: bool = False
) -> tuple[str, list[str]]:
    """Return the end-of-body scripts (plotly.js as a placeholder when inline) and CSP hashes."""
    scripts, hashes = [], []
    if tables:
        hashes.append(_sha256_source(tables_js()))
        scripts.append(f"<script>{tables_js()}</script>")
    if not n_charts:
        return "\n".join(scripts), hashes
    hashes.append(_sha256_source(runner_js()))
    if plotlyjs == "inline":
        hashes.append(_sha256_source(plotlyjs_source()))
        loader = PLOTLYJS_PLACEHOLDER
    else:
        loader = (
            f'<script src="{html.escape(plotlyjs_href or PLOTLYJS_NAME, quote=True)}"></script>'
        )
    scripts += [loader, f"<script>{runner_js()}</script>"]
    return "\n".join(scripts), hashes


def _set_aside(nb: Any, priority: list[str]) -> dict[str, str]:
    """Replace the HTML of `nb`'s outputs by placeholders; return placeholder → HTML.

    The template passes an HTML output through as it is, but nbconvert's HTMLExporter ends by
    parsing and rewriting the whole page (to give an ``<img>`` without one an ``alt``), which
    costs more than the rest of the export. Those outputs are the report's own HTML (tables,
    charts, notes), so they wait outside that pass and `_put_back` sets them in afterwards. Left
    in it: an output holding an ``<img>``, and one whose HTML nbconvert would not show (another
    of its mimetypes comes first in `priority`). The placeholders carry a token drawn for this
    export, so no text of the notebook can be taken for one.
    """
    token = secrets.token_hex(8)
    kept: dict[str, str] = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if next((mime for mime in priority if mime in data), None) != "text/html":
                continue
            text = data["text/html"]
            text = "".join(text) if isinstance(text, list) else text
            if isinstance(text, str) and "<img" not in text.lower():
                placeholder = f"<!--ziyang:output:{token}:{len(kept)}-->"
                kept[placeholder] = text
                data["text/html"] = placeholder
    return kept


def _put_back(page: str, kept: dict[str, str]) -> str:
    """`page` with each placeholder of `_set_aside` replaced by its HTML (each must be there
    exactly once)."""
    if not kept:
        return page
    if any(page.count(placeholder) != 1 for placeholder in kept):
        raise RuntimeError("the page template lost or repeated an output placeholder")
    pattern = re.compile("|".join(re.escape(placeholder) for placeholder in kept))
    return pattern.sub(lambda m: kept[m.group(0)], page)


def _exporter() -> Any:
    """Return this thread's HTMLExporter (compiling the templates takes ~0.2 s). One serves
    both languages: the page's language is set by the template's header from `resources`."""
    exporter = getattr(_EXPORTERS, "exporter", None)
    if exporter is None:
        skip_unused()
        from nbconvert import HTMLExporter

        exporter = _EXPORTERS.exporter = HTMLExporter(
            template_name=TEMPLATE_NAME,
            extra_template_basedirs=[str(TEMPLATES_DIR)],
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
        )
    return exporter


def export_html(
    nb: Any,
    *,
    lang: str,
    page_title: str,
    links: dict[str, str] | None = None,
    plotlyjs: str = "inline",
    plotlyjs_href: str | None = None,
) -> ExportResult:
    """Render an executed notebook as one offline HTML page; see the module docstring.

    `plotlyjs` is ``"inline"`` (plotly.js inside the page) or ``"directory"`` (the page loads
    `plotlyjs_href`, default ``plotly.min.js`` next to it; write it with `write_plotlyjs`).
    """
    check_lang(lang)
    if plotlyjs not in ("inline", "directory"):
        raise ValueError(f"plotlyjs must be 'inline' or 'directory', got {plotlyjs!r}")
    exporter = _exporter()
    priority = list(exporter.config.NbConvertBase.display_data_priority)
    prepared, n_charts, warnings = prepare_notebook(nb, lang, priority)
    scripts, hashes = _scripts(n_charts, plotlyjs, plotlyjs_href, tables=has_tables(prepared))
    resources = {
        "ziyang": {
            "html_lang": html.escape(t("page.html_lang", lang), quote=True),
            "page_title": html.escape(page_title),
            "csp": content_security_policy(hashes, self_scripts=plotlyjs == "directory"),
            "links_html": links_html(links, lang),
            "scripts_html": scripts,
        }
    }
    kept = _set_aside(prepared, priority)
    page, _ = exporter.from_notebook_node(prepared, resources=resources)
    page = add_toc(_put_back(page, kept), t("page.toc", lang))
    if n_charts and plotlyjs == "inline":
        head, sep, tail = page.rpartition(PLOTLYJS_PLACEHOLDER)
        if not sep:
            raise RuntimeError("the page template lost the plotly.js placeholder")
        page = f"{head}<script>{plotlyjs_source()}</script>{tail}"
    return ExportResult(html=page, n_charts=n_charts, warnings=warnings)
