"""``text-case`` on rendered text, leaving case-protected (nocase) spans and markup alone.

Works on citeproc-py's String/MixedString segments: the text is flattened with a
protection mask, words are found on the flat text, and the segments are rebuilt.
"""
from __future__ import annotations

import re
from typing import Any

from citeproc.string import MixedString, NoCase, String

# words kept lowercase inside a title (English): articles, conjunctions, prepositions
STOP_WORDS = frozenset(
    """a an the and but or nor yet so for as at by down from in into of off on onto out over per
    till to up upon via with within without versus vs vs. v. v about above across after against
    along amid among around before behind below beneath beside between beyond despite during
    except like near since than through throughout toward towards under underneath until unto
    de von van""".split()  # (the particles citeproc-js also keeps lowercase: "Antiquités de l’Égypte")
)
_WORD = re.compile(r"[^\s\-/.:?!\u2013\u2014]+")
# quote marks (typed or marked for finishing) and brackets before a word
_OPENERS = "“‘\"'([\ue000\ue002\ue004"
_SENTENCE_END = re.compile(r"[:?!.]\s*$")


_TURKIC = {"uppercase": {"i": "İ"}, "lowercase": {"I": "ı", "İ": "i"}}


def _segments(text: Any) -> list[Any]:
    if isinstance(text, MixedString):
        return list(text)
    return [text if isinstance(text, String) else String(str(text))]


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
            first = number == 0 or bool(_SENTENCE_END.search(flat[: start].rstrip(_OPENERS))) and number > 0
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
            elif case == "title":
                if not word.islower():
                    continue
                joined_before = start > 0 and flat[start - 1] in "-/."
                if lower in STOP_WORDS and not first and number != len(words) - 1:  # (the last word too)
                    continue
                if joined_before and len(word) < 2:
                    continue
                if len(word) == 1 and not first and start + 1 < len(flat) and flat[start + 1] == "-":
                    continue  # "t-SNE"
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
