"""Tools for the report notebooks 00–03: helpers their cells call, and their generator.

In a notebook::

    lang, data_dir = nbtools.setup(lang, data_dir)  # validate parameters, apply the theme
    nbtools.title("01_party_leadership", lang)  # the page's h1 and intro, in `lang` only
    nbtools.heading("leadership.income", lang)  # a heading from catalogue/notebooks.yaml

The notebooks are generated from `NOTEBOOKS` (below) with outputs stripped:
``python -m ziyang_lib.nbtools`` rewrites ``notebooks/00_overview.ipynb`` … ``03_…``. Edit the
spec here and regenerate, so that every notebook keeps the same shape: a bilingual intro cell
for notebook users (what it shows, how to run it) tagged ``report-hide`` (`REPORT_HIDE_TAG`:
the HTML export drops cells with this tag), ONE ``parameters`` cell (``name: type = default
# help``, see `ziyang_lib.params`), a setup cell, a `title` cell (the page heading and intro in
`lang`), then sections whose words and numbers all come from the library (``narrative``, the
catalogue, the chart builders), each chart followed by its source footnote. ``04_context`` is
written by hand in the same shape.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ziyang_lib.report.text import check_lang, t

REPORT_HIDE_TAG = "report-hide"  # cell tag: shown in JupyterLab, left out of the HTML report

# notebook stem → its section in catalogue/notebooks.yaml (holding ``title`` and ``intro``)
PAGES: dict[str, str] = {
    "00_overview": "overview",
    "01_party_leadership": "leadership",
    "02_precision_measures": "precision",
    "03_broad_based_alleviation": "broad",
    "04_context": "context",
}

# --- helpers the notebook cells call ------------------------------------------------------------


def setup(lang: str, data_dir: str | os.PathLike[str] | None = "") -> tuple[str, str | None]:
    """Validate the common parameters and prepare plotting; return ``(lang, data_dir or None)``.

    A `lang` other than zh/en raises ValueError; a `data_dir` that is not a folder raises
    ValueError, and a folder with bad data raises `ziyang_lib.errors.DataError` here, before any
    chart. Charts are published by `ziyang_lib.report.charts.display.show` (the explicit
    renderer; plotly's
    renderer registry is never used) with the ``ziyang`` template applied as plotly's default.
    """
    from ziyang_lib.report import theme
    from ziyang_lib.truth.loaders import load_indicators

    check_lang(lang)
    folder = str(data_dir) if data_dir else None
    if folder is not None and not Path(folder).is_dir():
        raise ValueError(f"data_dir must be a folder; {folder!r} is not one")
    load_indicators(folder)
    theme.apply()
    return lang, folder


def heading(key: str, lang: str, level: int = 2) -> None:
    """Display the catalogue heading ``notebooks.<key>`` as a markdown heading (no numbers)."""
    from ziyang_lib.report import narrative

    text = narrative.escape(t(f"notebooks.{key}", lang))
    narrative.display(narrative.Prose(f"{'#' * level} {text}", []))


def page_title(stem: str, lang: str) -> str:
    """The title of notebook `stem` in `lang` (catalogue ``notebooks.<section>.title``)."""
    if stem not in PAGES:
        raise KeyError(f"no page title for notebook {stem!r}; known: {', '.join(PAGES)}")
    return t(f"notebooks.{PAGES[stem]}.title", lang)


def title(stem: str, lang: str) -> None:
    """Display the page heading (h1) and one-paragraph intro of notebook `stem`, in `lang` only."""
    from ziyang_lib.report import narrative

    intro = t(f"notebooks.{PAGES[stem]}.intro", lang)
    heading_text = narrative.escape(page_title(stem, lang))
    narrative.display(narrative.Prose(f"# {heading_text}\n\n{narrative.escape(intro)}", []))


def paragraphs_of(table: str, keys: Iterable[str] | None = None, data_dir: Any = None) -> list[int]:
    """Paragraph numbers of the spans in ``events``, ``glossary`` or ``mentions`` (all rows, or
    those `keys`).

    Keys are event ids, glossary terms or a mention's raw text (every mention of “10.17”); for
    footnotes of charts drawn from those tables.
    """
    from ziyang_lib.truth.loaders import load_events, load_glossary, load_mentions
    from ziyang_lib.truth.source import load_source

    frames = {
        "events": (load_events, "event_id"),
        "glossary": (load_glossary, "term"),
        "mentions": (load_mentions, "raw"),
    }
    if table not in frames:
        raise ValueError(f"table must be one of {', '.join(frames)}; got {table!r}")
    load, key = frames[table]
    frame = load(data_dir)
    if keys is not None:
        wanted = list(keys)
        missing = sorted(set(wanted) - set(frame[key]))
        if missing:
            raise KeyError(f"not in {table}: {', '.join(missing)}")
        frame = frame[frame[key].isin(wanted)]
    source = load_source(data_dir)
    return sorted({source.paragraph_of(int(start)) for start in frame["start"].dropna()})


# --- the notebook spec --------------------------------------------------------------------------

COMMON_PARAMS: tuple[str, ...] = (
    'lang: str = "zh"  # report language: zh or en',
    'data_dir: str = ""  # data folder; empty means the project\'s data/',
    "show_widgets: bool = True  # show the ipywidgets explorers (they need a live kernel)",
)

INTRO = """# {title_zh} · {title_en}

