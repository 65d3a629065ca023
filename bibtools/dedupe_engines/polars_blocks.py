"""Blocking on Polars (Arrow columns in memory, multi-threaded group-by)."""
from __future__ import annotations

import pyarrow as pa

from ..dedupe import IDENTIFIER_KEYS, MatchConfig, block_limit


class PolarsBlocks:
    name = "polars"

    def __init__(self) -> None:
        self.frames: list[object] = []

    def add(self, keys: list[str], records: list[int]) -> None:
        import polars as pl

        self.frames.append(pl.DataFrame({"key": keys, "rec": records}, schema={"key": pl.String, "rec": pl.UInt32}))

    def blocks(self, config: MatchConfig) -> pa.ListArray:
        import polars as pl

        rows = pl.concat(self.frames, rechunk=False) if self.frames else pl.DataFrame(schema={"key": pl.String, "rec": pl.UInt32})
        self.frames = []
        is_identifier = pl.any_horizontal([pl.col("key").str.starts_with(p) for p in IDENTIFIER_KEYS])
        limit = pl.when(is_identifier).then(block_limit(IDENTIFIER_KEYS[0], config)).otherwise(config.max_block_size)
        grouped = (
            rows.lazy()
            .group_by("key")
            .agg(pl.col("rec").sort().alias("members"), pl.len().alias("n"))
            .filter((pl.col("n") >= 2) & (pl.col("n") <= limit))
            .select("members")
            .unique()
            .collect()
        )
        return grouped.to_arrow().column("members").combine_chunks().cast(pa.list_(pa.uint32()))

    def close(self) -> None:
        self.frames = []
