"""Full-page screenshots of a built report at phone and desktop width (docs/screenshots/).

Usage: ``python tools/screenshots.py BUILD_DIR OUT_DIR`` after
``ziyang-report build --out BUILD_DIR``.
Opens the index and every page (``html/zh/*.html``, ``html/en/*.html``) in the system chromium
(``/usr/bin/chromium``, driven by playwright-core; nothing is downloaded), waits until the
report's charts have settled and writes ``<lang>_<page>_<width>.jpg`` (``index_<width>.jpg``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

WIDTHS = (390, 1280)
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def pages(build_dir: Path) -> list[tuple[str, Path]]:
    """(name, file) of the index and every page, in reading order."""
    found = [("index", build_dir / "index.html")]
    for lang in ("zh", "en"):
        found += [
            (f"{lang}_{p.stem}", p) for p in sorted((build_dir / "html" / lang).glob("*.html"))
        ]
    return found


def main(build_dir: Path, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for width in WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": 900})
            for name, path in pages(build_dir):
                page = context.new_page()
                page.goto(path.resolve().as_uri())
                page.wait_for_function(
                    "() => !document.querySelector('.js-plotly-plot') || "
                    "document.documentElement.hasAttribute('data-ziyang-charts')",
                    timeout=30_000,
                )
                page.wait_for_timeout(500)
                target = out_dir / f"{name}_{width}.jpg"
                page.screenshot(path=str(target), full_page=True, type="jpeg", quality=40)
                page.close()
                print(target)
            context.close()
        browser.close()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python tools/screenshots.py BUILD_DIR OUT_DIR")
    main(Path(sys.argv[1]), Path(sys.argv[2]))
