"""Streaming conversion: BibTeX/BibLaTeX or RIS in, CSL-JSON, RIS or BibTeX out, piece by piece.

Memory is bounded by a batch of entries (``BATCH_CHARS`` of text, or the
largest entry if that is bigger), not by the file, and the output is the
same text ``load_file`` + ``dump`` would give. How:

- the file is read in blocks and decoded incrementally (only clean UTF-8,
  with or without a BOM, streams; anything the detector would have to guess
  goes the whole-file way);
- the text is cut where a block can start: BibTeX at a line starting with
  ``@type{`` (bibtexparser's splitter restarts there too, even inside an
  unclosed entry), RIS after an ``ER`` line;
- each batch goes through the format's own ``read`` with the state of the
  pieces before it: ``@string`` macros, keys already used (duplicate-key
  warnings), line numbers, RIS's widest line;
- then the default passes run on the batch (normalisation per item; keys
  for keyless records are generated against every key in the file, found by
  a first pass), and each item is written as it comes.

BibTeX ``crossref``/``xdata`` need the parent, which usually comes after its
children. A cheap first scan collects the keys they name; a second pass keeps
just those parent entries (and every ``@string``/``@preamble``, which the
BibTeX writer puts first); then the conversion pass resolves each batch's
children against them. When a reference cannot be read without evaluating the
file (a ``crossref`` given as a macro), or the file is not plain UTF-8, the
whole-file path runs instead and ``StreamReport.reason`` says why.

Diagnostics are the whole-file path's, possibly in another order.
"""
from __future__ import annotations

import codecs
import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from . import registry
from .diagnostics import Diagnostic, Severity, info
from .model import Item, Library

BATCH_CHARS = 1 << 18  # ~256 KB of text per batch: large enough that per-batch costs vanish
READ_BYTES = 1 << 20
STREAM_READERS = ("bibtex", "biblatex", "ris")
STREAM_WRITERS = ("csljson", "ris", "bibtex", "biblatex")
KEY_PASS = "bibtools.keys.assign_missing_keys"

Progress = Callable[[int, int], None]  # (bytes read, file size)

# bibtexparser's block start, at a line start (after optional white space): the splitter
# aborts any open block there, so the text before and after are parsed independently.
_BIBTEX_CUT = re.compile(r"\n(?=[^\S\n]*@\w*[ \t]*[{(])")
_RIS_CUT = re.compile(r"(?m)^ER {1,2}-[^\r\n]*(?:\r\n|\r|\n)")
_RIS_LINE_BREAKS = re.compile(r"\r\n|\r|\n")
_REFERENCE = re.compile(r"(?i)(?<![\w-])(?:crossref|xdata)\s*=\s*")
_KEY_TOKENS = re.compile(r"[^\s{}\",#]+")
_FILE_BLOCK = re.compile(r"(?i)@\s*(?:string|preamble)\s*[{(]")
_BLOCK_HEAD = re.compile(r"[^\S\n]*@\w*[ \t]*[{(]")
_ENTRY_KEY = re.compile(r"@\w*[ \t]*[{(]\s*([^,\s})]+)")


class NotStreamable(Exception):
    """Why this input/output pair takes the whole-file path."""


@dataclass
class StreamReport:
    """What a conversion did: ``streamed`` is False when the whole-file path ran (``reason`` says why)."""

    items: int = 0
    streamed: bool = True
    reason: str | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    losses: list[Diagnostic] = field(default_factory=list)


# --------------------------------------------------------------------------- reading the file


def _utf8_pieces(path: Path, progress: Progress | None = None) -> Iterator[str]:
    """The file's text in pieces; raises ``NotStreamable`` unless it is plain UTF-8."""
    size = path.stat().st_size
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    done = 0
    with path.open("rb") as handle:
        first = True
        while True:
            data = handle.read(READ_BYTES)
            if first:
                first = False
                if data.startswith(codecs.BOM_UTF8):
                    data = data[len(codecs.BOM_UTF8):]
                elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                    raise NotStreamable("the file is not UTF-8 (byte-order mark)")
                else:
                    from .textio import _utf16_without_bom

                    if _utf16_without_bom(data):
                        raise NotStreamable("the file looks like UTF-16")
            done += len(data)
            try:
                text = decoder.decode(data, final=not data)
            except UnicodeDecodeError:
                raise NotStreamable("the file is not valid UTF-8 (its encoding has to be guessed)") from None
            if progress is not None:
                progress(done, size)
            if text:
                yield text
            if not data:
                return


