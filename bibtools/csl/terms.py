"""Term form fallback (CSL 1.0.2): a missing ``verb-short`` term falls back to
``verb`` and then to the long form, ``symbol`` and ``short`` to the long form.

citeproc-py returns nothing for a missing form, so "by" (the ``verb`` form of
``reviewed-author``) disappeared where a style asks for ``verb-short``.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .cptypes import Term

_NEXT_FORM: dict[str, str | None] = {"verb-short": "verb", "symbol": "short", "verb": None, "short": None}


def with_form_fallback(lookup: Callable[..., Term | None], name: str, form: str | None, *args: bool) -> Term | None:
    term = lookup(name, form, *args)
    while term is None and form in _NEXT_FORM:
        form = _NEXT_FORM[form]
        term = lookup(name, form, *args)
    return term
