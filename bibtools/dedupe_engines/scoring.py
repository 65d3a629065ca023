"""Scoring candidate pairs in vectorised batches.

A pair reaches ``compare_features`` only when a vectorised test on arrays
(rapidfuzz ``process.cpdist`` over the titles and over the shorter title and
the start of the longer, codes of identifiers and ISBNs, volume and first
page) cannot show that ``dedupe._hopeless`` drops it. The test is that
function's conditions, each relaxed (similarities by a margin, hashed
identifiers that may collide count as shared), so it drops a subset of what
``_hopeless`` drops and never a pair ``compare_features`` could accept; so does
the test of years too far apart (``years_apart``).
"""
from __future__ import annotations

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Indel

from ..dedupe import DEFAULT_CONFIG, Match, MatchConfig, _hopeless, compare_features
from .store import ID_COLUMNS, NO_YEAR, FeatureStore

#: similarities of the vectorised test are compared with this much slack
_MARGIN = 1e-9
#: the similarity ``_title_similarity`` gives a title whose start matches the shorter title
_HEAD_SIMILARITY = 0.9


def _similarity(left: np.ndarray, right: np.ndarray, workers: int) -> np.ndarray:
    if len(left) == 0:
        return np.zeros(0, dtype=np.float64)
    return process.cpdist(left, right, scorer=Indel.normalized_similarity, dtype=np.float64, workers=workers)


def _may_share_identifier(store: FeatureStore, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Pairs that may share an identifier (codes: two values may collide, which only costs time)."""
    shared = np.zeros(len(i), dtype=bool)
    for name in ID_COLUMNS:
        codes = store.ids[name]
        shared |= (codes[i] != 0) & (codes[i] == codes[j])
    for left in store.isbns:  # one ISBN shared
        for right in store.isbns:
            shared |= (left[i] != 0) & (left[i] == right[j])
    shared |= store.other_ids[i] & store.other_ids[j]  # more ISBNs, other identifiers: compare_features decides
    return shared


def years_apart(store: FeatureStore, i: np.ndarray, j: np.ndarray, config: MatchConfig = DEFAULT_CONFIG,
                shared: np.ndarray | None = None) -> np.ndarray:
    """Pairs ``compare_features`` rejects for their years alone: both years known, further apart than
    ``max_year_gap``, and no identifier shared (only a shared identifier outweighs the years).
    ``shared``: ``_may_share_identifier`` of the pairs, when the caller has it."""
    known = (store.year[i] != NO_YEAR) & (store.year[j] != NO_YEAR)
    far = known & (np.abs(store.year[i] - store.year[j]) > config.max_year_gap)
    return far & ~(_may_share_identifier(store, i, j) if shared is None else shared)


def may_match(store: FeatureStore, i: np.ndarray, j: np.ndarray, config: MatchConfig = DEFAULT_CONFIG,
              workers: int = 1, shared: np.ndarray | None = None) -> np.ndarray:
    """A mask of the pairs (i[k], j[k]) that ``_hopeless`` might keep (``shared`` as for ``years_apart``)."""
    if shared is None:
        shared = _may_share_identifier(store, i, j)
    keep = (store.title_len[i] == 0) | (store.title_len[j] == 0) | shared
    rest = np.flatnonzero(~keep)
    ri, rj = i[rest], j[rest]
    sim = _similarity(store.titles[ri], store.titles[rj], workers)
    alt = store.has_alt[ri] | store.has_alt[rj]
    if alt.any():
        alt_at = np.flatnonzero(alt)
        sim[alt_at] = np.maximum(sim[alt_at], _similarity(store.alts[ri[alt_at]], store.alts[rj[alt_at]], workers))
    floor = config.min_title_similarity_same_place
    alive = sim >= floor - _MARGIN  # the first test of _hopeless: both similarities under the floor
    place = (store.volume[ri] != 0) & (store.volume[ri] == store.volume[rj]) & (store.first_page[ri] != 0) & (
        store.first_page[ri] == store.first_page[rj])
    close = sim >= config.title_threshold - _MARGIN
    # the dropped-subtitle rule of _title_similarity lifts a pair to 0.9: possible only when the
    # shorter title has five words and 40 % of the longer one's length
    head_ok = _HEAD_SIMILARITY >= config.title_threshold - _MARGIN
    li, lj = store.title_len[ri], store.title_len[rj]
    short_words = np.where(li <= lj, store.words[ri], store.words[rj])
    head = head_ok & (short_words >= 5) & (np.minimum(li, lj) >= 0.4 * np.maximum(li, lj) - _MARGIN)
    # ... and only when the longer title starts like the shorter one: test that on the pairs it decides
    undecided = np.flatnonzero(alive & ~place & ~close & head)
    if len(undecided):
        a, b = store.titles[ri[undecided]], store.titles[rj[undecided]]
        a_short = li[undecided] <= lj[undecided]
        shorts = np.where(a_short, a, b)
        heads = np.array([long_[: len(short)] for short, long_ in zip(shorts.tolist(), np.where(a_short, b, a).tolist())],
                         dtype=object)
        head[undecided] = _similarity(shorts, heads, workers) >= _HEAD_SIMILARITY - _MARGIN
    maybe = alive & (place | close | head)
    keep[rest[maybe]] = True
    return keep


def score_pairs(store: FeatureStore, i: np.ndarray, j: np.ndarray, config: MatchConfig = DEFAULT_CONFIG,
                workers: int = 1) -> tuple[list[tuple[float, int, int, Match]], set[str]]:
    """The matched pairs (score, i, j, verdict) among the candidates, and the DOIs found not to be identities."""
    shared = _may_share_identifier(store, i, j)  # (both tests ask it)
    mask = may_match(store, i, j, config, workers, shared) & ~years_apart(store, i, j, config, shared)
    matched: list[tuple[float, int, int, Match]] = []
    not_identities: set[str] = set()
    feature = store.feature
    for a, b in zip(i[mask].tolist(), j[mask].tolist()):
        fa, fb = feature(a), feature(b)
        if _hopeless(fa, fb, config):
            continue
        verdict = compare_features(fa, fb, config)
        if "doi_not_identity" in verdict.evidence:
            not_identities.add(fa.ids["doi"])
        if verdict.same:
            matched.append((verdict.score, a, b, verdict))
    return matched, not_identities
