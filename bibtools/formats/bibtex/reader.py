"""BibTeX (classic dialect): reading both dialects, writing year/month/journal/address/school.

Reading: bibtexparser 2's splitter cuts the text into blocks (it is the only
part of bibtexparser used: its default middlewares are slow and lossy).
Here values are evaluated (``@string`` macros, month macros, ``#``
concatenation), ``crossref`` and ``xdata`` are resolved with BibLaTeX's
inheritance rules, and each entry becomes an ``Item`` (see
``fields``). Nothing raises on bad input: every block bibtexparser
could not parse becomes an error ``Diagnostic`` with file and line, and
parsing goes on with the next block.

``@comment`` blocks, ``@preamble`` values and ``@string`` definitions are kept
on the ``Library``; text between blocks (implicit comments) is not kept.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from ...diagnostics import Diagnostic, error, warning
from ...mappings.bibtex import INHERIT_RENAMES, MONTH_MACROS, NOT_INHERITED, PRIORITY_FIELDS, VERBATIM_FIELDS
from ...model import Item, Library
from ...native import NativeField, NativeRecord
from .braces import closing_brace as _closing, closing_quote as _closing_quote
from .fields import entry_to_item

_BLOCK = re.compile(r"^\s*@\s*\w+\s*[{(]", re.M)
_BIBLATEX_HINTS = re.compile(
    r"[\s,{(](?:journaltitle|location|date|urldate|eprinttype|langid|maintitle|bookauthor)\s*=|@(?:online|mvbook|thesis|report|dataset|software)\s*[{(]",
    re.M | re.I,
)


def sniff(text: str) -> float:
    return 0.9 if _BLOCK.search(text) else 0.0


def sniff_biblatex(text: str) -> float:
    return 1.0 if _BLOCK.search(text) and _BIBLATEX_HINTS.search(text) else 0.0


@dataclass
class RawEntry:
    """An entry after value evaluation, before mapping: native type and fields (lower case)."""

    type: str
    key: str
    fields: dict[str, str]
    line: int
    inherited_from: list[str] = field(default_factory=list)
    parent_types: list[str] = field(default_factory=list)  # of the crossref/xdata parents inherited from
    written_type: str = ""  # the entry type as spelled in the file ("Article")
    native: list[NativeField] = field(default_factory=list)  # every field as written, in order


class _Evaluator:
    """Evaluates BibTeX value expressions: ``{..}``, ``".."``, numbers, macros, ``#``."""

    def __init__(self, source: str | None, diagnostics: list[Diagnostic]) -> None:
        self.macros: dict[str, str] = dict(MONTH_MACROS)
        self.source = source
        self.diagnostics = diagnostics

    def value(self, raw: str, line: int, key: str | None) -> str:
        raw = raw.strip()
        if not raw:
            return ""
        literal = _simple_literal(raw)
        if literal is not None:
            return literal
        first = raw[0]
        if first == "{" and raw[-1] == "}" and _closing(raw, 0) == len(raw) - 1:
            return raw[1:-1]  # inner braces, balanced
        if first not in '{"' and "#" not in raw:
            return self._atom(raw, line, key)
        return self._concatenation(raw, line, key)

    def _atom(self, token: str, line: int, key: str | None) -> str:
        token = token.strip()
        if token.isdigit():
            return token
        found = self.macros.get(token.lower())
        if found is None:
            self.diagnostics.append(
                warning("bibtex.undefined-macro", f"the @string macro {token!r} is not defined; kept its name as the text",
                        source=self.source, line=line, key=key)
            )
            return token
        return found

    def _concatenation(self, raw: str, line: int, key: str | None) -> str:
        out: list[str] = []
        i, n = 0, len(raw)
        while i < n:
            c = raw[i]
            if c.isspace() or c == "#":
                i += 1
                continue
            if c == "{" or c == '"':
                j = _closing(raw, i) if c == "{" else _closing_quote(raw, i)
                if j < 0:
                    return self._bad(raw, line, key)
                out.append(raw[i + 1:j])
                i = j + 1
            else:
                j = raw.find("#", i)
                j = n if j < 0 else j
                out.append(self._atom(raw[i:j], line, key))
                i = j
        return "".join(out)

    def _bad(self, raw: str, line: int, key: str | None) -> str:
        self.diagnostics.append(
            warning("bibtex.bad-value", "a field value has unbalanced braces or quotes; kept as written",
                    source=self.source, line=line, key=key)
        )
        return raw.strip('{}"')


