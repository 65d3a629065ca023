"""Same-dialect .bib writes that give back what the user wrote (issue 12).

An entry read from a .bib carries its fields as written (``bibtools.native``).
When it is written in the dialect it was read as, every field whose meaning the
user's command did not change is written with its name and its raw value
expression as read: macro references, ``#`` concatenations, TeX markup, ``--``,
braces, empty fields and fields no mapping knows all come back. Only the parts
the command changed (a CSL variable, an ``extra`` field, the type) are written
the way the regenerating writer writes them, in place of the fields they were
read from. ``crossref``/``xdata`` children stay children: what they inherit is
in the item for formatting, never in their BibTeX unless ``inline_crossref``.

Which native fields a part was read from is the reading rules' own data
(``mappings.bibtex``), inverted here once.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from ...mappings.bibtex import (
    BIBLATEX_TO_CLASSIC_FIELD,
    BIBTEX_TYPES,
    DATE_FIELDS,
    THESIS_TYPES,
    MONTH_MACROS,
    NAME_FIELDS,
    PRIORITY_FIELDS,
    SIMPLE_FIELDS,
    SUBTITLES,
)
from ...model import Item
from ...native import NativeField, Part, changed_parts
from ...variables import ALL_VARIABLES


LABEL_PART: Part = "label"  # the ``key`` field the classic writer makes for an entry with no author


@lru_cache(maxsize=1)
def _read_into() -> dict[str, frozenset[Part]]:
    """Native field name (lower case) -> the parts reading may put it in."""
    out: dict[str, set[Part]] = {}

    def add(name: str, part: Part) -> None:
        out.setdefault(name, set()).add(part)

    for name, variable in NAME_FIELDS.items():
        add(name, variable)
    for name, variable in SIMPLE_FIELDS.items():
        add(name, variable)
    for variable, candidates in PRIORITY_FIELDS.items():
        for name in candidates:
            add(name, variable)
    for main, sub in SUBTITLES.items():
        for part in out.get(main, {"title"}):
            add(sub, part)
    add("titleaddon", "title")
    for name, variable in DATE_FIELDS.items():
        add(name, variable)
    for name in ("year", "month", "day"):
        add(name, "issued")
    for name in ("number", "issue"):
        for variable in ("issue", "collection-number", "number"):
            add(name, variable)
    add("type", "genre")
    for name in ("entrytype", "entrysubtype"):
        add(name, "type")
    for variable in ALL_VARIABLES:
        add(variable.lower(), variable)
    return {name: frozenset(parts) for name, parts in out.items()}


def parts_of(name: str, item: Item) -> frozenset[Part]:
    """The parts of ``item`` the native field ``name`` was read into. A field kept in
    ``extra`` under its own name (unknown, or the loser of a competition) is that extra."""
    lower = name.lower()
    snapshot = item.native.snapshot if item.native is not None else None
    if snapshot is not None and "extra:" + lower in snapshot:
        return frozenset({"extra:" + lower})
    return _read_into().get(lower, frozenset({"extra:" + lower}))


@dataclass
class FaithfulEntry:
    """What to write for one entry: its type and its fields as ``(name, value expression)``."""

    entry_type: str
    fields: list[tuple[str, str]]
    regenerated: set[str] = field(default_factory=set)  # names written from the model


def classic_changes(item: Item) -> tuple[dict[str, str], set[Part], list[str]]:
    """What writing ``item``'s native fields into the classic dialect takes: field renames
    (BibLaTeX name -> classic name, only where the classic name is not taken), the parts to
    regenerate (a ``date`` with no ``year`` beside it), and one sentence per change for the
    loss report."""
    native = item.native
    assert native is not None
    names = {f.name.lower() for f in native.fields}
    etype = native.entry_type.lower()
    renames: dict[str, str] = {}
    regenerate: set[Part] = set()
    notes: list[str] = []
    for f in native.fields:
        lower = f.name.lower()
        target = BIBLATEX_TO_CLASSIC_FIELD.get(lower)
        if lower == "institution" and etype in THESIS_TYPES:
            target = "school"
        # only where the classic name is read into the same part (a loser kept in extra stays put)
        if target and target not in names and "extra:" + lower not in (native.snapshot or {}):
            renames[lower] = target
            notes.append(f"{f.name} written as {target} (classic BibTeX's name for it)")
    # Entry types stay as written, as the regenerating writer keeps a .bib's own types: BibTeX
    # warns about a type its style lacks and still reads the entry (and its crossref), while a
    # changed type would change what a child inherits by BibLaTeX's rules.
    if "date" in names and "year" not in names:
        regenerate.add("issued")
        notes.append("date written as year/month (classic styles read no date field)")
    return renames, regenerate, notes


def faithful_entry(item: Item, regenerated: dict[str, str], sources: dict[str, Part], regenerated_type: str, *,
                   unsafe: set[str] = frozenset(), expand_strings: bool = False,
                   inline_crossref: bool = False, renames: dict[str, str] | None = None,
                   regenerate: set[Part] = frozenset()) -> FaithfulEntry:
    """Merge the native fields with the regenerated ones.

    ``regenerated``: the regenerating writer's fields (name -> value expression, delimiters
    included); ``sources``: the part each of them was written from; ``unsafe``: native field
    names (lower case) whose raw value may not be written live (their parts are regenerated);
    ``renames`` and ``regenerate``: a dialect change (``classic_changes``).
    """
    native = item.native
    assert native is not None
    renames = renames or {}
    changed = set(changed_parts(item)) | set(regenerate)
    for f in native.fields:
        if f.name.lower() in unsafe:
            changed |= parts_of(f.name, item)
    entry_type = regenerated_type if "type" in changed else native.entry_type
    fresh = [name for name, part in sources.items() if part in changed and name in regenerated]
    out: list[tuple[str, str]] = []
    written: set[str] = set()
    placed: set[str] = set()
    for f in native.fields:
        lower = f.name.lower()
        parts = parts_of(f.name, item)
        if parts & changed:
            # replaced by what the command made of its part, at the place of the first field read into it
            for name in fresh:
                if name not in placed and sources[name] in parts:
                    out.append((name, regenerated[name]))
                    placed.add(name)
                    written.add(name)
            continue
        name = renames.get(lower, f.name)
        out.append((name, _expanded(f) if expand_strings else f.raw))
        written.add(name.lower())
    for name in fresh:
        if name not in placed and name not in written:
            out.append((name, regenerated[name]))
            written.add(name)
    label = sources.get("key") == LABEL_PART and "key" in regenerated
    if label and "key" not in written:
        # classic styles sort and label an author-less entry by ``key``; the reader drops it again
        out.append(("key", regenerated["key"]))
    if inline_crossref and native.inherited:
        for name, value in native.inherited.items():
            if name not in written:
                out.append((name, "{" + value + "}"))
                written.add(name)
    return FaithfulEntry(entry_type, out, set(fresh))


def inherited_only(item: Item) -> set[Part]:
    """The parts a crossref/xdata child holds only because it inherits them (and the command
    did not change): a regenerating write leaves them to the parent too."""
    return inherited_only_parts(item) - changed_parts(item)


def inherited_only_parts(item: Item) -> set[Part]:
    native = item.native
    if native is None or not native.inherited:
        return set()
    own: set[Part] = set()
    for f in native.fields:
        own |= parts_of(f.name, item)
    inherited: set[Part] = set()
    for name in native.inherited:
        inherited |= parts_of(name, item)
    return inherited - own


def _expanded(f: NativeField) -> str:
    """``--expand-strings``: a macro reference or concatenation written as its value
    (the month macros every style defines stay macros)."""
    if f.value is None or f.raw.lower() in MONTH_MACROS:
        return f.raw
    return "{" + f.value + "}"


_VERBATIM_ARGUMENT = ("\\url", "\\href", "\\path", "\\nolinkurl")


def escape_bare_specials(raw: str) -> tuple[str, str]:
    """``raw`` with every unescaped ``&``, ``%`` and ``#`` inside its delimited text escaped,
    and the characters escaped. BibTeX passes them through, LaTeX then stops at them (an
    alignment tab, a comment that eats the closing brace, a macro parameter); the reader
    already reads them as the characters they look like, so the escape changes no meaning.
    A top-level ``#`` is BibTeX's concatenation; ``\\url{...}``-like arguments are left alone."""
    if "&" not in raw and "%" not in raw and ("#" not in raw or not any(c in raw for c in '{"')):
        return raw, ""
    out: list[str] = []
    found: list[str] = []
    depth = 0  # brace depth inside the expression
    quoted = False
    verbatim_at = -1  # depth at which a \url-like argument opened
    i, n = 0, len(raw)
    while i < n:
        c = raw[i]
        if c == "\\":
            out.append(raw[i:i + 2])
            i += 2
            continue
        if c == "{":
            if verbatim_at < 0 and raw.endswith(_VERBATIM_ARGUMENT, 0, i):
                verbatim_at = depth
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == verbatim_at:
                verbatim_at = -1
        elif c == '"' and depth == 0:
            quoted = not quoted
        elif c in "&%#" and (depth > 0 or quoted) and verbatim_at < 0:
            out.append("\\" + c)
            found.append(c)
            i += 1
            continue
        out.append(c)
        i += 1
    return "".join(out), "".join(dict.fromkeys(found))


__all__ = ["LABEL_PART", "FaithfulEntry", "classic_changes", "escape_bare_specials", "faithful_entry", "inherited_only", "parts_of"]
