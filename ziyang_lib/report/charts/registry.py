"""Registry of every chart builder, so the figure export and tests can enumerate them.

A builder is registered with ``@register("00_overview", "headline")`` and must accept
``(lang: str = "zh", data_dir=None)`` and return a ``plotly.graph_objects.Figure``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

CHART_MODULES: tuple[str, ...] = (
    "overview",
    "leadership",
    "precision",
    "broad",
    "map",
    "context",
)


@dataclass(frozen=True)
class ChartSpec:
    """One registered chart: the notebook it belongs to, its id and its builder."""

    notebook: str
    chart_id: str
    build: Callable[..., Any]


_REGISTRY: dict[tuple[str, str], ChartSpec] = {}


def register(notebook: str, chart_id: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator: register `fn` as the builder of chart `chart_id` in `notebook`."""

    def wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
        key = (notebook, chart_id)
        if key in _REGISTRY and _REGISTRY[key].build is not fn:
            raise ValueError(f"chart {notebook}/{chart_id} is registered twice")
        _REGISTRY[key] = ChartSpec(notebook, chart_id, fn)
        return fn

    return wrap


def all_charts() -> list[ChartSpec]:
    """Import every chart module; return the charts by notebook, in registration order."""
    for name in CHART_MODULES:
        try:
            importlib.import_module(f"ziyang_lib.report.charts.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"ziyang_lib.report.charts.{name}":
                raise
    return sorted(_REGISTRY.values(), key=lambda s: s.notebook)