def _batches(pieces: Iterator[str], cut: re.Pattern[str], keep_match: bool) -> Iterator[str]:
    """Text in batches of about ``BATCH_CHARS``, each ending where ``cut`` says a block may end."""
    buffer = ""
    for piece in pieces:
        buffer += piece
        while len(buffer) > BATCH_CHARS:
            m = cut.search(buffer, BATCH_CHARS)
            if m is None:
                break  # an entry larger than the batch: read on
            end = m.end() if keep_match else m.start() + 1
            yield buffer[:end]
            buffer = buffer[end:]
    if buffer:
        yield buffer


# --------------------------------------------------------------------------- first passes


@dataclass
class _Plan:
    """What the first pass learnt about the file."""

    fmt: registry.Format
    targets: set[str] = field(default_factory=set)  # lower-cased crossref/xdata keys
    has_file_blocks: bool = False  # @string/@preamble present
    ris_widest: int = 0
    parents: list[Any] | None = None  # BibTeX: the crossref/xdata parents, once read
    head: Library | None = None  # BibTeX: @string and @preamble blocks, for a BibTeX writer


def _scan(path: Path, source_format: str | None) -> _Plan:
    """Format, crossref targets, @string presence, RIS line width - in one cheap text pass."""
    head = ""
    plan: _Plan | None = None
    tail = ""
    for piece in _utf8_pieces(path):
        if plan is None:
            head += piece
            if len(head) < 65536:
                continue
            plan = _Plan(_detect(head, path, source_format))
            piece, head = head, ""
        _scan_piece(plan, tail + piece)
        tail = piece[-200:]  # a reference split between pieces is seen whole
    if plan is None:
        plan = _Plan(_detect(head, path, source_format))
        _scan_piece(plan, head)
    return plan


def _detect(head: str, path: Path, source_format: str | None) -> registry.Format:
    fmt = registry.get(source_format) if source_format else registry.detect(head, str(path))
    if fmt.name not in STREAM_READERS:
        raise NotStreamable(f"{fmt.name} input is read whole")
    if fmt.name == "ris":
        from .formats.ris import _is_wos

        lines = [ln.lstrip("\ufeff") for ln in head[:8000].splitlines() if ln.strip()][:5]
        if lines and _is_wos(lines):
            raise NotStreamable("a Web of Science file is reported whole")
    return fmt


def _scan_piece(plan: _Plan, text: str) -> None:
    if plan.fmt.name == "ris":
        plan.ris_widest = max(plan.ris_widest, max((len(ln) for ln in _RIS_LINE_BREAKS.split(text)), default=0))
        return
    if not plan.has_file_blocks and _FILE_BLOCK.search(text):
        plan.has_file_blocks = True
    for m in _REFERENCE.finditer(text):
        rest = text[m.end():m.end() + 400]
        if not rest:
            continue
        opener = rest[0]
        if opener in "{\"":
            closer = "}" if opener == "{" else '"'
            end = rest.find(closer, 1)
            value = rest[1:end if end > 0 else len(rest)]
            if "{" in value:
                raise NotStreamable("a crossref/xdata value holds braces")
            plan.targets.update(t.lower() for t in _KEY_TOKENS.findall(value))
            plan.targets.update(k.strip().lower() for k in value.split(","))  # keys with spaces, whole
        elif not rest[:1].isspace():
            raise NotStreamable("a crossref/xdata value is a macro (needs the whole file)")


# --------------------------------------------------------------------------- BibTeX


@dataclass
class _BibState:
    macros: dict[str, str]
    seen_keys: dict[str, int] = field(default_factory=dict)
    string_names: dict[str, str] = field(default_factory=dict)
    line: int = 0  # newlines before the current batch


def _bib_state() -> _BibState:
    from .mappings.bibtex import MONTH_MACROS

    return _BibState(dict(MONTH_MACROS))


