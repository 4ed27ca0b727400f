"""The one text catalogue: every label, title and sentence template in zh and en.

Entries live in ``ziyang_lib/report/catalogue/*.yaml`` as nested mappings whose leaves are
``{zh: ..., en: ...}``. The file name is the first part of the key: ``ui.yaml`` → ``ui.…``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ziyang_lib.truth.langs import LANGS, check_lang

__all__ = ["LANGS", "CATALOGUE_DIR", "catalogue", "check_lang", "t"]

CATALOGUE_DIR = Path(__file__).resolve().parent / "catalogue"


def _flatten(prefix: str, node: Any, out: dict[str, dict[str, str]]) -> None:
    if isinstance(node, dict) and set(node) <= set(LANGS) and node:
        out[prefix] = {k: str(v) for k, v in node.items()}
        return
    if not isinstance(node, dict):
        raise ValueError(f"catalogue entry {prefix!r} must be a mapping of zh/en texts")
    for key, child in node.items():
        _flatten(f"{prefix}.{key}", child, out)


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    """Return every catalogue entry as ``{dotted.key: {"zh": ..., "en": ...}}``."""
    entries: dict[str, dict[str, str]] = {}
    for path in sorted(CATALOGUE_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        _flatten(path.stem, data, entries)
    return entries


def t(key: str, lang: str, /, **values: Any) -> str:
    """Return the catalogue text for `key` in `lang`, formatted with `values` (str.format)."""
    check_lang(lang)
    try:
        entry = catalogue()[key]
    except KeyError:
        raise KeyError(f"no catalogue entry {key!r}") from None
    if lang not in entry:
        raise KeyError(f"catalogue entry {key!r} has no {lang!r} text")
    return entry[lang].format(**values) if values else entry[lang]
