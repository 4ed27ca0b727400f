"""The one reader for every CSV table of the data folder, typed by its ``datapackage.json`` schema.

:func:`read_table` reads a table resource (its path and fields come from the data package),
checks the header and each cell against the field's type and constraints (``required``,
``unique``, ``enum``, ``minimum``, ``maximum``, ``minLength``, ``pattern``) and returns a frame:
``string`` columns as pandas strings, ``number`` as float64, ``integer`` as Int64 (int64 when
required), ``boolean`` (``trueValues``/``falseValues``) as bool. An empty cell is missing.

Problems raise :class:`~ziyang_lib.errors.DataError` naming the file, the row (the header is
row 1, as in a spreadsheet and in ``frictionless``), the column and the problem, with values
printed plainly (``999``, ``'abc'``). A UTF-8 byte-order mark (Excel's "CSV UTF-8") is accepted;
a file over :data:`~ziyang_lib.truth.package.MAX_FILE_BYTES` is refused before it is read.

Why not frictionless here: reading the five tables through ``frictionless`` takes seconds
where this takes a few hundredths, and every page loads them. ``frictionless validate`` stays
the independent check of the same package in the test suite.
"""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path
from typing import Any

import pandas as pd

from ziyang_lib.errors import DataError
from ziyang_lib.truth.package import check_size, resource, table_fields

_DTYPES = {"string": "string", "number": "float64", "integer": "Int64", "boolean": "boolean"}
BOUNDS: tuple[str, ...] = ("value", "low", "high")
_TOLERANCE = 1e-9  # relative, for comparing numbers read back from CSV text


def plain(value: Any) -> str:
    """A value as a reader would type it: ``999``, ``2.5``, ``'abc'`` (never ``np.int64(999)``)."""
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()  # numpy scalar → Python scalar
    if isinstance(value, float) and math.isfinite(value):
        rounded = round(value, 6)  # 3561999999.9999995 (35.62 × 1e8) prints as 3562000000
        return str(int(rounded)) if rounded.is_integer() else f"{rounded:.12g}"
    return repr(value) if isinstance(value, str) else str(value)


def missing(x: Any) -> bool:
    """True for an empty cell as the frames hold it (None, pd.NA, NaN)."""
    return x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))


def read_table(folder: Path, name: str) -> pd.DataFrame:
    """Read table resource `name` of the data package in `folder`, typed and checked."""
    fields = table_fields(folder, name)
    file = resource(folder, name)["path"]
    header, rows = read_rows(Path(folder) / file, file)
    return frame_from_rows(file, fields, header, rows)


def read_rows(path: Path, file: str) -> tuple[list[str], list[list[str]]]:
    """Header and data rows of a UTF-8 CSV file (a leading byte-order mark is dropped)."""
    check_size(path, file)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise DataError(file, f"not UTF-8 text ({exc.reason} on line {line})") from None
    except OSError as exc:
        raise DataError(file, f"cannot read: {exc.strerror or exc}") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    try:
        for row in reader:
            rows.append(row)
    except csv.Error as exc:
        row_number = len(rows) + 1  # the record being read when the parser gave up
        detail = str(exc)
        problem = f"cannot read CSV: {detail}"
        if "end of data" in detail or "field larger" in detail or '"' in detail:
            problem = f"a quoted cell opened on this row is not closed properly (csv: {detail})"
        raise DataError(file, problem, row=row_number) from None
    if not rows:
        raise DataError(file, "file is empty (no header row)")
    return rows[0], rows[1:]


def frame_from_rows(
    file: str, fields: list[dict[str, Any]], header: list[str], rows: list[list[str]]
) -> pd.DataFrame:
    """Check `header` and `rows` against `fields` and convert them to a typed frame."""
    names = [f["name"] for f in fields]
    for i, column in enumerate(header):
        if column in header[:i]:
            raise DataError(file, "column appears twice in the header", row=1, column=column)
        if column not in names:
            raise DataError(file, "column is not in the schema", row=1, column=column)
    for column in names:
        if column not in header:
            raise DataError(file, "required column is missing", row=1, column=column)
    for n, row in enumerate(rows, start=2):
        if len(row) != len(header):
            raise DataError(file, f"has {len(row)} cells, the header has {len(header)}", row=n)
    at = {c: i for i, c in enumerate(header)}
    frame = pd.DataFrame(
        {f["name"]: _column(file, f, [r[at[f["name"]]] for r in rows]) for f in fields}
    )
    for f in fields:
        if f.get("constraints", {}).get("unique"):
            _check_unique(frame, file, f["name"])
    return frame


