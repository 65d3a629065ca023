"""Blocking in a columnar engine: (key, record) rows in, candidate pairs out.

The rule is ``dedupe.candidate_pairs``'s: records sharing a blocking key are
paired unless more than ``dedupe.block_limit`` records share it (eight times
more for identifier keys). An engine groups the rows by key, keeps the blocks
within the limit and drops blocks with the same members (a cluster of copies
shares all its keys); numpy turns the blocks into pairs.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

import numpy as np
import pyarrow as pa

from ..dedupe import DEFAULT_CONFIG, IDENTIFIER_KEYS, MatchConfig, block_limit


class BlockEngine(Protocol):
    name: str

    def add(self, keys: list[str], records: list[int]) -> None:
        """Rows of (blocking key, record number)."""

    def blocks(self, config: MatchConfig) -> pa.ListArray:
        """The distinct member lists (sorted) of the blocks of 2..limit records."""

    def close(self) -> None: ...


def limit_sql(config: MatchConfig = DEFAULT_CONFIG) -> str:
    """``block_limit`` as an SQL expression of ``key``."""
    big = block_limit(IDENTIFIER_KEYS[0], config)
    prefixes = " OR ".join(f"starts_with(key, '{p}')" for p in IDENTIFIER_KEYS)
    return f"CASE WHEN {prefixes} THEN {big} ELSE {config.max_block_size} END"


def pairs_of_blocks(blocks: pa.ListArray, n_records: int) -> np.ndarray:
    """Every pair (i < j) within each block, each pair once, as codes ``i * n_records + j`` (sorted)."""
    if len(blocks) == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = blocks.offsets.to_numpy().astype(np.int64)
    values = blocks.values.to_numpy().astype(np.int64)
    starts, sizes = offsets[:-1], np.diff(offsets)
    parts: list[np.ndarray] = []
    for size in np.unique(sizes):
        if size < 2:
            continue
        chosen = starts[sizes == size]
        members = values[chosen[:, None] + np.arange(size)[None, :]]  # one row per block
        first, second = np.triu_indices(int(size), 1)
        parts.append((members[:, first] * n_records + members[:, second]).ravel())
    if not parts:
        return np.zeros(0, dtype=np.int64)
    return np.unique(np.concatenate(parts))


def split_pairs(codes: np.ndarray, n_records: int) -> tuple[np.ndarray, np.ndarray]:
    return codes // n_records, codes % n_records


def batches(codes: np.ndarray, size: int) -> Iterator[np.ndarray]:
    for start in range(0, len(codes), size):
        yield codes[start : start + size]
