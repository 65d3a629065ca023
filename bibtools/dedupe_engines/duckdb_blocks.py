"""Blocking on DuckDB (an embedded SQL engine: the key table may spill to disk)."""
from __future__ import annotations

import numpy as np
import pyarrow as pa

from ..dedupe import MatchConfig
from .blocks import limit_sql, order_sql


class DuckDBBlocks:
    name = "duckdb"

    def __init__(self, memory_limit: str = "1GB", threads: int = 2) -> None:
        import duckdb

        # beyond the limit DuckDB spills the key table to a temporary directory instead of growing
        self.con = duckdb.connect(":memory:", config={"memory_limit": memory_limit, "threads": threads})
        self.con.execute("CREATE TABLE keys (key VARCHAR, rec UINTEGER)")

    def add(self, keys: list[str], records: list[int]) -> None:
        batch = pa.table({"key": pa.array(keys, pa.string()), "rec": pa.array(records, pa.uint32())})
        self.con.register("batch", batch)
        self.con.execute("INSERT INTO keys SELECT key, rec FROM batch")
        self.con.unregister("batch")

    def blocks(self, config: MatchConfig) -> tuple[pa.ListArray, np.ndarray]:
        query = f"""
            SELECT DISTINCT members, block_order FROM (
                SELECT list(rec ORDER BY rec) AS members, {order_sql(config)} AS block_order FROM keys GROUP BY key
                HAVING count(*) >= 2 AND count(*) <= {limit_sql(config)}
            )"""
        table = self.con.sql(query).to_arrow_table()
        return (table.column("members").combine_chunks(),
                table.column("block_order").to_numpy().astype(np.int8))

    def close(self) -> None:
        self.con.close()
