"""``ziyang-report``: build the report, run or export a notebook, show parameters, check data,
figures.

Exit codes: 0 ok, 1 a notebook (or page) failed, 2 bad parameters or usage, 3 bad data, 4 the
output folder is being built by another run, 130 interrupted (Ctrl-C), 143 terminated (SIGTERM).
Every failure is one line on stderr. Heavy modules (papermill, nbconvert, pandas) are imported
only by the commands that need them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ziyang_lib import __version__, paths
from ziyang_lib.pipeline.exits import EXIT_FAILED, errors_to_exit_codes, fail, timeout_options
from ziyang_lib.pipeline.lean_imports import skip_unused
from ziyang_lib.truth.langs import LANGS

_FILE = click.Path(dir_okay=False, path_type=Path)
_FOLDERS = "A NAME ending in _dir is a folder that must exist (empty: the default)."
_SCOPE = {
    "build": "Applies to every selected notebook that declares NAME; an error only if none does.",
    "run": "The notebook must declare NAME.",
}


def _parameter_options(scope: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The ``-p``/``-f`` options; `scope` (build or run) says which notebooks they apply to."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        func = click.option(
            "-y",
            "--params-yaml",
            metavar="YAML",
            default=None,
            help="Parameter values as one YAML mapping, as papermill's -y "
            "('{lang: en, show_widgets: false}'); -p wins over -y, -y over -f.",
        )(func)
        func = click.option(
            "-f",
            "--params-file",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            help=f"YAML file of parameter values (dates stay strings). {_SCOPE[scope]}",
        )(func)
        return click.option(
            "-p",
            "--param",
            "param_pairs",
            type=(str, str),
            multiple=True,
            metavar="NAME VALUE",
            help="Set a parameter; VALUE is read as YAML (123 is an int, zh a string). "
            f"{_SCOPE[scope]} {_FOLDERS}",
        )(func)

    return decorate


def _lang_option(
    help: str, *, many: bool = False, default: str | None = None
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--lang``: one of the report's languages, or (`many`) a repeatable ``langs``."""
    return click.option(
        *(("--lang", "langs") if many else ("--lang",)),
        multiple=many,
        type=click.Choice(list(LANGS)),
        default=default,
        show_default=default is not None,
        help=help,
    )


def _notebooks_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--notebooks",
        "notebooks_dir",
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        default=None,
        help="Folder of the report notebooks (default: the project's notebooks/).",
    )(func)


def _notebook_path(name: str, notebooks_dir: Path | None) -> Path:
    """A notebook given by path (it must be one), or by name/stem/number in the folder."""
    from ziyang_lib.pipeline.notebooks import notebook_argument

    return notebook_argument(name, notebooks_dir)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ziyang-report")
def cli() -> None:
    """Build and check the bilingual Ziyang poverty-alleviation report."""


