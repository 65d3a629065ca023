"""The two CPU-bound stages (features, scores) in forked worker processes.

Workers are forked, so they inherit the input sequence and the frozen
feature store instead of receiving them pickled; each task is a range of
records or of candidate pairs, and only its results travel back. Where
``fork`` is unavailable (Windows, macOS default) the stages run in-process.
"""
from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from ..dedupe import Features, Match, MatchConfig
from ..model import Item
from .store import FeatureStore, row_of

#: records per feature task, pairs per scoring task
RECORDS_PER_TASK = 4_000
PAIRS_PER_TASK = 100_000

# what forked workers inherit (set just before the pool starts)
_ITEMS: Sequence[Item] = ()
_STORE: FeatureStore | None = None
_CODES: Any = None
_CONFIG: MatchConfig | None = None


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and os.name == "posix"


def _rows(span: tuple[int, int]) -> list[tuple[Any, ...]]:
    return [row_of(Features.of(_ITEMS[i])) for i in range(*span)]


def _scores(span: tuple[int, int]) -> tuple[list[tuple[float, int, int, Match]], set[str]]:
    from .blocks import split_pairs
    from .scoring import score_pairs

    assert _STORE is not None and _CONFIG is not None
    i, j = split_pairs(_CODES[span[0] : span[1]], max(len(_STORE), 1))
    return score_pairs(_STORE, i, j, _CONFIG, workers=1)


def _spans(n: int, size: int) -> list[tuple[int, int]]:
    return [(start, min(n, start + size)) for start in range(0, n, size)]


def _imap(fn: Callable[[tuple[int, int]], Any], spans: list[tuple[int, int]], workers: int) -> Iterator[Any]:
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from pool.imap(fn, spans)


def feature_rows(items: Sequence[Item], workers: int) -> Iterator[list[tuple[Any, ...]]]:
    """``row_of`` every item, in order, a batch at a time."""
    global _ITEMS
    _ITEMS = items
    try:
        yield from _imap(_rows, _spans(len(items), RECORDS_PER_TASK), workers)
    finally:
        _ITEMS = ()


def scored(store: FeatureStore, codes: Any, config: MatchConfig, workers: int
           ) -> Iterator[tuple[int, list[tuple[float, int, int, Match]], set[str]]]:
    """``score_pairs`` over the candidate pairs ``codes``: (pairs done, matched, DOIs not identities) per task."""
    global _STORE, _CODES, _CONFIG
    _STORE, _CODES, _CONFIG = store, codes, config
    spans = _spans(len(codes), PAIRS_PER_TASK)
    try:
        for span, (matched, dois) in zip(spans, _imap(_scores, spans, workers)):
            yield span[1], matched, dois
    finally:
        _STORE, _CODES, _CONFIG = None, None, None
