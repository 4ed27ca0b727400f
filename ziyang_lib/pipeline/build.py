"""Build the report: every notebook × language → executed notebook, HTML page, and an index.

Layout under `out_dir`: ``executed/<lang>/<stem>.ipynb``, ``html/<lang>/<stem>.html``,
``index.html``, ``failed/<lang>/<stem>.ipynb`` (a failed run's notebook) and ``.manifest.json``.

* Checked first, before any kernel starts: every job's parameters (ParameterError), every data
  folder a job reads (DataError; :mod:`ziyang_lib.pipeline.datacheck`), the notebooks themselves.
* One build per folder: the output folder is locked for the whole build (``outdir.claim``);
  stale temporary files of a killed build are removed under that lock.
* Incremental: a page whose fingerprint (see :mod:`ziyang_lib.pipeline.manifest`) is unchanged
  and whose page and executed notebook still have the sha256 the manifest recorded is skipped;
  a build with nothing to do imports neither papermill nor nbconvert.
* Concurrent: notebooks run in one process on `jobs` worker threads, each keeping one kernel
  across its pages, reset between them and restarted after a failure (``workers``); HTML is
  exported in-process on one more thread, beside the kernels. Ctrl-C or SIGTERM stops every
  kernel at once (``kernels.stop_all_kernels``).
* Atomic: every file is written to a temporary file in its folder, then ``os.replace``\\ d; a
  failed page leaves the previous good page (and its manifest record) untouched. Once a page is
  good again (built or up to date), its stale ``failed/`` notebook is removed.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from ziyang_lib import paths
from ziyang_lib.errors import PageError, ParameterError, ZiyangError, one_line
from ziyang_lib.files import temp_sibling, write_atomic
from ziyang_lib.pipeline.datacheck import check_data, data_checked, data_folder
from ziyang_lib.pipeline.index import INDEX_NAME, first_heading, index_html, write_index
from ziyang_lib.pipeline.kernels import DEFAULT_TIMEOUT, DEFAULT_TIMEOUT_CELL, remove_orphans
from ziyang_lib.pipeline.manifest import Manifest, file_digest, fingerprint, tree_digest
from ziyang_lib.pipeline.notebooks import Job, find_notebooks, plan_jobs, resolve_notebook
from ziyang_lib.pipeline.outdir import claim, writing
from ziyang_lib.pipeline.progress import Progress
from ziyang_lib.truth.langs import LANGS

__all__ = [
    "BuildReport",
    "Job",
    "build",
    "check_data",
    "find_notebooks",
    "first_heading",
    "index_html",
    "plan_jobs",
    "resolve_notebook",
]


@dataclass
class BuildReport:
    """What a build did: pages executed, up to date, failed or retried, and the index path."""

    out_dir: Path
    index: Path
    executed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, ZiyangError] = field(default_factory=dict)
    retried: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def up_to_date(self) -> bool:
        return self.ok and not self.executed


class _Builder:
    """One build run: the jobs, the manifest and the output layout."""

    def __init__(
        self,
        out_dir: Path,
        notebooks: list[Path],
        jobs: list[Job],
        *,
        plotlyjs: str,
        progress_stream: TextIO | None,
        timeout_cell: float = DEFAULT_TIMEOUT_CELL,
        timeout: float = DEFAULT_TIMEOUT,
        lib_digest: str,
        data_digests: dict[Path, str],
    ) -> None:
        self.out = out_dir
        self.notebooks = notebooks
        self.jobs = jobs
        self.plotlyjs = plotlyjs
        self.timeouts = {"timeout_cell": timeout_cell, "timeout_total": timeout}
        self.manifest = Manifest.load(out_dir)
        self.lock = threading.Lock()
        self.progress_stream = progress_stream
        self.lib_digest = lib_digest
        self._data_digests = dict(data_digests)
        self._nb_digests = {nb: file_digest(nb) for nb in {j.notebook for j in jobs}}

    def page(self, lang: str, stem: str) -> Path:
        return self.out / "html" / lang / f"{stem}.html"

    def executed(self, lang: str, stem: str) -> Path:
        return self.out / "executed" / lang / f"{stem}.ipynb"

    def failed(self, lang: str, stem: str) -> Path:
        return self.out / "failed" / lang / f"{stem}.ipynb"

    def prune_failed(self, jobs: list[Job]) -> None:
        """Remove the failed notebooks of `jobs`, then the ``failed/`` folders left empty.

        Run outside the thread pool: a running page may be creating those folders.
        """
        for job in jobs:
            self.failed(job.lang, job.notebook.stem).unlink(missing_ok=True)
        root = self.out / "failed"
        for folder in [*(root / lang for lang in LANGS), root]:
            try:
                folder.rmdir()
            except OSError:  # missing, or still holds another page's failure
                pass

    def links(self, job: Job) -> dict[str, str]:
        """Relative links of a page: index, other language(s), previous and next notebook."""
        stems = [nb.stem for nb in self.notebooks]
        i = stems.index(job.notebook.stem)
        links = {"index": f"../../{INDEX_NAME}"}
        other = [code for code in LANGS if code != job.lang]
        if other:
            links["other_lang"] = f"../{other[0]}/{job.notebook.stem}.html"
        if i > 0:
            links["prev"] = f"{stems[i - 1]}.html"
        if i + 1 < len(stems):
            links["next"] = f"{stems[i + 1]}.html"
        return links

    def data_digest(self, data_dir: str | None) -> str:
        folder = paths.data_dir(data_dir or None).resolve()
        if folder not in self._data_digests:
            self._data_digests[folder] = tree_digest(folder)
        return self._data_digests[folder]

    def fingerprint(self, job: Job) -> str:
        return fingerprint(
            notebook=self._nb_digests[job.notebook],
            params=job.values,
            data=self.data_digest(job.values.get("data_dir")),
            lib=self.lib_digest,
            links=self.links(job),
            plotlyjs=self.plotlyjs,
        )

    def is_fresh(self, job: Job, fp: str) -> bool:
        """Built from fingerprint `fp`, and page and notebook are the bytes then written."""
        if not self.manifest.is_fresh(job.key, fp):
            return False
        entry = self.manifest.entries[job.key]
        stem = job.notebook.stem
        files = {"page_sha256": self.page(job.lang, stem), "notebook_sha256": self.executed(
            job.lang, stem)}  # fmt: skip
        return all(path.is_file() and file_digest(path) == entry.get(key)
                   for key, path in files.items())  # fmt: skip

    def run(self, n_threads: int, force: bool) -> BuildReport:
        began = time.monotonic()
        report = BuildReport(self.out, self.out / INDEX_NAME)
        todo: list[tuple[Job, str]] = []
        for job in self.jobs:
            fp = self.fingerprint(job)
            if not force and self.is_fresh(job, fp):
                report.skipped.append(job.key)
            else:
                todo.append((job, fp))
        if todo:
            self._run_jobs(todo, n_threads, report)
        elif self.plotlyjs == "directory":
            self._plotlyjs_href()  # an up-to-date build still restores a missing shared file
        good = set(report.skipped) | set(report.executed)
        self.prune_failed([job for job in self.jobs if job.key in good])
        passed = {data_checked(d, self.lib_digest) for d in self._data_digests.values()}
        if not passed <= self.manifest.checked:  # remembered, so a no-op build skips the check
            self.manifest.checked |= passed
            self.manifest.save()
        self.write_index()
        report.seconds = time.monotonic() - began
        return report

    def _run_jobs(self, todo: list[tuple[Job, str]], n_threads: int, report: BuildReport) -> None:
        """Execute the pages on worker threads that keep their kernels (``workers``); export
        and publish each executed page on one more thread, so a worker's kernel goes on to its
        next page meanwhile (nbconvert is imported there while the first kernels start)."""
        from ziyang_lib.pipeline.workers import run_on_workers

        # Longest first (last known duration), so the workers end together.
        todo.sort(key=lambda item: -self.manifest.entries.get(item[0].key, {}).get("seconds", 0))
        with (
            Progress([job.key for job, _ in todo], self.progress_stream) as progress,
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="ziyang-publish") as publisher,
        ):
            href = publisher.submit(self._plotlyjs_href)

            def failed(job: Job, exc: Exception) -> None:
                error = exc if isinstance(exc, ZiyangError) else _unexpected(job, exc)
                with self.lock:
                    report.failed[job.key] = error
                progress.update(job.key, "failed", one_line(error))

            def publish(job: Job, fp: str, result: Any) -> None:
                try:
                    with writing(self.out):
                        self.publish_page(job, fp, result, href.result())
                except Exception as exc:
                    failed(job, exc)
                    return
                with self.lock:
                    report.executed.append(job.key)
                progress.update(job.key, "done")

            def one(item: tuple[Job, str], kernel: Any) -> None:
                job, fp = item
                progress.update(job.key, "running")

                def on_retry(why: str) -> None:
                    with self.lock:
                        report.retried.append(job.key)
                    progress.update(job.key, "retrying", why)

                try:
                    with writing(self.out):
                        result = self.execute_page(job, kernel, on_retry)
                except Exception as exc:
                    failed(job, exc)
                    return
                publisher.submit(publish, job, fp, result)

            run_on_workers(todo, n_threads, one)

    def _plotlyjs_href(self) -> str | None:
        from ziyang_lib.pipeline.html_export import write_plotlyjs

        if self.plotlyjs != "directory":
            return None
        path = write_plotlyjs(self.out / "html")
        return f"../{path.name}"

    def execute_page(self, job: Job, kernel: Any, on_retry: Callable[[str], None]) -> Any:
        """Execute one notebook in the worker's `kernel` into a staged file; return the result."""
        from ziyang_lib.pipeline.execute import execute_notebook

        final_nb = self.executed(job.lang, job.notebook.stem)
        with writing(final_nb):  # a full disk while papermill writes has no file name
            return execute_notebook(
                job.notebook,
                temp_sibling(final_nb, ".ipynb"),
                job.overrides,
                failed_path=self.failed(job.lang, job.notebook.stem),
                on_retry=on_retry,
                kernel=kernel,
                **self.timeouts,
            )

    def publish_page(self, job: Job, fp: str, result: Any, href: str | None) -> None:
        """Export an executed page, then publish page and notebook atomically."""
        stem = job.notebook.stem
        final_nb, staged = self.executed(job.lang, stem), result.output_path
        failed = self.failed(job.lang, stem)
        try:
            title = first_heading(result.nb) or stem
            exported = self._export(job, result.nb, title, href)
        except Exception:
            failed.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, failed)
            raise
        with writing(self.page(job.lang, stem)):
            page = write_atomic(self.page(job.lang, stem), exported.html)
        notebook_sha256 = file_digest(staged)
        os.replace(staged, final_nb)
        failed.unlink(missing_ok=True)
        with self.lock:
            self.manifest.record(
                job.key,
                fingerprint=fp,
                title=title,
                n_charts=exported.n_charts,
                seconds=round(result.seconds, 2),
                page_sha256=file_digest(page),
                notebook_sha256=notebook_sha256,
            )
            self.manifest.save()

    def _export(self, job: Job, nb: Any, title: str, href: str | None) -> Any:
        """Return the page's ExportResult; raise PageError if it has problems or fails."""
        from ziyang_lib.pipeline.html_export import export_html

        where = f"{job.notebook.name} [{job.lang}]"
        failed = self.failed(job.lang, job.notebook.stem)
        try:
            exported = export_html(
                nb,
                lang=job.lang,
                page_title=title,
                links=self.links(job),
                plotlyjs=self.plotlyjs,
                plotlyjs_href=href,
            )
        except Exception as exc:
            raise PageError(
                f"{where}: HTML export raised {type(exc).__name__}: {exc}"
                f" (executed notebook kept at {failed})"
            ) from exc
        if exported.warnings:
            problems = "; ".join(exported.warnings)
            raise PageError(f"{where}: HTML page not made: {problems} (see {failed})")
        return exported

    def index_data_dir(self) -> str | None:
        """The data the index's findings come from: the pages' ``data_dir`` (the first job's)."""
        return next((j.values.get("data_dir") or None for j in self.jobs), None)

    def write_index(self) -> None:
        """Write ``index.html`` unless what it is made from is unchanged (``index.write_index``)."""
        data_dir = self.index_data_dir()
        inputs = fingerprint(lib=self.lib_digest, data=self.data_digest(data_dir))
        write_index(self.out, self.notebooks, self.manifest, data_dir, inputs)


