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
    items = combined.items
    parents = _crossref_targets(ctx)
    result = find([_trimmed(item) for item in items])
    for group in getattr(result, "groups", ()):
        members = [items[i] for i in group if 0 <= i < len(items)]
        if len(members) < 2:
            continue
        first = members[0]
        for item in members[1:]:
            if item.id == first.id:
                continue  # the same key twice is BT002's finding
            if first.id.lower() in parents.get(item.id, ()) or item.id.lower() in parents.get(first.id, ()):
                continue  # a paper and the proceedings it crossrefs share their titles by design
            where = first.origin
            at = f"{where.source}:{where.line}" if where and where.source and where.line else first.id
            origin = item.origin
            yield me.finding(f"probably the same work as {first.id!r} ({at})",
                             file=origin.source if origin else None, line=origin.line if origin else None, key=item.id)


_LONGEST = 2000  # no real title or venue is longer; a hostile 10 MB one must not stall matching


def _trimmed(item: Any) -> Any:
    """The item, or a shallow copy with over-long text fields cut (matching looks at their starts)."""
    long = {k: v[:_LONGEST] for k, v in item.fields.items() if isinstance(v, str) and len(v) > _LONGEST}
    many = {k: v[:1000] for k, v in item.fields.items() if isinstance(v, list) and len(v) > 1000}
    if not long and not many:
        return item
    from ..model import Item

    return Item(item.id, item.type, {**item.fields, **long, **many}, dict(item.extra), item.origin)


def _crossref_targets(ctx: Context) -> dict[str, set[str]]:
    """key -> lower-cased keys it names in crossref/xdata (from the raw BibTeX view)."""
    out: dict[str, set[str]] = {}
    for record in ctx.records():
        for name in ("crossref", "xdata"):
            fld = record.get(name)
            if fld is not None:
                out.setdefault(record.key, set()).update(t.strip().lower() for t in fld.text.split(",") if t.strip())
    return out