{what_zh}

{what_en}

**运行 / How to run** — `lang` = `zh` | `en`; \
`ziyang-report params notebooks/{stem}.ipynb` 列出全部参数 / lists every parameter:

- papermill: `papermill notebooks/{stem}.ipynb out.ipynb -p lang en`
- JupyterLab: 在 `parameters` 单元格中修改参数，然后全部运行 / set the values in the \
`parameters` cell, then *Run All*
- 报告构建 / the report build: `ziyang-report build --only {stem}`"""

SETUP = """from IPython.display import display

from ziyang_lib.pipeline.params import check_notebook
from ziyang_lib.report import narrative, nbtools
from ziyang_lib.report import widgets as explorers
from ziyang_lib.report.charts.display import show
{imports}

check_notebook("{stem}", lang=lang, data_dir=data_dir, show_widgets=show_widgets)
lang, data_dir = nbtools.setup(lang, data_dir)"""


def section(key: str, sentence: str | None = None) -> str:
    """Code of a section's first cell: its heading, then its sentence from `narrative`."""
    lines = [f'nbtools.heading("{key}", lang)']
    if sentence:
        lines.append(f"narrative.display(narrative.{sentence}(lang, data_dir))")
    return "\n".join(lines)


def chart(builder: str, chart_id: str, footnote: str) -> str:
    """Code of a chart cell: the chart through `show`, then its source footnote.

    `footnote` is the Python expression of what `narrative.footnote` cites (indicator ids and/or
    paragraph numbers).
    """
    return (
        f"cited = {footnote}\n"
        f'show({builder}(lang, data_dir), chart_id="{chart_id}", lang=lang)\n'
        "narrative.display(narrative.footnote(cited, lang, data_dir))"
    )


def explorer(key: str, factory: str) -> str:
    """Code of a widget cell, shown only when ``show_widgets`` is true."""
    return (
        "if show_widgets:\n"
        f'    nbtools.heading("{key}", lang)\n'
        f"    display(explorers.{factory}(lang, data_dir))"
    )


def ids(*names: str) -> str:
    """A list of indicator ids as Python source, one per line when it is long."""
    quoted = [f'"{name}"' for name in names]
    flat = f"[{', '.join(quoted)}]"
    if len(flat) <= 80:
        return flat
    return "[\n" + "".join(f"    {q},\n" for q in quoted) + "]"


