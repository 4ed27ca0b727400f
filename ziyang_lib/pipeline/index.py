"""The pages' titles and the index page: ``index.html`` links every page that exists."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from ziyang_lib.pipeline.manifest import Manifest
from ziyang_lib.report.text import LANGS, t

INDEX_NAME = "index.html"
_HEADING_MD = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
_HEADING_HTML = re.compile(r"<h[1-6][^>]*>(.*?)</h[1-6]>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


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


def index_html(out_dir: Path, notebooks: list[Path], manifest: Manifest) -> str:
    """Return the index page: per language, a list of the pages that exist, with their titles."""
    sections = []
    for lang in LANGS:
        items = []
        for nb in notebooks:
            key = f"{lang}/{nb.stem}"
            if not (out_dir / "html" / lang / f"{nb.stem}.html").is_file():
                continue
            title = manifest.entries.get(key, {}).get("title") or nb.stem
            href = html.escape(f"html/{lang}/{nb.stem}.html", quote=True)
            items.append(f'<li><a href="{href}">{html.escape(title)}</a></li>')
        if items:
            code = html.escape(t("page.html_lang", lang), quote=True)
            sections.append(
                f'<section lang="{code}"><h2>{html.escape(t("common.lang_name", lang))}</h2>'
                f"<ol>{''.join(items)}</ol>"
                f'<p class="zy-source">{html.escape(t("common.source_short", lang))}</p></section>'
            )
    title = " · ".join(t("page.links.index", lang) for lang in LANGS)
    css = (Path(__file__).parent / "templates" / "ziyang" / "static" / "report.css").read_text(
        encoding="utf-8"
    )
    csp = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(t("page.html_lang", LANGS[0]), quote=True)}">\n<head>\n'
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
        f"<title>{html.escape(title)}</title>\n<style>{css}</style>\n</head>\n"
        f'<body>\n<main class="ziyang-main">\n<h1>{html.escape(title)}</h1>\n'
        + "\n".join(sections)
        + "\n</main>\n</body>\n</html>\n"
    )
