"""Parameter values as operators give them to papermill: ``-f FILE``, ``-y YAML``, ``-p N V``.

Later sources win (file, then ``-y``, then ``-p``, as in papermill) and each value remembers where
it came from, so an error names the file or option that holds the bad value. In ``build``, a
``lang`` value selects the languages, like ``--lang`` (a language name or a list of them).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ziyang_lib.errors import ParameterError
from ziyang_lib.pipeline.params import FOLDER_SUFFIX, load_params_file, parse_value
from ziyang_lib.truth.langs import LANGS

LANG = "lang"


@dataclass
class Collected:
    """Merged parameter values and, for each name, where its value came from."""

    values: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)

    def set(self, values: dict[str, Any], source: str) -> None:
        self.values.update(values)
        self.sources.update(dict.fromkeys(values, source))


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def collect(
    pairs: tuple[tuple[str, str], ...],
    params_file: Path | None = None,
    params_yaml: str | None = None,
) -> Collected:
    """Merge a params file, a ``-y`` YAML mapping and ``-p`` pairs (in that order, later wins).

    A relative ``*_dir`` folder becomes absolute (resolved where the command runs).
    """
    collected = Collected()
    if params_file is not None:
        try:
            collected.set(load_params_file(params_file), str(params_file))
        except (ValueError, OSError) as exc:
            raise ParameterError(str(params_file), "-f", str(exc)) from None
        except Exception as exc:  # a YAML syntax error
            raise ParameterError(str(params_file), "-f", _one_line(exc)) from None
    if params_yaml is not None:
        try:
            mapping = parse_value(params_yaml) if params_yaml.strip() else {}
        except Exception as exc:
            raise ParameterError("-y", "YAML", f"cannot read it: {_one_line(exc)}") from None
        if not isinstance(mapping, dict) or not all(isinstance(k, str) for k in mapping):
            raise ParameterError("-y", "YAML", "expected a mapping of parameter names to values")
        collected.set(mapping, "-y")
    for name, text in pairs:
        try:
            collected.set({name: parse_value(text)}, "-p")
        except Exception as exc:
            raise ParameterError("-p", name, f"cannot read {text!r}: {_one_line(exc)}") from None
    for name, value in collected.values.items():
        if name.endswith(FOLDER_SUFFIX) and isinstance(value, str) and value:
            if not os.path.isabs(value):
                collected.values[name] = str(Path(value).resolve())
    return collected


def build_langs(collected: Collected, lang_option: tuple[str, ...]) -> tuple[str, ...]:
    """Take ``lang`` out of `collected` and return the languages a build makes.

    ``lang`` (a name or a list of names, from a params file, ``-y`` or ``-p``) selects languages
    like ``--lang``; with ``--lang`` too, both must agree. Neither: every language.
    """
    if LANG not in collected.values:
        return tuple(dict.fromkeys(lang_option)) or LANGS
    source = collected.sources.pop(LANG)
    value = collected.values.pop(LANG)
    wanted = value if isinstance(value, list) else [value]
    for code in wanted:
        if code not in LANGS:
            problem = f"{code!r} is not one of {', '.join(map(repr, LANGS))}"
            raise ParameterError(source, LANG, problem)
    if not wanted:
        raise ParameterError(source, LANG, "an empty list selects no language")
    chosen = tuple(dict.fromkeys(wanted))
    if lang_option and set(lang_option) != set(chosen):
        problem = f"says {', '.join(chosen)} but --lang says {', '.join(lang_option)}"
        raise ParameterError(source, LANG, problem)
    return chosen
