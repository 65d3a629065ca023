"""Match features of a stream of records, held compactly.

Each record's ``dedupe.Features`` is computed once, by ``Features.of`` (the one
definition of every normalised key), then kept as a ``marshal`` blob plus the
few columns the vectorised stages read (titles, hashed identifiers, volume and
first page, title lengths). Python objects per record would need about 3 kB
each; the blob needs about a fifth of that and is decoded again only for the
records of the pairs that reach ``compare_features``.
"""
from __future__ import annotations

import dataclasses
from array import array
import marshal
import operator
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

import numpy as np

from ..dedupe import DEFAULT_CONFIG, Features, MatchConfig, blocking_keys, squeezed_title
from ..matchnorm import GENERIC_TITLES

_FIELDS = tuple(f.name for f in dataclasses.fields(Features))
_VALUES = operator.attrgetter(*_FIELDS)  # a Features' field values, in order
#: identifiers compared one by one in the vectorised pre-filter; any other is left to ``compare_features``
ID_COLUMNS = ("doi", "arxiv", "pmid", "url")
#: ISBNs of a record compared in the pre-filter (a record with more is left to ``compare_features``)
ISBN_COLUMNS = 2
#: the year column's value for a record without a year
NO_YEAR = -(2**31)
#: decoded Features kept at once (about 3 kB each)
CACHED_FEATURES = 20_000


def _code(value: Any) -> int:
    """A non-zero signed 64-bit code of a value (0: None). Two different values may share a code:
    the pre-filter then keeps the pair, which only costs time."""
    if value is None:
        return 0
    return hash(value) or 1


def row_of(f: Features) -> tuple[Any, ...]:
    """What the store keeps of one record, and its blocking keys: plain values, cheap to pickle."""
    return (
        marshal.dumps(_VALUES(f)), f.key, f.title,
        None if f.title_alt == f.title else f.title_alt,
        tuple(f.ids.get(name) for name in ID_COLUMNS), tuple(f.ids.get("isbn") or ()),
        any(k not in ID_COLUMNS and k != "isbn" for k in f.ids),
        f.volume, f.first_page, len(f.title.split()), f.year, len(f.significant), f.title_alt in GENERIC_TITLES,
        list(blocking_keys(f)),
    )


class FeatureStore:
    """Features of records 0..n-1 as blobs and columns; ``feature(i)`` gives them back."""

    def __init__(self) -> None:
        self.blobs: list[bytes] = []
        self.keys: list[str] = []
        self._titles: list[str] = []
        self._alts: list[str] = []
        # growing columns as machine arrays (8 bytes a value, not a Python int's 36)
        self._ids: dict[str, array[int]] = {name: array("q") for name in ID_COLUMNS}
        self._isbns = [array("q") for _ in range(ISBN_COLUMNS)]
        self._other_ids = array("b")
        self._volume = array("q")
        self._first_page = array("q")
        self._words = array("i")
        self._year = array("i")
        self._significant = array("i")
        self._generic = array("b")
        #: decoded features of recently used records (the pairs of a batch come in order of their first record)
        self.feature: Callable[[int], Features] = lru_cache(maxsize=CACHED_FEATURES)(self._decode)
        self.frozen = False

    def __len__(self) -> int:
        return len(self.blobs)

    def add(self, f: Features) -> list[str]:
        """Store one record's features; its blocking keys (``dedupe.blocking_keys``)."""
        row = row_of(f)
        self.add_row(row)
        return row[-1]

    def add_row(self, row: tuple[Any, ...]) -> None:
        """Store a ``row_of`` (computed here or in a worker process)."""
        blob, key, title, alt, ids, isbns, other_ids, volume, first_page, words, year, significant, generic, _keys = row
        self.blobs.append(blob)
        self.keys.append(key)
        self._titles.append(title)
        self._alts.append(title if alt is None else alt)
        for name, value in zip(ID_COLUMNS, ids):
            self._ids[name].append(_code(value))
        for k, codes in enumerate(self._isbns):
            codes.append(_code(isbns[k]) if k < len(isbns) else 0)
        self._other_ids.append(other_ids or len(isbns) > ISBN_COLUMNS)
        self._volume.append(_code(volume))
        self._first_page.append(_code(first_page))
        self._words.append(words)
        self._year.append(NO_YEAR if year is None else max(NO_YEAR + 1, min(year, 2**31 - 1)))
        self._significant.append(significant)
        self._generic.append(generic)

    def freeze(self) -> None:
        """Turn the columns into arrays (no more records after this)."""
        self.titles = np.array(self._titles, dtype=object)
        self.alts = np.array(self._alts, dtype=object)
        self.title_len = np.fromiter((len(t) for t in self._titles), dtype=np.int32, count=len(self._titles))
        self.ids = {name: np.frombuffer(codes, dtype=np.int64).copy() for name, codes in self._ids.items()}
        self.isbns = [np.frombuffer(codes, dtype=np.int64).copy() for codes in self._isbns]
        self.other_ids = np.frombuffer(self._other_ids, dtype=np.int8).astype(bool)
        self.volume = np.frombuffer(self._volume, dtype=np.int64).copy()
        self.first_page = np.frombuffer(self._first_page, dtype=np.int64).copy()
        self.words = np.frombuffer(self._words, dtype=np.int32).copy()
        self.year = np.frombuffer(self._year, dtype=np.int32).astype(np.int64)
        self.significant = self._significant  # read one at a time (``weak_title``): kept as it is
        self.generic = self._generic
        self.has_alt = np.fromiter((a is not t and a != t for a, t in zip(self._alts, self._titles)), dtype=bool,
                                   count=len(self._titles))
        del self._titles, self._alts, self._ids, self._isbns, self._other_ids, self._volume, self._first_page, self._words, self._year
        del self._significant, self._generic
        self.frozen = True

    def weak_title(self, config: MatchConfig = DEFAULT_CONFIG) -> Callable[[int], bool]:
        """``dedupe._weak_title`` of a record, from the columns."""
        significant, generic, fewest = self.significant, self.generic, config.weak_title_words
        return lambda i: significant[i] < fewest or bool(generic[i])

    def title_ranks(self) -> tuple[np.ndarray, np.ndarray]:
        """``dedupe.title_ranks`` of the records (the order of larger blocks)."""
        from .blocks import ranks_of

        return ranks_of([squeezed_title(t, a) for t, a in zip(self.titles.tolist(), self.alts.tolist())])

    def _decode(self, i: int) -> Features:
        # the values are a Features' own: filling its __dict__ spares the frozen dataclass's
        # __init__ (one object.__setattr__ per field), the larger part of decoding
        f = object.__new__(Features)
        f.__dict__.update(zip(_FIELDS, marshal.loads(self.blobs[i])))
        return f

    def records_with_doi(self, dois: Iterable[str]) -> dict[str, list[int]]:
        wanted = {doi: [] for doi in sorted(dois)}  # type: dict[str, list[int]]
        if wanted:
            codes = {_code(doi): doi for doi in wanted}
            for i in np.flatnonzero(np.isin(self.ids["doi"], list(codes))):
                doi = self.feature(int(i)).ids.get("doi")
                if doi in wanted:
                    wanted[doi].append(int(i))
        return wanted