_WS = re.compile(r"\s+")
_COMMENT_LINES = re.compile(r"^(?:\s*%[^\n]*\n)+")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _collapse(value: str, strip: bool = True) -> str:
    """BibTeX joins lines and collapses runs of white space; control characters
    (junk TeX rejects: "invalid character") are dropped. A field value loses its
    outer spaces, a macro keeps them (``"ACM" # stoc`` with ``stoc = " Symposium"``)."""
    if _CONTROL.search(value):
        value = _CONTROL.sub("", value)
    if "\n" in value or "  " in value or "\t" in value or "\r" in value:
        value = _WS.sub(" ", value)
    return value.strip() if strip else value


def split_blocks(text: str) -> Any:
    """The file's blocks, exactly as bibtexparser's splitter cuts them (``scanner``: the same
    blocks, checked block by block over every corpus file, several times faster)."""
    from .scanner import scan

    return scan(text)


def _failure_message(block: Any, outcome: str = "skipped it") -> str:
    reason = getattr(block.error, "abort_reason", None) or str(block.error)
    reason = reason.replace("`", "'").strip().rstrip(".")
    head = (block.raw or "").lstrip()[:40].split("\n")[0]
    return f"the block starting '{head}' is broken ({reason}); {outcome}"


_TYPE_AS_WRITTEN = re.compile(r"\s*@\s*([^\s{(]+)")
_FIELD_START = re.compile(r"\s*([A-Za-z_][\w:.+-]*)\s*=\s*")


def _split_missing_commas(fields: list[Any], diags: list[Diagnostic], source: str | None, line: int, key: str) -> list[Any]:
    """``title = {A}  author = {B}`` (a comma missing): the splitter sees one value; cut it in two."""
    from bibtexparser.model import Field

    for f in fields:  # a plain loop: this runs for every entry
        value = f.value
        if "=" in value and "\n" in value:
            break
    else:
        return fields  # the common case: no value can hide a second field
    out: list[Any] = []
    for f in fields:
        value = f.value.strip()
        while value[:1] in ('{', '"'):
            end = _closing(value, 0) if value[0] == "{" else _closing_quote(value, 0)
            if end < 0:
                break
            m = _FIELD_START.match(value, end + 1)
            if m is None or "\n" not in value[end + 1:m.start(1)] and not value[end + 1:m.start(1)].strip() == "":
                break
            diags.append(warning("bibtex.missing-comma", f"a comma is missing before the field {m.group(1)!r}; read it as a new field",
                                 source=source, line=line, key=key))
            out.append(Field(key=f.key, value=value[:end + 1], start_line=f.start_line))
            f = Field(key=m.group(1), value=value[m.end():], start_line=f.start_line)
            value = f.value.strip()
        out.append(f)
    return out


def _salvage(raw: str) -> Any:
    """Re-read a failed entry with its closing delimiter fixed; the entry, or None."""
    from bibtexparser import model as bm

    text = raw.strip()
    opener = re.match(r"@\s*(\w+)\s*([{(])", text)
    if not opener or opener.group(1).lower() in ("string", "preamble", "comment"):
        return None
    closer, wrong = ("}", ")") if opener.group(2) == "{" else (")", "}")
    if text.endswith(wrong):
        text = text[:-1].rstrip() + closer
    elif not text.endswith(closer):
        text = text.rstrip(",") + closer
    else:
        return None
    found = [b for b in split_blocks(text).blocks if not isinstance(b, bm.ImplicitComment)]
    if len(found) != 1:
        return None
    block = found[0]
    if isinstance(block, bm.DuplicateFieldKeyBlock):
        block = block.ignore_error_block
    return block if isinstance(block, bm.Entry) else None


