"""A build keeps one kernel per worker across its pages: pages stay isolated, failures restart it.

Real builds (papermill, nbclient, ipykernel), with every page on ONE worker (``jobs=1``), so the
pages of a test share a kernel unless one fails.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from tests.support.nbfixtures import executed  # noqa: F401  (the session fixture)
from tests.support.project import write_notebook
from ziyang_lib.pipeline.build import build

# Each page first looks for what an earlier page could have left, then leaves all of it itself;
# the pages are alike, so whichever runs second would see the first one's.
LOOK = """\
import os, sys
import plotly.io as pio
from ziyang_lib.report.text import catalogue, t
from ziyang_lib.truth.context import load_context
from ziyang_lib.truth.loaders import indicator, load_indicators
from ziyang_lib.truth.mentions import load_mention_records
from ziyang_lib.truth.source import load_source
from ziyang_lib.truth import loaders
warm = bool(loaders._CACHE)  # before this page loads anything: was the data kept?
FIRST = load_indicators()["id"].iloc[0]
seen = {
    "variable": "left_by_a_page" in globals(),
    "module name": "json" in globals(),
    "environment": "ZIYANG_LEFT" in os.environ,
    "working folder": os.path.realpath(os.getcwd()) != os.path.realpath(FOLDER),
    "sys.path": "/left/by/a/page" in sys.path,
    "catalogue": "left.by.a.page" in catalogue() or t("page.toc", "en") == "left_by_a_page",
    "source": "left_by_a_page" in load_source().paragraphs,
    "indicators": bool((load_indicators()["label_en"] == "left_by_a_page").any()),
    "indicator record": indicator(FIRST).label_en == "left_by_a_page",
    "context": bool((load_context()["title"] == "left_by_a_page").any()),
    "mentions": not load_mention_records(),
    "plotly template": pio.templates.default == "plotly_dark",
}
print("pid", os.getpid())
print("data already loaded", warm)
print("seen", __import__("json").dumps(seen))
"""
# Through the library's public API a page gets copies, frozen records and read-only mappings
# (so the kernel may keep the library's data caches across pages): each change below either
# raises or changes only the page's own copy.
LEAVE = """\
import dataclasses
import json
from operator import setitem
left_by_a_page = lang
os.environ["ZIYANG_LEFT"] = "1"
sys.path.append("/left/by/a/page")
def attempt(change):
    try:
        change()
    except (TypeError, dataclasses.FrozenInstanceError):
        pass
