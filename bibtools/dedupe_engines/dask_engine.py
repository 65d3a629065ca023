"""The columnar pipeline on Dask (``dask.distributed``): for more records than one machine holds.

Stages, as tasks on the cluster's workers:

1. *features* per partition of records (a list of items, or a file path read
   on the worker with ``stream.stream_items``): ``store.row_of`` each record;
2. *blocks* per key bucket: the key rows of every partition are split by a
   stable hash of the key, so all records sharing a key meet in one bucket,
   where blocks within ``dedupe.block_limit`` become pairs (a larger block's
   by title orders: the client ranks the titles of all records first);
3. *pairs* per pair bucket (a pair found under keys of several buckets is
   kept once) and *scores* there (``scoring.score_pairs``, the vectorised
   pre-filter then ``compare_features``);
4. *groups* on the client: ``dedupe.group_matches`` over the matched pairs
   (best score first, never through a vetoed pair: a sequential rule, so the
   groups are exactly the in-memory path's).

A scoring worker builds the feature store of all records once (cached per
job): that bounds the job by one worker's memory (about 1 kB a record), see
docs/dedupe-at-scale.md.
"""
from __future__ import annotations

import os
import uuid
import zlib
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from ..dedupe import (
    DEFAULT_CONFIG, DedupeResult, Features, MatchConfig, block_limit, finish_result, group_matches,
    ordered_block, squeezed_title,
)
from ..model import Item
from .store import FeatureStore, row_of

Rows = list[tuple[Any, ...]]
_STORES: dict[str, FeatureStore] = {}  # per worker process: job token -> its feature store


def _partition_rows(source: Sequence[Item] | str | os.PathLike[str]) -> Rows:
    if isinstance(source, (str, os.PathLike)):
        from ..stream import stream_items

        source = list(stream_items(source))
    return [row_of(Features.of(item)) for item in source]


def _count(rows: Rows) -> int:
    return len(rows)


def _bucket_of(key: str, n_buckets: int) -> int:
    return zlib.crc32(key.encode("utf-8")) % n_buckets  # the same in every process (``hash`` is salted)


def _key_buckets(rows: Rows, offset: int, n_buckets: int) -> list[list[tuple[str, int]]]:
    buckets: list[list[tuple[str, int]]] = [[] for _ in range(n_buckets)]
    for k, row in enumerate(rows):
        for key in row[-1]:
            buckets[_bucket_of(key, n_buckets)].append((key, offset + k))
    return buckets


def _squeezed(rows: Rows) -> list[str]:
    return [squeezed_title(row[2], row[2] if row[3] is None else row[3]) for row in rows]


def _block_pairs(bucket: int, n_records: int, config: MatchConfig, ranks: Any, *parts: list[list[tuple[str, int]]]) -> Any:
    import numpy as np
    import pyarrow as pa

    from .blocks import ORDER_ALL, ORDER_NEIGHBOURS, pairs_of_blocks

    members: dict[str, list[int]] = defaultdict(list)
    for part in parts:
        for key, rec in part[bucket]:
            members[key].append(rec)
    lists = set()
    for key, m in members.items():
        if 2 <= len(m) <= block_limit(key, config):
            order = ORDER_NEIGHBOURS if ordered_block(key, len(m), config) else ORDER_ALL
            lists.add((tuple(sorted(m)), order))
    blocks = sorted(lists)
    return pairs_of_blocks(pa.array([list(m) for m, _ in blocks], pa.list_(pa.uint32())), n_records,
                           np.array([o for _, o in blocks], dtype=np.int8), ranks, config)


def _split_codes(codes: Any, n_buckets: int) -> list[Any]:
    return [codes[codes % n_buckets == b] for b in range(n_buckets)]


def _store(token: str, parts: Sequence[Rows]) -> FeatureStore:
    store = _STORES.get(token)
    if store is None:
        _STORES.clear()  # one job at a time per worker
        store = FeatureStore()
        for rows in parts:
            for row in rows:
                store.add_row(row)
        store.freeze()
        _STORES[token] = store
    return store


def _score_bucket(bucket: int, token: str, n_records: int, config: MatchConfig, n_parts: int, *args: Any) -> Any:
    import numpy as np

    from .blocks import split_pairs
    from .scoring import score_pairs

    rows, splits = args[:n_parts], args[n_parts:]
    codes = np.unique(np.concatenate([split[bucket] for split in splits])) if splits else np.zeros(0, np.int64)
    i, j = split_pairs(codes, max(n_records, 1))
    matched, dois = score_pairs(_store(token, rows), i, j, config, workers=1)
    return len(codes), matched, dois


def find_duplicates_dask(
    sources: Sequence[Sequence[Item] | str | os.PathLike[str]],
    config: MatchConfig = DEFAULT_CONFIG,
    client: Any = None,
    *,
    buckets: int | None = None,
) -> DedupeResult:
    """``find_duplicates`` on a Dask cluster; ``sources`` are the partitions, in order (lists of
    items, or paths the workers read). ``client``: a ``dask.distributed.Client`` (default: the current one)."""
    from dask.distributed import get_client

    client = client or get_client()
    n_buckets = buckets or max(2, 2 * len(client.scheduler_info().get("workers", {})))
    rows = client.map(_partition_rows, list(sources), pure=False)
    counts = client.gather(client.map(_count, rows))
    offsets = [sum(counts[:k]) for k in range(len(counts))]
    n = sum(counts)
    keyed = [client.submit(_key_buckets, r, off, n_buckets) for r, off in zip(rows, offsets)]
    from .blocks import ranks_of

    titles = [t for part in client.gather(client.map(_squeezed, rows)) for t in part]
    [ranks] = client.scatter([ranks_of(titles)], broadcast=True)  # one object: a tuple would be scattered apart
    pair_parts = [client.submit(_block_pairs, b, n, config, ranks, *keyed) for b in range(n_buckets)]
    splits = [client.submit(_split_codes, p, n_buckets) for p in pair_parts]
    token = uuid.uuid4().hex
    scored = client.gather([
        client.submit(_score_bucket, b, token, n, config, len(rows), *rows, *splits, pure=False)
        for b in range(n_buckets)
    ])
    compared = sum(s[0] for s in scored)
    matched = [m for s in scored for m in s[1]]
    not_identities = set().union(*(s[2] for s in scored)) if scored else set()
    store = FeatureStore()  # the groups are joined here: the client needs the features for the vetoes
    for part in client.gather(rows):
        for row in part:
            store.add_row(row)
    store.freeze()
    groups, pairs = group_matches(matched, store.feature, n, config, weak_title=store.weak_title(config),
                                  key_of=store.keys.__getitem__)
    return finish_result(groups, pairs, store.keys, compared, store.records_with_doi(not_identities))
