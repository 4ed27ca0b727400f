"""The one hardened notebook execution path: papermill in-process, sliced zmq polls, timeouts.

Notebook tests and the build both run notebooks through :func:`execute_notebook`.

Hardening, and why:

* **Sliced polls.** After a cell that displays ipywidgets, nbclient sometimes never sees the
  kernel's ``execute_reply`` (nbclient #312, papermill #723): the asyncio wake-up for the zmq
  socket is missed while the message sits in the socket. :class:`SlicedChannel` polls in slices of
  at most :data:`POLL_SLICE` seconds; every slice ends with a real ``zmq_poll``, so a missed
  wake-up costs at most one slice. It reaches nbclient through papermill's engine keyword
  ``kernel_manager_class`` (:class:`SlicedKernelManager`); nothing global is patched.
* **IPC transport.** Kernels talk over Unix sockets in a private folder per process
  (:mod:`ziyang_lib.pipeline.kernels`, which also removes the files of killed runs): no TCP
  ports to race for when notebooks run concurrently, no plain-text-TCP warning.
* **Timeouts.** A per-cell timeout, and a whole-notebook budget enforced through nbclient's
  ``timeout_func`` (each cell gets at most what is left of the budget). A timeout is final:
  the cell would hang again, so it is not retried.
* **One retry.** A kernel that dies or fails to start is reported (a ``logging`` warning) and
  the notebook is run once more; a second failure raises
  :class:`~ziyang_lib.errors.NotebookExecutionError`. A cell that raises is not retried, and
  nothing is retried once :func:`~ziyang_lib.pipeline.kernels.stop_all_kernels` ran.
* **Cell indexes.** Every error names the cell by its index in the *source* notebook (from 0),
  whether the cell raised, timed out or lost its kernel (papermill's injected cell is not
  counted).
* **No process-wide chdir.** The kernel's working folder is passed to the kernel launcher
  (papermill's own ``cwd`` option calls ``os.chdir``, which is unsafe in a thread pool).
* **Atomic output.** The executed notebook reaches ``output_path`` only on success, through a
  temporary file in the same folder and ``os.replace``; when a cell raises, the executed notebook
  (papermill marks the error cell) is kept at ``failed_path``. papermill writes once at the end,
  not after every cell (each write validates the whole notebook, in this process, under the GIL),
  so a notebook stopped by a timeout or a dead kernel leaves no partial copy.

papermill, nbclient and jupyter_client are imported here, so import this module lazily.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from queue import Empty
from typing import TYPE_CHECKING, Any

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.channels import AsyncZMQSocketChannel
from jupyter_client.manager import AsyncKernelManager
from traitlets import DottedObjectName, Type, default

from ziyang_lib.errors import KernelStall, NotebookExecutionError
from ziyang_lib.files import temp_sibling
from ziyang_lib.pipeline import kernels
from ziyang_lib.pipeline.kernels import DEFAULT_TIMEOUT, DEFAULT_TIMEOUT_CELL, stop_all_kernels
from ziyang_lib.pipeline.lean_imports import skip_unused

if TYPE_CHECKING:
    from ziyang_lib.pipeline.warm_kernel import WarmKernel

__all__ = ["ExecutionResult", "SlicedKernelManager", "execute_notebook", "stop_all_kernels"]

POLL_SLICE = 0.2
"""Longest single zmq poll, in seconds, while waiting for a kernel message."""

KERNEL_NAME = "python3"
START_TIMEOUT = 60

log = logging.getLogger(__name__)


class SlicedChannel(AsyncZMQSocketChannel):
    """A kernel channel whose ``get_msg`` waits in zmq polls of at most :data:`POLL_SLICE` s.

    The stock channel awaits one poll for the whole timeout (forever when ``timeout`` is None)
    and relies on the event loop noticing the socket's edge-triggered file descriptor. Here each
    slice ends with a real ``zmq_poll``, so a message whose wake-up was missed is still returned
    within one slice. ``queue.Empty`` is raised only once the caller's whole timeout has passed.
    """

    async def get_msg(self, timeout: float | None = None) -> dict[str, Any]:  # type: ignore[override]
        """Return the next message, waiting at most `timeout` seconds (None: no limit)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            socket = self.socket
            if socket is None or socket.closed:
                # Closed while waiting: end the way the stock channel's pending poll ends.
                raise asyncio.CancelledError
            wait = POLL_SLICE
            if deadline is not None:
                wait = min(wait, max(0.0, deadline - time.monotonic()))
            if await socket.poll(int(wait * 1000)):
                return await self._recv()
            if deadline is not None and time.monotonic() >= deadline:
                raise Empty


class SlicedKernelClient(AsyncKernelClient):
    """An async kernel client whose zmq channels are :class:`SlicedChannel`."""

    shell_channel_class = Type(SlicedChannel)  # type: ignore[assignment]
    iopub_channel_class = Type(SlicedChannel)  # type: ignore[assignment]
    stdin_channel_class = Type(SlicedChannel)  # type: ignore[assignment]
    control_channel_class = Type(SlicedChannel)  # type: ignore[assignment]


