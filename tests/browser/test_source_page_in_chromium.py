"""The "Read the source" page of the built report in headless chromium, zh and en, 390 and 1280 px:
every row of mentions.csv marked once at its offsets, notes that open on a tap and stay in the
viewport, excluded mentions that say why, chart links that land on a chart, nothing fetched from
outside file://, nothing sticking out of its container."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest

from tests.support.browser import PHONE_VIEWPORT, browser  # noqa: F401  (session fixture)
from tests.support.site import report_site  # noqa: F401  (session fixture)
from tests.support.source_marks import mark_problems
from ziyang_lib.paths import data_dir
from ziyang_lib.report.source_page import SourceArticle
from ziyang_lib.report.text import t

pytestmark = [pytest.mark.slow, pytest.mark.browser]

STEM = "05_source"
LANGS = ("zh", "en")
WIDTHS = {390: PHONE_VIEWPORT, 1280: {"width": 1280, "height": 900}}
MIN_TAP = 40  # px: a mark fills a line box at least this tall

# Runs in the page: every mark, its note and the note's links.
_MARKS_JS = """() => [...document.querySelectorAll("[data-mention]")].map((el) => {
  const note = document.getElementById(el.getAttribute("aria-describedby"));
  const r = el.getBoundingClientRect();
  return {
    start: el.dataset.mention,
    text: el.textContent,
    height: r.height,
    note: note ? note.textContent : null,
    noteShown: note ? getComputedStyle(note).display !== "none" : null,
    links: note ? [...note.querySelectorAll("a")].map((a) => a.getAttribute("href")) : [],
  };
})"""

# Runs in the page: text boxes wider than the page or sticking out of their block.
_OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  const root = document.documentElement;
  if (root.scrollWidth > width) out.push(`page scrolls sideways: ${root.scrollWidth} > ${width}`);
  const boxes = "main p, main h1, main h2, main h3, main mark, main td, main summary, main li";
  for (const el of document.querySelectorAll(boxes)) {
    const r = el.getBoundingClientRect();
    if (!r.width) continue;
    const box = el.parentElement.closest("p, section, div, td, li, details") || document.body;
    const b = box.getBoundingClientRect();
    const what = `${el.tagName} ${el.textContent.slice(0, 40)}`;
    if (r.left < -0.5 || r.right > width + 0.5) out.push(`outside the page: ${what}`);
    else if (r.right > b.right + 1 || r.left < b.left - 1) out.push(`outside its box: ${what}`);
  }
  return out;
}"""


def test_the_overflow_check_finds_text_outside_its_box(browser, tmp_path) -> None:  # noqa: F811
    page = tmp_path / "wide.html"
    page.write_text(
        '<html><body><main><section style="width:200px"><p style="width:300px">wide</p>'
        '</section><p style="margin-left:-50px">left</p></main></body></html>',
        encoding="utf-8",
    )
    run = browser.run_on_page(page, lambda p: p.evaluate(_OVERFLOW_JS), viewport=PHONE_VIEWPORT)
    assert any("outside its box: P wide" in line for line in run.result), run.result
    assert any("outside the page: P left" in line for line in run.result), run.result


def page_path(site: Path, lang: str) -> Path:
    return site / "html" / lang / f"{STEM}.html"


def _facts(page: Any) -> dict[str, Any]:
    return {
        "lang": page.evaluate("document.documentElement.lang"),
        "marks": page.evaluate(_MARKS_JS),
        "overflow": page.evaluate(_OVERFLOW_JS),
    }


@pytest.fixture(scope="module")
def seen(report_site, browser) -> dict[tuple[str, int], Any]:  # noqa: F811
    """Each language × width: the page's facts in chromium, with its errors and requests."""
    return {
        (lang, width): browser.run_on_page(page_path(report_site, lang), _facts, viewport=vp)
        for lang in LANGS
        for width, vp in WIDTHS.items()
    }


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", LANGS)
def test_every_mention_is_marked_once_at_its_offsets(seen, lang: str, width: int) -> None:
    run = seen[(lang, width)]
    marks = run.result["marks"]
    assert mark_problems([(m["start"], m["text"]) for m in marks], data_dir()) == []
    assert run.result["lang"] == t("page.html_lang", lang)
    assert run.errors == [] and run.external_requests == []
    assert not [m["start"] for m in marks if m["noteShown"]], "a note is open before any tap"
    short = [(m["text"], m["height"]) for m in marks if m["height"] < MIN_TAP]
    assert short == [], f"marks shorter than a {MIN_TAP} px tap target"
    assert run.result["overflow"] == []


@pytest.mark.parametrize("lang", LANGS)
def test_excluded_mentions_say_why_and_mapped_ones_link_to_a_chart(seen, lang: str) -> None:
    article = SourceArticle(lang)
    marks = {m["start"]: m for m in seen[(lang, 390)].result["marks"]}
    for m in article.mentions:
        shown = marks[str(m.start)]
        note = " ".join(shown["note"].split())
        if m.mapped:
            drawn = article.links.charts(m)
            assert len(shown["links"]) == len(drawn), (m.start, m.raw)
            if not drawn:
                assert t("source.note.no_chart", lang) in note, (m.start, m.raw)
        else:
            reason = " ".join(
                html.unescape(re.sub(r"<[^>]+>", "", article.reason(m).markdown)).split()
            )
            assert reason in note, (m.start, m.raw)


def test_every_chart_link_lands_on_a_chart(report_site, browser, seen) -> None:  # noqa: F811
    wanted: dict[tuple[str, str], set[str]] = {}
    for lang in LANGS:
        for mark in seen[(lang, 1280)].result["marks"]:
            for href in mark["links"]:
                page, _, anchor = href.partition("#")
                assert "/" not in page and page.endswith(".html") and anchor, href
                wanted.setdefault((lang, page), set()).add(anchor)
    assert wanted, "no mark links to any chart"
    for (lang, page), anchors in wanted.items():
        target = report_site / "html" / lang / page
        assert target.is_file(), target
        ids = sorted(anchors)
        run = browser.run_on_page(
            target,
            lambda p, ids=ids: p.evaluate(
                "(ids) => ids.filter((id) => !document.querySelector(`figure.zy-chart"
                "[id='${id}'], section.zy-block[id='${id}']`))",  # a plot, or a block for one
                ids,
            ),
        )
        assert run.result == [], f"{lang}/{page}: no chart with id {run.result}"


def _tap_and_measure(page: Any, starts: list[int], touch: bool) -> list[dict[str, Any]]:
    """Tap (or click) each mark: is its note shown, where, and does a tap elsewhere close it?
    Then open the first note again and follow its first link."""

    def press(start: int) -> Any:
        mark = page.locator(f'[data-mention="{start}"]')
        mark.scroll_into_view_if_needed()
        mark.tap() if touch else mark.click()
        return page.locator(f"#zy-note-{start}")

    def elsewhere() -> None:
        page.touchscreen.tap(2, 2) if touch else page.mouse.click(2, 2)

    found = []
    for start in starts:
        note = press(start)
        shown = {"start": start, "visible": note.is_visible(), "box": note.bounding_box()}
        elsewhere()
        found.append({**shown, "closed": not note.is_visible()})
    press(starts[0]).locator("a").first.click()
    page.wait_for_load_state("load")
    found.append({"url": page.url})
    return found


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", LANGS)
def test_a_tap_opens_the_note_inside_the_viewport_and_its_link_works(
    report_site,  # noqa: F811
    browser,  # noqa: F811
    lang: str,
    width: int,
) -> None:
    article = SourceArticle(lang)
    linked = next(m for m in article.mentions if m.mapped and article.links.charts(m))
    excluded = next(m for m in article.mentions if not m.mapped)
    last = article.mentions[-1]  # in the footer, at the bottom of the page
    starts = [linked.start, excluded.start, last.start]
    touch = width < 600
    run = browser.run_on_page(
        page_path(report_site, lang),
        lambda p: _tap_and_measure(p, starts, touch),
        viewport=WIDTHS[width],
        touch=touch,
    )
    *taps, followed = run.result
    for tap in taps:
        assert tap["visible"] and tap["closed"], tap
        box = tap["box"]
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, tap
        if touch:  # on a phone the whole note is on the screen, wherever the mark is
            assert box["y"] >= 0 and box["y"] + box["height"] <= WIDTHS[width]["height"], tap
    first_chart = article.links.charts(linked)[0]
    assert followed["url"].endswith(f"/{lang}/{first_chart.href}"), followed
    assert run.errors == [] and run.external_requests == []
