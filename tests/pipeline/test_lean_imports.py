"""``ziyang-report`` imports nbformat and nbconvert without jsonschema's IRI checker."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

REPORT = Path(sys.executable).parent / "ziyang-report"


def imported(stderr: str) -> set[str]:
    """The modules a ``python -X importtime`` run imported, from its stderr."""
    return {line.rsplit("|", 1)[-1].strip() for line in stderr.splitlines() if "|" in line}


def test_an_export_skips_the_iri_checker_but_still_checks_the_notebook(tmp_path):
    assert importlib.util.find_spec("rfc3987_syntax") is not None, (
        "rfc3987_syntax is no longer installed: ziyang_lib.pipeline.lean_imports can go"
    )
    table = new_output("display_data", data={"text/html": "<p>1</p>", "text/plain": "1"})
    nb = new_notebook(cells=[new_markdown_cell("# t"), new_code_cell("1", outputs=[table])])
    good, bad = tmp_path / "good.ipynb", tmp_path / "bad.ipynb"
    nbformat.write(nb, good)
    nb.cells[1]["outputs"][0]["output_type"] = "nonsense"
    bad.write_text(json.dumps(nb), encoding="utf-8")
    run = [sys.executable, "-X", "importtime", str(REPORT), "export", "--lang", "en"]
    done = subprocess.run([*run, str(good)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    modules = imported(done.stderr)
    assert {"jsonschema", "nbformat", "nbconvert"} <= modules
    assert "lark" not in modules  # rfc3987_syntax's parser, compiled when it is imported
    refused = subprocess.run([*run, str(bad)], capture_output=True, text=True)
    assert refused.returncode != 0 and "nonsense" in refused.stderr
