"""Build the report: every notebook × language → executed notebook, HTML page, and an index.

Layout under `out_dir`: ``executed/<lang>/<stem>.ipynb``, ``html/<lang>/<stem>.html``,
``index.html``, ``failed/<lang>/<stem>.ipynb`` (a failed run's notebook) and ``.manifest.json``.

* Parameters are validated for every job before any kernel starts (ParameterError); a given
  ``data_dir`` is loaded and validated too (DataError).
* Incremental: a page whose fingerprint (see :mod:`ziyang_lib.manifest`) is unchanged is skipped;
  a build with nothing to do imports neither papermill nor nbconvert.
* Concurrent: notebooks run in one process, in a thread pool of `jobs` threads; HTML is exported
  in-process.
* Atomic: every file is written to a temporary file in its folder, then ``os.replace``\\ d; a
  failed page leaves the previous good page (and its manifest record) untouched. Once a page is
  good again (built or up to date), its stale ``failed/`` notebook is removed.
"""

from __future__ import annotations

import html
import os
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from ziyang_lib import paths
from ziyang_lib.errors import PageError, ParameterError, UnknownNotebook, ZiyangError
from ziyang_lib.files import temp_sibling, write_atomic
from ziyang_lib.pipeline.manifest import Manifest, file_digest, fingerprint, tree_digest
from ziyang_lib.pipeline.params import check_folders, effective, read_parameters, validate
from ziyang_lib.pipeline.progress import Progress
from ziyang_lib.report.text import LANGS, t

INDEX_NAME = "index.html"
_HEADING_MD = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
_HEADING_HTML = re.compile(r"<h[1-6][^>]*>(.*?)</h[1-6]>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


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


def find_notebooks(notebooks_dir: Path | None = None) -> list[Path]:
    """Return the report notebooks (``*.ipynb`` not starting with ``.`` or ``_``), sorted."""
    folder = Path(notebooks_dir) if notebooks_dir else paths.notebooks_dir()
    return sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith((".", "_")))


def resolve_notebook(name: str, notebooks: list[Path], argument: str = "--only") -> Path:
    """Find one of `notebooks` by path, file name, stem or number prefix (``01``).

    `argument` names where `name` came from (``--only``, ``NOTEBOOK``) in the error message.
    """
    stem = Path(name).name.removesuffix(".ipynb")
    matches = [nb for nb in notebooks if nb.stem == stem] or [
        nb for nb in notebooks if nb.stem.split("_", 1)[0] == stem
    ]
    if len(matches) == 1:
        return matches[0]
    known = ", ".join(nb.stem for nb in notebooks) or "none"
    found = "matches several notebooks" if matches else "matches no notebook"
    raise UnknownNotebook(name, argument, f"{found} (available: {known})")


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


def check_data(data_dir: str | os.PathLike[str] | None = None) -> dict[str, int]:
    """Load and validate the data tables, the context figures and the county boundaries.

    Return their counts by name; raise DataError (one line) at the first problem. No kernel.
    """
    from ziyang_lib.truth import loaders
    from ziyang_lib.truth.context import load_context
    from ziyang_lib.truth.geo import load_counties

    folder = paths.data_dir(data_dir)
    return {
        "indicators": len(loaders.load_indicators(folder)),
        "mentions": len(loaders.load_mentions(folder)),
        "glossary": len(loaders.load_glossary(folder)),
        "context": len(load_context(folder)),
        "counties": len(load_counties(folder)["features"]),
    }


def first_heading(nb: Any) -> str | None:
    """Return the text of the first heading the page shows (markdown cells or outputs).

    Cells tagged ``report-hide`` (the bilingual intro for notebook users) are skipped, so the
    title is the notebook's own heading in the page's language (``Page.title``).
    """
    from ziyang_lib.report.page import REPORT_HIDE_TAG

    for cell in nb.get("cells", []):
        if REPORT_HIDE_TAG in (cell.get("metadata", {}).get("tags") or []):
            continue
        texts: list[tuple[str, str]] = []
        if cell.get("cell_type") == "markdown":
            texts.append(("md", _join(cell.get("source", ""))))
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "text/markdown" in data:
                texts.append(("md", _join(data["text/markdown"])))
            elif "text/html" in data:
                texts.append(("html", _join(data["text/html"])))
        for kind, text in texts:
            match = (_HEADING_MD if kind == "md" else _HEADING_HTML).search(text)
            if match:
                plain = html.unescape(_TAG.sub("", match.group(1)))
                return " ".join(plain.split()) or None
    return None


