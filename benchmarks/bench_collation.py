"""Sort-key collation: speed, and agreement with citeproc-js, on real author and title keys.

Keys: the author lists ("Family Given; ...") and titles of ../shared/corpora/large/*.bib,
messy/*.bib and the CSL-JSON files, markup removed, duplicates dropped; every key that is
not plain ASCII or starts with punctuation, then a seeded sample of the rest, N in all.
Each key is written as a CSL sort key (``collation.sort_text``: spaces as word separators).

Reference order: node's Intl.Collator with citeproc-js's options (src/sort.js: the locale,
sensitivity "base", ignorePunctuation, numeric), ties by input position. Candidates:
ICU through PyICU (what bibtools uses), bibtools' pure fallback, and, if installed, pyuca
(DUCET, pure Python) reduced to citeproc-js's settings (first level, punctuation and
spaces ignorable, symbols not, digit runs by value). "misplaced" is how many keys would
have to move for the candidate's order to equal the reference (N minus the longest run
common to both orders).

    python benchmarks/bench_collation.py [--n 20000] [--locale en-US]   # needs node
"""
from __future__ import annotations

import argparse
import bisect
import json
import random
import re
import statistics
import subprocess
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from bibtools.api import load_file  # noqa: E402
from bibtools.csl import collation  # noqa: E402

CORPORA = PROJECT.parent / "shared" / "corpora"
_TAG = re.compile(r"<[^>]+>")

NODE_ORDER = """
const keys = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const coll = new Intl.Collator(process.argv[1], {sensitivity: 'base', ignorePunctuation: true, numeric: true});
const low = keys.map((k) => k.toLocaleLowerCase());
const idx = keys.map((_, i) => i);
const t = process.hrtime.bigint();
idx.sort((a, b) => coll.compare(low[a], low[b]) || a - b);
const ms = Number(process.hrtime.bigint() - t) / 1e6;
process.stdout.write(JSON.stringify({order: idx, ms}));
"""


def real_keys() -> list[str]:
    keys: list[str] = []
    for path in sorted((CORPORA / "large").glob("*.bib")) + sorted((CORPORA / "messy").glob("*.bib")):
        try:
            library = load_file(path)
        except Exception:  # noqa: BLE001 - a benchmark takes what reads
            continue
        for item in library.items:
            names = [" ".join(p for p in (getattr(a, "family", None) or getattr(a, "literal", None) or "",
                                          getattr(a, "given", None) or "") if p) for a in item.authors or []]
            keys += ["; ".join(names)] if names else []
            keys += [str(item.title)] if item.title else []
    for path in sorted((CORPORA / "csl-json").glob("*.json")):
        if "processor-tests" in path.name:
            continue
        for record in json.loads(path.read_text(encoding="utf-8")):
            if isinstance(record, dict) and isinstance(record.get("title"), str):
                keys.append(record["title"])
    return list(dict.fromkeys(k for k in (_TAG.sub("", k).strip() for k in keys) if k))


def sample(keys: list[str], n: int) -> list[str]:
    hard = [k for k in keys if not k.isascii() or not k[0].isalnum()]
    rest = [k for k in keys if k.isascii() and k[0].isalnum()]
    rng = random.Random(15)
    picked = hard[:n] + rng.sample(rest, max(0, min(len(rest), n - len(hard))))
    rng.shuffle(picked)
    return picked


def misplaced(order: list[int], reference: list[int]) -> int:
    rank = {i: r for r, i in enumerate(order)}
    tails: list[int] = []
    for x in (rank[i] for i in reference):
        p = bisect.bisect_left(tails, x)
        tails[p:p + 1] = [x]
    return len(reference) - len(tails)


def pyuca_key() -> Callable[[str], Any] | None:
    try:
        from pyuca.collator import Collator_10_0_0
        from pyuca.utils import hexstrings2int
    except ImportError:
        return None
    element = re.compile(r"\[([*.])([0-9A-Fa-f]{4})\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\]")

    class FirstLevel(Collator_10_0_0):  # type: ignore[misc]
        def load(self, filename: str) -> None:
            for line in open(filename, encoding="utf-8"):
                line = line.split("#", 1)[0].rstrip()
                if not line or line.startswith("@version"):
                    continue
                if line.startswith("@implicitweights"):
                    span, base = line[len("@implicitweights"):].split(";")
                    start, end = span.split("..")
                    self.implicit_weights.append([int(start, 16), int(end, 16), int(base, 16)])
                    continue
                chars, weights = line.split(";", 1)
                code = hexstrings2int(chars.split())
                symbol = len(code) == 1 and unicodedata.category(chr(code[0]))[0] == "S"
                # DUCET marks symbols variable too; CLDR (and so citeproc-js) ignores only punctuation and spaces
                self.table.add(code, [[0 if m.group(1) == "*" and not symbol else int(m.group(2), 16), 0, 0]
                                      for m in element.finditer(weights)])

        def sort_key(self, text: str) -> tuple[int, ...]:
            return tuple(ce[0] for ce in self.collation_elements(unicodedata.normalize("NFD", text)) if ce[0])

    table = FirstLevel()
    digits = re.compile(r"\d+")

    def by_value(match: re.Match[str]) -> str:
        run = match.group().lstrip("0")
        return f"{len(run):03}{run}"

    return lambda text: table.sort_key(digits.sub(by_value, text.casefold()))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=20000)
    ap.add_argument("--locale", default="en-US")
    a = ap.parse_args()
    keys = sample(real_keys(), a.n)
    texts = [collation.sort_text(k) for k in keys]
    js = json.loads(subprocess.run(["node", "-e", NODE_ORDER, a.locale], input=json.dumps(texts),
                                   capture_output=True, text=True, check=True).stdout)
    print(f"{len(keys)} keys ({sum(not k.isascii() for k in keys)} not ASCII); "
          f"citeproc-js's comparison (node Intl.Collator) sorts them in {js['ms']:.0f} ms")
    candidates: list[tuple[str, Callable[[str], Any]]] = []
    if collation.HAVE_ICU:
        candidates.append(("PyICU (bibtools)", lambda t: collation._key_function(a.locale)(t)))
    candidates.append(("pure fallback (bibtools)", collation._fallback_key))
    uca = pyuca_key()
    if uca is not None:
        candidates.append(("pyuca, first level", uca))
    print(f"{'collation (median of 3)':28} {'sort ms':>8} {'us/key':>7} {'misplaced':>10}")
    for name, key in candidates:
        times = []
        for _ in range(3):
            start = time.perf_counter()
            order = sorted(range(len(texts)), key=lambda i: (key(texts[i]), i))
            times.append((time.perf_counter() - start) * 1000)
        ms = statistics.median(times)
        print(f"{name:28} {ms:8.0f} {1000 * ms / len(texts):7.1f} {misplaced(order, js['order']):10}", flush=True)


if __name__ == "__main__":
    main()
