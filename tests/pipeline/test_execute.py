"""execute: the hardened path — sliced zmq polls, widget notebooks, errors, timeouts, retries."""

from __future__ import annotations

import asyncio
import json
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from queue import Empty

import pytest
import zmq
import zmq.asyncio
from jupyter_client.channels import AsyncZMQSocketChannel
from jupyter_client.session import Session

from ziyang_lib.errors import NotebookExecutionError
from ziyang_lib.pipeline.execute import POLL_SLICE, SlicedChannel, execute_notebook

# -- the channel, on real zmq sockets ---------------------------------------------------------


async def _missed_wakeup(channel_cls: type, bound: float) -> dict | None:
    """Make a message arrive while its wake-up is lost, then wait for it at most `bound` s.

    The receiving socket is an asyncio zmq socket waiting in ``get_msg(timeout=None)`` (as nbclient
    waits for ``execute_reply``). While the event loop is blocked, a message arrives and a second
    handle on the same socket reads ``zmq.EVENTS``: that consumes the edge-triggered notification,
    so the loop's selector never sees the socket readable, although the message is there.
    Return the message, or None if the channel did not deliver it within `bound` seconds.
    """
    actx = zmq.asyncio.Context()
    ctx = zmq.Context()
    rx = actx.socket(zmq.PAIR)
    tx = ctx.socket(zmq.PAIR)
    try:
        port = rx.bind_to_random_port("tcp://127.0.0.1")
        tx.connect(f"tcp://127.0.0.1:{port}")
        session = Session(key=b"test")
        channel = channel_cls(rx, session)
        waiting = asyncio.ensure_future(channel.get_msg(timeout=None))
        await asyncio.sleep(0.05)  # the channel is now polling
        session.send(tx, "probe", {"n": 1})
        time.sleep(0.1)  # loop blocked: the message lands in rx meanwhile
        zmq.Socket.shadow(rx.underlying).get(zmq.EVENTS)  # consumes the wake-up
        try:
            return await asyncio.wait_for(waiting, bound)
        except TimeoutError:
            return None
    finally:
        tx.close(linger=0)
        rx.close(linger=0)
        ctx.term()
        actx.term()


def test_stock_channel_misses_a_lost_wakeup():
    """Control: the scenario really loses the wake-up for jupyter_client's own channel."""
    assert asyncio.run(_missed_wakeup(AsyncZMQSocketChannel, bound=1.0)) is None


def test_sliced_channel_recovers_a_lost_wakeup():
    msg = asyncio.run(_missed_wakeup(SlicedChannel, bound=25 * POLL_SLICE))
    assert msg is not None
    assert msg["msg_type"] == "probe" and msg["content"] == {"n": 1}


def test_sliced_channel_raises_empty_only_after_the_whole_timeout():
    async def wait_for_nothing() -> str:
        actx = zmq.asyncio.Context()
        rx = actx.socket(zmq.PAIR)
        rx.bind_to_random_port("tcp://127.0.0.1")
        try:
            channel = SlicedChannel(rx, Session(key=b"test"))
            started = time.monotonic()
            try:
                await channel.get_msg(timeout=3 * POLL_SLICE)
            except Empty:
                return "empty" if time.monotonic() - started >= 3 * POLL_SLICE else "early"
            return "message"
        finally:
            rx.close(linger=0)
            actx.term()

    assert asyncio.run(wait_for_nothing()) == "empty"


# -- real kernels -------------------------------------------------------------------------------


@pytest.mark.slow
def test_widget_notebook_completes_every_time(widget_notebook, tmp_path):
    """20 runs, two at a time (as the build runs them); none may stall, none may need a retry."""

    def one(i: int) -> tuple[int, str]:
        out = tmp_path / f"out{i}.ipynb"
        result = execute_notebook(widget_notebook, out, {"lang": "en"}, timeout_cell=60)
        last = json.loads(out.read_text(encoding="utf-8"))["cells"][-1]
        return result.attempts, "".join(last["outputs"][0]["text"])

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(one, range(20)))
    assert [attempts for attempts, _ in results] == [1] * 20
    assert {text for _, text in results} == {"widgets done en\n"}


@pytest.mark.slow
def test_parameters_are_injected_and_kernel_runs_in_cwd(notebook_factory, tmp_path):
    nb = notebook_factory("p.ipynb", "import os\nprint(lang, os.getcwd())")
    work = tmp_path / "work"
    work.mkdir()
    out = tmp_path / "out" / "p.ipynb"
    result = execute_notebook(nb, out, {"lang": "en"}, cwd=work)
    text = result.nb.cells[-1].outputs[0].text
    assert text.split() == ["en", str(work)]
    assert out.is_file() and result.attempts == 1
    assert not list(out.parent.glob(".*"))  # no temporary file left behind


