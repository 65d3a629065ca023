"""Minimal-diff editing of .bib text.

A bibliography kept for years under version control must not be rewritten
when a few entries change. This module works on the original text: it finds
the span of every block (entry, ``@string``, ``@preamble``, ``@comment``,
text between blocks), then replaces only the spans that change:

- a field value that changes is replaced inside its delimiters;
- an added field is inserted as a new line in the entry's own layout
  (indentation, ``name = value`` spacing, field-name case, delimiters,
  trailing comma), at the position the file's field order suggests;
- a new entry is written in the file's style and appended at the end, or at
  its place when the file is sorted by key.

Everything else stays byte for byte.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .braces import closing_brace, closing_quote

if TYPE_CHECKING:
    from ...merge import MergeResult
    from ...model import Item, Library

__all__ = [
    "BibFile",
    "Block",
    "FieldSpan",
    "Style",
    "detect_style",
    "edit_entry",
    "insert_entries",
    "render_entry",
    "apply_merge",
    "native_entry",
    "scan",
]

_NAME = re.compile(r"[^\s\"#%'(),={}@]+")


@dataclass
class FieldSpan:
    """One ``name = value`` in an entry; offsets are into the file text."""

    name: str
    start: int  # start of the name
    value_start: int  # start of the value (its first delimiter)
    value_end: int  # end of the value (after its last delimiter)
    end: int  # after the comma that closes the field, or value_end when there is none
    raw: str  # the value text exactly as written, delimiters included

    @property
    def inner(self) -> str:
        """The value without its outer delimiters (for a single braced or quoted part)."""
        if len(self.raw) >= 2 and ((self.raw[0] == "{" and self.raw[-1] == "}") or (self.raw[0] == '"' and self.raw[-1] == '"')):
            return self.raw[1:-1]
        return self.raw


@dataclass
class Block:
    """A span of the file: ``entry``, ``string``, ``preamble``, ``comment`` or ``text``."""

    kind: str
    start: int
    end: int
    type: str = ""  # entry type as written ("ARTICLE", "article")
    key: str | None = None
    key_start: int = -1
    body_end: int = -1  # offset of the closing delimiter of an entry
    fields: list[FieldSpan] = field(default_factory=list)
    complete: bool = True

    def field(self, name: str) -> FieldSpan | None:
        lower = name.lower()
        return next((f for f in self.fields if f.name.lower() == lower), None)


@dataclass
class BibFile:
    text: str
    blocks: list[Block]

    @property
    def entries(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "entry"]


_WS = re.compile(r"\s*")


def _skip_ws(text: str, i: int) -> int:
    return _WS.match(text, i).end()  # type: ignore[union-attr]


def _balanced(text: str, i: int, close: str) -> int:
    """Index after the delimiter closing the group opened at ``text[i]``; -1 when unbalanced
    (``braces``: BibTeX's counting; a line starting a new block means it never closed)."""
    end = closing_quote(text, i, heads=True) if close == '"' else closing_brace(text, i, heads=True)
    return -1 if end < 0 else end + 1


def _value_end(text: str, i: int, closer: str) -> int:
    """End of a value (parts joined by ``#``) starting at ``i``; -1 when malformed."""
    n = len(text)
    while True:
        i = _skip_ws(text, i)
        if i >= n:
            return -1
        c = text[i]
        if c == "{":
            j = _balanced(text, i, "}")
        elif c == '"':
            j = _balanced(text, i, '"')
        else:
            m = _NAME.match(text, i)
            j = m.end() if m else -1
        if j < 0:
            return -1
        k = _skip_ws(text, j)
        if k < n and text[k] == "#":
            i = k + 1
            continue
        return j


def _parse_entry(text: str, at: int, open_i: int, type_name: str) -> Block:
    closer = "}" if text[open_i] == "{" else ")"
    n = len(text)
    block = Block("entry", at, n, type=type_name, complete=False)
    i = _skip_ws(text, open_i + 1)
    m = re.compile(r"[^,\s{}()=]*").match(text, i)
    key_end = m.end() if m else i
    block.key, block.key_start = text[i:key_end], i
    i = _skip_ws(text, key_end)
    if i < n and text[i] == ",":
        i += 1
    while True:
        i = _skip_ws(text, i)
        if i >= n:
            return block
        if text[i] == closer:
            block.body_end = i
            block.end = i + 1
            block.complete = True
            return block
        m = _NAME.match(text, i)
        if not m:
            return _give_up(text, block, i)
        name_start, name = i, m.group(0)
        i = _skip_ws(text, m.end())
        if i >= n or text[i] != "=":
            return _give_up(text, block, name_start)
        vstart = _skip_ws(text, i + 1)
        vend = _value_end(text, vstart, closer)
        if vend < 0:
            return _give_up(text, block, vstart)
        j = _skip_ws(text, vend)
        end = vend
        if j < n and text[j] == ",":
            end = j + 1
            j += 1
        block.fields.append(FieldSpan(name, name_start, vstart, vend, end, text[vstart:vend]))
        i = j


def _give_up(text: str, block: Block, i: int) -> Block:
    """A malformed entry: it runs to the next ``@type{`` and is never edited."""
    m = _AT.search(text, i)
    block.end = m.start() if m else len(text)
    block.complete = False
    return block


_AT = re.compile(r"@[ \t]*([A-Za-z][\w-]*)[ \t]*([{(])")


def scan(text: str) -> BibFile:
    """Split ``text`` into blocks that together cover it exactly."""
    blocks: list[Block] = []
    i = 0
    n = len(text)
    pos = 0
    while pos < n:
        m = _AT.search(text, pos)
        if not m:
            break
        at = m.start()
        kind_word = m.group(1).lower()
        open_i = m.end() - 1
        if kind_word in ("comment", "string", "preamble"):
            close = "}" if text[open_i] == "{" else ")"
            if close == "}":
                end = _balanced(text, open_i, "}")
            else:
                depth_end = text.find(")", open_i)
                end = depth_end + 1 if depth_end >= 0 else -1
            if end < 0:
                pos = m.end()
                continue
            block = Block(kind_word, at, end, type=m.group(1))
        else:
            block = _parse_entry(text, at, open_i, m.group(1))
        if at > i:
            blocks.append(Block("text", i, at))
        blocks.append(block)
        i = pos = block.end
    if i < n:
        blocks.append(Block("text", i, n))
    return BibFile(text, blocks)


# -- style ---------------------------------------------------------------------------


@dataclass
class Style:
    """How a file writes its entries."""

    indent: str = "  "
    equals: str = " = "  # the text between a field name and its value
    name_case: str = "lower"  # lower, upper, title, or as-is
    type_case: str = "lower"
    delimiter: str = "{"  # "{", '"' or "{{" (double braces, as Web of Science exports)
    trailing_comma: bool = False
    newline: str = "\n"
    separator: str = "\n"  # text between two entries ("\n" = one blank line after the entry's own line end)
    sorted_by_key: bool = False
    field_order: list[str] = field(default_factory=list)  # lower-case names, most usual first
    bare_numbers: bool = True  # year = 2019 rather than year = {2019}
    eq_column: int | None = None  # names padded so every "=" sits in this column
    value_column: int | None = None  # or: values padded to start in this column

    def name(self, name: str) -> str:
        if self.name_case == "upper":
            return name.upper()
        if self.name_case == "title":
            return "-".join(p[:1].upper() + p[1:] for p in name.split("-"))
        return name.lower()

    def type(self, name: str) -> str:
        if self.type_case == "upper":
            return name.upper()
        if self.type_case == "title":
            return name[:1].upper() + name[1:]
        return name.lower()


def _case_of(words: Iterable[str]) -> str:
    counts: Counter[str] = Counter()
    for word in words:
        letters = [c for c in word if c.isalpha()]
        if not letters:
            continue
        if all(c.isupper() for c in letters):
            counts["upper"] += 1 if len(letters) > 1 else 0
        elif all(c.islower() for c in letters):
            counts["lower"] += 1
        elif word[:1].isupper():
            counts["title"] += 1
    return counts.most_common(1)[0][0] if counts else "lower"


def detect_style(bib: BibFile) -> Style:
    text = bib.text
    entries = [b for b in bib.entries if b.complete and b.fields]
    style = Style()
    if not entries:
        return style
    style.newline = "\r\n" if "\r\n" in text else "\n"
    indents: Counter[str] = Counter()
    equals: Counter[str] = Counter()
    delims: Counter[str] = Counter()
    trailing = 0
    positions: dict[str, list[float]] = {}
    for entry in entries:
        for k, f in enumerate(entry.fields):
            line_start = text.rfind("\n", 0, f.start) + 1
            indents[text[line_start : f.start] if text[line_start : f.start].isspace() or line_start == f.start else ""] += 1
            name_end = f.start + len(f.name)
            equals[text[name_end : f.value_start]] += 1
            raw = f.raw
            if raw.startswith("{{") and raw.endswith("}}") and _balanced(raw, 1, "}") == len(raw) - 1:
                delims["{{"] += 1
            elif raw.startswith("{"):
                delims["{"] += 1
            elif raw.startswith('"'):
                delims['"'] += 1
            positions.setdefault(f.name.lower(), []).append(k / max(1, len(entry.fields) - 1))
        if entry.fields[-1].end > entry.fields[-1].value_end:
            trailing += 1
    style.indent = indents.most_common(1)[0][0] if indents else "  "
    eq = equals.most_common(1)[0][0] if equals else " = "
    style.equals = eq if "\n" not in eq else " = "
    style.name_case = _case_of(f.name for e in entries for f in e.fields)
    style.type_case = _case_of(e.type for e in entries)
    style.delimiter = delims.most_common(1)[0][0] if delims else "{"
    style.trailing_comma = trailing * 2 > len(entries)
    style.field_order = sorted(positions, key=lambda name: (sum(positions[name]) / len(positions[name]), name))
    bare = sum(1 for e in entries for f in e.fields if f.raw.isdigit())
    year_fields = sum(1 for e in entries for f in e.fields if f.name.lower() == "year")
    style.bare_numbers = bare * 2 > year_fields if year_fields else True
    keys = [e.key or "" for e in entries]
    style.sorted_by_key = len(keys) >= 3 and all(a.casefold() <= b.casefold() for a, b in zip(keys, keys[1:]))
    style.separator = _separator(bib)
    layouts: Counter[tuple[int | None, int | None]] = Counter(_columns(text, e.fields) for e in entries[:500])
    if layouts:
        (style.eq_column, style.value_column), count = layouts.most_common(1)[0]
    return style


def _separator(bib: BibFile) -> str:
    """The text usually found between the end of one entry and the next ``@``."""
    seps: Counter[str] = Counter()
    blocks = bib.blocks
    for a, b, c in zip(blocks, blocks[1:], blocks[2:]):
        if a.kind == "entry" and b.kind == "text" and c.kind == "entry":
            gap = bib.text[b.start : b.end]
            if gap.strip() == "":
                seps[gap] += 1
    return seps.most_common(1)[0][0] if seps else "\n\n"


# -- rendering and editing ----------------------------------------------------------------


def _delimit(value: str, style: Style) -> str:
    """``value`` (the text inside the delimiters) wrapped the file's way."""
    if style.bare_numbers and value.isdigit():
        return value
    if style.delimiter == '"' and _quote_safe(value):
        return '"' + value + '"'
    if style.delimiter == "{{":
        return "{{" + value + "}}"
    return "{" + value + "}"


def _quote_safe(value: str) -> bool:
    depth = 0
    for i, c in enumerate(value):
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == '"' and depth == 0 and (i == 0 or value[i - 1] != "\\"):
            return False
    return depth == 0


def _field_line(name: str, raw: str, style: Style) -> str:
    head = style.indent + style.name(name)
    after_eq = style.equals[style.equals.index("=") + 1 :] if "=" in style.equals else " "
    if style.eq_column is not None:
        return head.ljust(style.eq_column) + "=" + after_eq + raw
    if style.value_column is not None:
        before_eq = style.equals[: style.equals.index("=")] if "=" in style.equals else " "
        return (head + before_eq + "=").ljust(style.value_column) + raw
    return head + style.equals + raw


def _columns(text: str, fields: Sequence[FieldSpan]) -> tuple[int | None, int | None]:
    """The column every '=' (or every value) of these fields starts at, when they line up."""
    eq_cols, value_cols = set(), set()
    for f in fields:
        line_start = text.rfind("\n", 0, f.start) + 1
        if text[line_start : f.start].strip():
            return None, None  # fields share lines: no column layout
        eq = text.index("=", f.start + len(f.name))
        eq_cols.add(eq - line_start)
        value_cols.add(f.value_start - line_start)
    if len(fields) < 2:
        return None, None
    if len(eq_cols) == 1:
        return eq_cols.pop(), None
    if len(value_cols) == 1:
        return None, value_cols.pop()
    return None, None


def render_entry(entry_type: str, key: str, fields: Sequence[tuple[str, str]], style: Style) -> str:
    """A new entry in the file's style. ``fields`` are (name, value): a value in
    delimiters ``{...}``/``"..."`` or a bare number/macro is kept as written, other text is delimited."""
    nl = style.newline
    ordered = _in_file_order(list(fields), style)
    lines = [_field_line(name, _as_raw(value, style), style) for name, value in ordered]
    body = ("," + nl).join(lines)
    if lines and style.trailing_comma:
        body += ","
    return f"@{style.type(entry_type)}{{{key}," + nl + body + nl + "}"


def _as_raw(value: str, style: Style) -> str:
    """A value as the file writes it: delimited its way, bare numbers and macros kept bare."""
    if len(value) >= 2 and value[0] == "{" and _balanced(value, 0, "}") == len(value):
        return _delimit(value[1:-1], style)
    if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
        return _delimit(value[1:-1], style)
    if value.isdigit():
        return _delimit(value, style)
    if _NAME.fullmatch(value) and not value[:1].isdigit():
        return value  # a macro (jan, feb, a @string name)
    return _delimit(value, style)


def _in_file_order(fields: list[tuple[str, str]], style: Style) -> list[tuple[str, str]]:
    rank = {name: i for i, name in enumerate(style.field_order)}
    last = len(rank)
    return sorted(fields, key=lambda nv: (rank.get(nv[0].lower(), last), fields.index(nv)))


def edit_entry(
    bib: BibFile, block: Block, changes: dict[str, str | None], style: Style, new_type: str | None = None, new_key: str | None = None
) -> str:
    """The text of ``block`` with ``changes`` applied: name -> new value (braced
    like ``{...}`` or bare, as ``render_entry`` takes it) or None to remove the field.
    Spans not named in ``changes`` are copied unchanged."""
    if not block.complete:
        raise ValueError(f"entry {block.key!r} is malformed; it cannot be edited safely")
    text = bib.text
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement)
    if new_type and new_type.lower() != block.type.lower():
        type_start = text.index(block.type, block.start)
        edits.append((type_start, type_start + len(block.type), style.type(new_type)))
    if new_key is not None and new_key != block.key and block.key_start >= 0:
        edits.append((block.key_start, block.key_start + len(block.key or ""), new_key))
    pending = dict(changes)
    for f in block.fields:
        lower = f.name.lower()
        key = next((k for k in pending if k.lower() == lower), None)
        if key is None:
            continue
        value = pending.pop(key)
        if value is None:
            line_start = text.rfind("\n", block.start, f.start) + 1
            only_space_before = text[line_start : f.start].strip() == ""
            end = f.end
            if only_space_before:
                nl = text.find("\n", end)
                rest = text[end:nl] if nl >= 0 else ""
                if nl >= 0 and rest.strip() == "":
                    end = nl + 1
                edits.append((line_start, end, ""))
            else:
                edits.append((f.start, end, ""))
        else:
            edits.append((f.value_start, f.value_end, _in_delimiters_of(f.raw, value, style)))
    if pending:
        edits.append(_insertion(bib, block, pending, style))
    out = text[block.start : block.end]
    for start, end, replacement in sorted(edits, key=lambda e: e[0], reverse=True):
        out = out[: start - block.start] + replacement + out[end - block.start :]
    return out


