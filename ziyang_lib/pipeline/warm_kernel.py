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
from traitlets import DottedObjectName, Type

from ziyang_lib.errors import KernelStall
from ziyang_lib.pipeline.execute import (
    KERNEL_NAME,
    START_TIMEOUT,
    SlicedKernelClient,
    SlicedKernelManager,
    first_line,
)
from ziyang_lib.report.charts.registry import CHART_MODULES

_STATE = "__import__('ziyang_lib.pipeline.kernel_state', fromlist=['_']).{call}"
PRELOAD: tuple[str, ...] = (
    "ziyang_lib.report.page",
    "ziyang_lib.report.tables",
    "ziyang_lib.report.widgets",
    *(f"ziyang_lib.report.charts.{name}" for name in CHART_MODULES),
    "ziyang_lib.truth.metrics",
    "ziyang_lib.truth.records",
    "ziyang_lib.pipeline.params",
)
"""What the report's notebooks import, imported once per kernel before its first page."""
WARM_UP = _STATE.format(call=f"snapshot({PRELOAD!r})")
"""What a new kernel runs before its first page (no name is left in the user namespace)."""
KERNEL_ARGUMENTS = ["--HistoryManager.enabled=False"]
"""No SQLite input history: nothing reads it, and every cell and reset would write to it."""


class _KeptClient(SlicedKernelClient):
    """The one client papermill runs all the pages of a kept kernel through.

    nbclient asks the manager for a client at every page and waits until it is ready, which
    costs a kernel_info round trip and 0.2 s of IOPub silence even on a kernel that just
    answered. This client is connected once: later readiness checks only drop what earlier
    pages left on IOPub (nbclient would skip those messages anyway, as not its cells').
    """

    _ready = False

    def start_channels(self, *args: Any, **kw: Any) -> None:
        if not self.channels_running:
            super().start_channels(*args, **kw)

    async def wait_for_ready(self, timeout: float | None = None) -> None:  # type: ignore[override]
        if not self._ready:
            await super().wait_for_ready(timeout)
            self._ready = True
            return
        while True:
            try:
                await self.iopub_channel.get_msg(timeout=0)
            except Empty:
                return


class _KeptKernelManager(SlicedKernelManager):
    """A kernel manager handing papermill the same :class:`_KeptClient` at every page.

    Every client has a session (zmq identity) of its own: jupyter_client gives a manager's
    clients the manager's session, and a second client with the same identity on the kernel's
    ROUTER sockets takes the replies meant for the first (or loses them).
    """

    client_class = DottedObjectName(f"{__name__}._KeptClient")
    client_factory = Type(_KeptClient)  # type: ignore[assignment]

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.page_client: Any = None

    def own_client(self) -> Any:
        """A new client with a session of its own."""
        session = self.session.clone()
        session.session = uuid.uuid4().hex
        return super().client(session=session)

    def client(self, **kw: Any) -> Any:
        if kw:
            return super().client(**kw)
        if self.page_client is None:
            self.page_client = self.own_client()
        return self.page_client


class WarmKernel:
    """The kernel of one worker thread (see the module notes). Not thread-safe."""

    def __init__(self) -> None:
        self._km: _KeptKernelManager | None = None
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
        """After a page: end the kernel unless the page was `clean`."""
        run_sync(self._finish)(clean)

    def close(self) -> None:
        """End the kernel (at the end of the worker)."""
        run_sync(self._discard)()

    async def _launch(self, cwd: Path) -> None:
        if self._km is not None and not await self._km.is_alive():
            await self._discard()
        if self._km is not None:
            return
        km = _KeptKernelManager(kernel_name=KERNEL_NAME)
        self._km = km
        self.started += 1
        try:
            await km.start_kernel(cwd=str(cwd), extra_arguments=KERNEL_ARGUMENTS)
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
        if not clean:
            await self._discard()

    async def _discard(self) -> None:
        km, kc = self._km, self._kc
        self._km = self._kc = self._warming = None
        for client in (kc, km.page_client if km else None):
            if client is not None:
                with contextlib.suppress(Exception):
                    client.stop_channels()
        if km is not None:
            with contextlib.suppress(Exception):
                await km.shutdown_kernel(now=True)
