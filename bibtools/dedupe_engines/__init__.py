"""Dedupe engines: the in-memory matcher, or the columnar path on DuckDB or Polars.

Every engine gives the same groups (the columnar path computes the same
``Features``, the same blocks and calls the same ``compare_features`` and
``group_matches``); they differ in memory and speed. ``choose`` picks one by
the number of records: below ``COLUMNAR_FROM`` the in-memory matcher (no start-up
cost), above it DuckDB when installed (``pip install bibtools[scale]``).
"""
from __future__ import annotations

import importlib.util
from collections.abc import Iterable, Sequence

from ..dedupe import DEFAULT_CONFIG, DedupeResult, Features, MatchConfig, find_duplicates, find_duplicates_features
from ..model import Item

__all__ = ["ENGINES", "COLUMNAR_FROM", "EngineUnavailable", "available", "choose", "find_duplicates_of_features",
           "find_duplicates_streaming"]

#: engine name -> the modules it needs
ENGINES: dict[str, tuple[str, ...]] = {
    "memory": (),
    "duckdb": ("duckdb", "pyarrow", "numpy"),
    "polars": ("polars", "pyarrow", "numpy"),
    "dask": ("dask", "distributed", "pyarrow", "numpy"),
}
#: records per Dask partition when the items are given as one sequence
DASK_PARTITION = 20_000
#: records from which the columnar path is the default (measured: benchmarks/bench_scale.py)
COLUMNAR_FROM = 20_000


class EngineUnavailable(RuntimeError):
    """An engine asked for whose packages are not installed."""


def missing(engine: str) -> list[str]:
    if engine not in ENGINES:
        raise ValueError(f"unknown dedupe engine {engine!r} (one of {', '.join(ENGINES)})")
    return [name for name in ENGINES[engine] if importlib.util.find_spec(name) is None]


def available(engine: str) -> bool:
    return not missing(engine)


def choose(n_records: int, engine: str | None = None) -> str:
    """``engine`` when given (``EngineUnavailable`` when it is not installed), else by size."""
    if engine and engine != "auto":
        lacking = missing(engine)
        if lacking:
            extra = "cluster" if engine == "dask" else "scale"
            raise EngineUnavailable(
                f"the {engine} dedupe engine needs {', '.join(lacking)}: pip install 'bibtools[{extra}]'")
        return engine
    if n_records >= COLUMNAR_FROM and available("duckdb"):
        return "duckdb"
    return "memory"


def _blocks(engine: str):
    if engine == "duckdb":
        from .duckdb_blocks import DuckDBBlocks

        return DuckDBBlocks()
    from .polars_blocks import PolarsBlocks

    return PolarsBlocks()


def find_duplicates_streaming(
    items: Iterable[Item], config: MatchConfig = DEFAULT_CONFIG, engine: str | None = "duckdb", *, progress=None,
    processes: int | None = None,
) -> DedupeResult:
    """``find_duplicates`` on ``engine`` (by size when None: the items are then read first): the same groups and pairs."""
    if engine is None or engine == "auto":
        items = list(items)
        engine = choose(len(items))
    engine = choose(0, engine)
    if engine == "memory":
        return find_duplicates(list(items), config)
    if engine == "dask":
        return _on_dask(list(items), config)
    from .columnar import find_duplicates_columnar

    return find_duplicates_columnar(items, config, _blocks(engine), progress=progress, processes=processes)


def _on_dask(items: list[Item], config: MatchConfig) -> DedupeResult:
    """On the current Dask client (``DASK_SCHEDULER_ADDRESS`` names a cluster), else a local one."""
    import os

    from dask.distributed import Client, LocalCluster

    from .dask_engine import find_duplicates_dask

    parts = [items[k : k + DASK_PARTITION] for k in range(0, len(items), DASK_PARTITION)]
    address = os.environ.get("DASK_SCHEDULER_ADDRESS")
    if address:
        with Client(address) as client:
            return find_duplicates_dask(parts, config, client)
    with LocalCluster(n_workers=min(2, os.cpu_count() or 1), threads_per_worker=1) as cluster, Client(cluster) as client:
        return find_duplicates_dask(parts, config, client)


def find_duplicates_of_features(
    feats: Sequence[Features], config: MatchConfig = DEFAULT_CONFIG, engine: str | None = None, *, progress=None,
) -> DedupeResult:
    """``dedupe.find_duplicates_features`` on the engine ``choose`` picks for them."""
    engine = choose(len(feats), engine)
    if engine == "dask":
        raise ValueError("merge runs on one machine: the dask engine takes items (find_duplicates_streaming)")
    if engine == "memory":
        return find_duplicates_features(feats, config)
    from .columnar import find_duplicates_columnar_features

    return find_duplicates_columnar_features(feats, config, _blocks(engine), progress=progress)
