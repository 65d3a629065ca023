"""Run one big fuzz case in a fresh process and report what it cost (used by test_fuzz_big).

argv: INPUT_FILE SOURCE_NAME. Prints one JSON line: finding rules, item/author
counts, peak resident memory (MB) and seconds.
"""
from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[2]), str(Path(__file__).resolve().parent)]

from fuzz_harness import read_and_lint  # noqa: E402


def main() -> None:
    data = Path(sys.argv[1]).read_bytes()
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    library, findings = read_and_lint(data, sys.argv[2])
    seconds = time.perf_counter() - started
    print(json.dumps({
        "rules": sorted({f.rule for f in findings}),
        "keys": sorted({f"{f.rule}:{f.key}" for f in findings}),
        "count": {r: sum(1 for f in findings if f.rule == r) for r in {f.rule for f in findings}},
        "items": None if library is None else len(library.items),
        "authors": None if library is None or not library.items else len(library.items[0].authors),
        "baseline_mb": baseline,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "seconds": seconds,
    }))


if __name__ == "__main__":
    main()
