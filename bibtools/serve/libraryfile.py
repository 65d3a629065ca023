"""The library named on the command line: its state as a page saw it, and merges into it.

A page gets the file's fingerprint when it loads and sends it back with every merge;
a file that changed since (another tab, an editor) is refused, never overwritten.
The fingerprint is checked again inside ``update_file``'s lock, right before the
change, so nothing slips in between the check and the write.
"""
from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..api import load_file
from ..merge import MergeResult, merge
from ..model import Library
from ..update import UpdateResult, update_file

ABSENT = "absent"


class LibraryChanged(RuntimeError):
    """The file is not the one the page saw."""


def fingerprint(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return ABSENT


@dataclass
class MergeOutcome:
    diff: str
    summary: str
    fingerprint: str  # the file's, after the merge (or as it stands, for a preview)
    written: bool
    backup: str | None


class LibraryFile:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._cached: tuple[str, Library] | None = None

    def library(self) -> Library:
        """The file's records (re-read when the file changed)."""
        stamp = fingerprint(self.path)
        if self._cached is None or self._cached[0] != stamp:
            self._cached = (stamp, load_file(self.path) if stamp != ABSENT else Library())
        return self._cached[1]

    def merge(self, incoming: Library, expected: str, *, confirm: bool) -> MergeOutcome:
        """Merge ``incoming`` as ``bibtools merge`` does: the diff only, or (``confirm``) written
        atomically with a ``.bak``. Raises ``LibraryChanged`` when the file is not at ``expected``."""
        results: list[MergeResult] = []

        def change(library: Library) -> MergeResult:
            if fingerprint(self.path) != expected:
                raise LibraryChanged(f"{self.path} changed since this page loaded it; reload the page to see it")
            results.append(merge(library, Library(copy.deepcopy(incoming.items))))
            return results[-1]

        update: UpdateResult = update_file(self.path, change, dry_run=not confirm, backup=True)
        return MergeOutcome(update.diff(), results[-1].report.summary(), fingerprint(self.path), update.written,
                            str(update.backup) if update.backup else None)