attempt(lambda: setitem(catalogue(), "left.by.a.page", {"zh": "x", "en": "x"}))
attempt(lambda: setitem(catalogue()["page.toc"], "en", "left_by_a_page"))
load_source().paragraphs["left_by_a_page"] = 1
load_indicators()["label_en"] = "left_by_a_page"
attempt(lambda: setattr(indicator(FIRST), "label_en", "left_by_a_page"))
load_context()["title"] = "left_by_a_page"
load_mention_records().clear()
pio.templates.default = "plotly_dark"
os.chdir("/")
"""


def _outputs(nb_path: Path) -> str:
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    return "".join(
        "".join(out.get("text", "")) for cell in nb["cells"] for out in cell.get("outputs", [])
    )


def _pid(text: str) -> int:
    match = re.search(r"^pid (\d+)$", text, re.MULTILINE)
    assert match, text
    return int(match.group(1))


@pytest.mark.slow
def test_a_page_sees_nothing_an_earlier_page_left_in_the_same_kernel(tmp_path):
    folder = tmp_path / "notebooks"
    for stem in ("01_first", "02_second", "03_third"):
        write_notebook(folder / f"{stem}.ipynb", LOOK.replace("FOLDER", repr(str(folder))), LEAVE)
    out = tmp_path / "out"
    report = build(out, notebooks_dir=folder, langs=("en",), jobs=1, progress_stream=io.StringIO())
    assert report.ok, report.failed
    assert sorted(report.executed) == ["en/01_first", "en/02_second", "en/03_third"]

    texts = [_outputs(out / "executed" / "en" / f"{s}.ipynb") for s in ("01_first", "02_second",
             "03_third")]  # fmt: skip
    assert len({_pid(text) for text in texts}) == 1  # one kernel ran every page
    # … and read the data once: the later pages found it loaded
    warm = [re.search(r"^data already loaded (\w+)$", t, re.MULTILINE).group(1) for t in texts]
    assert warm == ["False", "True", "True"]
    for text in texts:
        seen = json.loads(re.search(r"^seen (.*)$", text, re.MULTILINE).group(1))
        assert seen and not any(seen.values()), seen

    # each page is still papermill's own executed notebook, counted from 1
    nb = json.loads((out / "executed" / "en" / "03_third.ipynb").read_text(encoding="utf-8"))
    assert nb["metadata"]["papermill"]["parameters"] == {"lang": "en"}
    injected = [c for c in nb["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
    assert len(injected) == 1
    counts = [c["execution_count"] for c in nb["cells"] if c["cell_type"] == "code"]
    assert counts == list(range(1, len(counts) + 1))


@pytest.mark.slow
def test_a_page_that_fails_ends_its_kernel_and_the_next_page_gets_a_new_one(tmp_path):
    folder = tmp_path / "notebooks"
    pid = "import os\nprint('pid', os.getpid())"
    write_notebook(folder / "01_fails.ipynb", pid, "raise ValueError('on purpose')")
    write_notebook(folder / "02_after.ipynb", pid)
    write_notebook(folder / "03_next.ipynb", pid)
    out = tmp_path / "out"
    report = build(out, notebooks_dir=folder, langs=("en",), jobs=1, progress_stream=io.StringIO())
    assert list(report.failed) == ["en/01_fails"] and report.retried == []
    assert "ValueError: on purpose" in str(report.failed["en/01_fails"])
    failed = _pid(_outputs(out / "failed" / "en" / "01_fails.ipynb"))
    after = _outputs(out / "executed" / "en" / "02_after.ipynb")
    following = _pid(_outputs(out / "executed" / "en" / "03_next.ipynb"))
    assert _pid(after) != failed  # a fresh kernel after the failure …
    assert following == _pid(after)  # … which the next clean page keeps


def test_every_cache_of_the_library_is_one_the_reset_clears():
    """A module-level cache is a functools cache or a dict named ``_CACHE`` (kernel_state)."""
    import importlib
    import pkgutil

    import ziyang_lib
    from ziyang_lib.pipeline.kernel_state import CACHE_NAME

    odd = []
    for info in pkgutil.walk_packages(ziyang_lib.__path__, "ziyang_lib."):
        if info.name.endswith(("geo_build", "nbconvert_exporter")):
            continue  # optional extras' imports
        module = importlib.import_module(info.name)
        for attr, value in vars(module).items():
            container = isinstance(value, (dict, list, set))
            if container and "cache" in attr.lower() and attr != CACHE_NAME:
                odd.append(f"{info.name}.{attr}")
            if attr == CACHE_NAME and not isinstance(value, dict):
                odd.append(f"{info.name}.{attr}")
    assert odd == []


def test_the_caches_a_kept_kernel_keeps_exist():
    import importlib

    from ziyang_lib.pipeline.kernel_state import CACHE_NAME, KEPT

    for dotted in sorted(KEPT):
        module, attr = dotted.rsplit(".", 1)
        value = getattr(importlib.import_module(module), attr)
        assert callable(getattr(value, "cache_clear", None)) or attr == CACHE_NAME, dotted


def _shown(nb_path: Path) -> list[str]:
    """Every output of a page as JSON, without its execution count and widget views (ids)."""
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    shown = []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            out = {k: v for k, v in out.items() if k != "execution_count"}
            if "data" in out:
                out["data"] = {k: v for k, v in out["data"].items() if "widget" not in k}
            shown.append(json.dumps(out, sort_keys=True, ensure_ascii=False))
    return shown


@pytest.mark.slow
def test_report_pages_sharing_a_kernel_show_what_fresh_kernels_show(executed, tmp_path):  # noqa: F811
    """The real notebooks, two pages in one kernel, against their runs in fresh kernels."""
    out = tmp_path / "out"
    only = ["02_precision_measures", "03_broad_based_alleviation"]
    report = build(out, langs=("en",), only=only, jobs=1, progress_stream=io.StringIO())
    assert report.ok, report.failed
    for stem in only:
        shared = _shown(out / "executed" / "en" / f"{stem}.ipynb")
        assert shared and shared == _shown(executed.path(stem, "en")), stem
