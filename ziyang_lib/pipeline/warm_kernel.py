"""One worker's kernel, kept across its pages: started once, reset before each page, restarted
after any failure.

A fresh kernel costs more CPU before its first cell (start, then pandas, plotly and the library)
than a page's cells take, so the build does not pay it per page. :class:`WarmKernel` starts a
kernel (the same :class:`~ziyang_lib.pipeline.execute.SlicedKernelManager`: IPC sockets, sliced
polls, killed by ``stop_all_kernels``), imports the page module in it and records its clean
state (:func:`ziyang_lib.pipeline.kernel_state.snapshot`). Before every page it restores that
state (:func:`~ziyang_lib.pipeline.kernel_state.reset`) and hands the manager to papermill,
which runs the page in it as in any kernel, so the executed notebook is papermill's own. A page
that did not end cleanly (a cell raised or timed out, the kernel died) ends the kernel; the
next page starts a new one.

All of it runs on the worker thread's own event loop (``jupyter_core``'s per-thread loop, the
one nbclient uses there), so one WarmKernel belongs to one thread.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from pathlib import Path
from queue import Empty
from typing import Any

from jupyter_core.utils import run_sync

from ziyang_lib.errors import KernelStall
from ziyang_lib.pipeline.execute import (
    KERNEL_NAME,
    START_TIMEOUT,
    SlicedKernelManager,
    first_line,
)

_STATE = "__import__('ziyang_lib.pipeline.kernel_state', fromlist=['_']).{call}"
WARM_UP = "__import__('ziyang_lib.report.page'); " + _STATE.format(call="snapshot()")
"""What a new kernel runs before its first page (no name is left in the user namespace)."""


class _RecordingKernelManager(SlicedKernelManager):
    """A kernel manager whose every client has a session (zmq identity) of its own, and that
    remembers the clients nbclient opens on it (one a page) so they can be closed after it.

    jupyter_client gives every client of a manager the manager's session, and the session id
    is the client's zmq identity on the kernel's ROUTER sockets: a second client with the same
    identity takes the replies meant for the first (or loses them).
    """

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.opened: list[Any] = []

    def own_client(self) -> Any:
        """A client with a session of its own, not recorded."""
        session = self.session.clone()
        session.session = uuid.uuid4().hex
        return super().client(session=session)

    def client(self, **kw: Any) -> Any:
        client = self.own_client() if not kw else super().client(**kw)
        self.opened.append(client)
        return client


class WarmKernel:
    """The kernel of one worker thread (see the module notes). Not thread-safe."""

    def __init__(self) -> None:
        self._km: _RecordingKernelManager | None = None
        self._kc: Any = None  # our own client, shell channel only: warm-up and resets
        self._warming: str | None = None  # the warm-up request not yet answered
        self.started = 0
        """How many kernels this worker has started (a restart after a failure counts)."""

    def start(self, cwd: Path) -> None:
        """Launch the kernel unless it runs, and queue its warm-up; return without waiting.

        (The caller imports papermill meanwhile.) Raises KernelStall if it cannot be launched.
        """
        run_sync(self._launch)(Path(cwd))

    def prepare(self, cwd: Path) -> Any:
        """Return a kernel manager whose kernel is warm, clean and works in `cwd`.

        Raises KernelStall if no kernel could be started or reset (the caller retries once).
        """
        return run_sync(self._prepare)(Path(cwd))

    def finish(self, clean: bool) -> None:
        """After a page: close the clients it opened; end the kernel unless the page was `clean`."""
        run_sync(self._finish)(clean)

    def close(self) -> None:
        """End the kernel (at the end of the worker)."""
        run_sync(self._discard)()

    async def _launch(self, cwd: Path) -> None:
        if self._km is not None and not await self._km.is_alive():
            await self._discard()
        if self._km is not None:
            return
        km = _RecordingKernelManager(kernel_name=KERNEL_NAME)
        self._km = km
        self.started += 1
        try:
            await km.start_kernel(cwd=str(cwd))
        except Exception as exc:
            await self._discard()
            raise KernelStall(None, "KernelStartError", first_line(exc)) from exc
        self._kc = km.own_client()
        self._kc.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
        self._warming = self._send(WARM_UP)

    async def _prepare(self, cwd: Path) -> Any:
        await self._launch(cwd)
        try:
            if self._warming is not None:
                await self._wait(self._warming, "warming the kernel up")
                self._warming = None
            await self._wait(self._send(_STATE.format(call=f"reset({str(cwd)!r})")), "resetting")
        except KernelStall:
            await self._discard()
            raise
        return self._km

    def _send(self, code: str) -> str:
        assert self._kc is not None
        return str(self._kc.execute(code, silent=True, store_history=False, allow_stdin=False))

    async def _wait(self, msg_id: str, doing: str) -> None:
        """Wait for the reply to `msg_id`; raise KernelStall unless it is ok in START_TIMEOUT."""
        assert self._km is not None and self._kc is not None
        deadline = time.monotonic() + START_TIMEOUT
        while (left := deadline - time.monotonic()) > 0:
            try:
                reply = await self._kc.get_shell_msg(timeout=min(1.0, left))
            except Empty:
                if not await self._km.is_alive():
                    raise KernelStall(None, "DeadKernelError", f"the kernel died {doing}") from None
                continue
            if reply.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            content = reply.get("content", {})
            if content.get("status") == "ok":
                return
            ename = content.get("ename", "KernelError")
            raise KernelStall(None, ename, f"{doing}: {content.get('evalue', '')}")
        raise KernelStall(None, "KernelStartError", f"no reply {doing} within {START_TIMEOUT} s")

    async def _finish(self, clean: bool) -> None:
        if self._km is None:
            return
        for client in self._km.opened:
            with contextlib.suppress(Exception):
                client.stop_channels()
        self._km.opened.clear()
        if not clean:
            await self._discard()

    async def _discard(self) -> None:
        km, kc = self._km, self._kc
        self._km = self._kc = self._warming = None
        for client in [kc, *(km.opened if km else ())]:
            if client is not None:
                with contextlib.suppress(Exception):
                    client.stop_channels()
        if km is not None:
            with contextlib.suppress(Exception):
                await km.shutdown_kernel(now=True)
