"""Tables as HTML a reader can sort, filter and search: the one table markup of the report.

`table_html(columns, rows, …)` writes a plain ``<table class="zy-table">``: full width, each
cell labelled with its column (``data-label``, so a phone shows each row as a stacked card), a
sort key on cells that sort by number (``data-sort``) and, for each filter, the row's value
(``data-filter-<key>``). Without a script it is a readable table the browser's find searches;
the page's table script (``pipeline/templates/ziyang/static/tables.js``, allowed by the page's
Content-Security-Policy through its hash) adds sorting by column, a text filter and a select per
filter above it. Cells are HTML the caller escaped (`cell`).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ziyang_lib.report.text import t

TABLE_CLASS = "zy-table"
TABLE_WRAP = "zy-table-wrap"  # the element the table script sets up (table and its tools)


@dataclass(frozen=True)
class Column:
    """One column: its key, its header (page text) and whether it sorts by number."""

    key: str
    label: str
    numeric: bool = False
    css: str = ""


@dataclass(frozen=True)
class Filter:
    """A select above the table that keeps the rows whose value for `key` is the one chosen."""

    key: str
    label: str
    options: Sequence[tuple[str, str]]  # (value, label), in the order shown


@dataclass
class Cell:
    """One cell: HTML (already escaped) and, for a numeric column, the number it sorts by."""

    html: str
    sort: float | None = None


@dataclass
class Row:
    """One row: its cells by column key, and its value for each filter."""

    cells: dict[str, Cell]
    filters: dict[str, str] = field(default_factory=dict)
    css: str = ""


def cell(text: Any, sort: float | None = None) -> Cell:
    """A cell of plain text (escaped)."""
    return Cell(html.escape(str(text), quote=False), sort)


def value_cell(text: Any, sort: float | None = None) -> Cell:
    """A cell holding one formatted value, kept on one line (a number and its unit)."""
    return Cell(f'<span class="zy-nowrap">{html.escape(str(text), quote=False)}</span>', sort)


def _attr(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _tools(filters: Sequence[Filter], lang: str) -> str:
    """The controls above the table (hidden until the table script shows them)."""
    parts = [
        '<div class="zy-table-tools" hidden>',
        f'<label class="zy-table-search"><span>{html.escape(t("ui.table.search", lang))}</span>'
        '<input type="search" autocomplete="off"></label>',
    ]
    everything = html.escape(t("ui.table.all", lang))
    for f in filters:
        options = [f'<option value="">{everything}</option>']
        options += [
            f'<option value="{_attr(value)}">{html.escape(label)}</option>'
            for value, label in f.options
        ]
        parts.append(
            f'<label class="zy-table-filter"><span>{html.escape(f.label)}</span>'
            f'<select data-filter="{_attr(f.key)}">{"".join(options)}</select></label>'
        )
    parts.append(f'<p class="zy-table-count" data-of="{_attr(t("ui.table.shown", lang))}"></p>')
    return "".join(parts) + "</div>"


def table_html(
    columns: Sequence[Column],
    rows: Sequence[Row],
    lang: str,
    *,
    filters: Sequence[Filter] = (),
    css: str = "",
    caption: str | None = None,
) -> str:
    """The table (with its controls above it): see the module docstring."""
    head = "".join(
        '<th scope="col"'
        + (f' class="{_attr(c.css)}"' if c.css else "")
        + (' data-numeric=""' if c.numeric else "")
        + f">{html.escape(c.label)}</th>"
        for c in columns
    )
    body = []
    for row in rows:
        attrs = "".join(f' data-filter-{_attr(k)}="{_attr(v)}"' for k, v in row.filters.items())
        if row.css:
            attrs += f' class="{_attr(row.css)}"'
        tds = []
        for c in columns:
            one = row.cells.get(c.key) or Cell("")
            sort = f' data-sort="{one.sort!r}"' if one.sort is not None else ""
            klass = f' class="{_attr(c.css)}"' if c.css else ""
            tds.append(
                f'<td data-label="{_attr(c.label)}"{klass}{sort}>'
                f'<span class="zy-cell">{one.html}</span></td>'
            )
        body.append(f"<tr{attrs}>{''.join(tds)}</tr>")
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    classes = " ".join(x for x in (TABLE_CLASS, css) if x)
    return (
        f'<div class="{TABLE_WRAP}">{_tools(filters, lang)}'
        f'<table class="{_attr(classes)}">{cap}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )
