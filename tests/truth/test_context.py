"""Ziyang in context: data/context.csv, its loader and resolver, the charts and notebook 04."""

from __future__ import annotations

import csv
import html
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.browser.test_notebook_html import check_page_language
from tests.support.browser import browser  # noqa: F401  (session fixture)
from ziyang_lib.errors import DataError
from ziyang_lib.report import notes, provenance
from ziyang_lib.report.charts.registry import all_charts, charts_of, get
from ziyang_lib.report.page import page_title
from ziyang_lib.report.prose import sentence
from ziyang_lib.report.text import t
from ziyang_lib.truth import context
from ziyang_lib.truth.loaders import indicator

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
FRICTIONLESS = [sys.executable, "-m", "frictionless"]  # the CLI of the running environment
NOTEBOOK = ROOT / "notebooks" / "04_context.ipynb"


def value(ident: str) -> float:
    return context.figure(ident).value


def _copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def _edit_context(folder: Path, row_id: str, /, **cells: str) -> None:
    path = folder / "context.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    header = list(rows[0])
    for row in rows:
        if row["context_id"] == row_id:
            row.update(cells)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


# --- the table ---------------------------------------------------------------------------------


def test_every_row_has_a_definition_producer_and_publication() -> None:
    frame = context.load_context()
    assert frame["context_id"].is_unique
    for row in frame.to_dict("records"):
        ident = row["context_id"]
        assert row["definition"] and row["producer"] and row["producer_zh"], ident
        assert row["publication"] and row["publication_zh"], ident
        assert row["single_sourced"] == (row["corroborated_by"] is None)  # an empty cell
        assert row["reposts_only"] == (row["url"] is None), ident
        assert row["url"] is not None or row["retrieved_from"] is not None, ident


def test_no_repost_is_the_primary_citation() -> None:
    figures = [context.context_figure(i) for i in context.load_context()["context_id"]]
    for fig in figures:
        if fig.url:
            assert context.is_producer_site(fig.url), (fig.context_id, fig.url)
        assert not any(context.is_producer_site(u) for u in fig.reposts), fig.context_id
    # the list decides by domain, not by a substring of the host
    assert context.is_producer_site("http://www.sc.gov.cn/10462/x.shtml")
    assert context.is_producer_site("http://j.people.com.cn/n3/2020/0125/x.html")
    assert not context.is_producer_site("http://zylgz.com/guonei/16400.html")
    assert not context.is_producer_site("http://notpeople.com.cn.example.org/x")
    # the corrections of issue 12: the Xinhua dispatch is read on a trade site, not cited as it
    sc = context.context_figure("sc_registered_poor_2013")
    assert sc.reposts_only and sc.url == "" and sc.source_date == "2018-12-12"
    assert "6470969.cn" in sc.retrieved_from and "Xinhua" in sc.publication
    assert sum(f.reposts_only for f in figures) >= 1 and sum(bool(f.url) for f in figures) >= 1


def test_one_value_per_row_and_series_split() -> None:
    frame = context.load_context()
    assert not frame["value"].astype(str).str.contains(";").any()
    years = [context.figure(f"cn_rural_poor_{y}").year for y in range(2012, 2021)]
    assert years == list(range(2012, 2021))


def test_the_figures_agree_with_each_other_and_with_the_source() -> None:
    # Sichuan's yearly exits add up to its 88 poor counties.
    exits = sum(value(f"sc_county_exits_{y}") for y in range(2016, 2021))
    assert exits == value("sc_poor_counties") == 88
    # Mid-2018: exited + remaining = the summary's 325, and the two plans cover the remainder.
    assert value("zy_villages_exited_mid2018") + value("zy_villages_remaining_mid2018") == 325
    assert value("zy_villages_plan_2018") + value("zy_villages_plan_2019") == value(
        "zy_villages_remaining_mid2018"
    )
    assert indicator("poor_villages").value == 325
    # The derived 2013 count: 9899万 at end-2012 minus the 1650万 reduction of 2013.
    assert value("cn_rural_poor_2013") == value("cn_rural_poor_2012") - 16_500_000
    # The national survey series only falls.
    series = [value(f"cn_rural_poor_{y}") for y in range(2012, 2021)]
    assert series == sorted(series, reverse=True) and series[-1] == 0


