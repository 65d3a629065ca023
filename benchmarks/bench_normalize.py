"""How long the normalize pass takes on a 24k-item library (it runs on every load).

Run: python benchmarks/bench_normalize.py [N]
Items are synthetic but shaped like real exports: most have a DOI and pages,
some an ISSN/ISBN/arXiv URL, a few nothing to clean.
"""
from __future__ import annotations

import sys
import time

from bibtools import Item, Library
from bibtools.normalize import normalize


def build(n: int) -> Library:
    items = []
    for i in range(n):
        fields: dict = {"title": f"Paper {i}"}
        if i % 10 < 8:
            fields["DOI"] = f"https://doi.org/10.{1000 + i % 900}/ABC.{i}"
            fields["page"] = f"{i % 500}--{i % 500 + 12}"
        if i % 3 == 0:
            fields["ISSN"] = "0028-0836"
        if i % 7 == 0:
            fields["ISBN"] = "978-3-16-148410-0"
        if i % 11 == 0:
            fields["URL"] = f"https://arxiv.org/abs/2302.{i % 100000:05d}v2"
        items.append(Item(id=f"k{i}", type="article-journal", fields=fields))
    return Library(items)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 24000
    runs = []
    for _ in range(5):
        library = build(n)
        start = time.perf_counter()
        normalize(library)
        runs.append(time.perf_counter() - start)
    best = min(runs)
    print(f"normalize: {n} items, best of 5 = {best * 1000:.1f} ms ({best / n * 1e6:.2f} us/item)")


if __name__ == "__main__":
    main()
