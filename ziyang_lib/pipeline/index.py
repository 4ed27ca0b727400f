"""The pages' titles and the index page, which leads with the findings.

``first_heading`` gives the title a page shows. ``index_html`` writes ``index.html``, per
language: the headline figures (the overview's key numbers, from data/), what the audit of the
summary's own arithmetic found (how many checks, how many of each verdict, and each one that
does not add up, counted from `ziyang_lib.truth.checks.audit`, never typed), and one line per
page that exists (its catalogue title and intro; a notebook the catalogue does not know is
listed by the title its page showed). Offline like the pages: no script, one CSP.
``write_index`` writes it only when what it is made from changed (a no-op build loads no data).
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from typing import Any

from ziyang_lib.files import write_atomic
from ziyang_lib.pipeline.manifest import Manifest, file_digest, fingerprint
from ziyang_lib.report.charts.registry import PAGES
from ziyang_lib.truth.langs import LANGS

INDEX_NAME = "index.html"
_HEADING_MD = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
_HEADING_HTML = re.compile(r"<h[1-6][^>]*>(.*?)</h[1-6]>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def t(key: str, lang: str, /, **values: Any) -> str:
    """The catalogue's text (`ziyang_lib.report.text.t`), whose module is imported only when an
    index is written: a build with nothing to do writes none and so never reads the catalogue."""
    from ziyang_lib.report.text import t as text

    return text(key, lang, **values)


def first_heading(nb: Any) -> str | None:
    """Return the text of the first heading the page shows (markdown cells or outputs).

    Cells tagged ``report-hide`` (the bilingual intro for notebook users) are skipped, so the
    title is the notebook's own heading in the page's language (``Page.title``).
    """
    from ziyang_lib.report.page import REPORT_HIDE_TAG

    for cell in nb.get("cells", []):
        if REPORT_HIDE_TAG in (cell.get("metadata", {}).get("tags") or []):
            continue
        texts: list[tuple[str, str]] = []
        if cell.get("cell_type") == "markdown":
            texts.append(("md", _join(cell.get("source", ""))))
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "text/markdown" in data:
                texts.append(("md", _join(data["text/markdown"])))
            elif "text/html" in data:
                texts.append(("html", _join(data["text/html"])))
        for kind, text in texts:
            match = (_HEADING_MD if kind == "md" else _HEADING_HTML).search(text)
            if match:
                plain = html.unescape(_TAG.sub("", match.group(1)))
                return " ".join(plain.split()) or None
    return None


def _join(text: str | list[str]) -> str:
    return "".join(text) if isinstance(text, list) else text


OVERVIEW = "00_overview"
NOT_ADDING_UP = ("inconsistent", "not additive")
VERDICT_ORDER = ("consistent", "needs context", "not additive", "inconsistent")
CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
DataDir = str | os.PathLike[str] | None


def _headline(lang: str, data_dir: DataDir) -> str:
    from ziyang_lib.report.charts.registry import get

    record = get("headline")
    return record.draw(record.data(data_dir), lang).html


def audit_summary(lang: str, data_dir: DataDir = None) -> dict[str, Any]:
    """The audit in counts: ``{"n", "counts": {verdict: n}, "odd": [claim, …]}`` (the claims
    whose verdict says they do not add up, with what the check found)."""
    from ziyang_lib.report.findings import describe
    from ziyang_lib.truth.checks import audit

    checks = describe(audit(data_dir), lang)
    counts = checks["verdict"].value_counts().to_dict()
    odd = checks[checks["verdict"].isin(NOT_ADDING_UP)]
    return {
        "n": len(checks),
        "counts": {v: int(counts[v]) for v in VERDICT_ORDER if v in counts},
        "odd": [(str(r.claim), str(r.explanation)) for r in odd.itertuples()],
    }


def _audit_html(lang: str, data_dir: DataDir, overview: str | None) -> str:
    from ziyang_lib.report import fmt

    found = audit_summary(lang, data_dir)
    parts = t("index.audit.sep", lang).join(
        t(f"index.audit.part.{v.replace(' ', '_')}", lang, n=fmt.number(n, lang))
        for v, n in found["counts"].items()
    )
    out = [
        f"<h3>{html.escape(t('index.audit.heading', lang))}</h3>",
        "<p>"
        + html.escape(t("index.audit.counts", lang, n=fmt.number(found["n"], lang), parts=parts))
        + "</p>",
    ]
    for claim, explanation in found["odd"]:
        out.append(
            f'<p class="zy-odd"><b>{html.escape(t("index.audit.odd_one", lang))}</b> '
            f"<q>{html.escape(claim)}</q> {html.escape(explanation)}</p>"
        )
    if overview:
        href = html.escape(f"{overview}#chart-audit_table", quote=True)
        out.append(f'<p><a href="{href}">{html.escape(t("index.audit.link", lang))}</a></p>')
    return "".join(out)


def _pages_html(lang: str, pages: list[tuple[str, str]]) -> str:
    items = []
    for stem, title in pages:
        href = html.escape(f"html/{lang}/{stem}.html", quote=True)
        key = PAGES.get(stem)
        intro = f"<br><span>{html.escape(t(f'{key}.intro', lang))}</span>" if key else ""
        shown = t(f"{key}.title", lang) if key else title
        items.append(f'<li><a href="{href}">{html.escape(shown)}</a>{intro}</li>')
    return (
        f"<h3>{html.escape(t('index.pages', lang))}</h3>"
        f'<ol class="zy-index-pages">{"".join(items)}</ol>'
    )


def index_html(
    out_dir: Path, notebooks: list[Path], manifest: Manifest, data_dir: DataDir = None
) -> str:
    """The index page (see the module docstring) for the pages that exist under `out_dir`."""
    sections = []
    for lang in LANGS:
        pages = [
            (nb.stem, manifest.entries.get(f"{lang}/{nb.stem}", {}).get("title") or nb.stem)
            for nb in notebooks
            if (out_dir / "html" / lang / f"{nb.stem}.html").is_file()
        ]
        if not pages:
            continue
        stems = [stem for stem, _ in pages]
        overview = f"html/{lang}/{OVERVIEW}.html" if OVERVIEW in stems else None
        code = html.escape(t("page.html_lang", lang), quote=True)
        sections.append(
            f'<section lang="{code}" class="zy-index">'
            f"<h2>{html.escape(t('index.title', lang))}</h2>"
            f'<p class="zy-lead">{html.escape(t("index.lead", lang))}</p>'
            f"{_headline(lang, data_dir)}"
            f"{_audit_html(lang, data_dir, overview)}"
            f"{_pages_html(lang, pages)}"
            f'<p class="zy-source"><small>{html.escape(t("index.source", lang))}: '
            f"{html.escape(t('common.source_short', lang))}</small></p></section>"
        )
    title = " · ".join(t("page.links.index", lang) for lang in LANGS)
    css = (Path(__file__).parent / "templates" / "ziyang" / "static" / "report.css").read_text(
        encoding="utf-8"
    )
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(t("page.html_lang", LANGS[0]), quote=True)}">\n<head>\n'
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        f"<title>{html.escape(title)}</title>\n<style>{css}</style>\n</head>\n"
        f'<body>\n<main class="ziyang-main">\n<h1>{html.escape(title)}</h1>\n'
        + "\n".join(sections)
        + "\n</main>\n</body>\n</html>\n"
    )


def write_index(
    out_dir: Path, notebooks: list[Path], manifest: Manifest, data_dir: DataDir, inputs: str
) -> None:
    """Write ``index.html`` for the pages under `out_dir`, unless nothing it is made from changed.

    `inputs` fingerprints the library and the data the index reads; with the notebooks, the
    pages that exist and their titles it makes the fingerprint the manifest keeps beside the
    index's sha256. When both still hold, the index is left as it is, unread and unrebuilt.
    """
    path = out_dir / INDEX_NAME
    pages = {
        f"{lang}/{nb.stem}": manifest.entries.get(f"{lang}/{nb.stem}", {}).get("title")
        for lang in LANGS
        for nb in notebooks
        if (out_dir / "html" / lang / f"{nb.stem}.html").is_file()
    }
    made_from = fingerprint(inputs=inputs, notebooks=[nb.stem for nb in notebooks], pages=pages)
    if path.is_file() and manifest.index == {"from": made_from, "sha256": file_digest(path)}:
        return
    page = index_html(out_dir, notebooks, manifest, data_dir)
    if not path.is_file() or path.read_text(encoding="utf-8") != page:
        write_atomic(path, page)
    manifest.index = {"from": made_from, "sha256": file_digest(path)}
    manifest.save()
