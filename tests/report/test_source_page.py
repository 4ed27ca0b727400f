"""The "Read the source" page as HTML: every mention marked once at its offsets, each note says
what it is, excluded mentions say why, the translation carries every number from data.

The page in the browser (taps, links, widths): tests/browser/test_source_page_in_chromium.py.
"""

from __future__ import annotations

import csv
import dataclasses
import html
import re
import shutil
import string
from collections import Counter

import pytest
from bs4 import BeautifulSoup

from tests.support.source_marks import mark_problems
from ziyang_lib.paths import data_dir
from ziyang_lib.report import provenance
from ziyang_lib.report.charts.registry import all_charts, get
from ziyang_lib.report.prose import sentence_html
from ziyang_lib.report.source_page import SourceArticle, mention_rows, mention_table
from ziyang_lib.report.text import catalogue, slots, t
from ziyang_lib.truth.mentions import load_mention_records, marked_paragraphs
from ziyang_lib.truth.provenance import ids_in

LANGS = ("zh", "en")


@pytest.fixture(scope="module", params=LANGS)
def page(request) -> tuple[str, BeautifulSoup]:
    article = SourceArticle(request.param)
    markup = "".join(article.part(part).markup for part in article.parts)
    return request.param, BeautifulSoup(markup, "html.parser")


def marks_of(soup: BeautifulSoup) -> list[tuple[str, str]]:
    return [(el["data-mention"], el.get_text()) for el in soup.select("[data-mention]")]


def test_every_mention_is_marked_once_at_its_offsets(page) -> None:
    _, soup = page
    marks = marks_of(soup)
    assert len(marks) == len(load_mention_records())
    assert mark_problems(marks, data_dir()) == []


def test_the_check_fails_when_a_mention_is_dropped_or_an_offset_is_wrong(page, tmp_path) -> None:
    _, soup = page
    marks = marks_of(soup)
    dropped = marks[:5] + marks[6:]
    assert any("is not marked" in p for p in mark_problems(dropped, data_dir()))
    doubled = [*marks, marks[0]]
    assert any("marked 2 times" in p for p in mark_problems(doubled, data_dir()))
    # a copy of data/ whose row for 23.6万 starts one character later
    copy = tmp_path / "data"
    shutil.copytree(data_dir(), copy)
    table = copy / "mentions.csv"
    with table.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        fields, rows = reader.fieldnames, list(reader)
    row = next(r for r in rows if r["raw"] == "23.6万")
    row["start"] = str(int(row["start"]) + 1)
    with table.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    problems = mark_problems(marks, copy)
    assert any(f"row at raw {row['start']}" in p for p in problems), problems
    assert any("is the start of no row" in p for p in problems), problems


def note_of(soup: BeautifulSoup, start: int):
    mark = soup.select_one(f'[data-mention="{start}"]')
    note = mark.find_next_sibling()
    assert note is not None and note["id"] == mark["aria-describedby"]
    return note


