"""Two ``merge --in-place`` into one base at the same moment, 20 times: every merge that reports
success has all its entries in the final file, and the base keeps all of its own (issue 13).

Before, both runs reported success and one side's entries were gone (8 of 8 trials): nothing
locked the base or checked it was unchanged before the rename. The two runs are real CLI
processes released together by a start file (each has imported bibtools and waits for it).
Run with ``BIBTOOLS_TEST_NO_LOCK=1`` the wrapper turns off the lock around the update and the
unchanged-file check before the rename (the world before the fix), and this test fails: that is
how it was checked to be able to fail.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import bibtools

ROOT = Path(__file__).resolve().parents[1]
TRIALS = 20

WRAPPER = """
import os, sys, time
sys.path.insert(0, {root!r})
import bibtools.cli, bibtools.update, bibtools.textio
if os.environ.get("BIBTOOLS_TEST_NO_LOCK"):
    import contextlib
    bibtools.update.file_lock = lambda *a, **k: contextlib.nullcontext()
    bibtools.textio._check_unchanged = lambda *a, **k: None
go = sys.argv[1]
while not os.path.exists(go):  # the start line: both processes are ready when it appears
    time.sleep(0.001)
sys.argv = ["bibtools", *sys.argv[2:]]
bibtools.cli.main()
"""


WORDS = ("glacier", "protein", "lattice", "monsoon", "theorem", "enzyme", "quasar", "harbour", "syntax", "orchid",
         "turbine", "sonnet", "plankton", "ledger", "comet", "basalt")


def _entry(key: str, n: int) -> str:
    """Entries no two of which look like the same work (distinct titles, authors and years)."""
    title = " ".join(WORDS[(n * 7 + k * 3) % len(WORDS)] for k in range(4)) + f" study {n}"
    return (f"@article{{{key},\n  title = {{{title.capitalize()}}},\n  author = {{Author{n}, Given}},\n"
            f"  year = {{{1950 + n}}}\n}}\n")


def _keys(path: Path) -> set[str]:
    return set(bibtools.load_file(path).keys())


def test_two_concurrent_in_place_merges_never_lose_entries(tmp_path: Path) -> None:
    wrapper = tmp_path / "run.py"
    wrapper.write_text(WRAPPER.format(root=str(ROOT)), encoding="utf-8")
    env = {**os.environ, "BIBTOOLS_LOCK_TIMEOUT": "60"}
    outcomes: list[tuple[int, int]] = []
    for trial in range(TRIALS):
        folder = tmp_path / f"t{trial}"
        folder.mkdir()
        base = folder / "base.bib"
        base.write_text("".join(_entry(f"base{i}", i) for i in range(3)), encoding="utf-8")
        incoming = {}
        for side in "ab":
            path = folder / f"in_{side}.bib"
            path.write_text("".join(_entry(f"{side}{trial}x{i}", 3 + (side == "b") * 2 + i)
                                    for i in range(2)), encoding="utf-8")
            incoming[side] = path
        go = folder / "go"
        runs = {side: subprocess.Popen([sys.executable, str(wrapper), str(go), "merge", str(base), str(path), "--in-place"],
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
                for side, path in incoming.items()}
        go.write_text("go")
        final_codes = []
        finished = {side: proc.communicate(timeout=120) for side, proc in runs.items()}
        for side, proc in runs.items():
            err = finished[side][1]
            final_codes.append(proc.returncode)
            if proc.returncode == 0:
                assert _keys(incoming[side]) <= _keys(base), f"trial {trial}: side {side} reported success, lost entries"
            else:  # a run that could not merge says why
                assert "being changed" in err or "changed since" in err, err
        assert {f"base{i}" for i in range(3)} <= _keys(base), f"trial {trial}: the base lost its own entries"
        outcomes.append(tuple(final_codes))  # type: ignore[arg-type]
    assert sum(code == 0 for pair in outcomes for code in pair) >= TRIALS  # most runs succeed: they wait their turn
