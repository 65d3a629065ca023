"""Blocking on Polars (Arrow columns in memory, multi-threaded group-by)."""
from __future__ import annotations

import numpy as np
import pyarrow as pa

from ..dedupe import IDENTIFIER_KEYS, MatchConfig, block_limit
from .blocks import ORDER_ALL, ORDER_NEIGHBOURS


class PolarsBlocks:
    name = "polars"

    def __init__(self) -> None:
        self.frames: list[object] = []

    def add(self, keys: list[str], records: list[int]) -> None:
        import polars as pl

        self.frames.append(pl.DataFrame({"key": keys, "rec": records}, schema={"key": pl.String, "rec": pl.UInt32}))

    def blocks(self, config: MatchConfig) -> tuple[pa.ListArray, np.ndarray]:
        import polars as pl

        rows = pl.concat(self.frames, rechunk=False) if self.frames else pl.DataFrame(schema={"key": pl.String, "rec": pl.UInt32})
        self.frames = []

        def starts(prefixes: tuple[str, ...]) -> pl.Expr:
            return pl.any_horizontal([pl.col("key").str.starts_with(p) for p in prefixes])

        limit = pl.when(starts(IDENTIFIER_KEYS)).then(block_limit(IDENTIFIER_KEYS[0], config)).otherwise(config.max_block_size)
        order = (
            pl.when((pl.col("n") <= config.full_block_size) | starts(IDENTIFIER_KEYS)).then(ORDER_ALL)
            .otherwise(ORDER_NEIGHBOURS)
        )
        grouped = (
            rows.lazy()
            .group_by("key")
            .agg(pl.col("rec").sort().alias("members"), pl.len().alias("n"))
            .filter((pl.col("n") >= 2) & (pl.col("n") <= limit))
            .select("members", order.cast(pl.Int8).alias("block_order"))
            .unique()
            .collect()
        )
        table = grouped.to_arrow()
        return (table.column("members").combine_chunks().cast(pa.list_(pa.uint32())),
                table.column("block_order").to_numpy().astype(np.int8))

    def close(self) -> None:
        self.frames = []
