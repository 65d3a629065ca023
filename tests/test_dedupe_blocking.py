"""Blocking: a larger block pairs each record with its neighbours in title order only, so the
candidate pairs grow with the records, and a planted copy still meets its original."""
from __future__ import annotations

import copy
import random

from bibtools import Item
from bibtools.dedupe import MatchConfig, find_duplicates, neighbour_pairs, title_ranks

from test_dedupe import art

TOPICS = "fire regimes|boreal birds|nest survival|grassland burns|savanna logging|woodpecker habitat".split("|")


def series(n_works: int, seed: int = 3) -> tuple[list[Item], dict[str, str]]:
    """Reports of one workshop series: titles sharing their first and last 24 letters and their
    longest words (every title key of a work holds the whole series), each work by other authors;
    half of them with a copy whose title is re-cased and has two letters swapped."""
    rng = random.Random(seed)
    works, copies, origin = [], [], {}
    for w in range(n_works):
        topic = f"{TOPICS[w % len(TOPICS)]} {w}"
        title = f"Proceedings of the international workshop on {topic}, held in conjunction with the annual meeting"
        works.append(art(f"w{w}", title, authors=(f"Author{w}a", f"Author{w}b"), year=2000 + w % 7))
    for w in range(0, n_works, 2):
        twin = copy.deepcopy(works[w])
        twin.id = f"copy{w}"
        title = works[w].title or ""
        at = title.index(" on ") + 4 + rng.randrange(8)  # a typo in the topic: both title ends stay whole
        twin["title"] = (title[:at] + title[at + 1] + title[at] + title[at + 2 :]).upper()
        copies.append(twin)
        origin[twin.id] = works[w].id
    return works + copies, origin


def _copies_found(items: list[Item], origin: dict[str, str], config: MatchConfig = MatchConfig()) -> tuple[int, int]:
    result = find_duplicates(items, config)
    group_of = {key: g for g, keys in enumerate(result.key_groups()) for key in keys}
    found = sum(1 for c, o in origin.items() if c in group_of and group_of[c] == group_of.get(o))
    return found, result.compared


def test_a_large_block_is_paired_by_title_order_and_every_copy_still_found():
    items, origin = series(40)  # 60 records in one block: within the limit, so none of it skipped
    assert len(items) <= MatchConfig().max_block_size
    found, compared = _copies_found(items, origin)
    assert found == len(origin)
    assert compared <= 4 * len(items)  # every two records of the block: 1770 pairs
    everything, all_pairs = _copies_found(items, origin, MatchConfig(full_block_size=64))
    assert everything == found and all_pairs > 10 * compared


def test_candidate_pairs_grow_linearly_with_a_common_title_frame():
    small, origin_small = series(20)
    large, origin_large = series(40)
    _, pairs_small = _copies_found(small, origin_small)
    _, pairs_large = _copies_found(large, origin_large)
    assert pairs_large / len(large) <= 1.25 * pairs_small / len(small)


def test_records_of_one_title_are_all_paired_with_each_other_and_their_neighbours():
    # "Calendar" of each issue: a window over records would miss the copy of the eighth issue
    titles = ["calendar"] * 10 + ["calendars", "cover", "front cover"]
    forward, _ = title_ranks(titles)
    pairs = set(neighbour_pairs(range(len(titles)), forward, 2))
    calendars = set(range(10))
    assert {(a, b) for a in calendars for b in calendars if a < b} <= pairs
    assert {(a, 10) for a in calendars} <= pairs  # the next title in order, with each of them
    assert (11, 12) in pairs and not any(b == 11 for a, b in pairs if a in calendars)


def test_title_ranks_order_titles_and_their_ends():
    forward, backward = title_ranks(["bfirst", "asecond", "bfirst", "cthird"])
    assert forward == [1, 0, 1, 2]
    assert backward == [2, 0, 2, 1]  # by "dnocesa" < "drihtc" < "tsrifb"
