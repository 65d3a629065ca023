"""Shared test setup.

Corpus tests read real bibliographies from ``../shared/corpora`` (beside the
project root). CI always has that folder; a clone may not, so those tests are
marked ``corpus`` and are skipped with that reason when it is absent.
"""
from __future__ import annotations

from pathlib import Path

import os

import pytest
from hypothesis import settings

# CI runs the same examples every time (a red build must be reproducible);
# local runs explore new ones.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

PROJECT = Path(__file__).resolve().parents[1]
SHARED = PROJECT.parent / "shared"
CORPORA = SHARED / "corpora"
ORACLE = SHARED / "oracle"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def pytest_collection_modifyitems(config, items):
    if CORPORA.is_dir():
        return
    reason = f"needs the shared corpora at {CORPORA} (present in CI, absent in this checkout)"
    for item in items:
        if "corpus" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def corpora() -> Path:
    return CORPORA


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES
