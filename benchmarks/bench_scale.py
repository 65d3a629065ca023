"""Scale benchmark of dedupe: 100k and 1M records, planted duplicates.

    python benchmarks/bench_dedupe.py --million [--sizes 100000,1000000] [--engine duckdb] [--dup-share 0.3]

The population: the distinct works of all the large corpora
(``../shared/corpora/large/*.bib``, their own duplicates removed first with the
in-memory matcher, with the records it finds ambiguous and the papers entered
twice under one title, first author and page range), topped up with synthetic
works (the first half of one real title and the second half of another, as
plain text, the authors of a third, the venue, year and volume of a fourth and
pages after its pages, none of its identifiers, a unique DOI for half of them), then
perturbed copies of random works (``--dup-share`` of all records): titles
re-cased, a letter pair swapped, DOI dropped, year moved by one, given names
cut to initials, the journal abbreviated, fields dropped.

Each size runs in a subprocess (its peak RSS is the figure; forked workers
report theirs apart): records are made on demand as the engine reads them (the
time includes making them; ``generate_cpu_seconds`` is what a separate pass
making them costs), then the report: wall and CPU time, time per record, peak
RSS, recall of the planted copies (a copy in the group of its work), groups
joining two works, and of those the groups holding two originals.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import random
import re
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import bibtools  # noqa: E402
import bench_dedupe  # noqa: E402  (the one perturbation; benchmarks/ is on the path)
from bench_dedupe import twin_of  # noqa: E402
from bibtools.matchnorm import family_keys, normalize_title, page_range  # noqa: E402
from bibtools.model import Date, Item, Name  # noqa: E402

LARGE = ROOT.parent / "shared" / "corpora" / "large"
CACHE = Path(os.environ.get("TMPDIR", "/tmp")) / "bibtools-bench-scale-works.pickle"
_FOLD_VERSION = 4  # (of real_works' own folding, part of the cache's stamp)
_MARKUP = re.compile(r"<[^>]*>")
_STOP = frozenset({"of", "the", "a", "an", "and", "in", "on", "for", "to", "with", "de"})


def real_works() -> list[Item]:
    """The large corpora's records, one per work (cached: loading and deduplicating take a minute)."""
    files = sorted(LARGE.glob("*.bib"))
    # the works are the corpora's records less what the matcher joins: a new matcher, new works
    matcher = hashlib.sha256(b"".join((ROOT / "bibtools" / f).read_bytes() for f in ("dedupe.py", "matchnorm.py")))
    stamp = [(f.name, f.stat().st_size, f.stat().st_mtime) for f in files] + [matcher.hexdigest(), _FOLD_VERSION]
    if CACHE.exists():
        with CACHE.open("rb") as fh:
            cached_stamp, works = pickle.load(fh)
        if cached_stamp == stamp:
            return works
    from bibtools.dedupe import find_duplicates

    items = [item for f in files for item in bibtools.load(f).items if item.title]
    for item in items:
        item.native = None  # not needed, and large
        item.origin = None
    result = find_duplicates(items)
    dropped = {i for g in result.groups for i in g[1:]}
    # a record fitting two works the matcher tells apart (a workshop paper beside two conference
    # papers of its title with other DOIs) is neither a work apart nor a copy of one
    dropped.update(result.ambiguous)
    # and what the matcher leaves apart but is one paper entered twice (one entry misdated, or
    # its second author misparsed): the same title, first author and range of pages
    seen: set[tuple] = set()
    for i, item in enumerate(items):
        pages = page_range(item.fields.get("page"))
        if i in dropped or not pages or pages[1] <= pages[0]:
            continue
        key = (normalize_title(item.title or ""), family_keys(item.authors)[:1], pages)
        if key in seen:
            dropped.add(i)
        seen.add(key)
    works = [item for i, item in enumerate(items) if i not in dropped]
    with CACHE.open("wb") as fh:
        pickle.dump((stamp, works), fh)
    return works


