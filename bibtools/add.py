"""Add papers to a bibliography by DOI or arXiv id (``bibtools add``).

Records are fetched (``enrich.fetch``), given a citation key from the project's
key pattern (``bibtools.keys``), and merged into the library.
A paper the library already holds is merged into its entry, not added twice.
"""
from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field

from .diagnostics import Diagnostic
from .enrich import fetch
from .keys import generate_key, unique_key
from .merge import MergeResult, merge
from .model import Item, Library
from .net.http import HttpClient


def fresh_key(item: Item, taken: Iterable[str]) -> str:
    """The project's key pattern (``stanley2016Heat``); ``a``, ``b``... appended while taken."""
    return unique_key(generate_key(item) or "ref", set(taken))


@dataclass
class AddResult:
    added: list[Item] = field(default_factory=list)
    already: list[tuple[Item, str]] = field(default_factory=list)  # (fetched, key of the entry it merged into)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    base: Library | None = None  # the library before the merge (for minimal-diff .bib edits)
    merge: MergeResult | None = None


def add_identifiers(identifiers: Iterable[str], library: Library, *, client: HttpClient) -> AddResult:
    """Fetch each identifier and merge its record into ``library`` (in place) with ``bibtools.merge``.

    A paper the library already holds (same DOI, arXiv id, or title/authors)
    is merged into that entry (which may gain fields), not added twice.
    """
    result = AddResult()
    items, result.diagnostics = fetch(identifiers, client=client)
    taken = list(library.keys())
    for item in items:
        item.id = fresh_key(item, taken)
        taken.append(item.id)
    if not items:
        return result
    result.base = Library(copy.deepcopy(library.items))
    merged = merge(library, Library(items))
    result.merge = merged
    library.items[:] = merged.library.items
    library._index = None
    into = {incoming: target for incoming, target, _ in merged.report.matched}
    new_key = dict(merged.report.new)
    for item in items:
        if item.id in into:
            result.already.append((item, into[item.id]))
        else:
            item.id = new_key.get(item.id, item.id)
            result.added.append(item)
    return result
