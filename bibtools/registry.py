"""The format registry: one ``Format`` per module, listed once in ``formats/__init__.py``.

Detection scores every format (file suffix first, then each ``sniff``) and
takes the best, so the answer never depends on the order formats load in.
"""
from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol

from .model import Item, Library

if TYPE_CHECKING:
    from .diagnostics import Diagnostic
    from .lint.core import Unit
    from .merge import MergeResult
    from .textstream import Progress


class Reader(Protocol):
    def __call__(self, text: str, *, source: str | None = None, **options: Any) -> Library: ...


class Writer(Protocol):
    def __call__(self, library: Library, **options: Any) -> str: ...


class Editor(Protocol):
    """``text`` (the file ``base`` was read from) with ``result`` applied in the fewest edits;
    raises ``ValueError`` when an entry to change cannot be placed in the text."""

    def __call__(self, text: str, base: Library, result: "MergeResult", **options: Any) -> str: ...


class BatchReader(Protocol):
    """One file read batch by batch (``Format.iter_read(path)``); ``bibtools.stream`` drives it.

    Opening it may read the file once cheaply (to learn what later batches need,
    such as BibTeX's crossref parents); it raises ``textstream.NotStreamable``
    when the file must be read whole."""

    def batches(self, progress: Progress | None) -> Iterator[Library]:
        """The file's records in batches, in file order, before the default passes."""
        ...

    def taken_keys(self) -> set[str]:
        """Every key the file's records carry themselves (generated keys avoid them)."""
        ...

    def file_blocks(self) -> Library | None:
        """What a writer of the same family puts before the records (``@string``, ``@preamble``)."""
        ...

    def verdict(self, items: int, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
        """File-level findings once every batch was read (``no records found``...)."""
        ...


class RawRecords(Protocol):
    """The lint view of one file's text: records keeping each field's raw text, with the syntax
    findings, and reader options that let the reader reuse the work (one split per file)."""

    def __call__(self, text: str, file: str | None, strings: dict[str, str] | None = None
                 ) -> tuple[Unit, dict[str, Any]]: ...


class ItemWriter(Protocol):
    """Writes records one by one, exactly as the format's ``write`` would write them all."""

    def item(self, item: Item) -> None: ...

    def comments(self, comments: list[str]) -> None: ...

    def finish(self) -> None: ...


class ItemWriterFactory(Protocol):
    """``out``, the writer's options, and a way to get the input's file-level blocks (asked only if
    the format writes them). Raises ``textstream.NotStreamable`` for options it cannot stream."""

    def __call__(self, out: IO[str], options: dict[str, Any],
                 file_blocks: Callable[[], Library | None]) -> ItemWriter: ...


@dataclass(frozen=True)
class Format:
    """What one format module offers. ``read``/``write`` may be ``None`` (read-only formats)."""

    name: str
    description: str
    suffixes: tuple[str, ...] = ()
    sniff: Callable[[str], float] | None = None  # 0.0 (surely not) .. 1.0 (surely)
    read: Reader | None = None
    write: Writer | None = None
    aliases: tuple[str, ...] = ()
    # Streaming, for formats whose records can be read and written one by one.
    iter_read: Callable[[Path], BatchReader] | None = None
    item_writer: ItemWriterFactory | None = None
    options: dict[str, str] = field(default_factory=dict)  # writer option -> help text
    # Minimal-diff updates of an existing file (``bibtools.update_file``); without it, a rewrite.
    edit: Editor | None = None
    # Lint's raw view, for formats whose text says more than the model keeps (BibTeX).
    raw_records: RawRecords | None = None
    # Its values are LaTeX (else a backslash in them is text, never a command).
    tex_text: bool = False
    # Its keys were written by the user: kept as written, only warned about when tools may choke.
    user_keys: bool = False
    # Its writer writes what was not changed as it was read, so it needs the snapshot
    # taken after reading (``native.seal``); other writers never look at it.
    writes_as_read: bool = False


class UnknownFormat(ValueError):
    pass


_FORMATS: dict[str, Format] = {}
_ALIASES: dict[str, str] = {}
_LOADED = False


def register(fmt: Format) -> Format:
    _FORMATS[fmt.name] = fmt
    for alias in fmt.aliases:
        _ALIASES[alias] = fmt.name
    return fmt


def _ensure_loaded() -> None:
    global _LOADED
    if _LOADED:
        return
    _LOADED = True
    from .formats import BUILTIN_FORMATS

    for module_name in BUILTIN_FORMATS:
        module = importlib.import_module(module_name)
        register(module.FORMAT)
    if not _plugins_declared():
        return
    try:  # third-party formats: an entry point group, like the built-in list
        from importlib.metadata import entry_points

        for ep in entry_points(group=PLUGIN_GROUP):
            register(ep.load())
    except Exception:  # a broken plugin must not break the built-in formats
        pass


PLUGIN_GROUP = "bibtools.formats"


def _plugins_declared() -> bool:
    """Whether any installed distribution's ``entry_points.txt`` names the plugin group.

    A quick look before ``importlib.metadata``, whose import alone costs more than reading a small
    .bib file; only when a distribution declares the group is it asked for the entry points."""
    marker = "[" + PLUGIN_GROUP + "]"
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        for name in names:
            if not name.endswith((".dist-info", ".egg-info")):
                continue
            try:
                with open(os.path.join(folder or ".", name, "entry_points.txt"), encoding="utf-8") as f:
                    if marker in f.read():
                        return True
            except (OSError, UnicodeDecodeError):
                continue
    return False


def formats() -> list[Format]:
    _ensure_loaded()
    return list(_FORMATS.values())


def get(name: str) -> Format:
    _ensure_loaded()
    key = name.lower()
    key = _ALIASES.get(key, key)
    try:
        return _FORMATS[key]
    except KeyError:
        known = ", ".join(sorted(_FORMATS))
        raise UnknownFormat(f"unknown format {name!r} (known: {known})") from None


def lookup(name: str | None) -> Format | None:
    """The format called ``name`` (an item's ``origin.format``), or None if there is none."""
    if name is None:
        return None
    try:
        return get(name)
    except UnknownFormat:
        return None


def detect(text: str | None = None, filename: str | None = None) -> Format:
    """Best format for a file name and/or its text."""
    _ensure_loaded()
    scores: dict[str, float] = {}
    suffix_hits: set[str] = set()
    if filename:
        lower = filename.lower()
        for fmt in _FORMATS.values():
            if any(lower.endswith(s) for s in fmt.suffixes):
                suffix_hits.add(fmt.name)
    if text is not None:
        sample = text[:65536]
        for fmt in _FORMATS.values():
            if fmt.sniff is None or fmt.read is None:
                continue
            try:
                scores[fmt.name] = fmt.sniff(sample)
            except Exception:  # a sniffer must never sink detection
                scores[fmt.name] = 0.0
    for name in suffix_hits:  # the suffix counts, but content can overrule a wrong one
        scores[name] = scores.get(name, 0.0) + 0.5
    if not scores or max(scores.values()) <= 0.0:
        what = filename or "input"
        raise UnknownFormat(f"cannot tell the format of {what}; name one with --from")
    best = max(sorted(scores), key=lambda n: scores[n])
    return _FORMATS[best]
