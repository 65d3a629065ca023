"""Library -> Library steps run after every read, in order.

Each pass takes a ``Library``, may change its items, and appends any
``Diagnostic`` it finds to ``library.diagnostics``. Callers can run their own
list instead (``load(..., passes=[...])``), or none (``passes=()``).
"""
from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence

from .model import Library

Pass = Callable[[Library], None]

# Dotted names, so importing bibtools stays cheap; one line per pass.
DEFAULT_PASSES: tuple[str, ...] = (
    "bibtools.normalize.normalize",
    "bibtools.keys.assign_missing_keys",  # keep last: keys use normalised names
)


def resolve(name: str) -> Pass:
    module_name, _, attr = name.rpartition(".")
    return getattr(importlib.import_module(module_name), attr)


def run(library: Library, passes: Sequence[str | Pass] | None = None) -> Library:
    from .native import seal

    for step in DEFAULT_PASSES if passes is None else passes:
        (resolve(step) if isinstance(step, str) else step)(library)
    seal(library)  # what a read returns is the baseline a faithful write compares against
    return library
