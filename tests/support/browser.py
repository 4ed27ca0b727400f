"""Headless-chromium helper for browser tests (a helper module, not a test file).

Usage in a test module::

    from tests.support.browser import browser  # noqa: F401  (the session fixture)

    @pytest.mark.browser
    def test_page(browser, tmp_path):
        report = browser.open_page(tmp_path / "page.html", find_text="资阳")
        assert report.n_charts == 2 and not report.errors and not report.external_requests

`open_page` loads a local file in a fresh browser context, waits until every ``ziyang`` chart
has settled (``<html data-ziyang-charts>``, set by the report page), and returns a `PageReport`.
A chart counts as drawn when its ``.js-plotly-plot`` element holds at least one ``svg.main-svg``
(plotly draws two or three such layers per chart, so layers are not counted).

Report pages carry a Content-Security-Policy, so chromium refuses an outside fetch before it is
sent: it then shows up in ``errors`` (a console error naming the policy), not in
``external_requests``. Assert on both.

Playwright drives the system ``/usr/bin/chromium`` (never ``playwright install``) from one
worker thread, so its event loop never meets the asyncio loops of nbclient or papermill in the
test thread. When /usr/bin/chromium is missing, the fixture fails naming the packages to install,
unless `SKIP_ENV` (``ZIYANG_SKIP_BROWSER=1``) asks to skip the browser tests (tests/conftest.py
then counts them in the summary); any other failure raises.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest

CHROMIUM = Path("/usr/bin/chromium")
BROWSER_PACKAGES = "chromium fonts-noto-cjk"
SKIP_ENV = "ZIYANG_SKIP_BROWSER"
LAUNCH_ARGS: tuple[str, ...] = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
LOCAL_SCHEMES: tuple[str, ...] = ("file:", "data:", "blob:")
CHART_TIMEOUT_MS = 30_000
PHONE_VIEWPORT = {"width": 390, "height": 844}

T = TypeVar("T")

# Runs in the page: counts drawn charts, lists in-page links without a target.
_PAGE_FACTS_JS = """() => {
  const drawn = [...document.querySelectorAll(".js-plotly-plot")]
    .filter((plot) => plot.querySelector("svg.main-svg")).length;
  const broken = [...document.querySelectorAll('a[href^="#"]')]
    .map((a) => a.getAttribute("href"))
    .filter((href) => href.length > 1 &&
      !document.getElementById(decodeURIComponent(href.slice(1))));
  return {
    drawn,
    slots: document.querySelectorAll("figure.zy-chart").length,
    broken,
    lang: document.documentElement.lang,
    text: document.body ? document.body.innerText : "",
  };
}"""

# Runs in the page: marks the innermost element whose own text contains `needle`.
_MARK_TEXT_JS = """(needle) => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.nodeValue.includes(needle) && node.parentElement) {
      node.parentElement.setAttribute("data-zy-probe", "1");
      return true;
    }
  }
  return false;
}"""


@dataclass
class PageReport:
    """What one page did in the browser."""

    url: str
    title: str
    lang: str
    n_charts: int  # plotly charts actually drawn (see module docstring)
    n_chart_slots: int  # <figure class="zy-chart"> placeholders on the page
    errors: list[str]  # uncaught page errors and console errors (CSP refusals included)
    external_requests: list[str]  # every request not to file:, data: or blob:
    dialogs: list[str]  # alert/confirm/prompt messages (dismissed)
    broken_anchors: list[str]  # in-page links (#id) whose target does not exist
    text: str  # document.body.innerText
    text_found: bool | None = None  # whether `find_text` is on the page (None: not asked)
    text_fonts: list[str] = field(default_factory=list)  # platform fonts that drew it
    values: dict[str, Any] = field(default_factory=dict)  # results of `evaluate` expressions


def chromium_available() -> bool:
    """Whether the system chromium the browser tests drive is installed."""
    return CHROMIUM.is_file()


def skip_browser_tests() -> bool:
    """Whether the run was asked to skip the browser tests (``ZIYANG_SKIP_BROWSER=1``)."""
    return os.environ.get(SKIP_ENV, "") not in ("", "0")


def require_chromium() -> None:
    """Fail the test when the system chromium is missing (skip it only when asked to)."""
    if chromium_available():
        return
    if skip_browser_tests():
        pytest.skip(f"{CHROMIUM} is missing and {SKIP_ENV} is set")
    pytest.fail(
        f"{CHROMIUM} is missing: install {BROWSER_PACKAGES} (`make test` does it as root), "
        f"or set {SKIP_ENV}=1 to skip the browser tests",
        pytrace=False,
    )


class ChromiumWorker:
    """One headless system chromium whose Playwright calls all run in one worker thread
    (so Playwright's event loop never meets papermill's or nbclient's)."""

    thread_name = "playwright"

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=self.thread_name)
        self._playwright: Any = None
        self._chromium: Any = None
        self._lock = threading.Lock()
        self.call(self._start)

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run `fn` in the Playwright thread and return its result."""
        return self._pool.submit(fn, *args, **kwargs).result()

    def _start(self) -> None:
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self._chromium = self._playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=list(LAUNCH_ARGS), headless=True
        )

    def close(self) -> None:
        """Close chromium and the worker thread (idempotent)."""
        with self._lock:
            if self._playwright is not None:
                self.call(self._stop)
            self._pool.shutdown(wait=True)

    def _stop(self) -> None:
        try:
            self._chromium.close()
        finally:
            self._playwright.stop()
            self._playwright = None


class Browser(ChromiumWorker):
    """One chromium for the whole test session; each page gets a fresh context."""

    def open_page(
        self,
        path: str | Path,
        *,
        find_text: str | None = None,
        viewport: dict[str, int] | None = None,
        evaluate: dict[str, str] | None = None,
    ) -> PageReport:
        """Load local file `path` and report what happened (see `PageReport`).

        `find_text`: check this text is on the page and which platform fonts drew the innermost
        element holding it. `viewport`: e.g. `PHONE_VIEWPORT`. `evaluate`: name → JavaScript
        expression, evaluated after the charts settled, results in `PageReport.values`.
        """
        url = Path(path).resolve().as_uri()
        return self.call(self._open, url, find_text, viewport, evaluate or {}, LOCAL_SCHEMES)

    def run_on_page(
        self,
        path: str | Path,
        fn: Callable[[Any], Any],
        *,
        viewport: dict[str, int] | None = None,
        touch: bool = False,
    ) -> PageRun:
        """Load local file `path` in a fresh context (a touch screen if `touch`) and call
        `fn(page)` with the Playwright page in the browser's thread: for tests that tap, click
        or follow links. Returns its result with the page's errors and outside requests."""
        url = Path(path).resolve().as_uri()
        return self.call(_run_on_page, self._chromium, url, fn, viewport, touch)

    def open_url(self, url: str, *, evaluate: dict[str, str] | None = None) -> PageReport:
        """Load `url` (e.g. a page served on 127.0.0.1) like `open_page`; a request counts as
        external unless it goes to the page's own origin (or data:, blob:)."""
        origin = "/".join(url.split("/", 3)[:3]) + "/"
        local = (origin, *LOCAL_SCHEMES[1:])
        return self.call(self._open, url, None, None, evaluate or {}, local)

    def _open(
        self,
        url: str,
        find_text: str | None,
        viewport: dict[str, int] | None,
        evaluate: dict[str, str],
        local: tuple[str, ...],
    ) -> PageReport:
        context = self._chromium.new_context(viewport=viewport, service_workers="block")
        try:
            page = context.new_page()
            errors, external, dialogs = _watch(context, page, local)
            page.goto(url, wait_until="load")
            if page.locator("figure.zy-chart").count():
                page.wait_for_selector("html[data-ziyang-charts]", timeout=CHART_TIMEOUT_MS)
            facts = page.evaluate(_PAGE_FACTS_JS)
            found, fonts = (None, []) if find_text is None else _fonts_for_text(page, find_text)
            values = {name: page.evaluate(expr) for name, expr in evaluate.items()}
            return PageReport(
                url=url,
                title=page.title(),
                lang=facts["lang"],
                n_charts=facts["drawn"],
                n_chart_slots=facts["slots"],
                errors=errors,
                external_requests=external,
                dialogs=dialogs,
                broken_anchors=facts["broken"],
                text=facts["text"],
                text_found=found,
                text_fonts=fonts,
                values=values,
            )
        finally:
            context.close()


