"""Runs inside a reused kernel: record its clean state once, restore it before every later page.

The build keeps one kernel per worker across its pages (:mod:`ziyang_lib.pipeline.warm_kernel`).
Before the first page the kernel imports the page module and calls :func:`snapshot`; before each
further page it calls :func:`reset`, which gives the page what a fresh kernel that had imported
the same modules would give it:

* IPython's own reset with a new session: the user namespace (``__main__``) emptied and rebuilt,
  the output cache and history dropped, execution counts from 1 again;
* every cache of ``ziyang_lib`` cleared — its ``functools`` caches and its module-level dicts
  named ``_CACHE``, the library's only two kinds (``tests/pipeline/test_kernel_reuse.py`` holds
  it to that) — except those in `KEPT`: the validated data and the catalogue, which reach a page
  only as copies (frames), frozen records or read-only mappings, so no page can change what the
  next one is given (the same test tries); the data caches are keyed by the stamps of their
  files, so an edited file is read and checked again (the catalogue is part of the library,
  whose digest a build's manifest records: an edited catalogue rebuilds every page next time);
* the working folder (the page's), ``os.environ``, ``sys.path``, ``sys.argv``, the warning
  filters, the root logger's level and handlers, IPython's event callbacks and display
  formatters as the snapshot recorded them;
* plotly's default template, pandas' options, matplotlib's figures and rc settings, open
  ipywidgets, the seeds of ``random`` and numpy's global generator (drawn afresh, as a new
  process draws them) — each only if that library is loaded.

Module objects themselves stay imported (that is the point). What a page could still leave
behind is state kept inside a third-party module that none of the above covers, or a thread it
started; the report's notebooks do neither (see the build notes in docs/architecture.md).
"""

from __future__ import annotations

import gc
import importlib
import logging
import os
import random
import sys
import warnings
from dataclasses import dataclass
from typing import Any

LIBRARY = "ziyang_lib"
CACHE_NAME = "_CACHE"
"""The name of a module-level cache dict in the library (its other caches are functools')."""
KEPT: frozenset[str] = frozenset(
    {
        "ziyang_lib.truth.loaders._CACHE",  # the four tables: frames copied out, frozen records
        "ziyang_lib.truth.source._CACHE",  # the source: strings, frames copied out
        "ziyang_lib.truth.context._load",  # context.csv: copied out by load_context
        "ziyang_lib.truth.context._by_id",  # frozen ContextFigures
        "ziyang_lib.truth.mentions._mention_records",  # a tuple of frozen Mentions
        "ziyang_lib.report.text._load",  # the catalogue, read-only mappings
    }
)
"""The library caches a kept kernel keeps across pages (module.name)."""


@dataclass
class _State:
    environ: dict[str, str]
    path: list[str]
    argv: list[str]
    filters: list[Any]
    log_level: int
    log_handlers: list[logging.Handler]
    events: dict[str, list[Any]]
    printers: dict[str, tuple[dict[Any, Any], dict[Any, Any]]]
    plotly_template: Any
    pandas_options: dict[str, Any]


_clean: _State | None = None


def _shell() -> Any:
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None:
        raise RuntimeError("kernel_state runs inside an IPython kernel")
    return shell


def _plotly_template() -> Any:
    pio = sys.modules.get("plotly.io")
    return None if pio is None else pio.templates.default


def _pandas_options() -> dict[str, Any]:
    pandas = sys.modules.get("pandas")
    # pandas lists its options only in its config registry; its public reset_option("all")
    # would also validate plotting.backend, which imports matplotlib
    names = getattr(getattr(pandas, "_config", None), "config", None)
    registered = getattr(names, "_registered_options", {})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # deprecated options warn when read
        return {name: pandas.get_option(name) for name in registered} if pandas else {}


def snapshot(preload: tuple[str, ...] = ()) -> None:
    """Import the modules `preload`, then record the kernel's state as the state every page
    starts from.

    What the kernel holds then (the imported modules) lives as long as the kernel, so it is
    moved out of the garbage collector's sight (``gc.freeze``): the collection IPython's reset
    runs before each page then walks only what pages made, not every object of pandas and plotly.
    """
    global _clean
    for name in preload:
        importlib.import_module(name)
    gc.collect()
    gc.freeze()
    shell = _shell()
    root = logging.getLogger()
    _clean = _State(
        environ=dict(os.environ),
        path=list(sys.path),
        argv=list(sys.argv),
        filters=list(warnings.filters),
        log_level=root.level,
        log_handlers=list(root.handlers),
        events={name: list(hooks) for name, hooks in shell.events.callbacks.items()},
        printers={
            mime: (dict(f.type_printers), dict(f.deferred_printers))
            for mime, f in shell.display_formatter.formatters.items()
        },
        plotly_template=_plotly_template(),
        pandas_options=_pandas_options(),
    )


def reset(cwd: str) -> None:
    """Give the next page a clean kernel working in `cwd` (see the module notes)."""
    if _clean is None:
        raise RuntimeError("kernel_state.reset before snapshot")
    shell = _shell()
    shell.reset(new_session=True)
    _clear_library_caches()
    _restore_process(_clean, cwd)
    for name, hooks in _clean.events.items():
        shell.events.callbacks[name][:] = hooks
    for mime, (by_type, deferred) in _clean.printers.items():
        formatter = shell.display_formatter.formatters[mime]
        formatter.type_printers.clear()
        formatter.type_printers.update(by_type)
        formatter.deferred_printers.clear()
        formatter.deferred_printers.update(deferred)
    _reset_libraries(_clean)


def _clear_library_caches() -> None:
    for name, module in list(sys.modules.items()):
        if module is None or not (name == LIBRARY or name.startswith(LIBRARY + ".")):
            continue
        for attr, value in list(vars(module).items()):
            if f"{name}.{attr}" in KEPT:
                continue
            clear = getattr(value, "cache_clear", None)
            if callable(clear) and getattr(value, "__module__", None) == name:
                clear()
            elif attr == CACHE_NAME and isinstance(value, dict):
                value.clear()


def _restore_process(state: _State, cwd: str) -> None:
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(state.environ)
    sys.path[:] = state.path
    sys.argv[:] = state.argv
    warnings.resetwarnings()  # also forgets which warnings were already shown ("once")
    warnings.filters[:] = state.filters
    root = logging.getLogger()
    root.setLevel(state.log_level)
    root.handlers[:] = state.log_handlers


def _reset_libraries(state: _State) -> None:
    pio = sys.modules.get("plotly.io")
    wanted = state.plotly_template or "plotly"
    if pio is not None and pio.templates.default != wanted:
        # plotly's setter validates by building a copy of the whole template (≈10 ms); the
        # recorded default was valid when recorded, so it is set back as it was
        pio.templates._default = wanted
    if state.pandas_options:
        pandas = sys.modules["pandas"]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for name, value in state.pandas_options.items():
                if pandas.get_option(name) != value:
                    pandas.set_option(name, value)
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")
        sys.modules["matplotlib"].rc_file_defaults()
    widgets = sys.modules.get("ipywidgets")
    if widgets is not None:
        widgets.Widget.close_all()
    random.seed()
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        numpy.random.seed()
