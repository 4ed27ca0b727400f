"""The vendored plotly.js bundle: right version, every trace type the charts draw, its checksum
and licences; checked against the real chart registry and, in chromium, against what the bundle
itself registers."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from tests.support.browser import browser  # noqa: F401  (session fixture)
from ziyang_lib.pipeline import bundle
from ziyang_lib.pipeline.html_export import plotlyjs_source

MAX_BUNDLE_BYTES = 2_000_000


def test_bundle_is_the_plotlyjs_version_the_python_package_bundles():
    wanted = bundle.python_plotlyjs_version()
    assert bundle.bundle_info().plotlyjs_version == wanted
    assert bundle.version_in_code(bundle.bundle_source()) == wanted


def test_bundle_has_every_trace_type_the_registered_charts_draw():
    used = bundle.chart_trace_types()
    assert {"bar", "scatter"} <= used  # the registry really was enumerated
    missing = used - set(bundle.bundle_info().traces)
    assert not missing, f"charts draw {sorted(missing)}, not in the bundle: run make plotlyjs"


def test_the_bundle_has_no_problems_and_the_pages_use_it():
    assert bundle.problems() == []
    assert plotlyjs_source() == bundle.bundle_path().read_text(encoding="utf-8")


def test_bundle_checksum_size_and_licences_are_recorded():
    info = bundle.bundle_info()
    raw = bundle.bundle_path().read_bytes()
    assert hashlib.sha256(raw).hexdigest() == info.sha256
    assert len(raw) == info.bytes <= MAX_BUNDLE_BYTES
    licences = (bundle.BUNDLE_DIR / bundle.LICENCE_FILE).read_text(encoding="utf-8")
    assert licences.index(f"plotly.js {info.plotlyjs_version} (MIT)\n\nMIT License") < 200
    recorded = json.loads((bundle.BUNDLE_DIR / bundle.INFO_FILE).read_text(encoding="utf-8"))
    names = {package["name"] for package in recorded["packages"]}
    assert {"plotly.js", "@plotly/d3", "d3-geo"} <= names
    for package in recorded["packages"]:
        assert f"{package['name']} {package['version']}" in licences


def copy_bundle(tmp_path: Path) -> Path:
    folder = tmp_path / "plotlyjs"
    shutil.copytree(bundle.BUNDLE_DIR, folder)
    return folder


def edit_info(folder: Path, **changes) -> None:
    path = folder / bundle.INFO_FILE
    info = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**info, **changes}), encoding="utf-8")


def test_a_bundle_of_another_plotlyjs_version_is_refused(tmp_path):
    folder = copy_bundle(tmp_path)
    edit_info(folder, plotlyjs_version="4.0.0")
    found = bundle.problems(folder)
    assert len(found) == 1 and "bundle.json says plotly.js 4.0.0" in found[0]
    assert "make plotlyjs" in found[0]


def test_a_bundle_without_a_trace_type_a_chart_draws_is_refused(tmp_path):
    folder = copy_bundle(tmp_path)
    traces = [name for name in bundle.bundle_info().traces if name != "waterfall"]
    edit_info(folder, traces=traces)
    assert bundle.problems(folder) == [
        "the charts draw trace types the bundle lacks: waterfall (rebuild with `make plotlyjs`)"
    ]


def test_a_bundle_that_is_not_the_recorded_file_is_refused(tmp_path):
    folder = copy_bundle(tmp_path)
    path = folder / bundle.BUNDLE_FILE
    path.write_bytes(path.read_bytes().replace(b'.version="', b'.version="9', 1))
    (found,) = bundle.problems(folder)
    assert "has sha256" in found and bundle.bundle_info().sha256 in found
    with pytest.raises(ValueError, match="has sha256"):
        bundle.bundle_source(folder)


def test_the_command_line_check_and_bundler_arguments(capsys):
    assert bundle.main(["args"]) == 0
    version, *traces = capsys.readouterr().out.split()
    assert version == bundle.python_plotlyjs_version()
    assert set(traces) == bundle.chart_trace_types()
    assert bundle.main(["check"]) == 0
    assert capsys.readouterr().out.startswith("plotly.js bundle ok: ")
    assert bundle.main(["nonsense"]) == 2


@pytest.mark.browser
def test_in_chromium_the_bundle_registers_exactly_its_recorded_traces(browser, tmp_path):  # noqa: F811
    page = tmp_path / "bundle.html"
    shutil.copy(bundle.bundle_path(), tmp_path / bundle.BUNDLE_FILE)
    page.write_text(
        '<!DOCTYPE html><meta charset="utf-8"><title>bundle</title>'
        f'<script src="{bundle.BUNDLE_FILE}"></script>',
        encoding="utf-8",
    )
    report = browser.open_page(
        page,
        evaluate={
            "version": "Plotly.version",
            "traces": "Object.keys(Plotly.PlotSchema.get().traces).sort()",
        },
    )
    assert report.errors == [] and report.external_requests == []
    assert report.values["version"] == bundle.python_plotlyjs_version()
    assert report.values["traces"] == sorted(bundle.bundle_info().traces)
