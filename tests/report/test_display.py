"""charts.display: the one display bundle a chart leaves the kernel with."""

from __future__ import annotations

import subprocess
import sys
import warnings

import nbformat
import plotly.graph_objects as go
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from ziyang_lib.pipeline.execute import execute_notebook
from ziyang_lib.report.charts.display import PLOTLY_MIMETYPE, chart_bundle, chart_title
from ziyang_lib.report.text import t

KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}
HOSTILE = "<img src=x onerror=alert(1)></script><script>alert(1)</script>"


def bar(title: str = "资阳 <b>脱贫人口</b>") -> go.Figure:
    return go.Figure(go.Bar(x=["雁江区", "安岳县"], y=[3, 5]), layout={"title": {"text": title}})


def test_bundle_has_figure_json_html_note_and_chart_id():
    data, metadata = chart_bundle(bar(), chart_id="poor-people", caption="来源：综述")
    figure = data[PLOTLY_MIMETYPE]
    assert figure["data"][0]["x"] == ["雁江区", "安岳县"]
    assert figure["data"][0]["type"] == "bar"
    assert metadata == {"ziyang": {"chart_id": "poor-people", "caption": "来源：综述"}}
    assert "资阳 脱贫人口" in data["text/html"]  # title without plotly's <b> tags
    assert "<b>" not in data["text/html"]
    assert "来源：综述" in data["text/html"]
    assert t("page.chart_fallback", "zh") in data["text/plain"]


def test_bundle_publishes_the_figure_without_its_source_note():
    """The page prints the source right under the chart, so the bundle drops the in-figure note
    (and the room it took); the figure itself keeps it for static exports. A caveat given to
    `finish` stays in the title block, for the page to set under the plot."""
    from ziyang_lib.report import theme

    fig = theme.finish(bar(), "资阳 脱贫人口", note="口径：建档立卡，¶ 6")
    fig = theme.add_note(fig, "来源：资阳市人民政府综述")
    fig.add_annotation(x="安岳县", y=5, text="安岳县最多")
    data, _ = chart_bundle(fig, chart_id="c")
    layout = data[PLOTLY_MIMETYPE]["layout"]
    assert [a["text"] for a in layout["annotations"]] == ["安岳县最多"]
    assert "来源" not in str(data[PLOTLY_MIMETYPE])
    assert theme.title_block(data[PLOTLY_MIMETYPE])["note"] == "口径：建档立卡，¶ 6"
    n_lines = len(theme.wrap("口径：建档立卡，¶ 6 来源：资阳市人民政府综述"))  # the in-figure note
    assert layout["height"] == fig.layout.height - n_lines * theme.FOOTNOTE_LINE_PX
    assert layout["margin"]["b"] == fig.layout.margin.b - n_lines * theme.FOOTNOTE_LINE_PX
    assert [a.name for a in fig.layout.annotations].count(theme.FOOTNOTE_NAME) == 1


def test_note_language_follows_lang_and_defaults_to_both():
    zh_note, en_note = t("page.chart_fallback", "zh"), t("page.chart_fallback", "en")
    both, _ = chart_bundle(bar(), chart_id="c")
    assert zh_note in both["text/plain"] and en_note in both["text/plain"]
    english, _ = chart_bundle(bar(), chart_id="c", lang="en")
    assert en_note in english["text/plain"] and zh_note not in english["text/plain"]
    with pytest.raises(ValueError, match="lang"):
        chart_bundle(bar(), chart_id="c", lang="fr")


def test_hostile_title_and_caption_are_escaped_in_the_html_note():
    data, _ = chart_bundle(bar("A & B < C " + HOSTILE), chart_id="c", caption=HOSTILE)
    note = data["text/html"]
    assert "<img" not in note and "<script" not in note and "</script" not in note
    assert "A &amp; B &lt; C" in note
    assert "&lt;img src=x onerror=alert(1)&gt;" in note  # the caption, shown as text


def test_chart_title_handles_missing_and_plain_titles():
    assert chart_title({"layout": {}}) == ""
    assert chart_title({"layout": {"title": {"text": "a<br>b"}}}) == "a b"
    assert chart_title({"layout": {"title": {"text": "R&amp;D"}}}) == "R&D"


def test_chart_id_is_required():
    with pytest.raises(ValueError, match="chart_id"):
        chart_bundle(bar(), chart_id="")


def test_bundle_does_not_touch_plotly_renderers():
    """Touching plotly.io.renderers imports nbformat (~1.3 s per kernel); show() must not."""
    code = (
        "import sys, plotly.graph_objects as go\n"
        "from ziyang_lib.report.charts.display import chart_bundle\n"
        "chart_bundle(go.Figure(go.Bar(y=[1])), chart_id='c')\n"
        "print('plotly.io._renderers' in sys.modules, 'nbformat' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


@pytest.mark.slow
def test_show_in_a_kernel_publishes_one_bundle_plain_nbconvert_shows_the_note(tmp_path):
    from nbconvert import HTMLExporter

    nb = new_notebook(
        cells=[
            new_code_cell(
                "import plotly.graph_objects as go\n"
                "from ziyang_lib.report.charts.display import show\n"
                "fig = go.Figure(go.Bar(x=['雁江区'], y=[1]), layout={'title': {'text': '标题'}})\n"
                "show(fig, chart_id='demo', caption='说明', lang='zh')"
            )
        ]
    )
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, tmp_path / "show.ipynb")
    nb = execute_notebook(tmp_path / "show.ipynb", tmp_path / "out.ipynb", timeout_cell=120).nb
    outputs = nb.cells[0].outputs
    assert [o.output_type for o in outputs] == ["display_data"]
    output = outputs[0]
    assert set(output.data) == {PLOTLY_MIMETYPE, "text/html", "text/plain"}
    assert output.metadata["ziyang"] == {"chart_id": "demo", "caption": "说明"}
    assert output.data[PLOTLY_MIMETYPE]["data"][0]["x"] == ["雁江区"]

    # Plain nbconvert (no ziyang template) falls back to the note, never a blank box.
    nbformat.validate(nb)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        page, _ = HTMLExporter().from_notebook_node(nb)
    assert not [w for w in record if "not able to be represented" in str(w.message)]
    assert t("page.chart_fallback", "zh") in page and "标题" in page
