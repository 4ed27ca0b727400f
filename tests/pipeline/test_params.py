"""params: the parameters-cell parser and strict validation (no kernel)."""

from __future__ import annotations

import json

import pytest

from ziyang_lib.errors import ParameterError
from ziyang_lib.pipeline.params import (
    Param,
    check_folders,
    check_notebook,
    effective,
    load_params_file,
    parse_value,
    read_parameters,
    validate,
)

CELL = "\n".join(
    [
        'lang: str = "zh"  # report language: zh or en',
        'data_dir: str = ""  # data folder; empty means data/',
        "rows = 5  # rows = 5 shown",
        "scale: float = 1  # scale: 1, 2 or 3.5",
        'when: str = "2020-10-14"',
        "flag: bool = False  # show extras",
        "items: list = [1, 2]  # items to keep",
        "# a comment line on its own",
        "",
    ]
)


@pytest.fixture
def nb(notebook_factory):
    return notebook_factory("p.ipynb", "print(lang)", params=CELL)


def test_reads_every_parameter_with_type_default_help_and_choices(nb):
    params = {p.name: p for p in read_parameters(nb)}
    assert list(params) == ["lang", "data_dir", "rows", "scale", "when", "flag", "items"]
    assert params["lang"] == Param("lang", "str", "zh", "report language: zh or en", ("zh", "en"))
    assert params["data_dir"].choices is None
    # papermill cannot parse this line ("# rows = 5"); the type comes from the default
    assert params["rows"] == Param("rows", "int", 5, "rows = 5 shown", None)
    assert params["scale"].default == 1.0 and params["scale"].choices == (1.0, 2.0, 3.5)
    assert params["when"] == Param("when", "str", "2020-10-14", "", None)
    assert params["flag"].type == "bool" and params["items"].default == [1, 2]


def test_notebook_without_parameters_cell_has_none(tmp_path):
    path = tmp_path / "plain.ipynb"
    path.write_text(json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    assert read_parameters(path) == []


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("n: complex = 1j", "type 'complex'"),
        ("n: int = len('ab')", "literal"),
        ('n: int = "5"', "expected int"),
        ('lang: str = "fr"  # language: zh or en', "not one of"),
        ("print('x')", "not a `name: type = default` line"),
    ],
)
def test_malformed_parameter_lines_are_refused(notebook_factory, line, problem):
    path = notebook_factory("bad.ipynb", params=line)
    with pytest.raises(ParameterError, match=problem) as info:
        read_parameters(path)
    assert "bad.ipynb" in str(info.value)


def test_validate_coerces_typed_values(nb):
    got = validate(
        nb,
        {
            "lang": parse_value("en"),
            "rows": parse_value("7"),
            "scale": parse_value("2"),
            "when": parse_value("2021-01-01"),
            "flag": parse_value("true"),
            "items": parse_value("[3, 4]"),
        },
    )
    assert got == {
        "lang": "en",
        "rows": 7,
        "scale": 2.0,
        "when": "2021-01-01",
        "flag": True,
        "items": [3, 4],
    }
    assert isinstance(got["scale"], float)


@pytest.mark.parametrize(
    ("overrides", "name", "problem"),
    [
        ({"colour": "red"}, "colour", "unknown parameter"),
        ({"lang": 123}, "lang", "is int, expected str"),
        ({"lang": "fr"}, "lang", "not one of 'zh', 'en'"),
        ({"rows": 1.5}, "rows", "is float, expected int"),
        ({"rows": True}, "rows", "is bool, expected int"),
        ({"flag": "yes"}, "flag", "is str, expected bool"),
        ({"scale": 4}, "scale", "not one of"),
        ({"items": "[1]"}, "items", "expected list"),
    ],
)
def test_validate_refuses_bad_values_in_one_line(nb, overrides, name, problem):
    with pytest.raises(ParameterError) as info:
        validate(nb, overrides)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("p.ipynb: parameter ")
    assert repr(name) in message and problem in message


def test_a_dir_parameter_must_name_an_existing_folder(nb, tmp_path):
    assert validate(nb, {"data_dir": str(tmp_path)}) == {"data_dir": str(tmp_path)}
    assert validate(nb, {"data_dir": ""}) == {"data_dir": ""}  # empty: the default folder
    with pytest.raises(ParameterError, match="p.ipynb: parameter 'data_dir': folder .* does not"):
        validate(nb, {"data_dir": str(tmp_path / "missing")})
    afile = tmp_path / "f.txt"
    afile.write_text("x", encoding="utf-8")
    with pytest.raises(ParameterError, match="is not a folder"):
        validate(nb, {"data_dir": str(afile)})


def test_check_folders_looks_only_at_dir_names(tmp_path):
    check_folders({"title": "/no/such", "data_dir": "", "n_dir": 3}, "build")  # nothing to check
    with pytest.raises(ParameterError, match="build: parameter 'out_dir'"):
        check_folders({"out_dir": str(tmp_path / "missing")}, "build")


def test_effective_merges_defaults_and_overrides(nb):
    values = effective(nb, {"lang": "en"})
    assert values["lang"] == "en" and values["rows"] == 5 and values["data_dir"] == ""


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("123", 123),
        ("1.5", 1.5),
        ("zh", "zh"),
        ("", ""),
        ("2020-10-14", "2020-10-14"),
        ("yes", "yes"),
        ("no", "no"),
        ("true", True),
        ("False", False),
        ("[1, 2]", [1, 2]),
        ("'123'", "123"),
    ],
)
def test_parse_value_reads_yaml_without_dates_or_yes_no(text, value):
    got = parse_value(text)
    assert got == value and type(got) is type(value)


def test_params_file_keeps_dates_as_strings(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("lang: en\nwhen: 2020-10-14\nrows: 7\n", encoding="utf-8")
    assert load_params_file(path) == {"lang": "en", "when": "2020-10-14", "rows": 7}
    path.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(ValueError, match="mapping"):
        load_params_file(path)


# --- inside the notebook: the setup cell's check --------------------------------------------------


def test_check_notebook_refuses_the_text_false_with_the_fix(nb):
    with pytest.raises(ParameterError) as caught:
        check_notebook(nb, lang="en", data_dir="", rows=5, scale=1.0, when="x", flag="false",
                       items=[])  # fmt: skip
    message = str(caught.value)
    assert "'flag'" in message and "'false' is str, expected bool" in message
    assert "-p flag False" in message and '-y "flag: false"' in message
    assert "\n" not in message  # one line
    with pytest.raises(ParameterError, match="-p flag True"):
        check_notebook(nb, lang="en", data_dir="", rows=5, scale=1.0, when="x", flag="yes",
                       items=[])  # fmt: skip


def test_check_notebook_needs_every_declared_parameter_and_its_choices(nb):
    values = {"lang": "en", "data_dir": "", "rows": 5, "scale": 2, "when": "x", "flag": False}
    with pytest.raises(ParameterError, match="'items': declared but not checked"):
        check_notebook(nb, **values)
    assert check_notebook(nb, **values, items=[3]) == {**values, "scale": 2.0, "items": [3]}
    with pytest.raises(ParameterError, match="'fr' is not one of 'zh', 'en'"):
        check_notebook(nb, **{**values, "lang": "fr"}, items=[])


def test_check_notebook_reads_a_report_notebook_by_its_stem():
    values = {"lang": "zh", "data_dir": "", "show_widgets": True}
    assert check_notebook("01_party_leadership", **values) == values
