"""Given names reduced to initials (``initialize-with``), as citeproc-js does it, with
the markup a given name may hold ("<b>John</b> Q." -> "<b>J.</b> Q.") kept on its word."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from citeproc.string import MixedString, String

from .richtext import Markup

_GIVEN_WORD = re.compile(r"[^\s.\-]+")
_SPACED_HYPHEN = re.compile(r"\s*-\s*")
# markup tags stand in the text as these private-use characters: they take no room in a word
_TAG_BASE = 0xF0000
_TAGS = re.compile("[\U000f0000-\U000ffffd]+")
_LEADING_TAGS = re.compile("[\U000f0000-\U000ffffd]*")


class _Piece:
    """One word of the given name: the tags before it, its text, and the tags after it."""

    def __init__(self, lead: str, word: str, initial: bool, after_hyphen: bool, trail: str) -> None:
        self.lead, self.word, self.initial, self.after_hyphen, self.trail = lead, word, initial, after_hyphen, trail


def _initial(word: str) -> str:
    """A word's initial: its first letter, with the capitals right after it when the word
    goes on in lowercase ("TSerendorjiin" -> "Ts", a transliterated digraph; "JOHN" -> "J")."""
    letters = ""
    for ch in word[1:]:
        if not ch.isalpha():
            break
        letters += ch
    capitals = ""
    for ch in letters:
        if not ch.isupper():
            break
        capitals += ch
    return word[0] + (capitals.lower() if len(capitals) < len(letters) else "")


@lru_cache(maxsize=1 << 16)  # (a name is initialized in every cite, sort key and entry it appears in)
def initialize_given(given: str, mark: str, initialize: bool, hyphen: bool) -> str:
    """Given names initialized the way citeproc-js does it (mark ". "):
    'Jean-Pierre Marie' -> 'J.-P. M.' ('J. P. M.' without ``hyphen``), 'M.-F.' -> 'M.-F.',
    'Yi-zhe' -> 'Y.' ('Y. zhe' without ``hyphen``), 'jean-Pierre' -> 'jean-P.', 'Ph.M.' -> 'Ph. M.';
    with ``initialize`` False only the initials in the data get the mark ('J-P' -> 'J. P.')."""
    text = _SPACED_HYPHEN.sub("-", given.strip())
    pieces: list[_Piece] = []
    pending = ""  # tags met before any word
    for match in _GIVEN_WORD.finditer(text):
        raw = match.group()
        core = _TAGS.sub("", raw)
        if not core:  # tags only ("</b>" after "J."): they close on the word before
            if pieces:
                pieces[-1].trail += raw
            else:
                pending += raw
            continue
        opening = _LEADING_TAGS.match(raw).group()
        lead, trail, pending = pending + opening, "".join(_TAGS.findall(raw[len(opening):])), ""
        after_hyphen = match.start() > 0 and text[match.start() - 1] == "-"
        if after_hyphen and not hyphen and initialize:
            after_hyphen = False  # the hyphen is read as a space
        typed_initial = len(core) == 1 or text[match.end() : match.end() + 1] == "."  # "J", "Ph."
        if not core[:1].isupper():
            if after_hyphen and initialize:
                if pieces:  # "Yi-zhe": a lowercase second part is dropped with its hyphen (not its tags)
                    pieces[-1].trail += lead + trail
                continue
            pieces.append(_Piece(lead, core, False, after_hyphen, trail))
        elif typed_initial:
            pieces.append(_Piece(lead, core, True, after_hyphen, trail))
        elif initialize:
            pieces.append(_Piece(lead, _initial(core), True, after_hyphen, trail))
        else:
            pieces.append(_Piece(lead, core, False, after_hyphen, trail))
    bare_mark = mark.rstrip()
    out = ""
    for index, piece in enumerate(pieces):
        if index:
            previous_initial = pieces[index - 1].initial
            if piece.after_hyphen and not (previous_initial and piece.initial and not initialize):
                out = out.rstrip() + "-"  # "J.-P.", "jean-P.", "J.-Pierre"; "J-P" uninitialized is "J. P."
            elif not (previous_initial and piece.initial):
                out = out.rstrip() + " "
        # the mark goes inside the word's tags, its space after them ("<b>J.</b> Q.")
        ending = bare_mark + piece.trail + mark[len(bare_mark):] if piece.initial else piece.trail
        out += piece.lead + piece.word + ending
    if _TAGS.sub("", text).endswith("-") and pieces and hyphen and (initialize or not pieces[-1].initial):
        out = out.rstrip() + "-"  # a trailing hyphen stays ("JS Foundation-" -> "J. F.-"), as in citeproc-js
    return out.strip()


def _segments(text: Any) -> list[Any]:
    if isinstance(text, MixedString):
        return [seg for part in text for seg in _segments(part)]
    return [text]


def initialize_marked(given: Any, mark: str, initialize: bool, hyphen: bool) -> Any:
    """``initialize_given`` over a given name that may hold markup segments."""
    segments = _segments(given)
    tags = [seg for seg in segments if isinstance(seg, Markup)]
    if not tags:
        return String(initialize_given(str(given), mark, initialize, hyphen))
    text, count = "", 0
    for seg in segments:
        if isinstance(seg, Markup):
            text += chr(_TAG_BASE + count)
            count += 1
        else:
            text += str(seg)
    initialized = initialize_given(text, mark, initialize, hyphen)
    out: Any = String("")
    position = 0
    for match in _TAGS.finditer(initialized):
        if match.start() > position:
            out = out + String(initialized[position : match.start()])
        for ch in match.group():
            out = out + tags[ord(ch) - _TAG_BASE]
        position = match.end()
    if position < len(initialized):
        out = out + String(initialized[position:])
    return out
