"""Writers killed at random moments leave the old file or the new one, never a torn one.

A child process rewrites one file in a loop through ``textio.atomic_write``
(and, separately, through the real CLI writing over its own input); the test
SIGKILLs it at random moments and checks the file every time. Temp files a
killed writer leaves behind are removed by the next write of the same path.
"""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bibtools.textio import atomic_write
from conftest import PROJECT

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals (SIGKILL)")

WRITER = """
import sys
from bibtools.textio import atomic_write
path, a, b = sys.argv[1], open(sys.argv[2]).read(), open(sys.argv[3]).read()
print("ready", flush=True)
n = 0
while True:
    atomic_write(path, a if n % 2 else b, backup=n % 3 == 0)
    n += 1
"""


def _versions(tmp_path: Path) -> tuple[str, str]:
    # Two large, different contents: a torn write would show up as neither.
    a = "".join(f"@misc{{a{i}, title = {{Version A entry {i}}}}}\n" for i in range(12_000))
    b = "".join(f"@misc{{b{i}, note = {{Version B, entry number {i}}}}}\n" for i in range(9_000))
    (tmp_path / "a.txt").write_text(a)
    (tmp_path / "b.txt").write_text(b)
    return a, b


def _leftovers(directory: Path, name: str) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.startswith("." + name))


def test_sigkill_during_atomic_write_never_tears_the_file(tmp_path: Path) -> None:
    a, b = _versions(tmp_path)
    work = tmp_path / "lib"
    work.mkdir()
    target = work / "refs.bib"
    target.write_text(a)
    rng = random.Random(20261126)
    kills = 30
    for _ in range(kills):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(target), str(tmp_path / "a.txt"), str(tmp_path / "b.txt")],
                                cwd=PROJECT, stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.15))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        content = target.read_text()
        assert content in (a, b), f"torn file: {len(content)} chars"
        bak = work / "refs.bib.bak"
        if bak.exists():
            assert bak.read_text() in (a, b), "torn backup"
    # Killed writers may leave their temp files; the next write of the path removes them.
    atomic_write(target, a)
    assert target.read_text() == a
    assert _leftovers(work, "refs.bib") == []
    assert sorted(p.name for p in work.iterdir()) in (["refs.bib"], ["refs.bib", "refs.bib.bak"])


def test_sigkill_during_cli_rewrite_of_its_own_input(tmp_path: Path) -> None:
    """``bibtools convert X --to bibtex -o X``: the in-place path through the real CLI."""
    source = "".join(f"@misc{{k{i}, title = {{Entry {i} about {{DNA}}}}, year = {1900 + i % 100}}}\n" for i in range(1500))
    target = tmp_path / "refs.bib"
    target.write_text(source)
    command = [sys.executable, "-m", "bibtools", "convert", str(target), "--to", "bibtex", "-o", str(target)]
    started = time.perf_counter()
    subprocess.run(command, cwd=PROJECT, check=True, capture_output=True)
    runtime = time.perf_counter() - started
    converted = target.read_text()
    assert converted != source
    again = subprocess.run(command, cwd=PROJECT, capture_output=True)
    assert again.returncode == 0 and target.read_text() == converted  # a fixed point: old == new from here on
    target.write_text(source)
    rng = random.Random(7)
    for _ in range(4):
        before = target.read_text()
        proc = subprocess.Popen(command, cwd=PROJECT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 1.0) * runtime)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert target.read_text() in (before, converted)
    subprocess.run(command, cwd=PROJECT, check=True, capture_output=True)
    assert target.read_text() == converted
    assert _leftovers(tmp_path, "refs.bib") == []
