"""Every report notebook opened and run in a real JupyterLab, in headless chromium (lang zh).

One ``jupyter lab`` server (isolated state, copies of ``notebooks/*.ipynb``) and one chromium
serve the whole module; each notebook is opened and run once (`Lab.ran`), then checked: no error
output, every chart bundle drawn by plotly's lab extension, every explorer drawn as real controls,
no notebook output fetching anything from outside the machine. One test per explorer moves a
control in the page and checks the display against numbers from `ziyang_lib.indicator`.

Outside requests are printed per notebook (``pytest -rA`` shows them): JupyterLab's own are
only reported; any made while the cells run and draw, or to a known CDN, fail the test.
"""

from __future__ import annotations

import functools
import html
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import ipywidgets
import pytest

from tests.support.browser import require_chromium
from tests.support.jupyterlab_server import LabBrowser, LabServer, NotebookPage, start_lab
from ziyang_lib import indicator
from ziyang_lib.paths import notebooks_dir
from ziyang_lib.report import fmt, widgets
from ziyang_lib.report.charts.display import PLOTLY_MIMETYPE
from ziyang_lib.report.charts.registry import SOURCE_PAGES
from ziyang_lib.report.text import t
from ziyang_lib.truth.loaders import load_indicators

pytestmark = [pytest.mark.slow, pytest.mark.browser]

LANG = "zh"
NOTEBOOKS = [path.name for path in sorted(notebooks_dir().glob("[0-9][0-9]_*.ipynb"))]
WIDGET_MIMETYPE = "application/vnd.jupyter.widget-view+json"
EXPLORERS = (widgets.indicator_browser, widgets.growth_calculator, widgets.funds_explorer)
CONTROL_TYPES = {  # ipywidgets class -> key of the page's control counts (tests.jupyterlab_server)
    ipywidgets.Dropdown: "dropdown",
    ipywidgets.IntSlider: "slider",
    ipywidgets.ToggleButtons: "toggle",
}
WIDGET_FAILURES = ("Loading widget", "Error displaying widget", "Error rendering")
CDN = re.compile(r"cdn|unpkg|jsdelivr|googleapis|gstatic|mapbox|mathjax|cloudflare", re.I)


# --- fixtures -------------------------------------------------------------------------------------


@dataclass
class RanNotebook:
    """A notebook after `notebook:run-all-cells`: its page, JupyterLab's verdict, the facts."""

    page: NotebookPage
    verdict: bool | str
    facts: dict[str, Any]

    def outputs(self) -> list[dict[str, Any]]:
        return [out for cell in self.facts["cells"] for out in cell["outputs"]]

    def explorer_views(self, name: str | None = None) -> list[dict[str, Any]]:
        """Widget-view outputs (of the explorer class `name`, or all)."""
        views = [o for o in self.outputs() if WIDGET_MIMETYPE in o["mimetypes"]]
        return [v for v in views if name is None or explorer_name(v) == name]


class Lab:
    """The module's server and browser; runs each notebook once, on first use."""

    def __init__(self, server: LabServer, browser: LabBrowser) -> None:
        self.server, self.browser = server, browser
        self._ran: dict[str, RanNotebook] = {}
        self._failed: dict[str, str] = {}  # a notebook that could not be opened is not retried

    def ran(self, name: str) -> RanNotebook:
        if name in self._failed:
            pytest.fail(f"{name} could not be opened earlier: {self._failed[name]}")
        if name not in self._ran:
            try:
                page = self.browser.open_notebook(self.server, name)
            except Exception as exc:
                self._failed[name] = f"{type(exc).__name__}: {exc}"
                log = self.server.log_tail()
                raise AssertionError(f"{name} did not open: {exc}\n{log}") from exc
            verdict = page.run_all()
            page.wait_drawn(expected_charts(page.facts()))
            self._ran[name] = RanNotebook(page, verdict, page.facts())
        return self._ran[name]

    def explorer(self, name: str) -> tuple[RanNotebook, str]:
        """The first notebook showing explorer class `name`, and that output's key."""
        for notebook in NOTEBOOKS:
            ran = self.ran(notebook)
            views = ran.explorer_views(name)
            if views:
                return ran, views[0]["key"]
        raise AssertionError(f"no notebook shows a {name}")

    def close(self) -> None:
        for ran in self._ran.values():
            ran.page.close()


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    require_chromium()
    base = tmp_path_factory.mktemp("jupyterlab")
    root = base / "notebooks"
    root.mkdir()
    for name in NOTEBOOKS:  # copies: JupyterLab never touches the project's notebooks
        shutil.copy2(notebooks_dir() / name, root / name)
    server = start_lab(root, base / "state")
    browser = None
    lab = None
    try:
        browser = LabBrowser()
        lab = Lab(server, browser)
        yield lab
    finally:
        try:
            if lab is not None:
                lab.close()
            if browser is not None:
                browser.close()
        finally:
            server.stop()


# --- what the page should show --------------------------------------------------------------------


def explorer_name(view: dict[str, Any]) -> str:
    """The explorer class behind a widget view, from its text/plain repr ('Name(lang=...)')."""
    return view["text"].split("(", 1)[0].strip()


@functools.cache
def _explorers() -> dict[str, ipywidgets.VBox]:
    made = [factory(LANG) for factory in EXPLORERS]
    return {type(explorer).__name__: explorer for explorer in made}


def _descendants(widget: ipywidgets.Widget) -> Iterator[ipywidgets.Widget]:
    for child in getattr(widget, "children", ()):
        yield child
        yield from _descendants(child)


def expected_view(name: str) -> tuple[dict[str, int], int]:
    """Control counts and number of charts a view of explorer `name` must show."""
    explorers = _explorers()
    assert name in explorers, f"unknown explorer {name!r}; known: {sorted(explorers)}"
    parts = list(_descendants(explorers[name]))
    controls = {key: sum(isinstance(w, cls) for w in parts) for cls, key in CONTROL_TYPES.items()}
    return controls, sum(isinstance(w, ipywidgets.Output) for w in parts)


def expected_charts(facts: dict[str, Any]) -> int:
    """Charts the page must draw: one per plotly bundle, plus each explorer's chart(s)."""
    outputs = [out for cell in facts["cells"] for out in cell["outputs"]]
    bundles = sum(PLOTLY_MIMETYPE in out["mimetypes"] for out in outputs)
    views = [out for out in outputs if WIDGET_MIMETYPE in out["mimetypes"]]
    return bundles + sum(expected_view(explorer_name(v))[1] for v in views)


def squash(text: str) -> str:
    """Text as drawn, for comparing: entities decoded, <br> and whitespace removed."""
    return re.sub(r"<br\s*/?>|\s", "", html.unescape(text))


def shown(ran: RanNotebook, key: str) -> dict[str, Any]:
    """What output `key` shows now: its text and its charts."""
    outputs = [o for c in ran.page.facts()["cells"] for o in c["outputs"] if o["key"] == key]
    assert outputs, f"output {key} is gone"
    return outputs[0]["shown"]


# --- every notebook -------------------------------------------------------------------------------


def test_there_are_notebooks_to_open() -> None:
    assert len(NOTEBOOKS) >= 5, NOTEBOOKS


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_and_draws_in_jupyterlab(lab: Lab, name: str) -> None:
    ran = lab.ran(name)
    log = ran.page.log
    print(f"\n{name}: outside requests {log.external or 'none'}")
    print(f"{name}: console errors {log.console_errors or 'none'}")

    assert ran.verdict is True, f"run-all-cells: {ran.verdict}"
    cells = ran.facts["cells"]
    assert cells and all(c["execution_count"] for c in cells), "a code cell did not run"
    outputs = ran.outputs()
    assert all(o["shown"] for o in outputs), "an output has no place on the page"
    errors = [o["error"] for o in outputs if o["output_type"] == "error"]
    assert not errors, "\n\n".join(errors)
    stderr = [o["text"] for o in outputs if o["stream"] == "stderr"]
    assert not stderr, "\n".join(stderr)
    assert not [o for o in outputs if "Traceback" in o["shown"]["text"]]

    bundles = [o for o in outputs if PLOTLY_MIMETYPE in o["mimetypes"]]
    assert bundles or name.removesuffix(".ipynb") in SOURCE_PAGES, "no chart output"
    for out in bundles:
        plots = out["shown"]["plots"]
        assert len(plots) == 1 and plots[0]["drawn"], f"chart {out['key']} not drawn: {plots}"
        assert plots[0]["drawn_title"], f"chart {out['key']} has no drawn title"

    for view in ran.explorer_views():
        controls, charts = expected_view(explorer_name(view))
        page = view["shown"]
        assert page["controls"] == controls, f"{view['text']}: controls {page['controls']}"
        assert [p["drawn"] for p in page["plots"]] == [True] * charts, view["text"]
        assert view["text"] not in page["text"], f"text fallback shown: {view['text']}"
        assert not [f for f in WIDGET_FAILURES if f in page["text"]], page["text"][:300]

    assert ran.facts["drawn"] == expected_charts(ran.facts)

    assert not log.page_errors, log.page_errors
    assert not [url for phase, url in log.external if phase == "run"], log.external
    assert not [url for _, url in log.external if CDN.search(url)], log.external


# --- the explorers, driven in the page ------------------------------------------------------------


