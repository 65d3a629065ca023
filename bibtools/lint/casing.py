"""Which letters of a BibTeX title a style may re-case, and which it must not touch.

BibTeX's ``change.case$`` (and biblatex's ``\\MakeSentenceCase``) lower-case
every letter outside braces except the first; a group that opens with a
control sequence (``{\\"O}``) is a special character, not protection, and
math is left alone here. This module turns a title into words whose letters
each carry a "protected" flag, which is all the case rules need.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_STOPWORDS = frozenset(
    "a an and as at but by for from in into nor of on onto or over per the to upon via vs with without".split()
)


@dataclass(slots=True)
class Word:
    letters: str  # the letters of the word, LaTeX commands removed
    protected: tuple[bool, ...]  # one flag per letter
    after_break: bool  # first word of the title or right after ':', '.', '?', '!'

    @property
    def free(self) -> str:
        return "".join(c for c, p in zip(self.letters, self.protected) if not p)

    @property
    def display(self) -> str:
        return self.letters


def words(text: str) -> list[Word]:
    """The title's words, each letter marked protected when braces or math guard it."""
    chars: list[tuple[str, bool]] = []  # (character, protected); whitespace/punctuation kept as separators
    i, n = 0, len(text)
    depth = 0
    special_depth = 0  # depth at which a {\cmd ...} special character group opened (0: none)
    in_math = False
    while i < n:
        ch = text[i]
        if ch == "\\":
            m = re.match(r"\\([A-Za-z]+|.)", text[i:])
            i += m.end() if m else 1
            continue
        if ch == "$":
            in_math = not in_math
            i += 1
            continue
        if ch == "{":
            depth += 1
            if depth == 1 and text.startswith("{\\", i) and special_depth == 0:
                special_depth = 1
            i += 1
            continue
        if ch == "}":
            if depth == special_depth:
                special_depth = 0
            depth = max(depth - 1, 0)
            i += 1
            continue
        protected = in_math or (depth > 0 and not (special_depth and depth >= special_depth))
        chars.append((ch, protected))
        i += 1
    out: list[Word] = []
    letters: list[str] = []
    flags: list[bool] = []
    after_break = True
    next_after_break = True

    def flush() -> None:
        nonlocal letters, flags, after_break
        if letters:
            out.append(Word("".join(letters), tuple(flags), after_break))
            letters, flags = [], []

    for ch, prot in chars:
        if ch.isalnum() or ch in "-'’":
            if not letters:
                after_break = next_after_break
                next_after_break = False
            letters.append(ch)
            flags.append(prot)
        else:
            flush()
            if ch in ":.?!" and not prot:
                next_after_break = True
    flush()
    return out


def _letters(word: Word) -> list[tuple[str, bool]]:
    return [(c, p) for c, p in zip(word.letters, word.protected) if c.isalpha()]


def is_all_caps(text: str) -> bool:
    """Every unprotected letter is upper case, over at least two words of letters."""
    ws = [w for w in words(text) if sum(c.isalpha() for c in w.letters) >= 2]
    free = [c for w in ws for c, p in _letters(w) if not p]
    if len(ws) < 2 or len(free) < 6:
        return False
    return all(c.isupper() for c in free if c.isalpha() and c.lower() != c.upper())


def is_sentence_case(ws: list[Word]) -> bool:
    """Most ordinary words after the first start lower case (so capitals there mean something)."""
    ordinary = [w for w in ws[1:] if not w.after_break and len(w.letters) >= 4 and w.letters.lower() not in _STOPWORDS]
    ordinary = [w for w in ordinary if not _is_acronym(w)]
    if len(ordinary) < 2:
        return False
    capitalised = sum(1 for w in ordinary if w.letters[:1].isupper())
    return capitalised * 2 < len(ordinary)


def _is_acronym(word: Word) -> bool:
    return sum(1 for c, p in _letters(word) if c.isupper() and not p) >= 2


def unprotected_capitals(text: str) -> list[str]:
    """Words whose capitals a sentence-casing style would lower-case (DNA, Bayesian, ...)."""
    ws = words(text)
    sentence = is_sentence_case(ws)
    hits: list[str] = []
    for w in ws:
        letters = _letters(w)
        if not letters or all(p for _, p in letters):
            continue
        free_upper = [c for c, p in letters if c.isupper() and not p]
        if w.after_break:
            free_upper = [c for c, p in letters[1:] if c.isupper() and not p]  # the first letter is kept
            if len(free_upper) >= 1 and len(letters) >= 2:
                hits.append(w.letters)
            continue
        if len(free_upper) >= 2:
            hits.append(w.letters)
        elif sentence and letters[0][0].isupper() and not letters[0][1]:
            hits.append(w.letters)
    return hits


def caps_name(name: str) -> bool:
    """A personal name written in capitals ("SMITH, JOHN"), ignoring protected parts and initials."""
    for w in words(name):
        letters = [c for c, p in _letters(w) if not p]
        if len(letters) >= 3 and all(c.isupper() for c in letters):
            return True
    return False
