"""Streaming conversion: one file in, another format out, record by record.

Memory is bounded by a batch of records, not by the file, and the output is
the same text ``load_file`` + ``dump`` would give. The formats do the work,
through two registry hooks (this module never asks which format it has):

- ``Format.iter_read(path)`` reads the file in batches (``textstream`` cuts
  the text; the format carries what one batch passes to the next, such as
  BibTeX's ``@string`` macros and crossref parents, RIS's line width);
- ``Format.item_writer`` writes records one by one.

Only clean UTF-8 (with or without a BOM) streams; anything the encoding
detector would have to guess, a format without ``iter_read`` or
``item_writer``, or a file its format refuses to stream (it raises
``NotStreamable``) goes the whole-file way, and ``StreamReport.reason`` says why.
The default passes run on each batch (normalisation per item; keys for
keyless records are generated against every key in the file).

Diagnostics are the whole-file path's, possibly in another order.
"""
from __future__ import annotations

import codecs
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from . import registry
from .diagnostics import Diagnostic, info
from .model import Item, Library
from .textstream import BATCH_CHARS, NotStreamable, Progress, head_text

KEY_PASS = "bibtools.keys.assign_missing_keys"


@dataclass
class StreamReport:
    """What a conversion did: ``streamed`` is False when the whole-file path ran (``reason`` says why)."""

    items: int = 0
    streamed: bool = True
    reason: str | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    losses: list[Diagnostic] = field(default_factory=list)


def _open(path: Path, source_format: str | None) -> registry.BatchReader:
    """The input's batch reader; raises ``NotStreamable`` when the file is read whole."""
    head = head_text(path)
    fmt = registry.get(source_format) if source_format else registry.detect(head, str(path))
    if fmt.iter_read is None:
        raise NotStreamable(f"{fmt.name} input is read whole")
    return fmt.iter_read(path)


# --------------------------------------------------------------------------- API


def stream_items(path: str | os.PathLike[str], format: str | None = None, *, progress: Progress | None = None,
                 report: StreamReport | None = None) -> Iterator[Item]:
    """The items of a BibTeX/BibLaTeX or RIS file, read batch by batch, with the default passes run.

    Raises ``NotStreamable`` before the first item when the file needs the
    whole-file path. Diagnostics go to ``report.diagnostics``; file-level
    blocks (comments) to ``report`` too.
    """
    path = Path(path)
    for batch in _stream_batches(path, _open(path, format), progress, report or StreamReport()):
        yield from batch.items


def _stream_batches(path: Path, reader: registry.BatchReader, progress: Progress | None,
                    report: StreamReport, *, sealed: bool = True) -> Iterator[Library]:
    from .keys import DEFAULT_PATTERN, generate_key, unique_key
    from .native import seal
    from .passes import DEFAULT_PASSES, resolve

    steps = [resolve(p) for p in DEFAULT_PASSES if p != KEY_PASS]
    naming = KEY_PASS in DEFAULT_PASSES
    taken: set[str] | None = None
    missing = 0
    for part in reader.batches(progress):
        for step in steps:
            step(part)
        if sealed:
            seal(part)  # as passes.run does after a whole-file read
        if naming and any(not item.id for item in part.items):
            if taken is None:  # every key in the file, so generated ones avoid later keys too
                taken = reader.taken_keys()
            for item in part.items:  # keys.assign_keys, with ``taken`` kept across batches
                if item.id:
                    continue
                missing += 1
                item.id = unique_key(generate_key(item, DEFAULT_PATTERN), taken)
                taken.add(item.id)
        report.diagnostics.extend(part.diagnostics)
        report.items += len(part.items)
        yield part
    report.diagnostics.extend(reader.verdict(report.items, report.diagnostics))
    from .api import input_verdict  # the same verdict as a whole-file read (the head is enough for it)

    report.diagnostics.extend(input_verdict(head_text(path), report.items, report.diagnostics, str(path)))
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
    reader: registry.BatchReader | None = None
    if reason is None:
        try:
            reader = _open(path, format)
            assert target.item_writer is not None
            head = _FileBlocks(reader.file_blocks)
            # fails early on options it cannot stream, and reads the file-level blocks it needs
            target.item_writer(_Null(), options, head)
        except NotStreamable as exc:
            reason = str(exc)
    if reason is not None:
        return _whole(path, output, target, format, encoding, options, report, reason, progress)
    assert reader is not None and target.item_writer is not None
    from .api import _no_gc

    # The collector would re-walk every young object many times per batch, and the readers leave
    # no reference cycles (tests/test_stream.py checks), so a batch is freed as soon as it is written.
    with _output(output) as out, _no_gc():
        writer = target.item_writer(out, options, head)
        # the items go straight to the writer: the baseline snapshot only matters to one that compares
        for part in _stream_batches(path, reader, progress, report, sealed=target.writes_as_read):
            for item in part.items:
                writer.item(item)
            writer.comments(part.comments)
        writer.finish()
    return report


class _Null:
    def write(self, text: str) -> int:
        return len(text)


class _FileBlocks:
    """The reader's file-level blocks, read once however often the writer asks."""

    def __init__(self, read: Any) -> None:
        self.read, self.done, self.value = read, False, None

    def __call__(self) -> Library | None:
        if not self.done:
            self.value, self.done = self.read(), True
        return self.value


def why_not_streamable(path: str | os.PathLike[str], target: registry.Format, encoding: str | None = None) -> str | None:
    """A sentence saying why this conversion cannot stream, or None when it may (the file's content can still say no)."""
    if target.item_writer is None:
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