def _bib_parents(path: Path, plan: _Plan) -> None:
    """Second pass: the crossref/xdata parents (resolved among themselves), and @string/@preamble blocks."""
    from .formats import bibtex

    if plan.parents is not None:
        return

    state = _bib_state()
    parents: list[Any] = []
    blocks = Library()
    for batch in _batches(_utf8_pieces(path), _BIBTEX_CUT, False):
        wanted = _FILE_BLOCK.search(batch) or (
            plan.targets and any(k.lower() in plan.targets for k in _ENTRY_KEY.findall(batch))
        )
        if wanted:
            part = Library()
            entries = bibtex.read_entries(batch, str(path), part, macros=state.macros, seen_keys={},
                                           string_names=state.string_names, line_offset=state.line)
            parents.extend(e for e in entries if e.key.lower() in plan.targets)
            for name, value in part.strings.items():
                blocks.strings[name] = value
            blocks.string_sources.update(part.string_sources)
            blocks.preambles.extend(part.preambles)
        state.line += _lines_in(batch)
    bibtex.resolve_inheritance(parents, str(path), [])
    for e in parents:  # resolved once: children inherit from them, they need not resolve again
        e.fields.pop("crossref", None)  # (neither field is inherited)
        e.fields.pop("xdata", None)
    plan.parents, plan.head = parents, blocks


