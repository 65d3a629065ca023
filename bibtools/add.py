"""Add papers to a bibliography by DOI or arXiv id (``bibtools add``).

Records are fetched (``enrich.fetch``), given a citation key from the project's
key pattern (``bibtools.keys``), and merged into the library.
A paper the library already holds is merged into its entry, not added twice.
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field

from .diagnostics import Diagnostic
from .enrich import fetch
from .keys import generate_key, unique_key
from .merge import MergeResult, merge
from .model import Item, Library
from .net.http import HttpClient
from .update import UpdateResult, update_file


def fresh_key(item: Item, taken: Iterable[str]) -> str:
    """The project's key pattern (``stanley2016Heat``); ``a``, ``b``... appended while taken."""
    return unique_key(generate_key(item) or "ref", set(taken))


@dataclass
class AddResult:
    added: list[Item] = field(default_factory=list)
    already: list[tuple[Item, str]] = field(default_factory=list)  # (fetched, key of the entry it merged into)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    merge: MergeResult | None = None


def add_identifiers(identifiers: Iterable[str], library: Library, *, client: HttpClient) -> AddResult:
    """Fetch each identifier and merge its record into ``library`` (in place) with ``bibtools.merge``.

    A paper the library already holds (same DOI, arXiv id, or title/authors)
    is merged into that entry (which may gain fields), not added twice.
    """
    items, diagnostics = fetch(identifiers, client=client)
    result = add_items(items, library)
    result.diagnostics[:0] = diagnostics
    return result


def add_to_file(
    path: str | os.PathLike[str], identifiers: Iterable[str], *, client: HttpClient, format: str | None = None, lock_timeout: float | None = None
) -> tuple[AddResult, UpdateResult]:
    """Fetch the identifiers, then add them to the bibliography at ``path`` (created when
    missing) through ``update_file``: a .bib gains its new entries with a minimal diff.
    The network is asked before the file is locked, so the lock is held only briefly."""
    items, diagnostics = fetch(identifiers, client=client)
    results: list[AddResult] = []

    def add(library: Library) -> MergeResult | None:
        results.append(add_items(items, library))
        return results[-1].merge

    update = update_file(path, add, format=format, backup=False, lock_timeout=lock_timeout)
    results[-1].diagnostics[:0] = diagnostics
    return results[-1], update


def add_items(items: list[Item], library: Library) -> AddResult:
    """Merge fetched ``items`` into ``library`` (in place), each with a fresh key."""
    result = AddResult()
    taken = list(library.keys())
    for item in items:
        item.id = fresh_key(item, taken)
        taken.append(item.id)
    if not items:
        return result
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
