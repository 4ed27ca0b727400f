"""Static PNG/SVG figures for slides: every registered chart, in every language, through ONE
kaleido session driving the system Chromium (``$BROWSER_PATH`` or ``/usr/bin/chromium``).

Files are named ``<notebook>__<chart_id>__<lang>.<ext>`` and are all ``WIDTH`` × ``HEIGHT`` px
at scale 1 (1200 × 675, 16:9). Nothing is downloaded: no browser, no MathJax, plotly.js comes
from the installed plotly package.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import plotly.graph_objects as go

from ziyang_lib.files import write_atomic
from ziyang_lib.report.text import check_lang

WIDTH = 1200
HEIGHT = 675
FORMATS: tuple[str, ...] = ("png", "svg")
DEFAULT_BROWSER = "/usr/bin/chromium"
_log = logging.getLogger(__name__)


def browser_path() -> Path:
    """The Chromium to drive: ``$BROWSER_PATH`` if set, else the system one; never downloaded."""
    path = Path(os.environ.get("BROWSER_PATH") or DEFAULT_BROWSER)
    if not path.is_file():
        raise FileNotFoundError(
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


@contextmanager
def kaleido_session() -> Iterator[None]:
    """Run kaleido's sync server (one Chromium) for the duration of the block."""
    import kaleido

    kaleido.start_sync_server(path=str(browser_path()), mathjax=False, silence_warnings=True)
    try:
        yield
    finally:
        kaleido.stop_sync_server(silence_warnings=True)


def render(fig: go.Figure, ext: str, width: int = WIDTH, height: int = HEIGHT) -> bytes:
    """The figure as PNG or SVG bytes at `width` × `height` px, scale 1 (inside a session)."""
    import kaleido

    if ext not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}; got {ext!r}")
    return kaleido.calc_fig_sync(
        fig, opts={"format": ext, "width": width, "height": height, "scale": 1}
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
