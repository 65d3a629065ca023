"""One page's records: what was pasted, what it was read as, and what is wrong with it.

A workspace belongs to one page load (two tabs never share one). Records keep
a stable ``uid`` so the page can address one of them while its key changes.
"""
from __future__ import annotations

import itertools
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .. import registry
from ..api import load_string
from ..diagnostics import Diagnostic
from ..keys import unique_key
from ..model import Item, Library
from ..net.ids import classify

# Lint's own duplicate rule sees only the paste; ``find_duplicates`` below also
# compares the paste with the library, so the rule is not run twice.
LINT_IGNORE = ("BT003",)
MAX_IDENTIFIERS = 200  # a paste of more identifier lines than this is read as text


class PasteError(ValueError):
    """The paste is neither a bibliography bibtools reads nor a list of identifiers."""


@dataclass
class Record:
    uid: str
    item: Item
    detected: str  # the format it was read as ("bibtex", "ris", ...) or "doi"/"arxiv"
    findings: list[dict[str, Any]] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"uid": self.uid, "key": self.item.id, "title": self.item.title or "", "type": self.item.type,
                "detected": self.detected, "findings": self.findings, "duplicates": self.duplicates}


@dataclass
class PasteOutcome:
    added: list[Record]
    detected: str
    messages: list[str]


# Fetches the records for DOIs/arXiv ids: (identifiers) -> (items, problems).
Fetcher = Callable[[list[str]], tuple[list[Item], list[Diagnostic]]]


class FeatureMemo:
    """dedupe's features and blocking keys per item, computed once while the item lives
    (id -> (item, features, keys)); an item changed in place is ``forget``-ed first."""

    def __init__(self) -> None:
        self._memo: dict[int, tuple[Item, Any, set[str]]] = {}

    def _entry(self, item: Item) -> tuple[Item, Any, set[str]]:
        cached = self._memo.get(id(item))
        if cached is None or cached[0] is not item:
            from ..dedupe import Features, blocking_keys

            features = Features.of(item)
            cached = self._memo[id(item)] = (item, features, blocking_keys(features))
        return cached

    def of(self, item: Item) -> Any:
        return self._entry(item)[1]

    def keys(self, item: Item) -> set[str]:
        """``dedupe.blocking_keys`` of the item's features."""
        return self._entry(item)[2]

    def forget(self, item: Item) -> None:
        self._memo.pop(id(item), None)

    def keep_only(self, items: list[Item]) -> None:
        self._memo = {id(item): self._memo[id(item)] for item in items if id(item) in self._memo}


