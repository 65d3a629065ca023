"""A .bib file read batch by batch, and entries written one by one (``Format.iter_read``/``item_writer``).

Batches are cut where bibtexparser's splitter restarts anyway (a line starting
with ``@type{``: it aborts any open block there), so each batch reads exactly
as it would inside the whole file. What a batch cannot know alone is carried
in: ``@string`` macros, keys already used, line numbers.

``crossref``/``xdata`` children need their parent, which usually comes later.
Opening the reader scans the text once cheaply: the keys children name, and
where each entry and ``@string``/``@preamble`` block starts (offset and line).
Then only the parent entries and file-level blocks are read - block by block,
never a whole batch twice - and parents not in the file cost nothing. A
reference that cannot be read without evaluating the file (a ``crossref``
given as a macro, a value with braces) makes the file go the whole-file way.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from ...diagnostics import Diagnostic
from ...model import Item, Library
from ...textstream import NotStreamable, Progress, batches, utf8_pieces, with_next
from .reader import RawEntry, item_from_entry, read_entries, resolve_inheritance

# bibtexparser's block start, at a line start (after optional white space).
CUT = re.compile(r"\n(?=[^\S\n]*@\w*[ \t]*[{(])")
_HEAD = re.compile(r"@(\w*)[ \t]*[{(]")
_KEY_AFTER_HEAD = re.compile(r"\s*([^,\s})]+)")
_EQUALS = re.compile(r"\s*=\s*")
# `crossref =` / `xdata =` as a field name, for the text _reference_values cannot search with
# str.find (names in upper or mixed case in a non-ASCII text). Anchored on a literal first letter
# with a look-behind after it; it also admits `cdata`/`xrossref`, which _reference_values skips.
_REFERENCE = re.compile(r"(?P<name>[cCxX](?<![\w-][cCxX])(?i:rossref|data))\s*=\s*")
_REFERENCE_NAMES = ("crossref", "xdata")
_KEY_TOKENS = re.compile(r"[^\s{}\",#]+")
_BLOCK_HEAD = re.compile(r"[^\S\n]*@\w*[ \t]*[{(]")
_FILE_BLOCK_TYPES = ("string", "preamble")


@dataclass
class _State:
    """What one batch passes to the next."""

    macros: dict[str, str]
    seen_keys: dict[str, int] = field(default_factory=dict)
    string_names: dict[str, str] = field(default_factory=dict)
    line: int = 0  # line breaks before the current batch


def _state() -> _State:
    from ...mappings.bibtex import MONTH_MACROS

    return _State(dict(MONTH_MACROS))


@dataclass
class _Index:
    """What the scan learnt: crossref/xdata targets and where blocks start."""

    targets: set[str] = field(default_factory=set)  # lower-cased keys children name
    starts: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # key -> [(offset, line)] of line-start heads
    file_blocks: list[tuple[int, int]] = field(default_factory=list)  # @string/@preamble heads (offset, line)
    # A head not at a line start (``% built in: @string{...}``) may or may not be a block: that
    # depends on what comes before it since the splitter last restarted (the line-start head before
    # it). That stretch is read instead, and the splitter decides, as it does in the whole file.
    inside: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # key -> [stretch starts]
    last_start: tuple[int, int] = (0, 1)  # the last line-start head seen (the file's start before any)
    values_seen: set[str] = field(default_factory=set)  # crossref/xdata values already read


class BibBatchReader:
    """``Format.iter_read`` for both dialects: see the module docstring."""

    def __init__(self, path: Path, dialect: str) -> None:
        self.path, self.dialect = path, dialect
        self.source = str(path)
        self.index = self._scan()
        self._parents: list[RawEntry] | None = None
        self._head: Library | None = None
        if self.index.targets:  # before the first batch: it may find the file must be read whole
            self._read_parents()

    # ------------------------------------------------------------------ the scan

    def _scan(self) -> _Index:
        index = _Index()
        carry, base, line = "", 0, 1  # carry: the last, unfinished line; base, line: where text[0] is
        tail = ""
        for piece in utf8_pieces(self.path):
            self._scan_references(index, tail + piece)
            tail = piece[-200:]  # a reference split between pieces is seen whole
            text = carry + piece
            done = text.rfind("\n") + 1  # whole lines only; the rest waits for the next piece
            if done == 0:
                carry = text
                continue
            self._scan_lines(index, text, done, base, line)
            line += text.count("\n", 0, done)
            base += done
            carry = text[done:]
        if carry:
            self._scan_lines(index, carry, len(carry), base, line)
        return index

    def _scan_lines(self, index: _Index, text: str, done: int, base: int, line: int) -> None:
        """Every block head in ``text[:done]`` (``text[0]`` is at file offset ``base``, line ``line``):
        where it starts a line, its offset and line into the index; where it does not, the start of
        the stretch that holds it (``_Index.inside``).

        One search for "@", the rarest mark (a search for line starts tries every line)."""
        pos = 0
        for m in _HEAD.finditer(text, 0, done):
            at = m.start()
            key = _KEY_AFTER_HEAD.match(text, m.end())
            kind = m.group(1).lower()
            if text[text.rfind("\n", 0, at) + 1:at].strip():  # not at a line start (after white space)
                spot, heads = index.last_start, index.inside
            else:
                line += text.count("\n", pos, at)
                pos = at
                index.last_start = (base + at, line)
                spot, heads = index.last_start, index.starts
            if kind in _FILE_BLOCK_TYPES:
                index.file_blocks.append(spot)
            elif key is not None and kind != "comment":
                heads.setdefault(key.group(1).lower(), []).append(spot)

    def _scan_references(self, index: _Index, text: str) -> None:
        seen = index.values_seen
        for value_start in _reference_values(text):
            opener = text[value_start:value_start + 1]
            if not opener:
                continue
            if opener in "{\"":
                closer = "}" if opener == "{" else '"'
                end = text.find(closer, value_start + 1, value_start + 400)
                value = text[value_start + 1:end if end > 0 else value_start + 400]
                if value in seen:  # children of one parent name it again and again
                    continue
                seen.add(value)
                if "{" in value:
                    raise NotStreamable("a crossref/xdata value holds braces")
                index.targets.update(t.lower() for t in _KEY_TOKENS.findall(value))
                index.targets.update(k.strip().lower() for k in value.split(","))  # keys with spaces, whole
            elif not opener.isspace():
                raise NotStreamable("a crossref/xdata value is a macro (needs the whole file)")

    # ------------------------------------------------------------------ parents and file-level blocks

    def _read_parents(self) -> None:
        """The crossref/xdata parents (resolved among themselves) and the @string/@preamble blocks,
        read block by block from the offsets the scan found."""
        if self._parents is not None:
            return
        index = self.index
        spots = [s for t in index.targets for s in index.starts.get(t, []) + index.inside.get(t, [])]
        spots = sorted(set(spots + index.file_blocks))  # a stretch may hold several heads
        text = _blocks_text(self.path, spots)
        blocks = Library()
        parents = read_entries(text, self.source, blocks, macros=_state().macros, seen_keys={}, string_names={})
        parents = [e for e in parents if e.key.lower() in index.targets]
        resolve_inheritance(parents, self.source, [])
        for e in parents:  # resolved once: children inherit from them, they need not resolve again
            e.fields.pop("crossref", None)  # (neither field is inherited)
            e.fields.pop("xdata", None)
        blocks.diagnostics = []  # said again when their batch is read
        blocks.comments = []
        self._parents, self._head = parents, blocks

    def file_blocks(self) -> Library | None:
        if not self.index.file_blocks:
            return None
        self._read_parents()
        return self._head

    # ------------------------------------------------------------------ the batches

    def batches(self, progress: Progress | None) -> Iterator[Library]:
        index = self.index
        parents = self._parents or []
        state = _state()
        heads: dict[str, tuple[int, int]] = {}
        for batch, following in with_next(batches(utf8_pieces(self.path, progress), CUT, False)):
            part = Library()
            # The next block's head ("@article{") ends an unclosed last entry the way the whole
            # file does (same message); the head itself then fails alone and is dropped.
            head = _BLOCK_HEAD.match(following) if following else None
            text = batch + head.group() if head else batch
            entries = read_entries(text, self.source, part, macros=state.macros, seen_keys=state.seen_keys,
                                   string_names=state.string_names, line_offset=state.line)
            if head:  # whatever the reader made of the lone head (an error, a salvaged empty entry) goes
                n_entries, n_diags = _head_yield(head.group(), heads)
                if n_entries:
                    for e in entries[-n_entries:]:
                        if state.seen_keys.get(e.key) == e.line:
                            del state.seen_keys[e.key]
                    del entries[-n_entries:]
                if n_diags:
                    del part.diagnostics[-n_diags:]
            if index.targets and any("crossref" in e.fields or "xdata" in e.fields for e in entries):
                lines = {e.line for e in entries}
                outside = [p for p in parents if p.line not in lines]  # a parent in this batch is read here
                pool = sorted(entries + outside, key=lambda e: e.line)  # lookups take the file's first entry of a key
                found: list[Diagnostic] = []
                resolve_inheritance(pool, self.source, found)
                part.diagnostics.extend(d for d in found if d.line in lines)
            state.line += batch.count("\n")
            for e in entries:
                item, problems = item_from_entry(e, self.source, self.dialect)
                part.items.append(item)
                part.diagnostics.extend(problems)
            yield part

    def taken_keys(self) -> set[str]:
        return set()  # every BibTeX entry has a key (a keyless one is named after its line)

    def verdict(self, items: int, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
        return []


def _reference_values(text: str) -> list[int]:
    """Where the values of ``crossref =`` / ``xdata =`` fields (any letter case) start, in text order.

    Found with ``str.find`` (several times faster than the regex, which tries every "c" and "x")
    in the text lower-cased, or in the text itself when its (ASCII) lower case holds the names no
    more often: lower-casing a text that is not all ASCII is slow. The regex is kept for the rest."""
    if text.isascii():
        low = text.lower()
    elif _only_lower_case(text):
        low = text  # every spelling of the names is lower case already
    else:
        return [m.end() for m in _REFERENCE.finditer(text) if m.group("name").lower() in _REFERENCE_NAMES]
    spots: list[int] = []
    for word in _REFERENCE_NAMES:
        at = low.find(word)
        while at >= 0:
            before = text[at - 1] if at else ""
            if not (before.isalnum() or before == "_" or before == "-"):
                equals = _EQUALS.match(text, at + len(word))
                if equals is not None:
                    spots.append(equals.end())
            at = low.find(word, at + 1)
    spots.sort()
    return spots


def _only_lower_case(text: str) -> bool:
    """Whether the names occur in ``text`` in no other ASCII letter case (BibTeX's comparison)."""
    folded = text.encode("utf-8", "surrogatepass").lower()
    return all(text.count(word) == folded.count(word.encode()) for word in _REFERENCE_NAMES)


def _blocks_text(path: Path, spots: list[tuple[int, int]]) -> str:
    """The blocks starting at ``spots`` (offset, line), each up to the next block head, on their own
    lines: the text between them is replaced by as many line breaks, so line numbers stay right."""
    out: list[str] = []
    line = 1
    pieces = utf8_pieces(path)
    buffer, base = "", 0  # buffer holds the file's text from offset ``base``
    exhausted = False

    def more() -> None:
        nonlocal buffer, exhausted
        piece = next(pieces, None)
        if piece is None:
            exhausted = True
        else:
            buffer += piece

    for offset, spot_line in spots:
        while offset - base > len(buffer) and not exhausted:  # what lies before the block is not needed
            base += len(buffer)
            buffer = ""
            more()
        start = offset - base
        if start > len(buffer):
            break
        buffer, base = buffer[start:], offset
        while True:
            m = CUT.search(buffer)
            if m is not None or exhausted:
                break
            more()
        block = buffer[:m.start() + 1] if m is not None else buffer
        out.append("\n" * max(spot_line - line, 0))
        out.append(block)
        line = max(spot_line, line) + block.count("\n")
    return "".join(out)


def _head_yield(head: str, cache: dict[str, tuple[int, int]]) -> tuple[int, int]:
    """How many entries and diagnostics a lone block head makes (it is always the batch's last block)."""
    if head not in cache:
        alone = Library()
        cache[head] = (len(read_entries(head, None, alone)), len(alone.diagnostics))
    return cache[head]


class BibItemWriter:
    """``Format.item_writer`` for both dialects: the file-level blocks first, then one entry at a time."""

    def __init__(self, write: Callable[..., str], out: IO[str], options: dict[str, Any],
                 file_blocks: Callable[[], Library | None]) -> None:
        self.write, self.out, self.options = write, out, options
        self.parts = 0  # blocks written so far (joined by one blank line)
        self._comments: list[str] = []
        head = file_blocks()
        if head is not None and (head.strings or head.preambles):
            self._part(write(head, **options))
            # commands the file's @preamble defines stay live in every entry, as in a whole-file write
            from ...safety import preamble_commands

            self.options = {**options, "defined": preamble_commands(head.preambles)}

    def _part(self, text: str) -> None:
        if not text:
            return
        self.out.write(text if self.parts == 0 else "\n" + text)
        self.parts += 1

    def item(self, item: Item) -> None:
        self._part(self.write(Library([item]), **self.options))

    def comments(self, comments: list[str]) -> None:
        self._comments.extend(comments)

    def finish(self) -> None:
        if self._comments:
            self._part(self.write(Library(comments=self._comments), **self.options))
