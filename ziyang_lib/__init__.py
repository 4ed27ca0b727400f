"""ziyang: a bilingual, traceable report on Ziyang's 2020 poverty-alleviation summary.

The public API is re-exported lazily so that ``import ziyang_lib`` stays cheap (the build and the
CLI import only what they use).
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    "load_source": "source",
    "Source": "source",
    "extract_quantities": "extract",
    "load_indicators": "loaders",
    "load_mentions": "loaders",
    "load_glossary": "loaders",
    "load_events": "loaders",
    "indicator": "loaders",
    "Indicator": "loaders",
    "load_context": "context",
    "audit": "audit",
    "cagr": "metrics",
    "share": "metrics",
    "ratio": "metrics",
    "per_capita": "metrics",
    "Interval": "metrics",
    "t": "text",
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
