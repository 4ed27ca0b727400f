"""Where things live: the project root, the data folder and the build folder."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent
SOURCE_FILENAME = "ziyang-poverty-summary-2020-10-14.txt"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """Return the data folder: `override`, else $ZIYANG_DATA_DIR, else the project's `data/`."""
    if override is not None:
        return Path(override)
    env = os.environ.get("ZIYANG_DATA_DIR")
    return Path(env) if env else PROJECT_ROOT / "data"


def notebooks_dir() -> Path:
    """Return the folder holding the numbered report notebooks."""
    return PROJECT_ROOT / "notebooks"


def default_build_dir() -> Path:
    """Return the git-ignored build folder."""
    return PROJECT_ROOT / "build"
