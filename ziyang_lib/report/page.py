"""A report page as its notebook uses it: the words of its catalogue file, its charts and data.

In a notebook (after the parameters are checked)::

    page = Page("01_party_leadership", lang, data_dir)  # applies the theme, loads data/
    page.title()                        # the page's h1 and intro in `lang`
    page.heading("income")              # catalogue leadership.sections.income.heading
    income = page.data("income_path")   # what the chart draws (truth.records)
    page.sentence("income", computed=growth)
    page.show(fig, "income_path")       # the chart, then its source note from its record

Every word comes from ``catalogue/<page>.yaml`` (`PAGES`); `page.t(key)` gives any of them.
"""

from __future__ import annotations

import os
from typing import Any

from ziyang_lib.report.charts.registry import PAGES, charts_of, get
from ziyang_lib.report.prose import Prose, display, escape, heading, sentence
from ziyang_lib.report.text import check_lang, slots, t
from ziyang_lib.truth.provenance import ids_in

REPORT_HIDE_TAG = "report-hide"  # cell tag: shown in JupyterLab, left out of the HTML report


def page_title(stem: str, lang: str) -> str:
    """The title of notebook `stem` in `lang` (catalogue ``<page>.title``)."""
    if stem not in PAGES:
        raise KeyError(f"no page title for notebook {stem!r}; known: {', '.join(PAGES)}")
    return t(f"{PAGES[stem]}.title", lang)


class Page:
    """One page in one language: its words, its charts' data and how they are shown."""

    def __init__(self, stem: str, lang: str, data_dir: str | os.PathLike[str] | None = "") -> None:
        from ziyang_lib.report import theme
        from ziyang_lib.truth.loaders import load_indicators

        if stem not in PAGES:
            raise KeyError(f"no page {stem!r}; known: {', '.join(PAGES)}")
        self.stem, self.key, self.lang = stem, PAGES[stem], check_lang(lang)
        self.data_dir = str(data_dir) if data_dir else None
        load_indicators(self.data_dir)  # bad data fails here, before any chart
        theme.apply()

    def __repr__(self) -> str:
        return f"Page({self.stem!r}, lang={self.lang!r})"

    def t(self, key: str, **values: Any) -> str:
        """The page's catalogue text `key` in the page's language (``page.t("charts.x.title")``)."""
        return t(f"{self.key}.{key}", self.lang, **values)

    def title(self) -> None:
        """Display the page heading (h1) and its one-paragraph intro."""
        display(Prose(f"# {escape(self.t('title'))}\n\n{escape(self.t('intro'))}", []))

    def heading(self, section: str, level: int = 2) -> None:
        """Display the heading of `section`."""
        display(heading(self.t(f"sections.{section}.heading"), level))

    def sentence(self, section: str, **values: Any) -> None:
        """Display the sentence of `section`; `values` are figures the notebook computed."""
        key = f"{self.key}.sections.{section}.sentence"
        display(sentence(key, self.lang, self.data_dir, **values))

    def data(self, chart_id: str) -> Any:
        """What chart `chart_id` draws (`ziyang_lib.truth.records.Records`)."""
        return get(chart_id).data(self.data_dir)

    def show(self, fig: Any, chart_id: str, *, cites: tuple[str, ...] | list[str] = ()) -> None:
        """Publish `fig` as chart `chart_id`, then the source note its record gives.

        `fig` is what the builder returned, extended by the cell if it likes (for a block of page
        text, the object its builder returned); `cites` names what the cell added
        (``["cn_registered_poor_income_2015", …]``), so the note cites it too. Under the note,
        "About this data" lists what it draws and gives its data as CSV. The output's metadata
        says what the chart cites and where its title is.
        """
        from ziyang_lib.report.charts.display import show, show_block

        record = get(chart_id)
        meta = {"draws": list(record.cites(cites)), "title_key": record.title_key}
        if record.kind == "block":
            show_block(fig, chart_id=chart_id, meta=meta)
        else:
            show(fig, chart_id=chart_id, lang=self.lang, meta=meta)
        display(record.note(self.lang, self.data_dir, cites), note_of=chart_id)
        show_block(record.about(self.lang, self.data_dir, cites))

    @property
    def indicator_ids(self) -> list[str]:
        """Every figure the page narrates: what its charts draw, then its sentences' figures."""
        ids = [i for c in charts_of(self.stem) for ref in c.draws for i in ids_in(ref)]
        prefix = f"{self.key}.sections."
        from ziyang_lib.report.text import catalogue

        for key in catalogue():
            if key.startswith(prefix) and key.endswith(".sentence"):
                ids += [i for source in slots(key).values() for i in ids_in(source)]
        return list(dict.fromkeys(ids))
