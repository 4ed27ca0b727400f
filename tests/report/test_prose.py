"""prose, provenance and notes: the one sentence function, the one resolver, source notes.

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
from ziyang_lib.report import marks, notes, provenance
from ziyang_lib.report.prose import display, escape, glossary_entry, sentence
from ziyang_lib.report.text import catalogue, t
from ziyang_lib.truth import metrics
from ziyang_lib.truth.loaders import indicator, load_glossary

LANGS = ("zh", "en")
HOSTILE = "<img src=x onerror=alert(1)>"


SENTENCES = sorted(k for k in catalogue() if k.endswith(".sentence"))
INCOME = "leadership.sections.income.sentence"


def test_every_page_has_sentences() -> None:
    pages = {key.split(".")[0] for key in SENTENCES}
    assert pages == {"overview", "leadership", "precision", "broad", "context"}


@pytest.mark.parametrize("name", SENTENCES)
@pytest.mark.parametrize("lang", LANGS)
def test_every_number_in_a_sentence_has_a_source_that_gives_it_back(name: str, lang: str) -> None:
    prose = sentence(name, lang)
    assert prose.numbers, name
    assert "{" not in prose.markdown and "}" not in prose.markdown
    for text, source in prose.numbers:
        assert text in prose.markdown, (text, source)
        assert provenance.resolve(source, lang) == text
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
    assert provenance.resolve(source, lang) == expected


def test_resolve_cagr_matches_plain_arithmetic() -> None:
    start, end = indicator("poor_income_2013"), indicator("poor_income_2019")
    rate = (end.value / start.value) ** (1 / (int(end.period) - int(start.period))) - 1
    assert provenance.resolve("cagr(poor_income_2013,poor_income_2019)", "en") == f"{rate:.2%}"


def test_resolve_rejects_what_it_cannot_read() -> None:
    with pytest.raises(ValueError, match="unknown derivation"):
        provenance.resolve("mean(poor_population)", "en")
    with pytest.raises(ValueError, match="not a provenance source"):
        provenance.resolve("poor population!", "en")
    with pytest.raises(KeyError):
        provenance.resolve("no_such_indicator", "zh")


def test_display_publishes_markdown_with_provenance() -> None:
    InteractiveShell.instance()
    prose = sentence(INCOME, "en")
    with capture_output() as cap:
        display(prose)
    (out,) = cap.outputs
    assert out.data["text/markdown"] == prose.markdown
    numbers = out.metadata["ziyang"]["numbers"]
    assert ["19.2% per year", "poor_income_growth_stated"] in numbers
    assert len(numbers) == len(prose.numbers)


def test_escape_makes_hostile_text_inert() -> None:
    escaped = escape(HOSTILE + " *bold* [link](x) `code`")
    assert "<" not in escaped and ">" not in escaped
    assert "&lt;img src=x onerror=alert(1)&gt;" in escaped
    assert r"\*bold\*" in escaped and r"\[link\]" in escaped and r"\`code\`" in escaped
    assert escape("a\n# title") == "a # title"  # no block syntax from data


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
    prose = glossary_entry(term_row("低保", folder), "en")
    assert "<img" not in prose.markdown and "&lt;img" in prose.markdown


def test_hostile_label_in_hover_is_escaped(tmp_path: Path) -> None:
    folder = copy_with(tmp_path, "indicators.csv", "poor_villages", "label_en", HOSTILE)
    hover = marks.hover(indicator("poor_villages", data_dir=folder), "en")
    assert "<img" not in hover and "&lt;img" in hover


def test_footnote_names_the_source_and_the_paragraphs() -> None:
    # 23.6万 appears in the lead (¶6) and in the outcomes paragraph (¶27), counted by hand.
    for lang in LANGS:
        text = notes.paragraphs_text(["poor_population"], lang)
        assert t("common.source_short", lang) in text
        assert text.endswith("¶6" + t("ui.narrative.paragraph_sep", lang) + "¶27")
    assert notes.paragraphs_text([12, 13, 14, 20], "en").endswith("¶12–¶14, ¶20")
    assert notes.paragraphs_text([], "zh") == t(
        "ui.narrative.source_only", "zh", source=t("common.source_short", "zh")
    )
    prose = notes.note(["poor_villages"], "zh")
    assert prose.markdown.startswith("<small>") and "¶6" in prose.markdown


def test_prose_concatenates_text_and_provenance() -> None:
    a = sentence("overview.sections.headline.sentence", "zh")
    b = sentence("leadership.sections.funds.sentence", "zh")
    both = a + b
    assert both.markdown == f"{a.markdown} {b.markdown}"
    assert both.numbers == a.numbers + b.numbers
    assert b.numbers[0][1] == "special_funds_total"


def test_glossary_entry_keeps_digits_traceable() -> None:
    prose = glossary_entry(term_row("2+1+6"), "zh")
    assert prose.numbers == [("2+1+6", "term(2+1+6)")]
    assert provenance.resolve("term(2+1+6)", "zh") == "2+1+6"


def term_row(term: str, folder: Path | None = None) -> dict:
    glossary = load_glossary(folder)
    return glossary.loc[glossary["term"] == term].iloc[0].to_dict()


def test_a_figure_the_notebook_computed_is_the_one_the_sentence_shows() -> None:
    start, end = indicator("poor_income_2013"), indicator("poor_income_2019")
    growth = metrics.growth_rate(start, end)
    shown = sentence(INCOME, "en", computed=growth)
    assert (
        provenance.text(growth, "en"),
        "cagr(poor_income_2013,poor_income_2019)",
    ) in shown.numbers
    assert shown.markdown == sentence(INCOME, "en").markdown  # the slot names the same figure
    other = metrics.Derived(0.5, "share(poor_income_2013,poor_income_2019)", "percent")
    changed = sentence(INCOME, "en", computed=other)
    assert "50.0%" in changed.markdown and ("50.0%", other.source) in changed.numbers


def test_a_field_without_value_or_slot_is_named() -> None:
    with pytest.raises(KeyError, match="computed"):
        prose_with_missing_slot()


def prose_with_missing_slot():
    from ziyang_lib.report import text

    key = INCOME
    known = text.slots(key)
    assert "computed" in known
    template = t(key, "en")
    text._load()[1][key] = {k: v for k, v in known.items() if k != "computed"}
    try:
        return sentence(key, "en")
    finally:
        text._load()[1][key] = known
        assert t(key, "en") == template


def test_notes_cite_terms_events_mentions_and_the_audit() -> None:
    from ziyang_lib.truth import provenance as refs
    from ziyang_lib.truth.loaders import load_events
    from ziyang_lib.truth.source import load_source

    source = load_source()
    events = load_events()
    every_event = {source.paragraph_of(int(s)) for s in events["start"]}
    assert set(refs.paragraphs(["event(*)"])) == every_event
    first = events.iloc[0]
    assert refs.paragraphs([f"event({first['event_id']})"]) == [
        source.paragraph_of(int(first["start"]))
    ]
    assert refs.paragraphs(["term(3+22)"]) == [source.paragraph_of(int(term_row("3+22")["start"]))]
    assert refs.paragraphs(["mention(10.17)"])
    assert set(refs.paragraphs(["audit(*)"])) >= set(refs.paragraphs(["poor_income_2013"]))
    with pytest.raises(KeyError):
        refs.paragraphs(["term(no such term)"])