@pytest.mark.slow
def test_cell_error_names_cell_and_keeps_failed_notebook(notebook_factory, tmp_path):
    nb = notebook_factory("bad.ipynb", "x = 1", "md:text", "1 / 0", "print('never')")
    out = tmp_path / "out.ipynb"
    failed = tmp_path / "failed" / "bad.ipynb"
    retries: list[str] = []
    with pytest.raises(NotebookExecutionError) as info:
        execute_notebook(nb, out, {"lang": "en"}, failed_path=failed, on_retry=retries.append)
    err = info.value
    # source cells: 0 parameters, 1 x = 1, 2 markdown, 3 the failing one
    assert (err.notebook, err.cell_index, err.ename) == ("bad.ipynb", 3, "ZeroDivisionError")
    assert "division by zero" in err.evalue and "cell 3" in str(err)
    assert err.failed_path == str(failed) and not out.exists()
    kept = json.loads(failed.read_text(encoding="utf-8"))
    assert any(c["metadata"].get("papermill", {}).get("exception") for c in kept["cells"])
    assert retries == []  # a cell error is not retried


@pytest.mark.slow
def test_a_timed_out_cell_is_not_retried_and_keeps_its_notebook(notebook_factory, tmp_path):
    nb = notebook_factory("slow.ipynb", "x = 1", "import time\ntime.sleep(60)")
    retries: list[str] = []
    failed = tmp_path / "failed.ipynb"
    began = time.monotonic()
    with pytest.raises(NotebookExecutionError) as info:
        execute_notebook(
            nb, tmp_path / "o.ipynb", {"lang": "en"}, timeout_cell=1.5, failed_path=failed,
            on_retry=retries.append,
        )  # fmt: skip
    err = info.value
    assert err.ename == "CellTimeoutError" and err.cell_index == 2  # source cell 2, not 3
    assert "longer than 1.5 s (--timeout-cell); not retried" in str(err)
    assert retries == [] and err.failed_path == str(failed) and failed.is_file()
    print(f"timed out after {time.monotonic() - began:.1f} s")  # one timeout, not two


@pytest.mark.slow
def test_whole_notebook_budget_bounds_many_short_cells(notebook_factory, tmp_path):
    cells = ["import time\ntime.sleep(0.8)"] * 12  # 9.6 s of cells, each far under timeout_cell
    nb = notebook_factory("long.ipynb", *cells)
    retries: list[str] = []
    with pytest.raises(NotebookExecutionError) as info:
        execute_notebook(
            nb, tmp_path / "o.ipynb", {}, timeout_cell=30, timeout_total=3, on_retry=retries.append
        )
    assert info.value.ename == "CellTimeoutError" and retries == []
    assert "time budget of 3 s (--timeout) ran out" in str(info.value)
    # the whole-notebook budget stopped it before the last cell (where it stops depends on load)
    assert info.value.cell_index is not None and info.value.cell_index < len(cells) - 1


@pytest.mark.slow
def test_a_dead_kernel_is_retried_once_then_reported(notebook_factory, tmp_path):
    nb = notebook_factory("dies.ipynb", "import os\nos._exit(1)")
    retries: list[str] = []
    with pytest.raises(NotebookExecutionError) as info:
        execute_notebook(nb, tmp_path / "o.ipynb", {}, timeout_cell=30, on_retry=retries.append)
    assert info.value.ename == "DeadKernelError" and len(retries) == 1


@pytest.mark.slow
@pytest.mark.parametrize("params", [{}, {"lang": "en"}])  # with and without an injected cell
def test_a_raising_cell_and_a_dying_kernel_are_counted_alike(notebook_factory, tmp_path, params):
    """Source cells: 0 heading, 1 parameters, 2 x = 1, 3 markdown, 4 the failing cell."""
    indexes = {}
    for name, cell in (("raises", "raise ValueError('no')"), ("dies", "import os\nos._exit(1)")):
        nb = notebook_factory(f"{name}.ipynb", "x = 1", "md:text", cell, heading="# H")
        with pytest.raises(NotebookExecutionError) as info:
            execute_notebook(nb, tmp_path / f"{name}.out.ipynb", params, on_retry=lambda _: None)
        indexes[name] = info.value.cell_index
    assert indexes == {"raises": 4, "dies": 4}


def test_execution_result_paths_are_paths(tmp_path):
    """The public result type carries Paths (cheap check that needs no kernel)."""
    from ziyang_lib.pipeline.execute import ExecutionResult

    r = ExecutionResult(Path("a.ipynb"), tmp_path / "b.ipynb", None, 1.0, 1)
    assert r.output_path.parent == tmp_path and r.attempts == 1
