"""Every exception ziyang raises, in one tree. Each message is one line naming what and where.

::

    ZiyangError                      exit 1 unless a subclass says otherwise
    ├── UsageError                   exit 2: bad command line, nothing was started
    │   ├── ParameterError           a notebook parameter is unknown, ill-typed or out of choices
    │   │   └── UnknownNotebook      a notebook name matches none (or several)
    │   └── NotANotebook             a path given as a notebook is not one
    ├── DataError                    exit 3: a data file is missing, malformed or altered
    ├── BuildLocked                  exit 4: another build holds the output folder
    ├── OutputError                  a file or folder of the output cannot be written
    ├── NotebookExecutionError       a notebook failed while executing
    ├── PageError                    a notebook ran but its page could not be made
    ├── ExportError                  an executed notebook could not become a page (``export``)
    ├── FigureExportError            static figures could not be made (browser missing, dead)
    └── KernelStall                  a kernel died or did not start (retried once, internal)

    Terminated (a KeyboardInterrupt) SIGTERM, handled like Ctrl-C: exit 143 (Ctrl-C: 130)

`exit_code` on each class is what ``ziyang-report`` exits with. NotANotebook and OutputError
also derive from ``_PathProblem``, a private base that keeps ``path`` and ``problem``.
"""

from __future__ import annotations


def one_line(exc: BaseException) -> str:
    """The whole message of `exc` on one line (its type name if it has none)."""
    return " ".join(str(exc).split()) or type(exc).__name__


class ZiyangError(Exception):
    """Base class for every error ziyang raises on purpose."""

    exit_code = 1


class UsageError(ZiyangError):
    """The command line asks for something impossible; nothing was started."""

    exit_code = 2


class ParameterError(UsageError):
    """A notebook parameter is unknown, ill-typed or outside its choices."""

    def __init__(self, notebook: str, name: str, problem: str) -> None:
        self.notebook = notebook
        self.name = name
        self.problem = problem
        super().__init__(f"{notebook}: parameter {name!r}: {problem}")


class UnknownNotebook(ParameterError):
    """A notebook name given on the command line matches no notebook, or several."""

    def __init__(self, name: str, argument: str, problem: str) -> None:
        UsageError.__init__(self, f"{argument} {name!r}: {problem}")
        self.notebook, self.name, self.problem = name, argument, problem


class _PathProblem(ZiyangError):
    """An error about one path: keeps `path` and `problem`; the message follows `template`."""

    template = "{path}: {problem}"

    def __init__(self, path: object, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(self.template.format(path=path, problem=problem))


class NotANotebook(_PathProblem, UsageError):
    """A file given (or found) as a notebook is not a readable Jupyter notebook."""

    template = "{path}: not a notebook: {problem}"


class DataError(ZiyangError):
    """A data file is missing, malformed, or differs from what the data package records.

    The message names the file, and where known the row, the column and the problem, e.g.
    ``indicators.csv row 12 column 'value': expected a number, got 'abc'``.
    """

    exit_code = 3

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


class BuildLocked(ZiyangError):
    """Another build is writing into the same output folder."""

    exit_code = 4

    def __init__(self, folder: object, holder: str) -> None:
        self.folder = str(folder)
        super().__init__(
            f"{folder} is being built by another ziyang-report ({holder}); "
            "wait for it to finish (--wait SECONDS) or choose another --out"
        )


class OutputError(_PathProblem):
    """A file or folder of the output cannot be written (read-only, full, not a folder)."""

    template = "cannot write {path}: {problem}"


class NotebookExecutionError(ZiyangError):
    """A notebook failed while executing; names the notebook, the cell and the exception.

    `cell_index` is the index into the source notebook's cells, counted from 0 (a cell that
    raises and a cell during which the kernel died or timed out are counted the same way).
    """

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


class PageError(ZiyangError):
    """A notebook ran but its HTML page could not be made (e.g. an output the page cannot show)."""


class ExportError(ZiyangError):
    """An executed notebook could not become a page; the message names every problem."""


class FigureExportError(ZiyangError):
    """Static figures could not be made: no browser, or one that dies or does not answer."""


class KernelStall(ZiyangError):
    """A kernel died or failed to start: worth one retry (internal to the execution path)."""

    def __init__(self, cell_index: int | None, ename: str, evalue: str) -> None:
        super().__init__(f"{ename}: {evalue}")
        self.cell_index = cell_index
        self.ename = ename
        self.evalue = evalue


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread so that the same clean-up as for Ctrl-C runs."""