def read_entries(text: str, source: str | None, library: Library, *, macros: dict[str, str] | None = None,
                 seen_keys: dict[str, int] | None = None, string_names: dict[str, str] | None = None,
                 line_offset: int = 0, split: Any = None) -> list[RawEntry]:
    """Split and evaluate: raw entries in file order; strings/preambles/comments onto ``library``.

    ``macros``, ``seen_keys``, ``string_names`` and ``line_offset`` carry state from earlier
    pieces of the same file (``bibtools.stream`` reads a file piece by piece); ``split`` is
    ``split_blocks(text)`` when the caller has it already (lint reads the blocks too).
    """
    from bibtexparser import model as bm

    diags = library.diagnostics
    evaluator = _Evaluator(source, diags)
    if macros is not None:
        evaluator.macros = macros
    entries: list[RawEntry] = []
    if split is None:
        split = split_blocks(text)
    if seen_keys is None:
        seen_keys = {}
    if string_names is None:
        string_names = {}  # lower case -> first spelling (macro names ignore case)
    # bibtexparser miscounts lines after a backslash at a line end, so lines are counted here
    cursor, cursor_line = 0, 1 + line_offset
    pending: list[Any] = []

    def blocks() -> Any:
        for b in split.blocks:
            yield b, None
            while pending:
                yield pending.pop()

    for block, rescued_line in blocks():
        line = rescued_line or (block.start_line or 0) + 1 + line_offset
        raw = "" if rescued_line else (block.raw or "")
        if raw:
            found = block.parser_metadata.get("start", -1)  # the scanner's offset into ``text``
            if found < cursor:  # blocks from elsewhere (bibtexparser's own splitter) have none
                found = text.find(raw.lstrip("\n"), cursor)
            if found >= 0:
                cursor_line += text.count("\n", cursor, found)
                cursor = found
                line = cursor_line
        duplicate_fields: set[str] = set()
        if isinstance(block, bm.DuplicateBlockKeyBlock):
            block = block.ignore_error_block
        if isinstance(block, bm.DuplicateFieldKeyBlock):
            duplicate_fields = set(block.duplicate_keys)
            block = block.ignore_error_block
        if isinstance(block, bm.Entry):
            key = block.key.strip()
            fields: dict[str, str] = {}
            native: list[NativeField] = []
            seen_names: set[str] = set()
            block_fields = block.fields
            if (block.raw or "").count("=") > len(block_fields):  # only then can a value hide a field
                block_fields = _split_missing_commas(block_fields, diags, source, line, key)
            for f in block_fields:
                written = f.key  # the splitter strips names and values
                if "%" in written:
                    written = _COMMENT_LINES.sub("", written).strip()
                    if written.startswith("%") or not written:
                        diags.append(warning("bibtex.commented-field", f"a commented-out field ({f.key.strip()[:40]!r}) was left out",
                                             source=source, line=(f.start_line or 0) + 1, key=key))
                        continue
                name = written.lower()
                raw = f.value
                if name in seen_names:
                    native.append(NativeField(written, raw))  # BibTeX reads the first; the file keeps both
                    continue
                seen_names.add(name)
                value = _literal_value(raw)
                if value is not None:  # most fields: nothing to evaluate, and the raw is the value
                    native.append(NativeField(written, raw))
                else:
                    value = _collapse(evaluator.value(f.value, (f.start_line or block.start_line or 0) + 1 + line_offset, key))
                    native.append(NativeField(written, raw, None if _plain_literal(raw, value) else value))
                if value:  # an empty field says nothing (and must not block inheritance)
                    fields[name] = value
            for name in sorted({k.lower() for k in duplicate_fields}):
                diags.append(warning("bibtex.duplicate-field", f"the field {name!r} is given more than once; kept the first",
                                     source=source, line=line, key=key))
            if not key:
                key = f"line{line}"
                diags.append(warning("bibtex.no-key", f"an entry has no key; called it {key!r}", source=source, line=line, key=key))
            if key in seen_keys:
                diags.append(warning("bibtex.duplicate-key",
                                     f"the key {key!r} was already used on line {seen_keys[key]}; kept both entries",
                                     source=source, line=line, key=key))
            else:
                seen_keys[key] = line
            spelled = _TYPE_AS_WRITTEN.match(block.raw or "")  # the splitter lower-cases it
            written_type = spelled.group(1) if spelled and spelled.group(1).lower() == block.entry_type.strip().lower() \
                else block.entry_type.strip()
            entries.append(RawEntry(written_type.lower(), key, fields, line, written_type=written_type, native=native))
        elif isinstance(block, bm.String):
            name = block.key.strip().lower()
            value = _collapse(evaluator.value(block.value, line, None), strip=False)
            if name in string_names:
                diags.append(warning("bibtex.duplicate-string", f"@string {block.key.strip()!r} is defined again; the new value wins",
                                     source=source, line=line))
            else:
                string_names[name] = block.key.strip()
            evaluator.macros[name] = value
            library.strings[string_names[name]] = value
            library.string_sources[string_names[name]] = block.value.strip()
        elif isinstance(block, bm.Preamble):
            library.preambles.append(block.value.strip())
        elif isinstance(block, bm.ExplicitComment):
            library.comments.append(block.comment)
        elif isinstance(block, bm.ImplicitComment):
            continue
        elif isinstance(block, bm.ParsingFailedBlock):
            rescued = _salvage(block.raw or "")
            if rescued is None:
                diags.append(error("bibtex.syntax", _failure_message(block), source=source, line=line))
                continue
            diags.append(warning("bibtex.recovered", _failure_message(block, "read its fields anyway"),
                                 source=source, line=line, key=rescued.key))
            pending.append((rescued, line))
    return entries


