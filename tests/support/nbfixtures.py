"""Shared, session-wide executions of the report notebooks (a helper module, not a test file).

Usage in a test module::

    from tests.support.nbfixtures import executed  # noqa: F401  (the session fixture)

    @pytest.mark.slow
    def test_x(executed):
        path = executed.path("01_party_leadership", "en")

Every notebook × language, plus a few special runs (`EXTRA_RUNS`), is executed ONCE per test
session through the project's one execution path,
`ziyang_lib.pipeline.execute.execute_notebook`, two at a
time (a thread pool of 2: the machine has two cores), each bounded by a per-cell and a total
timeout so nothing can hang. A fixture imported into several modules is a separate fixture in
each, so the runs are memoised here at module level and shared by all of them.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS: tuple[str, ...] = (
    "00_overview",
    "01_party_leadership",
    "02_precision_measures",
    "03_broad_based_alleviation",
    "05_source",
)
LANGS: tuple[str, ...] = ("zh", "en")
WORKERS = 2
TIMEOUT_CELL = 120.0
TIMEOUT_TOTAL = 300.0
HOSTILE = "<img src=x onerror=alert(1)>"
HOSTILE_ID = "poor_villages"  # its labels are drawn by 00_overview's charts and widgets


def hostile_data(folder: Path) -> Path:
    """Copy data/ into `folder` with both labels of `HOSTILE_ID` set to `HOSTILE`."""
    import pandas as pd

    target = folder / "data"
    shutil.copytree(ROOT / "data", target)
    csv = target / "indicators.csv"
    table = pd.read_csv(csv, dtype=str, keep_default_na=False)
    assert (table["id"] == HOSTILE_ID).sum() == 1
    table.loc[table["id"] == HOSTILE_ID, ["label_zh", "label_en"]] = HOSTILE
    table.to_csv(csv, index=False)
    return target


@dataclass(frozen=True)
class Extra:
    """A special run: notebook, language, and how to make its extra parameters."""

    stem: str
    lang: str
    params: Callable[[Path], dict[str, Any]] = field(default=lambda _tmp: {})


EXTRA_RUNS: dict[str, Extra] = {
    "no_widgets": Extra("01_party_leadership", "en", lambda _tmp: {"show_widgets": False}),
    "bad_lang": Extra("01_party_leadership", "fr"),
    "hostile": Extra("00_overview", "en", lambda tmp: {"data_dir": str(hostile_data(tmp))}),
}


@dataclass
class Run:
    """One execution: where its notebook went, or the exception it raised."""

    name: str
    path: Path
    error: BaseException | None = None

    def notebook(self) -> Any:
        """The executed notebook (nbformat node); fails the test if the run failed."""
        import nbformat

        if self.error is not None:
            pytest.fail(f"{self.name} did not execute: {self.error}")
        return nbformat.read(str(self.path), as_version=4)


@dataclass
class Executed:
    """Every run of the session, by key: ``(stem, lang)`` or an `EXTRA_RUNS` name."""

    runs: dict[Any, Run]

    def run(self, key: Any) -> Run:
        return self.runs[key]

    def path(self, stem: str, lang: str) -> Path:
        """The executed notebook's path; fails the test if that run failed."""
        run = self.runs[(stem, lang)]
        run.notebook()
        return run.path


def _execute(name: str, stem: str, lang: str, params: dict[str, Any], out: Path) -> Run:
    from ziyang_lib.pipeline.execute import execute_notebook

    path = out / f"{name}.ipynb"
    try:
        execute_notebook(
            ROOT / "notebooks" / f"{stem}.ipynb",
            path,
            {"lang": lang, **params},
            timeout_cell=TIMEOUT_CELL,
            timeout_total=TIMEOUT_TOTAL,
            failed_path=out / "failed" / f"{name}.ipynb",
        )
    except Exception as exc:  # recorded; the test that needs this run reports it
        return Run(name, path, exc)
    return Run(name, path)


def execute_all(out: Path) -> Executed:
    """Run every notebook × language and every extra run into `out`, `WORKERS` at a time."""
    jobs: dict[Any, tuple[str, str, str, dict[str, Any]]] = {}
    for stem in NOTEBOOKS:
        for lang in LANGS:
            jobs[(stem, lang)] = (f"{stem}.{lang}", stem, lang, {})
    for name, extra in EXTRA_RUNS.items():
        work = out / f"{name}-work"
        work.mkdir(parents=True)
        jobs[name] = (name, extra.stem, extra.lang, extra.params(work))
    with ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="nbrun") as pool:
        futures = {key: pool.submit(_execute, *job, out) for key, job in jobs.items()}
        return Executed({key: future.result() for key, future in futures.items()})


_MEMO: dict[str, Executed] = {}
_LOCK = threading.Lock()


@pytest.fixture(scope="session")
def executed(tmp_path_factory: pytest.TempPathFactory) -> Executed:
    """Session fixture: every notebook executed once (see the module docstring)."""
    with _LOCK:
        if "runs" not in _MEMO:
            _MEMO["runs"] = execute_all(tmp_path_factory.mktemp("executed"))
        return _MEMO["runs"]
