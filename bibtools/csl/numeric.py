"""``is-numeric`` as citeproc-js decides it.

A number variable is split at its joiners ("12-14", "12, 14", "12 & 14", "12 and 14");
its first piece decides: digits with letters after them ("12a", "2nd", "12a-c"), after a
letter prefix ("TR12", "S12", "A1"), or a lower-case roman numeral ("iv", "xvi"). So
"12-A" is numeric and "TR-12", "A-12", "12:3", "12.3", "12 bis" are not; "1/2" is (as
citeproc-js has it). A ``title`` is numeric when it ends with a digit.
"""
from __future__ import annotations

import re

_JOINER = re.compile(r"\s*&\s*|,\s+and\s+|\s+and\s+|;\s+|,\s+|\s*\\*[-\u2013]+\s*")
_PREFIXED = re.compile(r"(?:[0-9]*[a-zA-Z]+0*)?([0-9]+(?:[a-zA-Z]*|[-,a-zA-Z]+))")
_NUMBER = re.compile(r"(?:[0-9]+|[ixv]+)(?:[-,:a-zA-Z]*|-[-0-9]+)")
_SUBSECTION_HEAD = re.compile(r"[0-9]+[,a-zA-Z]+")
_SUBSECTION_TAIL = re.compile(r"[,a-zA-Z]+")
_FRACTION = re.compile(r"[0-9]+(?:/[0-9]+)+")
_ENDS_IN_DIGIT = ("title",)


def is_numeric(value: object, variable: str) -> bool:
    text = str(value).strip()
    if not text:
        return False
    if variable in _ENDS_IN_DIGIT:
        return text[-1].isdigit()
    if _FRACTION.fullmatch(text):
        return True
    pieces = _JOINER.split(text)
    joiners = _JOINER.findall(text)
    first = pieces[0]
    if len(pieces) > 1 and joiners[0].strip() == "-" and _SUBSECTION_HEAD.fullmatch(first) and _SUBSECTION_TAIL.fullmatch(pieces[1]):
        first = f"{first}-{pieces[1]}"  # "12a-c": one subsection range
    prefixed = _PREFIXED.fullmatch(first)
    return _NUMBER.fullmatch(prefixed.group(1) if prefixed else first) is not None
