"""ziyang: a bilingual, traceable report on Ziyang's 2020 poverty-alleviation summary.

The public API is re-exported lazily so that ``import ziyang_lib`` stays cheap (the build and the
CLI import only what they use).
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    "load_source": "truth.source",
    "Source": "truth.source",
    "extract_quantities": "truth.extract",
    "find_relations": "truth.relations",
    "load_indicators": "truth.loaders",
    "load_mentions": "truth.loaders",
    "load_glossary": "truth.loaders",
    "load_events": "truth.loaders",
    "indicator": "truth.loaders",
    "Indicator": "truth.loaders",
    "load_context": "truth.context",
    "audit": "truth.checks",
    "cagr": "truth.metrics",
    "share": "truth.metrics",
    "ratio": "truth.metrics",
    "per_capita": "truth.metrics",
    "Interval": "truth.metrics",
    "t": "report.text",
    "audit_text": "report.relations_text",
    "DataError": "errors",
    "ParameterError": "errors",
    "ZiyangError": "errors",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'ziyang_lib' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"ziyang_lib.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({"__version__", *__all__})
