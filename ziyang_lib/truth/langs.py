"""The report's two languages. Data carries both (``label_zh``/``label_en``); so does every text."""

from __future__ import annotations

LANGS: tuple[str, ...] = ("zh", "en")


def check_lang(lang: str) -> str:
    """Return `lang` if it is supported, else raise ValueError naming the choices."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}; got {lang!r}")
    return lang
