"""Benchmark: dedupe the dblp AAAI file against itself plus perturbed copies.

    python benchmarks/bench_dedupe.py [--total 100000] [--seed 1]
    python benchmarks/bench_dedupe.py --million [--sizes 100000,1000000] [--engine duckdb]

``--million``: see ``bench_scale.py`` (a population of distinct works from all
the large corpora plus planted perturbed copies, deduplicated in a subprocess
at each size; time, peak RSS, recall of the planted copies).

Loads ``../shared/corpora/large/dblp-aaai-2018-2023-jgrey.bib`` (23.8k
entries), then builds a population of the originals, an exact copy of each
(the file "against itself") and perturbed copies (title case and punctuation
changed, a typo, the DOI dropped, the year moved by one, given names cut to
initials, fields dropped) up to ``--total`` records. Reports the time and
peak memory of ``find_duplicates`` and how many copies found their original.
"""
from __future__ import annotations

import argparse
import copy
from collections.abc import Callable
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import bibtools  # noqa: E402
from bibtools.dedupe import find_duplicates  # noqa: E402
from bibtools.model import Date, Item, Name  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpora" / "large" / "dblp-aaai-2018-2023-jgrey.bib"


def twin_of(item: Item, key: str) -> Item:
    """A copy of ``item`` under ``key`` whose fields can be replaced (values are never changed in place)."""
    twin = copy.copy(item)
    twin.id = key
    twin.fields = dict(item.fields)
    twin.extra = dict(item.extra)
    return twin


def perturb(item: Item, rng: random.Random, key: str, *, drop_share: float = 0.3,
            abbreviate: Callable[[str], str] | None = None) -> Item:
    """A copy as another database would hold it: title re-cased or with a typo, DOI dropped,
    year off by one, given names cut to initials, the venue abbreviated (with ``abbreviate``),
    page/volume/venue/URL each dropped with probability ``drop_share``."""
    twin = twin_of(item, key)
    title = twin.title or ""
    choice = rng.random()
    if choice < 0.3:
        title = title.upper()
    elif choice < 0.6:
        title = title.lower().rstrip(".") + "."
    if len(title) > 20 and rng.random() < 0.5:  # one typo: two letters swapped
        i = rng.randrange(5, len(title) - 5)
        title = title[:i] + title[i + 1] + title[i] + title[i + 2 :]
    if title:
        twin.fields["title"] = title
    if rng.random() < 0.5:
        twin.fields.pop("DOI", None)
        twin.extra.pop("doi", None)
    issued = twin.issued
    if issued is not None and issued.year and rng.random() < 0.2:
        twin.fields["issued"] = Date(((issued.year + rng.choice((-1, 1)),),))
    if twin.authors and rng.random() < 0.5:
        twin.fields["author"] = [Name(family=n.family, given=(n.given or "")[:1] + "." if n.given else None, literal=n.literal)
                                 for n in twin.authors]
    venue = twin.fields.get("container-title")
    if abbreviate is not None and isinstance(venue, str) and rng.random() < 0.3:
        twin.fields["container-title"] = abbreviate(venue)
    for name in ("page", "volume", "container-title", "URL"):
        if rng.random() < drop_share:
            twin.fields.pop(name, None)
    return twin


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--total", type=int, default=100_000, help="records to dedupe (default 100000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--show-missed", type=int, default=0, help="print this many copies that missed their original")
    parser.add_argument("--tracemalloc", action="store_true", help="also measure Python allocations (slower)")
    parser.add_argument("--million", action="store_true", help="the scale benchmark (bench_scale.py) at 100k and 1M records")
    args, rest = parser.parse_known_args()
    if args.million:
        import bench_scale

        bench_scale.main(rest)
        return

    t0 = time.perf_counter()
    library = bibtools.load(CORPUS)
    load_s = time.perf_counter() - t0
    originals = library.items
    rng = random.Random(args.seed)
    population: list[Item] = list(originals)
    origin_of: list[int] = list(range(len(originals)))
    for i, item in enumerate(originals):  # the file against itself
        if len(population) >= args.total:
            break
        twin = copy.deepcopy(item)
        twin.id = item.id + "~self"
        population.append(twin)
        origin_of.append(i)
    n = 0
    while len(population) < args.total:
        i = rng.randrange(len(originals))
        population.append(perturb(originals[i], rng, f"{originals[i].id}~p{n}"))
        origin_of.append(i)
        n += 1

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if args.tracemalloc:
        tracemalloc.start()
    t0, c0 = time.perf_counter(), time.process_time()
    result = find_duplicates(population)
    dedupe_s, dedupe_cpu = time.perf_counter() - t0, time.process_time() - c0
    traced = tracemalloc.get_traced_memory()[1] if args.tracemalloc else None
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    group_of = {i: g for g, members in enumerate(result.groups) for i in members}
    copies = [j for j in range(len(originals), len(population))]
    found = sum(1 for j in copies if group_of.get(j) is not None and group_of.get(j) == group_of.get(origin_of[j]))
    mixed = sum(1 for members in result.groups if len({origin_of[i] for i in members}) > 1)
    print(f"corpus: {CORPUS.name}: {len(originals)} entries, loaded in {load_s:.1f} s")
    print(f"records: {len(population)} ({len(originals)} originals, {min(len(originals), args.total - len(originals))} exact copies, {n} perturbed)")
    print(f"find_duplicates: {dedupe_s:.1f} s wall, {dedupe_cpu:.1f} s CPU, {result.compared} candidate pairs scored, {len(result.groups)} groups")
    print(f"peak RSS: {rss_after / 1024:.0f} MB (before dedupe {rss_before / 1024:.0f} MB)"
          + (f"; Python allocations during dedupe peak {traced / 2**20:.0f} MB" if traced is not None else ""))
    print(f"copies grouped with their original: {found}/{len(copies)} ({100 * found / max(1, len(copies)):.2f} %)")
    print(f"groups joining different originals: {mixed} (same work twice in dblp, or a false match)")
    import os
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    if args.show_missed:
        from bibtools.dedupe import compare

        missed = [j for j in copies if not (group_of.get(j) is not None and group_of.get(j) == group_of.get(origin_of[j]))]
        for j in missed[: args.show_missed]:
            verdict = compare(population[origin_of[j]], population[j])
            print(f"  missed {population[j].id}: {population[j].title!r} vs {population[origin_of[j]].title!r}: {verdict.evidence}")


if __name__ == "__main__":
    main()