def synthetic_work(real: list[Item], n: int, seed: int) -> Item:
    """A work no corpus holds, made of real parts (its own seed: copies regenerate it)."""
    rng = random.Random(seed * 1_000_003 + n)
    a, b, c, d = (real[rng.randrange(len(real))] for _ in range(4))
    wa, wb = (_MARKUP.sub("", t) for t in (a.title or "x", b.title or "y"))  # (halves of a tag are noise)
    wa, wb = wa.split() or ["x"], wb.split() or ["y"]
    title = " ".join(wa[: max(1, (len(wa) + 1) // 2)] + wb[max(1, len(wb) // 2):] or wb)
    work = twin_of(d, f"s{n}")
    work.fields["title"] = title
    for name in _IDENTIFYING:  # the fourth work's identifiers name it, not this one
        work.fields.pop(name, None)
    work.extra = {k: v for k, v in work.extra.items() if k.lower() not in _IDENTIFYING_EXTRA}
    if c.authors:
        work.fields["author"] = c.authors
    else:
        work.fields.pop("author", None)
    if rng.random() < 0.5:
        work.fields["DOI"] = f"10.5555/synth.{seed}.{n}"
    pages = page_range(d.fields.get("page"))
    if pages:  # another work of that volume: on the pages after the fourth's
        start = pages[1] + 1 + rng.randrange(40)
        work.fields["page"] = f"{start}\u2013{start + pages[1] - pages[0]}"
    return work


#: fields naming one work (a synthetic work drops its donor's): identifiers, and the number
#: and note where an arXiv id or a report number sits
_IDENTIFYING = ("DOI", "URL", "PMID", "PMCID", "ISBN", "number", "note")
_IDENTIFYING_EXTRA = frozenset({"doi", "url", "eprint", "eprinttype", "archiveprefix", "arxiv", "arxivid", "arxiv_id",
                                "pmid", "isbn"})


def _abbreviate(venue: str) -> str:
    """ISO-4-like: significant words cut to four letters ("Artif Intell")."""
    return " ".join(w[:4] if len(w) > 4 else w for w in venue.replace(".", "").split() if w.lower() not in _STOP)


def perturb(work: Item, rng: random.Random, key: str) -> Item:
    """bench_dedupe's perturbation, with abbreviated venues and fewer dropped fields."""
    return bench_dedupe.perturb(work, rng, key, drop_share=0.2, abbreviate=_abbreviate)


class Population(Sequence[Item]):
    """``total`` records made on demand: works first, then copies; ``origin[i]`` is record i's work.

    A sequence (each record regenerated from its own seed), so forked workers make their
    share of the records themselves."""

    def __init__(self, real: list[Item], total: int, dup_share: float, seed: int) -> None:
        self.real, self.total, self.seed = real, total, seed
        self.n_works = max(1, round(total * (1 - dup_share)))
        rng = random.Random(seed)
        self.real_used = min(len(real), self.n_works)
        self.real_order = rng.sample(range(len(real)), self.real_used)
        self.copy_of = [rng.randrange(self.n_works) for _ in range(total - self.n_works)]
        self.origin = list(range(self.n_works)) + self.copy_of

    def work(self, w: int) -> Item:
        if w < self.real_used:
            return self.real[self.real_order[w]]
        return synthetic_work(self.real, w, self.seed)

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(self.total))]
        if i < self.n_works:
            return self.work(i)
        n = i - self.n_works
        return perturb(self.work(self.copy_of[n]), random.Random(self.seed * 7_919 + n), f"c{n}~{self.copy_of[n]}")


def describe(item: Item) -> dict:
    """The fields that tell works apart, for reading a wrong group."""
    f = item.fields
    return {"id": item.id, "type": item.type, "title": item.title, "year": item.issued.year if item.issued else None,
            **{k: f.get(k) for k in ("container-title", "volume", "issue", "page", "DOI", "ISBN") if f.get(k)},
            "authors": [n.family or n.literal for n in item.authors][:4]}


def dump(path: str, population: "Population", result) -> None:
    """The groups and pairs (pickle, to compare runs) and the groups joining works (``path``.json, to read)."""
    origin = population.origin
    with open(path, "wb") as fh:
        pickle.dump({"groups": result.groups, "pairs": [(p.index_a, p.index_b, p.score, p.evidence) for p in result.pairs],
                     "compared": result.compared}, fh)
    mixed = [g for g in result.groups if len({origin[i] for i in g}) > 1]
    by_index = {(p.index_a, p.index_b): p for p in result.pairs}
    report = []
    for g in mixed:
        members_set = set(g)
        members = [{"index": i, "work": origin[i], **describe(population[i])} for i in g]
        links = [{"a": a, "b": b, "score": round(p.score, 3), "evidence": p.evidence}
                 for (a, b), p in by_index.items() if a in members_set and b in members_set]
        report.append({"members": members, "pairs": links})
    with open(path + ".json", "w") as fh:
        json.dump(report, fh, indent=1, default=str)


def child(total: int, engine: str, dup_share: float, seed: int, processes: int | None = None,
          dump_to: str | None = None) -> dict:
    real = real_works()
    population = Population(real, total, dup_share, seed)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    stages: dict[str, float] = {}
    rss: dict[str, int] = {}  # peak RSS (MB) seen by the end of each stage
    t0, c0 = time.perf_counter(), time.process_time()
    last = [t0]

    def progress(stage: str, done: int, of: int | None) -> None:
        now = time.perf_counter()
        stages[stage] = stages.get(stage, 0.0) + now - last[0]
        last[0] = now
        rss[stage] = max(rss.get(stage, 0), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)

    clock = time.process_time()
    for item in population:  # what making the records costs (the engines make them again)
        pass
    generate_cpu = time.process_time() - clock
    t0, c0 = time.perf_counter(), time.process_time()
    last[0] = t0
    if engine == "memory":
        from bibtools.dedupe import find_duplicates

        items = list(population)
        t0, c0 = time.perf_counter(), time.process_time()
        result = find_duplicates(items)
    else:
        from bibtools.dedupe_engines import find_duplicates_streaming

        result = find_duplicates_streaming(population, engine=engine, progress=progress, processes=processes)
    wall = time.perf_counter() - t0
    cpu = time.process_time() - c0
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    origin = population.origin
    group_of = {i: g for g, members in enumerate(result.groups) for i in members}
    copies = range(population.n_works, total)
    found = sum(1 for j in copies if j in group_of and group_of[j] == group_of.get(origin[j]))
    mixed = sum(1 for members in result.groups if len({origin[i] for i in members}) > 1)
    # of those, the groups holding two originals (a group of one work and a copy of another
    # is a copy whose perturbation left it fitting that work: "Front cover", issue 1, 1992,
    # no volume, no pages, is the 1992 front cover whichever issue it was copied from)
    joined = sum(1 for members in result.groups if sum(1 for i in members if i < population.n_works) > 1)
    if dump_to:
        dump(dump_to, population, result)
    return {
        "records": total, "engine": engine, "works": population.n_works, "real_works": population.real_used,
        "copies": total - population.n_works, "seconds": round(wall, 1), "cpu_seconds": round(cpu, 1),
        "generate_cpu_seconds": round(generate_cpu, 1),
        "worker_cpu_seconds": round(children.ru_utime + children.ru_stime, 1),
        "worker_peak_rss_mb": round(children.ru_maxrss / 1024), "us_per_record": round(1e6 * wall / total, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "rss_before_mb": round(rss_before / 1024), "groups": len(result.groups), "compared": result.compared,
        "recall": round(found / max(1, len(copies)), 5), "missed": len(copies) - found, "groups_joining_works": mixed,
        "groups_joining_originals": joined,
        "stages": {k: round(v, 1) for k, v in stages.items()}, "peak_rss_by_stage_mb": rss, "load": os.getloadavg(),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100000,1000000", help="comma-separated record counts")
    parser.add_argument("--engine", default="duckdb", help="memory, duckdb or polars")
    parser.add_argument("--dup-share", type=float, default=0.3, help="share of records that are planted copies")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--processes", type=int, help="worker processes of the columnar engine (default: by size)")
    parser.add_argument("--dump", help="write each size's groups and pairs to DUMP.<size> (pickle) and its groups"
                        " joining works to DUMP.<size>.json")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        dump_to = f"{args.dump}.{args.child}" if args.dump else None
        print(json.dumps(child(args.child, args.engine, args.dup_share, args.seed, args.processes, dump_to)))
        return
    real_works()  # build the cache outside the timed runs
    print(f"machine: {os.cpu_count()} CPUs; uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        cmd = [sys.executable, __file__, "--child", str(size), "--engine", args.engine,
               "--dup-share", str(args.dup_share), "--seed", str(args.seed)]
        if args.processes:
            cmd += ["--processes", str(args.processes)]
        if args.dump:
            cmd += ["--dump", args.dump]
        out = subprocess.run(cmd, capture_output=True, text=True)
        if out.returncode:
            print(out.stderr, file=sys.stderr)
            raise SystemExit(out.returncode)
        row = json.loads(out.stdout.strip().splitlines()[-1])
        rows.append(row)
        print(json.dumps(row))
    if len(rows) >= 2:
        a, b = rows[0], rows[-1]
        print(f"time per record {a['us_per_record']} us at {a['records']} -> {b['us_per_record']} us at {b['records']}"
              f" ({100 * (b['us_per_record'] / a['us_per_record'] - 1):+.0f} %)")
    print(f"uptime after: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")


if __name__ == "__main__":
    main()
