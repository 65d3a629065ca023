"""A .bib stays the user's .bib (issue 12): a .bib -> .bib write gives back every field as
written, except what the command changed; crossref children stay children, macros stay
macros; --normalize / --expand-strings / --inline-crossref do what they say."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import bibtools
from bibtools.cli import main
from bibtools.model import Name

from conftest import CORPORA

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import bib_fidelity  # noqa: E402

KERNIGHAN = r"""@string{j-CACM = "Communications of the ACM"}
@Article{Kernighan:1975:STM, author = "Brian W. Kernighan and Lorinda L. Cherry",
  title = "A System for Typesetting Mathematics with \texttt{eqn} -- {TeX} book", journal = j-CACM,
  year = "1975", date = "15/05/84", month = "Winter", keyword = "documentation",
  keywords = "typesetting; mathematics", isbn = "", numpages = "9", opteditor = {Someone}, crossref = "proc" }
@Proceedings{proc, title = {Proc}, year = 1975, publisher = {ACM}}
"""


def _entry(text: str, key: str) -> str:
    start = text.index("{" + key + ",")
    return text[start:text.index("\n}", start)]


def _convert(tmp_path: Path, text: str, *args: str) -> str:
    src = tmp_path / "x.bib"
    src.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["convert", str(src), *args], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return result.stdout


@pytest.mark.parametrize("target", ["bibtex", "biblatex"])
def test_the_issue_example_comes_back_as_written(tmp_path: Path, target: str) -> None:
    out = _convert(tmp_path, KERNIGHAN, "--to", target)
    child = _entry(out, "Kernighan:1975:STM")
    for line in ['author = "Brian W. Kernighan and Lorinda L. Cherry"',
                 r'title = "A System for Typesetting Mathematics with \texttt{eqn} -- {TeX} book"',
                 "journal = j-CACM", 'year = "1975"', 'date = "15/05/84"', 'month = "Winter"',
                 'keyword = "documentation"', 'keywords = "typesetting; mathematics"', 'isbn = ""',
                 'numpages = "9"', "opteditor = {Someone}", 'crossref = "proc"']:
        assert f"  {line}," in child, line
    assert "publisher" not in child  # inherited from the parent, not copied into the child
    assert out.startswith('@string{j-CACM = "Communications of the ACM"}')
    assert "@Article{Kernighan:1975:STM," in out and "@Proceedings{proc," in out


def test_expand_strings_and_inline_crossref(tmp_path: Path) -> None:
    out = _convert(tmp_path, KERNIGHAN, "--to", "bibtex", "--expand-strings", "--inline-crossref")
    child = _entry(out, "Kernighan:1975:STM")
    assert "journal = {Communications of the ACM}," in child and "publisher = {ACM}," in child
    assert 'crossref = "proc",' in child and 'year = "1975",' in child


def test_normalize_rewrites_from_the_model(tmp_path: Path) -> None:
    out = _convert(tmp_path, KERNIGHAN, "--to", "bibtex", "--normalize")
    child = _entry(out, "Kernighan:1975:STM")
    assert "author = {Kernighan, Brian W. and Cherry, Lorinda L.}," in child
    assert "journal = {Communications of the ACM}," in child


def test_a_command_changes_only_what_it_changes() -> None:
    library = bibtools.load_string(KERNIGHAN, "bibtex")
    item = library["Kernighan:1975:STM"]
    item["DOI"] = "10.1145/360680.360684"  # what enrich adds
    item.authors.append(Name(family="Aho", given="Alfred V."))  # edited in place: still seen
    item.id = "kernighan1975"  # what keys --rekey does
    out = bibtools.dump(library, "bibtex")
    child = _entry(out, "kernighan1975")
    assert "doi = {10.1145/360680.360684}," in child
    assert "author = {Kernighan, Brian W. and Cherry, Lorinda L. and Aho, Alfred V.}," in child
    assert "journal = j-CACM," in child and 'keyword = "documentation",' in child and 'isbn = "",' in child
    # the regenerated field takes the place of the one it was read from
    lines = [line.split("=")[0].strip() for line in child.splitlines()[1:]]
    assert lines[0] == "author"


def test_string_values_keep_their_outer_spaces() -> None:
    text = '@string{STOC = " Symposium on the Theory of Computing"}\n@book{k, title = "ACM" # STOC}\n'
    assert bibtools.load_string(text, "bibtex")["k"].title == "ACM Symposium on the Theory of Computing"
    xampl = bibtools.load(str(CORPORA / "reference" / "xampl.bib")) if (CORPORA / "reference").is_dir() else None
    if xampl is not None:
        assert xampl["inproceedings-full"].get("container-title").startswith("Proc. Fifteenth Annual ACM Symposium")


def test_classic_output_of_biblatex_fields_is_renamed_and_reported(tmp_path: Path) -> None:
    src = tmp_path / "b.bib"
    src.write_text("@online{o, title={T}, date={2020-05-03}, journaltitle={J}, location={Berlin}}\n"
                   "@article{a, title={U}, journal={K}, journaltitle={Kept apart}, year={2001}}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["convert", str(src), "--to", "bibtex", "--report"], catch_exceptions=False)
    o, a = _entry(result.stdout, "o"), _entry(result.stdout, "a")
    assert "journal = {J}," in o and "address = {Berlin}," in o and "year = {2020}," in o and "date" not in o
    assert "journaltitle written as journal" in result.stderr and "location written as address" in result.stderr
    assert "journal = {K}," in a and "journaltitle = {Kept apart}," in a  # the classic name is taken: kept
    back = bibtools.load_string(result.stdout, "bibtex")
    assert back["o"].get("container-title") == "J" and back["o"].year == 2020


def test_bare_latex_specials_are_escaped_and_reported() -> None:
    library = bibtools.load_string("@book{k, title = {Taylor & Francis 50% C#}, url = {http://x.org/a%20b#c}}\n", "bibtex")
    losses: list = []
    out = bibtools.dump(library, "bibtex", losses=losses)
    assert r"title = {Taylor \& Francis 50\% C\#}," in out and "url = {http://x.org/a%20b#c}," in out
    assert any("bare & % #" in d.message for d in losses)
    assert bibtools.load_string(out, "bibtex")["k"].title == library["k"].title


@pytest.mark.corpus
@pytest.mark.parametrize("path", bib_fidelity.corpus_files(), ids=lambda p: p.name)
def test_same_dialect_round_trip_keeps_every_field(path: Path) -> None:
    result = bib_fidelity.measure(path)
    print(f"\n[fidelity] {path.name}: {result.entries} entries, {result.fields} fields, {len(result.lost)} lost, "
          f"{result.neutralised} neutralised, {result.commented} commented out, {result.added} added")
    assert result.entries > 0
    assert result.missing_entries == []
    assert result.lost == [], result.lost[:5]
