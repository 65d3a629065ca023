"""The columnar dedupe engines give the groups of the in-memory matcher.

Same groups, same pairs with the same evidence, same shared DOIs and the same
number of candidate pairs, on every fixture of the project, on the test
inputs of test_dedupe.py and on the litsearchr exports; and the vectorised
pre-filter keeps every candidate pair ``compare_features`` accepts.
"""
from __future__ import annotations

import copy
import random
from pathlib import Path

import pytest

import bibtools
from bibtools.dedupe import Features, MatchConfig, candidate_pairs, compare_features, find_duplicates

pytest.importorskip("duckdb")
pytest.importorskip("polars")
np = pytest.importorskip("numpy")

from bibtools.dedupe_engines import EngineUnavailable, choose, find_duplicates_streaming  # noqa: E402
from bibtools.dedupe_engines import parallel  # noqa: E402
from bibtools.dedupe_engines.scoring import may_match  # noqa: E402
from bibtools.dedupe_engines.store import FeatureStore  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"
COLUMNAR = ("duckdb", "polars")
LITSEARCHR = ("litsearchr-scopus-final.bib", "litsearchr-wos-corecollection-1.bib", "litsearchr-wos-corecollection-2.bib")


def fixture_items() -> list[bibtools.Item]:
    """Every record of every bibliography among the fixtures."""
    items = []
    for path in sorted(FIXTURES.iterdir()):
        if path.suffix not in (".bib", ".json", ".ris"):
            continue
        try:
            library = bibtools.load(path)
        except Exception:  # not a bibliography (an oracle's output, a style)
            continue
        items += [item for item in library.items if item.fields]
    return items


def perturbed(items: list[bibtools.Item], seed: int = 7) -> list[bibtools.Item]:
    """Copies with re-cased titles, dropped DOIs and a year moved: they make groups."""
    rng = random.Random(seed)
    out = []
    for n, item in enumerate(items):
        twin = copy.deepcopy(item)
        twin.id = f"{item.id}~{n}"
        if twin.title:
            twin["title"] = twin.title.upper() if rng.random() < 0.5 else twin.title.lower() + "."
        if rng.random() < 0.5:
            twin.fields.pop("DOI", None)
        if twin.issued and twin.issued.year and rng.random() < 0.2:
            twin["issued"] = bibtools.Date(((twin.issued.year + 1,),))
        out.append(twin)
    return out


def assert_same(items: list[bibtools.Item], config: MatchConfig = MatchConfig(), processes: int = 1) -> None:
    expected = find_duplicates(items, config)
    for engine in COLUMNAR:
        got = find_duplicates_streaming(iter(items) if processes == 1 else items, config, engine=engine,
                                        processes=processes)
        assert got.groups == expected.groups, engine
        assert [p.to_json() for p in got.pairs] == [p.to_json() for p in expected.pairs], engine
        assert got.shared_dois == expected.shared_dois, engine
        assert got.compared == expected.compared, engine
        assert got.keys == expected.keys


def test_fixtures_give_the_same_groups():
    items = fixture_items()
    assert len(items) > 30
    together = items + perturbed(items)
    assert len(find_duplicates(together).groups) > 15  # the copies found their records
    assert_same(together)


def test_fixtures_give_the_same_groups_with_joined_abstracts():
    items = fixture_items()
    assert_same(items + perturbed(items, seed=3), MatchConfig(join_abstracts=True))


def test_the_synthetic_population_of_test_dedupe_gives_the_same_groups():
    from test_dedupe import _population

    items = _population(400)
    assert_same(items + perturbed(items[:120]))


@pytest.mark.skipif(not parallel.can_fork(), reason="worker processes are forked")
def test_worker_processes_give_the_same_groups(monkeypatch):
    from test_dedupe import _population

    monkeypatch.setattr(parallel, "RECORDS_PER_TASK", 97)  # many tasks, out of step with anything
    monkeypatch.setattr(parallel, "PAIRS_PER_TASK", 101)
    items = fixture_items() + _population(400)
    assert_same(items + perturbed(items), processes=2)