@cli.command()
@_lang_option("Language to build; repeatable (default: zh and en).", many=True)
@click.option(
    "--only",
    multiple=True,
    metavar="NOTEBOOK",
    help="Build only this notebook (path, stem or number such as 01); repeatable.",
)
@_parameter_options("build")
@click.option(
    "--jobs", type=click.IntRange(min=1), default=None, help="Notebooks at once (default: CPUs)."
)
@click.option("--force", is_flag=True, help="Rebuild every page, even if up to date.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder (default: the project's build/).",
)
@click.option(
    "--plotlyjs",
    type=click.Choice(["inline", "directory"]),
    default=None,
    help="Inline plotly.js in each page (default), or share one file in the html folder "
    "(the default with --zip).",
)
@click.option(
    "--zip",
    "zip_path",
    type=_FILE,
    metavar="FILE",
    help="Also write the report (index, pages, shared plotly.js) as one zip archive to share.",
)
@timeout_options
@click.option(
    "--wait",
    type=click.FloatRange(min=0),
    default=0,
    metavar="SECONDS",
    help="If another build holds --out, wait this long for it (default: refuse at once, exit 4).",
)
@_notebooks_option
@errors_to_exit_codes
def build(
    langs: tuple[str, ...],
    only: tuple[str, ...],
    param_pairs: tuple[tuple[str, str], ...],
    params_file: Path | None,
    params_yaml: str | None,
    jobs: int | None,
    force: bool,
    out: Path | None,
    plotlyjs: str | None,
    zip_path: Path | None,
    timeout_cell: float,
    timeout: float,
    wait: float,
    notebooks_dir: Path | None,
) -> None:
    """Execute every notebook in every language and write the HTML report and its index."""
    from ziyang_lib.pipeline.build import build as run_build
    from ziyang_lib.pipeline.param_sources import build_langs, collect

    collected = collect(param_pairs, params_file, params_yaml)
    chosen_langs = build_langs(collected, langs)
    report = run_build(
        out,
        langs=chosen_langs,
        only=only,
        params=collected.values,
        jobs=jobs,
        force=force,
        plotlyjs=plotlyjs or ("directory" if zip_path else "inline"),
        notebooks_dir=notebooks_dir,
        timeout_cell=timeout_cell,
        timeout=timeout,
        wait=wait,
    )
    # each failure was already shown once, on its page's progress line
    if report.up_to_date:
        click.echo(f"up to date ({len(report.skipped)} pages)")
    else:
        failed = f" ({', '.join(sorted(report.failed))})" if report.failed else ""
        click.echo(
            f"{len(report.executed)} built, {len(report.failed)} failed{failed}, "
            f"{len(report.skipped)} up to date in {report.seconds:.1f} s"
        )
    click.echo(f"index: {report.index.resolve()}")
    if zip_path is not None:
        _write_archive(report.out_dir, zip_path, report.ok)
    if not report.ok:
        sys.exit(EXIT_FAILED)


def _write_archive(out_dir: Path, zip_path: Path, build_ok: bool) -> None:
    """Write the ``--zip`` archive of a good build (a failed build writes none)."""
    if not build_ok:
        click.echo(f"archive not written (a page failed): {zip_path}", err=True)
        return
    from ziyang_lib.pipeline.share import write_zip

    try:
        written = write_zip(out_dir, zip_path)
    except FileNotFoundError as exc:
        fail(str(exc), EXIT_FAILED)
        return
    click.echo(f"archive: {written.resolve()} ({written.stat().st_size / 1e6:.1f} MB)")


@cli.command()
@click.argument("notebook")
@click.argument("output", required=False, type=click.Path(path_type=Path))
@_parameter_options("run")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Executed notebook path, or a folder for <stem>.ipynb (default: build/run/); "
    "the same as the OUTPUT argument.",
)
@timeout_options
@_notebooks_option
@errors_to_exit_codes
def run(
    notebook: str,
    output: Path | None,
    param_pairs: tuple[tuple[str, str], ...],
    params_file: Path | None,
    params_yaml: str | None,
    out: Path | None,
    timeout_cell: float,
    timeout: float,
    notebooks_dir: Path | None,
) -> None:
    """Execute one NOTEBOOK (path, name or number) with parameters; write the executed notebook
    to OUTPUT (papermill's order: ``run NOTEBOOK OUTPUT -p NAME VALUE``) or --out."""
    from ziyang_lib.pipeline.datacheck import check_data
    from ziyang_lib.pipeline.outdir import writing
    from ziyang_lib.pipeline.param_sources import collect
    from ziyang_lib.pipeline.params import validate

    if output is not None and out is not None and output != out:
        raise click.UsageError(f"OUTPUT {output} and --out {out} differ: give one of them")
    out = output if output is not None else out
    path = _notebook_path(notebook, notebooks_dir)
    values = validate(path, collect(param_pairs, params_file, params_yaml).values)
    check_data(values.get("data_dir"))
    target = out if out is not None else paths.default_build_dir() / "run"
    if target.suffix != ".ipynb":
        target = target / f"{path.stem}.ipynb"
    with writing(target.parent):
        target.parent.mkdir(parents=True, exist_ok=True)

    from ziyang_lib.pipeline.execute import execute_notebook

    with writing(target.parent):
        result = execute_notebook(
            path, target, values, timeout_cell=timeout_cell, timeout_total=timeout
        )
    click.echo(f"executed {path.name} in {result.seconds:.1f} s: {target}")


