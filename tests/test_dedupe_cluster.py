"""The Dask dedupe engine on a local cluster of two worker processes: the in-memory path's groups."""
from __future__ import annotations

import pytest

import bibtools
from bibtools.dedupe import find_duplicates

pytest.importorskip("distributed")
pytest.importorskip("duckdb")

from bibtools.dedupe_engines.dask_engine import find_duplicates_dask  # noqa: E402

pytestmark = [pytest.mark.cluster, pytest.mark.corpus, pytest.mark.slow]
LITSEARCHR = ("litsearchr-scopus-final.bib", "litsearchr-wos-corecollection-1.bib", "litsearchr-wos-corecollection-2.bib")


@pytest.fixture(scope="module")
def client():
    from dask.distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with Client(cluster) as c:
            yield c


def twenty_thousand(corpora) -> list[bibtools.Item]:
    """The litsearchr exports (real cross-database duplicates), their perturbed copies and a
    synthetic population of test_dedupe (titles that share rare words): 20k records."""
    from test_dedupe import _population
    from test_dedupe_engines import perturbed

    real = [item for name in LITSEARCHR for item in bibtools.load(corpora / "messy" / name).items]
    items = real + perturbed(real, seed=1) + perturbed(real, seed=2)
    synthetic = _population(20_000 - len(items) - 2_000)
    return items + synthetic + perturbed(synthetic[:2_000], seed=3)


def test_dask_engine_gives_the_in_memory_groups_on_20k_records(client, corpora):
    items = twenty_thousand(corpora)
    assert len(items) == 20_000
    expected = find_duplicates(items)
    assert len(expected.groups) > 2_000
    parts = [items[k : k + 2_500] for k in range(0, len(items), 2_500)]  # eight partitions
    got = find_duplicates_dask(parts, client=client, buckets=5)
    assert got.groups == expected.groups
    assert [p.to_json() for p in got.pairs] == [p.to_json() for p in expected.pairs]
    assert got.shared_dois == expected.shared_dois
    assert got.compared == expected.compared
    assert len(client.scheduler_info()["workers"]) == 2


def test_dask_engine_reads_files_on_the_workers(client, corpora):
    paths = [str(corpora / "messy" / name) for name in LITSEARCHR]
    items = [item for path in paths for item in bibtools.load(path).items]
    got = find_duplicates_dask(paths, client=client)
    assert got.groups == find_duplicates(items).groups
