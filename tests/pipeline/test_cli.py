"""ziyang-report: exit codes, one-line parameter errors, params table, check, run, figures."""

from __future__ import annotations

import csv
import json
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support.project import run_cli_subprocess
from ziyang_lib import paths
from ziyang_lib.pipeline.cli import cli


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize(
    ("args", "notebook", "name", "problem"),
    [
        (["-p", "colour", "red"], "01_alpha.ipynb", "colour", "unknown parameter"),
        (["-p", "title", "123"], "01_alpha.ipynb", "title", "is int, expected str"),
        (["-p", "lang", "fr"], "01_alpha.ipynb", "lang", "not one of 'zh', 'en'"),
    ],
)
def test_run_refuses_bad_parameters_without_starting_a_kernel(
    project, tmp_path, args, notebook, name, problem
):
    out = tmp_path / "out"
    code, stdout, stderr, heavy = run_cli_subprocess(
        "run", "01_alpha", "--notebooks", str(project), "--out", str(out), *args
    )
    assert code == 2
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert notebook in lines[0] and f"parameter {name!r}" in lines[0] and problem in lines[0]
    assert heavy == []  # papermill / jupyter_client never imported: no kernel could start
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        # declared by no notebook at all
        (["-p", "colour", "red"], "build: parameter 'colour': no selected notebook declares it"),
        # declared by 01_alpha only, and 01_alpha is not selected
        (["--only", "02", "-p", "title", "x"], "build: parameter 'title': no selected notebook"),
        # declared by 01_alpha, which checks its type
        (["-p", "title", "123"], "01_alpha.ipynb: parameter 'title': value 123 is int"),
        (["-p", "data_dir", "/no/such/folder"], "'data_dir': folder '/no/such/folder' does not"),
    ],
)
def test_build_refuses_bad_parameters_without_starting_a_kernel(project, tmp_path, args, message):
    out = tmp_path / "out"
    code, _, stderr, heavy = run_cli_subprocess(
        "build", "--notebooks", str(project), "--out", str(out), *args
    )
    assert code == 2 and heavy == [] and not out.exists()
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], stderr


def test_a_dir_parameter_naming_a_file_is_refused(project, tmp_path):
    afile = tmp_path / "data.txt"
    afile.write_text("x", encoding="utf-8")
    result = invoke("run", "01", "--notebooks", str(project), "-p", "data_dir", str(afile))
    assert result.exit_code == 2
    assert "parameter 'data_dir': folder" in result.output and "is not a folder" in result.output


@pytest.mark.parametrize("command", ["build", "run"])
def test_bad_data_dir_exits_3_before_any_kernel(project, tmp_path, command):
    data = _data_copy(tmp_path)
    (data / "glossary.csv").unlink()
    out = tmp_path / "out"
    target = ["01"] if command == "run" else []
    code, stdout, stderr, heavy = run_cli_subprocess(
        command,
        *target,
        "--notebooks",
        str(project),
        "--out",
        str(out),
        "-p",
        "data_dir",
        "data",
        cwd=tmp_path,  # a relative folder is read from where the command runs
    )
    assert code == 3 and heavy == [] and not out.exists()
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: glossary.csv"), stderr


@pytest.mark.parametrize("command", ["run", "params"])
def test_unknown_notebook_names_the_argument_and_lists_the_notebooks(project, command):
    result = invoke(command, "99", "--notebooks", str(project))
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert lines == ["error: NOTEBOOK '99': matches no notebook (available: 01_alpha, 02_widgets)"]
    assert "--only" not in result.output


def test_unknown_only_names_only(project):
    result = invoke("build", "--only", "nope", "--notebooks", str(project))
    assert result.exit_code == 2
    assert "--only 'nope': matches no notebook (available: 01_alpha, 02_widgets)" in result.output


def test_parameter_help_says_which_notebooks_take_a_value():
    build_help = " ".join(invoke("build", "--help").output.split())
    run_help = " ".join(invoke("run", "--help").output.split())
    assert "every selected notebook that declares NAME" in build_help
    assert "an error only if none does" in build_help
    assert "The notebook must declare NAME" in run_help
    assert "_dir is a folder that must exist" in build_help


def test_params_file_values_are_checked_like_p(project, tmp_path):
    params = tmp_path / "p.yaml"
    params.write_text("lang: en\ntitle: 2020-10-14\n", encoding="utf-8")
    result = invoke("run", "01", "--notebooks", str(project), "-f", str(params), "-p", "lang", "x")
    assert result.exit_code == 2 and "'x' is not one of" in result.output
    params.write_text("[1, 2]\n", encoding="utf-8")
    result = invoke("run", "01", "--notebooks", str(project), "-f", str(params))
    assert result.exit_code == 2 and "mapping" in result.output


def test_unknown_notebook_and_option_are_usage_errors(project):
    assert invoke("run", "09_nothing", "--notebooks", str(project)).exit_code == 2
    assert invoke("build", "--lang", "fr").exit_code == 2
    assert invoke("build", "--jobs", "0").exit_code == 2


def test_params_shows_a_table(project):
    result = invoke("params", "01_alpha", "--notebooks", str(project))
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split() == ["name", "type", "default", "help"]
    assert lines[1].split()[:3] == ["lang", "str", "'zh'"]
    assert lines[1].endswith("report language: zh or en")
    assert lines[2].split()[:3] == ["title", "str", "'alpha'"]
    assert lines[3].split()[:3] == ["data_dir", "str", "''"]


