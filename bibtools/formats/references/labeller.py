"""The trained CRF, loaded on first use, and what it says about one reference.

The model file ships beside this module (``model.crfsuite``, made by
``tools/train_references.py``); ``BIBTOOLS_REFERENCES_MODEL`` points at another.
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .features import sequence_features, tokenize

MODEL_PATH = Path(__file__).with_name("model.crfsuite")
_lock = threading.Lock()
_tagger: Any = None


def _load() -> Any:
    global _tagger
    with _lock:
        if _tagger is None:
            import pycrfsuite  # imported here: reading any other format never pays for it

            path = os.environ.get("BIBTOOLS_REFERENCES_MODEL") or str(MODEL_PATH)
            tagger = pycrfsuite.Tagger()
            tagger.open(path)
            _tagger = tagger
    return _tagger


@dataclass(frozen=True, slots=True)
class Segment:
    label: str
    text: str
    confidence: float  # the mean marginal probability of its tokens' labels


@dataclass(frozen=True, slots=True)
class Labelled:
    segments: list[Segment]
    confidence: float  # probability of the whole label sequence, per token (geometric mean)


def label(text: str) -> Labelled:
    tokens = tokenize(text)
    if not tokens:
        return Labelled([], 0.0)
    tagger = _load()
    tagger.set(sequence_features(tokens))
    labels = tagger.tag()
    sequence_p = tagger.probability(labels)
    marginals = [tagger.marginal(lab, i) for i, lab in enumerate(labels)]
    segments: list[Segment] = []
    start = 0
    for i in range(1, len(tokens) + 1):
        if i == len(tokens) or labels[i] != labels[start]:
            span = marginals[start:i]
            segments.append(Segment(labels[start], " ".join(tokens[start:i]), sum(span) / len(span)))
            start = i
    return Labelled(segments, sequence_p ** (1 / len(tokens)))