def _join(text: str | list[str]) -> str:
    return "".join(text) if isinstance(text, list) else text


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
    ) -> None:
        self.out = out_dir
        self.notebooks = notebooks
        self.jobs = jobs
        self.plotlyjs = plotlyjs
        self.manifest = Manifest.load(out_dir)
        self.lock = threading.Lock()
        self.progress_stream = progress_stream
        self.lib_digest = tree_digest(paths.PACKAGE_DIR)
        self._data_digests: dict[Path, str] = {}
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

    def data_digest(self, job: Job) -> str:
        folder = paths.data_dir(job.values.get("data_dir") or None).resolve()
        if folder not in self._data_digests:
            self._data_digests[folder] = tree_digest(folder)
        return self._data_digests[folder]

    def fingerprint(self, job: Job) -> str:
        return fingerprint(
            notebook=self._nb_digests[job.notebook],
            params=job.values,
            data=self.data_digest(job),
            lib=self.lib_digest,
            links=self.links(job),
            plotlyjs=self.plotlyjs,
        )

    def is_fresh(self, job: Job, fp: str) -> bool:
        stem = job.notebook.stem
        return (
            self.manifest.is_fresh(job.key, fp)
            and self.page(job.lang, stem).is_file()
            and self.executed(job.lang, stem).is_file()
        )

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
        self.write_index()
        report.seconds = time.monotonic() - began
        return report

    def _run_jobs(self, todo: list[tuple[Job, str]], n_threads: int, report: BuildReport) -> None:
        # Longest first (last known duration), so the pool ends together.
        todo.sort(key=lambda item: -self.manifest.entries.get(item[0].key, {}).get("seconds", 0))
        href = self._plotlyjs_href()
        with Progress([job.key for job, _ in todo], self.progress_stream) as progress:

            def one(job: Job, fp: str) -> None:
                progress.update(job.key, "running")

                def on_retry(why: str) -> None:
                    with self.lock:
                        report.retried.append(job.key)
                    progress.update(job.key, "retrying", why)

                try:
                    self.make_page(job, fp, href, on_retry)
                except Exception as exc:
                    error = exc if isinstance(exc, ZiyangError) else _unexpected(job, exc)
                    with self.lock:
                        report.failed[job.key] = error
                    progress.update(job.key, "failed", one_line(error))
                    return
                with self.lock:
                    report.executed.append(job.key)
                progress.update(job.key, "done")

            with ThreadPoolExecutor(max_workers=max(1, n_threads)) as pool:
                futures = [pool.submit(one, job, fp) for job, fp in todo]
                try:
                    for future in futures:
                        future.result()
                except BaseException:
                    for future in futures:
                        future.cancel()
                    raise

    def _plotlyjs_href(self) -> str | None:
        if self.plotlyjs != "directory":
            return None
        from ziyang_lib.pipeline.html_export import write_plotlyjs

        path = write_plotlyjs(self.out / "html")
        return f"../{path.name}"

    def make_page(
        self, job: Job, fp: str, href: str | None, on_retry: Callable[[str], None]
    ) -> None:
        """Execute one notebook, export its page, then publish both atomically."""
        from ziyang_lib.pipeline.execute import execute_notebook

        stem = job.notebook.stem
        final_nb = self.executed(job.lang, stem)
        staged = temp_sibling(final_nb, ".ipynb")
        failed = self.failed(job.lang, stem)
        result = execute_notebook(
            job.notebook, staged, job.overrides, failed_path=failed, on_retry=on_retry
        )
        try:
            title = first_heading(result.nb) or stem
            exported = self._export(job, result.nb, title, href)
        except Exception:
            failed.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, failed)
            raise
        write_atomic(self.page(job.lang, stem), exported.html)
        os.replace(staged, final_nb)
        failed.unlink(missing_ok=True)
        with self.lock:
            self.manifest.record(
                job.key,
                fingerprint=fp,
                title=title,
                n_charts=exported.n_charts,
                seconds=round(result.seconds, 2),
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

    def write_index(self) -> None:
        """Write ``index.html`` linking every existing page (only if its content changed)."""
        page = index_html(self.out, self.notebooks, self.manifest)
        path = self.out / INDEX_NAME
        if not path.is_file() or path.read_text(encoding="utf-8") != page:
            write_atomic(path, page)


def index_html(out_dir: Path, notebooks: list[Path], manifest: Manifest) -> str:
    """Return the index page: per language, a list of the pages that exist, with their titles."""
    sections = []
    for lang in LANGS:
        items = []
        for nb in notebooks:
            key = f"{lang}/{nb.stem}"
            if not (out_dir / "html" / lang / f"{nb.stem}.html").is_file():
                continue
            title = manifest.entries.get(key, {}).get("title") or nb.stem
            href = html.escape(f"html/{lang}/{nb.stem}.html", quote=True)
            items.append(f'<li><a href="{href}">{html.escape(title)}</a></li>')
        if items:
            code = html.escape(t("page.html_lang", lang), quote=True)
            sections.append(
                f'<section lang="{code}"><h2>{html.escape(t("common.lang_name", lang))}</h2>'
                f"<ol>{''.join(items)}</ol>"
                f'<p class="zy-source">{html.escape(t("common.source_short", lang))}</p></section>'
            )
    title = " · ".join(t("page.links.index", lang) for lang in LANGS)
    css = (Path(__file__).parent / "templates" / "ziyang" / "static" / "report.css").read_text(
        encoding="utf-8"
    )
    csp = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(t("page.html_lang", LANGS[0]), quote=True)}">\n<head>\n'
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
        f"<title>{html.escape(title)}</title>\n<style>{css}</style>\n</head>\n"
        f'<body>\n<main class="ziyang-main">\n<h1>{html.escape(title)}</h1>\n'
        + "\n".join(sections)
        + "\n</main>\n</body>\n</html>\n"
    )


