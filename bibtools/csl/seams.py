"""citeproc-py's seam rule (no doubled space or punctuation where two strings meet),
reading only the characters at the seam.

citeproc-py's ``normalize_seam`` turned both sides into full strings to compare two
characters, and it runs at every concatenation: a rich string built piece by piece
was joined again at each step, quadratic in its pieces (a tenth of a bibliography's
time). This one walks a ``MixedString`` to its edge instead; its answer is the same
(``tests/test_csl_seams.py`` compares them), and ``install`` puts it where citeproc-py's
own concatenation calls it.
"""
from __future__ import annotations

from typing import Any

from citeproc import model as _model
from citeproc import string as _string
from citeproc.string import MixedString, String

_ORIGINAL = _string.normalize_seam
_strip_first_char = _string._strip_first_char
SEAM_PUNCTUATION = _string.SEAM_PUNCTUATION


def _plain(piece: Any) -> bool:
    # a str whose text is its value (no __str__ of its own): its edges can be sliced
    return isinstance(piece, str) and type(piece).__str__ is str.__str__


def last_char(piece: Any) -> str:
    """``str(piece)[-1:]`` without building ``str(piece)``."""
    kind = type(piece)
    if kind is str or kind is String:
        return piece[-1:]
    if kind is MixedString:
        for part in reversed(piece):
            char = last_char(part)
            if char:
                return char
        return ""
    if _plain(piece):
        return str.__getitem__(piece, slice(-1, None))
    return str(piece)[-1:]


def first_char(piece: Any) -> str:
    """``str(piece)[:1]`` without building ``str(piece)``."""
    kind = type(piece)
    if kind is str or kind is String:
        return piece[:1]
    if kind is MixedString:
        for part in piece:
            char = first_char(part)
            if char:
                return char
        return ""
    if _plain(piece):
        return str.__getitem__(piece, slice(None, 1))
    return str(piece)[:1]


def normalize_seam(left: Any, other: Any) -> Any:
    """``other``, without its first character when that would double the space or the
    punctuation mark ``left`` ends with."""
    kind = type(left)  # (plain strings, most seams, are read here without a call)
    last = left[-1:] if kind is str or kind is String else last_char(left)
    if not last:
        return other
    kind = type(other)
    first = other[:1] if kind is str or kind is String else first_char(other)
    if not first:
        return other
    if first == last and (first == " " or first in SEAM_PUNCTUATION):
        return _strip_first_char(other)
    return other


_ORIGINAL_ADD = MixedString.__add__


def concatenate(left: MixedString, other: Any) -> MixedString:
    """``MixedString.__add__`` with the same answer, without the exception citeproc-py
    takes to learn that ``other`` is a single string (most additions: every affix,
    delimiter and piece of a group)."""
    if other == "":
        return left
    other = normalize_seam(left, other)
    if other == "" or other == []:
        return left
    return left.__class__(list.__add__(left, other if isinstance(other, list) else [other]))


def install() -> None:
    """Make citeproc-py's concatenation (``MixedString.__add__``, ``join``, affixes) use
    this rule; same answers, so other users of citeproc-py in the process see no change."""
    _string.normalize_seam = normalize_seam
    _model.normalize_seam = normalize_seam
    MixedString.__add__ = concatenate  # type: ignore[method-assign]
