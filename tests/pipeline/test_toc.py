"""The page's table of contents (pipeline.toc), on markup the tokenizer must get right."""

from __future__ import annotations

from bs4 import BeautifulSoup

from ziyang_lib.pipeline.toc import add_toc

PAGE = "<html><body><main>{}</main><script>var s = '<h2>not a heading</h2>';</script></body></html>"


def toc(body: str) -> tuple[list[tuple[str, str]], BeautifulSoup]:
    soup = BeautifulSoup(add_toc(PAGE.format(body), "Contents"), "html.parser")
    links = [(a.get_text(), a["href"]) for a in soup.select("main > nav.zy-toc a")]
    return links, soup


def test_every_heading_is_listed_with_an_anchor_that_exists():
    body = (
        '<h1 id="Intro">Intro<a class="anchor-link" href="#Intro">¶</a></h1>'
        '<h2 id="Intro">A &amp; B</h2><h4>not listed</h4><h3 id="with space">C</h3>'
    )
    links, soup = toc(body)
    assert [text for text, _ in links] == ["Intro", "A & B", "C"]
    assert [href for _, href in links] == ["#Intro", "#sec-2", "#sec-3"]
    assert soup.select_one("h1 a.anchor-link")["href"] == "#Intro"
    assert [h.get("id") for h in soup.select("h1, h2, h3")] == ["Intro", "sec-2", "sec-3"]


def test_a_heading_left_open_ends_where_the_next_one_starts():
    links, _ = toc("<h2>One<h2>Two</h2><h3>Three</h3>")
    assert [text for text, _ in links] == ["One", "Two", "Three"]


def test_a_page_without_main_or_headings_is_left_as_it_is():
    for page in ("<html><body><h2>x</h2></body></html>", PAGE.format("<p>no heading</p>")):
        assert add_toc(page, "Contents") == page
