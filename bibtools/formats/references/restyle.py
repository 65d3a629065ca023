"""Which style printed a reference list, and what the parsed records look like printed in it again.

The parser's own confidence says how sure the labeller was of each token; it
cannot see a record that is labelled confidently and wrongly (a publisher read
as the journal, a subtitle cut off). Printing the parsed record again in the
style that produced the list can: a right record comes back as the string that
was pasted, a wrong one comes back with words missing or moved. So:

- ``guess_style``: render a sample of the records in each candidate style
  (popular styles of every family) and keep the style whose renderings come
  closest to the pasted strings;
- ``restyle``: render every record in that style, align the rendering with the
  pasted string word by word, and lower the confidence of each variable whose
  words the rendering does not give back in place. ``bibtools convert --explain``
  prints the style, each rendering and its differences.
"""
from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from ...model import Date, Item, Name
from . import ReferenceLibrary

# One style per family people paste from (author-date, numeric, note, humanities);
# the 13 styles the project's citeproc-js oracle covers.
CANDIDATE_STYLES: tuple[str, ...] = (
    "apa", "chicago-author-date", "harvard-cite-them-right", "elsevier-harvard", "springer-basic-author-date",
    "ieee", "vancouver-nlm", "american-medical-association", "nature", "acm-sig-proceedings",
    "association-for-computing-machinery", "modern-language-association", "chicago-notes-bibliography",
)
SAMPLE = 12  # records rendered per candidate style: enough to separate look-alike styles
# A variable none of whose words the re-rendering gives back in place keeps this share of its confidence.
UNEXPLAINED_KEEPS = 0.5

_TOKEN = re.compile(r"\w+|[^\w\s]")
_LEADING_NUMBER = re.compile(r"^\s*(?:\[\d+\]|\(\d+\)|\d+\.)\s+")


@dataclass(frozen=True)
class StyleGuess:
    style: str
    similarity: float  # mean similarity of the sample's renderings to the pasted strings, 0..1
    ranking: tuple[tuple[str, float], ...]  # every candidate, best first


@dataclass(frozen=True)
class Restyled:
    """One record printed again in the guessed style, next to the string it was parsed from."""

    given: str
    rendered: str
    similarity: float
    differences: tuple[tuple[str, str], ...]  # (pasted words, rendered words) of each span that differs
    lowered: tuple[tuple[str, float, float], ...]  # (variable, confidence before, after)


def similarity(given: str, rendered: str) -> float:
    """How alike two printed references are, word and punctuation tokens compared in order (0..1);
    letter case counts (sentence-case and title-case styles differ in it)."""
    a, b = _tokens(given), _tokens(rendered)
    if not a and not b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def guess_style(library: ReferenceLibrary, styles: Sequence[str] = CANDIDATE_STYLES, sample: int = SAMPLE) -> StyleGuess:
    """The candidate style whose renderings of (up to ``sample``) parsed records best match their strings."""
    chosen = _spread(len(library.items), sample)
    items = [library.items[i] for i in chosen]
    given = [_LEADING_NUMBER.sub("", library.strings_read[i]) for i in chosen]  # numbering is no record data
    scores: list[tuple[str, float]] = []
    for style in styles:
        rendered = _render(items, style)
        scores.append((style, sum(similarity(g, r) for g, r in zip(given, rendered)) / max(len(items), 1)))
    scores.sort(key=lambda pair: -pair[1])
    best, score = scores[0] if scores else ("", 0.0)
    return StyleGuess(best, score, tuple(scores))


