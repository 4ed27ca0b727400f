"""``jupyter nbconvert --to ziyang EXECUTED.ipynb``: the report's offline page from nbconvert.

Registered as the ``ziyang`` exporter through the ``nbconvert.exporters`` entry point in
pyproject.toml. It makes the same page as ``ziyang-report export`` (`ziyang_lib.pipeline.export`)
and refuses the same notebooks; ``--ZiyangExporter.lang=en`` sets the page language when the
notebook carries no ``lang`` parameter.
"""

from __future__ import annotations

from typing import Any

from nbconvert.exporters import Exporter
from traitlets import Unicode, default

from ziyang_lib.pipeline.export import page_from_notebook


class ZiyangExporter(Exporter):
    """Executed notebook → one offline report page (charts drawn, no CDN, CSP)."""

    export_from_notebook = "ziyang report page"
    output_mimetype = "text/html"
    lang = Unicode(
        "", help="Page language, zh or en (default: the notebook's lang parameter)."
    ).tag(config=True)

    @default("file_extension")
    def _file_extension_default(self) -> str:
        return ".html"

    def from_notebook_node(  # type: ignore[override]
        self, nb: Any, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[str, dict[str, Any]]:
        nb_copy, resources = super().from_notebook_node(nb, resources, **kw)
        name = (resources.get("metadata") or {}).get("name") or "notebook"
        result = page_from_notebook(nb_copy, name=f"{name}.ipynb", lang=self.lang or None)
        resources["output_extension"] = self.file_extension
        return result.html, resources
