"""The kernels this process starts: where their files go, which are alive, how to stop them all.

* **Files.** Every kernel's connection file and IPC sockets live in one private folder per
  process, ``$TMPDIR/ziyang-kernel-<pid>/`` (mode 0700). It is removed when the process ends;
  a folder whose process is gone (killed with SIGKILL) is removed by the next process that
  starts a kernel, and so are the flat ``ziyang-kernel-<id>-ipc-<port>`` sockets of earlier
  versions that no kernel answers on any more.
* **Stopping.** :func:`stop_all_kernels` (Ctrl-C, SIGTERM) marks the process as stopping and
  kills each live kernel's process group at once, so a thread waiting on a hung cell returns
  within one poll; no dead-kernel retry happens after that (:func:`stopping`).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import shutil
import signal
import socket
import tempfile
import threading
import weakref
from pathlib import Path
from typing import Any

DEFAULT_TIMEOUT_CELL = 300.0
"""Seconds one cell may run (``--timeout-cell``)."""
DEFAULT_TIMEOUT = 1200.0
"""Seconds one notebook may run (``--timeout``)."""

PREFIX = "ziyang-kernel-"
_OWN_FOLDER = re.compile(rf"^{PREFIX}(\d+)$")
_OLD_SOCKET = re.compile(rf"^{PREFIX}[0-9a-f]{{12}}-\d+$")

_live: weakref.WeakSet[Any] = weakref.WeakSet()
_lock = threading.Lock()
_stopping = threading.Event()
_folder: Path | None = None


def kernel_folder() -> Path:
    """This process's private folder for kernel files (created, and orphans swept, once)."""
    global _folder
    with _lock:
        if _folder is None:
            remove_orphans()
            folder = Path(tempfile.gettempdir()) / f"{PREFIX}{os.getpid()}"
            folder.mkdir(mode=0o700, exist_ok=True)
            atexit.register(shutil.rmtree, folder, ignore_errors=True)
            _folder = folder
        return _folder


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie (exited, not yet reaped) is not alive
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state != "Z"


def _answers(path: Path) -> bool:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.2)
        try:
            probe.connect(str(path))
        except OSError:
            return False
    return True


def remove_orphans(root: str | os.PathLike[str] | None = None) -> list[Path]:
    """Remove kernel files left by processes that are gone; return what was removed."""
    root = Path(root or tempfile.gettempdir())
    removed = []
    try:
        entries = list(root.iterdir())
    except OSError:
        return removed
    for path in entries:
        own = _OWN_FOLDER.match(path.name)
        if own and path.is_dir() and int(own.group(1)) != os.getpid():
            if not _alive(int(own.group(1))):
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path)
        elif _OLD_SOCKET.match(path.name) and path.is_socket() and not _answers(path):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def register(manager: Any) -> None:
    """Remember a kernel manager whose kernel process was just launched."""
    with _lock:
        _live.add(manager)


def stopping() -> bool:
    """True once :func:`stop_all_kernels` ran: start no kernel, retry none."""
    return _stopping.is_set()


def allow_kernels() -> None:
    """Clear the stopping mark (a new build in the same process may start kernels again)."""
    _stopping.clear()


def stop_all_kernels() -> int:
    """Kill every live kernel's process group now; return how many were signalled."""
    _stopping.set()
    with _lock:
        managers = list(_live)
    killed = 0
    for manager in managers:
        provisioner = getattr(manager, "provisioner", None)
        process = getattr(provisioner, "process", None)
        if process is None or process.poll() is not None:  # never launched, or already gone
            continue
        pgid = getattr(provisioner, "pgid", None) or process.pid
        with contextlib.suppress(ProcessLookupError, PermissionError):
            if pgid == os.getpgrp():  # not a session of its own: the kernel alone
                os.kill(process.pid, signal.SIGKILL)
            else:
                os.killpg(pgid, signal.SIGKILL)
            killed += 1
        with contextlib.suppress(Exception):  # its connection file and sockets
            manager.cleanup_connection_file()
            manager.cleanup_ipc_files()
    return killed