class SlicedKernelManager(AsyncKernelManager):
    """An async kernel manager handing out :class:`SlicedKernelClient` over IPC sockets."""

    client_class = DottedObjectName(f"{__name__}.SlicedKernelClient")
    client_factory = Type(SlicedKernelClient)  # type: ignore[assignment]

    @default("transport")
    def _transport_default(self) -> str:
        return "ipc"

    @default("connection_file")
    def _connection_file_default(self) -> str:
        # the IPC sockets go beside it: "<file stem>-ipc-<port>" (jupyter_client's default ip)
        return str(kernels.kernel_folder() / f"{uuid.uuid4().hex[:12]}.json")

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
        if kernels.stopping():
            raise RuntimeError("not starting a kernel: the run is being stopped")
        await super()._async_launch_kernel(kernel_cmd, **kw)
        kernels.register(self)


@dataclass(frozen=True)
class ExecutionResult:
    """A notebook that ran to the end: where it is, the executed notebook, time and attempts."""

    notebook: Path
    output_path: Path
    nb: Any = field(repr=False)
    seconds: float
    attempts: int


class _QuietUnknownParameter(logging.Filter):
    """Drop papermill's own parameter warnings: `ziyang_lib.pipeline.params` validated them."""

    def filter(self, record: logging.LogRecord) -> bool:
        msg = record.getMessage()
        return not msg.startswith(("Passed unknown parameter", "Unable to parse line"))


def _papermill() -> Any:
    skip_unused()
    import papermill

    logger = logging.getLogger("papermill")
    if not any(isinstance(f, _QuietUnknownParameter) for f in logger.filters):
        logger.addFilter(_QuietUnknownParameter())
        # Its errors ("Kernel died while waiting…") restate what NotebookExecutionError says in
        # one line, and asyncio's "Task was destroyed but it is pending" follows a cell stopped
        # by its timeout; without a handler Python's last-resort handler prints them to stderr.
        # An application that configures logging still receives them through the root logger.
        for name in ("papermill", "asyncio"):
            logging.getLogger(name).addHandler(logging.NullHandler())
    return papermill


def _source_index(nb_cells: list[Any], index: int) -> int:
    """Map a cell index of the executed notebook back to the source notebook."""
    injected = sum(
        1
        for cell in nb_cells[:index]
        if "injected-parameters" in cell.get("metadata", {}).get("tags", [])
        or "papermill-error-cell-tag" in cell.get("metadata", {}).get("tags", [])
    )
    return index - injected


def _failed_cell(nb_path: Path) -> tuple[int | None, str, str]:
    """Return (source cell index, ename, evalue) of the first error in an executed notebook."""
    import nbformat

    nb = nbformat.read(nb_path, as_version=4)
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return _source_index(nb.cells, i), out.get("ename", ""), out.get("evalue", "")
    return None, "CellExecutionError", "the notebook recorded an exception"


def _run_once(
    input_path: Path,
    tmp: Path,
    parameters: Mapping[str, object],
    timeout_cell: float,
    timeout_total: float,
    cwd: Path,
    kernel: WarmKernel | None = None,
) -> Any:
    """Run papermill once into `tmp` (in `kernel` if given, else in a kernel of its own).

    Raise KernelStall if the kernel died or never began (worth a retry), and
    NotebookExecutionError (kept notebook added by the caller) when a cell ran out of time.
    """
    if kernel is not None:
        kernel.start(cwd)  # it boots while papermill is imported
    pm = _papermill()
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    deadline = time.monotonic() + timeout_total
    state: dict[str, Any] = {"cell": None, "started": False, "injected": 0, "budget": False}

    def cell_timeout(_cell: Any) -> float:
        left = deadline - time.monotonic()
        state["budget"] = left < timeout_cell  # the notebook's budget is the tighter limit
        return max(0.01, min(timeout_cell, left))

    def on_start(notebook: Any = None, **_: Any) -> None:
        state["started"] = True
        state["nb"] = notebook  # nbclient's notebook: holds the outputs if a cell times out

    def on_cell(cell: Any, cell_index: int, **_: Any) -> None:
        injected = "injected-parameters" in cell.get("metadata", {}).get("tags", [])
        # the index in the source notebook: papermill's injected cell is not counted (a
        # failure inside it is reported at the parameters cell it follows)
        state["cell"] = cell_index - state["injected"] - (1 if injected else 0)
        state["injected"] += 1 if injected else 0

    reused = {"km": kernel.prepare(cwd)} if kernel is not None else {}
    clean = False
    try:
        nb = pm.execute_notebook(
            str(input_path),
            str(tmp),
            dict(parameters) or None,
            kernel_name=KERNEL_NAME,
            progress_bar=False,
            request_save_on_cell_execute=False,  # one write at the end: saves CPU under the GIL
            start_timeout=START_TIMEOUT,
            kernel_manager_class=SlicedKernelManager,
            shutdown_kernel="immediate",
            timeout_func=cell_timeout,
            on_notebook_start=on_start,
            on_cell_execute=on_cell,
            resources={"metadata": {"path": str(cwd)}},
            **reused,
        )
        clean = True
        return nb
    except CellTimeoutError:
        _write_partial(state.get("nb"), tmp)  # papermill writes nothing when a cell times out
        limit = (
            f"the notebook's time budget of {timeout_total:g} s (--timeout) ran out"
            if state["budget"]
            else f"the cell ran longer than {timeout_cell:g} s (--timeout-cell)"
        )
        raise NotebookExecutionError(
            input_path.name, state["cell"], "CellTimeoutError", f"{limit}; not retried"
        ) from None
    except DeadKernelError as exc:
        raise KernelStall(state["cell"], "DeadKernelError", first_line(exc)) from exc
    except RuntimeError as exc:
        if state["started"]:
            raise
        raise KernelStall(None, "KernelStartError", first_line(exc)) from exc
    finally:
        if kernel is not None:
            kernel.finish(clean)  # anything but a clean run ends the kernel


