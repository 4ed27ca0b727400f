"""Read a notebook's ``parameters`` cell and validate parameter values, without a kernel.

The cell tagged ``parameters`` holds one parameter per line::

    lang: str = "zh"  # report language: zh or en
    data_dir: str = ""  # data folder; empty means the project's data/
    top_n: int = 5  # rows to show: 5, 10 or 20

* ``name: type = default`` — type is one of ``str int float bool list dict``; the default is a
  Python literal of that type (``name = default`` without a type takes the default's type).
* ``# help`` — the rest of the line after ``#``; it may contain ``=`` or anything else.
* **Choices** — end the help with a colon and the allowed values as bare words or numbers:
  ``: a or b`` / ``: a, b or c``. The default must be one of them.

Values given on the command line (``-p NAME VALUE``) or in a params file are read as YAML without
date conversion and with only ``true``/``false`` as booleans, then checked strictly: ``-p lang
123`` is an int and is refused for a ``str`` parameter, ``2020-10-14`` stays a string.

**Folders** — a ``str`` parameter whose name ends in ``_dir`` names a folder: a non-empty value must
be an existing folder (checked before any kernel starts); empty means the notebook's default.

**Inside the notebook** — the setup cell of every report notebook calls `check_notebook` with the
values its cells hold, so plain papermill, nbmake and JupyterLab get the same one-line errors as
``ziyang-report``. papermill's ``-p NAME VALUE`` passes text for anything but ``True``/``False``,
so ``-p show_widgets false`` arrives as the string ``"false"``: it is refused (never read as
true), and the message gives the fix (``-p show_widgets False`` or ``-y "show_widgets: false"``).
"""

from __future__ import annotations

import ast
import io
import json
import os
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ziyang_lib.errors import ParameterError

TYPES: dict[str, type] = {
    "str": str,
    "int": int,
    "float": float,
    "bool": bool,
    "list": list,
    "dict": dict,
}
_WORD = r"[\w.+-]+"
FOLDER_SUFFIX = "_dir"
_CHOICES = re.compile(rf":\s*({_WORD}(?:\s*,\s*{_WORD})*\s+or\s+{_WORD})\s*\.?\s*$")


@dataclass(frozen=True)
class Param:
    """One notebook parameter: name, type name, default, help text and allowed values."""

    name: str
    type: str
    default: Any
    help: str = ""
    choices: tuple[Any, ...] | None = None


class _Loader(yaml.SafeLoader):
    """YAML loader without timestamps, and with only true/false (any case) as booleans."""


_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def parse_value(text: str) -> Any:
    """Read one command-line value as YAML (``"123"`` → 123, ``"zh"`` → "zh", ``""`` → "")."""
    if text == "":
        return ""
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader


