"""An executed notebook from any runner → the report's offline page.

For notebooks that papermill, Airflow's PapermillOperator, nbmake or JupyterLab executed, outside
``ziyang-report build``: ``ziyang-report export EXECUTED.ipynb [-o PAGE.html]``, or
``jupyter nbconvert --to ziyang EXECUTED.ipynb`` (`ziyang_lib.pipeline.nbconvert_exporter`). The
page is the build's (`ziyang_lib.pipeline.html_export`): charts drawn by the vendored plotly.js,
no CDN, a Content-Security-Policy, the page language from the notebook's ``lang`` parameter.

A notebook whose run failed (an error output, or papermill's exception mark) or that has an
output the page cannot show is refused with every problem named, as the build refuses it.
"""

from __future__ import annotations

import ast
import os
from pathlib import Path
from typing import Any

from ziyang_lib.errors import ExportError, ParameterError
from ziyang_lib.files import write_atomic
from ziyang_lib.pipeline.html_export import ExportResult, export_html, write_plotlyjs
from ziyang_lib.truth.langs import LANGS

LANG = "lang"
# Cells papermill injects override the notebook's own parameters cell.
PARAMETER_TAGS: tuple[str, ...] = ("injected-parameters", "parameters")


def _source(cell: Any) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _assigned_lang(source: str) -> str | None:
    """The last string assigned to ``lang`` in a parameters cell (``lang = "en"``, annotated or
    not), or None."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    found = None
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        named = any(isinstance(t, ast.Name) and t.id == LANG for t in targets)
        if named and isinstance(value, ast.Constant) and isinstance(value.value, str):
            found = value.value
    return found


def notebook_lang(nb: Any) -> str | None:
    """The language the notebook ran in: papermill's recorded parameters, else the injected
    parameters cell, else the ``parameters`` cell; None if it has no ``lang``."""
    recorded = (nb.get("metadata", {}).get("papermill") or {}).get("parameters") or {}
    if isinstance(recorded.get(LANG), str):
        return recorded[LANG]
    for tag in PARAMETER_TAGS:
        for cell in reversed(nb.get("cells", [])):
            if cell.get("cell_type") == "code" and tag in cell.get("metadata", {}).get("tags", []):
                lang = _assigned_lang(_source(cell))
                if lang is not None:
                    return lang
    return None


def run_problems(nb: Any) -> list[str]:
    """Why the notebook's run did not succeed (error outputs, papermill's exception mark)."""
    found = []
    for index, cell in enumerate(nb.get("cells", [])):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                found.append(
                    f"cell {index} raised {output.get('ename')}: {output.get('evalue')}".rstrip()
                )
    if not found and (nb.get("metadata", {}).get("papermill") or {}).get("exception"):
        found.append("papermill marks the run as failed")
    return found


def page_from_notebook(
    nb: Any,
    *,
    name: str,
    lang: str | None = None,
    plotlyjs: str = "inline",
    plotlyjs_href: str | None = None,
) -> ExportResult:
    """Return the page of executed notebook `nb` (`name` labels errors and is the title of last
    resort); raise ExportError if its run failed or the page would have problems, and
    ParameterError if its language is unknown."""
    from ziyang_lib.pipeline.build import first_heading

    chosen = lang or notebook_lang(nb)
    if chosen is None:
        raise ParameterError(name, LANG, "the notebook sets no lang; give --lang zh or en")
    if chosen not in LANGS:
        raise ParameterError(name, LANG, f"{chosen!r} is not one of {', '.join(LANGS)}")
    failed = run_problems(nb)
    if failed:
        raise ExportError(f"{name}: the run failed, no page made: {'; '.join(failed)}")
    title = first_heading(nb) or Path(name).stem
    result = export_html(
        nb, lang=chosen, page_title=title, plotlyjs=plotlyjs, plotlyjs_href=plotlyjs_href
    )
    if result.warnings:
        raise ExportError(f"{name}: no page made: {'; '.join(result.warnings)}")
    return result


def export_file(
    notebook: str | os.PathLike[str],
    output: str | os.PathLike[str] | None = None,
    *,
    lang: str | None = None,
    plotlyjs: str = "inline",
) -> tuple[Path, ExportResult]:
    """Write the page of the executed notebook file `notebook` to `output` (default: the
    notebook's path with ``.html``); in ``directory`` mode plotly.min.js goes next to the page.
    Return the page's path and the export result."""
    import nbformat

    source = Path(notebook)
    target = Path(output) if output is not None else source.with_suffix(".html")
    nb = nbformat.read(str(source), as_version=4)
    result = page_from_notebook(nb, name=source.name, lang=lang, plotlyjs=plotlyjs)
    if plotlyjs == "directory":
        write_plotlyjs(target.parent)
    write_atomic(target, result.html)
    return target, result