def test_indicator_browser_follows_its_dropdowns(lab: Lab) -> None:
    ran, key = lab.explorer("IndicatorBrowser")
    table = load_indicators()
    sections = list(dict.fromkeys(table["section"]))
    section = sections[-1]
    ids = list(table.loc[table["section"] == section, "id"])
    labels = [indicator(i).label(LANG) for i in ids]
    pick = next(i for i in ids[1:] if labels.count(indicator(i).label(LANG)) == 1)
    target, first = indicator(pick), indicator(table["id"].iloc[0])
    assert squash(target.quote) != squash(first.quote), "pick an indicator with its own quote"

    before = shown(ran, key)
    assert squash(first.quote) in squash(before["text"])
    ran.page.select(key, 0, t(f"parts.{section}.title", LANG))
    ran.page.select(key, 1, target.label(LANG))
    value = fmt.quantity(target, LANG)
    shows = ran.page.wait_shows(key, [target.quote, value], title=target.label(LANG))
    assert shows, shown(ran, key)

    after = shown(ran, key)
    assert squash(target.quote) in squash(after["text"])
    assert squash(first.quote) not in squash(after["text"])
    assert squash(f"{target.label(LANG)}: {value}") in squash(after["text"])
    (plot,) = after["plots"]
    assert squash(plot["title"]) == squash(target.label(LANG))
    assert squash(target.label(LANG)) in squash(plot["drawn_title"])


def income() -> tuple[float, float, float, int, int]:
    """(first value, last value, stated yearly growth, first year, last year) of the source."""
    start, end = indicator("poor_income_2013"), indicator("poor_income_2019")
    rate = indicator("poor_income_growth_stated").value / 100
    return start.value, end.value, rate, int(start.period[:4]), int(end.period[:4])


def test_growth_calculator_follows_its_slider(lab: Lab) -> None:
    ran, key = lab.explorer("GrowthCalculator")
    v0, v1, stated, y0, y1 = income()
    implied = (v1 / v0) ** (1 / (y1 - y0)) - 1
    start = y0 + 2

    def numbers(a: int, b: int) -> list[str]:
        """Numbers the note must give for years a..b (factors, modelled incomes, rates)."""
        n = b - a
        return [
            f"{(1 + stated) ** n:.2f}",
            f"{(1 + implied) ** n:.2f}",
            f"{round(v0 * (1 + stated) ** (a - y0))}",
            f"{round(v0 * (1 + stated) ** (b - y0))}",
            f"{round(v0 * (1 + implied) ** (a - y0))}",
            f"{round(v0 * (1 + implied) ** (b - y0))}",
            f"{implied * 100:.2f}%",
        ]

    before = shown(ran, key)
    (plot,) = before["plots"]
    assert [(s["x0"], s["x1"]) for s in plot["shapes"]] == [(y0, y1)]
    assert all(n in squash(before["text"]).replace(",", "") for n in numbers(y0, y1))

    ran.page.press_slider(key, 0, ["ArrowRight"] * (start - y0))
    factor = f"{(1 + stated) ** (y1 - start):.2f}"
    assert ran.page.wait_shows(key, [factor], shapes=[(start, y1)]), shown(ran, key)

    after = shown(ran, key)
    text = squash(after["text"]).replace(",", "")
    missing = [n for n in numbers(start, y1) if n not in text]
    assert not missing, f"{missing} not in {text}"
    assert f"{(1 + stated) ** (y1 - y0):.2f}" not in text
    (plot,) = after["plots"]
    assert [(s["x0"], s["x1"]) for s in plot["shapes"]] == [(start, y1)]
    endpoints = plot["traces"][-1]
    assert endpoints["x"] == [y0, y1] and endpoints["y"] == [v0, v1]


def test_funds_explorer_switches_to_levels(lab: Lab) -> None:
    ran, key = lab.explorer("FundsExplorer")
    levels = [indicator(i) for i in widgets.FUNDS_LEVEL]
    title = t("widgets.funds.title_level", LANG)
    before = shown(ran, key)
    (plot,) = before["plots"]
    assert squash(plot["title"]) != squash(title)

    ran.page.click_toggle(key, t("widgets.funds.by_level", LANG))
    values = [fmt.quantity(i, LANG) for i in levels]
    assert ran.page.wait_shows(key, values, title=title), shown(ran, key)

    (plot,) = shown(ran, key)["plots"]
    assert squash(plot["title"]) == squash(title)
    traces = plot["traces"]
    assert [squash(tr["name"]) for tr in traces] == [squash(i.label(LANG)) for i in levels]
    scales = []  # what each trace divided its yuan by: one scale for all, or the bars lie
    for ind, trace in zip(levels, traces, strict=True):
        if ind.qualifier == "range":
            (base,), (length,) = trace["base"], trace["x"]
            assert (base + length) / base == pytest.approx(ind.high / ind.low)
            scales.append(ind.low / base)
        else:
            (x,) = trace["x"]
            scales.append(ind.value / x)
    assert scales == pytest.approx([scales[0]] * len(scales))
