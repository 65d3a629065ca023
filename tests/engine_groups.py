"""The dedupe engines a test can run here, and the groups each gives (shared by the dedupe tests)."""
from __future__ import annotations

from bibtools.dedupe import find_duplicates
from bibtools.model import Item


def engines() -> list[str]:
    """The in-memory path, and the columnar engine where its extra is installed."""
    out = ["memory"]
    try:
        import duckdb  # noqa: F401
        import numpy  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError:
        return out
    return out + ["duckdb"]


def groups_of(items: list[Item], engine: str) -> list[list[str]]:
    if engine == "memory":
        return find_duplicates(items).key_groups()
    from bibtools.dedupe_engines import find_duplicates_streaming

    return find_duplicates_streaming(items, engine=engine).key_groups()
