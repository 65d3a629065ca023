"""Every .bib file in the shared corpora: loads, every @ block is accounted for, and
BibTeX -> model -> BibTeX -> model is lossless in both dialects."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

import bibtools
from bibtools.model import Date, Library
from bibtools.textio import decode

from bibblocks import at_blocks
from conftest import CORPORA

BIB_FILES = sorted(CORPORA.rglob("*.bib")) if CORPORA.is_dir() else []
# The large files (1-13 MB) are loaded whole for the block accounting, but
# round-tripped on a prefix only: four more parses of 24 MB would take minutes in CI.
ROUND_TRIP_PREFIX = 300_000


def _normal(library: Library) -> list[tuple]:
    """Items as comparable data: dates and names in their CSL shape (``raw`` dropped)."""
    out = []
    for item in library.items:
        fields = {}
        for var, value in item.fields.items():
            if isinstance(value, Date):
                value = value.to_csl()
            elif isinstance(value, list):
                value = [n.to_csl() for n in value]
            fields[var] = value
        out.append((item.id, item.type, fields, dict(item.extra)))
    return out


def _prefix(text: str, size: int) -> str:
    """The text up to the first line-start @ block after ``size`` characters."""
    if len(text) <= size:
        return text
    cut = text.find("\n@", size)
    return text if cut < 0 else text[: cut + 1]


def _check_accounting(text: str, library: Library) -> None:
    blocks = at_blocks(text)
    errors = Counter(d.line for d in library.diagnostics if d.code == "bibtex.syntax")
    by_kind: dict[str, list[int]] = {"string": [], "preamble": [], "comment": [], "entry": []}
    for line, kind in blocks:
        by_kind[kind if kind in ("string", "preamble", "comment") else "entry"].append(line)
    failed = {kind: sum(errors[line] for line in set(lines)) for kind, lines in by_kind.items()}
    assert sum(failed.values()) == sum(errors.values()), "a syntax error is not at any @ block"
    entry_lines = sorted(by_kind["entry"])
    accounted = sorted([item.origin.line for item in library.items]
                       + [line for line in errors.elements() if line in set(entry_lines)])
    assert accounted == entry_lines, "entries + reported problems differ from the @ entry blocks"
    redefined = sum(1 for d in library.diagnostics if d.code == "bibtex.duplicate-string")
    assert len(library.strings) + redefined + failed["string"] == len(by_kind["string"])
    assert len(library.preambles) + failed["preamble"] == len(by_kind["preamble"])
    assert len(library.comments) + failed["comment"] == len(by_kind["comment"])


@pytest.mark.corpus
@pytest.mark.slow
@pytest.mark.parametrize("path", BIB_FILES, ids=lambda p: str(p.relative_to(CORPORA)))
def test_bib_file_loads_accounts_and_round_trips(path: Path) -> None:
    text = decode(path.read_bytes(), source=str(path)).text
    library = bibtools.load_string(text, "bibtex", source=str(path))
    _check_accounting(text, library)
    for diag in library.diagnostics:
        assert diag.source == str(path) and diag.message

    if "large" in path.parts:
        library = bibtools.load_string(_prefix(text, ROUND_TRIP_PREFIX), "bibtex", source=str(path))
    first = _normal(library)
    # the classic dialect is written LaTeX-escaped ASCII, BibLaTeX as UTF-8: both paths are covered
    for dialect, ascii in (("bibtex", True), ("biblatex", False)):
        written = bibtools.dump(library, dialect, ascii=ascii)
        again = bibtools.load_string(written, "bibtex", source="<round trip>")
        assert not again.errors, [str(d) for d in again.errors[:3]]
        assert _normal(again) == first, f"{dialect} round trip changed the items"
        assert bibtools.dump(again, dialect, ascii=ascii) == written, f"{dialect} output is not stable"


@pytest.mark.corpus
def test_corpus_walk_found_the_files() -> None:
    assert len(BIB_FILES) >= 250
