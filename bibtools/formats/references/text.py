"""A pasted reference list to one string per reference.

PDF copies bring ligatures, odd spaces, soft hyphens, hyphenated line ends and
references wrapped over several lines; numbered lists (``[12]``, ``12.``,
``(12)``) start a reference at each number. The number stays in the string:
the labeller tags it ``citation-number``.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
              "\ufb05": "st", "\ufb06": "st", "\u0132": "IJ", "\u0133": "ij"}
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
_NUMBERED = re.compile(r"^\s*(?:\[\d{1,4}[a-z]?\]|\(\d{1,4}\)|\d{1,4}\.(?=\s))")
_URLISH = re.compile(r"(?:https?://|www\.|doi\.org/|\b10\.\d{4,9}/)\S*$", re.I)
_URL_TAIL = re.compile(r"^[\w/.\-?=&#%~:;+()]+")
_WORD_START = re.compile(r"^[A-Z][a-z]+[,.]?$")


def normalize(text: str) -> str:
    """Ligatures spelled out, invisible characters dropped, every space a plain one."""
    text = unicodedata.normalize("NFC", text.translate(_INVISIBLE))
    for ligature, letters in _LIGATURES.items():
        text = text.replace(ligature, letters)
    return "".join(" " if unicodedata.category(c) == "Zs" or c == "\t" else c for c in text)


@dataclass(frozen=True, slots=True)
class RawReference:
    text: str
    line: int  # 1-based line the reference starts on


def _join(left: str, right: str) -> str:
    """Two physical lines of one reference, as one."""
    left, right = left.rstrip(), right.strip()
    last = left.rsplit(" ", 1)[-1]
    if _URLISH.search(last) and (last.endswith(("/", ".", "-", "_", "=", "?", "&")) or
                                 (_URL_TAIL.match(right) and not _WORD_START.match(right.split(" ", 1)[0]))):
        return left + right  # a DOI or URL broken across lines
    if left.endswith("-") and len(left) > 1 and left[-2].isalpha() and right[:1].isalpha():
        if right[:1].islower():
            return left[:-1] + right  # "hyphen-\nation" -> "hyphenation"
        return left + right  # "Jean-\nPierre"
    return f"{left} {right}"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _continues(previous: str, line: str, hanging: bool) -> bool:
    """Without numbers or blank lines: does ``line`` go on the reference of ``previous``?"""
    stripped = line.strip()
    if previous.rstrip().endswith("-") or _URLISH.search(previous.rstrip().rsplit(" ", 1)[-1]) and \
            not previous.rstrip().endswith("."):
        return True
    if hanging and _indent(line) > 0:
        return True
    first = stripped[:1]
    return first.islower() or first.isdigit() or first in ",;:)]–-"


def split_references(text: str) -> list[RawReference]:
    """The references in ``text``: by number, else by blank line, else by line (joining wraps)."""
    lines = normalize(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    filled = [(i + 1, ln) for i, ln in enumerate(lines) if ln.strip()]
    if not filled:
        return []
    numbered = sum(1 for _, ln in filled if _NUMBERED.match(ln))
    blank_separated = any(not ln.strip() for ln in lines[filled[0][0] - 1:filled[-1][0]])
    groups: list[list[tuple[int, str]]] = []
    if numbered >= max(2, len(filled) // 4) or (numbered == 1 and len(filled) == 1):
        for number, ln in filled:
            if _NUMBERED.match(ln) or not groups:
                groups.append([(number, ln)])
            else:
                groups[-1].append((number, ln))
    elif blank_separated:
        previous = -1
        for number, ln in filled:
            if number != previous + 1 or not groups:
                groups.append([])
            groups[-1].append((number, ln))
            previous = number
    else:
        # Hanging indents (first line flush, the rest indented) mark wrapped references.
        hanging = any(_indent(ln) > 0 for _, ln in filled) and _indent(filled[0][1]) == 0
        for number, ln in filled:
            if groups and _continues(groups[-1][-1][1], ln, hanging):
                groups[-1].append((number, ln))
            else:
                groups.append([(number, ln)])
    out: list[RawReference] = []
    for group in groups:
        joined = group[0][1].strip()
        for _, ln in group[1:]:
            joined = _join(joined, ln)
        out.append(RawReference(re.sub(r" {2,}", " ", joined), group[0][0]))
    return out
