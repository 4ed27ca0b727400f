"""Build progress: one live line per page on a terminal, plain log lines otherwise.

On a TTY the block of lines is redrawn in place (ANSI cursor movement) and running pages show their
elapsed time, refreshed by a small ticker thread. Elsewhere (CI logs, pipes) each state change is
one plain line: no carriage returns, no bars, no escape codes.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Sequence
from typing import TextIO

STATES = ("queued", "running", "retrying", "done", "failed", "up to date")
_FINAL = {"done", "failed", "up to date"}


class Progress:
    """Track the state of each job (by key) and show it on `stream`."""

    def __init__(
        self,
        keys: Sequence[str],
        stream: TextIO | None = None,
        *,
        live: bool | None = None,
        refresh: float = 0.5,
    ) -> None:
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty() if live is None else live
        self.keys = list(keys)
        self.state = dict.fromkeys(self.keys, "queued")
        self.detail = dict.fromkeys(self.keys, "")
        self.started: dict[str, float] = {}
        self.ended: dict[str, float] = {}
        self._lock = threading.Lock()
        self._drawn = 0
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None
        if self.live and self.keys:
            self._redraw()
            self._ticker = threading.Thread(target=self._tick, args=(refresh,), daemon=True)
            self._ticker.start()

    def update(self, key: str, state: str, detail: str = "") -> None:
        """Set `key` to `state` (one of STATES) with an optional one-line detail."""
        if state not in STATES:
            raise ValueError(f"unknown state {state!r}")
        now = time.monotonic()
        with self._lock:
            self.state[key], self.detail[key] = state, detail
            if state == "running":
                self.started.setdefault(key, now)
            if state in _FINAL:
                self.ended[key] = now
            if self.live:
                self._redraw()
            else:
                self._log(key)

    def close(self) -> None:
        """Stop the ticker and leave the final lines on screen."""
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
        with self._lock:
            if self.live and self.keys:
                self._redraw()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def elapsed(self, key: str) -> float | None:
        """Seconds `key` has been (or was) running, or None if it never ran."""
        if key not in self.started:
            return None
        return self.ended.get(key, time.monotonic()) - self.started[key]

    def line(self, key: str) -> str:
        """The text shown for `key`: name, state, elapsed time and detail."""
        width = max(len(k) for k in self.keys)
        text = f"{key:<{width}}  {self.state[key]:<10}"
        seconds = self.elapsed(key)
        if seconds is not None and (self.live or self.state[key] in _FINAL):
            text += f" {seconds:6.1f} s"
        if self.detail[key]:
            text += f"  {self.detail[key]}"
        return text

    def _log(self, key: str) -> None:
        self.stream.write(self.line(key).rstrip() + "\n")
        self.stream.flush()

    def _redraw(self) -> None:
        out = [f"\x1b[{self._drawn}F"] if self._drawn else []
        out += [f"\x1b[2K{self.line(k)}\n" for k in self.keys]
        self.stream.write("".join(out))
        self.stream.flush()
        self._drawn = len(self.keys)

    def _tick(self, refresh: float) -> None:
        while not self._stop.wait(refresh):
            with self._lock:
                if any(s in ("running", "retrying") for s in self.state.values()):
                    self._redraw()
