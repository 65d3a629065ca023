"""The columnar dedupe path: the in-memory matcher's groups, at a fraction of its memory.

Stages: features (``Features.of`` per streamed record, kept as blobs and
columns; blocking keys to the engine), blocks (grouped by key in the
engine), pairs (numpy), scores (vectorised pre-filter, then
``compare_features``), groups (``dedupe.group_matches``, the union-find of the
in-memory path, so the groups are the same).
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ..dedupe import DEFAULT_CONFIG, DedupeResult, Features, Match, MatchConfig, finish_result, group_matches
from ..model import Item
from .blocks import ORDER_ALL, BlockEngine, batches, pairs_of_blocks, split_pairs
from .scoring import score_pairs
from . import parallel
from .store import FeatureStore, row_of

#: called with (stage, done, total or None) as the work goes
Progress = Callable[[str, int, "int | None"], None]

#: key rows handed to the engine at once
KEY_BATCH = 500_000
#: candidate pairs scored at once
PAIR_BATCH = 1_000_000
#: records from which the features and scores are computed in worker processes
PARALLEL_FROM = 50_000


def _quiet(stage: str, done: int, total: int | None) -> None:
    pass


def _processes(n: int | None, wanted: int | None) -> int:
    if wanted is not None:
        return wanted if parallel.can_fork() else 1
    if n is None or n < PARALLEL_FROM or not parallel.can_fork():
        return 1
    return min(2, os.cpu_count() or 1)


def find_duplicates_columnar(
    items: Iterable[Item],
    config: MatchConfig = DEFAULT_CONFIG,
    blocks: BlockEngine | None = None,
    *,
    progress: Progress | None = None,
    processes: int | None = None,
) -> DedupeResult:
    """``dedupe.find_duplicates`` on a stream of items, blocking on ``blocks`` (DuckDB by default).

    A sequence of ``PARALLEL_FROM`` items or more has its features computed and its pairs
    scored in ``processes`` forked workers (default: two when the machine has them)."""
    n = len(items) if isinstance(items, Sequence) else None
    workers = _processes(n, processes)
    if workers > 1 and isinstance(items, Sequence):
        rows: Iterable[tuple[Any, ...]] = (row for batch in parallel.feature_rows(items, workers) for row in batch)
    else:
        rows = (row_of(Features.of(item)) for item in items)
    return _run(rows, config, blocks, progress, workers)


def find_duplicates_columnar_features(
    features: Iterable[Features],
    config: MatchConfig = DEFAULT_CONFIG,
    blocks: BlockEngine | None = None,
    *,
    progress: Progress | None = None,
    processes: int | None = None,
) -> DedupeResult:
    """``find_duplicates_columnar`` on features already computed (``merge`` has them)."""
    n = len(features) if isinstance(features, Sequence) else None
    return _run((row_of(f) for f in features), config, blocks, progress, _processes(n, processes))


def _run(rows: Iterable[tuple[Any, ...]], config: MatchConfig, blocks: BlockEngine | None,
         progress: Progress | None, workers: int) -> DedupeResult:
    if blocks is None:
        from .duckdb_blocks import DuckDBBlocks

        blocks = DuckDBBlocks()
    tell = progress or _quiet
    store = FeatureStore()
    keys: list[str] = []
    records: list[int] = []
    try:
        for row in rows:
            i = len(store)
            store.add_row(row)
            keys += row[-1]
            records += [i] * len(row[-1])
            if len(keys) >= KEY_BATCH:
                blocks.add(keys, records)
                keys, records = [], []
            if i % 10_000 == 0:
                tell("features", i, None)
        if keys:
            blocks.add(keys, records)
        del keys, records
        n = len(store)
        tell("features", n, n)
        store.freeze()
        tell("blocks", 0, None)
        lists, orders = blocks.blocks(config)
        tell("blocks", len(lists), len(lists))
    finally:
        blocks.close()
    ranks = store.title_ranks() if (orders != ORDER_ALL).any() else None
    codes = pairs_of_blocks(lists, max(n, 1), orders, ranks, config)
    del lists, orders, ranks
    tell("pairs", len(codes), len(codes))
    matched: list[tuple[float, int, int, Match]] = []
    not_identities: set[str] = set()
    if workers > 1 and len(codes) >= 2 * parallel.PAIRS_PER_TASK:
        for done, found, dois in parallel.scored(store, codes, config, workers):
            matched += found
            not_identities |= dois
            tell("scores", done, len(codes))
    else:
        done = 0
        for chunk in batches(codes, PAIR_BATCH):
            i, j = split_pairs(chunk, max(n, 1))
            found, dois = score_pairs(store, i, j, config, min(2, os.cpu_count() or 1))
            matched += found
            not_identities |= dois
            done += len(chunk)
            tell("scores", done, len(codes))
    compared = len(codes)
    del codes
    tell("groups", 0, len(matched))
    groups, pairs = group_matches(matched, store.feature, n, config, weak_title=store.weak_title(config),
                                  key_of=store.keys.__getitem__)
    tell("groups", len(matched), len(matched))
    return finish_result(groups, pairs, store.keys, compared, store.records_with_doi(not_identities))
