"""The built report read as a publication (issue 10), every page in headless chromium at 1280 and
390 px, in zh and en: titles are page text with no hand-made line break in any figure; no plotly
table; no placeholder; every chart is followed by its own "About this data", collapsed, whose
"Download data (CSV)" gives the rows of exactly what the chart draws, valued as in data/; no text
leaves its container and nothing scrolls inside the page. The index leads with the findings."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd
import pytest

from tests.support.browser import CHART_TIMEOUT_MS, PHONE_VIEWPORT, browser  # noqa: F401  (session fixture)
from tests.support.site import report_site  # noqa: F401  (session fixture: the report, built once)
from ziyang_lib.paths import data_dir
from ziyang_lib.report.charts.registry import PAGES, SOURCE_PAGES
from ziyang_lib.report.text import LANGS, t
from ziyang_lib.truth.checks import audit
from ziyang_lib.truth.provenance import ids_in, parse

pytestmark = [pytest.mark.slow, pytest.mark.browser]
VIEWPORTS = ({"width": 1280, "height": 900}, PHONE_VIEWPORT)
PLACEHOLDERS = ("JupyterLab", *(t("page.chart_fallback", lang) for lang in LANGS))

# Runs in the page: what a reader would find wrong, as lists of short descriptions.
_READ_JS = """() => {
  const main = document.querySelector("main");
  const say = (el, why) => why + ": " + (el.textContent || "").trim().slice(0, 50);
  const charts = [...main.querySelectorAll("figure.zy-chart, section.zy-block")];
  const order = [...main.querySelectorAll(
    "figure.zy-chart, section.zy-block, details.zy-about")];
  const abouts = [];
  charts.forEach((chart) => {
    const next = order[order.indexOf(chart) + 1];
    const ok = next && next.matches("details.zy-about");
    abouts.push([chart.id, ok ? "chart-" + next.dataset.about : null, ok ? next.open : null]);
  });
  const breaks = [];
  for (const chart of charts) {
    if (chart.querySelector("br")) breaks.push(say(chart, chart.id + " <br>"));
    for (const text of chart.querySelectorAll("svg.main-svg text")) {
      if (text.closest(".hoverlayer")) continue;
      if (text.querySelectorAll("tspan.line").length > 1) breaks.push(say(text, chart.id));
    }
    const title = chart.querySelector("svg .gtitle");
    if (title && title.textContent.trim()) breaks.push(say(title, chart.id + " drawn title"));
  }
  const tables = [...main.querySelectorAll("script.zy-plot-data")]
    .flatMap((s) => JSON.parse(s.textContent).data.map((trace) => trace.type))
    .filter((type) => type === "table").length + main.querySelectorAll("g.table").length;
  const blockOf = (el) => {
    while (el && el !== main && getComputedStyle(el).display.startsWith("inline")) {
      el = el.parentElement;
    }
    return el || main;
  };
  const clipped = (el) => {  // visually hidden on purpose (a phone's table head)
    for (; el && el !== main; el = el.parentElement) {
      if (getComputedStyle(el).clip !== "auto") return true;
    }
    return false;
  };
  const outside = [];
  const width = document.documentElement.clientWidth;
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.nodeValue.trim() || el.closest(".js-plotly-plot, script, style")) continue;
    if (clipped(el)) continue;
    const box = blockOf(el).getBoundingClientRect();
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      if (!r.width) continue;
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.right > width + 1) {
        outside.push(say(el, "text"));
        break;
      }
    }
  }
  for (const plot of main.querySelectorAll(".js-plotly-plot")) {
    const box = plot.getBoundingClientRect();
    for (const el of plot.querySelectorAll("svg.main-svg text")) {
      if (el.closest(".hoverlayer")) continue;
      const r = el.getBoundingClientRect();
      if (!r.width || !el.textContent.trim()) continue;
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1
          || r.bottom > box.bottom + 1) outside.push(say(el, plot.dataset.chartId));
    }
  }
  const boxes = [...main.querySelectorAll("*")].filter((el) =>
    !el.closest(".js-plotly-plot") && el.clientWidth > 0 && !clipped(el)
    && el.scrollWidth > el.clientWidth + 1).map((el) => say(el, el.tagName + "." + el.className));
  const small = [...main.querySelectorAll(
    "button, select, input, summary, a.zy-download, nav a")].filter((el) => {
    const r = el.getBoundingClientRect();
    return r.width > 1 && !clipped(el) && !el.closest(".js-plotly-plot") && r.height < 40;
  }).map((el) => say(el, el.tagName + " " + Math.round(el.getBoundingClientRect().height) + "px"));
  const unsortable = [...main.querySelectorAll(".zy-table-wrap")].filter((wrap) => {
    const sorts = [...wrap.querySelectorAll("th .zy-sort")];
    return !sorts.length || sorts.some((b) => clipped(b) || b.getBoundingClientRect().width < 2);
  }).map((wrap) => say(wrap, "table"));
  return {
    abouts, breaks, tables, outside, boxes, small, unsortable,
    sideways: document.documentElement.scrollWidth > width + 1,
    text: document.body.innerText,
  };
}"""


def pages(out: Path) -> list[Path]:
    found = sorted(out.glob("html/*/*.html"))
    assert found, "no page built"
    return found


def drawn_by(executed: Path) -> dict[str, list[str]]:
    """What each chart of an executed page draws, by chart id, from its outputs' metadata."""
    nb = nbformat.read(str(executed), as_version=4)
    found: dict[str, list[str]] = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            ours = out.get("metadata", {}).get("ziyang", {})
            offline = ours.get("offline") or {}
            if offline.get("draws"):
                found[offline["chart_id"]] = list(offline["draws"])
            elif ours.get("chart_id") and "draws" in ours:
                found[ours["chart_id"]] = list(ours["draws"])
    return found


