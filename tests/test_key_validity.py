"""Keys that BibTeX or biber reject or mis-read are made valid when a .bib is written,
the change is reported, and no entry is lost on the way back in (issue 13).

The character set was found by running BibTeX 0.99d, biber and bibtexparser 2 on
``@book{a<c>b, ...}`` for each character; the BibTeX/biber checks below re-run that.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

import bibtools
from bibtools.cli import main
from bibtools.keys import bibtex_key, is_bibtex_key

# Characters BibTeX, biber or bibtools' reader reject, cut at, or mis-read in a key.
BAD = ["=", ",", "{", "}", " ", "\t", "#", "%", '"', "\\", "~", "(", ")", "'"]
# Characters all of them take (kept as they are).
GOOD = ["-", "_", ":", ".", "/", "+", "&", "@", "!", "?", "[", "]", ";", "*", "<", ">", "|", "`", "ü", "$", "^"]

CSL_IDS = [f"id{c}{i}" for i, c in enumerate(BAD)] + ["Smith 2020", "doi:10.1002/(SICI)1097-4636", "a = b, c", "{x}", "  "]


def _run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _csl_file(tmp_path: Path) -> Path:
    path = tmp_path / "ids.json"
    items = [{"id": key, "type": "book", "title": f"Title {n}", "author": [{"family": "Doe", "given": "J."}],
              "publisher": "P", "issued": {"date-parts": [[2000 + n]]}} for n, key in enumerate(CSL_IDS)]
    path.write_text(json.dumps(items), encoding="utf-8")
    return path


def test_csljson_to_bib_and_back_keeps_every_entry(tmp_path: Path) -> None:
    out = tmp_path / "ids.bib"
    result = _run("convert", str(_csl_file(tmp_path)), "--to", "bibtex", "-o", str(out), "--report")
    assert result.exit_code in (0, 1), result.output
    back = bibtools.load(str(out))
    assert sorted(item.title for item in back) == sorted(f"Title {n}" for n in range(len(CSL_IDS)))
    assert all(is_bibtex_key(k) for k in back.keys())
    assert not [d for d in back.diagnostics if d.code == "bibtex.syntax"]
    # each changed key is reported, with the key as it was and as written
    for key in CSL_IDS:
        if not key.strip():
            continue
        assert f"the key {key!r} is not a valid BibTeX key; written as {bibtex_key(key)!r}" in result.stderr


def test_valid_keys_are_kept_as_they_are() -> None:
    for c in GOOD:
        key = f"a{c}b"
        assert bibtex_key(key) == key
        text = bibtools.dump(bibtools.Library([bibtools.Item(id=key, type="book", fields={"title": "T"})]), "bibtex")
        assert bibtools.load_string(text, "bibtex").keys() == [key]


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=0, max_size=12))
def test_any_key_is_written_so_that_it_reads_back(key: str) -> None:
    safe = bibtex_key(key)
    assert is_bibtex_key(safe) and bibtex_key(safe) == safe
    library = bibtools.Library([bibtools.Item(id=key, type="book", fields={"title": "Kept"}),
                                bibtools.Item(id="after", type="book", fields={"title": "After"})])
    back = bibtools.load_string(bibtools.dump(library, "bibtex"), "bibtex")
    assert back.keys() == [safe, "after"] and back[safe].title == "Kept"


def _bibtex_and_biber_read(bib: Path, tmp_path: Path) -> tuple[list[str], list[str]]:
    """The keys BibTeX and biber put in their .bbl for ``\\nocite{*}`` over ``bib``."""
    (tmp_path / "bt").mkdir()
    (tmp_path / "bt" / "refs.bib").write_text(bib.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "bt" / "doc.aux").write_text("\\relax\n\\citation{*}\n\\bibstyle{plain}\n\\bibdata{refs}\n")
    subprocess.run(["bibtex", "doc"], cwd=tmp_path / "bt", capture_output=True, timeout=120)
    bibtex_keys = re.findall(r"\\bibitem\{(.*)\}\n", (tmp_path / "bt" / "doc.bbl").read_text(encoding="utf-8"))
    (tmp_path / "bb").mkdir()
    (tmp_path / "bb" / "refs.bib").write_text(bib.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "bb" / "doc.tex").write_text(
        "\\documentclass{article}\\usepackage[backend=biber]{biblatex}\\addbibresource{refs.bib}"
        "\\begin{document}\\nocite{*}\\printbibliography\\end{document}\n")
    subprocess.run(["pdflatex", "-interaction=nonstopmode", "doc"], cwd=tmp_path / "bb", capture_output=True, timeout=300)
    run = subprocess.run(["biber", "doc"], cwd=tmp_path / "bb", capture_output=True, text=True, timeout=300)
    assert "ERROR" not in run.stdout, run.stdout
    biber_keys = re.findall(r"\\entry\{(.*?)\}\{", (tmp_path / "bb" / "doc.bbl").read_text(encoding="utf-8"))
    return bibtex_keys, biber_keys


@pytest.mark.skipif(not all(shutil.which(p) for p in ("bibtex", "biber", "pdflatex")),
                    reason="needs bibtex, biber and pdflatex (Debian texlive-bibtex-extra, biber)")
def test_bibtex_and_biber_read_every_written_key(tmp_path: Path) -> None:
    out = tmp_path / "ids.bib"
    _run("convert", str(_csl_file(tmp_path)), "--to", "biblatex", "-o", str(out))
    written = bibtools.load(str(out)).keys()
    bibtex_keys, biber_keys = _bibtex_and_biber_read(out, tmp_path)
    assert sorted(bibtex_keys) == sorted(written)
    assert sorted(biber_keys) == sorted(written)


def test_a_key_read_from_a_bib_is_kept_and_only_warned_about() -> None:
    # BibTeX takes these keys and the user's documents \cite them: renaming would break the documents
    text = "@book{Dobrovol'skii_1963, title={T}}\n@book{a~b(c), title={U}}\n"
    library = bibtools.load_string(text, "bibtex")
    written = bibtools.dump(library, "biblatex")
    assert bibtools.load_string(written, "biblatex").keys() == ["Dobrovol'skii_1963", "a~b(c)"]
    from bibtools.keys import written_key
    assert written_key(library["Dobrovol'skii_1963"]) == (
        "Dobrovol'skii_1963", "the key \"Dobrovol'skii_1963\" holds characters biber or LaTeX's \\cite may reject "
        "('); kept as written")
    # the same key from a CSL-JSON id is made valid
    item = bibtools.Item(id="Dobrovol'skii_1963", type="book", fields={"title": "T"})
    assert written_key(item) == ("Dobrovol_skii_1963",
                                 "the key \"Dobrovol'skii_1963\" is not a valid BibTeX key; written as 'Dobrovol_skii_1963'")
