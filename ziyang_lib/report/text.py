"""The one text catalogue: every label, title and sentence template in zh and en.

Entries live in ``ziyang_lib/report/catalogue/*.yaml`` as nested mappings whose leaves are
``{zh: ..., en: ...}``. The file name is the first part of the key: ``ui.yaml`` → ``ui.…``; a
page's words are in the file of its page (``leadership.yaml`` is notebook 01). A sentence leaf
may also hold ``slots: {field: provenance source}`` beside its templates (`slots`).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from ziyang_lib.truth.langs import LANGS, check_lang

__all__ = ["LANGS", "CATALOGUE_DIR", "catalogue", "check_lang", "slots", "t"]

CATALOGUE_DIR = Path(__file__).resolve().parent / "catalogue"
SLOTS = "slots"


def _is_leaf(node: Any) -> bool:
    return isinstance(node, dict) and bool(set(node) & set(LANGS)) and set(node) <= {*LANGS, SLOTS}


def _flatten(prefix: str, node: Any, out: dict[str, dict[str, str]], found: dict) -> None:
    if _is_leaf(node):
        out[prefix] = {k: str(v) for k, v in node.items() if k in LANGS}
        if SLOTS in node:
            found[prefix] = {str(k): str(v) for k, v in (node[SLOTS] or {}).items()}
        return
    if not isinstance(node, dict) or not node:
        raise ValueError(f"catalogue entry {prefix!r} must be a mapping of zh/en texts")
    for key, child in node.items():
        _flatten(f"{prefix}.{key}", child, out, found)


# libyaml's safe loader reads the catalogue about 8× faster than the pure-Python one (every page
# and the index read it); the same documents give the same data.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=1)
def _load() -> tuple[Mapping[str, Mapping[str, str]], dict[str, dict[str, str]]]:
    entries: dict[str, dict[str, str]] = {}
    found: dict[str, dict[str, str]] = {}
    for path in sorted(CATALOGUE_DIR.glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER) or {}
        _flatten(path.stem, data, entries, found)
    return MappingProxyType({k: MappingProxyType(v) for k, v in entries.items()}), found


def catalogue() -> Mapping[str, Mapping[str, str]]:
    """Every catalogue entry as ``{dotted.key: {"zh": ..., "en": ...}}``, read-only (every
    caller shares it; a notebook that wants other words adds them in its own cell)."""
    return _load()[0]


def slots(key: str) -> dict[str, str]:
    """The slots of sentence `key`: ``{field: provenance source}`` (empty if it has none)."""
    if key not in _load()[0]:
        raise KeyError(f"no catalogue entry {key!r}")
    return dict(_load()[1].get(key, {}))


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
