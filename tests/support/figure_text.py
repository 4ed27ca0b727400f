"""What a reader sees of a figure's text, for tests: whitespace-free text and every hover string."""

from __future__ import annotations

import html
import re
from typing import Any


def flat(text: str) -> str:
    """What a reader sees, whitespace-free: line breaks and tags dropped, entities decoded."""
    return re.sub(r"\s+", "", html.unescape(re.sub(r"<[^>]+>", "", text)))


def hover_texts(fig: Any) -> str:
    """Every hover string of a figure (hovertext, customdata, text), flattened."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("hovertext", "customdata", "text"):
                    found.extend(str(v) for v in (value if isinstance(value, list) else [value]))
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(fig.to_plotly_json()["data"])
    return flat(" ".join(found))
