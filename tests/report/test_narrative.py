"""narrative: sentences from data, provenance of every number, escaping, footnotes.

Expected texts are written by hand from the source (23.6万 = 236,000; 119000 / 236000 = 50.4 %),
or computed here with plain arithmetic on the indicator records.
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

from ziyang_lib.paths import data_dir
from ziyang_lib.report import narrative
from ziyang_lib.report.text import t
from ziyang_lib.truth.loaders import indicator

LANGS = ("zh", "en")
HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.mark.parametrize("name", sorted(narrative.SENTENCES))
@pytest.mark.parametrize("lang", LANGS)
def test_every_number_in_a_sentence_has_a_source_that_gives_it_back(name: str, lang: str) -> None:
    prose = narrative.SENTENCES[name](lang)
    assert prose.numbers, name
    assert "{" not in prose.markdown and "}" not in prose.markdown
    for text, source in prose.numbers:
        assert text in prose.markdown, (text, source)
        assert narrative.resolve(source, lang) == text
    digits_left = prose.markdown
    for text, _ in sorted(prose.numbers, key=lambda pair: -len(pair[0])):
        digits_left = digits_left.replace(text, " ")
    assert not re.search(r"\d", digits_left), (name, lang, digits_left)


@pytest.mark.parametrize(
    ("source", "lang", "expected"),
    [
        ("poor_population", "zh", "23.6万人"),
        ("poor_population", "en", "236,000 people"),
        ("paired_cadres", "zh", "2万余名"),
        ("count(paired_cadres)", "en", "more than 20,000"),
        ("share(anyue_registered_poor,poor_population)", "zh", "50.4%"),
        ("share(anyue_poor_villages,poor_villages)", "en", "49.8%"),
        ("ratio(work_team_personnel,village_work_teams)", "en", "3"),
        ("sum(fiscal_special_funds,sectoral_special_funds)", "zh", "47.36亿元"),
        ("overlap(industry_employment_support,safety_net_support,poor_population)", "zh", "1万人"),
        (
            "overlap(industry_employment_support,safety_net_support,poor_population)",
            "en",
            "10,000 people",
        ),
        ("year(poor_income_2013)", "zh", "2013年"),
        ("year(dual_expressway_year)", "en", "2016"),
        ("years(poor_income_2013,poor_income_2019)", "en", "6"),
        ("event(assistance_forces)", "zh", "2015年"),
        ("term(3+22)", "en", "3+22"),
        ("health_fund_per_year", "zh", "5—7亿元"),
    ],
)
def test_resolve_by_hand(source: str, lang: str, expected: str) -> None:
    assert narrative.resolve(source, lang) == expected


def test_resolve_cagr_matches_plain_arithmetic() -> None:
    start, end = indicator("poor_income_2013"), indicator("poor_income_2019")
    rate = (end.value / start.value) ** (1 / (int(end.period) - int(start.period))) - 1
    assert narrative.resolve("cagr(poor_income_2013,poor_income_2019)", "en") == f"{rate:.2%}"


def test_resolve_rejects_what_it_cannot_read() -> None:
    with pytest.raises(ValueError, match="unknown derivation"):
        narrative.resolve("mean(poor_population)", "en")
    with pytest.raises(ValueError, match="not a provenance source"):
        narrative.resolve("poor population!", "en")
    with pytest.raises(KeyError):
        narrative.resolve("no_such_indicator", "zh")


def test_display_publishes_markdown_with_provenance() -> None:
    InteractiveShell.instance()
    prose = narrative.income_sentence("en")
    with capture_output() as cap:
        narrative.display(prose)
    (out,) = cap.outputs
    assert out.data["text/markdown"] == prose.markdown
    numbers = out.metadata["ziyang"]["numbers"]
    assert ["19.2% per year", "poor_income_growth_stated"] in numbers
    assert len(numbers) == len(prose.numbers)


def test_escape_makes_hostile_text_inert() -> None:
    escaped = narrative.escape(HOSTILE + " *bold* [link](x) `code`")
    assert "<" not in escaped and ">" not in escaped
    assert "&lt;img src=x onerror=alert(1)&gt;" in escaped
    assert r"\*bold\*" in escaped and r"\[link\]" in escaped and r"\`code\`" in escaped
    assert narrative.escape("a\n# title") == "a # title"  # no block syntax from data


def copy_with(tmp_path: Path, table: str, key: str, column: str, value: str) -> Path:
    folder = Path(shutil.copytree(data_dir(), tmp_path / "data"))
    path = folder / table
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    for row in rows[1:]:
        if row[0] == key:
            row[rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return folder


def test_hostile_glossary_text_renders_as_text(tmp_path: Path) -> None:
    folder = copy_with(tmp_path, "glossary.csv", "低保", "explanation_en", HOSTILE)
    prose = narrative.glossary_entry("低保", "en", data_dir=folder)
    assert "<img" not in prose.markdown and "&lt;img" in prose.markdown


def test_hostile_label_in_hover_is_escaped(tmp_path: Path) -> None:
    folder = copy_with(tmp_path, "indicators.csv", "poor_villages", "label_en", HOSTILE)
    hover = narrative.hover(indicator("poor_villages", data_dir=folder), "en")
    assert "<img" not in hover and "&lt;img" in hover


def test_footnote_names_the_source_and_the_paragraphs() -> None:
    # 23.6万 appears in the lead (¶6) and in the outcomes paragraph (¶27), counted by hand.
    for lang in LANGS:
        text = narrative.footnote_text(["poor_population"], lang)
        assert t("common.source_short", lang) in text
        assert text.endswith("¶6" + t("ui.narrative.paragraph_sep", lang) + "¶27")
    assert narrative.footnote_text([12, 13, 14, 20], "en").endswith("¶12–¶14, ¶20")
    assert narrative.footnote_text([], "zh") == t(
        "ui.narrative.source_only", "zh", source=t("common.source_short", "zh")
    )
    prose = narrative.footnote(["poor_villages"], "zh")
    assert prose.markdown.startswith("<small>") and "¶6" in prose.markdown


def test_prose_concatenates_text_and_provenance() -> None:
    a, b = narrative.headline("zh"), narrative.funds_sentence("zh")
    both = a + b
    assert both.markdown == f"{a.markdown} {b.markdown}"
    assert both.numbers == a.numbers + b.numbers
    assert narrative.sources_of(b)[0] == "special_funds_total"


def test_glossary_entry_keeps_digits_traceable() -> None:
    prose = narrative.glossary_entry("2+1+6", "zh")
    assert prose.numbers == [("2+1+6", "term(2+1+6)")]
    assert narrative.resolve("term(2+1+6)", "zh") == "2+1+6"
