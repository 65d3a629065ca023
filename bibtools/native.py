"""What an item looked like in its own file, so a write in the same format can give it back.

A reader that can (BibTeX/BibLaTeX today) attaches a ``NativeRecord`` to each
item: the entry type and every field as written (name spelled as in the file,
the raw value expression with its braces, quotes, macro names and ``#``).
Once the read passes have run, ``seal`` takes a snapshot of the item's
CSL-shaped content. A writer for the same format then asks ``changed_parts``
which parts the user's command changed since (a variable, an ``extra`` field,
the type) and writes every other field as it was read.

The snapshot is frozen (tuples, not the live lists and ``Name``/``Date``
objects), so a command that edits a name list in place is still seen.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from .model import Date, FieldValue, Item, Library, Name

# One part of an item a command can change: a CSL variable, ``extra:<name>``, or ``type``.
Part = str
_Frozen = Union[str, tuple[object, ...]]


@dataclass(slots=True)
class NativeField:
    """One field as written: ``name`` as spelled, ``raw`` the value expression (``{..}``,
    ``".."``, a number, a macro name, or a ``#`` concatenation), ``value`` its evaluated
    text when that is not simply the raw without its delimiters (macros, ``#``)."""

    name: str
    raw: str
    value: str | None = None


@dataclass(slots=True)
class NativeRecord:
    format: str  # the reader's format name ("bibtex", "biblatex")
    entry_type: str  # as written, case kept ("Article")
    fields: list[NativeField]
    inherited: dict[str, str] | None = None  # crossref/xdata values (for --inline-crossref)
    parent_types: tuple[str, ...] = ()  # entry types of the parents inherited from
    snapshot: dict[Part, _Frozen] | None = None


def _freeze_name(n: Name) -> tuple[object, ...]:
    return (n.family, n.given, n.dropping_particle, n.non_dropping_particle, n.suffix, n.literal,
            n.comma_suffix, n.static_ordering)


def _freeze(value: FieldValue | object) -> _Frozen:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return tuple(_freeze_name(n) if isinstance(n, Name) else repr(n) for n in value)
    if isinstance(value, Date):
        return ("date", value.parts, value.season, value.circa, value.literal, value.raw)
    return ("other", repr(value))


def snapshot_of(item: Item) -> dict[Part, _Frozen]:
    shot: dict[Part, _Frozen] = {variable: _freeze(value) for variable, value in item.fields.items()}
    for name, value in item.extra.items():
        shot["extra:" + name] = value
    shot["type"] = item.type
    return shot


def seal(library: Library) -> None:
    """Take the snapshot of every item read with a native record and not sealed yet.

    Called once the read passes have run (what ``load`` returns is the baseline);
    an item sealed before is left alone, so a later pass run never hides a change."""
    for item in library.items:
        native = item.native
        if native is not None and native.snapshot is None:
            native.snapshot = snapshot_of(item)


def changed_parts(item: Item) -> set[Part]:
    """The parts of ``item`` that differ from its snapshot (all of them when unsealed)."""
    native = item.native
    now = snapshot_of(item)
    if native is None or native.snapshot is None:
        return set(now)
    then = native.snapshot
    return {part for part in now.keys() | then.keys() if now.get(part) != then.get(part)}


__all__ = ["NativeField", "NativeRecord", "Part", "seal", "snapshot_of", "changed_parts"]
