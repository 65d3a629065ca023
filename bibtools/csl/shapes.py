"""An item's shape: its type, which variables it has a value for, and which it names
with an empty value.

Most of a style's conditions (``type``, ``variable``) read nothing else, so every
item of one shape takes the same branches there: a ``cs:choose`` works its branch
out once per shape (``elements.Choose``), and a group or macro that prints nothing
for a shape is known not to print once (``elements._walk_fails``). Real lists hold few shapes (a journal
article with a DOI, a book with an editor...), so the tests run once for many items.
"""
from __future__ import annotations

from typing import Any

_SHAPES: dict[tuple[Any, frozenset[str], frozenset[str]], int] = {}  # shape -> its number (numbers hash fastest)
_MOST = 20_000  # beyond as many shapes (a long-running server), shapes are not numbered
# what one element keeps per shape: at most as many (a real list of 24,000 entries has 79
# shapes, a 5,000-entry merge of many sources 571); beyond, it is worked out each time
MEMO_MOST = 1024
KEY = _KEY = "_shape"  # (on the reference's __dict__; elements.shape_key reads it directly)


def has_value(value: Any) -> bool:
    """What a variable condition calls set: not None, not blank, not an empty list."""
    if value is None:
        return False
    if type(value) is list:  # (names: their text is never blank when there are any)
        return bool(value)
    return str(value).strip() != "" and value != []


def shape_of(reference: Any) -> int | None:
    """The number of the reference's shape (None once too many shapes were seen).

    Kept on the reference: the one change to a reference after it is read (the
    year-suffix disambiguation gives it) calls ``forget``."""
    known = reference.__dict__.get(_KEY, False)
    if known is not False:
        return known  # type: ignore[no-any-return]
    valued = frozenset(key for key, value in dict.items(reference) if has_value(value))
    # (the keys set to an empty value count too: some elements read a key, not a value)
    shape = (dict.get(reference, "type"), valued, frozenset(dict.keys(reference)) - valued)
    number = _SHAPES.get(shape)
    if number is None and len(_SHAPES) < _MOST:
        number = _SHAPES[shape] = len(_SHAPES)
    reference.__dict__[_KEY] = number
    return number


def forget(reference: Any) -> None:
    """The reference's data changed: its shape is worked out again when next asked."""
    reference.__dict__.pop(_KEY, None)