def test_check_reports_bad_data_with_exit_code_3(project, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(paths.data_dir(), data)
    indicators = data / "indicators.csv"
    lines = indicators.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    row = lines[1].rstrip("\n").split(",")
    row[header.index("value")] = "not-a-number"
    indicators.write_text(lines[0] + ",".join(row) + "\n" + "".join(lines[2:]), encoding="utf-8")
    result = invoke("check", "--data-dir", str(data), "--notebooks", str(project))
    assert result.exit_code == 3
    assert "indicators.csv" in result.output


def test_check_passes_on_the_project_data(project):
    result = invoke("check", "--notebooks", str(project))
    assert result.exit_code == 0, result.output
    assert "parameters ok: 2 notebooks" in result.output


def _data_copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(paths.data_dir(), tmp_path / "data"))


def test_check_summary_counts_context_figures_and_county_boundaries(project, tmp_path):
    data = _data_copy(tmp_path)
    with (data / "context.csv").open(encoding="utf-8", newline="") as fh:
        figures = len(list(csv.DictReader(fh)))
    # keep only the first 30 context figures: the count must follow the file, not a constant
    lines = (data / "context.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (data / "context.csv").write_text("".join(lines[:31]), encoding="utf-8")
    assert figures > 30
    code, stdout, stderr, heavy = run_cli_subprocess(
        "check", "--data-dir", str(data), "--notebooks", str(project)
    )
    assert code == 0, stderr
    summary = stdout.splitlines()[0]
    assert summary.startswith("data ok: ") and str(data) in summary
    assert "30 context figures" in summary and "3 county boundaries" in summary
    assert heavy == []


def test_check_exits_3_on_a_broken_context_file(project, tmp_path, monkeypatch):
    data = _data_copy(tmp_path)
    path = data / "context.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    value = rows[0].index("value")
    rows[3][value] = "lots"  # spreadsheet row 4 (the header is row 1)
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    monkeypatch.setenv("ZIYANG_DATA_DIR", str(data))  # the fresh interpreter reads it
    code, stdout, stderr, _ = run_cli_subprocess("check", "--notebooks", str(project))
    assert code == 3
    assert stderr.strip().splitlines() == [
        "error: context.csv row 4 column 'value': expected a number, got 'lots'"
    ]
    assert "data ok" not in stdout


def test_check_exits_3_on_missing_or_broken_county_boundaries(project, tmp_path, monkeypatch):
    data = _data_copy(tmp_path)
    monkeypatch.setenv("ZIYANG_DATA_DIR", str(data))
    geo = data / "geo" / "ziyang_counties.geojson"
    collection = json.loads(geo.read_text(encoding="utf-8"))
    collection["features"] = collection["features"][:2]  # Lezhi or another county dropped
    geo.write_text(json.dumps(collection), encoding="utf-8")
    code, _, stderr, _ = run_cli_subprocess("check", "--notebooks", str(project))
    lines = stderr.strip().splitlines()
    assert code == 3 and len(lines) == 1
    assert lines[0].startswith("error: geo/ziyang_counties.geojson: expected adcodes")
    geo.unlink()
    code, _, stderr, _ = run_cli_subprocess("check", "--notebooks", str(project))
    assert code == 3 and "geo/ziyang_counties.geojson: file not found" in stderr


def test_check_reports_a_bad_parameter_cell_with_exit_code_2(project):
    from tests.support.project import write_notebook

    write_notebook(project / "03_bad.ipynb", params='lang: str = "fr"  # language: zh or en')
    result = invoke("check", "--notebooks", str(project))
    assert result.exit_code == 2
    assert "03_bad.ipynb: parameter 'lang'" in result.output


def test_figures_says_when_the_exporter_is_missing(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "ziyang_lib.pipeline.figures", None)  # import now fails
    result = invoke("figures", "--out", str(tmp_path / "f"))
    assert result.exit_code == 1
    assert "ziyang_lib/pipeline/figures.py is missing" in result.output


@pytest.mark.slow
def test_run_executes_one_notebook_with_parameters(project, tmp_path):
    out = tmp_path / "o.ipynb"
    result = invoke("run", "01", "--notebooks", str(project), "--out", str(out), "-p", "lang", "en")
    assert result.exit_code == 0, result.output
    assert str(out) in result.output
    assert "lang: en" in out.read_text(encoding="utf-8")


@pytest.mark.slow
def test_run_failure_exits_1_naming_the_cell(notebook_factory, tmp_path):
    nb = notebook_factory("boom.ipynb", "raise KeyError('nope')")
    result = invoke("run", str(nb), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "boom.ipynb: cell 1 raised KeyError" in result.output
    assert (tmp_path / "out" / "boom.failed.ipynb").is_file()


@pytest.mark.slow
def test_build_applies_a_parameter_to_the_notebooks_that_declare_it(project, tmp_path):
    out = tmp_path / "out"
    code, stdout, stderr, _ = run_cli_subprocess(
        "build", "--notebooks", str(project), "--out", str(out), "--lang", "en",
        "-p", "title", "Hello",
    )  # fmt: skip
    assert code == 0, stderr
    assert stdout.startswith("2 built, 0 failed")
    executed = (out / "executed" / "en" / "01_alpha.ipynb").read_text(encoding="utf-8")
    assert "title: Hello" in executed
    assert (out / "html" / "en" / "02_widgets.html").is_file()


@pytest.mark.slow
def test_a_failed_build_shows_each_error_once(project, tmp_path):
    from tests.support.project import write_notebook

    write_notebook(project / "03_boom.ipynb", "raise ValueError('boom ' + lang)", heading="# B")
    out = tmp_path / "out"
    code, stdout, stderr, _ = run_cli_subprocess(
        "build", "--notebooks", str(project), "--out", str(out), "--only", "03",
    )  # fmt: skip
    assert code == 1
    for lang in ("zh", "en"):
        assert stderr.count(f"raised ValueError: boom {lang}") == 1, stderr
    assert stdout.startswith("0 built, 2 failed (en/03_boom, zh/03_boom), 0 up to date")