def test_definitions_say_survey_and_register_apart() -> None:
    assert "not the register" in context.figure("cn_rural_poor_2015").definition
    assert "建档立卡" in context.figure("sc_registered_poor_2013").definition
    assert context.figure("zy_designated_poor_counties").kind == "derived"
    assert {context.figure(f"zy_villages_plan_{y}").kind for y in (2018, 2019)} == {"plan"}


@pytest.mark.parametrize(
    "context_id, cells, problem",
    [
        ("cn_poor_counties", {"context_id": "cn_poor_villages"}, "duplicate 'cn_poor_villages'"),
        (
            "sc_poor_villages",
            {"low": "1"},
            r"1 breaks the bounds convention for 'exact' \(expected",
        ),
        ("zy_funds_2020_03", {"single_sourced": "false"}, "single_sourced must be true"),
        ("cn_rural_poor_2014", {"url": "www.example.com/x"}, "does not match"),
        ("cn_rural_poor_2014", {"kind": "guess"}, "is not one of"),
        ("cn_rural_poor_2014", {"value": "7017万"}, "expected a number, got '7017万'"),
        ("cn_rural_poor_2014", {"publication": ""}, "required value is empty"),
        ("cn_rural_poor_2014", {"source_date": "2016-3"}, "does not match"),
        ("cn_rural_poor_2012", {"url": "http://zylgz.com/guonei/16400.html"}, "no producer's site"),
        (
            "cn_rural_poor_2016",
            {"retrieved_from": "http://www.sc.gov.cn/x.shtml"},
            "is a producer's site",
        ),
        ("cn_rural_poor_2016", {"reposts_only": "false"}, "reposts_only must be true exactly"),
        ("cn_rural_poor_2016", {"retrieved_from": ""}, "needs retrieved_from"),
    ],
)
def test_a_bad_row_raises_data_error_naming_row_and_column(
    tmp_path: Path, context_id: str, cells: dict, problem: str
) -> None:
    folder = _copy_data(tmp_path)
    _edit_context(folder, context_id, **cells)
    with pytest.raises(DataError, match=problem) as info:
        context.load_context(folder)
    assert info.value.file == "context.csv" and info.value.row is not None


def test_the_schema_is_the_one_in_the_data_package(tmp_path: Path) -> None:
    import json

    folder = _copy_data(tmp_path)
    package_path = folder / "datapackage.json"
    package = json.loads(package_path.read_text("utf-8"))
    resources = {r["name"]: r for r in package["resources"]}
    assert resources["geo"]["path"] == "geo/ziyang_counties.geojson"
    kinds = next(f for f in resources["context"]["schema"]["fields"] if f["name"] == "kind")
    kinds["constraints"]["enum"].remove("plan")  # the package alone now refuses plans
    package_path.write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(DataError, match="'plan' is not one of 'stated', 'derived'") as info:
        context.load_context(folder)
    assert info.value.file == "context.csv" and info.value.column == "kind"


