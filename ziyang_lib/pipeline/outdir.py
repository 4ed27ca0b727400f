"""The output folder of a build: claimed by one build at a time, checked writable, swept clean.

:func:`claim` takes an exclusive lock on ``<out>/.build.lock`` (``filelock``: an OS lock, so it
is released even when the holder is killed with SIGKILL). A second build into the same folder
waits up to `wait` seconds, then raises :class:`~ziyang_lib.errors.BuildLocked` (exit 4) naming
the holder. Holding the lock, the build removes the temporary files an earlier, killed build
left behind (:func:`ziyang_lib.files.remove_stale_temps`): nobody else can be writing them.

While it holds the lock, ``<out>/.build.owner`` says who (pid, start time) for that message; it
is removed when the build ends, so a build with nothing to do changes no file.

Any OS error on the folder becomes :class:`~ziyang_lib.errors.OutputError`, one line with the
path (read-only file system, no space left, not a folder).
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from ziyang_lib.errors import BuildLocked, OutputError
from ziyang_lib.files import remove_stale_temps, write_atomic

LOCK_NAME = ".build.lock"
OWNER_NAME = ".build.owner"


def output_error(exc: OSError, fallback: Path) -> OutputError:
    """An OSError as a one-line OutputError naming the file it was about."""
    return OutputError(exc.filename or fallback, exc.strerror or str(exc))


@contextmanager
def writing(fallback: Path) -> Iterator[None]:
    """Turn an OSError inside the block into an OutputError (path from the error or `fallback`)."""
    try:
        yield
    except OSError as exc:
        if isinstance(exc, BlockingIOError | InterruptedError):
            raise
        raise output_error(exc, fallback) from exc


@contextmanager
def claim(out: Path, wait: float = 0.0) -> Iterator[list[Path]]:
    """Create `out` if needed and hold its build lock for the block.

    Yields the stale temporary files that were removed. Raises BuildLocked if another build
    still holds the folder after `wait` seconds, OutputError if the folder cannot be written.
    """
    out = Path(out)
    with writing(out):
        out.mkdir(parents=True, exist_ok=True)
        lock = FileLock(out / LOCK_NAME, timeout=max(0.0, wait))
        try:
            lock.acquire()
        except Timeout:
            raise BuildLocked(out, _holder(out)) from None
    try:
        with contextlib.suppress(OSError):  # only for the message a second build prints
            write_atomic(out / OWNER_NAME, f"pid {os.getpid()} since {time.strftime('%H:%M:%S')}\n")
        with writing(out):
            removed = remove_stale_temps(out)
        yield removed
    finally:
        with contextlib.suppress(OSError):  # a finished build leaves the folder as it found it
            (out / OWNER_NAME).unlink(missing_ok=True)
        lock.release()


def _holder(out: Path) -> str:
    try:
        return (out / OWNER_NAME).read_text(encoding="utf-8").strip() or "unknown pid"
    except OSError:
        return "unknown pid"
