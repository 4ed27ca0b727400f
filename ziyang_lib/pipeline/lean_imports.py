"""The build's own process imports papermill, nbformat and nbconvert without what it never uses.

nbformat imports jsonschema, and jsonschema, when the optional ``rfc3987_syntax`` is installed
(JupyterLab's jupyter-events asks for it), imports it to check the ``iri`` string format; that
import compiles a Lark grammar, about a second of CPU in every process. Neither nbformat's
schemas nor the report's checks use that format, so the build's process marks the module
missing before jsonschema is first imported; jsonschema then leaves that one format unchecked,
as it does wherever the package is not installed. A process that imported jsonschema already,
or imports ``rfc3987_syntax`` itself first, is left as it is.
"""

from __future__ import annotations

import sys

UNUSED: tuple[str, ...] = ("rfc3987_syntax",)


def skip_unused() -> None:
    """Mark the modules in `UNUSED` missing, unless jsonschema or they are imported already."""
    if "jsonschema" in sys.modules:
        return
    for name in UNUSED:
        sys.modules.setdefault(name, None)  # type: ignore[assignment]  # import raises ImportError
