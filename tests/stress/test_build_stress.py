"""Stress: repeated forced builds of widget notebooks must never stall or need a retry.

Excluded by default (pytest addopts ``-m 'not stress'``); run with ``pytest -m stress``.
"""

from __future__ import annotations

import io

import pytest

from tests.support.project import WIDGET_CELLS, make_project, write_notebook
from ziyang_lib.pipeline.build import build

ROUNDS = 20  # the issue asks for 20 builds in a row


@pytest.mark.stress
@pytest.mark.slow
def test_repeated_forced_builds_never_stall(tmp_path):
    notebooks = make_project(tmp_path)
    for i in range(3, 6):  # three more widget notebooks: 5 notebooks × 2 languages per build
        write_notebook(notebooks / f"0{i}_more_widgets.ipynb", *WIDGET_CELLS, heading=f"# W{i}")
    out = tmp_path / "out"
    for n in range(ROUNDS):
        report = build(out, notebooks_dir=notebooks, force=True, progress_stream=io.StringIO())
        assert report.ok, (n, report.failed)
        assert len(report.executed) == 10 and report.retried == [], (n, report.retried)