def _same(shown: str, wanted: Any) -> bool:
    if wanted is None or (isinstance(wanted, float) and math.isnan(wanted)) or wanted == "":
        return shown == ""
    return shown != "" and math.isclose(float(shown), float(wanted), rel_tol=1e-12)


def data_problems(chart_id: str, draws: list[str], rows: list[dict[str, str]]) -> list[str]:
    """How the downloaded rows differ from what `draws` names, valued from data/'s own files."""
    folder = data_dir()
    figures = pd.concat(
        [
            pd.read_csv(folder / "indicators.csv", dtype={"qualifier": str}),
            pd.read_csv(folder / "context.csv").rename(columns={"context_id": "id"}),
        ]
    ).set_index("id")
    glossary = pd.read_csv(folder / "glossary.csv", dtype=str)
    events = pd.read_csv(folder / "events.csv", dtype=str)
    wanted: dict[str, set[str]] = {"figure": set(), "term": set(), "event": set(), "check": set()}
    for ref in draws:
        name, args, _ = parse(ref)
        wanted["figure"] |= set(ids_in(ref))
        if name == "term":
            wanted["term"] |= set(glossary["term"]) if args == ["*"] else set(args)
        elif name == "event":
            wanted["event"] |= set(events["event_id"]) if args == ["*"] else set(args)
        elif name == "audit":
            wanted["check"] |= set(audit()["check_id"])
    problems = []
    for kind, ids in wanted.items():
        got = [r["id"] for r in rows if r["kind"] == kind]
        if sorted(got) != sorted(ids):
            problems.append(f"{chart_id}: {kind} rows {sorted(got)} != {sorted(ids)}")
    for row in rows:
        if row["kind"] != "figure" or row["id"] not in figures.index:
            continue
        record = figures.loc[row["id"]]
        for column in ("value", "low", "high"):
            if not _same(row.get(column, ""), record[column]):
                problems.append(f"{chart_id}: {row['id']} {column} {row.get(column)!r}")
        if row["qualifier"] != record["qualifier"]:
            problems.append(f"{chart_id}: {row['id']} qualifier {row['qualifier']!r}")
    return problems


def settled(page: Any) -> Any:
    """`page` once every chart on it has been drawn (or failed to be)."""
    if page.locator("figure.zy-chart").count():
        page.wait_for_selector("html[data-ziyang-charts]", timeout=CHART_TIMEOUT_MS)
    return page