def _in_delimiters_of(old_raw: str, value: str, style: Style) -> str:
    """The new value written with the delimiters the old value used."""
    inner = value[1:-1] if value.startswith("{") and value.endswith("}") else value
    if old_raw.startswith("{{") and old_raw.endswith("}}"):
        return "{{" + inner + "}}"
    if old_raw.startswith('"') and _quote_safe(inner):
        return '"' + inner + '"'
    if old_raw.isdigit() and inner.isdigit():
        return inner
    return "{" + inner + "}"


def _insertion(bib: BibFile, block: Block, fields: dict[str, str | None], style: Style) -> tuple[int, int, str]:
    """Where and what to insert for fields the entry does not have yet."""
    text = bib.text
    local = _entry_style(bib, block, style)
    additions = [(name, value) for name, value in fields.items() if value is not None]
    if not additions:
        return (block.body_end, block.body_end, "")
    rank = {name: i for i, name in enumerate(style.field_order)}
    existing = block.fields
    # insert after the last field the file usually puts before the new ones, else at the end
    new_rank = min(rank.get(name.lower(), len(rank)) for name, _ in additions)
    after = None
    for f in existing:
        if rank.get(f.name.lower(), len(rank)) <= new_rank:
            after = f
    if after is None or after is existing[-1] or not existing:
        after = existing[-1] if existing else None
    nl = local.newline
    lines = [_field_line(name, _as_raw(value, local), local) for name, value in _in_file_order(additions, style)]
    if after is None:
        pos = block.body_end
        return (pos, pos, nl + ("," + nl).join(lines) + ("," if local.trailing_comma else "") + nl)
    has_comma = after.end > after.value_end
    if after is existing[-1]:
        pos = after.end
        lead = "" if has_comma else ","
        tail = "," if has_comma else ""
        return (pos, pos, lead + nl + ("," + nl).join(lines) + tail)
    # between two fields: after ``after``'s comma
    pos = after.end
    return (pos, pos, nl + ("," + nl).join(lines) + ",")


