"""How ``ziyang-report`` ends: one line on stderr and the documented exit code.

A :class:`~ziyang_lib.errors.ZiyangError` exits with its class's ``exit_code`` (1, 2, 3 or
4). Ctrl-C (SIGINT) and SIGTERM, which is raised as :class:`~ziyang_lib.errors.Terminated` in
the main thread, stop every kernel this process started at once and exit 130 and 143; a second
signal during that clean-up is ignored. Also the ``--timeout-cell``/``--timeout`` options
shared by ``build`` and ``run``.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable
from functools import wraps
from typing import Any

import click

from ziyang_lib.errors import Terminated, ZiyangError, one_line

EXIT_FAILED = 1
EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143  # 128 + SIGINT, 128 + SIGTERM


def fail(message: str, code: int) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def errors_to_exit_codes(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn ziyang errors into one-line messages and the documented exit codes."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        previous = _raise_on_sigterm()
        try:
            return func(*args, **kwargs)
        except ZiyangError as exc:
            fail(one_line(exc), exc.exit_code)
        except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM raised as Terminated
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # one signal is enough: clean up
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            _stop_kernels()
            name = "terminated (SIGTERM)" if isinstance(exc, Terminated) else "interrupted"
            code = EXIT_TERMINATED if isinstance(exc, Terminated) else EXIT_INTERRUPTED
            fail(f"{name}: kernels stopped, earlier pages and notebooks kept as they were", code)
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)

    return wrapper


def _raise_on_sigterm() -> Any:
    """Make SIGTERM raise Terminated in the main thread (as Ctrl-C raises KeyboardInterrupt)."""

    def handler(signum: int, frame: Any) -> None:
        raise Terminated()

    try:
        return signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread (e.g. a test runner's worker): leave it alone
        return None


def _stop_kernels() -> None:
    execute = sys.modules.get("ziyang_lib.pipeline.execute")
    if execute is not None:
        execute.stop_all_kernels()


def timeout_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--timeout-cell`` and ``--timeout``: seconds for one cell and for one whole notebook."""
    from ziyang_lib.pipeline.kernels import DEFAULT_TIMEOUT, DEFAULT_TIMEOUT_CELL

    for name, default, what in (
        ("timeout", DEFAULT_TIMEOUT, "one notebook"),
        ("timeout_cell", DEFAULT_TIMEOUT_CELL, "one cell"),
    ):
        func = click.option(
            "--" + name.replace("_", "-"),
            name,
            type=click.FloatRange(min=0, min_open=True),
            default=default,
            show_default=True,
            metavar="SECONDS",
            help=f"Longest run of {what}; the notebook then fails (not retried).",
        )(func)
    return func
