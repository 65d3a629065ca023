"""The typed Python API. The CLI is a thin layer over these functions."""
from __future__ import annotations

import gc
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from collections.abc import Sequence
from typing import Any

from . import passes as _passes
from . import registry
from .diagnostics import Diagnostic, Severity, warning
from .model import Library
from .passes import Pass
from .text.surrogates import may_hold_surrogates, replace_in_library
from .textio import atomic_write, decode, read_text


def _looks_like_path(value: str) -> bool:
    return "\n" not in value and len(value) < 4096 and os.path.isfile(value)


def load_string(
    text: str, format: str | None = None, *, source: str | None = None, passes: Sequence[str | Pass] | None = None, **options: Any
) -> Library:
    """Parse ``text`` in ``format`` (detected from the content when ``None``), then run the passes."""
    fmt = registry.get(format) if format else registry.detect(text, source)
    if fmt.read is None:
        raise registry.UnknownFormat(f"format {fmt.name!r} cannot be read")
    with _no_gc():
        library = fmt.read(text, source=source or "<string>", **options)
        if may_hold_surrogates(text):  # JSON "\ud800" or surrogateescape'd text: never past the reader
            replace_in_library(library, source or "<string>")
        return _passes.run(library, passes)


@contextmanager
def _no_gc() -> Iterator[None]:
    """Reading builds many objects and no cycles: the cyclic collector only re-walks them
    (22% of loading a 24k-entry file). It is switched back on afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_bytes(
    data: bytes,
    format: str | None = None,
    *,
    source: str | None = None,
    encoding: str | None = None,
    passes: Sequence[str | Pass] | None = None,
    **options: Any,
) -> Library:
    decoded = decode(data, encoding, source=source)
    library = load_string(decoded.text, format, source=source or "<bytes>", passes=passes, **options)
    library.diagnostics[:0] = decoded.diagnostics
    library.diagnostics.extend(input_verdict(decoded.text, len(library), library.diagnostics, source or "<bytes>"))
    return library


_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def input_verdict(text: str, records: int, diagnostics: list[Diagnostic], source: str) -> list[Diagnostic]:
    """What to say about an input as a whole: binary data, nothing in it, or nothing recognised.

    The reader's own findings stand for the last one when it made any (a broken
    entry says more than "no records")."""
    sample = text[:65536]
    if sample and ("\x00" in sample or len(_CONTROL_CHARS.findall(sample)) > len(sample) // 20):
        return [warning("input.binary", f"{source} looks like binary data, not a bibliography; "
                        f"{records} record(s) read from it", source=source)]
    if records:
        return []
    if not text.strip():
        return [warning("input.empty", f"{source} is empty: there are no records to read", source=source)]
    if any(d.severity is not Severity.INFO for d in diagnostics):
        return []
    return [warning("input.no-records", f"no records were found in {source}", source=source)]


def load_file(path: str | os.PathLike[str], format: str | None = None, *, encoding: str | None = None, **options: Any) -> Library:
    return load_bytes(Path(path).read_bytes(), format, source=str(path), encoding=encoding, **options)


def load(source: str | os.PathLike[str] | bytes, format: str | None = None, **options: Any) -> Library:
    """Load a bibliography from a path, bytes, or text.

    A ``str`` naming an existing file is read as that file; any other ``str``
    is the text itself.
    """
    if isinstance(source, bytes):
        return load_bytes(source, format, **options)
    if isinstance(source, os.PathLike) or _looks_like_path(source):
        return load_file(source, format, **options)
    return load_string(source, format, **options)


def dump(library: Library, format: str, **options: Any) -> str:
    """Serialise ``library`` in ``format`` (``bibtex``, ``biblatex``, ``csljson``, ...)."""
    fmt = registry.get(format)
    if fmt.write is None:
        raise registry.UnknownFormat(f"format {fmt.name!r} cannot be written")
    return fmt.write(library, **options)


def save(library: Library, path: str | os.PathLike[str], format: str | None = None, **options: Any) -> None:
    """Write ``library`` to ``path`` atomically; the format defaults to the one the suffix names."""
    fmt = registry.get(format) if format else registry.detect(None, str(path))
    atomic_write(path, dump(library, fmt.name, **options))


__all__ = ["load", "load_string", "load_bytes", "load_file", "dump", "save", "read_text"]
