"""How fast enrichment scores candidates (the work per record besides the network).

Run from the project root: PYTHONPATH=. python benchmarks/bench_enrich_matching.py
Records and candidates are the 100 real entries of a recorded arXiv search page
(../shared/corpora/arxiv); every record (first two authors + title, or + abstract)
is scored against every entry, as a search answer of 100 candidates would be.
"""
from __future__ import annotations

import time
from pathlib import Path

from bibtools.api import load_string
from bibtools.matching import score
from bibtools.model import Item

FEED = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "arxiv" / "arxiv.py-fixtures" / "q_testing_s0_m100_cfe7536492ca.atom.xml"


def main() -> None:
    entries = load_string(FEED.read_text(encoding="utf-8"), "arxiv").items
    for known in ("title", "abstract"):
        records = [Item(f"r{n}", "article", {"author": e.authors[:2], known: e.get(known)}) for n, e in enumerate(entries)]
        start = time.perf_counter()
        right = 0
        for n, record in enumerate(records):
            best = max(range(len(entries)), key=lambda i: score(record, entries[i]).confidence)
            right += best == n
        elapsed = time.perf_counter() - start
        pairs = len(records) * len(entries)
        print(f"{known:8s}: {pairs} pairs in {elapsed:.2f} s ({elapsed / pairs * 1e6:.0f} us/pair); best candidate is the paper itself for {right}/{len(records)}")


if __name__ == "__main__":
    main()
