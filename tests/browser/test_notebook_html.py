"""The executed report notebooks, exported with ``export_html`` and opened in headless chromium."""

from __future__ import annotations

import json
import re

import pytest

from tests.support.browser import browser  # noqa: F401  (session fixture)
from tests.support.nbfixtures import HOSTILE, HOSTILE_ID, LANGS, NOTEBOOKS, ROOT, executed  # noqa: F401
from tests.support.nbshape import page_charts
from ziyang_lib.pipeline.html_export import export_html
from ziyang_lib.report.charts.display import PLOTLY_MIMETYPE
from ziyang_lib.report.charts.registry import PAGES
from ziyang_lib.report.page import page_title
from ziyang_lib.report.text import t
from ziyang_lib.truth.loaders import indicator

CJK = re.compile(r"[\u4e00-\u9fff]{2,}")
NOTO_SC = "Noto Sans CJK SC"


def count(nb, mimetype: str) -> int:
    return sum(
        mimetype in out.get("data", {}) for cell in nb.cells for out in cell.get("outputs", [])
    )


HOW_TO_RUN = ("How to run", "papermill", "运行 /", "--only", "Run All")


def check_page_language(page: str, stem: str, lang: str) -> None:
    """The page opens with the notebook's heading and intro in `lang` only, and no how-to-run."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page, "html.parser")
    main = soup.find("main")
    for tag in main.find_all(["script", "style"]):
        tag.decompose()
    text = main.get_text(" ")
    heading = main.find(["h1", "h2", "h3"]).get_text().strip("¶ ")
    assert heading == page_title(stem, lang)
    assert main.select_one("nav.zy-toc a").get_text() == heading
    intro = {code: t(f"{PAGES[stem]}.intro", code) for code in LANGS}
    other = next(code for code in LANGS if code != lang)
    assert intro[lang] in " ".join(text.split())
    assert intro[other] not in text and page_title(stem, other) not in text
    if lang == "en":
        assert not CJK.search(heading)
    for words in HOW_TO_RUN:
        assert words not in text, f"{stem}/{lang}: {words!r} on the page"


def probe(stem: str, lang: str) -> str:
    """Text the page must show: zh, the first section heading (Chinese); en, the page title."""
    if lang == "zh":
        cells = json.loads((ROOT / "notebooks" / f"{stem}.ipynb").read_text("utf-8"))["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        key = re.search(r'page\.heading\("(\w+)"', code)
        return t(f"{PAGES[stem]}.sections.{key.group(1)}.heading", "zh")
    return page_title(stem, "en")


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_page_draws_every_chart_offline(executed, browser, tmp_path, stem, lang):  # noqa: F811
    nb = executed.run((stem, lang)).notebook()
    n_charts = page_charts(nb)
    result = export_html(nb, lang=lang, page_title=page_title(stem, lang))
    assert result.warnings == []
    assert result.n_charts == n_charts
    check_page_language(result.html, stem, lang)
    page = tmp_path / f"{stem}.{lang}.html"
    page.write_text(result.html, encoding="utf-8")
    wanted = probe(stem, lang)
    report = browser.open_page(page, find_text=wanted)
    assert report.n_charts == report.n_chart_slots == n_charts
    assert report.errors == []
    assert report.external_requests == []
    assert report.dialogs == []
    assert report.broken_anchors == []
    assert report.lang == t("page.html_lang", lang)
    assert report.text_found, f"{wanted!r} not on the page"
    if lang == "zh":  # Chinese text is drawn with the CJK font
        assert NOTO_SC in report.text_fonts, report.text_fonts
    assert not any(words in report.text for words in HOW_TO_RUN)
    assert "JupyterLab" not in report.text  # no explorer left as a placeholder
    assert "Traceback" not in report.text


@pytest.mark.slow
@pytest.mark.browser
def test_hostile_label_is_shown_as_text_and_never_runs(executed, browser, tmp_path):  # noqa: F811
    nb = executed.run("hostile").notebook()
    label_was_used = any(
        "onerror" in json.dumps(out.get("data", {}))
        for cell in nb.cells
        for out in cell.get("outputs", [])
    )
    assert label_was_used, "the hostile label never reached an output: the test proves nothing"
    assert indicator(HOSTILE_ID).label("en") != HOSTILE  # the project's data is untouched
    result = export_html(nb, lang="en", page_title="hostile")
    assert result.warnings == []
    page = tmp_path / "hostile.html"
    page.write_text(result.html, encoding="utf-8")
    report = browser.open_page(
        page,
        evaluate={
            "injected": "document.querySelectorAll('img[src=\"x\"], img[onerror]').length",
            "shown": f"document.body.textContent.includes({json.dumps(HOSTILE)})",
        },
    )
    assert report.dialogs == []
    assert report.errors == []  # a handler blocked by the page's CSP would be logged here
    assert report.values["injected"] == 0
    assert report.values["shown"], "the label is not drawn as text"
    assert report.n_charts == count(nb, PLOTLY_MIMETYPE)