NOTEBOOKS: dict[str, dict[str, Any]] = {
    "00_overview": {
        "imports": [
            "from ziyang_lib.report.charts import overview",
            "from ziyang_lib.report.charts.map import county_map",
        ],
        "cells": [
            section("overview.headline", "headline"),
            chart(
                "overview.build_headline",
                "headline",
                ids(
                    "poor_villages",
                    "poor_population",
                    "poor_income_2013",
                    "poor_income_2019",
                    "special_funds_total",
                ),
            ),
            section("overview.map"),
            chart(
                "county_map",
                "county_map",
                ids(
                    "poor_villages",
                    "anyue_poor_villages",
                    "poor_population",
                    "anyue_registered_poor",
                ),
            ),
            section("overview.timeline"),
            chart(
                "overview.build_timeline",
                "timeline",
                'nbtools.paragraphs_of("events", data_dir=data_dir)',
            ),
            section("overview.glossary"),
            chart(
                "overview.build_glossary_table",
                "glossary_table",
                'nbtools.paragraphs_of("glossary", data_dir=data_dir)',
            ),
            section("overview.audit"),
            chart("overview.build_audit_table", "audit_table", "nbtools.audit_ids(data_dir)"),
            explorer("overview.explorer", "indicator_browser"),
        ],
    },
    "01_party_leadership": {
        "imports": [
            "from ziyang_lib.report.charts import leadership",
            "from ziyang_lib.report.charts.map import county_map",
        ],
        "cells": [
            section("leadership.profile", "profile_sentence"),
            chart(
                "leadership.build_poverty_profile",
                "poverty_profile",
                ids(
                    "poor_villages",
                    "anyue_poor_villages",
                    "poor_population",
                    "anyue_registered_poor",
                    "scattered_poor_share",
                    "non_poor_villages_with_scattered_poor",
                ),
            ),
            section("leadership.map"),
            chart(
                "county_map",
                "county_map",
                ids(
                    "poor_villages",
                    "anyue_poor_villages",
                    "poor_population",
                    "anyue_registered_poor",
                ),
            ),
            section("leadership.forces", "forces_sentence"),
            chart(
                "leadership.build_assistance_flow",
                "assistance_flow",
                ids(
                    "poor_villages",
                    "leaders_coordinated",
                    "assisting_units",
                    "work_team_personnel",
                    "village_work_teams",
                    "paired_cadres",
                    "first_secretaries",
                ),
            ),
            section("leadership.coverage"),
            chart(
                "leadership.build_coverage",
                "coverage",
                ids("poor_villages", "non_poor_villages_with_scattered_poor"),
            ),
            section("leadership.income", "income_sentence"),
            chart(
                "leadership.build_income_path",
                "income_path",
                ids("poor_income_2013", "poor_income_2019", "poor_income_growth_stated"),
            ),
            explorer("leadership.growth", "growth_calculator"),
            section("leadership.funds", "funds_sentence"),
            chart(
                "leadership.build_funds",
                "funds",
                ids("special_funds_total", "fiscal_special_funds", "sectoral_special_funds"),
            ),
            explorer("leadership.funds_explorer", "funds_explorer"),
        ],
    },
    "02_precision_measures": {
        "imports": ["from ziyang_lib.report.charts import precision"],
        "cells": [
            section("precision.hard_problems", "hard_problems_sentence"),
            chart(
                "precision.build_hard_problems",
                "hard_problems",
                ids(
                    "dual_expressway_year",
                    "first_class_highway_year",
                    "drought_record_years",
                    "full_drought_years",
                    "multi_county_drought_years",
                    "illness_poverty_share",
                ),
            ),
            section("precision.measures", "measures_sentence"),
            chart(
                "precision.build_measures",
                "measures",
                ids(
                    "village_budget_min",
                    "roads_built",
                    "water_projects",
                    "new_agri_entities",
                    "specialty_agri_area",
                ),
            ),
            section("precision.outcomes_overlap", "outcomes_sentence"),
            chart(
                "precision.build_outcomes_overlap",
                "outcomes_overlap",
                ids("poor_population", "industry_employment_support", "safety_net_support"),
            ),
            section("precision.outcomes"),
            chart(
                "precision.build_outcomes",
                "outcomes",
                ids(
                    "poor_population",
                    "relocated_people",
                    "houses_renovated",
                    "pupils_no_dropout",
                    "out_of_pocket_share_max",
                ),
            ),
            section("precision.industry_models"),
            chart(
                "precision.build_industry_models",
                "industry_models",
                'nbtools.paragraphs_of("glossary", ["十大产业扶贫模式"], data_dir)',
            ),
        ],
    },
    "03_broad_based_alleviation": {
        "imports": ["from ziyang_lib.report.charts import broad"],
        "cells": [
            section("broad.policy_system", "policy_sentence"),
            chart(
                "broad.build_policy_system",
                "policy_system",
                '[*nbtools.paragraphs_of("glossary", ["3+22"], data_dir), "sector_plans_per_year"]',
            ),
            section("broad.funding_levels", "funding_levels_sentence"),
            chart(
                "broad.build_funding_levels",
                "funding_levels",
                ids("city_budget_per_year", "county_budget_per_year", "health_fund_per_year"),
            ),
            explorer("broad.funds_explorer", "funds_explorer"),
            section("broad.campaigns"),
            chart(
                "broad.build_campaigns",
                "campaigns",
                'nbtools.paragraphs_of("glossary", ["有爱城市", "万企帮万村", "幸福基金·幸福超市", '
                '"扶贫120", "五点钟书屋"], data_dir)',
            ),
            section("broad.poverty_day"),
            chart(
                "broad.build_poverty_day",
                "poverty_day",
                '[*nbtools.paragraphs_of("events", ["publication"], data_dir), '
                '*nbtools.paragraphs_of("mentions", ["10.17"], data_dir), '
                '*nbtools.paragraphs_of("glossary", ["万企帮万村"], data_dir)]',
            ),
        ],
    },
}


