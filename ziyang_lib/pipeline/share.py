"""One shareable archive of a built report, for mail and chat (``ziyang-report build --zip``).

The archive holds one folder named after it: ``index.html``, the shared
``html/plotly.min.js`` and every page ``html/<lang>/<stem>.html``; not the executed notebooks,
the manifest or failed runs. Unzipped anywhere, the index and pages open offline. Entries are
sorted, dated by their files' modification times and marked readable by everyone (0644).
"""

from __future__ import annotations

import io
import os
import time
import zipfile
from pathlib import Path

from ziyang_lib.files import write_atomic

INDEX_NAME = "index.html"
SHARED_FILES: tuple[str, ...] = ("html/plotly.min.js",)
ENTRY_MODE = 0o644


def report_files(out_dir: Path) -> list[Path]:
    """The files of the report under `out_dir` that the archive carries, relative and sorted."""
    out = Path(out_dir)
    pages = sorted(p.relative_to(out) for p in out.glob("html/*/*.html"))
    shared = [Path(name) for name in (INDEX_NAME, *SHARED_FILES) if (out / name).is_file()]
    return shared + pages


def write_zip(out_dir: str | os.PathLike[str], target: str | os.PathLike[str]) -> Path:
    """Write the report built in `out_dir` as one zip archive at `target`; return its path.

    Raises FileNotFoundError when `out_dir` has no index or no page.
    """
    out, target = Path(out_dir), Path(target)
    files = report_files(out)
    if Path(INDEX_NAME) not in files or not any(p.parts[0] == "html" for p in files):
        raise FileNotFoundError(f"{out} holds no built report (index.html and pages)")
    root = target.stem or "report"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for rel in files:
            path = out / rel
            stamp = time.localtime(max(path.stat().st_mtime, 315532800))  # zip starts at 1980
            entry = zipfile.ZipInfo(f"{root}/{rel.as_posix()}", date_time=stamp[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = (0o100000 | ENTRY_MODE) << 16
            archive.writestr(entry, path.read_bytes())
    write_atomic(target, buffer.getvalue())
    return target
