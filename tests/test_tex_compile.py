"""The .bib files bibtools writes compile with the real programs (issue 12).

For each input kind (an author-page listing, RIS, CSL-JSON, Crossref, arXiv, Web of
Science, other .bib files) one ``\\nocite{*}`` document is compiled: the classic
dialect with ``pdflatex`` + ``bibtex`` under ``plain.bst`` and ``plainnat.bst``, the
BibLaTeX dialect with ``pdflatex`` + ``biber``. Each must give 0 errors; the warning
counts are printed (``pytest -s``) for the record.

Two things are not bibtools' to fix, and are checked instead of ignored:
- characters the document's fonts lack (Cyrillic without T2A, CJK, Greek prose,
  mojibake control characters): the classic writer must have *reported* each one
  in its losses; the document then gives them a stand-in so they hide no other error;
- a .bib input's own macros and options (``\\partedit`` from biblatex-chicago,
  ``nametemplates=cjk``): an undefined command is accepted only if the input file
  itself uses it, a biber error only if biber gives it on the input file as well.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import bibtools
from bibtools.model import Library
from bibtools.text.latex import char_to_latex, unsupported_chars
from bibtools.mappings.pdflatex import COMMAND_RANGES, RAW_RANGES

from conftest import CORPORA
from texrun import BIBER_PROGRAMS, BIBTEX_PROGRAMS, compile_biber, compile_bibtex, declare_characters, missing

pytestmark = [pytest.mark.tex, pytest.mark.corpus]

_NO_BIBTEX = missing(BIBTEX_PROGRAMS)
_NO_BIBER = missing(BIBER_PROGRAMS)
needs_bibtex = pytest.mark.skipif(bool(_NO_BIBTEX), reason=f"needs {', '.join(_NO_BIBTEX)} (Debian texlive-latex-base, texlive-bibtex-extra)")
needs_biber = pytest.mark.skipif(bool(_NO_BIBER), reason=f"needs {', '.join(_NO_BIBER)} (Debian biber, texlive-bibtex-extra)")

# The CSL test suite's items are hand-written edge cases: 100+ copies of an author-less
# "BookA" (1998) overflow plainnat's a, b, c... label suffixes (its int.to.chr$ stops at 127),
# a limit of the style whatever the .bib says. They run under plain.bst and biber.
_CSL_SUITE_ITEMS = "csl-json/csl-test-suite-input-items.json"


def _kind_files() -> dict[str, list[Path]]:
    c = CORPORA
    return {
        "listing": sorted((c / "listings").glob("*.txt")),
        "ris": [p for p in sorted((c / "ris").rglob("*.ris")) if p.name != "example_wos.ris"],
        "csljson": [c / "csl-json/bbt-export-fixtures-combined.csl.json", c / "csl-json/manubot-metaboverse-references.json",
                    c / "csl-json/manubot-nature-news-references.json", c / _CSL_SUITE_ITEMS],
        "crossref": sorted((c / "crossref").iterdir()),
        "arxiv": sorted((c / "arxiv/arxiv.py-fixtures").glob("*.xml")),
        "wos": sorted((c / "messy").glob("litsearchr-wos-*.bib")) + [c / "ris/rispy-tests-data/example_wos.ris"],
        "reference": sorted((c / "reference").glob("*.bib")),
    }


KINDS = ("listing", "ris", "csljson", "crossref", "arxiv", "wos", "reference")
_cache: dict[tuple[str, bool], Library] = {}


def _library(kind: str, for_plainnat: bool = False) -> Library:
    """Every file of a kind in one library. Files repeat each other's ids (and BBT's export
    repeats ids itself): one document needs unique keys, so repeats get a suffix here."""
    if (kind, for_plainnat) not in _cache:
        items, seen, preambles = [], set(), []
        for path in _kind_files()[kind]:
            if for_plainnat and path.as_posix().endswith(_CSL_SUITE_ITEMS):
                continue
            loaded = bibtools.load(str(path))
            preambles += [p for p in loaded.preambles if p not in preambles]  # xampl's \\noopsort...
            for item in loaded.items:
                base, n = item.id, 1
                while item.id.lower() in seen:
                    n += 1
                    item.id = f"{base}-{n}"
                seen.add(item.id.lower())
                items.append(item)
        assert items, kind
        _cache[kind, for_plainnat] = Library(items=items, preambles=preambles)
    return _cache[kind, for_plainnat]


def _source_text(kind: str) -> str:
    return "\n".join(p.read_text("utf-8", "replace") for p in _kind_files()[kind] if p.suffix == ".bib")


# "Not loaded": babel's \\foreignlanguage without babel (an input's own markup, kept as written)
_UNDEFINED = re.compile(r"^(?:Undefined control sequence|Not loaded)\. \(l\.\d+: (.*)\)$")
_COMMAND = re.compile(r"\\[A-Za-z@]+")


def _unexplained(errors: list[str], kind: str) -> list[str]:
    """pdflatex errors, less undefined commands the .bib input itself uses (its own macros)."""
    source = _source_text(kind)
    left = []
    for error in errors:
        m = _UNDEFINED.match(error)
        commands = _COMMAND.findall(m.group(1)) if m else []  # TeX shows the line up to the culprit
        # a long line is cut ("\\enqu..."): the command is then one the source has that starts so
        end = "" if m and m.group(1).endswith("...") and m.group(1)[:-3].endswith(commands[-1] if commands else "?") \
            else r"(?![A-Za-z@])"
        if commands and source and re.search(re.escape(commands[-1]) + end, source):
            continue
        left.append(error)
    return left


@needs_bibtex
@pytest.mark.parametrize("style", ["plain", "plainnat"])
@pytest.mark.parametrize("kind", KINDS)
def test_classic_bibtex_output_compiles(kind: str, style: str) -> None:
    library = _library(kind, for_plainnat=style == "plainnat")
    losses: list = []
    text = bibtools.dump(library, "bibtex", losses=losses)
    lacking = unsupported_chars(text)
    reported = "".join(d.message for d in losses if "cannot typeset" in d.message)
    assert not [c for c in lacking if c not in reported], "characters pdflatex cannot typeset were not reported"
    run = compile_bibtex(text, style, extra=declare_characters(lacking))
    print(f"\n[tex] {kind} bibtex/{style}: {len(library)} entries; {run.summary()}; "
          f"{len(lacking)} characters the fonts lack (reported)")
    assert run.errors["bibtex"] == [], run.errors["bibtex"][:5]
    assert _unexplained(run.errors["pdflatex"], kind) == [], run.errors["pdflatex"][:5]
    assert "bibtex wrote no .blg" not in run.errors["bibtex"]


_baseline_biber: dict[str, set[str]] = {}


def _input_biber_errors(kind: str) -> set[str]:
    """What biber says about the .bib inputs themselves, compiled as they are."""
    if kind not in _baseline_biber:
        source = _source_text(kind)
        _baseline_biber[kind] = set(compile_biber(source, extra=declare_characters(unsupported_chars(source))).errors["biber"]) if source else set()
    return _baseline_biber[kind]


@needs_biber
@pytest.mark.parametrize("kind", KINDS)
def test_biblatex_output_compiles_with_biber(kind: str) -> None:
    library = _library(kind)
    text = bibtools.dump(library, "biblatex")
    run = compile_biber(text, extra=declare_characters(unsupported_chars(text)))
    print(f"\n[tex] {kind} biber: {len(library)} entries; {run.summary()}")
    errors = run.errors["biber"]
    if errors:
        errors = [e for e in errors if e not in _input_biber_errors(kind)]
    assert errors == [], errors[:5]
    if not run.errors["biber"]:  # biber stopped: pdflatex saw no bibliography, nothing to check
        assert _unexplained(run.errors["pdflatex"], kind) == [], run.errors["pdflatex"][:5]


@needs_bibtex
def test_utf8_option_and_biblatex_keep_unicode() -> None:
    item = bibtools.load_string('[{"id": "g", "type": "article-journal", "title": "The β-decay of Я in 中文", '
                                '"author": [{"family": "UN DESA"}]}]', "csljson")
    classic = bibtools.dump(item, "bibtex")
    assert r"{\ensuremath{\beta}}" in classic and "Я" in classic and "中文" in classic  # no command exists for those
    assert "{{UN DESA}}" in classic and "UN DESA," not in classic
    for text in (bibtools.dump(item, "bibtex", utf8=True), bibtools.dump(item, "biblatex")):
        assert "β" in text and "ensuremath" not in text


def _ranges_chars(ranges) -> list[str]:
    return [chr(cp) for a, b in ranges for cp in range(a, b + 1)]


@needs_bibtex
def test_measured_character_tables_still_hold() -> None:
    """``mappings.pdflatex`` against this machine's pdflatex: every character it says typesets
    (as UTF-8, or as its command) does, and characters it leaves out really fail."""
    raw = _ranges_chars(RAW_RANGES)
    commands = [char_to_latex(c) for c in _ranges_chars(COMMAND_RANGES)]
    assert len(raw) > 300 and len(commands) > 300
    body = "".join(f"X{t}X\n\n" for t in raw + commands)  # one paragraph each, as they were measured
    bib = "@misc{table, note = {see the document}}\n"
    run = compile_bibtex(bib, "plain", body=body)
    assert run.errors["pdflatex"] == [], run.errors["pdflatex"][:5]
    for outside in ("Я", "中", "\u2205", "\u0283"):
        assert unsupported_chars(outside) == outside
        failing = compile_bibtex(bib, "plain", body=f"X{outside}X\n\n")
        assert failing.errors["pdflatex"], f"{outside!r} is left out of the tables but pdflatex typesets it"
