"""The data check every command runs before a kernel starts (``check``, ``build``, ``run``).

It loads and validates everything a page may read from a data folder: the four source tables,
the raw source against its recorded sha256, the context figures and the county boundaries. A
problem is a one-line :class:`~ziyang_lib.errors.DataError` (exit 3); a ``$ZIYANG_DATA_DIR``
naming no folder is a usage error (exit 2). So bad data never starts ten kernels that all fail,
and never gives a partial rebuild. A build remembers in its manifest which data passed with
which library (:func:`data_checked`), so a no-op build does not check the same bytes again.
"""

from __future__ import annotations

import os
from pathlib import Path

from ziyang_lib import paths
from ziyang_lib.errors import UsageError
from ziyang_lib.pipeline.manifest import fingerprint


def data_folder(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """The data folder a value means (empty: $ZIYANG_DATA_DIR, else the project's data/).

    Raises UsageError when $ZIYANG_DATA_DIR is what names it and it is not a folder.
    """
    folder = paths.data_dir(data_dir or None)
    env = os.environ.get("ZIYANG_DATA_DIR")
    if not data_dir and env and not folder.is_dir():
        problem = "is not a folder" if folder.exists() else "does not exist"
        raise UsageError(f"$ZIYANG_DATA_DIR: folder {env!r} {problem}")
    return folder


def check_data(data_dir: str | os.PathLike[str] | None = None) -> dict[str, int]:
    """Load and validate the data tables, the context figures and the county boundaries.

    Return their counts by name; raise DataError (one line) at the first problem. No kernel.
    """
    from ziyang_lib.truth import loaders
    from ziyang_lib.truth.context import load_context
    from ziyang_lib.truth.geo import load_counties

    folder = data_folder(data_dir)
    return {
        "indicators": len(loaders.load_indicators(folder)),
        "mentions": len(loaders.load_mentions(folder)),
        "glossary": len(loaders.load_glossary(folder)),
        "context": len(load_context(folder)),
        "counties": len(load_counties(folder)["features"]),
    }


def data_checked(data_digest: str, lib_digest: str) -> str:
    """The key a manifest keeps for data (tree digest) that passed the check with this library.

    The check is a function of the data folder's bytes and the library's code alone.
    """
    return fingerprint(data_checked=data_digest, lib=lib_digest)
