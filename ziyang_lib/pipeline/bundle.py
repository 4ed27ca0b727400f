"""The vendored plotly.js: a bundle with only the trace types the report's charts draw.

``ziyang_lib/pipeline/plotlyjs/`` holds ``plotly.min.js`` (npm ``plotly.js`` core plus the trace
modules the registered charts use, bundled and minified by esbuild), ``LICENSES.txt`` (plotly.js
and every package bundled in it) and ``bundle.json`` (plotly.js version, trace types, size,
sha256). ``make plotlyjs`` rebuilds all three from ``tools/plotlyjs`` (pinned package.json and
package-lock.json); node is needed for that target only, never to build the report.

The bundle must match the plotly Python package (``plotly.offline.get_plotlyjs_version()``), so
that figures serialised by it are drawn by the plotly.js they were made for.
``python -m ziyang_lib.pipeline.bundle args`` prints the version and trace types the bundle
needs (the make target passes them to the bundler); ``… check`` prints any problem and exits 1.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

BUNDLE_DIR = Path(__file__).resolve().parent / "plotlyjs"
BUNDLE_FILE = "plotly.min.js"
INFO_FILE = "bundle.json"
LICENCE_FILE = "LICENSES.txt"
REBUILD = "make plotlyjs"
_VERSION_IN_CODE = re.compile(r'\.version="(\d+\.\d+\.\d+[^"]*)"')


@dataclass(frozen=True)
class BundleInfo:
    """What ``bundle.json`` records about the vendored plotly.min.js."""

    plotlyjs_version: str
    traces: tuple[str, ...]
    bytes: int
    sha256: str


def bundle_path(folder: Path = BUNDLE_DIR) -> Path:
    """The vendored plotly.min.js (in `folder`, default the package's)."""
    return Path(folder) / BUNDLE_FILE


@lru_cache(maxsize=2)
def bundle_info(folder: Path = BUNDLE_DIR) -> BundleInfo:
    """Read ``bundle.json``."""
    data = json.loads((Path(folder) / INFO_FILE).read_text(encoding="utf-8"))
    return BundleInfo(
        plotlyjs_version=data["plotlyjs_version"],
        traces=tuple(data["traces"]),
        bytes=int(data["bytes"]),
        sha256=data["sha256"],
    )


@lru_cache(maxsize=2)
def bundle_source(folder: Path = BUNDLE_DIR) -> str:
    """Return the vendored plotly.min.js; raise ValueError if it is not the file recorded in
    ``bundle.json`` or could not be inlined in a ``<script>``."""
    path = bundle_path(folder)
    raw = path.read_bytes()
    recorded = bundle_info(folder).sha256
    digest = hashlib.sha256(raw).hexdigest()
    if digest != recorded:
        raise ValueError(f"{path} has sha256 {digest}, but {INFO_FILE} records {recorded}")
    text = raw.decode("utf-8")
    if "</script" in text.lower():
        raise ValueError(f"{path} contains '</script' and cannot be inlined")
    return text


def python_plotlyjs_version() -> str:
    """The plotly.js version the installed plotly Python package bundles (and serialises for)."""
    from plotly.offline import get_plotlyjs_version

    return get_plotlyjs_version()


def version_in_code(text: str) -> str | None:
    """The version plotly.js reports (``Plotly.version``), read from its minified source."""
    found = set(_VERSION_IN_CODE.findall(text))
    return found.pop() if len(found) == 1 else None


@lru_cache(maxsize=1)
def chart_trace_types() -> frozenset[str]:
    """Every trace type the registered charts draw, in both languages (builds every chart)."""
    from ziyang_lib.report.charts.registry import all_charts
    from ziyang_lib.report.text import LANGS

    charts = all_charts()
    return frozenset(trace.type for c in charts for lang in LANGS for trace in c.build(lang).data)


def problems(folder: Path = BUNDLE_DIR) -> list[str]:
    """What is wrong with the bundle in `folder` (empty when it is the one the report needs):
    a checksum that does not match, a plotly.js version other than the Python package's, or a
    trace type a registered chart draws that the bundle lacks."""
    info = bundle_info(folder)
    found = []
    try:
        code_version = version_in_code(bundle_source(Path(folder)))
    except ValueError as exc:
        return [f"{exc} (rebuild with `{REBUILD}`)"]
    wanted = python_plotlyjs_version()
    for what, version in (("bundle.json", info.plotlyjs_version), (BUNDLE_FILE, code_version)):
        if version != wanted:
            found.append(
                f"{what} says plotly.js {version}, the plotly Python package bundles {wanted}"
            )
    missing = sorted(chart_trace_types() - set(info.traces))
    if missing:
        found.append(f"the charts draw trace types the bundle lacks: {', '.join(missing)}")
    return [f"{problem} (rebuild with `{REBUILD}`)" for problem in found]


def main(argv: list[str] | None = None) -> int:
    """``args``: print ``VERSION TRACE …`` for the bundler; ``check``: print problems, exit 1."""
    command = (argv if argv is not None else sys.argv[1:]) or ["check"]
    if command == ["args"]:
        print(python_plotlyjs_version(), *sorted(chart_trace_types()))
        return 0
    if command == ["check"]:
        found = problems()
        for problem in found:
            print(f"plotly.js bundle: {problem}", file=sys.stderr)
        if not found:
            info = bundle_info()
            print(
                f"plotly.js bundle ok: {info.plotlyjs_version}, {info.bytes / 1e6:.2f} MB, "
                f"traces {' '.join(info.traces)}"
            )
        return 1 if found else 0
    print("usage: python -m ziyang_lib.pipeline.bundle [args|check]", file=sys.stderr)
    return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
