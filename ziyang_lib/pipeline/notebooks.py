"""Which notebooks a command means, checked before any kernel: find, resolve, read, plan.

A path given where a notebook is expected must be a Jupyter notebook (JSON with ``cells`` and
``nbformat``), whether it was typed (``run /etc/passwd``) or found in the notebooks folder (a
symlink to something else): otherwise :class:`~ziyang_lib.errors.NotANotebook` (exit 2). A
``--only`` given as a path must lie in the notebooks folder being built; it never silently
selects the notebook of the same name in another folder.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ziyang_lib import paths
from ziyang_lib.errors import NotANotebook, ParameterError, UnknownNotebook, UsageError
from ziyang_lib.pipeline.params import check_folders, effective, read_parameters, validate

MAX_NOTEBOOK_BYTES = 50_000_000


@dataclass(frozen=True)
class Job:
    """One page to make: a notebook in one language with its validated parameters."""

    notebook: Path
    lang: str
    overrides: dict[str, Any]
    values: dict[str, Any]

    @property
    def key(self) -> str:
        return f"{self.lang}/{self.notebook.stem}"


def check_notebook(path: str | os.PathLike[str]) -> Path:
    """Return `path` if it is a readable Jupyter notebook; raise NotANotebook otherwise."""
    path = Path(path)
    shown = f"{path} (a link to {path.resolve()})" if path.is_symlink() else str(path)
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise NotANotebook(shown, "not a file")
        if size > MAX_NOTEBOOK_BYTES:
            raise NotANotebook(shown, f"{size / 1e6:.0f} MB is too large for a notebook")
        nb = json.loads(path.read_bytes())
    except FileNotFoundError:
        raise NotANotebook(shown, "no such file") from None
    except OSError as exc:
        raise NotANotebook(shown, exc.strerror or str(exc)) from None
    except (UnicodeDecodeError, ValueError):
        raise NotANotebook(shown, "not JSON") from None
    if not (isinstance(nb, dict) and isinstance(nb.get("cells"), list) and "nbformat" in nb):
        raise NotANotebook(shown, "JSON without notebook cells")
    return path


def notebooks_folder(notebooks_dir: str | os.PathLike[str] | None = None) -> Path:
    """The folder of the report notebooks: `notebooks_dir` or the project's ``notebooks/``."""
    return Path(notebooks_dir) if notebooks_dir else paths.notebooks_dir()


def find_notebooks(notebooks_dir: str | os.PathLike[str] | None = None) -> list[Path]:
    """Return the report notebooks (``*.ipynb`` not starting with ``.`` or ``_``), sorted.

    Each is checked to be a notebook (a link to anything else is refused).
    """
    folder = notebooks_folder(notebooks_dir)
    found = sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith((".", "_")))
    return [check_notebook(p) for p in found]


def _looks_like_path(name: str) -> bool:
    return os.sep in name or "/" in name or name.endswith(".ipynb") and Path(name).exists()


def resolve_notebook(name: str, notebooks: list[Path], argument: str = "--only") -> Path:
    """Find one of `notebooks` by path, file name, stem or number prefix (``01``).

    `argument` names where `name` came from (``--only``, ``NOTEBOOK``) in the error message.
    A path must be one of `notebooks` (the same file), not merely share its name.
    """
    if _looks_like_path(name):
        target = Path(name).resolve()
        for nb in notebooks:
            if nb.resolve() == target:
                return nb
        folder = notebooks[0].parent if notebooks else "the notebooks folder"
        where = "no such file" if not target.exists() else f"not a notebook of {folder}"
        raise UnknownNotebook(name, argument, f"{where} (to build another folder use --notebooks)")
    stem = name.removesuffix(".ipynb")
    matches = [nb for nb in notebooks if nb.stem == stem] or [
        nb for nb in notebooks if nb.stem.split("_", 1)[0] == stem
    ]
    if len(matches) == 1:
        return matches[0]
    known = ", ".join(nb.stem for nb in notebooks) or "none"
    found = "matches several notebooks" if matches else "matches no notebook"
    raise UnknownNotebook(name, argument, f"{found} (available: {known})")


def notebook_argument(name: str, notebooks_dir: str | os.PathLike[str] | None) -> Path:
    """The NOTEBOOK of ``run``/``params``: an existing path (any folder), else a name/number."""
    path = Path(name)
    if path.exists() or _looks_like_path(name):
        if not path.exists():
            raise UsageError(f"NOTEBOOK {name!r}: no such file")
        return check_notebook(path).resolve()
    return resolve_notebook(name, find_notebooks(notebooks_dir), argument="NOTEBOOK")


def plan_jobs(notebooks: list[Path], langs: tuple[str, ...], params: dict[str, Any]) -> list[Job]:
    """Validate the parameters of every notebook × language; raise ParameterError at the first.

    A parameter applies to every notebook that declares it; it is an error only if none does.
    Types, choices and folders are checked for each notebook that takes the value.
    """
    if "lang" in params:
        raise ParameterError("build", "lang", "choose languages with --lang, not -p lang")
    check_folders(params, "build")
    declared = {nb: {p.name for p in read_parameters(nb)} for nb in notebooks}
    for name in params:
        if not any(name in names for names in declared.values()):
            known = ", ".join(sorted(set().union(*declared.values()))) or "none"
            problem = f"no selected notebook declares it (known: {known})"
            raise ParameterError("build", name, problem)
    jobs = []
    for notebook in notebooks:
        mine = {k: v for k, v in params.items() if k in declared[notebook]}
        for lang in langs:
            overrides = validate(notebook, {**mine, "lang": lang})
            jobs.append(Job(notebook, lang, overrides, effective(notebook, overrides)))
    return jobs
