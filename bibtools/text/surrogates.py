"""Lone UTF-16 surrogates: replaced by U+FFFD and reported, in whatever a reader built.

A Python ``str`` can hold surrogate code points (U+D800-U+DFFF) that no UTF-8
file, terminal or pipe can take: a JSON escape ``"\\ud800"`` decodes to one, and
so does every undecodable byte of ``surrogateescape``-decoded text. Left in,
they surface much later as ``UnicodeEncodeError`` in whatever writes the text.
So every load checks once: if the input text could hold one (a cheap scan), the
library the reader built is walked and each surrogate is replaced (a well-formed
high+low pair becomes the character it encodes) and reported with key and field.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Any

from ..diagnostics import Diagnostic, warning
from ..model import Library

_SURROGATE = re.compile("[\ud800-\udfff]")
_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")
# In input text: a surrogate itself, or a JSON/JavaScript escape of one.
_MAY_HOLD = re.compile("[\ud800-\udfff]|\\\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def may_hold_surrogates(text: str) -> bool:
    """Whether reading ``text`` could give strings with surrogates (false for nearly every file)."""
    return _MAY_HOLD.search(text) is not None


def _combine(match: re.Match[str]) -> str:
    return match.group().encode("utf-16-le", "surrogatepass").decode("utf-16-le")


def clean(text: str) -> tuple[str, list[str]]:
    """``text`` without surrogates, and the code points replaced (pairs are joined, not reported)."""
    if _SURROGATE.search(text) is None:
        return text, []
    text = _PAIR.sub(_combine, text)
    found = [f"U+{ord(ch):04X}" for ch in _SURROGATE.findall(text)]
    return _SURROGATE.sub("\ufffd", text), found


class _Walker:
    """Replaces surrogates in every string of an item (fields, names, dates, extra, any other attribute)."""

    def __init__(self, source: str | None) -> None:
        self.source = source
        self.problems: list[Diagnostic] = []
        self.key: str | None = None
        self.line: int | None = None

    def text(self, value: str, where: str) -> str:
        cleaned, found = clean(value)
        if found:
            shown = ", ".join(sorted(set(found)))
            self.problems.append(warning(
                "text.surrogate",
                f"{where}: {len(found)} lone UTF-16 surrogate(s) ({shown}) replaced by U+FFFD",
                source=self.source, key=self.key, line=self.line))
        return cleaned

    def value(self, value: Any, where: str, depth: int = 0) -> Any:
        if isinstance(value, str):
            return self.text(value, where)
        if depth > 8:  # the model is shallow; anything deeper is not ours to walk
            return value
        if isinstance(value, list):
            for i, element in enumerate(value):
                value[i] = self.value(element, where, depth + 1)
            return value
        if isinstance(value, tuple):
            return tuple(self.value(element, where, depth + 1) for element in value)
        if isinstance(value, dict):
            cleaned = {self.value(k, where, depth + 1): self.value(v, f"{k}" if depth == 0 else where, depth + 1)
                       for k, v in value.items()}
            if cleaned != value or list(cleaned) != list(value):
                value.clear()
                value.update(cleaned)
            return value
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            for f in dataclasses.fields(value):
                current = getattr(value, f.name)
                new = self.value(current, where, depth + 1)
                if new is not current:
                    object.__setattr__(value, f.name, new)
            return value
        return value


def replace_in_library(library: Library, source: str | None = None) -> None:
    """Replace every surrogate in ``library`` (items, blocks, diagnostics) and report each place."""
    walker = _Walker(source)
    for item in library.items:
        walker.key = None
        walker.line = item.origin.line if item.origin else None
        item.id = walker.text(item.id, "key")
        walker.key = item.id or None
        for f in dataclasses.fields(item):
            if f.name == "id":
                continue
            where = "type" if f.name == "type" else ""
            current = getattr(item, f.name)
            if f.name in ("fields", "extra"):
                for name in list(current):
                    current[name] = walker.value(current[name], name, 1)
            else:
                setattr(item, f.name, walker.value(current, where or f.name, 1))
    walker.key, walker.line = None, None
    library.preambles[:] = [walker.text(p, "@preamble") for p in library.preambles]
    library.comments[:] = [walker.text(c, "@comment") for c in library.comments]
    for name in list(library.strings):
        library.strings[name] = walker.text(library.strings[name], f"@string {name}")
    library.diagnostics[:] = [_clean_diagnostic(d) for d in library.diagnostics]
    library._index = None
    library.diagnostics.extend(walker.problems)


def _clean_diagnostic(diag: Diagnostic) -> Diagnostic:
    fixed = {name: clean(value)[0] for name in ("message", "key", "source")
             if isinstance(value := getattr(diag, name), str) and _SURROGATE.search(value)}
    return dataclasses.replace(diag, **fixed) if fixed else diag


__all__ = ["clean", "may_hold_surrogates", "replace_in_library"]