def _column(file: str, spec: dict[str, Any], cells: list[str]) -> pd.Series:
    """Convert one column's text cells to the schema type; empty cells become missing."""
    column, kind = spec["name"], spec.get("type", "string")
    rules = spec.get("constraints", {})
    values: list[Any] = []
    for n, cell in enumerate(cells, start=2):
        if cell == "":
            if rules.get("required"):
                raise DataError(file, "required value is empty", row=n, column=column)
            values.append(None)
            continue
        value = _convert(file, spec, cell, n)
        _check_rules(file, rules, value, n, column)
        values.append(value)
    dtype = _DTYPES.get(kind, "string")
    if rules.get("required") and kind in ("integer", "boolean"):
        dtype = "int64" if kind == "integer" else "bool"  # never missing: a plain column
    return pd.Series(values, dtype=dtype, name=column)


def _convert(file: str, spec: dict[str, Any], cell: str, row: int) -> Any:
    kind, column = spec.get("type", "string"), spec["name"]
    if kind == "string":
        return cell
    if kind == "boolean":
        true, false = spec.get("trueValues", ["true"]), spec.get("falseValues", ["false"])
        if cell in true or cell in false:
            return cell in true
        allowed = " or ".join(plain(v) for v in [*true, *false])
        raise DataError(file, f"expected {allowed}, got {plain(cell)}", row=row, column=column)
    try:
        value: Any = int(cell.strip()) if kind == "integer" else float(cell)
    except ValueError:
        what = "an integer" if kind == "integer" else "a number"
        raise DataError(
            file, f"expected {what}, got {plain(cell)}", row=row, column=column
        ) from None
    if kind == "number" and not math.isfinite(value):
        problem = f"expected a finite number, got {plain(cell)}"
        raise DataError(file, problem, row=row, column=column)
    return value


def _check_rules(file: str, rules: dict[str, Any], value: Any, row: int, column: str) -> None:
    def fail(problem: str) -> None:
        raise DataError(file, problem, row=row, column=column)

    enum = rules.get("enum")
    if enum is not None and value not in enum:
        fail(f"{plain(value)} is not one of {', '.join(plain(v) for v in enum)}")
    if "minimum" in rules and value < rules["minimum"]:
        fail(f"{plain(value)} is below the minimum {plain(rules['minimum'])}")
    if "maximum" in rules and value > rules["maximum"]:
        fail(f"{plain(value)} is above the maximum {plain(rules['maximum'])}")
    if "minLength" in rules and len(value) < rules["minLength"]:
        fail(f"{plain(value)} is shorter than {rules['minLength']} characters")
    pattern = rules.get("pattern")
    if pattern is not None and not re.fullmatch(pattern, value):
        fail(f"{plain(value)} does not match {pattern}")


def _check_unique(frame: pd.DataFrame, file: str, column: str) -> None:
    dup = frame[column].duplicated() & frame[column].notna()
    if dup.any():
        i = int(dup.to_numpy().nonzero()[0][0])
        value = frame[column].iloc[i]
        first = int((frame[column] == value).to_numpy().nonzero()[0][0])
        raise DataError(
            file, f"duplicate {plain(value)} (first in row {first + 2})", row=i + 2, column=column
        )


# --- the bounds convention, shared by indicators.csv and context.csv --------------------------


def rows(frame: pd.DataFrame) -> Any:
    """(row number, record) pairs; the header is row 1."""
    return zip(range(2, len(frame) + 2), frame.to_dict("records"), strict=True)


def same(a: Any, b: Any) -> bool:
    """Two cells hold the same number (or are both missing)."""
    if missing(a) or missing(b):
        return missing(a) and missing(b)
    return math.isclose(float(a), float(b), rel_tol=_TOLERANCE, abs_tol=0.0)


def expected_bounds(r: dict[str, Any]) -> tuple[Any, Any, Any]:
    """(value, low, high) as the bounds convention requires them for the row's qualifier."""
    q, v = r["qualifier"], r["value"]
    if q == "range":
        return None, r["low"], r["high"]
    if q == "about":
        return v, None, None
    if q in ("more_than", "at_least"):
        return v, v, None
    if q in ("at_most", "nearly"):
        return v, None, v
    return v, v, v


def check_bounds(frame: pd.DataFrame, file: str) -> None:
    """Every row's value, low and high follow its qualifier (docs/architecture.md)."""
    for n, r in rows(frame):
        need = ("low", "high") if r["qualifier"] == "range" else ("value",)
        for column in need:
            if missing(r[column]):
                raise DataError(
                    file, f"a {plain(r['qualifier'])} figure needs {column}", row=n, column=column
                )
        for column, want in zip(BOUNDS, expected_bounds(r), strict=True):
            if not same(r[column], want):
                expected = "empty" if missing(want) else plain(want)
                raise DataError(
                    file,
                    f"{plain(r[column])} breaks the bounds convention for "
                    f"{plain(r['qualifier'])} (expected {expected})",
                    row=n,
                    column=column,
                )
        if r["qualifier"] == "range" and not r["low"] < r["high"]:
            raise DataError(file, "range low is not below high", row=n, column="low")
