"""Static PNG/SVG figures for slides: every registered chart, in every language, through ONE
kaleido session driving the system Chromium (``$BROWSER_PATH`` or ``/usr/bin/chromium``).

Files are named ``<notebook>__<chart_id>__<lang>.<ext>`` and are all ``WIDTH`` × ``HEIGHT`` px
at scale 1 (1200 × 675, 16:9). Nothing is downloaded: no browser, no MathJax, plotly.js comes
from the installed plotly package.

The session runs kaleido's async API on an event loop of its own (one thread), and every call
into it has a deadline: the browser must be ready within :data:`START_TIMEOUT` seconds and each
image within :data:`RENDER_TIMEOUT`. A browser that is missing, exits at once (``/bin/true``) or
never answers is a one-line :class:`~ziyang_lib.errors.FigureExportError`, not a hang (kaleido's
own sync server waits forever on a browser that died).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import os
import signal
import threading
import time
from collections.abc import Coroutine, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import plotly.graph_objects as go

from ziyang_lib.errors import FigureExportError
from ziyang_lib.files import write_atomic
from ziyang_lib.report.text import check_lang

WIDTH = 1200
HEIGHT = 675
FORMATS: tuple[str, ...] = ("png", "svg")
DEFAULT_BROWSER = "/usr/bin/chromium"
START_TIMEOUT = 30.0
RENDER_TIMEOUT = 90.0
_log = logging.getLogger(__name__)
_session: _Session | None = None


def browser_path() -> Path:
    """The Chromium to drive: ``$BROWSER_PATH`` if set, else the system one; never downloaded."""
    path = Path(os.environ.get("BROWSER_PATH") or DEFAULT_BROWSER)
    if not path.is_file() or not os.access(path, os.X_OK):
        raise FigureExportError(
            f"no browser at {path}: install Debian's chromium or set $BROWSER_PATH "
            "(figures never download a browser)"
        )
    return path


def figure_name(notebook: str, chart_id: str, lang: str, ext: str) -> str:
    """``<notebook>__<chart_id>__<lang>.<ext>``."""
    return f"{notebook}__{chart_id}__{lang}.{ext}"


def fit(fig: go.Figure, width: int = WIDTH, height: int = HEIGHT) -> go.Figure:
    """Set the figure to `width` × `height` px, keeping container-anchored legends at the same
    pixel offset from the bottom (the theme lays text out in pixels around the plot)."""
    old_height = fig.layout.height
    legend = fig.layout.legend
    if old_height and legend.yref == "container" and legend.y is not None:
        legend.y = min(1.0, legend.y * old_height / height)
    fig.update_layout(width=width, height=height, autosize=False)
    return fig


class _Session:
    """One kaleido browser driven from an event loop in its own thread, with deadlines."""

    def __init__(self, browser: Path, start_timeout: float) -> None:
        self.browser = browser
        for name in ("choreographer", "kaleido"):  # their warnings would print past our one line
            if not logging.getLogger(name).handlers:
                logging.getLogger(name).addHandler(logging.NullHandler())
        self.loop = asyncio.new_event_loop()
        self.loop.set_exception_handler(lambda _loop, ctx: _log.debug("%s", ctx.get("message")))
        self.thread = threading.Thread(target=self.loop.run_forever, name="kaleido", daemon=True)
        self.thread.start()
        self.kaleido: Any = None
        try:
            self.call(self._open(), start_timeout, f"did not start within {start_timeout:g} s")
        except BaseException:
            self._kill()  # a browser that never became ready will not close politely
            self.close()
            raise

    def _kill(self) -> None:
        """Kill the browser's process group (choreographer starts it in a session of its own)."""
        process = getattr(self.kaleido, "subprocess", None)
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            process.kill()
        process.wait(5)

    async def _open(self) -> None:
        import kaleido

        # kept before it opens, so that close() can end a browser that never became ready
        self.kaleido = kaleido.Kaleido(
            path=str(self.browser), mathjax=False, timeout=RENDER_TIMEOUT
        )
        await self.kaleido.open()

    def call(self, coro: Coroutine[Any, Any, Any], timeout: float, late: str) -> Any:
        """Run `coro` on the session's loop; FigureExportError if it fails or is `late`."""
        future = asyncio.run_coroutine_threadsafe(coro, self.loop)
        try:
            return future.result(timeout)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise FigureExportError(f"the browser {self.browser} {late}") from None
        except Exception as exc:
            first = exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
            detail = (first.strip().splitlines() or [type(exc).__name__])[0]
            raise FigureExportError(f"the browser {self.browser} failed: {detail}") from None

    def close(self) -> None:
        """Close the browser; one that does not close in 10 s (or never opened) is killed."""
        if self.kaleido is not None:
            try:
                self.call(self.kaleido.close(), 10, "did not close within 10 s")
            except FigureExportError as exc:
                _log.debug("%s", exc)
            self._kill()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


@contextmanager
def kaleido_session(start_timeout: float = START_TIMEOUT) -> Iterator[None]:
    """Drive one Chromium (kaleido) for the duration of the block; :func:`render` uses it."""
    global _session
    session = _Session(browser_path(), start_timeout)
    previous, _session = _session, session
    try:
        yield
    finally:
        _session = previous
        session.close()


def render(fig: go.Figure, ext: str, width: int = WIDTH, height: int = HEIGHT) -> bytes:
    """The figure as PNG or SVG bytes at `width` × `height` px, scale 1 (inside a session)."""
    if ext not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}; got {ext!r}")
    if _session is None:
        raise RuntimeError("render() needs an open kaleido_session()")
    opts = {"format": ext, "width": width, "height": height, "scale": 1}
    return _session.call(
        _session.kaleido.calc_fig(fig, opts=opts),
        RENDER_TIMEOUT + 5,
        f"gave no {ext} within {RENDER_TIMEOUT:g} s",
    )


def export_figures(
    out_dir: Path,
    langs: Iterable[str] = ("zh", "en"),
    formats: Iterable[str] = FORMATS,
    *,
    data_dir: str | os.PathLike[str] | None = None,
    timings: dict[Path, float] | None = None,
) -> list[Path]:
    """Write every registered chart in every language and format under `out_dir`.

    Returns the written paths (notebook order, then chart, language, format). When `timings` is
    given, it receives the render-and-write seconds of each file.
    """
    from ziyang_lib.report.charts.registry import all_charts

    langs = [check_lang(lang) for lang in langs]
    formats = list(formats)
    for ext in formats:
        if ext not in FORMATS:
            raise ValueError(f"format must be one of {', '.join(FORMATS)}; got {ext!r}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with kaleido_session():
        for spec in all_charts():
            for lang in langs:
                fig = fit(spec.build(lang=lang, data_dir=data_dir))
                for ext in formats:
                    path = out_dir / figure_name(spec.notebook, spec.chart_id, lang, ext)
                    start = time.perf_counter()
                    write_atomic(path, render(fig, ext))
                    seconds = time.perf_counter() - start
                    if timings is not None:
                        timings[path] = seconds
                    _log.info("%s %.2f s", path.name, seconds)
                    written.append(path)
    return written
