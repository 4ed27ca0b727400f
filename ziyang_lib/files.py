"""Writing files: the one atomic writer, and the names of the temporary files it leaves behind.

Every file ziyang writes (pages, executed notebooks, the manifest, plotly.js, figures, data
tables) reaches its place through :func:`write_atomic`: a temporary file in the same folder,
then ``os.replace``. A reader sees the old file or the new one, never half of one. New files get
the mode a plain ``open(path, "w")`` gives (0o666 less the umask: 0644 under the usual umask),
so a web server running as another user can serve them.

Temporary names all look like ``.<name>.<random>.tmp`` (:func:`temp_sibling`); a process killed
between write and rename leaves one behind, and :func:`remove_stale_temps` clears them from a
folder nobody else is writing to (the build does so while it holds the folder's lock).
"""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

TEMP_SUFFIX = ".tmp"
_TEMP_NAME = re.compile(r"^\..+\.tmp(?:\.[A-Za-z0-9]+)?$")


def temp_sibling(path: str | os.PathLike[str], suffix: str = "") -> Path:
    """A fresh temporary name beside `path`: ``.<name>.<random>.tmp`` plus `suffix`.

    `suffix` is for tools that insist on an extension (papermill wants ``.ipynb``).
    """
    path = Path(path)
    return path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}{TEMP_SUFFIX}{suffix}")


def is_temp_name(name: str) -> bool:
    """True for a temporary name: ``.<name>.<anything>.tmp``, optionally plus an extension."""
    return bool(_TEMP_NAME.match(name))


def write_atomic(path: str | os.PathLike[str], data: bytes | str) -> Path:
    """Write `data` (str is UTF-8) to `path` through a temporary sibling and ``os.replace``.

    Creates the parent folders; the file gets the mode ``open(path, "w")`` would give it.
    Returns `path`.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    tmp = temp_sibling(path)
    try:
        # 0o666 less the umask, as for open(path, "w"); tempfile.mkstemp would give 0o600
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def remove_stale_temps(root: str | os.PathLike[str]) -> list[Path]:
    """Delete every temporary file (:func:`is_temp_name`) under `root`; return what went.

    Only call this on a folder no other process is writing to (hold its lock).
    """
    removed = []
    for dirpath, _dirnames, filenames in os.walk(root):
        for name in filenames:
            if is_temp_name(name):
                path = Path(dirpath) / name
                path.unlink(missing_ok=True)
                removed.append(path)
    return removed