def _entry_style(bib: BibFile, block: Block, style: Style) -> Style:
    """The file style, corrected by what this entry itself does."""
    local = Style(**{**style.__dict__})
    if block.fields:
        text = bib.text
        f = block.fields[-1]
        line_start = text.rfind("\n", 0, f.start) + 1
        if text[line_start : f.start].isspace():
            local.indent = text[line_start : f.start]
        local.equals = text[f.start + len(f.name) : f.value_start] if "\n" not in text[f.start + len(f.name) : f.value_start] else style.equals
        local.name_case = _case_of(x.name for x in block.fields)
        if len(block.fields) >= 2:
            local.eq_column, local.value_column = _columns(text, block.fields)
        raws = [x.raw for x in block.fields]
        if all(r.startswith("{{") for r in raws if not r.isdigit()):
            local.delimiter = "{{"
        elif sum(r.startswith('"') for r in raws) * 2 > len(raws):
            local.delimiter = '"'
    return local


def insert_entries(bib: BibFile, replacements: dict[int, str], new_entries: Sequence[tuple[str, str]], style: Style) -> str:
    """The file text with blocks replaced (index in ``bib.blocks`` -> new text) and
    ``new_entries`` ((key, text), in order) added at the end, or at their sorted places."""
    text = bib.text
    pieces: list[str] = []
    sep = style.separator
    nl = style.newline
    pending = list(new_entries)
    if style.sorted_by_key:
        pending.sort(key=lambda kv: kv[0].casefold())
    for index, block in enumerate(bib.blocks):
        if style.sorted_by_key and block.kind == "entry" and block.key is not None:
            while pending and pending[0][0].casefold() < block.key.casefold():
                pieces.append(pending.pop(0)[1] + sep)
        pieces.append(replacements.get(index, text[block.start : block.end]))
    if pending:
        body = "".join(pieces)
        if body and not body.endswith(("\n", "\r")):
            body += nl
        gap = sep[len(nl):] if sep.startswith(nl) else sep
        if not body.strip():
            gap = ""
        for _, entry in pending:
            body += gap + entry + nl
        return body
    return "".join(pieces)


