"""Which variables a group actually tried to print, and whether any printed.

CSL: a ``cs:group`` (and a macro, which citeproc-js treats as one) is suppressed
when at least one of its rendering elements calls a variable and every variable
called is empty. "Called" is a matter of what rendered: the branch of a
``cs:choose`` not taken calls nothing, and a variable already used by
``cs:substitute`` counts as called but empty. citeproc-py decided this from the
style's text alone, so a group holding a literal plus a choose that *could*
print a variable printed the literal on its own (APA's "(Publication)" for a
thesis without a number).

State lives on the cite (``CitationItem``) while a group or macro renders:
each element that calls a variable adds one flag (printed or not), and a
closing group leaves one summary flag for its parent.
"""
from __future__ import annotations

from typing import Any

_KEY = "_variable_attempts"


class _Attempts:
    __slots__ = ("flags", "depth")

    def __init__(self) -> None:
        self.flags: list[bool] = []
        self.depth = 0  # groups and macros open: flags outside any are not kept


def begin(item: Any) -> int:
    """Open a group (or an element whose own calls replace those inside it)."""
    state = dict.get(item, _KEY)
    if state is None:
        state = _Attempts()
        dict.__setitem__(item, _KEY, state)
    state.depth += 1
    return len(state.flags)


def end(item: Any, start: int) -> bool | None:
    """Close what ``begin`` opened: None when no variable was called, else whether any printed."""
    state: _Attempts = dict.get(item, _KEY)
    state.depth -= 1
    tried = state.flags[start:]
    del state.flags[start:]
    return any(tried) if tried else None


def note(item: Any, printed: bool | None) -> None:
    """A variable was called (``printed``: whether it gave text); None notes nothing."""
    if printed is None:
        return
    state = dict.get(item, _KEY)
    if state is not None and state.depth:
        state.flags.append(printed)


def printed(text: Any) -> bool:
    if text is None:
        return False
    if isinstance(text, str):
        return text != ""
    return str(text) != ""  # (rich text: its parts joined)
