"""The format registry: one ``Format`` per module, listed once in ``formats/__init__.py``.

Detection scores every format (file suffix first, then each ``sniff``) and
takes the best, so the answer never depends on the order formats load in.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from .model import Item, Library

if TYPE_CHECKING:
    from .merge import MergeResult


class Reader(Protocol):
    def __call__(self, text: str, *, source: str | None = None, **options: Any) -> Library: ...


class Writer(Protocol):
    def __call__(self, library: Library, **options: Any) -> str: ...


class Editor(Protocol):
    """``text`` (the file ``base`` was read from) with ``result`` applied in the fewest edits;
    raises ``ValueError`` when an entry to change cannot be placed in the text."""

    def __call__(self, text: str, base: Library, result: "MergeResult", **options: Any) -> str: ...


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
    iter_read: Callable[..., Iterator[Item]] | None = None
    options: dict[str, str] = field(default_factory=dict)  # writer option -> help text
    # Minimal-diff updates of an existing file (``bibtools.update_file``); without it, a rewrite.
    edit: Editor | None = None


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
    try:  # third-party formats: an entry point group, like the built-in list
        from importlib.metadata import entry_points

        for ep in entry_points(group="bibtools.formats"):
            register(ep.load())
    except Exception:  # a broken plugin must not break the built-in formats
        pass


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