class Workspace:
    def __init__(self, wid: str, library_features: FeatureMemo | None = None) -> None:
        self.wid = wid
        self.records: list[Record] = []
        self._uids = itertools.count(1)
        self.rendered: dict[str, str] = {}  # uid -> the entry's last HTML (an edit keeps its number); goes with the page
        # an edit recomputes one record's features, not all; the library's are shared by every page
        self._features = FeatureMemo()
        self._library_features = library_features if library_features is not None else FeatureMemo()

    def by_uid(self, uid: str) -> Record:
        for record in self.records:
            if record.uid == uid:
                return record
        raise KeyError(uid)

    def library(self) -> Library:
        return Library([r.item for r in self.records])

    def remove(self, uid: str) -> None:
        self.records.remove(self.by_uid(uid))

    def paste(self, text: str, *, fetch: Fetcher | None, library: Library | None) -> PasteOutcome:
        """Read ``text`` (format detected, or identifiers looked up) and add its records."""
        identifiers = _identifiers(text)
        messages: list[str] = []
        if identifiers:
            if fetch is None:
                raise PasteError("this server cannot look identifiers up")
            items, problems = fetch(identifiers)
            kinds = {kind for kind, _ in (classify(i) or ("?", "") for i in identifiers)}
            detected = "/".join(sorted(kinds))
            pasted = Library(items, problems)
        else:
            try:
                fmt = registry.detect(text)
                pasted = load_string(text, fmt.name, source="paste")
            except registry.UnknownFormat as exc:
                raise PasteError(f"not recognised as a bibliography or as identifiers: {exc}") from None
            detected = fmt.name
        messages.extend(str(d) for d in pasted.problems)
        taken = {r.item.id for r in self.records}
        added: list[Record] = []
        for item in pasted.items:
            if identifiers:  # fetched records get the project's key pattern, as ``bibtools add`` gives them
                from ..add import fresh_key

                item.id = fresh_key(item, taken)
            elif not item.id or item.id in taken:
                item.id = unique_key(item.id or "ref", taken)
            taken.add(item.id)
            added.append(Record(f"r{next(self._uids)}", item, detected))
        self.records.extend(added)
        self.check(library)
        return PasteOutcome(added, detected, messages)

    def rename(self, uid: str, key: str) -> Record:
        key = key.strip()
        if not key or any(ch.isspace() or ch in ',{}"#%' for ch in key):
            raise ValueError(f"{key!r} cannot be a citation key (no spaces, commas, braces, quotes, # or %)")
        record = self.by_uid(uid)
        if any(r.item.id == key for r in self.records if r is not record):
            raise ValueError(f"another record is already keyed {key!r}")
        record.item.id = key
        return record

    def check(self, library: Library | None, *, edited: Record | None = None) -> None:
        """Lint findings and likely duplicates (of each other, and of the library) for every
        record; after an ``edited`` record changed, lint looks at that one alone (keys are kept
        unique by ``rename``, so no other record's findings can change)."""
        from ..dedupe import find_duplicates_features
        from ..lint import lint

        linted = [edited] if edited is not None else self.records
        by_key: dict[str, Record] = {r.item.id: r for r in linted}
        for record in linted:
            record.findings = []
        for record in self.records:
            record.duplicates = []
        if not self.records:
            return
        if edited is not None:
            self._features.forget(edited.item)
        for finding in lint(Library([r.item for r in linted]), ignore=LINT_IGNORE):
            target = by_key.get(finding.key or "")
            if target is not None:
                target.findings.append({"rule": finding.rule, "severity": finding.severity.value, "message": finding.message})
        base = list(library.items) if library is not None else []
        pasted = [r.item for r in self.records]
        items = base + pasted
        memos = [self._library_features] * len(base) + [self._features] * len(pasted)
        features = [memo.of(item) for memo, item in zip(memos, items)]
        keys = [memo.keys(item) for memo, item in zip(memos, items)]
        self._library_features.keep_only(base)  # a library read again is a new set of items
        self._features.keep_only(pasted)  # removed records are forgotten
        for pair in find_duplicates_features(features, keys=keys).pairs:
            a, b = sorted((pair.index_a, pair.index_b))
            if b < len(base):
                continue  # two library entries: not this page's business
            record = self.records[b - len(base)]
            where = "the library's" if a < len(base) else "pasted"
            record.duplicates.append(f"likely the same work as {where} {items[a].id!r} (score {pair.score:.2f})")


def _identifiers(text: str) -> list[str]:
    """The lines of ``text`` when every one is a DOI or arXiv id (or their URLs); else []."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines or len(lines) > MAX_IDENTIFIERS:
        return []
    return lines if all(classify(line) for line in lines) else []


class Workspaces:
    """The live workspaces, oldest dropped first beyond ``limit`` (a long-running server stays small)."""

    def __init__(self, limit: int = 32) -> None:
        self.limit = limit
        self._spaces: OrderedDict[str, Workspace] = OrderedDict()
        self.library_features = FeatureMemo()  # every page compares its records with the same library

    def new(self, wid: str) -> Workspace:
        self._spaces[wid] = space = Workspace(wid, self.library_features)
        while len(self._spaces) > self.limit:
            self._spaces.popitem(last=False)
        return space

    def get(self, wid: str) -> Workspace:
        space = self._spaces[wid]
        self._spaces.move_to_end(wid)
        return space


__all__ = ["FeatureMemo", "PasteError", "PasteOutcome", "Record", "Workspace", "Workspaces"]
