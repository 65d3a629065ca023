"""Real corpus files, damaged the ways files get damaged: every problem is reported, located."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from bibtexparser.splitter import Splitter
from hypothesis import given
from hypothesis import strategies as st

from fuzz_harness import FUZZ, read_and_lint
from bibtools.diagnostics import Severity

CORPORA = Path(__file__).resolve().parents[2].parent / "shared" / "corpora"
SAMPLES = [
    "reference/xampl.bib",
    "messy/bibtexparser-v1-tests-data/traps.bib",
    "messy/bibtexparser-v1-tests-data/features.bib",
    "messy/jabref-complex.bib",
    "messy/bbt-import-fixtures/Better BibTeX.014.bib",
    "csl-json/manubot-nature-news-references.json",
    "ris/rispy-tests-data/example_full.ris",
    "ris/jabref-ris-importer-tests/RisImporterCorrupted.ris",
    "listings/paper-index-author-page.txt",
    "crossref/crossref-transform-bibtex-frank1970.bib",
]

pytestmark = pytest.mark.corpus


def _sample(name: str) -> bytes:
    return (CORPORA / name).read_bytes()


@st.composite
def mutated(draw) -> tuple[str, bytes]:
    name = draw(st.sampled_from(SAMPLES))
    data = _sample(name)
    op = draw(st.sampled_from(["cut-brace", "stray-at", "truncate", "random-bytes", "encoding", "duplicate-line",
                               "swap-quotes", "nul"]))
    if op == "cut-brace":
        spots = [m.start() for m in re.finditer(rb"[{}\[\]]", data)]
        if spots:
            at = draw(st.sampled_from(spots))
            data = data[:at] + data[at + 1 :]
    elif op == "stray-at":
        at = draw(st.integers(min_value=0, max_value=len(data)))
        data = data[:at] + draw(st.sampled_from([b"\n@", b"@", b"\n@article{", b"\n@string{x = "])) + data[at:]
    elif op == "truncate":
        data = data[: draw(st.integers(min_value=0, max_value=len(data)))]
    elif op == "random-bytes":
        at = draw(st.integers(min_value=0, max_value=len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=64)) + data[at:]
    elif op == "encoding":
        text = data.decode("utf-8", errors="replace")
        codec = draw(st.sampled_from(["utf-16-le", "utf-16-be", "utf-16", "cp1252", "latin-1", "utf-32"]))
        data = text.encode(codec, errors="replace")
        if draw(st.booleans()):
            data = b"% Encoding: UTF-8\n" + data  # a header that lies
    elif op == "duplicate-line":
        lines = data.split(b"\n")
        at = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        lines.insert(at, lines[at])
        data = b"\n".join(lines)
    elif op == "swap-quotes":
        data = data.replace(b"{", b'"', draw(st.integers(min_value=1, max_value=3)))
    else:
        at = draw(st.integers(min_value=0, max_value=len(data)))
        data = data[:at] + b"\x00" + data[at:]
    return name, data


@FUZZ
@given(mutated())
def test_mutated_corpus_files(case: tuple[str, bytes]) -> None:
    name, data = case
    read_and_lint(data, Path(name).name)


def _entries(text: str):
    blocks = Splitter(text).split().blocks
    return [b for b in blocks if hasattr(b, "fields") and b.raw and b.raw.rstrip().endswith("}")]


XAMPL = "reference/xampl.bib"


@FUZZ
@given(st.data())
def test_an_entry_without_its_closing_brace_is_reported_at_that_entry(data) -> None:
    text = _sample(XAMPL).decode("utf-8")
    entries = _entries(text)
    entry = data.draw(st.sampled_from(entries))
    start = text.index(entry.raw)
    close = start + len(entry.raw.rstrip()) - 1
    assert text[close] == "}"
    damaged = text[:close] + text[close + 1 :]
    first_line = text.count("\n", 0, start) + 1
    last_line = text.count("\n", 0, close) + 1
    library, findings = read_and_lint(damaged.encode("utf-8"), "xampl.bib")
    located = [f for f in findings if f.rule in ("BT013", "BT018") and f.line is not None]
    assert any(first_line <= f.line <= last_line + 1 for f in located), (entry.key, first_line, findings)
    if library is not None and library.diagnostics is not None and _reader_is_bibtex(library):
        problems = [d for d in library.diagnostics if d.severity is not Severity.INFO and d.line is not None]
        assert any(first_line <= d.line <= last_line + 2 for d in problems), (entry.key, library.diagnostics)


def _reader_is_bibtex(library) -> bool:
    return any(item.origin is not None and item.origin.format in ("bibtex", "biblatex") for item in library.items)