def test_frictionless_rejects_a_broken_context_table(tmp_path: Path) -> None:
    folder = _copy_data(tmp_path)
    _edit_context(folder, "sc_poor_villages", qualifier="roughly")
    proc = subprocess.run(
        [*FRICTIONLESS, "validate", "--json", str(folder / "datapackage.json")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode != 0
    assert "context" in proc.stdout and "constraint-error" in proc.stdout


def test_the_funds_note_states_both_figures_as_a_discrepancy() -> None:
    """35.62亿 (to 2020-03) against 47.36亿 (2020-10): a gap to explain, not 'no conflict'."""
    from ziyang_lib.report import fmt

    fig = context.figure("zy_funds_2020_03")
    total = indicator("special_funds_total")
    assert fig.value < total.value  # the later figure is the larger one
    for figure in (fig, total, indicator("fiscal_special_funds")):
        assert fmt.quantity(figure, "zh").removesuffix("元") in fig.note
    assert "discrepancy" in fig.note and "scope is not given" in fig.note
    assert "not in conflict" not in fig.note


# --- numbers and sentences -------------------------------------------------------------------


@pytest.mark.parametrize(
    "source, lang, expected",
    [
        # 236000 / 6250000 = 0.03776; 325 / 11501 = 0.02826
        ("share(poor_population,sc_registered_poor_2013)", "en", "3.8%"),
        ("share(poor_villages,sc_poor_villages)", "zh", "2.8%"),
        # The Xinhua list itself states 29.2% a year for 2982 -> 10740 over 2015-2020.
        (
            "cagr(cn_registered_poor_income_2015,cn_registered_poor_income_2020,digits=1)",
            "en",
            "29.2%",
        ),
        # The summary states 19.2% for 2435 -> 6969 over 2013-2019.
        ("cagr(poor_income_2013,poor_income_2019,digits=1)", "zh", "19.2%"),
        # 47.36亿 - 35.62亿 = 11.74亿
        ("diff(special_funds_total,zy_funds_2020_03)", "zh", "11.74亿元"),
        ("sc_registered_poor_2013", "zh", "625万人"),
        ("date(zy_funds_2020_03)", "zh", "2020年3月12日"),
        ("year(cn_rural_poor_2012)", "en", "2012"),
    ],
)
def test_resolve(source: str, lang: str, expected: str) -> None:
    assert provenance.resolve(source, lang) == expected


SENTENCES = ["share", "income", "national", "counties", "exits", "funds"]


def context_sentence(key: str, lang: str, data_dir: Path | None = None):
    return sentence(f"context.sections.{key}.sentence", lang, data_dir)


def _plain(markdown: str) -> str:
    text = re.sub(r"\\(.)", r"\1", markdown)
    return html.unescape(re.sub(r"<[^>]+>", "", text))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("key", SENTENCES)
def test_every_number_in_a_sentence_comes_from_a_recorded_source(key: str, lang: str) -> None:
    prose = context_sentence(key, lang)
    text = _plain(prose.markdown)
    for shown, source in prose.numbers:
        assert provenance.resolve(source, lang) == shown
        assert shown in text
    for shown, _ in sorted(prose.numbers, key=lambda pair: -len(pair[0])):
        text = text.replace(shown, "")
    assert not re.search(r"\d", text), f"untraced number in {key}/{lang}: {text}"


def test_single_sourced_figures_say_so_where_shown() -> None:
    mark = {lang: t("context.single_source_mark", lang) for lang in ("zh", "en")}
    for lang in ("zh", "en"):
        assert mark[lang] in _plain(context_sentence("funds", lang).markdown)
        assert mark[lang] in _plain(context_sentence("income", lang).markdown)
        # Every figure of the share sentence is confirmed by two pages: no mark.
        assert mark[lang] not in _plain(context_sentence("share", lang).markdown)


def test_a_number_changed_in_the_data_changes_the_sentence(tmp_path: Path) -> None:
    folder = _copy_data(tmp_path)
    _edit_context(folder, "zy_funds_2020_03", value="3000000000", low="3000000000",
                  high="3000000000")  # fmt: skip
    # every note that repeats the figure must follow it (numbers in free text trace to data/)
    path = folder / "context.csv"
    path.write_text(path.read_text("utf-8").replace("35.62亿元", "30亿元"), "utf-8")
    text = _plain(context_sentence("funds", "zh", folder).markdown)
    assert "30亿元" in text and "17.36亿元" in text and "35.62" not in text


# --- charts -------------------------------------------------------------------------------------


CONTEXT_CHARTS = [s for s in all_charts() if s.notebook == "04_context"]


def test_at_least_four_context_charts_are_registered() -> None:
    assert len(CONTEXT_CHARTS) >= 4


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("spec", CONTEXT_CHARTS, ids=lambda s: s.chart_id)
def test_every_chart_names_its_sources_in_a_footnote(spec, lang: str) -> None:
    fig = spec.build(lang=lang)
    note = " ".join(a.text or "" for a in fig.layout.annotations if a.name == "footnote")
    producers = {context.figure(i).producer_in(lang) for i in get(spec.chart_id).draws
                 if isinstance(context.figure(i), context.ContextFigure)}  # fmt: skip
    flat = re.sub(r"\s+", "", html.unescape(note.replace("<br>", "")))
    for producer in producers:
        assert re.sub(r"\s+", "", producer) in flat
    singles = [
        i for i in get(spec.chart_id).draws if getattr(context.figure(i), "single_sourced", False)
    ]
    if singles:
        assert re.sub(r"\s+", "", t("context.source.single", lang, names="").strip(" ：:")) in flat


def test_plans_and_modelled_paths_are_drawn_as_such() -> None:
    fig = get("village_exits").build("en")
    plan = next(tr for tr in fig.data if tr.name.startswith("Plan"))
    assert plan.line.dash == "dash" and plan.marker.symbol == "circle-open"
    assert list(plan.y) == [162, 243, 325]
    reported = next(tr for tr in fig.data if tr.name.startswith("Reported"))
    assert list(reported.y) == [162, 325]  # no reported value for end-2018
    income = get("income_growth").build("en")
    modelled = [tr for tr in income.data if "modelled" in (tr.name or "")]
    assert len(modelled) == 2 and all(tr.line.dash == "dash" for tr in modelled)


def test_funds_chart_shows_both_figures_and_the_parts_add_up() -> None:
    fig = get("funds_discrepancy").build("zh")
    bars = [tr for tr in fig.data if tr.type == "bar"]
    march = bars[0].y[0]
    october = sum(tr.y[0] for tr in bars[1:])
    assert march == pytest.approx(35.62) and october == pytest.approx(47.36)
    assert "单一来源" in bars[0].name


def test_national_chart_marks_derived_and_single_sourced_points() -> None:
    fig = get("national_rural_poor").build("en")
    bars = next(tr for tr in fig.data if tr.type == "bar")
    shapes = list(bars.marker.pattern.shape)
    assert shapes[list(bars.x).index(2013)] == "/" and shapes.count("/") == 1
    line = next(tr for tr in fig.data if tr.type == "scatter")
    open_years = [x for x, s in zip(line.x, line.marker.symbol, strict=True) if s == "circle-open"]
    assert open_years == [2013, 2015]


# --- notebook 04 ---------------------------------------------------------------------------------


def _allowed_tokens() -> list[str]:
    """Strings in the footnotes that are source metadata, not figures: dates, periods, URLs."""
    frame = context.load_context()
    tokens = set()
    for column in ("source_date", "period", "period_zh", "title"):
        tokens.update(str(x) for x in frame[column].dropna() if x)
    for column in ("url", "retrieved_from", "corroborated_by"):
        for url in (u for cell in frame[column].dropna() for u in str(cell).split()):
            tokens.update((url, urlparse(url).hostname or ""))
    tokens.update(provenance.date_text(d, lang) for d in frame["source_date"].dropna()
                  for lang in ("zh", "en"))  # fmt: skip
    tokens.update(t("common.source_short", lang) for lang in ("zh", "en"))
    return sorted(tokens - {""}, key=len, reverse=True)


@pytest.fixture(scope="module")
def executed04(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Notebook 04 executed once per language through the project's execution path."""
    from ziyang_lib.pipeline.execute import execute_notebook

    out = tmp_path_factory.mktemp("executed04")
    paths = {}
    for lang in ("zh", "en"):
        paths[lang] = out / f"04_context.{lang}.ipynb"
        execute_notebook(NOTEBOOK, paths[lang], {"lang": lang}, timeout_cell=120, timeout_total=300)
    return paths


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_executed_notebook_traces_every_number(executed04, lang: str) -> None:
    import nbformat

    out = executed04[lang]
    nb = nbformat.read(str(out), as_version=4)
    charts_shown, untraced = [], []
    allowed = _allowed_tokens()
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            assert output.output_type != "error"
            meta = output.get("metadata", {}).get("ziyang", {})
            if "chart_id" in meta:
                charts_shown.append(meta["chart_id"])
                continue
            markdown = output.get("data", {}).get("text/markdown")
            if markdown is None:
                continue
            text = _plain(markdown)
            numbers = meta.get("numbers", [])
            for shown, source in numbers:
                assert provenance.resolve(source, lang) == shown
            for shown, _ in sorted(numbers, key=lambda pair: -len(pair[0])):
                text = text.replace(shown, "")
            for token in allowed:
                text = text.replace(token, "")
            text = re.sub(r"¶\d+", "", text)
            if re.search(r"\d", text):
                untraced.append(text)
    assert charts_shown == [c.chart_id for c in charts_of("04_context")]
    assert not untraced, untraced


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_page_draws_every_chart_offline(executed04, browser, tmp_path: Path, lang: str) -> None:  # noqa: F811
    import nbformat

    from ziyang_lib.pipeline.html_export import export_html

    nb = nbformat.read(str(executed04[lang]), as_version=4)
    result = export_html(nb, lang=lang, page_title=page_title("04_context", lang))
    assert result.warnings == [] and result.n_charts == len(charts_of("04_context"))
    check_page_language(result.html, "04_context", lang)
    page = tmp_path / f"04_context.{lang}.html"
    page.write_text(result.html, encoding="utf-8")
    probe = t("context.sections.share.heading", "zh") if lang == "zh" else "Ziyang in context"
    report = browser.open_page(page, find_text=probe)
    assert report.n_charts == report.n_chart_slots == len(charts_of("04_context"))
    assert report.errors == [] and report.external_requests == []
    assert report.text_found and "Traceback" not in report.text
    # The footnotes' source links are real links to the retrieval pages.
    assert "sichuan.scol.com.cn" in report.text


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_page_shows_reposts_only_inside_closed_details(executed04, lang: str) -> None:
    import nbformat

    from tests.report.test_citation import links_of
    from ziyang_lib.pipeline.html_export import export_html

    nb = nbformat.read(str(executed04[lang]), as_version=4)
    page = export_html(nb, lang=lang, page_title=page_title("04_context", lang)).html
    found = links_of(page)
    reposts = {u for i in context.load_context()["context_id"]
               for u in context.context_figure(i).repost_urls}  # fmt: skip
    assert "https://p2.ttnews.xyz/a/5e6c3365dc9b5e221ac4272f" in found.inside
    assert not reposts & set(found.outside)  # no repost link outside a closed <details>
    assert "https://sichuan.scol.com.cn/zyxw/201806/56313268.html" in found.outside
    assert t("context.cite.reposts_only", lang).strip() in page


def test_a_hostile_label_is_escaped_in_charts_and_footnotes(tmp_path: Path) -> None:
    import json

    hostile = "<img src=x onerror=alert(1)>"
    folder = _copy_data(tmp_path)
    _edit_context(folder, "zy_funds_2020_03", label_en=hostile, producer=hostile)
    spec = json.dumps(get("funds_discrepancy").build("en", folder).to_plotly_json(), default=str)
    assert "&lt;img" in spec and "<img" not in spec
    note = notes.note(get("funds_discrepancy").draws, "en", folder).markdown
    assert "&lt;img" in note and "<img" not in note
