"""How likely a candidate record from a web service is the same paper as ours.

Evidence is compared field by field (title, authors, year, abstract) and
combined as a weighted mean over the evidence both sides have. Authors and a
year alone cannot identify a paper (one author writes many), so without a
title or an abstract to compare the confidence is capped well below any
sensible threshold. When ``bibtools.dedupe`` is installed its ``compare``
can veto a match (different years, authors, a title too short to tell...).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from anyascii import anyascii
from rapidfuzz import fuzz

from .model import Item, Name

# Weights of the evidence kinds; only the kinds both records have take part.
WEIGHTS = {"title": 0.5, "abstract": 0.4, "authors": 0.25, "year": 0.1}
UNIDENTIFIED_CAP = 0.5  # no title and no abstract compared: never confident
MIN_SHINGLES = 8
VETO_FLOOR = 0.5  # below this our own score already rules a candidate out  # abstracts shorter than this (in 3-word shingles) prove little

_MARKUP = re.compile(r"<[^>]+>")
_TEX_DROP = re.compile(r"\\(?:cite[a-z]*|ref|label|url)\*?(?:\[[^\]]*\])*\{[^}]*\}")
_TEX_CMD = re.compile(r"\\[a-zA-Z]+\*?")
_NON_WORD = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=8192)
def normalize_text(text: str) -> str:
    """Lower-case ASCII words: markup, TeX commands, citations and punctuation gone."""
    text = _MARKUP.sub(" ", text)
    text = _TEX_DROP.sub(" ", text)
    text = _TEX_CMD.sub(" ", text)
    return " ".join(_NON_WORD.sub(" ", anyascii(text).lower()).split())


def title_similarity(a: str, b: str) -> float:
    na, nb = normalize_text(a), normalize_text(b)
    if not na or not nb:
        return 0.0
    return fuzz.ratio(na, nb) / 100.0


def _family(name: Name) -> str:
    family = name.family or ""
    if not family and name.literal:
        family = name.literal.split()[-1] if name.literal.split() else ""
    return normalize_text(family).replace(" ", "")


def author_similarity(a: list[Name], b: list[Name]) -> float:
    """Overlap of family names, order-free (listings and services order authors differently).

    Mostly the coverage of the shorter list, so "Goodfellow" alone (a
    bibliography's "Goodfellow et al.") or the first two of ten authors still
    count; a little Dice, so an exact list beats a superset.
    """
    fa = [f for f in map(_family, a) if f]
    fb = [f for f in map(_family, b) if f]
    if not fa or not fb:
        return 0.0
    remaining = list(fb)
    shared = 0
    for fam in fa:
        if fam in remaining:
            remaining.remove(fam)
            shared += 1
    return 0.25 * (2 * shared / (len(fa) + len(fb))) + 0.75 * (shared / min(len(fa), len(fb)))


@lru_cache(maxsize=4096)
def _shingles(text: str, size: int = 3) -> frozenset[tuple[str, ...]]:
    words = normalize_text(text).split()
    return frozenset(tuple(words[i : i + size]) for i in range(max(0, len(words) - size + 1)))


def abstract_similarity(a: str, b: str) -> float | None:
    """Containment of 3-word shingles: a fragment of an abstract scores as high as the whole.

    ``None`` when either text is too short to tell anything.
    """
    sa, sb = _shingles(a), _shingles(b)
    if min(len(sa), len(sb)) < MIN_SHINGLES:
        return None
    return len(sa & sb) / min(len(sa), len(sb))


def year_similarity(a: int, b: int) -> float:
    gap = abs(a - b)
    return 1.0 if gap == 0 else 0.7 if gap == 1 else 0.3 if gap == 2 else 0.0


@dataclass
class Score:
    confidence: float
    evidence: dict[str, float] = field(default_factory=dict)
    note: str = ""

    def describe(self) -> str:
        parts = ", ".join(f"{k} {v:.2f}" for k, v in self.evidence.items())
        return parts + (f"; {self.note}" if self.note else "")


def _text_of(item: Item, var: str) -> str:
    value = item.get(var)
    return value if isinstance(value, str) else ""


def _dedupe_compare() -> Callable[[Item, Item], Any] | None:
    try:
        from .dedupe import compare  # type: ignore[attr-defined]
    except ImportError:
        return None
    return compare  # type: ignore[no-any-return]


def score(record: Item, candidate: Item) -> Score:
    """How confident we are that ``candidate`` describes the same paper as ``record`` (0..1)."""
    evidence: dict[str, float] = {}
    if record.title and candidate.title:
        evidence["title"] = title_similarity(record.title, candidate.title)
    if record.authors and candidate.authors:
        evidence["authors"] = author_similarity(record.authors, candidate.authors)
    if record.year and candidate.year:
        evidence["year"] = year_similarity(record.year, candidate.year)
    abstract = abstract_similarity(_text_of(record, "abstract"), _text_of(candidate, "abstract"))
    if abstract is not None:
        evidence["abstract"] = abstract
    if not evidence:
        return Score(0.0, evidence, "nothing to compare")
    total = sum(WEIGHTS[k] for k in evidence)
    confidence = sum(WEIGHTS[k] * v for k, v in evidence.items()) / total
    note = ""
    compare = _dedupe_compare()
    # a veto only lowers a score: not worth asking about candidates already far below any threshold
    if compare is not None and "title" in evidence and confidence >= VETO_FLOOR:
        # dedupe's verdict is a veto: its score counts missing fields as half-agreeing,
        # which is right for duplicates but not for the incomplete records we enrich,
        # so only its substantive reasons (not "score below threshold") overrule ours.
        match = compare(record, candidate)
        found = dict(getattr(match, "evidence", {}) or {})
        reasons = [str(r) for r in found.get("vetoes") or []]
        if not getattr(match, "same", True):
            reasons += [str(r) for r in found.get("why_not") or [] if not str(r).startswith("score ")]
        if reasons:
            judged = float(getattr(match, "score", confidence))
            evidence["dedupe"] = judged
            confidence = min(confidence, judged)
            note = "dedupe: " + "; ".join(reasons)
    if "title" not in evidence and "abstract" not in evidence:
        confidence = min(confidence, UNIDENTIFIED_CAP)
        note = "no title or abstract to compare"
    return Score(round(confidence, 4), evidence, note)


def same_work(a: Item, b: Item) -> bool:
    """Two candidates that are versions of one paper (they do not compete with each other)."""
    from .net.ids import item_arxiv, item_doi

    for ident in (item_doi, item_arxiv):
        ia, ib = ident(a), ident(b)
        if ia and ib and ia.lower() == ib.lower():
            return True
    if a.title and b.title and title_similarity(a.title, b.title) >= 0.95:
        return author_similarity(a.authors, b.authors) >= 0.6 if a.authors and b.authors else True
    return False
