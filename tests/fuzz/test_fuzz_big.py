"""Huge and deep inputs: bounded time and memory, no recursion blow-up.

Each case runs in a fresh interpreter (``run_case.py``) so its peak memory
can be measured, and a hard address-space cap and timeout keep a runaway
case from taking CI down with it.
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

RUNNER = Path(__file__).resolve().parent / "run_case.py"
MB = 1 << 20
HARD_CAP = 3 << 30  # address space per case
TIMEOUT = float(os.environ.get("BIBTOOLS_FUZZ_BIG_SECONDS", "60"))  # CPU seconds per case (read + lint)
WALL = 4 * TIMEOUT  # the hard stop for a case that hangs without using CPU


def _cap() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (HARD_CAP, HARD_CAP))


def run_case(tmp_path: Path, data: bytes, source: str, factor: float) -> dict:
    """Read + lint ``data`` in a child; its resident memory may grow by ``factor`` x the input (+48 MB)."""
    path = tmp_path / source
    path.write_bytes(data)
    del data
    env = {**os.environ, "BIBTOOLS_FUZZ_CASE_SECONDS": str(TIMEOUT / 2)}  # read and lint get half each (CPU)
    proc = subprocess.run([sys.executable, str(RUNNER), str(path), source], capture_output=True, text=True,
                          timeout=WALL, preexec_fn=_cap, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    size = path.stat().st_size
    grown = result["peak_mb"] - result["baseline_mb"]
    limit = factor * size / MB + 48
    assert grown < limit, f"memory grew {grown:.0f} MB for {size / MB:.1f} MB of input (limit {limit:.0f})"
    return result


def _ten_megabyte_field() -> bytes:
    body = "lorem ipsum {DNA} & more " * (10 * MB // 25)
    return f"@article{{big, title = {{{body}}}, year = 2020}}\n@misc{{after, title = {{ok}}}}\n".encode()


def _fifty_deep_braces() -> bytes:
    deep = "{" * 50 + "deep" + "}" * 50
    unclosed = "{" * 50 + "x"
    return ("@misc{deep, title = " + deep + ", note = {" + unclosed + "}}\n@misc{next, title = {n}}\n").encode()


def _hundred_thousand_authors() -> bytes:
    authors = " and ".join(f"Author{i}, A." for i in range(100_000))
    return f"@article{{many, author = {{{authors}}}, title = {{T}}, journal = {{J}}, year = 2001}}\n".encode()


def _csl_authors_and_huge_title() -> bytes:
    item = {"id": "x", "type": "book", "title": "t" * (10 * MB), "author": [{"family": f"F{i}"} for i in range(100_000)]}
    return json.dumps([item]).encode()


def _nested_json() -> bytes:
    return ("[" * 200_000 + "]" * 200_000).encode()


def _ris_authors() -> bytes:
    lines = ["TY  - JOUR", "TI  - many"] + [f"AU  - Author{i}, A." for i in range(100_000)] + ["ER  - "]
    return "\n".join(lines).encode()


def _many_strings(n: int = 10_000) -> bytes:
    strings = "".join(f"@string{{s{i} = {{S{i}}}}}\n" for i in range(n))
    entries = "".join(f"@misc{{k{i}, title = s{i} # {{x}}, note = undefined{i % 3}}}\n" for i in range(n))
    return (strings + entries).encode()


# name -> (input builder, file name, memory factor)
CASES: dict[str, tuple[Callable[[], bytes], str, float]] = {
    "ten-megabyte-field": (_ten_megabyte_field, "big.bib", 25),
    "fifty-deep-braces": (_fifty_deep_braces, "deep.bib", 50),
    "hundred-thousand-authors": (_hundred_thousand_authors, "many.bib", 80),
    "csl-authors-and-huge-title": (_csl_authors_and_huge_title, "many.json", 25),
    "nested-json": (_nested_json, "nested.json", 200),
    "ris-authors": (_ris_authors, "many.ris", 120),
    "many-strings": (_many_strings, "many-strings.bib", 120),
}


@pytest.fixture(scope="module")
def big() -> dict[str, Future]:
    """All cases start at once, two at a time (CI has two cores); each test waits for its own."""
    workdir = Path(tempfile.mkdtemp(prefix="bibtools-fuzz-big-"))
    pool = ThreadPoolExecutor(max_workers=2)
    futures: dict[str, Future] = {}
    for name, (build, source, factor) in CASES.items():
        case_dir = workdir / name
        case_dir.mkdir()
        futures[name] = pool.submit(run_case, case_dir, build(), source, factor)
    yield futures
    pool.shutdown(wait=True)


def test_ten_megabyte_field(big) -> None:
    result = big["ten-megabyte-field"].result()
    assert "BT014:big" in result["keys"]  # the & is still found in a 10 MB value
    assert not {"BT013", "BT018"} & set(result["rules"])


def test_fifty_deep_braces(big) -> None:
    assert "BT013" in big["fifty-deep-braces"].result()["rules"]  # the note's braces never close


def test_hundred_thousand_authors(big) -> None:
    result = big["hundred-thousand-authors"].result()
    assert not {"BT013", "BT018", "BT000"} & set(result["rules"])  # a complete, valid entry
    assert result["authors"] == 100_000


def test_hundred_thousand_csl_authors_and_a_huge_title(big) -> None:
    result = big["csl-authors-and-huge-title"].result()
    assert result["items"] == 1 and result["authors"] == 100_000


def test_deeply_nested_json_is_refused_cleanly(big) -> None:
    result = big["nested-json"].result()
    assert result["items"] in (None, 0)
    assert "BT000" in result["rules"]  # the reader said why, instead of crashing


def test_hundred_thousand_ris_authors(big) -> None:
    assert big["ris-authors"].result()["authors"] == 100_000


def test_many_entries_and_strings(big) -> None:
    assert big["many-strings"].result()["count"].get("BT004") == 10_000  # every undefined macro, no defined one
