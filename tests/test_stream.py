"""Streamed conversion writes exactly what the whole-file path writes, with the same diagnostics."""
from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from bibtools import stream, textstream
from bibtools.api import dump, load_file
from bibtools.cli import main as cli
from conftest import CORPORA

# BibTeX with @string macros, crossref parents after their children, a missing crossref target,
# an unclosed entry cut off by the next one, duplicate fields/keys; RIS with stray text,
# records without ER and keyless records (generated keys).
FILES = [
    "reference/xampl.bib",
    "reference/biblatex-chicago-notes-test.bib",
    "messy/bibtexparser-v1-tests-data/crossref_missing_entries.bib",
    "messy/litsearchr-scopus-final.bib",
    "messy/biber-tdata/crossrefs.bib",
    "ris/asysd-scopus.ris",
    "ris/rispy-tests-data/example_extraneous_data.ris",
    "ris/jabref-ris-importer-tests/RisImporterCorrupted.ris",
]


def _diag_counts(diagnostics):
    return Counter((d.severity, d.code, d.message, d.line, d.key) for d in diagnostics)


def _assert_streams_as_whole(path: Path, *, diagnostics: bool = False) -> None:
    """Streamed to BibTeX and CSL-JSON, ``path`` gives what the whole-file path gives."""
    library = load_file(path)
    for target in ("bibtex", "csljson"):
        out = io.StringIO()
        report = stream.convert_file(path, out, target)
        assert report.streamed, report.reason
        assert out.getvalue() == dump(library, target)
        if diagnostics:
            assert _diag_counts(report.diagnostics) == _diag_counts(library.diagnostics)


@pytest.mark.corpus
@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("target", ["csljson", "ris", "bibtex"])
def test_streamed_output_is_identical(name: str, target: str, monkeypatch: pytest.MonkeyPatch) -> None:
    path = CORPORA / name
    monkeypatch.setattr(textstream, "BATCH_CHARS", 2000)  # many batches, so every carried state is exercised
    library = load_file(path)
    losses: list = []
    expected = dump(library, target, losses=losses)
    out = io.StringIO()
    report = stream.convert_file(path, out, target)
    assert report.streamed, report.reason
    assert out.getvalue() == expected
    assert report.items == len(library)
    assert _diag_counts(report.diagnostics) == _diag_counts(library.diagnostics)
    assert _diag_counts(report.losses) == _diag_counts(losses)


