"""An on-disk cache of HTTP answers (SQLite), so a second run costs no request.

Keys are service-relative (``crossref GET /works/10.1/x?``), not full URLs, so
the cache survives a change of mirror (``BIBTOOLS_CROSSREF_URL``). Entries
expire; offline mode may still read expired entries (better old than nothing).
"""
from __future__ import annotations

import os
import sqlite3
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

DEFAULT_TTL = 30 * 24 * 3600.0  # bibliographic metadata changes slowly
NOT_FOUND_TTL = 7 * 24 * 3600.0  # a 404 may become a record once registered


def default_cache_dir() -> Path:
    """``BIBTOOLS_CACHE_DIR``, else the platform's per-user cache folder."""
    env = os.environ.get("BIBTOOLS_CACHE_DIR")
    if env:
        return Path(env)
    home = Path.home()
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "bibtools"
    if os.name == "nt":
        base = os.environ.get("LOCALAPPDATA") or str(home / "AppData" / "Local")
        return Path(base) / "bibtools" / "Cache"
    return Path(os.environ.get("XDG_CACHE_HOME") or home / ".cache") / "bibtools"


@dataclass(frozen=True, slots=True)
class CachedResponse:
    status: int
    body: bytes
    content_type: str
    stored_at: float
    expires_at: float

    def expired(self, now: float) -> bool:
        return now >= self.expires_at


_SCHEMA = """
CREATE TABLE IF NOT EXISTS responses (
    key TEXT PRIMARY KEY,
    status INTEGER NOT NULL,
    body BLOB NOT NULL,
    content_type TEXT NOT NULL,
    stored_at REAL NOT NULL,
    expires_at REAL NOT NULL
)
"""


class Cache:
    """Key -> response, in one SQLite file. ``clock`` is injectable for tests."""

    def __init__(self, path: str | os.PathLike[str] | None = None, *, clock: Callable[[], float] = time.time) -> None:
        if path is None:
            path = default_cache_dir() / "http-cache.sqlite3"
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._clock = clock
        self._db = sqlite3.connect(str(self.path), timeout=30, check_same_thread=False)
        self._db.execute(_SCHEMA)
        self._db.commit()

    def get(self, key: str, *, allow_expired: bool = False) -> CachedResponse | None:
        row = self._db.execute(
            "SELECT status, body, content_type, stored_at, expires_at FROM responses WHERE key = ?", (key,)
        ).fetchone()
        if row is None:
            return None
        entry = CachedResponse(int(row[0]), bytes(row[1]), str(row[2]), float(row[3]), float(row[4]))
        if entry.expired(self._clock()) and not allow_expired:
            return None
        return entry

    def put(self, key: str, status: int, body: bytes, content_type: str = "", ttl: float = DEFAULT_TTL) -> None:
        now = self._clock()
        self._db.execute(
            "INSERT OR REPLACE INTO responses (key, status, body, content_type, stored_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
            (key, status, body, content_type, now, now + ttl),
        )
        self._db.commit()

    def purge_expired(self) -> int:
        """Drop expired entries; return how many went."""
        cur = self._db.execute("DELETE FROM responses WHERE expires_at <= ?", (self._clock(),))
        self._db.commit()
        return cur.rowcount

    def clear(self) -> None:
        self._db.execute("DELETE FROM responses")
        self._db.commit()

    def __len__(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM responses").fetchone()[0])

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "Cache":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