# --------------------------------------------------------------------------- inheritance

def _renames(parent_type: str, child_type: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for parents, children, renames in INHERIT_RENAMES:
        if parent_type in parents and child_type in children:
            out.update(renames)
    return out


# Fields that stand for one thing: a child holding one member does not inherit the others.
_EXCLUSIVE: tuple[tuple[str, ...], ...] = tuple(PRIORITY_FIELDS.values()) + (("date", "year"), ("date", "month"), ("date", "day"))


def _blocked(child: dict[str, str], name: str) -> bool:
    for group in _EXCLUSIVE:
        if name in group and any(other in child for other in group if other != name):
            return True
    return False


class _Inheritance:
    """One file's crossref/xdata resolution. A class, not nested functions: a recursive closure
    is a reference cycle that would keep every entry of the batch alive until the cyclic
    collector runs (the streamed reader switches it off)."""

    def __init__(self, entries: list[RawEntry], source: str | None, diags: list[Diagnostic]) -> None:
        self.by_key: dict[str, RawEntry] = {}
        self.by_lower: dict[str, RawEntry] = {}
        for e in entries:
            self.by_key.setdefault(e.key, e)
            self.by_lower.setdefault(e.key.lower(), e)
        self.done: set[int] = set()
        self.source, self.diags = source, diags

    def find(self, key: str) -> RawEntry | None:
        return self.by_key.get(key) or self.by_lower.get(key.lower())

    def resolve(self, e: RawEntry, stack: tuple[int, ...]) -> None:
        if id(e) in self.done:
            return
        source, diags = self.source, self.diags
        if id(e) in stack:
            diags.append(warning("bibtex.crossref-cycle", f"crossref/xdata of {e.key!r} loops back to itself; stopped there",
                                 source=source, line=e.line, key=e.key))
            return
        stack = stack + (id(e),)
        for xkey in [k.strip() for k in e.fields.get("xdata", "").split(",") if k.strip()]:
            parent = self.find(xkey)
            if parent is None:
                diags.append(warning("bibtex.xdata-missing", f"xdata entry {xkey!r} is not in the file", source=source, line=e.line, key=e.key))
                continue
            self.resolve(parent, stack)
            own = dict(e.fields)
            for name, value in parent.fields.items():
                if name not in NOT_INHERITED and name not in e.fields and not _blocked(own, name):
                    e.fields[name] = value
            e.inherited_from.append(parent.key)
            e.parent_types.append(parent.type)
        ref = e.fields.get("crossref", "").strip()
        if ref:
            parent = self.find(ref)
            if parent is None:
                diags.append(warning("bibtex.crossref-missing", f"crossref target {ref!r} is not in the file", source=source, line=e.line, key=e.key))
            elif parent is not e:
                self.resolve(parent, stack)
                renames = _renames(parent.type, e.type)
                own = dict(e.fields)
                for name, value in parent.fields.items():
                    if name in NOT_INHERITED:
                        continue
                    target = renames.get(name, name)
                    if target and target not in e.fields and not _blocked(own, target):
                        e.fields[target] = value
                e.inherited_from.append(parent.key)
                e.parent_types.append(parent.type)
        self.done.add(id(e))


def resolve_inheritance(entries: list[RawEntry], source: str | None, diags: list[Diagnostic]) -> None:
    """Fill each entry's missing fields from its ``crossref`` parent and ``xdata`` sources."""
    inheritance = _Inheritance(entries, source, diags)
    for e in entries:
        if "crossref" in e.fields or "xdata" in e.fields:
            inheritance.resolve(e, ())


# --------------------------------------------------------------------------- API

def _simple_literal(raw: str) -> str | None:
    """The text of ``{text}`` with no inner braces, ``"text"`` with no ``#``, or a number (``raw``
    stripped); None when the expression needs evaluating (macros, ``#``, inner braces)."""
    if len(raw) < 2:
        return raw if raw.isdigit() else None
    first, last = raw[0], raw[-1]
    if first == "{":
        return raw[1:-1] if last == "}" and raw.count("{") == 1 and raw.count("}") == 1 else None
    if first == '"':
        return raw[1:-1] if last == '"' and "#" not in raw else None
    return raw if raw.isdigit() else None


# ``{text}`` with no inner brace, control character, tab or line break: its text is the value.
_PLAIN_BRACED = re.compile(r"\{([^{}\x00-\x1f\x7f]*)\}")


def _literal_value(raw: str) -> str | None:
    """``_collapse(_simple_literal(raw))``, or None, with the commonest shape checked first."""
    m = _PLAIN_BRACED.fullmatch(raw)
    if m is not None:
        text = m.group(1)
        return text.strip() if "  " not in text else _WS.sub(" ", text).strip()
    literal = _simple_literal(raw)
    return None if literal is None else _collapse(literal)


def _plain_literal(raw: str, value: str) -> bool:
    """A value whose text is the raw expression without its delimiters (no macro, no ``#``).

    Compared, not parsed: the text of a concatenation or macro never equals its raw
    expression less the outer delimiters, which keeps the braces and quotes between parts."""
    if raw[:1] in '{"':
        inner = raw[1:-1]
        return len(raw) > 1 and raw[-1] == raw[0].replace("{", "}") and (value == inner or value == _collapse(inner))
    return raw.isdigit() or not raw


def item_from_entry(e: RawEntry, source: str | None, format_name: str) -> tuple[Item, list[Diagnostic]]:
    """The item for one evaluated entry, carrying its fields as written (``bibtools.native``)."""
    item, problems = entry_to_item(e.type, e.key, e.fields, source=source, line=e.line, format_name=format_name)
    inherited = None
    if e.inherited_from:
        own = {n.name.lower() for n in e.native}
        inherited = {name: value for name, value in e.fields.items() if name not in own}
    item.native = NativeRecord(format_name, e.written_type or e.type, e.native, inherited, tuple(e.parent_types))
    return item, problems


def read(text: str, *, source: str | None = None, format_name: str = "bibtex", split: Any = None, **_: Any) -> Library:
    library = Library()
    entries = read_entries(text, source, library, split=split)
    resolve_inheritance(entries, source, library.diagnostics)
    for e in entries:
        item, problems = item_from_entry(e, source, format_name)
        library.items.append(item)
        library.diagnostics.extend(problems)
    return library
