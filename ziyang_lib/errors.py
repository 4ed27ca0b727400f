"""The exceptions ziyang raises. Each message is one line that names what is wrong and where."""

from __future__ import annotations


class ZiyangError(Exception):
    """Base class for every error ziyang raises on purpose."""


class DataError(ZiyangError):
    """A data file is missing or malformed.

    The message names the file, and where known the row, the column and the problem, e.g.
    ``indicators.csv row 12 column 'value': expected a number, got 'abc'``.
    """

    def __init__(
        self,
        file: str,
        problem: str,
        *,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.file = file
        self.row = row
        self.column = column
        self.problem = problem
        where = file
        if row is not None:
            where += f" row {row}"
        if column is not None:
            where += f" column {column!r}"
        super().__init__(f"{where}: {problem}")


class ParameterError(ZiyangError):
    """A notebook parameter is unknown, ill-typed or outside its choices."""

    def __init__(self, notebook: str, name: str, problem: str) -> None:
        self.notebook = notebook
        self.name = name
        self.problem = problem
        super().__init__(f"{notebook}: parameter {name!r}: {problem}")


class NotebookExecutionError(ZiyangError):
    """A notebook failed while executing; names the notebook, the cell and the exception."""

    def __init__(
        self,
        notebook: str,
        cell_index: int | None,
        ename: str,
        evalue: str,
        *,
        failed_path: str | None = None,
    ) -> None:
        self.notebook = notebook
        self.cell_index = cell_index
        self.ename = ename
        self.evalue = evalue
        self.failed_path = failed_path
        cell = f"cell {cell_index}" if cell_index is not None else "kernel"
        msg = f"{notebook}: {cell} raised {ename}: {evalue}"
        if failed_path:
            msg += f" (executed notebook kept at {failed_path})"
        super().__init__(msg)