def plain(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def test_each_note_says_how_it_reads_and_what_it_feeds_or_why_not(page) -> None:
    lang, soup = page
    article = SourceArticle(lang)
    for m in load_mention_records():
        note = note_of(soup, m.start)
        text = " ".join(note.get_text(" ").split())
        source = m.indicator_id or m.source
        assert provenance.resolve(source, lang) in text
        if m.mapped:
            assert article.label(m.indicator_id) in text
            assert (
                t("source.note.figure", lang, label=article.label(m.indicator_id)).strip() in text
            )
        else:
            assert plain(article.reason(m).markdown) in text
            kind = t(f"mentions.kind.{m.kind}", lang)
            assert t("source.note.excluded", lang, kind=kind).strip() in text
        assert note["lang"] == t("page.html_lang", lang)


def test_notes_name_the_audit_checks_and_the_charts_by_the_registry(page) -> None:
    from ziyang_lib.truth.checks import audit

    lang, soup = page
    checks = audit()
    for m in load_mention_records():
        note = note_of(soup, m.start)
        verdicts = note.select(".zy-verdict")
        using = [
            r for r in checks.to_dict("records") if m.indicator_id in r["indicator_ids"].split(",")
        ]
        assert len(verdicts) == (len(using) if m.mapped else 0), m
        hrefs = [a["href"] for a in note.select("a.zy-note-chart")]
        wanted = [
            f"{spec.notebook}.html#chart-{spec.chart_id}"
            for spec in all_charts()
            if m.mapped and any(m.indicator_id in ids_in(r) for r in get(spec.chart_id).draws)
        ]
        assert set(wanted) <= set(hrefs), (m.start, m.raw)
        if m.mapped and not hrefs:
            assert t("source.note.no_chart", lang) in note.get_text()


def test_an_excluded_mention_drawn_by_a_chart_links_to_it(page) -> None:
    _, soup = page
    poverty_day = next(m for m in load_mention_records() if m.raw == "10.17")
    hrefs = [a["href"] for a in note_of(soup, poverty_day.start).select("a")]
    assert "03_broad_based_alleviation.html#chart-poverty_day" in hrefs


def test_every_excluded_row_has_its_reason_in_both_languages() -> None:
    missing = [
        f"mentions.excluded.m{m.start} ({m.raw}: {m.excluded_reason})"
        for m in load_mention_records()
        if not m.mapped
        and not {"zh", "en"} <= set(catalogue().get(f"mentions.excluded.m{m.start}", {}))
    ]
    assert missing == [], "add to report/catalogue/mentions.yaml:\n" + "\n".join(missing)


def test_an_excluded_row_without_a_reason_stops_the_page_naming_it() -> None:
    article = SourceArticle("en")
    m = next(m for m in article.mentions if not m.mapped)
    unknown = dataclasses.replace(m, start=m.start + 100000)
    with pytest.raises(KeyError, match=f"raw {unknown.start}.*mentions.excluded.m{unknown.start}"):
        article.reason(unknown)


# --- the English translation -------------------------------------------------------------------


def counted(m) -> bool:
    """A mention the translation must carry: it has a value or is written with digits."""
    return m.value is not None or m.low is not None or bool(re.search(r"\d", m.words))


def field_occurrences(template: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


@pytest.mark.parametrize("paragraph", marked_paragraphs(), ids=lambda p: f"p{p.para}")
def test_the_translation_carries_each_number_of_its_paragraph(paragraph) -> None:
    key = f"source.translation.p{paragraph.para}"
    template = t(key, "en")
    sources = slots(key)
    wanted = Counter(m.indicator_id or m.source for m in paragraph.mentions if counted(m))
    got = Counter(sources[name] for name in field_occurrences(template))
    assert got == wanted
    prose = sentence_html(key, "en")
    left = prose.markdown
    for text, source in sorted(prose.numbers, key=lambda pair: -len(pair[0])):
        assert provenance.resolve(source, "en") == text
        left = left.replace(text, " ")
    assert not re.search(r"\d", left), left  # no number typed into the translation
    assert not re.search(r"[\u4e00-\u9fff]{3,}", left), left  # English, not the original


def test_the_page_words_type_no_numbers() -> None:
    for key, texts in catalogue().items():
        if key.startswith(("source.", "mentions.excluded.")):
            for lang, text in texts.items():
                bare = re.sub(r"\{[^}]*\}", "", text)
                assert not re.search(r"\d", bare), f"{key} ({lang}): {text!r}"


def test_the_zh_page_shows_the_original_only_and_en_adds_a_translation() -> None:
    n_paragraphs = len(marked_paragraphs())
    for lang, translations in (("zh", 0), ("en", n_paragraphs)):
        article = SourceArticle(lang)
        soup = BeautifulSoup("".join(article.part(p).markup for p in article.parts), "html.parser")
        assert len(soup.select(".zy-tr, .zy-tr-h")) == translations
        originals = soup.select(f'[lang="{t("page.html_lang", "zh")}"].zy-src-p, .zy-src-orig')
        assert len(originals) == n_paragraphs


# --- the data cell -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_the_table_lists_every_mention_with_its_source_words(lang: str) -> None:
    article = SourceArticle(lang)
    frame = mention_rows(article)
    assert frame["start"].tolist() == [m.start for m in article.mentions]
    shown = mention_table(article, frame)
    soup = BeautifulSoup(shown.markup, "html.parser")
    rows = soup.select("table.zy-mentions tbody tr")
    assert len(rows) == len(frame)
    assert not soup.select("[data-mention]")  # the marks are in the article, once each
    words = {q["data-span"]: q.get_text() for q in soup.select("q[data-span]")}
    assert words == {f"{m.start}-{m.end}": m.words for m in article.mentions}
    few = mention_table(article, frame[frame["indicator_id"] == ""])
    assert len(BeautifulSoup(few.markup, "html.parser").select("tbody tr")) == sum(
        not m.mapped for m in article.mentions
    )
    for text, source in shown.numbers:
        assert provenance.resolve(source, lang) == text


def test_an_unknown_part_is_refused() -> None:
    with pytest.raises(KeyError, match="no part 'appendix'"):
        SourceArticle("zh").part("appendix")


def test_bad_language_is_refused() -> None:
    with pytest.raises(ValueError):
        SourceArticle("fr")
