"""Benchmark: `extract_quantities` and `find_relations` on the whole source and on the genre texts.

Prints, for each text, its length, the mentions (and relations) found and the best of several
timed rounds in milliseconds (process CPU time, which moves less than wall time on a shared
machine). Usage: ``python bench/extract.py [--rounds N]``.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

from ziyang_lib.paths import SOURCE_FILENAME, data_dir
from ziyang_lib.truth.extract import extract_quantities

ROOT = Path(__file__).resolve().parents[1]
TEXTS = ROOT / "tests" / "support" / "texts"


def best_ms(func: Callable[[], object], rounds: int, per_round: int = 20) -> float:
    """The fastest of `rounds` rounds, in CPU milliseconds per call."""
    func()
    times = []
    for _ in range(rounds):
        start = time.process_time()
        for _ in range(per_round):
            func()
        times.append((time.process_time() - start) / per_round * 1000)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    try:
        from ziyang_lib.truth.relations import find_relations
    except ImportError:  # before relations existed
        find_relations = None
    paths = [data_dir() / "raw" / SOURCE_FILENAME, *sorted(TEXTS.glob("*.txt"))]
    print(f"{'text':40} {'chars':>6} {'found':>5} {'extract ms':>10} {'relations ms':>12}")
    for path in paths:
        text = path.read_text("utf-8")
        found = len(extract_quantities(text))
        ms = best_ms(lambda text=text: extract_quantities(text), args.rounds)
        rel = ""
        if find_relations is not None:
            rel = f"{best_ms(lambda text=text: find_relations(text), args.rounds):.2f}"
        print(f"{path.name[:40]:40} {len(text):6d} {found:5d} {ms:10.2f} {rel:>12}")


if __name__ == "__main__":
    main()
