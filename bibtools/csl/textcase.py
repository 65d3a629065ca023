"""``text-case`` on rendered text, leaving case-protected (nocase) spans and markup alone.

Works on citeproc-py's String/MixedString segments: the text is flattened with a
protection mask, words are found on the flat text, and the segments are rebuilt.
"""
from __future__ import annotations

import re
from typing import Any

from citeproc.string import MixedString, NoCase, String

from .finish import KEEP_CASE
from .richtext import Markup

# words kept lowercase inside a title (English): articles, conjunctions, prepositions,
# and the particles and abbreviations citeproc-js also leaves alone ("de", "al", "ca")
STOP_WORDS = frozenset(
    """a an the and but or nor yet so for as at by down from in into of off on onto out over per
    till to up upon via with within without versus vs v about above across afore after against
    al along alongside amid amidst among amongst anenst apropos apud around aside astride athwart
    atop barring before behind below beneath beside besides between beyond circa despite during
    et except forenenst given inside lest like modulo near next notwithstanding plus pro qua sans
    since than through thru throughout thruout toward towards under underneath until unto
    vis-à-vis de d' von van c ca""".split()
)
_WORD = re.compile(r"[^\s\-/.:?!\u2013\u2014]+")
# quote marks (typed or marked for finishing) and brackets before a word
_OPENERS = "“‘\"'([\ue000\ue002\ue004"
# a title-case word: what lies between spaces, dashes, slashes, punctuation, brackets and
# quotes (an apostrophe inside a word does not split it: "You’re")
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]+);")
_TITLE_WORD = re.compile(r"[^\s\-\u2013\u2014/.,;?!:\[\]()\"‘“”\ue000-\ue005\ue011]+")


_TURKIC = {"uppercase": {"i": "İ"}, "lowercase": {"I": "ı", "İ": "i"}}


def _segments(text: Any) -> list[Any]:
    if isinstance(text, MixedString):
        return list(text)
    return [text if isinstance(text, String) else String(str(text))]


def _is_lone_greek(word: str) -> bool:
    return len(word) == 1 and "\u0370" <= word <= "\u03ff"


def _title_case(flat: str, chars: list[str], protected: list[bool]) -> None:
    """English title case in place, word by word as citeproc-js does it: a lowercase word is
    capitalized when it is longer than one letter and not a stop word, when it is the first
    word, when it follows "!", "?" or ":" (not "."), or when it opens a hyphenated compound
    ("K-Mer", "Up-to-Date");
    the last word is capitalized even if a stop word; words with capitals are left alone."""
    previous_end = 0
    last: tuple[int, str] | None = None
    for number, match in enumerate(_TITLE_WORD.finditer(flat)):
        start, end = match.span()
        word = match.group()
        between = flat[previous_end:start]
        previous_end = end
        if not free_span(protected, start, end):
            last = None  # (a protected last word: nothing to capitalize at the end)
            continue
        if KEEP_CASE in word:
            last = None
            continue
        last = (start, word)
        first = number == 0
        after_punctuation = any(ch in "!?:" for ch in between)
        # the first part of a hyphenated compound ("K-Mer", "Up-to-Date")
        hyphen_next = flat[end : end + 1] == "-" and flat[start - 1 : start] != "-"
        lower = word.lower()
        if word != lower or _is_lone_greek(word):
            continue
        if (len(word) > 1 and lower not in STOP_WORDS) or hyphen_next or first or after_punctuation:
            chars[start] = chars[start].upper()
    if last is not None:
        start, word = last
        if len(word) > 1 and word.lower() in STOP_WORDS:
            chars[start] = chars[start].upper()


def free_span(protected: list[bool], start: int, end: int) -> bool:
    return not any(protected[start:end])


def apply(text: Any, case: str | None, english: bool = True, turkic: bool = False) -> Any:
    """``text`` with ``case`` applied; title case only when ``english``; dotted and
    dotless i kept apart when ``turkic`` (Turkish, Azerbaijani: i -> İ, I -> ı)."""
    if not case or text is None:
        return text
    if isinstance(text, (int, float)):
        return text
    segments = _segments(text)
    flat = "".join(str(s) for s in segments)
    if not flat:
        return text
    protected = []
    for seg in segments:
        protected.extend([isinstance(seg, NoCase)] * len(str(seg)))
    chars = list(flat)

    def free(start: int, end: int) -> bool:
        return not any(protected[start:end])

    if case in ("lowercase", "uppercase"):
        special = _TURKIC[case] if turkic else {}
        for i, ch in enumerate(chars):
            if not protected[i]:
                chars[i] = special.get(ch) or (ch.lower() if case == "lowercase" else ch.upper())
    elif case == "title" and not english:
        return text
    elif case == "title":
        # markup (HTML tags) separates words like a space; nocase text is a word left alone
        scan = "".join(" " * len(str(seg)) if isinstance(seg, Markup) else str(seg) for seg in segments)
        if "&" in scan:  # an escaped character (HTML) is one character of its word: "&#38;amp;"
            scan = _ENTITY.sub(lambda m: "&" + "x" * (len(m.group()) - 1), scan)
        _title_case(scan, chars, protected)
    else:
        words = list(_WORD.finditer(flat))
        unprotected_letters = [ch for i, ch in enumerate(flat) if not protected[i] and ch.isalpha()]
        all_upper = bool(unprotected_letters) and all(ch.isupper() for ch in unprotected_letters)
        for number, match in enumerate(words):
            start, end = match.span()
            word = match.group()
            lead = len(word) - len(word.lstrip(_OPENERS))
            if lead and word[lead:lead + 1].isalpha():  # “new -> the word after the quote
                start, word = start + lead, word[lead:]
            if not free(start, end) or not word[:1].isalpha():
                continue
            lower = word.lower()
            if case == "capitalize-first":
                if number == 0 and word.islower():
                    chars[start] = chars[start].upper()
            elif case == "capitalize-all":
                if word.islower():
                    chars[start] = chars[start].upper()
            elif case == "sentence":
                if all_upper or (word[:1].isupper() and word[1:].islower()) or len(word) == 1:
                    chars[start:end] = list(lower)
                if number == 0:
                    chars[start] = chars[start].upper()
    # rebuild segments of the same kinds
    out: list[Any] = []
    pos = 0
    for seg in segments:
        n = len(str(seg))
        piece = "".join(chars[pos : pos + n])
        out.append(seg if isinstance(seg, NoCase) else type(seg)(piece))
        pos += n
    if len(out) == 1:
        return out[0]
    return MixedString(out)