def restyle(library: ReferenceLibrary, style: str | None = None) -> tuple[StyleGuess, list[Restyled]]:
    """Re-render every record in ``style`` (guessed when None) and lower ``library.confidence`` for the
    variables whose words the rendering does not give back; one ``Restyled`` per record."""
    guess = guess_style(library) if style is None else StyleGuess(style, 0.0, ())
    rendered = _render(library.items, guess.style)
    out: list[Restyled] = []
    for n, (item, pasted, text) in enumerate(zip(library.items, library.strings_read, rendered)):
        given = _LEADING_NUMBER.sub("", pasted)  # the list's own numbering is no record data
        # Case does not count here: a record is not wrong because a style re-cases its title or DOI.
        shown_a, shown_b = _tokens(given), _tokens(text)
        a, b = [t.casefold() for t in shown_a], [t.casefold() for t in shown_b]
        matcher = SequenceMatcher(None, a, b, autojunk=False)
        unexplained: set[int] = set()  # positions in the pasted tokens the rendering does not give back
        differences: list[tuple[str, str]] = []
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                continue
            differences.append((" ".join(shown_a[i1:i2]), " ".join(shown_b[j1:j2])))
            unexplained.update(range(i1, i2))
        confidence = library.confidence[n]
        lowered = []
        for variable, value in item.fields.items():
            if variable not in confidence:
                continue
            share = _unexplained_share([t.casefold() for t in _tokens(_text_of(value))], a, unexplained)
            if share:
                before = confidence[variable]
                confidence[variable] = before * (1 - (1 - UNEXPLAINED_KEEPS) * share)
                lowered.append((variable, before, confidence[variable]))
        out.append(Restyled(given, text, matcher.ratio() if a or b else 1.0, tuple(differences), tuple(lowered)))
    if style is None and rendered:
        guess = dataclasses.replace(guess, similarity=sum(r.similarity for r in out) / len(out))
    return guess, out


def _unexplained_share(value: list[str], pasted: list[str], unexplained: set[int]) -> float:
    """The share of a variable's words that sit in spans the rendering did not give back: where the
    value occurs in the pasted tokens as a run, those positions; else (a name reordered, a date
    respelled) its words anywhere in those spans."""
    words = [t for t in value if t[0].isalnum()]
    if not words or not unexplained:
        return 0.0
    width = len(value)
    for start in range(len(pasted) - width + 1):
        if pasted[start:start + width] == value:
            spots = [start + k for k, t in enumerate(value) if t[0].isalnum()]
            return sum(1 for p in spots if p in unexplained) / len(spots)
    loose = {pasted[p] for p in unexplained}
    return sum(1 for t in words if t in loose) / len(words)


def _render(items: Sequence[Item], style: str) -> list[str]:
    """Each item's bibliography entry in ``style`` as plain text, in the items' order ('' if none)."""
    from ...csl.api import format_bibliography

    ided = [dataclasses.replace(item, id=f"r{n}") for n, item in enumerate(items)]
    entries = format_bibliography(ided, style, output="text", numbered=False)
    by_id = {entry.id: _LEADING_NUMBER.sub("", entry.text) for entry in entries}
    return [by_id.get(item.id, "") for item in ided]


def _spread(total: int, sample: int) -> list[int]:
    """Up to ``sample`` indexes spread over the list (its start alone may be one kind of work)."""
    if total <= sample:
        return list(range(total))
    return sorted({round(k * (total - 1) / (sample - 1)) for k in range(sample)})


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(unicodedata.normalize("NFKC", text))


def _text_of(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, Date):
        return str(value.year) if value.year is not None else (value.literal or "")  # months print as words
    if isinstance(value, list):
        return " ".join(_text_of(v) for v in value)
    if isinstance(value, Name):
        return " ".join(p for p in (value.given, value.non_dropping_particle, value.family, value.literal) if p)
    return str(value)


def explanation(guess: StyleGuess, restyled: Sequence[Restyled], items: Sequence[Item], source: str | None) -> list[str]:
    """``--explain``'s lines: the style, then each record that does not come back as pasted."""
    where = source or "<input>"
    runner_up = next(((s, v) for s, v in guess.ranking if s != guess.style), None)
    then = f"; next {runner_up[0]} {runner_up[1]:.2f}" if runner_up else ""
    lines = [f"{where}: printed in style {guess.style} (renderings {guess.similarity:.2f} alike{then})"]
    for item, one in zip(items, restyled):
        if not one.differences:
            continue
        line = item.origin.line if item.origin is not None else None
        at = f"{where}:{line}" if line else where
        lines.append(f"{at}: printed again {one.similarity:.2f} alike: {one.rendered}")
        for given, rendered in one.differences:
            lines.append(f"    pasted {given!r}, printed {rendered!r}")
        if one.lowered:
            lines.append("    less sure of " + ", ".join(f"{v} ({a:.2f} -> {b:.2f})" for v, a, b in one.lowered))
    return lines
