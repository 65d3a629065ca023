"""A file's text in pieces and in batches: what every streaming format reader builds on.

Formats that stream (``Format.iter_read``) cut the text where one of their
records may start; this module knows nothing of any format, only of UTF-8,
byte-order marks and batch sizes.
"""
from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

BATCH_CHARS = 1 << 18  # ~256 KB of text per batch: large enough that per-batch costs vanish
READ_BYTES = 1 << 20

Progress = Callable[[int, int], None]  # (bytes read, file size)

T = TypeVar("T")


class NotStreamable(Exception):
    """Why this input/output pair takes the whole-file path."""


def utf8_pieces(path: Path, progress: Progress | None = None) -> Iterator[str]:
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


def head_text(path: Path, chars: int = 65536) -> str:
    """The first ``chars`` characters (for detection); raises ``NotStreamable`` like ``utf8_pieces``."""
    head = ""
    for piece in utf8_pieces(path):
        head += piece
        if len(head) >= chars:
            break
    return head


def batches(pieces: Iterator[str], cut: re.Pattern[str], keep_match: bool) -> Iterator[str]:
    """Text in batches of about ``BATCH_CHARS``, each ending where ``cut`` says a record may end
    (after the match when ``keep_match``, else after its first character)."""
    buffer = ""
    for piece in pieces:
        buffer += piece
        while len(buffer) > BATCH_CHARS:
            m = cut.search(buffer, BATCH_CHARS)
            if m is None:
                break  # a record larger than the batch: read on
            end = m.end() if keep_match else m.start() + 1
            yield buffer[:end]
            buffer = buffer[end:]
    if buffer:
        yield buffer


def with_next(items: Iterator[T]) -> Iterator[tuple[T, T | None]]:
    """Each item with the one after it (``None`` after the last)."""
    previous: T | None = None
    started = False
    for item in items:
        if started:
            yield previous, item  # type: ignore[misc]
        previous, started = item, True
    if started:
        yield previous, None  # type: ignore[misc]