@pytest.mark.corpus
@pytest.mark.parametrize("name", FILES)
def test_pieces_cut_anywhere_change_nothing(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The file read 777 bytes at a time: block heads, keys, references and lines cut between pieces."""
    path = CORPORA / name
    monkeypatch.setattr(textstream, "BATCH_CHARS", 3000)
    monkeypatch.setattr(textstream, "READ_BYTES", 777)
    _assert_streams_as_whole(path, diagnostics=True)


@pytest.mark.parametrize("before", [
    "% built in: ",  # plume-bib's comment: a real @string block for the splitter
    "@misc{note, note = {write ",  # inside an open value: not a block (the macro stays undefined)
    "@comment{",  # inside a @comment: not a block either
])
def test_a_head_not_at_a_line_start_reads_as_in_the_whole_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                before: str) -> None:
    """A @string or a crossref parent whose head does not start a line may or may not be a block:
    the stretch holding it is read as the whole file reads it, and the output is the whole-file one."""
    monkeypatch.setattr(textstream, "BATCH_CHARS", 300)
    closing = "}\n" if before.startswith("@") else "\n"
    path = tmp_path / "c.bib"
    path.write_text(before + "@string{SCP = \"Science of Computer Programming\"}" + closing
                    + "@string{acm = \"ACM\"}\n"
                    + "".join(f"@inproceedings{{k{i}, title = {{Paper {i}}}, journal = SCP, crossref = {{proc}}}}\n\n"
                              for i in range(20))
                    + before + "@proceedings{proc, title = {Proceedings}, publisher = acm, year = 1999}" + closing,
                    encoding="utf-8")
    library = load_file(path)
    is_block = before.startswith("%")
    assert (library.items[0].fields.get("container-title") == "Science of Computer Programming") == is_block
    assert (library.items[0].fields.get("publisher") == "ACM") == is_block
    _assert_streams_as_whole(path, diagnostics=True)


@pytest.mark.corpus
def test_cli_streams_and_no_stream_gives_the_same_file(tmp_path: Path) -> None:
    source = CORPORA / "reference/biblatex-examples.bib"
    runner = CliRunner()
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    first = runner.invoke(cli, ["convert", str(source), "-o", str(a), "-v"])
    second = runner.invoke(cli, ["convert", "--no-stream", str(source), "-o", str(b)])
    assert first.exit_code == second.exit_code
    assert a.read_text(encoding="utf-8") == b.read_text(encoding="utf-8")
    assert "streamed" in first.output


@pytest.mark.corpus
def test_files_that_need_guessing_take_the_whole_file_path() -> None:
    path = CORPORA / "messy/jabref-encodings/encoding-windows-1252-without-header.bib"
    out = io.StringIO()
    report = stream.convert_file(path, out, "csljson")
    assert not report.streamed and "UTF-8" in (report.reason or "")
    assert out.getvalue() == dump(load_file(path), "csljson")


def test_progress_bar_waits_for_long_runs_and_shows_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from bibtools.cli.common import progress_bar

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with progress_bar(10_000_000, "convert", min_total=1, delay=3600, in_bytes=True) as advance:
        assert advance is not None
        advance(5_000_000, 10_000_000, "")
    assert terminal.getvalue() == ""  # a quick run stays quiet
    with progress_bar(10_000_000, "convert", min_total=1, delay=0, in_bytes=True) as advance:
        advance(10_000_000, 10_000_000, "")
    assert "10.0 MB" in terminal.getvalue()
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # a pipe: no bar at all
    with progress_bar(10_000_000, "convert", min_total=1) as advance:
        assert advance is None


@pytest.mark.parametrize("target", ["csljson", "bibtex"])
def test_streaming_leaves_no_reference_cycles(tmp_path: Path, target: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The streamed path runs with the cyclic collector off and never calls it: a batch must be
    freed by reference counting alone, or memory grows with the file (a recursive closure in
    crossref resolution once kept every batch alive: 83 -> 195 MB on dblp)."""
    import gc

    fixtures = Path(__file__).parent / "fixtures"
    ris = tmp_path / "two.ris"
    ris.write_text("TY  - JOUR\nID  - a1\nAU  - Doe, Jane\nTI  - One\nPY  - 2001\nER  - \n\n"
                   "TY  - BOOK\nAU  - Roe, Richard\nTI  - Two\nPY  - 2002\nER  - \n", encoding="utf-8")
    monkeypatch.setattr(textstream, "BATCH_CHARS", 200)  # several batches, crossref parents across them
    for path in (fixtures / "features.bib", ris):  # the formats with a streaming reader
        stream.convert_file(path, io.StringIO(), target)  # imports and caches made once, outside the count
        gc.collect()
        enabled = gc.isenabled()
        gc.disable()
        try:
            report = stream.convert_file(path, io.StringIO(), target)
            assert report.streamed, report.reason
            assert report.items >= 2
            assert gc.collect() == 0, f"{path.name}: the streamed read left reference cycles"
        finally:
            if enabled:
                gc.enable()


@pytest.mark.parametrize("spelling", ["crossref", "Crossref", "CROSSREF", "xdata", "XData"])
@pytest.mark.parametrize("accent", ["", "Gödel "])  # a non-ASCII text is searched another way
def test_every_spelling_of_a_reference_finds_its_parent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        spelling: str, accent: str) -> None:
    """The index finds crossref/xdata fields in any letter case (BibTeX ignores it), and only as
    field names: ``mycrossref`` and ``crossref-note`` name no parent."""
    monkeypatch.setattr(textstream, "BATCH_CHARS", 300)
    path = tmp_path / "r.bib"
    path.write_text("".join(f"@inproceedings{{k{i}, title = {{{accent}Paper {i}}}, {spelling} = {{proc}},\n"
                            f"  mycrossref = {{other{i}}}, note = {{crossref-note = x}}}}\n\n" for i in range(12))
                    + "@misc{broken,\n@proceedings{proc, booktitle = {Proceedings}, publisher = {ACM}, year = 1999}\n"
                    + "".join(f"@misc{{other{i}, title = {{Not a parent}}}}\n" for i in range(12)), encoding="utf-8")
    library = load_file(path)
    assert library.items[0].fields["publisher"] == "ACM"  # inherited
    assert "title" not in library.items[0].fields or library.items[0].fields["title"] != "Not a parent"
    _assert_streams_as_whole(path, diagnostics=True)
