"""Content-hash manifest for incremental builds (``<out>/.manifest.json``).

A page (notebook × language) is up to date when the fingerprint of everything it was made from is
unchanged: the notebook file, its effective parameters, every file under the data folder, every
file of ``ziyang_lib/`` (code, catalogue, templates) and the page options (links, plotly.js mode).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ziyang_lib.files import write_atomic

MANIFEST_NAME = ".manifest.json"
FORMAT = 1
_SKIP_DIRS = {"__pycache__", ".ipynb_checkpoints", ".pytest_cache"}


def file_digest(path: Path) -> str:
    """Return the sha256 hex digest of a file's bytes."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _files(root: Path) -> Iterable[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS)
        for name in sorted(filenames):
            if not name.endswith((".pyc", ".pyo")):
                yield Path(dirpath) / name


def tree_digest(root: Path) -> str:
    """Return one digest over every file under `root` (relative paths and contents).

    A missing folder has a digest too, so it can be compared.
    """
    h = hashlib.sha256()
    root = Path(root)
    for path in _files(root) if root.is_dir() else ():
        h.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        h.update(file_digest(path).encode("ascii") + b"\n")
    return h.hexdigest()


def fingerprint(**parts: Any) -> str:
    """Return a digest of JSON-serialisable `parts` (key order does not matter)."""
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Manifest:
    """The entries of ``<out>/.manifest.json``: key ``"<lang>/<stem>"`` → record dict.

    A record holds at least ``fingerprint``; the build adds ``title``, ``seconds`` and the like.
    """

    def __init__(
        self,
        path: Path,
        entries: Mapping[str, dict[str, Any]] | None = None,
        checked: Iterable[str] = (),
    ) -> None:
        self.path = Path(path)
        self.entries: dict[str, dict[str, Any]] = dict(entries or {})
        self.checked: set[str] = set(checked)
        """Fingerprints (data folder digest, library digest) that passed the data check."""
        self.index: dict[str, str] = {}
        """What ``index.html`` was made from (a fingerprint) and its sha256 then."""

    @classmethod
    def load(cls, out_dir: Path) -> Manifest:
        """Read the manifest of `out_dir`; a missing or unreadable one is empty."""
        path = Path(out_dir) / MANIFEST_NAME
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(path)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return cls(path)
        manifest = cls(path, data.get("entries") or {}, data.get("data_checked") or ())
        manifest.index = dict(data.get("index") or {})
        return manifest

    def is_fresh(self, key: str, fp: str) -> bool:
        """True if `key` was last built from fingerprint `fp`."""
        return self.entries.get(key, {}).get("fingerprint") == fp

    def record(self, key: str, **fields: Any) -> None:
        """Set the record of `key` (must include ``fingerprint``)."""
        self.entries[key] = dict(fields)

    def save(self) -> None:
        """Write the manifest atomically."""
        payload = {
            "format": FORMAT,
            "entries": dict(sorted(self.entries.items())),
            "data_checked": sorted(self.checked),
            "index": self.index,
        }
        write_atomic(self.path, json.dumps(payload, ensure_ascii=False, indent=1) + "\n")
