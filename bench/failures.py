"""The failure cases of issue 9 as a table: exit code, the message as printed, seconds.

Runs ``tests/pipeline/test_failures.py`` (each case through ``ziyang-report`` in a fresh
interpreter, as a user runs it) and collects the ``CASE | …`` row each call prints. The tests
assert codes, messages and byte-identical reports; this script only prints and times them, and
times the table loaders (cold, in a fresh interpreter) with our reader and with frictionless.
Usage: ``python bench/failures.py [--markdown]``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

LOADERS = {
    "ziyang_lib.truth.tables (all five tables, checks included)": (
        "import time; t = time.perf_counter()\n"
        "from ziyang_lib.truth import loaders; from ziyang_lib.truth.context import load_context\n"
        "i = time.perf_counter(); loaders.load_indicators(); load_context()\n"
        "print(f'{i - t:.2f} {time.perf_counter() - i:.3f}')"
    ),
    "frictionless (the same five tables, read and typed, no cross checks)": (
        "import time; t = time.perf_counter()\n"
        "from frictionless import Package\n"
        "i = time.perf_counter(); p = Package('data/datapackage.json')\n"
        "[p.get_resource(n).read_rows() for n in ('indicators', 'mentions', 'glossary',"
        " 'events', 'context')]\n"
        "print(f'{i - t:.2f} {time.perf_counter() - i:.3f}')"
    ),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args()
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider",
         "tests/pipeline/test_failures.py"],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    rows = [line.split(" | ")[1:] for line in proc.stdout.splitlines() if line.startswith("CASE |")]
    if args.markdown:
        print("| case | exit | message as printed | seconds |\n|---|---|---|---|")
        for case, code, message, seconds in rows:
            print(f"| {case} | {code} | `{message}` | {seconds.removesuffix(' s')} |")
    else:
        for case, code, message, seconds in rows:
            print(f"{case:<42} {code:>4} {seconds:>8}  {message}")
    print(proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else proc.stderr[-2000:])
    print()
    for name, code in LOADERS.items():
        for run in ("cold", "again"):
            out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                                 text=True)  # fmt: skip
            imports, load = out.stdout.split() if out.returncode == 0 else ("?", out.stderr[-200:])
            print(f"{name} [{run}]: import {imports} s, load {load} s")
    return proc.returncode


if __name__ == "__main__":
    raise SystemExit(main())
