"""Labelled reference strings: anystyle's XML (``<sequence>`` of labelled segments).

Used by the training script and the benchmark, never when parsing.
"""
from __future__ import annotations

from pathlib import Path

from lxml import etree

from .features import tokenize
from .text import normalize

Labelled = tuple[list[str], list[str]]  # tokens, one label each

# anystyle's label names -> ours; the rest are kept as they are.
_LABELS = {"journal": "journal", "container-title": "container-title", "citation-number": "citation-number",
           "collection-title": "collection-title", "dataset": "note", "producer": "publisher",
           "director": "author", "medium": "genre", "source": "note"}


def segments_to_sequence(segments: list[tuple[str, str]]) -> Labelled:
    tokens: list[str] = []
    labels: list[str] = []
    for label, text in segments:
        for token in tokenize(normalize(text)):
            tokens.append(token)
            labels.append(_LABELS.get(label, label))
    return tokens, labels


def read_segments(path: str | Path) -> list[list[tuple[str, str]]]:
    """Each ``<sequence>`` of an anystyle XML file as (label, text) pairs."""
    tree = etree.parse(str(path))
    return [[(child.tag, child.text or "") for child in sequence if isinstance(child.tag, str)]
            for sequence in tree.getroot().iter("sequence")]


def read_anystyle(path: str | Path) -> list[Labelled]:
    out = []
    for segments in read_segments(path):
        tokens, labels = segments_to_sequence(segments)
        if tokens:
            out.append((tokens, labels))
    return out