@dataclass
class PageRun:
    """What `Browser.run_on_page` gave back: `fn`'s result and what the page did meanwhile."""

    result: Any
    errors: list[str]
    external_requests: list[str]


def _run_on_page(
    chromium: Any, url: str, fn: Callable[[Any], Any], viewport: dict[str, int] | None, touch: bool
) -> PageRun:
    context = chromium.new_context(
        viewport=viewport, has_touch=touch, is_mobile=touch, service_workers="block"
    )
    try:
        page = context.new_page()
        errors, external, _ = _watch(context, page, LOCAL_SCHEMES)
        page.goto(url, wait_until="load")
        return PageRun(fn(page), errors, external)
    finally:
        context.close()


def _watch(context: Any, page: Any, local: tuple[str, ...]) -> tuple[list, list, list]:
    """Record the page's errors, its requests outside `local` and its dialogs (dismissed)."""
    errors: list[str] = []
    external: list[str] = []
    dialogs: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.on(
        "console",
        lambda msg: errors.append(f"console: {msg.text}") if msg.type == "error" else None,
    )
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    context.on(
        "request",
        lambda req: None if req.url.startswith(local) else external.append(req.url),
    )
    return errors, external, dialogs


def _fonts_for_text(page: Any, needle: str) -> tuple[bool, list[str]]:
    """Return whether `needle` is on the page and the platform fonts that drew its element."""
    if not page.evaluate(_MARK_TEXT_JS, needle):
        return False, []
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "[data-zy-probe]"})
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]
        return True, [font["familyName"] for font in fonts]
    finally:
        cdp.detach()


_SHARED: Browser | None = None
_USERS = 0


def shared_browser() -> Browser:
    """Return the session's browser, starting it on first use (see `require_chromium`)."""
    global _SHARED
    require_chromium()
    if _SHARED is None:
        _SHARED = Browser()
    return _SHARED


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Session fixture: the shared `Browser` (import it into a test module or conftest).

    Every module that imports the fixture gets the same browser; the last one to finish closes it.
    """
    global _SHARED, _USERS
    shared = shared_browser()
    _USERS += 1
    try:
        yield shared
    finally:
        _USERS -= 1
        if _USERS == 0:
            shared.close()
            _SHARED = None
