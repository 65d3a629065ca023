"""Brace and quote matching in BibTeX values, by BibTeX's own rule: every ``{`` and ``}``
counts, escaped or not (``\\{`` opens a group for BibTeX too), and a ``"`` ends a quoted
value only outside braces. The reader, lint and the editor all ask here."""
from __future__ import annotations

import re

_BRACES = re.compile(r"[{}]")
_QUOTE_DELIMS = re.compile(r'[{}"]')
# With ``heads``: a line starting a new block (``@type{``) means the group never closed,
# as BibTeX's own reading of a file has it (the editor reads whole files).
_BRACES_OR_HEAD = re.compile(r"[{}]|\n(?=[^\S\n]*@\w*[ \t]*[{(])")
_QUOTE_DELIMS_OR_HEAD = re.compile(r'[{}"]|\n(?=[^\S\n]*@\w*[ \t]*[{(])')


def closing_brace(text: str, start: int, *, heads: bool = False) -> int:
    """Index of the brace closing the one at ``start`` (-1 when it never closes)."""
    depth = 0
    for m in (_BRACES_OR_HEAD if heads else _BRACES).finditer(text, start):
        c = m.group()
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return m.start()
        else:
            return -1
    return -1


def closing_quote(text: str, start: int, *, heads: bool = False) -> int:
    """Index of the ``"`` closing the one at ``start``, outside braces (-1 when none)."""
    depth = 0
    for m in (_QUOTE_DELIMS_OR_HEAD if heads else _QUOTE_DELIMS).finditer(text, start + 1):
        c = m.group()
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == '"':
            if depth <= 0:
                return m.start()
        else:
            return -1
    return -1


def imbalance(text: str) -> tuple[int, int] | None:
    """Where braces stop balancing: ``(offset, -1)`` for the first ``}`` that closes nothing,
    ``(offset, depth)`` for the first ``{`` never closed, ``None`` when they balance."""
    if "{" not in text and "}" not in text:
        return None
    opened: list[int] = []
    for m in _BRACES.finditer(text):
        if m.group() == "{":
            opened.append(m.start())
        elif not opened:
            return m.start(), -1
        else:
            opened.pop()
    if opened:
        return opened[0], len(opened)
    return None
