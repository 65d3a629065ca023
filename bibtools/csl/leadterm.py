"""A bibliography entry that starts with a term starts with a capital ("N.d.", "No date").

citeproc-js capitalizes a term printed before anything else in an entry (or a note; not
in an in-text citation): an authorless, undated web page in APA is "(N.d.). Retrieved
...". What printed first is tracked while the entry renders: any variable or literal
printed before the term means no capital; a group that is suppressed takes back what it
printed (as citeproc-js restores its state when a group fails).
"""
from __future__ import annotations

from typing import Any

_KEY = "_lead_state"


class _Lead:
    __slots__ = ("printed", "term")

    def __init__(self) -> None:
        self.printed = False  # something printed so far in this entry
        self.term: str | None = None  # the term printed first, if a term was


def start(item: Any) -> None:
    dict.__setitem__(item, _KEY, _Lead())


def stop(item: Any) -> str | None:
    state = dict.pop(item, _KEY, None)
    return state.term if state is not None else None


def printed(item: Any) -> None:
    state = dict.get(item, _KEY)
    if state is not None:
        state.printed = True


def term(item: Any, text: str) -> None:
    state = dict.get(item, _KEY)
    if state is not None and text.strip():
        if not state.printed:
            state.term = text
        state.printed = True


def save(item: Any) -> tuple[bool, str | None] | None:
    state = dict.get(item, _KEY)
    return (state.printed, state.term) if state is not None else None


def restore(item: Any, saved: tuple[bool, str | None] | None) -> None:
    state = dict.get(item, _KEY)
    if state is not None and saved is not None:
        state.printed, state.term = saved


def capitalize(text: str, leading: str) -> str:
    """``text`` with its first letter in capitals, if that letter begins ``leading``."""
    index = 0
    while index < len(text):
        ch = text[index]
        if ch == "<":
            index = text.find(">", index) + 1 or len(text)
        elif ch == "&" and ";" in text[index:index + 10]:
            index = text.index(";", index) + 1
        elif ch.isalpha():
            first = next((c for c in leading if c.isalpha()), "")
            if ch.islower() and ch == first:
                return text[:index] + ch.upper() + text[index + 1:]
            return text
        else:
            index += 1
    return text
