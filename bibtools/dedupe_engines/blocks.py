"""Blocking in a columnar engine: (key, record) rows in, candidate pairs out.

The rule is ``dedupe.candidate_pairs``'s: records sharing a blocking key are
paired unless more than ``dedupe.block_limit`` records share it (eight times
more for identifier keys); a block larger than ``full_block_size`` pairs each
record with its neighbours in the two title orders only (``dedupe.ordered_block``).
An engine groups the rows by key, keeps the blocks within the limit with how
they are to be paired (``ORDER_ALL`` or ``ORDER_NEIGHBOURS``) and
drops blocks with the same members and order (a cluster of copies shares all
its keys); numpy turns the blocks into pairs.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

import numpy as np
import pyarrow as pa

from ..dedupe import DEFAULT_CONFIG, IDENTIFIER_KEYS, MatchConfig, block_limit, title_ranks

#: cells of the (blocks x pairs of a block) arrays built at once
PAIR_CELLS = 4_000_000
#: how a block is paired: every two members, or neighbours in the title orders (``dedupe.ordered_block``)
ORDER_ALL, ORDER_NEIGHBOURS = 0, 1


class BlockEngine(Protocol):
    name: str

    def add(self, keys: list[str], records: list[int]) -> None:
        """Rows of (blocking key, record number)."""

    def blocks(self, config: MatchConfig) -> tuple[pa.ListArray, np.ndarray]:
        """The distinct (member list (sorted), order) of the blocks of 2..limit records."""

    def close(self) -> None: ...


def _starts_with_sql(prefixes: tuple[str, ...]) -> str:
    return " OR ".join(f"starts_with(key, '{p}')" for p in prefixes)


def limit_sql(config: MatchConfig = DEFAULT_CONFIG) -> str:
    """``block_limit`` as an SQL expression of ``key``."""
    big = block_limit(IDENTIFIER_KEYS[0], config)
    return f"CASE WHEN {_starts_with_sql(IDENTIFIER_KEYS)} THEN {big} ELSE {config.max_block_size} END"


def order_sql(config: MatchConfig = DEFAULT_CONFIG) -> str:
    """The block's order (``dedupe.ordered_block``) as an SQL expression of ``key`` and ``count(*)``."""
    return (
        f"CASE WHEN count(*) <= {config.full_block_size} OR {_starts_with_sql(IDENTIFIER_KEYS)} THEN {ORDER_ALL}"
        f" ELSE {ORDER_NEIGHBOURS} END"
    )


def _neighbours(members: np.ndarray, ranks: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """``dedupe.neighbour_pairs`` of each row of ``members`` (blocks of one size), as codes' halves."""
    size = members.shape[1]
    by_rank = np.argsort(ranks, axis=1, kind="stable")
    members = np.take_along_axis(members, by_rank, axis=1)
    ranks = np.take_along_axis(ranks, by_rank, axis=1)
    positions = np.zeros(ranks.shape, dtype=np.int64)
    positions[:, 1:] = np.cumsum(ranks[:, 1:] != ranks[:, :-1], axis=1)  # distinct ranks so far
    first, second = np.triu_indices(size, 1)
    near = positions[:, second] - positions[:, first] < window
    a, b = members[:, first][near], members[:, second][near]
    return np.minimum(a, b), np.maximum(a, b)


def pairs_of_blocks(blocks: pa.ListArray, n_records: int, orders: np.ndarray | None = None,
                    ranks: tuple[np.ndarray, np.ndarray] | None = None,
                    config: MatchConfig = DEFAULT_CONFIG) -> np.ndarray:
    """Every pair (i < j) within each block (neighbours in both title orders for an ordered
    block, ``ranks``: forward and backward title ranks of the records), each pair once, as codes
    ``i * n_records + j`` (sorted)."""
    if len(blocks) == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = blocks.offsets.to_numpy().astype(np.int64)
    values = blocks.values.to_numpy().astype(np.int64)
    starts, sizes = offsets[:-1], np.diff(offsets)
    if orders is None:
        orders = np.full(len(sizes), ORDER_ALL, dtype=np.int8)
    parts: list[np.ndarray] = []
    for size in np.unique(sizes):
        if size < 2:
            continue
        first, second = np.triu_indices(int(size), 1)
        step = max(1, PAIR_CELLS // len(first))  # blocks at once: bounds the (blocks x pairs) arrays
        for order in np.unique(orders[sizes == size]):
            all_chosen = starts[(sizes == size) & (orders == order)]
            for at in range(0, len(all_chosen), step):
                chosen = all_chosen[at : at + step]
                members = values[chosen[:, None] + np.arange(size)[None, :]]  # one row per block
                if order == ORDER_ALL:
                    parts.append((members[:, first] * n_records + members[:, second]).ravel())
                    continue
                assert ranks is not None, "ordered blocks need the title ranks"
                for rank in ranks:
                    a, b = _neighbours(members, rank[members], config.block_window)
                    parts.append(a * n_records + b)
    if not parts:
        return np.zeros(0, dtype=np.int64)
    return np.unique(np.concatenate(parts))


def ranks_of(squeezed: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """``dedupe.title_ranks`` as arrays."""
    forward, backward = title_ranks(squeezed)
    return np.array(forward, dtype=np.int64), np.array(backward, dtype=np.int64)


def split_pairs(codes: np.ndarray, n_records: int) -> tuple[np.ndarray, np.ndarray]:
    return codes // n_records, codes % n_records


def batches(codes: np.ndarray, size: int) -> Iterator[np.ndarray]:
    for start in range(0, len(codes), size):
        yield codes[start : start + size]
