"""Changing a bibliography file in place: ``update_file``, the one way bibtools rewrites a file.

``merge``, ``enrich``, ``keys`` and ``add`` all come here, so the policy lives once:

- the file's lock is held from before its bytes are read until after the new
  file is renamed over it, and the rename happens only if the file still holds
  the bytes that were read (a writer that does not take the lock is noticed);
- a format with an ``edit`` hook (BibTeX, BibLaTeX) is changed with a minimal
  diff: untouched entries, comments and layout stay byte for byte; a format
  without one is written whole;
- the text is written back in the encoding it was read in (with its BOM);
  when new text holds characters that encoding cannot, the format's ``ascii``
  writer option is tried, and only then UTF-8, with a warning;
- a dry run computes the same text and diff and writes nothing.
"""
from __future__ import annotations

import copy
import difflib
import os
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import registry
from .api import load_string
from .diagnostics import Diagnostic, warning
from .model import Item, Library
from .textio import Decoded, atomic_write_bytes, decode, encode, file_lock, read_bytes

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .merge import MergeResult
    from .passes import Pass

# ``change(library)`` edits the library in place (returning None), or returns the
# ``MergeResult`` to apply (``bibtools.merge`` output): its library is the new content.
Change = Callable[[Library], "MergeResult | None"]


class UpdateError(ValueError):
    """The file cannot be updated safely (nothing was written)."""


@dataclass
class UpdateResult:
    """What ``update_file`` did, or (dry run) would do."""

    path: Path
    format: str
    encoding: str  # the encoding the new text is (or would be) written in
    old_text: str
    new_text: str
    library: Library  # the content after the change
    merge: MergeResult | None = None  # what was applied, entry by entry (None: a whole rewrite)
    edited: bool = False  # True: the format's minimal-diff editor made ``new_text``
    written: bool = False
    backup: Path | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.new_text != self.old_text

    def diff(self, *, context: int = 3) -> str:
        """A unified diff from the old text to the new one ("" when nothing changes)."""
        name = str(self.path)
        lines = difflib.unified_diff(
            self.old_text.splitlines(keepends=True), self.new_text.splitlines(keepends=True),
            fromfile=name, tofile=name + " (new)", n=context,
        )
        return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def update_file(
    path: str | os.PathLike[str],
    change: Change,
    *,
    dry_run: bool = False,
    backup: bool = True,
    format: str | None = None,
    encoding: str | None = None,
    passes: Sequence[str | Pass] | None = None,
    lock_timeout: float | None = None,
    **load_options: Any,
) -> UpdateResult:
    """Load ``path``, let ``change`` modify the library, and write the result back safely.

    A missing file is an empty library (and is created if the change adds
    anything). ``format``/``encoding`` override detection; ``passes`` are the
    load passes (default: all). With ``backup`` the old file is kept as
    ``PATH.bak``. Raises ``UpdateError`` when the file cannot be changed
    safely, ``textio.FileBusy`` when another writer holds it too long, and
    ``textio.FileChanged`` when it changed under us; in each case nothing is
    written.
    """
    target = Path(path)
    with nullcontext() if dry_run else file_lock(target, timeout=lock_timeout):
        data, seen = read_bytes(target)
        decoded = decode(data, encoding, source=str(target)) if seen.exists else Decoded("", encoding or "utf-8")
        fmt = _format_of(target, decoded.text, format, writable=not dry_run)
        if decoded.text.strip():
            library = load_string(decoded.text, fmt.name, source=str(target), passes=passes, **load_options)
        else:
            library = Library()
        library.diagnostics[:0] = decoded.diagnostics
        originals = list(library.items)
        before = Library(copy.deepcopy(originals), strings=dict(library.strings),
                         preambles=list(library.preambles), comments=list(library.comments))
        outcome = change(library)
        merged = outcome if outcome is not None else _as_merge(before, originals, library)
        after = outcome.library if outcome is not None else library
        result = UpdateResult(target, fmt.name, decoded.encoding, decoded.text, decoded.text, after, merge=merged)
        result.diagnostics.extend(library.diagnostics)  # what loading found (the encoding's too)
        payload = _new_content(result, fmt, before, decoded)
        if dry_run or not result.changed:
            return result
        atomic_write_bytes(target, payload, backup=backup and seen.exists, expect=seen, lock_timeout=lock_timeout)
        result.written = True
        if backup and seen.exists:
            result.backup = target.with_name(target.name + ".bak")
        return result


def _format_of(target: Path, text: str, name: str | None, *, writable: bool) -> registry.Format:
    fmt = registry.get(name) if name else registry.detect(text if text.strip() else None, str(target))
    if fmt.write is None and writable:
        raise UpdateError(f"format {fmt.name!r} cannot be written, so {target} cannot be updated")
    return fmt


def _as_merge(before: Library, originals: list[Item], library: Library) -> MergeResult | None:
    """The change a ``change`` made in place, as a ``MergeResult``: items kept in their
    places (possibly edited) and items appended. ``None`` when items were removed or
    reordered (the file is then written whole)."""
    from .merge import MergeReport, MergeResult

    n = len(originals)
    if len(library.items) < n or any(a is not b for a, b in zip(library.items, originals)):
        return None
    changed = [old.id for old, new in zip(before.items, library.items) if old != new]
    return MergeResult(library, MergeReport(), changed=changed, added=[item.id for item in library.items[n:]])


def _new_content(result: UpdateResult, fmt: registry.Format, before: Library, decoded: Decoded) -> bytes:
    """Sets ``result.new_text`` (and how it was made); returns the bytes to write."""
    if fmt.write is None:  # a dry run over a read-only format: the caller converts ``result.library``
        return b""
    result.new_text, result.edited = _render(result, fmt, before, {})
    try:
        return encode(result.new_text, decoded.encoding, bom=decoded.bom)
    except UnicodeEncodeError as exc:
        first = exc
    if "ascii" in fmt.options:  # the writer can spell new characters in markup the encoding holds
        text, edited = _render(result, fmt, before, {"ascii": True})
        try:
            data = encode(text, decoded.encoding, bom=decoded.bom)
        except UnicodeEncodeError:
            pass
        else:
            result.new_text, result.edited = text, edited
            return data
    line = first.object.count("\n", 0, first.start) + 1
    result.encoding = "utf-8"
    result.diagnostics.append(warning(
        "encoding.changed",
        f"the new text holds {first.object[first.start]!r}, which {decoded.encoding} cannot; the file is written as UTF-8",
        source=str(result.path), line=line,
    ))
    return encode(result.new_text, "utf-8", bom=decoded.bom)


def _render(result: UpdateResult, fmt: registry.Format, before: Library, options: dict[str, Any]) -> tuple[str, bool]:
    """The new text: the format's minimal-diff editor when it has one and there is text to
    edit, else the writer over the whole library."""
    if fmt.edit is not None and result.merge is not None and result.old_text.strip():
        try:
            return fmt.edit(result.old_text, before, result.merge, **options), True
        except ValueError as exc:  # an entry to change is malformed in the file: refuse, never rewrite blindly
            raise UpdateError(f"{result.path}: {exc}") from None
    return fmt.write(result.library, **options), False  # type: ignore[misc]


__all__ = ["Change", "UpdateError", "UpdateResult", "update_file"]
