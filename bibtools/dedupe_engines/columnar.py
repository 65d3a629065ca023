"""The columnar dedupe path: the in-memory matcher's groups, at a fraction of its memory.

Stages: features (``Features.of`` per streamed record, kept as blobs and
columns; blocking keys to the engine), blocks (grouped by key in the
engine), pairs (numpy), scores (vectorised pre-filter, then
``compare_features``), groups (``dedupe.group_matches``, the union-find of the
in-memory path, so the groups are the same).
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable

from ..dedupe import DEFAULT_CONFIG, DedupeResult, Features, Match, MatchConfig, finish_result, group_matches
from ..model import Item
from .blocks import BlockEngine, batches, pairs_of_blocks, split_pairs
from .scoring import score_pairs
from .store import FeatureStore

#: called with (stage, done, total or None) as the work goes
Progress = Callable[[str, int, "int | None"], None]

#: key rows handed to the engine at once
KEY_BATCH = 500_000
#: candidate pairs scored at once
PAIR_BATCH = 1_000_000


def _quiet(stage: str, done: int, total: int | None) -> None:
    pass


def find_duplicates_columnar(
    items: Iterable[Item],
    config: MatchConfig = DEFAULT_CONFIG,
    blocks: BlockEngine | None = None,
    *,
    progress: Progress | None = None,
    workers: int | None = None,
) -> DedupeResult:
    """``dedupe.find_duplicates`` on a stream of items, blocking on ``blocks`` (DuckDB by default)."""
    return find_duplicates_columnar_features((Features.of(item) for item in items), config, blocks,
                                             progress=progress, workers=workers)


def find_duplicates_columnar_features(
    features: Iterable[Features],
    config: MatchConfig = DEFAULT_CONFIG,
    blocks: BlockEngine | None = None,
    *,
    progress: Progress | None = None,
    workers: int | None = None,
) -> DedupeResult:
    """``find_duplicates_columnar`` on features already computed (``merge`` has them)."""
    if blocks is None:
        from .duckdb_blocks import DuckDBBlocks

        blocks = DuckDBBlocks()
    tell = progress or _quiet
    workers = workers or min(2, os.cpu_count() or 1)
    store = FeatureStore()
    keys: list[str] = []
    records: list[int] = []
    try:
        for feature in features:
            i = len(store)
            for key in store.add(feature):
                keys.append(key)
                records.append(i)
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
        lists = blocks.blocks(config)
        tell("blocks", len(lists), len(lists))
    finally:
        blocks.close()
    codes = pairs_of_blocks(lists, max(n, 1))
    del lists
    tell("pairs", len(codes), len(codes))
    matched: list[tuple[float, int, int, Match]] = []
    not_identities: set[str] = set()
    done = 0
    for chunk in batches(codes, PAIR_BATCH):
        i, j = split_pairs(chunk, max(n, 1))
        found, dois = score_pairs(store, i, j, config, workers)
        matched += found
        not_identities |= dois
        done += len(chunk)
        tell("scores", done, len(codes))
    compared = len(codes)
    del codes
    tell("groups", 0, len(matched))
    groups, pairs = group_matches(matched, store.feature, n, config)
    tell("groups", len(matched), len(matched))
    return finish_result(groups, pairs, store.keys, compared, store.records_with_doi(not_identities))
