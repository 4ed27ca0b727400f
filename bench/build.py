"""Benchmark: the naive papermill + nbconvert pipeline against ``ziyang-report build``.

Runs, in one go and in fresh temporary folders:

1. naive: for each notebook × language, in sequence, the ``papermill`` CLI then
   ``jupyter nbconvert --to html``;
2. ``ziyang-report build --force`` into a fresh folder;
3. a no-op ``ziyang-report build`` of that folder.

Prints the wall time of each, the ratios build/naive and noop/build, the build's wall time beside
the floor (the sum of its pages' cell times, from papermill's per-cell ``duration`` in the
executed notebooks: what the cells cost however the kernels are managed), and each page's size
against the plotly.js it carries; CPU seconds (kernels included) are shown too, since wall times
move with whatever else the machine runs (the load average is printed first). Targets:
build/naive ≤ 0.08, noop/build ≤ 0.05; weights: the
vendored plotly.js ≤ 2.0 MB, a self-contained page ≤ 2.0 MB, and a page without its plotly.js
(its size in ``--plotlyjs directory`` mode, give or take the script tag) ≤ 250 KB.
Usage: ``python bench/build.py [--keep DIR]``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
LANGS = ("zh", "en")
TARGET_BUILD, TARGET_NOOP = 0.08, 0.05
TARGET_BUNDLE, TARGET_PAGE, TARGET_EXTRA = 2_000_000, 2_000_000, 250_000


def children_cpu() -> float:
    """CPU seconds (user + system) of every finished child process so far (kernels included)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: list[str], **kw: object) -> tuple[float, int]:
    """Run `cmd`; return (wall seconds, exit code). Output is discarded."""
    began = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)
    seconds = time.perf_counter() - began
    if proc.returncode:
        lines = proc.stderr.decode(errors="replace").replace("\r", "\n").splitlines()
        tail = [ln for ln in lines if ln.strip() and not ln.startswith("Executing")][-1:] or ["?"]
        print(f"  ! exit {proc.returncode}: {' '.join(cmd[:3])} … — {tail[0]}")
    return seconds, proc.returncode


def naive(work: Path) -> tuple[float, int]:
    """The naive pipeline, in sequence; return (seconds, failures)."""
    notebooks = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
    work.mkdir(parents=True, exist_ok=True)
    total, failures = 0.0, 0
    for nb in notebooks:
        for lang in LANGS:
            out = work / f"{nb.stem}.{lang}.ipynb"
            s1, rc1 = timed(
                [str(BIN / "papermill"), str(nb), str(out), "-p", "lang", lang, "-k", "python3"],
                cwd=nb.parent,
            )
            s2, rc2 = timed([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(out)])
            total += s1 + s2
            failures += bool(rc1 or rc2)
    return total, failures


def cell_seconds(out: Path) -> tuple[float, int]:
    """The sum of every cell's papermill duration over the build's executed notebooks, and
    how many notebooks there are."""
    notebooks = sorted((out / "executed").glob("*/*.ipynb"))
    total = 0.0
    for path in notebooks:
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            total += cell.get("metadata", {}).get("papermill", {}).get("duration") or 0.0
    return total, len(notebooks)


def floor_report(out: Path, wall: float, jobs: int) -> None:
    """Print the build's wall time beside the sum of its pages' cell times (the floor)."""
    cells, pages = cell_seconds(out)
    print(
        f"\nfloor: the {pages} pages' cells took {cells:.1f} s in all (papermill cell durations);"
        f" on {jobs} workers at best {cells / jobs:.1f} s"
    )
    print(
        f"  build wall {wall:.1f} s = {wall / cells:.2f}× the cells' sum, "
        f"{wall / (cells / jobs):.2f}× their share per worker; "
        f"beyond the cells: {wall - cells / jobs:.1f} s"
    )


def plotlyjs_bytes() -> int:
    from ziyang_lib.pipeline.html_export import plotlyjs_source

    return len(plotlyjs_source().encode("utf-8"))


def page_report(out: Path) -> bool:
    """Print the bundle's and each page's size against the targets; True if all are met."""
    entries = json.loads((out / ".manifest.json").read_text(encoding="utf-8"))["entries"]
    plotly = plotlyjs_bytes()
    ok = plotly <= TARGET_BUNDLE
    print(
        f"\nplotly.js bundle {plotly / 1e6:.2f} MB (target ≤ {TARGET_BUNDLE / 1e6:.1f} MB: "
        f"{'ok' if ok else 'MISS'})"
    )
    print(
        f"pages (targets: page ≤ {TARGET_PAGE / 1e6:.1f} MB; beyond plotly.js, i.e. a directory-"
        f"mode page, ≤ {TARGET_EXTRA / 1e3:.0f} KB)"
    )
    for page in sorted((out / "html").glob("*/*.html")):
        key = f"{page.parent.name}/{page.stem}"
        charts = entries.get(key, {}).get("n_charts", 0)
        size = page.stat().st_size
        shared = 'src="../plotly.min.js"' in page.read_text(encoding="utf-8")
        extra = size - (plotly if charts and not shared else 0)
        hit = size <= TARGET_PAGE and extra <= TARGET_EXTRA
        ok &= hit
        print(
            f"  {key:<34} {size / 1e6:6.2f} MB  charts {charts:2d}  "
            f"beyond plotly.js {extra / 1e3:7.1f} KB  {'ok' if hit else 'MISS'}"
        )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="keep the outputs in this folder")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ziyang-bench-"))
    report = BIN / "ziyang-report"
    jobs = os.cpu_count() or 1
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{jobs} cores, load average {load} (1, 5, 15 min)")
    try:
        print("naive: papermill CLI + jupyter nbconvert, per notebook × language, in sequence")
        cpu = children_cpu()
        t_naive, failures = naive(work / "naive")
        cpu_naive, cpu = children_cpu() - cpu, children_cpu()
        print(f"  {t_naive:.1f} s (cpu {cpu_naive:.1f} s)")
        out = work / "build"
        print("ziyang-report build --force (fresh folder)")
        t_build, rc_build = timed([str(report), "build", "--force", "--out", str(out)])
        cpu_build, cpu = children_cpu() - cpu, children_cpu()
        print(f"  {t_build:.1f} s (cpu {cpu_build:.1f} s)")
        print("ziyang-report build (no-op)")
        t_noop, rc_noop = timed([str(report), "build", "--out", str(out)])
        print(f"  {t_noop:.2f} s (cpu {children_cpu() - cpu:.2f} s)")
        print(f"  cpu build/naive = {cpu_build / cpu_naive:.3f} (less sensitive to other load)")
        r_build, r_noop = t_build / t_naive, t_noop / t_build
        print(
            f"\nbuild/naive = {r_build:.3f} (target ≤ {TARGET_BUILD}: "
            f"{'ok' if r_build <= TARGET_BUILD else 'MISS'})"
        )
        print(
            f"noop/build  = {r_noop:.3f} (target ≤ {TARGET_NOOP}: "
            f"{'ok' if r_noop <= TARGET_NOOP else 'MISS'})"
        )
        floor_report(out, t_build, jobs)
        page_report(out)
        if args.keep:
            shutil.copytree(work, args.keep, dirs_exist_ok=True)
        if failures or rc_build or rc_noop:
            print(f"\nfailures: naive {failures}, build exit {rc_build}, no-op exit {rc_noop}")
            return 1
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
