"""Each command splits a .bib file once: lint hands its split to the reader, and a streamed
conversion scans each batch once (only crossref parents and @string blocks, read ahead so that
children before them can inherit, are scanned a second time)."""
from __future__ import annotations

import io

import pytest
from click.testing import CliRunner

from bibtools import stream, textstream
from bibtools.api import load_file
from bibtools.cli import main as cli
from bibtools.formats.bibtex import scanner, streaming
from bibtools.lint.engine import lint
from conftest import CORPORA

# plume writes "% built in: @string{...}" inside comments; aibasel has 392 crossref parents.
FILES = ["reference/xampl.bib", "large/plume-bib-combined.bib", "large/aibasel-bib-combined.bib"]


@pytest.fixture
def scanned(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """(phase, characters) of every scan; the phase is "ahead" while a streamed reader reads parents."""
    record: list[tuple[str, int]] = []
    phase = ["main"]
    run, read_parents = scanner._Scanner.run, streaming.BibBatchReader._read_parents

    def counting_run(self: scanner._Scanner) -> object:
        record.append((phase[0], len(self.text) - 1))  # the scanner adds one leading newline
        return run(self)

    def reading_ahead(self: streaming.BibBatchReader) -> None:
        phase[0] = "ahead"
        try:
            read_parents(self)
        finally:
            phase[0] = "main"

    monkeypatch.setattr(scanner._Scanner, "run", counting_run)
    monkeypatch.setattr(streaming.BibBatchReader, "_read_parents", reading_ahead)
    return record


def _size(name: str) -> int:
    return len((CORPORA / name).read_text(encoding="utf-8", errors="replace"))


@pytest.mark.corpus
@pytest.mark.parametrize("name", FILES)
def test_lint_and_load_split_once(name: str, scanned: list[tuple[str, int]]) -> None:
    path = CORPORA / name
    lint([path])
    assert scanned == [("main", _size(name))]
    scanned.clear()
    result = CliRunner().invoke(cli, ["lint", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert scanned == [("main", _size(name))]
    scanned.clear()
    load_file(path)
    assert scanned == [("main", _size(name))]


@pytest.mark.corpus
@pytest.mark.parametrize("name", FILES)
def test_a_streamed_conversion_scans_each_batch_once(name: str, scanned: list[tuple[str, int]],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(textstream, "BATCH_CHARS", 50_000)
    report = stream.convert_file(CORPORA / name, io.StringIO(), "csljson")
    assert report.streamed, report.reason
    size = _size(name)
    main = [n for phase, n in scanned if phase == "main"]
    ahead = sum(n for phase, n in scanned if phase == "ahead")
    # Each batch but the last carries the next block's head ("@article{", a few characters).
    assert size <= sum(main) <= size + 40 * len(main)
    assert ahead <= size // 4  # parents and @string blocks only, never whole batches