def test_vetoed_chains_stay_apart_on_every_engine():
    from test_dedupe import art  # the records of test_groups_do_not_chain_through_vetoed_pairs

    one = art("one", "Birds of the Rhine forest, Part I", DOI="10.1234/one")
    two = art("two", "Birds of the Rhine forest, Part II", DOI="10.1234/two")
    muddle = art("muddle", "Birds of the Rhine forest, Part II", DOI="10.1234/one")
    assert_same([one, two, muddle])
    for engine in COLUMNAR:
        groups = find_duplicates_streaming([one, two, muddle], engine=engine).key_groups()
        assert not any({"one", "two"} <= set(g) for g in groups)


def test_small_block_limit_is_applied_the_same_way():
    items = fixture_items()
    assert_same(items + perturbed(items) + perturbed(items, seed=5), MatchConfig(max_block_size=3))


def test_empty_input():
    for engine in COLUMNAR:
        result = find_duplicates_streaming([], engine=engine)
        assert result.groups == [] and result.pairs == []


def test_an_engine_that_is_not_installed_says_how_to_get_it(monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "duckdb" else real(name, *a))
    with pytest.raises(EngineUnavailable, match=r"bibtools\[scale\]"):
        choose(10, "duckdb")
    assert choose(10**6) == "memory"  # by size: falls back to what is there
    with pytest.raises(ValueError):
        choose(10, "spark")


def test_the_size_decides_the_default_engine():
    assert choose(100) == "memory"
    assert choose(10**6) == "duckdb"
    assert choose(10**6, "memory") == "memory"


def _stored_candidates(items: list[bibtools.Item]) -> tuple[list[Features], FeatureStore, list[tuple[int, int]], np.ndarray, np.ndarray]:
    """The items' features, their frozen store, the candidate pairs and the pairs' two sides as arrays."""
    feats = [Features.of(item) for item in items]
    store = FeatureStore()
    for f in feats:
        store.add(f)
    store.freeze()
    pairs = sorted(candidate_pairs(feats))
    i = np.array([p[0] for p in pairs], dtype=np.int64)
    j = np.array([p[1] for p in pairs], dtype=np.int64)
    return feats, store, pairs, i, j


def _prefilter_keeps_every_match(items: list[bibtools.Item]) -> int:
    feats, store, pairs, i, j = _stored_candidates(items)
    keep = may_match(store, i, j)
    accepted = [k for k, (a, b) in enumerate(pairs) if compare_features(feats[a], feats[b]).same]
    assert accepted and all(keep[k] for k in accepted)
    assert keep.sum() < len(pairs)  # it does drop pairs
    return len(accepted)


def test_prefilter_drops_what_hopeless_drops_on_fixtures():
    # titles that only a dropped subtitle could bring close, records with other ISBNs: the
    # vectorised test settles them instead of decoding both records for ``_hopeless``
    from test_dedupe import _population
    from bibtools.dedupe import DEFAULT_CONFIG, _hopeless

    items = fixture_items() + _population(400)
    items += perturbed(items)
    feats, store, pairs, i, j = _stored_candidates(items)
    keep = may_match(store, i, j)
    hopeless = np.array([_hopeless(feats[a], feats[b], DEFAULT_CONFIG) for a, b in pairs])
    assert hopeless.sum() > 100 and not (keep & hopeless).any()
    assert (keep | hopeless).all()


def test_pairs_dropped_for_their_years_are_pairs_compare_rejects():
    from test_dedupe import _population

    from bibtools.dedupe_engines.scoring import years_apart

    items = fixture_items() + _population(400)
    items += perturbed(items)
    feats, store, pairs, i, j = _stored_candidates(items)
    dropped = np.flatnonzero(years_apart(store, i, j))
    assert len(dropped) > 100
    for k in dropped.tolist():
        verdict = compare_features(feats[pairs[k][0]], feats[pairs[k][1]])
        assert not verdict.same and "doi_not_identity" not in verdict.evidence
    # a shared DOI outweighs the years: such a pair is kept (and matches)
    from test_dedupe import art

    old_one = art("a", "Fire and birds of the boreal forest", year=2001, DOI="10.1234/fire.birds")
    new_one = art("b", "Fire and birds of the boreal forest", year=2009, DOI="10.1234/fire.birds")
    far = art("c", "Fire and birds of the boreal forest", year=2009)
    pair_store = FeatureStore()
    for item in (old_one, new_one, far):
        pair_store.add(Features.of(item))
    pair_store.freeze()
    assert years_apart(pair_store, np.array([0, 0]), np.array([1, 2])).tolist() == [False, True]
    assert compare_features(Features.of(old_one), Features.of(new_one)).same