@cli.command()
@click.argument(
    "executed",
    metavar="EXECUTED.ipynb",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option("-o", "--output", type=_FILE, help="Page to write (default: the notebook's .html).")
@_lang_option("Page language (default: the notebook's lang parameter).")
@click.option(
    "--plotlyjs",
    type=click.Choice(["inline", "directory"]),
    default="inline",
    show_default=True,
    help="Inline plotly.js in the page, or write plotly.min.js next to it.",
)
@errors_to_exit_codes
def export(executed: Path, output: Path | None, lang: str | None, plotlyjs: str) -> None:
    """Make the report's offline page from a notebook executed elsewhere (papermill,
    PapermillOperator, nbmake, JupyterLab); the same as ``jupyter nbconvert --to ziyang``."""
    from ziyang_lib.pipeline.export import export_file

    page, result = export_file(executed, output, lang=lang, plotlyjs=plotlyjs)
    click.echo(f"exported {executed.name}: {result.n_charts} charts, {page.resolve()}")


@cli.command()
@click.argument("notebook")
@_notebooks_option
@errors_to_exit_codes
def params(notebook: str, notebooks_dir: Path | None) -> None:
    """Show the parameters of NOTEBOOK: name, type, default and help."""
    from ziyang_lib.pipeline.params import read_parameters

    rows = [("name", "type", "default", "help")]
    rows += [
        (p.name, p.type, repr(p.default), p.help)
        for p in read_parameters(_notebook_path(notebook, notebooks_dir))
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        cells = [row[i].ljust(widths[i]) for i in range(3)] + [row[3]]
        click.echo("  ".join(cells).rstrip())


@cli.command()
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Data folder (default: $ZIYANG_DATA_DIR or the project's data/).",
)
@_notebooks_option
@errors_to_exit_codes
def check(data_dir: Path | None, notebooks_dir: Path | None) -> None:
    """Validate the data (tables, context figures, county boundaries) and every notebook's
    parameter cell, without a kernel."""
    from ziyang_lib.pipeline.datacheck import check_data, data_folder
    from ziyang_lib.pipeline.notebooks import find_notebooks, plan_jobs
    from ziyang_lib.report.text import LANGS

    folder = data_folder(data_dir)
    n = check_data(folder)
    click.echo(
        f"data ok: {n['indicators']} indicators, {n['mentions']} mentions, "
        f"{n['glossary']} glossary terms, {n['context']} context figures, "
        f"{n['counties']} county boundaries ({folder})"
    )
    notebooks = find_notebooks(notebooks_dir)
    plan_jobs(notebooks, LANGS, {})
    click.echo(f"parameters ok: {len(notebooks)} notebooks × {len(LANGS)} languages")


@cli.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True)
@_lang_option("Language; repeatable (default: zh and en).", many=True)
@errors_to_exit_codes
def figures(out: Path, langs: tuple[str, ...]) -> None:
    """Export every chart as PNG and SVG into --out (one kaleido session)."""
    try:
        from ziyang_lib.pipeline.figures import export_figures
    except ModuleNotFoundError as exc:
        if exc.name != "ziyang_lib.pipeline.figures":
            raise
        fail("static figure export is not available: ziyang_lib/pipeline/figures.py is missing", 1)
        return
    from ziyang_lib.pipeline.outdir import writing

    with writing(out):
        written = export_figures(out, langs=langs or ("zh", "en"))
    click.echo(f"{len(written)} files written to {out.resolve()}")


@cli.command("audit-text")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "out_format",
    type=click.Choice(["table", "csv"]),
    default="table",
    show_default=True,
    help="A table to read, or CSV (explanations in zh and en) to process.",
)
@_lang_option("Language of the table's labels and explanations.", default="zh")
@errors_to_exit_codes
def audit_text(file: Path, out_format: str, lang: str) -> None:
    """Check the arithmetic FILE (UTF-8 text) states: growth rates, changes, yearly averages,
    sums and parts of totals; one row per relation, with a verdict and why."""
    from ziyang_lib.pipeline.text_audit import read_text, render

    click.echo(render(read_text(file), out_format, lang), nl=False)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point (``ziyang-report``)."""
    skip_unused()
    cli.main(args=argv, prog_name="ziyang-report")


if __name__ == "__main__":  # pragma: no cover
    main()
