"""html_export: executed notebook → one offline page; checked as text and in headless chromium."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import nbformat
import plotly.graph_objects as go
import pytest
from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from tests.support.browser import PHONE_VIEWPORT, browser  # noqa: F401  (session fixture)
from ziyang_lib.pipeline.chart_html import script_json
from ziyang_lib.pipeline.html_export import (
    PLOTLYJS_NAME,
    export_html,
    plotlyjs_source,
    write_plotlyjs,
)
from ziyang_lib.report.charts.display import PLOTLY_MIMETYPE, chart_bundle
from ziyang_lib.report.page import REPORT_HIDE_TAG
from ziyang_lib.report.text import t

HOSTILE = (
    "<img src=x onerror=window.__pwned=1;alert(1)>"
    "</script><script>window.__pwned=2;alert(2)</script>"
)
NOT_REPRESENTED = "not able to be represented"
KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}


def chart_output(title: str, chart_id: str, caption: str | None = None, **layout):
    fig = go.Figure(go.Bar(x=["雁江区", "安岳县", "乐至县"], y=[3, 5, 2], name=title))
    fig.update_layout(title={"text": title}, **layout)
    data, metadata = chart_bundle(fig, chart_id=chart_id, caption=caption)
    return new_output("display_data", data=data, metadata=metadata)


def widget_output():
    view = {"model_id": "f00d", "version_major": 2, "version_minor": 0}
    data = {"application/vnd.jupyter.widget-view+json": view, "text/plain": "IntSlider(value=3)"}
    return new_output("display_data", data=data)


def markdown_output(text: str):
    return new_output("display_data", data={"text/markdown": text, "text/plain": text})


def handmade_notebook(n_charts: int = 2):
    """A notebook as the kernel would leave it, built without a kernel (fast tests)."""
    charts = [chart_output(f"图{i}", f"chart-{i}", caption=f"说明{i}") for i in range(n_charts)]
    nb = new_notebook(
        cells=[
            new_markdown_cell("# 资阳市脱贫攻坚成效\n\n简介。\n\n## 县区对比"),
            new_code_cell("SECRET_INPUT_MARKER = 1", outputs=charts, execution_count=1),
            new_code_cell("slider", outputs=[widget_output()], execution_count=2),
            new_code_cell("summary", outputs=[markdown_output("## 县区对比\n\n正文")]),
        ]
    )
    nb.metadata["widgets"] = {
        "application/vnd.jupyter.widget-state+json": {
            "state": {"f00d": {"model_name": "IntSliderModel"}},
            "version_major": 2,
            "version_minor": 0,
        }
    }
    return nb


def without_plotlyjs(page: str) -> str:
    return page.replace(plotlyjs_source(), "")


def csp_of(page: str) -> dict[str, list[str]]:
    soup = BeautifulSoup(without_plotlyjs(page), "html.parser")
    content = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in content.split(";")) if d}


def sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


# ---- the page as text ---------------------------------------------------------------------------


def test_inline_page_has_plotlyjs_once_and_no_external_reference():
    result = export_html(handmade_notebook(2), lang="zh", page_title="概况")
    assert result.n_charts == 2 and result.warnings == []
    assert result.html.count(plotlyjs_source()) == 1
    rest = without_plotlyjs(result.html)
    assert "http://" not in rest and "https://" not in rest and "//cdn" not in rest
    for needle in ("<link", "<script src", "@import", "require.js", "mathjax", "unpkg", "jquery"):
        assert needle not in rest.lower(), needle


def test_csp_allows_exactly_the_pages_own_scripts():
    result = export_html(handmade_notebook(1), lang="zh", page_title="概况")
    csp = csp_of(result.html)
    assert csp["default-src"] == ["'none'"]
    soup = BeautifulSoup(result.html, "html.parser")
    runnable = [s for s in soup.find_all("script") if not s.get("type") and not s.get("src")]
    assert len(runnable) == 2  # plotly.js and the chart runner
    assert sorted(csp["script-src"]) == sorted(sha256_source(s.string) for s in runnable)


def test_directory_mode_references_the_shared_file(tmp_path):
    nb = handmade_notebook(1)
    result = export_html(
        nb, lang="en", page_title="p", plotlyjs="directory", plotlyjs_href="../plotly.min.js"
    )
    assert plotlyjs_source() not in result.html
    assert '<script src="../plotly.min.js"></script>' in result.html
    assert "'self'" in csp_of(result.html)["script-src"]
    written = write_plotlyjs(tmp_path / "html")
    assert written == tmp_path / "html" / PLOTLYJS_NAME
    assert written.read_text(encoding="utf-8") == plotlyjs_source()
    assert write_plotlyjs(tmp_path / "html") == written  # idempotent


def test_shared_bundle_is_readable_by_others_even_if_an_earlier_copy_was_not(tmp_path):
    written = write_plotlyjs(tmp_path / "html")
    assert written.stat().st_mode & 0o444 == 0o444
    written.chmod(0o600)  # as an earlier build wrote it (served as blank boxes)
    assert write_plotlyjs(tmp_path / "html") == written
    assert written.stat().st_mode & 0o444 == 0o444
    assert written.read_text(encoding="utf-8") == plotlyjs_source()


def test_every_chart_carries_its_title_as_text_and_a_note_for_when_it_cannot_be_drawn():
    for lang in ("zh", "en"):
        page = export_html(handmade_notebook(2), lang=lang, page_title="p").html
        soup = BeautifulSoup(without_plotlyjs(page), "html.parser")
        figures = soup.select("figure.zy-chart")
        assert len(figures) == 2
        for i, figure in enumerate(figures):
            assert figure.select_one(".zy-chart-head .zy-chart-title").get_text() == f"图{i}"
            fallback = figure.select_one(".zy-chart-fallback")
            assert fallback.select_one(".zy-chart-note").get_text() == t(
                "page.chart_not_drawn", lang
            )


def test_a_themed_chart_sets_title_subtitle_caveat_and_buttons_as_page_text():
    """`theme.finish` lays a chart out for JupyterLab and exports; the page takes its words and
    buttons out of the figure (the browser wraps them; the buttons are 40 px HTML controls)
    and the figure gets shorter by exactly what it no longer draws above the plot."""
    from ziyang_lib.report import theme

    fig = go.Figure(go.Bar(x=["雁江区", "安岳县"], y=[3, 5]))
    theme.buttons(
        fig, [("数量", "restyle", [{"y": [[3, 5]]}]), ("占比", "restyle", [{"y": [[1, 2]]}])]
    )
    long_title = "资阳贫困人口" * 20  # far wider than a phone: one line of text, no <br>
    theme.finish(fig, long_title, subtitle="安岳县23.6万人", note="口径说明")
    data, metadata = chart_bundle(fig, chart_id="c")
    nb = new_notebook(
        cells=[
            new_code_cell("", outputs=[new_output("display_data", data=data, metadata=metadata)])
        ]
    )
    soup = BeautifulSoup(
        without_plotlyjs(export_html(nb, lang="zh", page_title="p").html), "html.parser"
    )
    figure = soup.select_one("figure.zy-chart")
    assert figure.select_one(".zy-chart-title").get_text() == long_title
    assert "<br" not in str(figure.select_one(".zy-chart-head"))
    assert figure.select_one(".zy-chart-subtitle .zy-nowrap").get_text() == "23.6万人"
    assert figure.select_one(".zy-chart-caveat").get_text() == "口径说明"
    buttons = figure.select(".zy-controls button.zy-control")
    assert [b.get_text() for b in buttons] == ["数量", "占比"]
    assert [b["aria-pressed"] for b in buttons] == ["true", "false"]
    spec = json.loads(figure.select_one("script.zy-plot-data").string)
    assert spec["layout"]["title"] == {"text": ""} and "updatemenus" not in spec["layout"]
    assert spec["controls"]["menus"][0][1] == {"method": "restyle", "args": [{"y": [[1, 2]]}]}
    block = theme.title_block(fig.to_plotly_json())
    lifted = fig.layout.margin.t - spec["layout"]["margin"]["t"]
    assert lifted == block["px"] + block["menu_px"] - theme.LIFTED_TOP_PX
    assert data[PLOTLY_MIMETYPE]["layout"]["height"] - spec["layout"]["height"] == lifted


def test_a_chart_whose_trace_type_the_bundle_lacks_is_a_page_problem():
    data, metadata = chart_bundle(go.Figure(go.Pie(values=[1, 2])), chart_id="pie")
    nb = handmade_notebook(1)
    nb.cells[1].outputs.append(new_output("display_data", data=data, metadata=metadata))
    result = export_html(nb, lang="en", page_title="p")
    assert result.n_charts == 2
    (warning,) = result.warnings
    assert warning == (
        f"cell 1 (id {nb.cells[1].id}): chart 'pie' draws trace type(s) pie, which the report's "
        "plotly.js lacks (add the chart to the registry and run `make plotlyjs`)"
    )


def test_page_without_charts_loads_no_script():
    nb = new_notebook(cells=[new_markdown_cell("# 只有文字")])
    result = export_html(nb, lang="zh", page_title="p")
    assert result.n_charts == 0
    assert "<script" not in result.html
    assert csp_of(result.html)["script-src"] == ["'none'"]


def test_a_widget_without_an_offline_view_leaves_its_section_out():
    """A live explorer needs a kernel: its cell (its heading too) is not on the page, nor in
    the contents, and nothing says "available in JupyterLab"."""
    nb = handmade_notebook(0)
    nb.cells[2].outputs.insert(0, markdown_output("## 浏览器"))  # the explorer's heading
    result = export_html(nb, lang="en", page_title="p")
    soup = BeautifulSoup(result.html, "html.parser")
    assert "浏览器" not in soup.get_text()
    assert "widget-state" not in result.html and "widget-view" not in result.html
    assert "IntSlider" not in result.html
    assert "JupyterLab" not in soup.select_one("main").get_text()  # no placeholder
    assert "widgets" in nb.metadata  # the caller's notebook is not modified
    assert "正文" in soup.get_text()  # the cells around it stay
    assert "浏览器" not in soup.select_one("nav.zy-toc").get_text()


def test_a_widget_with_an_offline_view_becomes_that_chart():
    fig = go.Figure(go.Scatter(x=[2013, 2019], y=[1, 2]))
    fig.update_layout(
        sliders=[{"active": 1, "currentvalue": {"prefix": "年份："},
                  "steps": [{"label": "2013—2016年", "method": "relayout", "args": [{}]},
                            {"label": "2013—2019年", "method": "relayout", "args": [{}]}]}],
        meta={"slider_notes": [["三年", "六年"]]},
    )  # fmt: skip
    view = {"chart_id": "calc", "figure": fig.to_plotly_json(), "after": "<p>之后</p>"}
    out = widget_output()
    out.metadata = {"ziyang": {"offline": view}}
    nb = handmade_notebook(0)
    nb.cells[1].outputs = [out]
    result = export_html(nb, lang="zh", page_title="p")
    assert result.n_charts == 1 and result.warnings == []
    soup = BeautifulSoup(without_plotlyjs(result.html), "html.parser")
    slider = soup.select_one("figure.zy-chart#chart-calc .zy-slider")
    assert slider.select_one("output").get_text() == "2013—2019年"
    assert slider.select_one(".zy-slider-note").get_text() == "六年"
    assert slider.select_one("input[type=range]")["max"] == "1"
    assert soup.select_one("figure.zy-chart + p").get_text() == "之后"
    spec = json.loads(soup.select_one("script.zy-plot-data").string)
    assert [s["note"] for s in spec["controls"]["sliders"][0]] == ["三年", "六年"]
    assert "sliders" not in spec["layout"] and "slider_notes" not in spec["layout"]["meta"]


def test_unrepresentable_output_is_a_warning():
    odd = new_output("display_data", data={"application/x-unknown": "?"})
    nb = new_notebook(cells=[new_code_cell("x", outputs=[odd])])
    with pytest.warns(UserWarning, match=NOT_REPRESENTED):  # nbconvert's own warning...
        result = export_html(nb, lang="zh", page_title="p")
    assert len(result.warnings) == 1  # ...is in the result, naming the cell
    assert NOT_REPRESENTED in result.warnings[0] and "cell 0" in result.warnings[0]


def test_scripts_and_handlers_in_outputs_are_reported():
    html_out = new_output("display_data", data={"text/html": '<p onclick="x()">a</p>'})
    nb = new_notebook(cells=[new_code_cell("x", outputs=[markdown_output(HOSTILE), html_out])])
    warnings = export_html(nb, lang="zh", page_title="p").warnings
    assert any("text/markdown" in w and "<script>" in w for w in warnings)
    assert any("text/markdown" in w and "handler" in w for w in warnings)
    assert any("text/html" in w and "handler" in w for w in warnings)
    escaped = markdown_output("&lt;img src=x onerror=alert(1)&gt; 文本")
    nb = new_notebook(cells=[new_code_cell("x", outputs=[escaped])])
    assert export_html(nb, lang="zh", page_title="p").warnings == []


def test_hostile_figure_title_stays_inside_its_json():
    nb = new_notebook(cells=[new_code_cell("x", outputs=[chart_output(HOSTILE, "evil")])])
    result = export_html(nb, lang="zh", page_title="p")
    soup = BeautifulSoup(without_plotlyjs(result.html), "html.parser")
    (data,) = soup.select("figure.zy-chart script.zy-plot-data")
    spec = json.loads(data.string)
    assert spec["layout"]["title"]["text"] == HOSTILE
    assert spec["data"][0]["name"] == HOSTILE


def test_script_json_escapes_markup_characters():
    value = {"t": "</script><!-- & \u2028", "n": [1, 2.5]}
    text = script_json(value)
    assert not re.search("[<>&\u2028]", text)
    assert json.loads(text) == value


def test_chart_is_responsive_and_keeps_its_caption():
    nb = new_notebook(
        cells=[new_code_cell("x", outputs=[chart_output("t", "c", "图注 <b>", width=1200)])]
    )
    soup = BeautifulSoup(
        without_plotlyjs(export_html(nb, lang="zh", page_title="p").html), "html.parser"
    )
    figure = soup.select_one("figure.zy-chart#chart-c")
    spec = json.loads(figure.select_one("script.zy-plot-data").string)
    assert "width" not in spec["layout"] and spec["layout"]["autosize"] is True
    assert spec["config"]["responsive"] is True and spec["config"]["typesetMath"] is False
    assert figure.figcaption.get_text() == "图注 <b>"
    assert figure.select_one(".zy-plot")["aria-label"] == "t"


def test_duplicate_chart_ids_are_made_unique():
    outputs = [chart_output("a", "same"), chart_output("b", "same"), chart_output("c", "x y")]
    nb = new_notebook(cells=[new_code_cell("x", outputs=outputs)])
    page = without_plotlyjs(export_html(nb, lang="zh", page_title="p").html)
    ids = [f["id"] for f in BeautifulSoup(page, "html.parser").select("figure.zy-chart")]
    assert ids == ["chart-same", "chart-same-2", "chart-x-y"]


def test_inputs_and_prompts_are_hidden():
    page = export_html(handmade_notebook(1), lang="zh", page_title="p").html
    assert "SECRET_INPUT_MARKER" not in page
    assert "In&nbsp;[" not in page and "Out[" not in page


def test_toc_links_every_heading_to_a_unique_anchor():
    page = export_html(handmade_notebook(1), lang="zh", page_title="p").html
    soup = BeautifulSoup(without_plotlyjs(page), "html.parser")
    toc = soup.select_one("main > nav.zy-toc")
    assert toc is not None and t("page.toc", "zh") in toc.get_text()
    links = [(a.get_text(), a["href"]) for a in toc.select("a")]
    assert [text for text, _ in links] == ["资阳市脱贫攻坚成效", "县区对比", "县区对比"]
    targets = [href[1:] for _, href in links]
    assert len(set(targets)) == 3
    for target in targets:
        assert soup.find(id=target).name in ("h1", "h2")


def test_cells_tagged_report_hide_are_left_out():
    nb = handmade_notebook(1)
    how_to = new_markdown_cell(
        "# 总览 · Overview\n\n**运行 / How to run**: `papermill …`",
        metadata={"tags": [REPORT_HIDE_TAG]},
    )
    nb.cells.insert(0, how_to)
    result = export_html(nb, lang="en", page_title="p")
    assert result.warnings == [] and result.n_charts == 1
    soup = BeautifulSoup(without_plotlyjs(result.html), "html.parser")
    main = soup.find("main")
    assert "How to run" not in main.get_text() and "papermill" not in main.get_text()
    assert main.find(["h1", "h2"]).get_text().strip("¶ ") == "资阳市脱贫攻坚成效"
    assert nb.cells[0] is how_to  # the caller's notebook is unchanged
    how_to.metadata["tags"] = ["other"]
    assert "How to run" in export_html(nb, lang="en", page_title="p").html


def test_language_title_and_links_bar():
    links = {"index": "../../index.html", "other_lang": "../en/00_overview.html"}
    zh = export_html(handmade_notebook(0), lang="zh", page_title="资阳 <概况>", links=links).html
    assert '<html lang="zh-CN">' in zh
    assert "<title>资阳 &lt;概况&gt;</title>" in zh
    bar = BeautifulSoup(zh, "html.parser").select_one("nav.zy-links")
    assert [(a.get_text(), a["href"]) for a in bar.select("a")] == [
        (t("page.links.index", "zh"), "../../index.html"),
        (t("page.links.other_lang", "zh"), "../en/00_overview.html"),
    ]
    assert bar.select_one(".zy-link-other_lang")["hreflang"] == "en"
    en = export_html(handmade_notebook(0), lang="en", page_title="Overview").html
    assert '<html lang="en">' in en and t("page.toc", "en") in en
    assert "Noto Sans CJK SC" in en  # the CJK-capable font stack is in the page's own CSS


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"lang": "fr"}, "lang"),
        ({"plotlyjs": "cdn"}, "plotlyjs"),
        ({"links": {"home": "x.html"}}, "unknown link"),
        ({"links": {"index": "https://example.org/"}}, "relative"),
        ({"links": {"index": "//example.org/x"}}, "relative"),
        ({"links": {"index": "javascript:alert(1)"}}, "relative"),
    ],
)
def test_bad_arguments_are_refused(kwargs, message):
    args = {"lang": "zh", "page_title": "p", **kwargs}
    with pytest.raises(ValueError, match=message):
        export_html(handmade_notebook(0), **args)


# ---- a really executed notebook, opened in chromium --------------------------------------------

EXECUTED_CELLS = [
    ("markdown", "# 资阳市脱贫攻坚成效\n\n全市贫困人口全部脱贫。"),
    (
        "code",
        "import plotly.graph_objects as go\n"
        "from ziyang_lib.report.charts.display import show\n"
        "x = ['雁江区', '安岳县', '乐至县']\n"
        "show(go.Figure(go.Bar(x=x, y=[3, 5, 2]), layout={'title': {'text': '各县区对比'}}),\n"
        "     chart_id='counties', caption='来源：综述', lang='zh')\n"
        "trend = go.Figure(go.Scatter(x=[2014, 2019], y=[9, 1]), layout={'title': '趋势'})\n"
        "show(trend, chart_id='trend', lang='zh')",
    ),
    ("markdown", "## 交互浏览"),
    ("code", "import ipywidgets as w\nw.IntSlider(value=3, min=0, max=10, description='年份')"),
    (
        "code",
        "import pandas as pd\nfrom IPython.display import Markdown, display\n"
        "display(Markdown('### 小结\\n\\n共两个图表。'))\n"
        "pd.DataFrame({'县区': x, '人数': [3, 5, 2]})",
    ),
]


@pytest.fixture(scope="module")
def executed_demo(tmp_path_factory):
    """The notebook above, executed in a real kernel through ziyang_lib.pipeline.execute."""
    from ziyang_lib.pipeline.execute import execute_notebook

    cells = [
        new_markdown_cell(src) if kind == "markdown" else new_code_cell(src)
        for kind, src in EXECUTED_CELLS
    ]
    folder = tmp_path_factory.mktemp("demo")
    source = folder / "demo.ipynb"
    nbformat.write(new_notebook(cells=cells, metadata={"kernelspec": KERNELSPEC}), source)
    return execute_notebook(source, folder / "demo.out.ipynb", timeout_cell=120).nb


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.slow
def test_executed_notebook_keeps_widget_state_that_export_drops(executed_demo):
    assert "widgets" in executed_demo.metadata  # nbclient stores widget state by default...
    page = export_html(executed_demo, lang="zh", page_title="成效").html
    assert "widget-state" not in page  # ...and the page does not carry it


@pytest.mark.slow
@pytest.mark.browser
def test_executed_page_draws_every_chart_offline(executed_demo, browser, tmp_path):  # noqa: F811
    result = export_html(
        executed_demo, lang="zh", page_title="成效", links={"index": "../index.html"}
    )
    assert result.n_charts == 2 and result.warnings == []
    page = write(tmp_path / "zh" / "01.html", result.html)
    report = browser.open_page(page, find_text="资阳市脱贫攻坚成效")
    assert report.n_charts == report.n_chart_slots == 2
    assert report.errors == [] and report.external_requests == [] and report.dialogs == []
    assert report.lang == "zh-CN" and report.title == "成效"
    assert report.text_found and report.text_fonts == ["Noto Sans CJK SC"]
    assert report.broken_anchors == []
    assert NOT_REPRESENTED not in report.text
    assert "小结" in report.text and "安岳县" in report.text and "来源：综述" in report.text


@pytest.mark.slow
@pytest.mark.browser
def test_toc_links_scroll_to_their_headings(executed_demo, browser, tmp_path):  # noqa: F811
    page = write(tmp_path / "p.html", export_html(executed_demo, lang="zh", page_title="p").html)
    report = browser.open_page(
        page,
        evaluate={
            "toc": "[...document.querySelectorAll('nav.zy-toc a')].map(a => a.textContent)",
            "targets": "[...document.querySelectorAll('nav.zy-toc a')].map(a => "
            "document.getElementById(decodeURIComponent(a.hash.slice(1)))?.tagName)",
        },
    )
    assert report.values["toc"] == ["资阳市脱贫攻坚成效", "交互浏览", "小结"]
    assert report.values["targets"] == ["H1", "H2", "H3"]


@pytest.mark.slow
@pytest.mark.browser
def test_page_fits_a_phone_screen(executed_demo, browser, tmp_path):  # noqa: F811
    page = write(tmp_path / "p.html", export_html(executed_demo, lang="zh", page_title="p").html)
    report = browser.open_page(
        page,
        viewport=PHONE_VIEWPORT,
        evaluate={
            "page_width": "document.documentElement.scrollWidth",
            "chart_widths": "[...document.querySelectorAll('.js-plotly-plot')]"
            ".map(p => p.getBoundingClientRect().right)",
        },
    )
    assert report.n_charts == 2 and report.errors == []
    assert report.values["page_width"] <= PHONE_VIEWPORT["width"]
    assert all(0 < right <= PHONE_VIEWPORT["width"] for right in report.values["chart_widths"])


@pytest.mark.slow
@pytest.mark.browser
def test_directory_mode_page_draws_from_the_shared_file(executed_demo, browser, tmp_path):  # noqa: F811
    write_plotlyjs(tmp_path / "html")
    result = export_html(
        executed_demo,
        lang="en",
        page_title="p",
        plotlyjs="directory",
        plotlyjs_href="../plotly.min.js",
    )
    page = write(tmp_path / "html" / "en" / "01.html", result.html)
    report = browser.open_page(page)
    assert report.n_charts == 2 and report.errors == [] and report.external_requests == []
    assert report.lang == "en"


FALLBACK_FACTS = {
    "fallbacks_shown": "[...document.querySelectorAll('figure.zy-chart')].map(f => "
    "f.querySelector('.zy-chart-fallback').offsetHeight > 0)",
    "plots_shown": "[...document.querySelectorAll('figure.zy-chart')].map(f => "
    "f.querySelector('.zy-plot').offsetHeight > 0)",
    "fallback_texts": "[...document.querySelectorAll('.zy-chart-fallback')].map(e => e.innerText)",
    "titles": "[...document.querySelectorAll('.zy-chart-title')].map(e => e.innerText)",
    "drawn": "document.documentElement.dataset.ziyangDrawn",
}


@pytest.mark.browser
@pytest.mark.parametrize("mode", ["inline", "directory"])
def test_without_plotlyjs_each_chart_shows_its_title_and_note(browser, tmp_path, mode):  # noqa: F811
    href = "../plotly.min.js"
    result = export_html(
        handmade_notebook(2), lang="en", page_title="p", plotlyjs=mode, plotlyjs_href=href
    )
    page = result.html
    if mode == "inline":  # the script removed from the page
        page = page.replace(f"<script>{plotlyjs_source()}</script>", "")
        assert plotlyjs_source() not in page
    # directory mode: the shared file is never written next to the page, so it cannot load
    path = write(tmp_path / "html" / "en" / "p.html", page)
    report = browser.open_page(path, evaluate=FALLBACK_FACTS)
    assert report.n_charts == 0 and report.n_chart_slots == 2
    assert report.values["fallbacks_shown"] == [True, True]
    assert report.values["plots_shown"] == [False, False]  # no blank box
    note = t("page.chart_not_drawn", "en")
    assert report.values["fallback_texts"] == [note, note]
    assert report.values["titles"] == [f"图{i}" for i in range(2)]  # the title stays above it
    assert report.values["drawn"] == "0"
    assert any("plotly.js did not load" in error for error in report.errors)


@pytest.mark.browser
def test_a_drawn_chart_hides_its_fallback(browser, tmp_path):  # noqa: F811
    path = write(
        tmp_path / "p.html", export_html(handmade_notebook(2), lang="zh", page_title="p").html
    )
    report = browser.open_page(path, evaluate=FALLBACK_FACTS)
    assert report.n_charts == 2 and report.errors == []
    assert report.values["fallbacks_shown"] == [False, False]
    assert report.values["plots_shown"] == [True, True]
    assert report.values["drawn"] == "2"


@pytest.mark.browser
def test_hostile_labels_run_no_script(browser, tmp_path):  # noqa: F811
    hostile_html = new_output("display_data", data={"text/html": f"<p>{HOSTILE}</p>"})
    nb = new_notebook(
        cells=[
            new_markdown_cell("# 标题"),
            new_code_cell(
                "x", outputs=[chart_output(HOSTILE, "evil"), markdown_output(HOSTILE), hostile_html]
            ),
        ]
    )
    result = export_html(nb, lang="zh", page_title=HOSTILE)
    assert result.warnings  # the build would fail on these outputs...
    page = write(tmp_path / "evil.html", result.html)
    report = browser.open_page(page, evaluate={"pwned": "window.__pwned === undefined"})
    # ...and even so, nothing in them runs in the page:
    assert report.dialogs == []
    assert report.values["pwned"] is True
    assert report.n_charts == 1
    assert report.title == HOSTILE
    assert any("Content Security Policy" in e for e in report.errors)  # blocked, not absent


def html_output(text: str):
    return new_output("display_data", data={"text/html": text, "text/plain": "x"})


def test_html_outputs_reach_the_page_as_written_and_images_still_get_alt_text():
    # the report's own HTML is kept out of nbconvert's re-parse of the page (and set back in,
    # byte for byte), except an output holding an <img>, which nbconvert gives an alt
    ours = "<details open><summary>A &amp; B</summary><p class=x>1<br>2</p></details>"
    image = '<p>plot</p><img src="data:image/png;base64,iVBORw0KGgo=">'
    nb = new_notebook(
        cells=[
            new_markdown_cell("# 标题"),
            new_code_cell("a", outputs=[html_output(ours)]),
            new_code_cell("b", outputs=[html_output(image)]),
        ]
    )
    page = export_html(nb, lang="zh", page_title="p").html
    assert ours in page
    assert "<!--ziyang:output:" not in page
    img = BeautifulSoup(page, "html.parser").find("img")
    assert img is not None and img.get("alt")
    assert nb.cells[1].outputs[0].data["text/html"] == ours  # the caller's notebook is unchanged


def test_an_output_whose_script_nbconvert_prefers_is_reported_not_lost():
    # nbconvert shows application/javascript before text/html: the page blocks it and says so
    both = new_output(
        "display_data",
        data={"application/javascript": "1", "text/html": "<p>x</p>", "text/plain": "x"},
    )
    nb = new_notebook(cells=[new_code_cell("a", outputs=[both])])
    result = export_html(nb, lang="en", page_title="p")
    assert any("application/javascript" in w for w in result.warnings)


def test_text_that_looks_like_a_placeholder_is_only_text():
    lookalike = "<!--ziyang:output:0-->"
    nb = new_notebook(
        cells=[
            new_markdown_cell(f"# t\n\n{lookalike}"),
            new_code_cell("a", outputs=[html_output("<p>mine</p>")]),
        ]
    )
    page = export_html(nb, lang="en", page_title="p").html
    assert "<p>mine</p>" in page and lookalike in page
