"""Every corpus file a reader accepts is linted without an uncaught exception.

This is the issue's "done when" check, so it covers the large folder too
(about a minute of CPU in all, most of it reading the 13 MB dblp file).
Findings must be located: the file they came from and a line inside it.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from bibtools import registry
from bibtools.lint import lint
from bibtools.textio import decode
from conftest import CORPORA

pytestmark = [pytest.mark.corpus, pytest.mark.slow]
SKIP_NAMES = {"README.md", "LICENSE", "LICENSE.txt", "COPYING"}


def _files() -> list[Path]:
    if not CORPORA.is_dir():
        return []
    return sorted(p for p in CORPORA.rglob("*") if p.is_file() and p.name not in SKIP_NAMES)


def _accepted(path: Path, text: str) -> bool:
    try:
        return registry.detect(text[:65536], str(path)).read is not None
    except registry.UnknownFormat:
        return False


@pytest.mark.parametrize("folder", sorted({p.relative_to(CORPORA).parts[0] for p in _files()}) or ["(none)"])
def test_every_accepted_file_lints_cleanly(folder: str) -> None:
    linted = 0
    for path in (p for p in _files() if p.relative_to(CORPORA).parts[0] == folder):
        text = decode(path.read_bytes()).text
        if not _accepted(path, text):
            continue
        findings = lint(path)
        lines = max(text.count("\n"), len(text.splitlines())) + 1  # lone CRs count as line ends for some readers
        for f in findings:
            assert f.file == str(path) or f.file is None, f
            assert f.line is None or 1 <= f.line <= lines + 1, f
        linted += 1
    assert linted > 0, f"no file in {folder} was accepted by a reader"
