"""A real JupyterLab for browser tests: the server, one chromium, and a notebook page driver.

A helper module, not a test file::

    server = start_lab(root, state)  # jupyter lab on 127.0.0.1, free port, token, isolated state
    browser = LabBrowser()  # one headless system chromium, driven from one worker thread
    page = browser.open_notebook(server, "00_overview.ipynb")
    page.run_all()  # `notebook:run-all-cells`, bounded; True when every cell ran without error
    facts = page.facts()  # outputs per code cell: the kernel's bundles and what the page drew
    ...
    browser.close(); server.stop()

Every wait is bounded; `LabServer.stop` shuts the kernels down through the server and kills
whatever of its own processes is left. Playwright runs in one worker thread (as in
`tests.browser`), so its event loop never meets an asyncio loop of the test thread.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from tests.support.browser import ChromiumWorker

T = TypeVar("T")

START_TIMEOUT_S = 90
STOP_TIMEOUT_S = 20
KERNEL_TIMEOUT_MS = 90_000
RUN_TIMEOUT_MS = 240_000
DRAW_TIMEOUT_MS = 60_000
UPDATE_TIMEOUT_MS = 30_000
DESKTOP_VIEWPORT = {"width": 1400, "height": 1000}
LOCAL_HOSTS = ("127.0.0.1", "localhost")
LOCAL_SCHEMES = ("blob:", "data:", "about:")


# --- the server -----------------------------------------------------------------------------------


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LabServer:
    """A running ``jupyter lab`` process and how to reach it."""

    process: subprocess.Popen[bytes]
    port: int
    token: str
    root: Path
    log: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def notebook_url(self, name: str) -> str:
        """The URL that opens notebook `name` (relative to the root) in a fresh workspace."""
        return f"{self.base_url}/lab/tree/{name}?reset&token={self.token}"

    def api(self, path: str, method: str = "GET", timeout: float = 10) -> Any:
        """Call the server's REST API; return the decoded JSON (None for an empty body)."""
        request = urllib.request.Request(
            f"{self.base_url}{path}",
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def log_tail(self, chars: int = 3000) -> str:
        return self.log.read_text("utf-8", errors="replace")[-chars:]

    def stop(self) -> None:
        """Shut the kernels and the server down; kill what is left of them (idempotent)."""
        if self.process.poll() is not None:
            return
        kernel_pids = _child_pids(self.process.pid)
        try:
            self.api("/api/shutdown", method="POST")
        except (OSError, urllib.error.URLError):
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=STOP_TIMEOUT_S)
        for pid in kernel_pids:  # kernels run in their own sessions; these are ours, by id
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def _child_pids(parent: int) -> list[int]:
    """Process ids whose parent is `parent` (from /proc; empty where there is no /proc)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            children.append(int(stat.parent.name))
    return children


def lab_env(state: Path) -> dict[str, str]:
    """The environment for an isolated server: every Jupyter/IPython user dir under `state`."""
    env = dict(os.environ)
    for name, sub in (
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTER_DATA_DIR", "data"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("IPYTHONDIR", "ipython"),
        ("JUPYTERLAB_SETTINGS_DIR", "settings"),
        ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"),
    ):
        folder = state / sub
        folder.mkdir(parents=True, exist_ok=True)
        env[name] = str(folder)
    env.pop("JUPYTER_TOKEN", None)
    env.pop("JUPYTER_PATH", None)
    return env


def start_lab(root: Path, state: Path) -> LabServer:
    """Start ``jupyter lab`` of this interpreter serving `root`; return once it answers.

    Raises RuntimeError (with the server log) if it exits or does not answer in time.
    """
    port, token = free_port(), os.urandom(16).hex()
    log = state / "server.log"
    state.mkdir(parents=True, exist_ok=True)
    args = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--port-retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.user_settings_dir={state / 'settings'}",
        f"--LabApp.workspaces_dir={state / 'workspaces'}",
        "--LabApp.expose_app_in_browser=True",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--allow-root")
    with log.open("wb") as out:
        process = subprocess.Popen(
            args,
            cwd=root,
            env=lab_env(state),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = LabServer(process, port, token, root, log)
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"jupyter lab exited ({process.returncode}):\n{server.log_tail()}")
        try:
            server.api("/api/status", timeout=2)
            return server
        except (OSError, urllib.error.URLError):
            time.sleep(0.3)
    server.stop()
    raise RuntimeError(f"jupyter lab did not answer in {START_TIMEOUT_S}s:\n{server.log_tail()}")


# --- the browser ----------------------------------------------------------------------------------


def is_local(url: str) -> bool:
    """Whether a request stays on this machine (the lab server, blob:, data:)."""
    if url.startswith(LOCAL_SCHEMES):
        return True
    return urlsplit(url).hostname in LOCAL_HOSTS


@dataclass
class PageLog:
    """What a page did besides drawing: outside requests and errors, in order."""

    phase: str = "load"  # "load" until run_all starts, then "run"
    external: list[tuple[str, str]] = field(default_factory=list)  # (phase, url)
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


class LabBrowser(ChromiumWorker):
    """One headless system chromium; every Playwright call runs in one worker thread."""

    thread_name = "lab-playwright"

    def open_notebook(self, server: LabServer, name: str) -> NotebookPage:
        """Open notebook `name` in a fresh context; return once its kernel is idle."""
        return self.call(self._open, server, name)

    def _open(self, server: LabServer, name: str) -> NotebookPage:
        context = self._chromium.new_context(viewport=DESKTOP_VIEWPORT, service_workers="block")
        log = PageLog()
        context.on(
            "request",
            lambda req: None if is_local(req.url) else log.external.append((log.phase, req.url)),
        )
        page = context.new_page()
        page.on("pageerror", lambda exc: log.page_errors.append(str(exc)))
        page.on(
            "console",
            lambda msg: log.console_errors.append(msg.text) if msg.type == "error" else None,
        )
        page.on("dialog", lambda dialog: (log.dialogs.append(dialog.message), dialog.dismiss()))
        page.set_default_timeout(UPDATE_TIMEOUT_MS)
        result = NotebookPage(self, context, page, name, log)
        page.goto(server.notebook_url(name), wait_until="load", timeout=KERNEL_TIMEOUT_MS)
        page.wait_for_function(_KERNEL_IDLE_JS, arg=name, timeout=KERNEL_TIMEOUT_MS, polling=200)
        return result


# Runs in the page: the notebook panel of `path`, or null. Prefixed to the scripts below.
_PANEL_JS = """const panelOf = (path) => {
  const app = window.jupyterapp;
  if (!app) return null;
  for (const w of app.shell.widgets('main')) {
    if (w.context && w.context.path === path && w.content && w.sessionContext) return w;
  }
  return null;
};"""

_KERNEL_IDLE_JS = f"""(path) => {{ {_PANEL_JS}
  const panel = panelOf(path);
  const kernel = panel && panel.sessionContext.session && panel.sessionContext.session.kernel;
  return Boolean(kernel && kernel.status === 'idle' && panel.context.isReady);
}}"""

# Runs in the page: run all cells, resolve with JupyterLab's verdict or 'timeout'.
_RUN_ALL_JS = f"""async ([path, timeoutMs]) => {{ {_PANEL_JS}
  const panel = panelOf(path);
  window.jupyterapp.shell.activateById(panel.id);
  const run = window.jupyterapp.commands.execute('notebook:run-all-cells');
  const timer = new Promise((resolve) => setTimeout(() => resolve('timeout'), timeoutMs));
  return await Promise.race([run, timer]);
}}"""

# Runs in the page: every code cell's outputs (from the notebook model) with what the page shows
# for each output; each output node gets data-zy-output="<cell>-<output>" for later locators.
_FACTS_JS = f"""(path) => {{ {_PANEL_JS}
  const panel = panelOf(path);
  const asText = (x) =>
    (x === undefined || x === null) ? '' : (Array.isArray(x) ? x.join('') : String(x));
  const list = (v) =>
    (Array.isArray(v) || ArrayBuffer.isView(v)) ? Array.from(v) : (v === undefined ? null : v);
  const plots = (node) => [...node.querySelectorAll('.js-plotly-plot')].map((gd) => {{
    const title = gd.layout && gd.layout.title;
    const box = gd.getBoundingClientRect();
    return {{
      drawn: Boolean(gd.querySelector('svg.main-svg')) && box.width > 0 && box.height > 0,
      title: title ? asText(title.text !== undefined ? title.text : title) : '',
      drawn_title: asText(gd.querySelector('.gtitle') && gd.querySelector('.gtitle').textContent),
      shapes: ((gd.layout && gd.layout.shapes) || []).map((s) => ({{x0: s.x0, x1: s.x1}})),
      traces: (gd.data || []).map((t) => ({{
        type: t.type || '', name: asText(t.name), x: list(t.x), y: list(t.y), base: list(t.base),
      }})),
    }};
  }});
  const controls = (node) => ({{
    dropdown: node.querySelectorAll('.widget-dropdown select').length,
    slider: node.querySelectorAll('.widget-slider .noUi-handle').length,
    toggle: node.querySelectorAll('.widget-toggle-buttons:has(button)').length,
  }});
  const cells = [];
  panel.content.widgets.forEach((cell, index) => {{
    if (cell.model.type !== 'code') return;
    const area = cell.node.querySelector('.jp-Cell-outputArea');
    const nodes = area
      ? [...area.children].filter((e) => e.classList.contains('jp-OutputArea-child')) : [];
    const outputs = [];
    for (let j = 0; j < cell.model.outputs.length; j++) {{
      const o = cell.model.outputs.get(j).toJSON();
      const data = o.data || {{}};
      const node = nodes[j] || null;
      if (node) node.setAttribute('data-zy-output', `${{index}}-${{j}}`);
      outputs.push({{
        key: `${{index}}-${{j}}`,
        output_type: o.output_type,
        mimetypes: Object.keys(data),
        stream: o.name || null,
        text: asText(o.text) || asText(data['text/plain']),
        error: o.output_type === 'error'
          ? `${{o.ename}}: ${{o.evalue}}\\n` + asText(o.traceback) : null,
        shown: node
          ? {{ text: node.innerText, plots: plots(node), controls: controls(node) }} : null,
      }});
    }}
    cells.push({{ index, execution_count: cell.model.executionCount, outputs }});
  }});
  const drawn = [...panel.node.querySelectorAll('.js-plotly-plot')]
    .filter((gd) => gd.querySelector('svg.main-svg')).length;
  return {{ cells, drawn, text: panel.node.innerText }};
}}"""

# Runs in the page: how many plotly charts the notebook panel has drawn.
_DRAWN_JS = f"""([path, n]) => {{ {_PANEL_JS}
  const panel = panelOf(path);
  return [...panel.node.querySelectorAll('.js-plotly-plot')]
    .filter((gd) => gd.querySelector('svg.main-svg')).length >= n;
}}"""

# Runs in the page: whether output `key` has drawn its charts and shows every needle (whitespace
# ignored) in them or in its text; with `title`, every chart's drawn title holds it; with `shapes`,
# the chart's shapes span exactly these [x0, x1] pairs.
_SHOWS_JS = """([key, needles, title, shapes]) => {
  const node = document.querySelector(`[data-zy-output="${key}"]`);
  if (!node) return false;
  const squash = (s) => (s || '').replace(/\\s+/g, '');
  const gds = [...node.querySelectorAll('.js-plotly-plot')];
  if (!gds.length || !gds.every((gd) => gd.querySelector('svg.main-svg'))) return false;
  const text = squash(node.innerText) + gds.map((gd) => squash(gd.textContent)).join('');
  if (!needles.every((n) => text.includes(squash(n)))) return false;
  const titled = (gd) =>
    squash((gd.querySelector('.gtitle') || {}).textContent).includes(squash(title));
  if (title !== null && !gds.every(titled)) return false;
  const spans = (gd) =>
    JSON.stringify(((gd.layout && gd.layout.shapes) || []).map((s) => [s.x0, s.x1]));
  return shapes === null || gds.every((gd) => spans(gd) === JSON.stringify(shapes));
}"""


class NotebookPage:
    """One notebook open in JupyterLab (its own browser context); methods are thread-safe."""

    def __init__(
        self, browser: LabBrowser, context: Any, page: Any, path: str, log: PageLog
    ) -> None:
        self._browser, self._context, self._page = browser, context, page
        self.path, self.log = path, log

    def _call(self, fn: Callable[..., T], *args: Any) -> T:
        return self._browser.call(fn, *args)

    def run_all(self) -> bool | str:
        """Run every cell; JupyterLab's verdict (True: all ran, no error), or 'timeout'."""

        def run() -> bool | str:
            self.log.phase = "run"
            verdict = self._page.evaluate(_RUN_ALL_JS, [self.path, RUN_TIMEOUT_MS])
            if verdict != "timeout":
                self._page.wait_for_function(
                    _KERNEL_IDLE_JS, arg=self.path, timeout=KERNEL_TIMEOUT_MS, polling=200
                )
            return verdict

        return self._call(run)

    def wait_drawn(self, n: int) -> bool:
        """Wait until at least `n` plotly charts are drawn (bounded); whether they were."""
        return self._call(self._wait, _DRAWN_JS, [self.path, n], DRAW_TIMEOUT_MS)

    def facts(self) -> dict[str, Any]:
        """Outputs per code cell, as the kernel sent them and as the page shows them."""
        return self._call(self._page.evaluate, _FACTS_JS, self.path)

    def wait_shows(
        self,
        key: str,
        needles: list[str],
        *,
        title: str | None = None,
        shapes: list[tuple[float, float]] | None = None,
    ) -> bool:
        """Wait until output `key` shows every needle in drawn charts or text; whether it did.

        `title`: also wait until each chart's drawn title holds it; `shapes`: until the chart's
        shapes span exactly these (x0, x1) pairs (a chart is redrawn after the text changes).
        """
        spans = None if shapes is None else [list(pair) for pair in shapes]
        return self._call(self._wait, _SHOWS_JS, [key, needles, title, spans], UPDATE_TIMEOUT_MS)

    def _wait(self, script: str, arg: Any, timeout_ms: int) -> bool:
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        try:
            self._page.wait_for_function(script, arg=arg, timeout=timeout_ms, polling=200)
            return True
        except PlaywrightTimeout:
            return False

    def select(self, key: str, index: int, label: str) -> None:
        """Pick the option labelled `label` in the `index`-th dropdown of output `key`."""
        selector = f'[data-zy-output="{key}"] .widget-dropdown select'
        self._call(lambda: self._page.locator(selector).nth(index).select_option(label=label))

    def press_slider(self, key: str, index: int, keys: list[str]) -> None:
        """Focus the `index`-th slider handle of output `key` and press `keys` on it."""
        selector = f'[data-zy-output="{key}"] .widget-slider .noUi-handle'

        def press() -> None:
            handle = self._page.locator(selector).nth(index)
            handle.scroll_into_view_if_needed()
            handle.focus()
            for k in keys:
                handle.press(k)

        self._call(press)

    def click_toggle(self, key: str, label: str) -> None:
        """Click the toggle button labelled `label` in output `key`."""
        selector = f'[data-zy-output="{key}"] .widget-toggle-buttons button'
        self._call(lambda: self._page.locator(selector, has_text=label).click())

    def screenshot(self, path: Path, key: str | None = None) -> None:
        """Save a PNG of output `key` (or of the whole page)."""

        def shoot() -> None:
            if key is None:
                self._page.screenshot(path=str(path))
            else:
                node = self._page.locator(f'[data-zy-output="{key}"]')
                node.scroll_into_view_if_needed()
                node.screenshot(path=str(path))

        self._call(shoot)

    def close(self) -> None:
        """Close the page's browser context."""
        self._call(self._context.close)
