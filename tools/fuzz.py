"""A long local run of the fuzz suite (tests/fuzz): many more cases than CI's, on a fresh seed.

    python tools/fuzz.py [--examples 2000] [--seed N] [--jobs 1]

Each property of tests/fuzz/test_fuzz_generated.py and test_fuzz_mutations.py runs
``--examples`` cases (CI runs 40, derandomised). A failure prints hypothesis'
shrunk example and the seed that reproduces it (``--seed``). Prints the number
of cases and the time; exit 1 on any failure.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROPERTIES = ("tests/fuzz/test_fuzz_generated.py", "tests/fuzz/test_fuzz_mutations.py")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=2000, help="cases per property")
    parser.add_argument("--seed", type=int, default=None, help="hypothesis seed (default: a fresh one, printed)")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else int(time.time())
    env = {**os.environ, "BIBTOOLS_FUZZ_EXAMPLES": str(args.examples), "BIBTOOLS_FUZZ_RANDOM": "1",
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    started = time.monotonic()
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--hypothesis-seed={seed}",
                          *PROPERTIES], cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.monotonic() - started
    summary = re.findall(r"(\d+) (passed|failed)", run.stdout)
    counts = {kind: int(n) for n, kind in summary}
    properties = sum(counts.values())
    if counts.get("failed"):
        print(run.stdout[-20000:])
    print(f"fuzz: {properties} properties x {args.examples} cases = {properties * args.examples} cases, "
          f"{counts.get('failed', 0)} properties failed, seed {seed}, {seconds:.0f} s")
    return 1 if counts.get("failed") or run.returncode else 0


if __name__ == "__main__":
    sys.exit(main())