def _unexpected(job: Job, exc: Exception) -> PageError:
    """Wrap an error ziyang did not anticipate (e.g. no python3 kernel) as a page failure."""
    error = PageError(f"{job.notebook.name} [{job.lang}]: {type(exc).__name__}: {exc}")
    error.__cause__ = exc
    return error


def build(
    out_dir: str | os.PathLike[str] | None = None,
    *,
    langs: tuple[str, ...] | list[str] = LANGS,
    only: list[str] | tuple[str, ...] = (),
    params: dict[str, Any] | None = None,
    jobs: int | None = None,
    force: bool = False,
    plotlyjs: str = "inline",
    notebooks_dir: str | os.PathLike[str] | None = None,
    progress_stream: TextIO | None = None,
    timeout_cell: float = DEFAULT_TIMEOUT_CELL,
    timeout: float = DEFAULT_TIMEOUT,
    wait: float = 0.0,
) -> BuildReport:
    """Build the report into `out_dir` (default ``build/``) and return what happened.

    `only` restricts the notebooks (path in the notebooks folder, stem or number prefix);
    `params` are parameter overrides applied to every notebook that declares them (``lang``
    comes from `langs`). `timeout_cell` and `timeout` bound each cell and each notebook, in
    seconds. Another build holding `out_dir` is waited for up to `wait` seconds.

    Raises UsageError/ParameterError, DataError, OutputError or BuildLocked before any kernel
    starts; notebook failures are collected in ``BuildReport.failed``.
    """
    out = Path(out_dir) if out_dir is not None else paths.default_build_dir()
    planned, every = _plan(langs, only, params, plotlyjs, notebooks_dir)
    for name, seconds in (("--timeout-cell", timeout_cell), ("--timeout", timeout)):
        if not seconds > 0:
            raise ParameterError("build", name, f"{seconds} is not a positive number of seconds")
    lib = tree_digest(paths.PACKAGE_DIR)
    known = Manifest.load(out).checked  # read only: written under the lock
    digests: dict[Path, str] = {}
    for folder in dict.fromkeys(data_folder(job.values.get("data_dir")) for job in planned):
        digests[folder.resolve()] = digest = tree_digest(folder)
        if data_checked(digest, lib) not in known:
            check_data(folder)
    with claim(out, wait):
        remove_orphans()  # kernel files of killed runs, even if this build starts no kernel
        builder = _Builder(
            out,
            every,
            planned,
            plotlyjs=plotlyjs,
            progress_stream=progress_stream,
            timeout_cell=timeout_cell,
            timeout=timeout,
            lib_digest=lib,
            data_digests=digests,
        )
        with writing(out):
            return builder.run(jobs or os.cpu_count() or 1, force)


def _plan(
    langs: tuple[str, ...] | list[str],
    only: list[str] | tuple[str, ...],
    params: dict[str, Any] | None,
    plotlyjs: str,
    notebooks_dir: str | os.PathLike[str] | None,
) -> tuple[list[Job], list[Path]]:
    """The validated jobs, and every notebook of the folder (for the links between pages)."""
    if plotlyjs not in ("inline", "directory"):
        raise ParameterError("build", "--plotlyjs", f"{plotlyjs!r} is not inline or directory")
    for lang in langs:
        if lang not in LANGS:
            raise ParameterError("build", "--lang", f"{lang!r} is not one of {', '.join(LANGS)}")
    every = find_notebooks(notebooks_dir)
    chosen = [resolve_notebook(name, every) for name in only] if only else every
    chosen = [nb for nb in every if nb in chosen]
    return plan_jobs(chosen, tuple(dict.fromkeys(langs)), dict(params or {})), every