def read_page(page: Any) -> dict[str, Any]:
    """The page's facts (`_READ_JS`), then every "About this data" opened and its CSV
    downloaded: ``downloads`` maps the chart id to the rows of its file."""
    facts = settled(page).evaluate(_READ_JS)
    downloads = {}
    for about in page.locator("details.zy-about").all():
        about.locator(":scope > summary").click()
        link = about.locator("a.zy-download")
        with page.expect_download() as info:
            link.click()
        text = Path(info.value.path()).read_text(encoding="utf-8")
        downloads[about.get_attribute("data-about")] = list(csv.DictReader(io.StringIO(text)))
    facts["downloads"] = downloads
    return facts


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda v: f"{v['width']}px")
def test_every_page_reads_as_a_publication(report_site, browser, viewport):  # noqa: F811
    site, seen_langs = report_site, set()
    for path in pages(site):
        where = f"{path.parent.name}/{path.name} at {viewport['width']} px"
        seen_langs.add(path.parent.name)
        run = browser.run_on_page(path, read_page, viewport=viewport)
        assert run.errors == [] and run.external_requests == [], where
        facts = run.result
        assert facts["breaks"] == [], where
        assert facts["tables"] == 0, where
        assert not [p for p in PLACEHOLDERS if p in facts["text"]], where
        assert bool(facts["abouts"]) != (path.stem in SOURCE_PAGES), f"{where}: charts?"
        for chart, about, is_open in facts["abouts"]:
            assert about == chart, f"{where}: {chart} is not followed by its About this data"
            assert is_open is False, f"{where}: {chart}'s About this data is open"
        executed = site / "executed" / path.parent.name / f"{path.stem}.ipynb"
        draws = drawn_by(executed)
        assert set(facts["downloads"]) == set(draws), where
        for chart_id, rows in facts["downloads"].items():
            assert rows, f"{where}: {chart_id}'s CSV is empty"
            assert data_problems(chart_id, draws[chart_id], rows) == [], where
        assert facts["outside"] == [], where
        assert facts["boxes"] == [], where
        assert not facts["sideways"], where
        assert facts["unsortable"] == [], f"{where}: a table whose headers do not sort"
        if viewport == PHONE_VIEWPORT:  # a finger's tap targets
            assert facts["small"] == [], where
    assert seen_langs == set(LANGS)


def test_the_checker_finds_a_row_that_is_not_the_data() -> None:
    """`data_problems` can fail: a changed value, a missing row and an extra row are found."""
    rows = [
        {"kind": "figure", "id": "poor_villages", "value": "325", "low": "325", "high": "325",
         "qualifier": "exact"},
    ]  # fmt: skip
    assert data_problems("c", ["poor_villages"], rows) == []
    assert data_problems("c", ["poor_villages"], [{**rows[0], "value": "326"}])
    assert data_problems("c", ["poor_villages", "poor_population"], rows)
    assert data_problems("c", [], rows)


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda v: f"{v['width']}px")
def test_the_index_leads_with_the_findings(report_site, browser, viewport):  # noqa: F811
    site = report_site
    run = browser.run_on_page(
        site / "index.html", lambda page: page.evaluate(_READ_JS), viewport=viewport
    )
    assert run.errors == [] and run.external_requests == []
    facts = run.result
    counts = audit()["verdict"].value_counts()
    for lang in LANGS:
        assert t("index.audit.heading", lang) in facts["text"]
        assert t("overview.charts.headline.title", lang) in facts["text"]
    assert f"{len(audit())}" in facts["text"]
    assert all(str(n) in facts["text"] for n in counts)
    assert facts["outside"] == [] and facts["boxes"] == [] and not facts["sideways"]
    shown = " ".join(facts["text"].split())
    for lang in LANGS:
        for stem, key in PAGES.items():
            if (site / "html" / lang / f"{stem}.html").is_file():
                assert " ".join(t(f"{key}.intro", lang).split()) in shown, (lang, stem)