def _unexpected(job: Job, exc: Exception) -> PageError:
    """Wrap an error ziyang did not anticipate (e.g. no python3 kernel) as a page failure."""
    error = PageError(f"{job.notebook.name} [{job.lang}]: {type(exc).__name__}: {exc}")
    error.__cause__ = exc
    return error


def one_line(exc: BaseException) -> str:
    """The whole message of `exc` on one line (its type name if it has none)."""
    return " ".join(str(exc).split()) or type(exc).__name__


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
) -> BuildReport:
    """Build the report into `out_dir` (default ``build/``) and return what happened.

    `only` restricts the notebooks (path, stem or number prefix); `params` are parameter overrides
    applied to every notebook that declares them (``lang`` comes from `langs`). Raises
    ParameterError (or DataError for a given ``data_dir``) before any kernel starts; notebook
    failures are collected in ``BuildReport.failed``.
    """
    out = Path(out_dir) if out_dir is not None else paths.default_build_dir()
    if plotlyjs not in ("inline", "directory"):
        raise ParameterError("build", "--plotlyjs", f"{plotlyjs!r} is not inline or directory")
    for lang in langs:
        if lang not in LANGS:
            raise ParameterError("build", "--lang", f"{lang!r} is not one of {', '.join(LANGS)}")
    every = find_notebooks(Path(notebooks_dir) if notebooks_dir else None)
    chosen = [resolve_notebook(name, every) for name in only] if only else every
    chosen = [nb for nb in every if nb in chosen]
    planned = plan_jobs(chosen, tuple(dict.fromkeys(langs)), dict(params or {}))
    for folder in dict.fromkeys(job.overrides.get("data_dir") for job in planned):
        if folder:
            check_data(folder)
    out.mkdir(parents=True, exist_ok=True)
    builder = _Builder(out, every, planned, plotlyjs=plotlyjs, progress_stream=progress_stream)
    return builder.run(jobs or os.cpu_count() or 1, force)
