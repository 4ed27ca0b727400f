"""The command line as papermill users type it: ``run NOTEBOOK OUTPUT``, ``-y YAML``, and ``lang``
in a params file choosing the languages of a build."""

from __future__ import annotations

import pytest

from tests.support.project import run_cli_subprocess


@pytest.mark.parametrize(
    ("yaml_text", "args", "problem"),
    [
        ("lang: fr", [], "'fr' is not one of 'zh', 'en'"),
        ("lang: [en, fr]", [], "'fr' is not one of 'zh', 'en'"),
        ("lang: en", ["--lang", "zh"], "says en but --lang says zh"),
        ("lang: []", [], "an empty list selects no language"),
    ],
)
def test_build_reads_lang_from_a_params_file_and_names_the_file(
    project, tmp_path, yaml_text, args, problem
):
    params = tmp_path / "p.yaml"
    params.write_text(yaml_text + "\n", encoding="utf-8")
    out = tmp_path / "out"
    code, _, stderr, heavy = run_cli_subprocess(
        "build", "--notebooks", str(project), "--out", str(out), "-f", str(params), *args
    )
    assert code == 2 and heavy == [] and not out.exists()
    (line,) = stderr.strip().splitlines()
    assert line == f"error: {params}: parameter 'lang': {problem}"
    assert "-p lang" not in line


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-y", "lang: fr"], "error: -y: parameter 'lang': 'fr' is not one of"),
        (["-y", "[1, 2]"], "error: -y: parameter 'YAML': expected a mapping"),
        (["-y", "{a: [}"], "error: -y: parameter 'YAML': cannot read it"),
        (["-y", "colour: red"], "build: parameter 'colour': no selected notebook declares it"),
    ],
)
def test_build_checks_y_values_strictly(project, tmp_path, args, message):
    out = tmp_path / "out"
    code, _, stderr, heavy = run_cli_subprocess(
        "build", "--notebooks", str(project), "--out", str(out), *args
    )
    assert code == 2 and heavy == [] and not out.exists()
    (line,) = stderr.strip().splitlines()
    assert message in line


def test_run_refuses_two_different_outputs_and_unknown_y_names(project, tmp_path):
    args = ("run", "01", "--notebooks", str(project))
    code, _, stderr, heavy = run_cli_subprocess(
        *args, str(tmp_path / "a.ipynb"), "--out", str(tmp_path / "b.ipynb")
    )
    assert code == 2 and heavy == [] and "OUTPUT" in stderr and "--out" in stderr
    code, _, stderr, heavy = run_cli_subprocess(*args, str(tmp_path / "a.ipynb"), "-y", "x: 1")
    assert code == 2 and heavy == [] and "parameter 'x': unknown parameter" in stderr
    assert not (tmp_path / "a.ipynb").exists()


@pytest.mark.slow
def test_run_takes_papermills_positional_output_and_y(project, tmp_path):
    out = tmp_path / "ran.ipynb"
    code, stdout, stderr, _ = run_cli_subprocess(
        "run", "01", str(out), "--notebooks", str(project),
        "-y", "{lang: zh, title: from-y}", "-p", "lang", "en",
    )  # fmt: skip
    assert code == 0, stderr
    assert str(out) in stdout
    text = out.read_text(encoding="utf-8")
    assert "lang: en" in text  # -p wins over -y
    assert "title: from-y" in text


@pytest.mark.slow
def test_build_with_lang_in_a_params_file_builds_those_languages(project, tmp_path):
    params = tmp_path / "params.yaml"
    params.write_text("lang: en\ntitle: Hello\n", encoding="utf-8")
    out = tmp_path / "out"
    code, stdout, stderr, _ = run_cli_subprocess(
        "build", "--notebooks", str(project), "--out", str(out), "-f", str(params)
    )
    assert code == 0, stderr
    assert stdout.startswith("2 built, 0 failed")
    assert sorted(p.relative_to(out).as_posix() for p in out.glob("html/*/*.html")) == [
        "html/en/01_alpha.html",
        "html/en/02_widgets.html",
    ]
    assert "title: Hello" in (out / "executed/en/01_alpha.ipynb").read_text(encoding="utf-8")
