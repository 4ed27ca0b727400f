"""What the "Read the source" page must mark (a helper module, not a test file).

`mark_problems(marks, data_dir)` compares the marks a page shows — ``(data-mention value, text)``
pairs, read from its HTML or from the browser — with ``mentions.csv`` read here with the csv
module (not the project's loaders): every row must be marked exactly once, with data-mention
equal to its start and the text equal to the raw span ``raw[start:end]`` after the source's
cleaning (`ziyang_lib.truth.source`: entities decoded, spaces normalised).
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path


def expected_marks(data_dir: Path) -> dict[int, str]:
    """Raw start → the words the page must mark there, for every row of ``mentions.csv``."""
    from ziyang_lib.truth.source import load_source

    source = load_source(data_dir)
    with (Path(data_dir) / "mentions.csv").open(encoding="utf-8", newline="") as f:
        spans = [(int(row["start"]), int(row["end"])) for row in csv.DictReader(f)]
    return {s: source.text[source.to_clean(s) : source.to_clean(e)] for s, e in spans}


def mark_problems(marks: list[tuple[str, str]], data_dir: Path) -> list[str]:
    """Everything wrong with the page's `marks` against the mentions of `data_dir`."""
    wanted = expected_marks(data_dir)
    seen = Counter(value for value, _ in marks)
    problems = [
        f"row at raw {s} ({w!r}) is not marked" for s, w in wanted.items() if not seen[str(s)]
    ]
    problems += [f"data-mention={v!r} is marked {n} times" for v, n in seen.items() if n > 1]
    for value, text in marks:
        start = int(value) if value.isdigit() else None
        if start not in wanted:
            problems.append(f"data-mention={value!r} ({text!r}) is the start of no row")
        elif text != wanted[start]:
            problems.append(
                f"data-mention={value}: marks {text!r}, the source says {wanted[start]!r}"
            )
    return problems