def audit_ids(data_dir: Any = None) -> list[str]:
    """Every indicator id the audit's checks use (for the audit table's footnote)."""
    from ziyang_lib.truth.checks import audit

    found: dict[str, None] = {}
    for cell in audit(data_dir)["indicator_ids"]:
        found.update((i.strip(), None) for i in str(cell).split(",") if i.strip())
    return list(found)


# --- generating and stripping -------------------------------------------------------------------

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def intro(stem: str) -> str:
    """The bilingual first cell of notebook `stem`: both titles and intros, and how to run it."""
    key = f"notebooks.{PAGES[stem]}"
    texts = {
        f"{part}_{lang}": t(f"{key}.{name}", lang)
        for part, name in (("title", "title"), ("what", "intro"))
        for lang in ("zh", "en")
    }
    return INTRO.format(stem=stem, **texts)


def build_notebook(stem: str) -> Any:
    """Return notebook `stem` as an nbformat node, outputs empty, cell ids stable."""
    import nbformat.v4 as v4

    spec = NOTEBOOKS[stem]
    cells = [
        v4.new_markdown_cell(intro(stem), metadata={"tags": [REPORT_HIDE_TAG]}),
        v4.new_code_cell("\n".join(COMMON_PARAMS), metadata={"tags": ["parameters"]}),
        v4.new_code_cell(SETUP.format(stem=stem, imports="\n".join(spec["imports"]))),
        v4.new_code_cell(f'nbtools.title("{stem}", lang)'),
        *(v4.new_code_cell(source) for source in spec["cells"]),
    ]
    for i, cell in enumerate(cells):
        cell["id"] = f"{stem[:2]}-{i:02d}"
    nb = v4.new_notebook(cells=cells)
    nb.metadata = {"kernelspec": dict(KERNELSPEC), "language_info": {"name": "python"}}
    return nb


def strip(nb: Any) -> Any:
    """Remove outputs, execution counts and run metadata from `nb` in place; return it."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.metadata.pop("execution", None)
        cell.metadata.pop("papermill", None)
    for key in ("papermill", "widgets"):
        nb.metadata.pop(key, None)
    return nb


def write_notebooks(folder: str | os.PathLike[str] | None = None) -> list[Path]:
    """Write every notebook of `NOTEBOOKS` into `folder` (default: the project's notebooks/)."""
    import nbformat

    from ziyang_lib.paths import notebooks_dir

    out = Path(folder) if folder else notebooks_dir()
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for stem in NOTEBOOKS:
        path = out / f"{stem}.ipynb"
        nbformat.write(build_notebook(stem), str(path))
        written.append(path)
    return written


def main() -> None:
    """``python -m ziyang_lib.report.nbtools [FOLDER]``: regenerate the notebooks."""
    import sys

    for path in write_notebooks(sys.argv[1] if len(sys.argv) > 1 else None):
        print(path)


if __name__ == "__main__":
    main()