# -- applying a merge to the text of the base file ---------------------------------------


def native_entry(item: "Item", format: str = "biblatex", **options: object) -> tuple[str, list[tuple[str, str]]]:
    """(entry type, [(field name, raw value)]) of ``item`` as the BibTeX writer writes it
    (``options`` are the writer's, e.g. ``ascii``)."""
    from ...api import dump
    from ...model import Library

    text = dump(Library([item]), format, **options)
    entries = [b for b in scan(text).entries if b.complete]
    if not entries:
        raise ValueError(f"the {format} writer produced no entry for {item.id!r}")
    entry = entries[0]
    return entry.type, [(f.name, f.raw) for f in entry.fields]


def apply_merge(text: str, base: "Library", result: "MergeResult", *, format: str = "biblatex", **options: object) -> str:
    """``text`` (the file ``base`` was read from) with ``result`` applied with the fewest edits.

    Entries whose item did not change are copied byte for byte, and so are
    comments, ``@string``s and ``@preamble``s. A changed entry keeps every
    field the merge did not touch as written; fields are changed, added or
    removed where the writer's output for the merged item differs from its
    output for the original one. A renamed item gets its new key in place.
    New items are appended in the file's style. ``options`` go to the writer.
    """
    bib = scan(text)
    style = detect_style(bib)
    blocks_by_key: dict[tuple[str, int], int] = {}
    seen: Counter[str] = Counter()
    for index, block in enumerate(bib.blocks):
        if block.kind == "entry" and block.key is not None:
            blocks_by_key[(block.key, seen[block.key])] = index
            seen[block.key] += 1
    changed = set(result.changed)
    replacements: dict[int, str] = {}
    occurrence: Counter[str] = Counter()
    for original, merged in zip(base.items, result.library.items):
        n = occurrence[original.id]
        occurrence[original.id] += 1
        rekey = merged.id if merged.id != original.id else None
        if original.id not in changed or (_same_item(original, merged) and rekey is None):
            continue
        found = blocks_by_key.get((original.id, n))
        if found is None:  # a keyless entry, named by the reader ("line4"): found by its line
            found = _block_on_line(bib, original)
        if found is None or not bib.blocks[found].complete:
            raise ValueError(f"cannot find the entry {original.id!r} in the file text to update it")
        index = found
        old_type, old_fields = native_entry(original, format, **options)
        new_type, new_fields = native_entry(merged, format, **options)
        old = {name.lower(): raw for name, raw in old_fields}
        new = {name.lower(): (name, raw) for name, raw in new_fields}
        block = bib.blocks[index]
        changes: dict[str, str | None] = {}
        for lower, (name, raw) in new.items():
            if old.get(lower) != raw or block.field(lower) is None and lower not in old:
                changes[name] = raw
        for lower in old:
            if lower not in new and block.field(lower) is not None:
                changes[lower] = None
        retype = new_type if new_type.lower() != old_type.lower() else None
        if changes or retype or rekey:
            replacements[index] = edit_entry(bib, block, changes, style, new_type=retype, new_key=rekey)
    new_entries = []
    for key in result.added:
        item = result.library[key]
        entry_type, fields = native_entry(item, format, **options)
        new_entries.append((key, render_entry(entry_type, key, fields, style)))
    return insert_entries(bib, replacements, new_entries, style)


def _block_on_line(bib: BibFile, item: "Item") -> int | None:
    line = item.origin.line if item.origin is not None else None
    if not line:
        return None
    for index, block in enumerate(bib.blocks):
        if block.kind == "entry" and not block.key and bib.text.count("\n", 0, block.start) + 1 == line:
            return index
    return None


def _same_item(a: "Item", b: "Item") -> bool:
    return a.type == b.type and a.fields == b.fields and a.extra == b.extra
