"""The whole report, built once per test session (a helper module, not a test file).

Usage in a test module::

    from tests.support.site import report_site  # noqa: F401  (the session fixture)

    def test_x(report_site):
        page = report_site / "html" / "en" / "05_source.html"

`report_site` is the real report built by ``ziyang_lib.pipeline.build.build`` with a shared
plotly.js (``--plotlyjs directory``) in a folder any user may enter, as a web server's document
root would be; the files keep the build's own modes. Tests must not change it. A fixture imported
into several modules is a separate fixture in each, so the build is memoised here.
"""

from __future__ import annotations

import io
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

_MEMO: dict[str, Path] = {}
_LOCK = threading.Lock()
_USERS = 0


def _build() -> Path:
    from ziyang_lib.pipeline.build import build

    root = Path(tempfile.mkdtemp(prefix="ziyang-site-"))
    root.chmod(0o755)  # mkdtemp makes 0700; /srv-like, so the files' own modes decide
    out = root / "report"
    report = build(out, plotlyjs="directory", progress_stream=io.StringIO())
    assert report.ok, report.failed
    return out


@pytest.fixture(scope="session")
def report_site() -> Iterator[Path]:
    """Session fixture: the report built once (see the module docstring); the last module
    using it removes it."""
    global _USERS
    with _LOCK:
        if "site" not in _MEMO:
            _MEMO["site"] = _build()
        _USERS += 1
    try:
        yield _MEMO["site"]
    finally:
        with _LOCK:
            _USERS -= 1
            if _USERS == 0:
                shutil.rmtree(_MEMO.pop("site").parent, ignore_errors=True)