def _write_partial(nb: Any, path: Path) -> None:
    """Write the notebook as far as it ran (to be kept at failed_path); ignore if there is none."""
    if nb is None:
        return
    import nbformat

    try:
        nbformat.write(nb, str(path))
    except Exception as exc:  # the timeout is the error to report, not this
        log.warning("could not keep the timed-out notebook: %s", exc)


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (its class name if it has none)."""
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def execute_notebook(
    input_path: str | os.PathLike[str],
    output_path: str | os.PathLike[str],
    parameters: Mapping[str, object] | None = None,
    *,
    timeout_cell: float = DEFAULT_TIMEOUT_CELL,
    timeout_total: float = DEFAULT_TIMEOUT,
    cwd: str | os.PathLike[str] | None = None,
    failed_path: str | os.PathLike[str] | None = None,
    on_retry: Callable[[str], None] | None = None,
    kernel: WarmKernel | None = None,
) -> ExecutionResult:
    """Run a notebook with papermill in this process and write it atomically to `output_path`.

    `parameters` must already be validated (see :func:`ziyang_lib.pipeline.params.validate`).
    `cwd` is the kernel's working folder (default: the notebook's folder). On a cell error, a
    timeout or a second dead kernel, raise :class:`NotebookExecutionError` naming the cell
    (index into the source notebook's cells, from 0); the executed notebook is kept at
    `failed_path` (default: next to `output_path`, suffix ``.failed.ipynb``). `on_retry`
    receives a one-line reason before the retry (default: a logging warning). With `kernel`
    (a :class:`~ziyang_lib.pipeline.warm_kernel.WarmKernel` of the calling thread) the notebook
    runs in that kept kernel, reset first, instead of a kernel started for it.
    """
    if kernels.stopping():
        raise NotebookExecutionError(Path(input_path).name, None, "Stopped", "the run is stopping")
    src = Path(input_path).resolve()
    out = Path(output_path)
    failed = Path(failed_path) if failed_path else out.with_suffix(".failed.ipynb")
    work = Path(cwd) if cwd is not None else src.parent
    out.parent.mkdir(parents=True, exist_ok=True)
    began = time.monotonic()
    for attempt in (1, 2):
        tmp = temp_sibling(out, ".ipynb")
        try:
            nb = _run_once(src, tmp, parameters or {}, timeout_cell, timeout_total, work, kernel)
        except KernelStall as stall:
            reason = f"{src.name}: {stall}"
            if kernels.stopping():  # Ctrl-C or SIGTERM killed it on purpose
                tmp.unlink(missing_ok=True)
                raise NotebookExecutionError(
                    src.name, stall.cell_index, "Stopped", "the run was interrupted"
                ) from None
            if attempt == 1:
                tmp.unlink(missing_ok=True)
                (on_retry or log.warning)(f"{reason}; retrying once")
                continue
            kept = _keep(tmp, failed)
            raise NotebookExecutionError(
                src.name, stall.cell_index, stall.ename, stall.evalue, failed_path=kept
            ) from stall
        except NotebookExecutionError as timeout:  # a cell ran out of time: final
            kept = _keep(tmp, failed)
            raise NotebookExecutionError(
                src.name, timeout.cell_index, timeout.ename, timeout.evalue, failed_path=kept
            ) from None
        except BaseException as exc:
            if type(exc).__name__ != "PapermillExecutionError":
                tmp.unlink(missing_ok=True)
                raise
            kept = _keep(tmp, failed)
            index, ename, evalue = _failed_cell(Path(kept)) if kept else (None, exc.ename, "")
            raise NotebookExecutionError(src.name, index, ename, evalue, failed_path=kept) from None
        os.replace(tmp, out)
        return ExecutionResult(src, out, nb, time.monotonic() - began, attempt)
    raise AssertionError("unreachable")


def _keep(tmp: Path, failed: Path) -> str | None:
    """Move a failed run's notebook to `failed`; return its path, or None if none was written."""
    if not tmp.exists():
        return None
    failed.parent.mkdir(parents=True, exist_ok=True)
    os.replace(tmp, failed)
    return str(failed)