def _bib_items(path: Path, plan: _Plan, report: StreamReport, progress: Progress | None) -> Iterator[Library]:
    from .formats import bibtex

    if plan.targets:
        _bib_parents(path, plan)
    parents = plan.parents or []
    state = _bib_state()
    source = str(path)
    heads: dict[str, tuple[int, int]] = {}
    for batch, following in _with_next(_batches(_utf8_pieces(path, progress), _BIBTEX_CUT, False)):
        part = Library()
        newlines = _lines_in(batch)
        # The next block's head ("@article{") ends an unclosed last entry the way the whole
        # file does (same message); the head itself then fails alone and is dropped.
        head = _BLOCK_HEAD.match(following) if following else None
        text = batch + head.group() if head else batch
        entries = bibtex.read_entries(text, source, part, macros=state.macros, seen_keys=state.seen_keys,
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
        if plan.targets and any("crossref" in e.fields or "xdata" in e.fields for e in entries):
            lines = {e.line for e in entries}
            outside = [p for p in parents if p.line not in lines]  # a parent in this batch is read here
            pool = sorted(entries + outside, key=lambda e: e.line)  # lookups take the file's first entry of a key
            found: list[Diagnostic] = []
            bibtex.resolve_inheritance(pool, source, found)
            part.diagnostics.extend(d for d in found if d.line in lines)
        state.line += newlines
        for e in entries:
            item, problems = bibtex.item_from_entry(e, source, plan.fmt.name)
            part.items.append(item)
            part.diagnostics.extend(problems)
        yield part


def _lines_in(batch: str) -> int:
    """Line breaks before the next batch, as the reader counts them."""
    return batch.count("\n")


def _head_yield(head: str, cache: dict[str, tuple[int, int]]) -> tuple[int, int]:
    """How many entries and diagnostics a lone block head makes (it is always the batch's last block)."""
    if head not in cache:
        from .formats import bibtex

        alone = Library()
        cache[head] = (len(bibtex.read_entries(head, None, alone)), len(alone.diagnostics))
    return cache[head]


def _with_next(batches: Iterator[str]) -> Iterator[tuple[str, str | None]]:
    previous: str | None = None
    for batch in batches:
        if previous is not None:
            yield previous, batch
        previous = batch
    if previous is not None:
        yield previous, None


# --------------------------------------------------------------------------- RIS


def _ris_items(path: Path, plan: _Plan, report: StreamReport, progress: Progress | None) -> Iterator[Library]:
    from .formats import ris

    line = 1
    for batch in _batches(_utf8_pieces(path, progress), _RIS_CUT, True):
        if not batch.strip():  # white space after the last record: nothing for the reader to say
            line += len(_RIS_LINE_BREAKS.findall(batch))
            continue
        part = ris.read(batch, source=str(path), first_line=line, widest=plan.ris_widest)
        part.diagnostics = [d for d in part.diagnostics if d.code != "ris.no-records"]  # a file-level verdict, given at the end
        # the batch ends after a line break, which starts one more (empty) line in the splitter's count
        line += len(_RIS_LINE_BREAKS.findall(batch))
        yield part


def _ris_ids(path: Path, plan: _Plan) -> set[str]:
    """Keys RIS records carry themselves (``ID``): generated keys must avoid every one of them."""
    from .formats import ris

    ids: set[str] = set()
    for batch in _batches(_utf8_pieces(path), _RIS_CUT, True):
        if not batch.strip():
            continue
        part = ris.read(batch, source=str(path), widest=plan.ris_widest)
        ids.update(item.id for item in part.items if item.id)
    return ids


# --------------------------------------------------------------------------- writing


class _Writer:
    """Writes items one by one exactly as the target's ``write`` would write them all."""

    def __init__(self, fmt: registry.Format, out: IO[str], options: dict[str, Any], head: Library | None) -> None:
        self.fmt, self.out, self.options = fmt, out, options
        self.count = 0
        self.comments: list[str] = []
        if fmt.name == "csljson":
            indent = options.get("indent", 2)
            if type(indent) is not int or indent < 0:
                raise NotStreamable("CSL-JSON with this indent is written whole")
            self.indent = indent
        self.parts = 0  # BibTeX: blocks written so far (joined by one blank line)
        if fmt.name in ("bibtex", "biblatex") and head is not None and (head.strings or head.preambles):
            self._bib_part(fmt.write(head, **options))
            # commands the file's @preamble defines stay live in every entry, as in a whole-file write
            from .safety import preamble_commands
            self.options = {**options, "defined": preamble_commands(head.preambles)}

    def _bib_part(self, text: str) -> None:
        if not text:
            return
        self.out.write(text if self.parts == 0 else "\n" + text)
        self.parts += 1

    def item(self, item: Item) -> None:
        name = self.fmt.name
        if name == "csljson":
            from .formats.csljson import item_json

            pad = " " * self.indent
            self.out.write(("[\n" + pad if self.count == 0 else ",\n" + pad) + item_json(item, self.indent))
        elif name == "ris":
            text = self.fmt.write(Library([item]), **self.options)[:-1]
            self.out.write(text if self.count == 0 else "\n\n" + text)
        else:
            self._bib_part(self.fmt.write(Library([item]), **self.options))
        self.count += 1

    def finish(self) -> None:
        name = self.fmt.name
        if name == "csljson":
            self.out.write("\n]\n" if self.count else "[]\n")
        elif name == "ris":
            self.out.write("\n" if self.count else "")
        elif self.comments:
            self._bib_part(self.fmt.write(Library(comments=self.comments), **self.options))


# --------------------------------------------------------------------------- API


def stream_items(path: str | os.PathLike[str], format: str | None = None, *, progress: Progress | None = None,
                 report: StreamReport | None = None) -> Iterator[Item]:
    """The items of a BibTeX/BibLaTeX or RIS file, read batch by batch, with the default passes run.

    Raises ``NotStreamable`` before the first item when the file needs the
    whole-file path. Diagnostics go to ``report.diagnostics``; file-level
    blocks (comments) to ``report`` too.
    """
    for batch in _stream_batches(Path(path), format, progress, report or StreamReport()):
        yield from batch.items


def _stream_batches(path: Path, format: str | None, progress: Progress | None, report: StreamReport,
                    plan: _Plan | None = None) -> Iterator[Library]:
    from .keys import DEFAULT_PATTERN, generate_key, unique_key
    from .passes import DEFAULT_PASSES, resolve

    plan = plan or _scan(path, format)
    steps = [resolve(p) for p in DEFAULT_PASSES if p != KEY_PASS]
    naming = KEY_PASS in DEFAULT_PASSES
    taken: set[str] | None = None
    missing = 0
    reader = _ris_items if plan.fmt.name == "ris" else _bib_items
    from .native import seal

    for part in reader(path, plan, report, progress):
        for step in steps:
            step(part)
        seal(part)  # as passes.run does after a whole-file read
        if naming and any(not item.id for item in part.items):
            if taken is None:  # every key in the file, so generated ones avoid later keys too
                taken = _ris_ids(path, plan) if plan.fmt.name == "ris" else set()
            for item in part.items:  # keys.assign_keys, with ``taken`` kept across batches
                if item.id:
                    continue
                missing += 1
                item.id = unique_key(generate_key(item, DEFAULT_PATTERN), taken)
                taken.add(item.id)
        report.diagnostics.extend(part.diagnostics)
        report.items += len(part.items)
        yield part
    if plan.fmt.name == "ris" and not report.items and not any(
        d.code.startswith("ris.") and d.severity is not Severity.INFO for d in report.diagnostics
    ):
        from .diagnostics import warning

        report.diagnostics.append(warning("ris.no-records", "no RIS records found", source=str(path)))
    if missing:
        report.diagnostics.append(info("keys.generated", f"{missing} item(s) had no citation key; generated with {DEFAULT_PATTERN}"))


@contextmanager
def _output(output: str | os.PathLike[str] | IO[str] | None) -> Iterator[IO[str]]:
    if output is None or output == "-":
        yield sys.stdout
    elif hasattr(output, "write"):
        yield output  # type: ignore[misc]
    else:
        from .textio import atomic_writer

        with atomic_writer(output) as handle:
            yield handle


def convert_file(
    path: str | os.PathLike[str],
    output: str | os.PathLike[str] | IO[str] | None,
    to: str,
    *,
    format: str | None = None,
    encoding: str | None = None,
    stream: bool = True,
    progress: Progress | None = None,
    **options: Any,
) -> StreamReport:
    """Convert the file ``path`` to ``to``, written to ``output`` (a path, an open text file, or stdout).

    Streams when it can (see the module docstring) and otherwise loads the
    whole file; either way the text written is the same. ``options`` go to
    the writer (``ascii``...). The report holds the diagnostics, the losses
    the writer listed, and whether (or why not) it streamed.
    """
    path = Path(path)
    target = registry.get(to)
    report = StreamReport()
    options = dict(options)
    options["losses"] = report.losses
    reason = why_not_streamable(path, target, encoding) if stream else "streaming was turned off"
    plan: _Plan | None = None
    if reason is None:
        try:
            plan = _scan(path, format)
            _Writer(target, _Null(), options, None)  # fails early on options it cannot stream
            if target.name in ("bibtex", "biblatex") and plan.has_file_blocks and plan.fmt.name != "ris":
                _bib_parents(path, plan)
        except NotStreamable as exc:
            reason = str(exc)
    if reason is not None:
        return _whole(path, output, target, format, encoding, options, report, reason, progress)
    assert plan is not None
    with _output(output) as out:
        writer = _Writer(target, out, options, plan.head)
        for part in _stream_batches(path, format, progress, report, plan):
            for item in part.items:
                writer.item(item)
            writer.comments.extend(part.comments)
        writer.finish()
    return report


class _Null:
    def write(self, text: str) -> int:
        return len(text)


def why_not_streamable(path: str | os.PathLike[str], target: registry.Format, encoding: str | None = None) -> str | None:
    """A sentence saying why this conversion cannot stream, or None when it may (the file's content can still say no)."""
    if target.name not in STREAM_WRITERS:
        return f"{target.name} output is written whole"
    if encoding and codecs.lookup(encoding).name != "utf-8":
        return f"the input encoding is forced to {encoding}"
    if not Path(path).is_file():
        return "the input is not a regular file"
    return None


def _whole(path: Path, output: Any, target: registry.Format, format: str | None, encoding: str | None,
           options: dict[str, Any], report: StreamReport, reason: str, progress: Progress | None) -> StreamReport:
    from .api import dump, load_file
    from .keys import resolve_repeated_keys

    size = path.stat().st_size if path.is_file() else 0
    library = load_file(path, format, encoding=encoding)
    resolve_repeated_keys(library)  # as every command's read does (cli.common.read_inputs)
    if progress is not None:
        progress(size, size)
    text = dump(library, target.name, **options)
    with _output(output) as out:
        out.write(text)
    report.streamed, report.reason = False, reason
    report.items = len(library)
    report.diagnostics = library.diagnostics
    return report


__all__ = ["BATCH_CHARS", "NotStreamable", "StreamReport", "convert_file", "stream_items", "why_not_streamable"]
