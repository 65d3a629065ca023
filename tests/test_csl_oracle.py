"""The engine against citeproc-js (the reference processor) on 26 references in 13 styles.

A ratchet: ``fixtures/csl_oracle_identical.json`` lists the bibliography entries
and citations that are identical (whitespace-normalised) to citeproc-js. That set
may only grow: an entry that was identical and differs now fails the test; one
that became identical must be added with
``python benchmarks/csl_report.py --update-ratchets``.
"""
from __future__ import annotations

import json

import pytest

from bibtools.csl.conformance import ORACLE_STYLES, OUTPUTS, normalise, run_oracle

from conftest import FIXTURES, ORACLE

RATCHET = FIXTURES / "csl_oracle_identical.json"
pytestmark = pytest.mark.corpus


@pytest.mark.parametrize("output", OUTPUTS)
@pytest.mark.parametrize("style", ORACLE_STYLES)
def test_identical_to_citeproc_js_never_regresses(style: str, output: str) -> None:
    run = run_oracle(ORACLE / "csl", style, output)
    recorded = json.loads(RATCHET.read_text(encoding="utf-8"))[style][output]
    problems = []
    for which in ("bibliography", "citations"):
        now = run.identical(which)
        before = set(recorded[which])
        table = getattr(run, which)
        for key in sorted(before - now):
            ours, want = table[key]
            problems.append(f"REGRESSED {which} {key}:\n   ours: {normalise(ours)}\n   want: {normalise(want)}")
        for key in sorted(now - before):
            problems.append(f"now identical, add it to the ratchet: {which} {key}")
    assert not problems, (
        f"{style} ({output}):\n" + "\n".join(problems)
        + "\n(after an improvement run: python benchmarks/csl_report.py --update-ratchets)"
    )
