"""The data package: ``datapackage.json`` describes every file of the data folder.

It is the one place the table schemas live (fields, types, constraints), and it records the
byte count and sha256 of the raw source. :func:`verify_file` checks a file against that record
before anything reads it, so an edited character of ``data/raw`` stops the build (DataError,
exit 3) instead of reaching the pages. Files are size-checked before they are read, so a huge
file is refused in milliseconds rather than parsed.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from ziyang_lib.errors import DataError

PACKAGE_FILE = "datapackage.json"
MAX_PACKAGE_BYTES = 2_000_000
MAX_FILE_BYTES = 8_000_000
"""Largest table, geometry or source file read (the largest today is about 0.1 MB)."""


def file_stamp(path: Path) -> tuple[int, int] | None:
    """``(mtime_ns, size)`` of `path` for a loader's cache key, or None if it cannot be read."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def check_size(path: Path, name: str, limit: int = MAX_FILE_BYTES) -> int:
    """Return the size of `path`; raise DataError if it is missing or larger than `limit`."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise DataError(name, f"file not found in {path.parent}") from None
    except OSError as exc:
        raise DataError(name, f"cannot read: {exc.strerror or exc}") from None
    if size > limit:
        raise DataError(
            name, f"is {_mb(size)}; a data file may be at most {_mb(limit)} (refused unread)"
        )
    return size


def _mb(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def read_package(folder: Path) -> dict[str, Any]:
    """The parsed ``datapackage.json`` of `folder` (cached while the file is unchanged)."""
    path = Path(folder) / PACKAGE_FILE
    check_size(path, PACKAGE_FILE, MAX_PACKAGE_BYTES)
    st = path.stat()
    return _parse(str(path.resolve()), st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=8)
def _parse(path: str, _mtime: int, _size: int) -> dict[str, Any]:
    try:
        package = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as exc:
        raise DataError(PACKAGE_FILE, f"cannot read JSON: {exc}") from None
    if not isinstance(package, dict) or not isinstance(package.get("resources"), list):
        raise DataError(PACKAGE_FILE, "expected an object with a list of resources")
    return package


def resource(folder: Path, name: str) -> dict[str, Any]:
    """The resource descriptor called `name`; DataError if the package has none."""
    for res in read_package(folder)["resources"]:
        if isinstance(res, dict) and res.get("name") == name:
            if not isinstance(res.get("path"), str):
                raise DataError(PACKAGE_FILE, f"resource {name!r} has no path")
            return res
    raise DataError(PACKAGE_FILE, f"no resource named {name!r}")


def table_fields(folder: Path, name: str) -> list[dict[str, Any]]:
    """The schema fields of table resource `name`."""
    fields = resource(folder, name).get("schema", {}).get("fields")
    if not fields or not all(isinstance(f, dict) and "name" in f for f in fields):
        raise DataError(PACKAGE_FILE, f"resource {name!r} has no schema fields")
    return fields


def resource_path(folder: Path, name: str) -> Path:
    """Where resource `name` lives inside `folder`."""
    return Path(folder) / resource(folder, name)["path"]


def verify_file(folder: Path, name: str) -> bytes:
    """Return the bytes of file resource `name`, after checking its recorded size and sha256.

    The size is compared before the file is read; a resource that records neither is only
    size-capped. Raises DataError naming the file and both values.
    """
    res = resource(folder, name)
    path = Path(folder) / res["path"]
    size = check_size(path, res["path"])
    expected_bytes = res.get("bytes")
    if isinstance(expected_bytes, int) and size != expected_bytes:
        found = hashlib.new(_recorded_hash(res)[0], path.read_bytes()).hexdigest()
        raise DataError(res["path"], _altered(res, found, f"; {size} bytes, not {expected_bytes}"))
    data = path.read_bytes()
    algorithm, expected = _recorded_hash(res)
    if expected is not None:
        found = hashlib.new(algorithm, data).hexdigest()
        if found != expected:
            raise DataError(res["path"], _altered(res, found, ""))
    return data


def _recorded_hash(res: dict[str, Any]) -> tuple[str, str | None]:
    """(algorithm, hex digest) of the resource's ``hash``; a bare digest is md5 (Frictionless)."""
    recorded = res.get("hash")
    if not isinstance(recorded, str):
        return "sha256", None
    algorithm, _, digest = recorded.rpartition(":")
    return (algorithm or "md5"), digest.lower()


def _altered(res: dict[str, Any], found: str, extra: str) -> str:
    algorithm, expected = _recorded_hash(res)
    return (
        f"does not match {PACKAGE_FILE}: expected {algorithm} {expected or '(none recorded)'}, "
        f"found {algorithm} {found}{extra} (this file is never edited)"
    )