def test_prefilter_keeps_every_pair_compare_accepts_on_fixtures():
    from test_dedupe import _population

    items = fixture_items() + _population(400)
    _prefilter_keeps_every_match(items + perturbed(items))


@pytest.fixture(scope="module")
def litsearchr(corpora):
    return [item for name in LITSEARCHR for item in bibtools.load(corpora / "messy" / name).items]


@pytest.mark.corpus
def test_litsearchr_exports_give_the_same_groups(litsearchr):
    assert_same(litsearchr)
    assert len(find_duplicates(litsearchr).groups) > 600


@pytest.mark.corpus
def test_prefilter_keeps_every_pair_compare_accepts_on_litsearchr(litsearchr):
    assert _prefilter_keeps_every_match(litsearchr + perturbed(litsearchr)) > 600


@pytest.mark.corpus
def test_dedupe_command_prints_the_same_on_every_engine(corpora):
    from click.testing import CliRunner

    from bibtools.cli import main

    paths = [str(corpora / "messy" / name) for name in LITSEARCHR]
    outputs = {}
    for engine in ("memory", *COLUMNAR):
        run = CliRunner().invoke(main, ["dedupe", "--json", "--engine", engine, *paths])
        assert run.exit_code == 1, run.output
        outputs[engine] = run.stdout
    assert outputs["memory"] == outputs["duckdb"] == outputs["polars"]


@pytest.mark.corpus
def test_merge_is_the_same_on_every_engine(corpora):
    from bibtools.merge import merge

    scopus, wos1, wos2 = (bibtools.load(corpora / "messy" / name) for name in LITSEARCHR)
    incoming = bibtools.Library(wos1.items + wos2.items)
    results = {engine: merge(scopus, incoming, engine=engine) for engine in ("memory", *COLUMNAR)}
    expected = results["memory"].report.to_json()
    assert len(results["memory"].report.matched) > 300
    for engine in COLUMNAR:
        assert results[engine].report.to_json() == expected, engine
        assert results[engine].added == results["memory"].added


def test_blocks_paired_by_title_order_give_the_same_groups():
    # every block of three or more is paired by neighbourhood in the order of the titles and of
    # the reversed titles: the engines must order and pair them as the in-memory path does
    from test_dedupe import _population
    from test_dedupe_blocking import series

    items = fixture_items() + _population(400)
    config = MatchConfig(full_block_size=2)
    assert_same(items + perturbed(items), config)
    frame, _ = series(40)
    assert_same(frame + items[:50], config)
    assert find_duplicates(items + perturbed(items), config).compared < find_duplicates(items + perturbed(items)).compared


def test_the_store_tells_weak_titles_as_the_matcher_does():
    from bibtools.dedupe import _weak_title

    items = fixture_items()
    feats = [Features.of(item) for item in items]
    store = FeatureStore()
    for f in feats:
        store.add(f)
    store.freeze()
    for config in (MatchConfig(), MatchConfig(weak_title_words=6)):
        weak = store.weak_title(config)
        told = [weak(k) for k in range(len(feats))]
        assert told == [_weak_title(f, config) for f in feats]
        assert any(told) and not all(told)


def test_blocks_paired_a_few_at_a_time_give_the_same_pairs(monkeypatch):
    from bibtools.dedupe_engines import blocks

    from test_dedupe import _population

    items = fixture_items() + _population(400)
    items += perturbed(items)
    monkeypatch.setattr(blocks, "PAIR_CELLS", 7)  # one block per array, out of step with any size
    assert_same(items, MatchConfig(full_block_size=2))
    assert_same(items)
