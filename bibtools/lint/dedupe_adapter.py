"""BT003 through ``bibtools.dedupe``, imported lazily: lint works without it."""
from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Any

from .core import Context, Finding, Rule


def _find_duplicates() -> Any | None:
    try:
        module = importlib.import_module("bibtools.dedupe")
    except ImportError:
        return None
    return getattr(module, "find_duplicates", None)


def likely_duplicate_findings(ctx: Context, me: Rule) -> Iterator[Finding]:
    find = _find_duplicates()
    if find is None:
        return  # dedupe is not installed in this build: the rule has nothing to say
    from ..model import Library

    combined = Library()
    for unit in ctx.units:
        if unit.library is not None:
            combined.extend(unit.library)
    if len(combined) < 2:
        return
    for group in find(combined) or ():
        items = _items_of(group, combined)
        if len(items) < 2:
            continue
        first, rest = items[0], items[1:]
        for item in rest:
            origin = item.origin
            where = first.origin
            at = f"{where.source}:{where.line}" if where and where.source else first.id
            yield me.finding(f"probably the same work as {first.id!r} ({at})",
                             file=origin.source if origin else None, line=origin.line if origin else None, key=item.id)


def _items_of(group: Any, library: Any) -> list[Any]:
    """Accept the shapes a duplicate group may take: items, keys, or an object holding them."""
    for attr in ("items", "members", "entries"):
        if hasattr(group, attr):
            group = getattr(group, attr)
            break
    if isinstance(group, dict):
        group = list(group.values())
    out = []
    for member in group:
        if hasattr(member, "fields") and hasattr(member, "id"):
            out.append(member)
        elif isinstance(member, str) and member in library:
            out.append(library[member])
        elif hasattr(member, "item"):
            out.append(member.item)
    return out
