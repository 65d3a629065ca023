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
from functools import lru_cache

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


_CHUNK = re.compile(r"\\(?:[A-Za-z]+|.?)|[{}$]|[^\\{}$]+", re.DOTALL)
_TOKEN = re.compile(r"(?P<word>[\w'’-]+)|[^\w'’-]+")


def _segments(text: str) -> list[tuple[str, bool]]:
    """Runs of plain text, each with whether braces or math protect it (commands dropped)."""
    out: list[tuple[str, bool]] = []
    depth = 0
    special_depth = 0  # depth at which a {\cmd ...} special-character group opened (0: none)
    in_math = False
    for m in _CHUNK.finditer(text):
        chunk = m.group()
        first = chunk[0]
        if first == "\\":
            continue
        if chunk == "$":
            in_math = not in_math
        elif chunk == "{":
            depth += 1
            if depth == 1 and special_depth == 0 and text.startswith("{\\", m.start()):
                special_depth = 1
        elif chunk == "}":
            if depth == special_depth:
                special_depth = 0
            depth = max(depth - 1, 0)
        else:
            protected = in_math or (depth > 0 and not (special_depth and depth >= special_depth))
            out.append((chunk, protected))
    return out


# Case is judged on a title's start: real titles are far shorter, and a 10 MB "title" must not cost minutes.
MAX_CHARS = 2000


@lru_cache(maxsize=2048)
def words(text: str) -> tuple[Word, ...]:
    """The title's words, each letter marked protected when braces or math guard it."""
    text = text[:MAX_CHARS]
    out: list[Word] = []
    letters: list[str] = []
    flags: list[bool] = []
    after_break = True  # for the word being built
    next_after_break = True

    for chunk, protected in _segments(text):
        for m in _TOKEN.finditer(chunk):
            token = m.group()
            if m.lastgroup == "word":
                if not letters:
                    after_break = next_after_break
                    next_after_break = False
                letters.append(token)
                flags.extend([protected] * len(token))
            else:
                if letters:
                    out.append(Word("".join(letters), tuple(flags), after_break))
                    letters, flags = [], []
                if not protected and any(c in token for c in ":.?!"):
                    next_after_break = True
    if letters:
        out.append(Word("".join(letters), tuple(flags), after_break))
    return tuple(out)


def _letters(word: Word) -> list[tuple[str, bool]]:
    return [(c, p) for c, p in zip(word.letters, word.protected) if c.isalpha()]


def is_all_caps(text: str) -> bool:
    """Every unprotected cased letter is upper case, over two or more words, one of them long.

    A long word is required so that strings of acronyms ("AAAI/IAAI") are not "capitals".
    """
    if sum(map(str.isupper, text[:MAX_CHARS])) < 10:
        return False
    ws = words(text)
    free_words = [[c for c, p in _letters(w) if not p and c.lower() != c.upper()] for w in ws]
    free_words = [f for f in free_words if len(f) >= 2]
    cased = [c for f in free_words for c in f]
    if len(free_words) < 2 or len(cased) < 10 or max(len(f) for f in free_words) < 6:
        return False
    return all(c.isupper() for c in cased)


def is_sentence_case(ws: tuple[Word, ...]) -> bool:
    """Most ordinary words after the first start lower case (so capitals there mean something)."""
    ordinary = [w for w in ws[1:] if not w.after_break and len(w.letters) >= 4 and w.letters.lower() not in _STOPWORDS]
    ordinary = [w for w in ordinary if not _is_acronym(w)]
    if len(ordinary) < 2:
        return False
    capitalised = sum(1 for w in ordinary if w.letters[:1].isupper())
    return capitalised * 2 < len(ordinary)


def _is_acronym(word: Word) -> bool:
    """Two or more free capitals within one hyphen-separated part (DNA, RNA-seq; not Multi-Robot)."""
    pos = 0
    for part in re.split(r"([-’'])", word.letters):
        flags = word.protected[pos : pos + len(part)]
        pos += len(part)
        if sum(1 for c, p in zip(part, flags) if c.isupper() and not p) >= 2:
            return True
    return False


def unprotected_capitals(text: str) -> list[str]:
    """Words whose capitals a sentence-casing style would lower-case (DNA, Bayesian, ...)."""
    if not any(map(str.isupper, text[1:MAX_CHARS])):
        return []
    ws = words(text)
    sentence = is_sentence_case(ws)
    hits: list[str] = []
    for w in ws:
        letters = _letters(w)
        if not letters or all(p for _, p in letters):
            continue
        if w.after_break:  # its first letter is kept, so only an acronym suffers (DNA -> Dna)
            if _is_acronym(w):
                hits.append(w.letters)
            continue
        if _is_acronym(w):
            hits.append(w.letters)
        elif sentence and letters[0][0].isupper() and not letters[0][1]:
            hits.append(w.letters)
    return hits


def caps_name(name: str) -> bool:
    """A personal name written in capitals ("SMITH, JOHN"), ignoring protected parts and initials."""
    if sum(map(str.isupper, name)) < 3:
        return False
    for w in words(name):
        letters = [c for c, p in _letters(w) if not p]
        if len(letters) >= 3 and all(c.isupper() for c in letters):
            return True
    return False