def load_params_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read a YAML mapping of parameter values (dates stay strings); raise ValueError otherwise."""
    data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        raise ValueError(f"{path}: expected a mapping of parameter names to values")
    return data


def _parameters_cell(notebook: Path) -> str | None:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code" and "parameters" in cell.get("metadata", {}).get(
            "tags", []
        ):
            src = cell.get("source", "")
            return "".join(src) if isinstance(src, list) else src
    return None


def _comments(source: str) -> dict[int, str]:
    """Map line number → comment text (without ``#``) for every comment in `source`."""
    out: dict[int, str] = {}
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            out[tok.start[0]] = tok.string.lstrip("#").strip()
    return out


def _choices(help_text: str, kind: str, nb: str, name: str) -> tuple[Any, ...] | None:
    match = _CHOICES.search(help_text)
    if match is None or kind not in ("str", "int", "float"):
        return None
    words = re.split(r"\s*,\s*|\s+or\s+", match.group(1))
    try:
        return tuple(TYPES[kind](w) for w in words)
    except ValueError:
        raise ParameterError(nb, name, f"choices {words} are not all {kind}") from None


def _param(stmt: ast.stmt, comments: dict[int, str], nb: str) -> Param:
    if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value:
        name, annotation = stmt.target.id, ast.unparse(stmt.annotation)
    elif (
        isinstance(stmt, ast.Assign)
        and len(stmt.targets) == 1
        and isinstance(stmt.targets[0], ast.Name)
    ):
        name, annotation = stmt.targets[0].id, None
    else:
        text = ast.unparse(stmt).splitlines()[0]
        raise ParameterError(nb, text, "not a `name: type = default` line")
    try:
        default = ast.literal_eval(stmt.value)
    except ValueError:
        raise ParameterError(nb, name, "the default must be a literal value") from None
    kind = annotation or type(default).__name__
    if kind not in TYPES:
        raise ParameterError(nb, name, f"type {kind!r} is not one of {', '.join(TYPES)}")
    default = _coerce(default, kind, nb, name, what="default")
    help_text = comments.get(stmt.end_lineno or stmt.lineno, "")
    choices = _choices(help_text, kind, nb, name)
    if choices is not None and default not in choices:
        raise ParameterError(nb, name, f"default {default!r} is not one of {_show(choices)}")
    return Param(name, kind, default, help_text, choices)


def read_parameters(notebook_path: str | os.PathLike[str]) -> list[Param]:
    """Return the parameters declared in the notebook's ``parameters`` cell ([] if none)."""
    path = Path(notebook_path)
    source = _parameters_cell(path)
    if source is None:
        return []
    try:
        tree = ast.parse(source)
        comments = _comments(source)
    except (SyntaxError, tokenize.TokenError) as exc:
        raise ParameterError(path.name, "parameters", f"cell does not parse: {exc}") from None
    return [_param(stmt, comments, path.name) for stmt in tree.body]


def _show(choices: tuple[Any, ...]) -> str:
    return ", ".join(repr(c) for c in choices)


def _coerce(value: Any, kind: str, nb: str, name: str, *, what: str = "value") -> Any:
    """Return `value` as type `kind`, or raise ParameterError (no lossy conversions)."""
    ok = isinstance(value, TYPES[kind]) and not (kind in ("int", "float") and type(value) is bool)
    if kind == "float" and isinstance(value, int) and type(value) is not bool:
        return float(value)
    if not ok:
        problem = f"{what} {value!r} is {type(value).__name__}, expected {kind}"
        if kind == "bool" and isinstance(value, str):
            problem += f"; papermill's -p passes text: {_bool_fix(name, value)}"
        raise ParameterError(nb, name, problem)
    return value


_MEANS_TRUE = frozenset({"true", "yes", "on", "y", "1"})
_MEANS_FALSE = frozenset({"false", "no", "off", "n", "0", ""})


def _bool_fix(name: str, text: str) -> str:
    """The fix for a bool given as `text` (papermill makes a bool of True and False only)."""
    word = text.strip().lower()
    meant = "True" if word in _MEANS_TRUE else "False" if word in _MEANS_FALSE else None
    if meant is None:
        return f"write -p {name} True or -p {name} False"
    return f'write -p {name} {meant} or -y "{name}: {meant.lower()}"'


def check_folders(values: dict[str, object], where: str) -> None:
    """Raise ParameterError if a non-empty ``*_dir`` value in `values` is not an existing folder."""
    for name, value in values.items():
        if name.endswith(FOLDER_SUFFIX) and isinstance(value, str) and value:
            if not Path(value).is_dir():
                problem = "is not a folder" if Path(value).exists() else "does not exist"
                raise ParameterError(where, name, f"folder {value!r} {problem}")


def validate(notebook_path: str | os.PathLike[str], overrides: dict[str, object]) -> dict:
    """Check `overrides` against the notebook's parameters; return them coerced to their types.

    Raise :class:`ParameterError` for an unknown name, a value of the wrong type, a value
    outside the parameter's choices or a ``*_dir`` folder that does not exist. No kernel starts.
    """
    path = Path(notebook_path)
    declared = {p.name: p for p in read_parameters(path)}
    out: dict[str, object] = {}
    for name, value in overrides.items():
        param = declared.get(name)
        if param is None:
            known = ", ".join(declared) or "none"
            raise ParameterError(path.name, name, f"unknown parameter (known: {known})")
        value = _coerce(value, param.type, path.name, name)
        if param.choices is not None and value not in param.choices:
            raise ParameterError(path.name, name, f"{value!r} is not one of {_show(param.choices)}")
        out[name] = value
    check_folders(out, path.name)
    return out


def effective(notebook_path: str | os.PathLike[str], overrides: dict[str, object]) -> dict:
    """Return every parameter's value: the notebook defaults updated with validated overrides."""
    values = {p.name: p.default for p in read_parameters(notebook_path)}
    values.update(validate(notebook_path, overrides))
    return values


def check_notebook(notebook: str | os.PathLike[str], **values: object) -> dict:
    """Validate, inside a running notebook, the value of EVERY parameter it declares; return them.

    `notebook` is a stem of ``notebooks/`` (``"01_party_leadership"``) or a path. The same checks
    as `validate` (type, choices, folders), plus: every declared parameter must be given, so a
    renamed or forgotten one fails here rather than being silently left at its default.
    """
    from ziyang_lib.paths import notebooks_dir

    path = Path(notebook)
    if path.suffix != ".ipynb":
        path = notebooks_dir() / f"{notebook}.ipynb"
    declared = [p.name for p in read_parameters(path)]
    missing = [name for name in declared if name not in values]
    if missing:
        raise ParameterError(path.name, missing[0], "declared but not checked in the setup cell")
    return validate(path, values)
