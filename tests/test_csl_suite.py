"""The CSL test suite (citation-style-language/test-suite) through the engine.

``fixtures/csl_suite_known_failures.txt`` lists the fixtures the engine does not
pass yet; the list may only shrink. A fixture that passes must not be on it,
and one that is not on it must pass.
"""
from __future__ import annotations

import pytest

from bibtools.csl.conformance import run_suite

from conftest import CORPORA, FIXTURES

KNOWN_FAILURES = FIXTURES / "csl_suite_known_failures.txt"
SUITE = CORPORA / "csl-json" / "csl-test-suite-processor-tests.json"


def _known() -> set[str]:
    lines = KNOWN_FAILURES.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


@pytest.mark.corpus
def test_suite_known_failures_only_shrink() -> None:
    results, _seconds = run_suite(SUITE)
    known = _known()
    broken = sorted(name for name, outcome in results.items() if outcome != "pass" and name not in known)
    fixed = sorted(name for name, outcome in results.items() if outcome == "pass" and name in known)
    unknown = sorted(known - set(results))
    message = []
    if broken:
        message.append("these fixtures passed before and fail now (a regression):\n  " + "\n  ".join(broken))
    if fixed:
        message.append(
            "these fixtures pass now: remove them from tests/fixtures/csl_suite_known_failures.txt "
            "(or run python benchmarks/csl_report.py --update-ratchets):\n  " + "\n  ".join(fixed)
        )
    if unknown:
        message.append("the known-failures list names fixtures the suite does not have:\n  " + "\n  ".join(unknown))
    assert not message, "\n".join(message)
