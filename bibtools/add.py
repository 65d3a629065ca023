"""Add papers to a bibliography by DOI or arXiv id (``bibtools add``).

Records are fetched (``enrich.fetch``), given a citation key from the project's
key pattern (``bibtools.keys``), and merged into the library.
A paper the library already holds (same DOI or arXiv id) is not added twice.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .diagnostics import Diagnostic
from .enrich import fetch
from .keys import generate_key
from .model import Item, Library
from .net.http import HttpClient
from .net.ids import item_arxiv, item_doi


def fresh_key(item: Item, taken: Iterable[str]) -> str:
    """The project's key pattern (``stanley2016Heat``); ``a``, ``b``... appended while taken."""
    used = set(taken)
    stem = generate_key(item) or "ref"
    if stem not in used:
        return stem
    for suffix in "abcdefghijklmnopqrstuvwxyz":
        if stem + suffix not in used:
            return stem + suffix
    n = 2
    while f"{stem}_{n}" in used:
        n += 1
    return f"{stem}_{n}"


@dataclass
class AddResult:
    added: list[Item] = field(default_factory=list)
    already: list[tuple[Item, str]] = field(default_factory=list)  # (fetched, key of the item already there)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def _same_identifier(a: Item, b: Item) -> bool:
    for ident in (item_doi, item_arxiv):
        x, y = ident(a), ident(b)
        if x and y and x.lower() == y.lower():
            return True
    return False


def _merge(library: Library, items: list[Item]) -> list[tuple[Item, str]] | None:
    """Merge through ``bibtools.merge`` when it is installed (``None`` if it is not).

    Returns the fetched items that merge matched to an entry already there
    (with that entry's key); ``library`` is updated in place.
    """
    try:
        from .merge import merge  # type: ignore[attr-defined]
    except ImportError:
        return None
    result = merge(library, Library(items))
    added = set(result.added)
    library.items[:] = result.library.items
    library._index = None
    matched = {new: old for new, old, _ in getattr(result.report, "matched", [])}
    return [(item, matched.get(item.id, item.id)) for item in items if item.id not in added]


def add_identifiers(identifiers: Iterable[str], library: Library, *, client: HttpClient) -> AddResult:
    """Fetch each identifier and add its record to ``library`` (in place)."""
    result = AddResult()
    items, result.diagnostics = fetch(identifiers, client=client)
    new: list[Item] = []
    for item in items:
        there = next((old for old in [*library.items, *new] if _same_identifier(old, item)), None)
        if there is not None:
            result.already.append((item, there.id))
            continue
        item.id = fresh_key(item, [*library.keys(), *(i.id for i in new)])
        new.append(item)
    merged = _merge(library, new) if new else []
    if merged is None:  # no merge module: append with the fresh keys
        for item in new:
            library.add(item)
        merged = []
    result.already.extend(merged)
    taken = {id(item) for item, _ in merged}
    result.added = [item for item in new if id(item) not in taken]
    return result
