"""Small notebooks written on the fly, a tiny notebooks project, the CLI in a fresh interpreter.

``write_notebook(path, *cells, params=...)`` writes a notebook whose second cell is the tagged
``parameters`` cell; cells given as ``"# md text"`` strings starting with ``md:`` become markdown.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}
LANG_PARAM = 'lang: str = "zh"  # report language: zh or en'
# 01_alpha's other parameters; 02_widgets has none, so a -p title / data_dir applies to 01 only
ALPHA_PARAMS = '\ntitle: str = "alpha"  # a free text\ndata_dir: str = ""  # data folder'

WIDGET_CELLS = (
    "import ipywidgets as w\nfrom IPython.display import display\ndisplay(w.IntSlider(value=3))",
    "w.interact(lambda x: x * 2, x=5);",
    "w.Dropdown(options=['a', 'b'])",
    "print('widgets done', lang)",
)


def write_notebook(path: Path, *cells: str, params: str = LANG_PARAM, heading: str = "") -> Path:
    """Write a notebook: optional markdown heading, the parameters cell, then `cells`.

    A cell string starting with ``md:`` is a markdown cell, otherwise a code cell.
    """
    nb = new_notebook()
    param_cell = new_code_cell(params)
    param_cell.metadata["tags"] = ["parameters"]
    body = [
        new_markdown_cell(c.removeprefix("md:")) if c.startswith("md:") else new_code_cell(c)
        for c in cells
    ]
    nb.cells = ([new_markdown_cell(heading)] if heading else []) + [param_cell, *body]
    nb.metadata["kernelspec"] = KERNELSPEC
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def make_project(root: Path) -> Path:
    """Write a tiny notebooks folder (two small notebooks) under `root`; return the folder."""
    folder = root / "notebooks"
    write_notebook(
        folder / "01_alpha.ipynb",
        "from IPython.display import Markdown\nMarkdown('## lang: ' + lang)",
        "print(sum(range(10)))",
        "print('title:', title)",
        heading="# Alpha page",
        params=LANG_PARAM + ALPHA_PARAMS,
    )
    write_notebook(
        folder / "02_widgets.ipynb",
        "from IPython.display import Markdown\nMarkdown('# Widgets ' + lang)",
        *WIDGET_CELLS,
    )
    return folder


def run_cli_subprocess(*args: str, cwd: Path | None = None) -> tuple[int, str, str, list[str]]:
    """Run ``ziyang-report ARGS`` in a fresh interpreter.

    Return (exit code, stdout, stderr, heavy modules that were imported: papermill, nbclient,
    jupyter_client, nbconvert). An imported jupyter_client is the sign a kernel could have started.
    """
    code = (
        "import sys, json\n"
        "from ziyang_lib.pipeline.cli import main\n"
        "try:\n"
        f"    main({list(args)!r})\n"
        "    rc = 0\n"
        "except SystemExit as e:\n"
        "    rc = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)\n"
        "heavy = [m for m in ('papermill', 'nbclient', 'jupyter_client', 'nbconvert')"
        " if m in sys.modules]\n"
        "sys.stderr.write('\\n@@' + json.dumps(heavy))\n"
        "sys.exit(rc)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, timeout=300
    )
    stderr, _, tail = proc.stderr.rpartition("\n@@")
    return proc.returncode, proc.stdout, stderr, json.loads(tail)
