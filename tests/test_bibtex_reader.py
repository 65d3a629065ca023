import pytest

import bibtools
from bibtools.model import Date, Name
from bibtools.text.bibnames import AND_OTHERS_KEY


@pytest.fixture(scope="module")
def features(fixtures):
    return bibtools.load(str(fixtures / "features.bib"), passes=())  # the reader alone, no post-read passes


def test_strings_concatenation_and_crossref_inheritance(features):
    child = features["child"]
    assert child.type == "paper-conference" and child.origin.native_type == "conference"
    assert child.origin.line == 7
    # BibLaTeX's rule: the parent's title becomes the child's booktitle
    assert child["container-title"] == "Proceedings of the ACM Symposium 2001"
    assert child["publisher"] == "ACM" and child["publisher-place"] == "New York"
    assert child["editor"] == [Name(family="Doe", given="Jane")]
    assert child["issued"] == Date(parts=((2001, 6),))
    assert child["page"] == "10-20"


def test_text_names_and_unknown_fields(features):
    child = features["child"]
    assert child.title == 'A <span class="nocase">DNA</span> Study of <span class="nocase">$\\alpha$</span>-Helices'
    assert child.authors == [Name(family="Smith", given="John")]
    assert child.extra[AND_OTHERS_KEY] == "author"
    assert child.extra["mynote"] == "Kept & written back"
    assert child.extra["crossref"] == "parent"
    # verbatim fields are never decoded
    assert child["URL"] == "https://example.org/a_b%20c?x=1&y=2"
    assert child["DOI"] == "10.1000/a_b%c"


def test_xdata_missing_crossref_and_dates(features):
    item = features["withxdata"]
    assert item["publisher"] == "Shared Press" and item["publisher-place"] == "Berlin"
    missing = [d for d in features.diagnostics if d.code == "bibtex.crossref-missing"]
    assert [(d.key, d.line) for d in missing] == [("withxdata", 27)]
    dated = features["dated"]
    assert dated.type == "webpage"
    assert dated["issued"] == Date(parts=((2019, 5),), circa=True)
    assert dated["accessed"] == Date(parts=((2020, 1, 2),))


def test_file_level_blocks_are_kept(features):
    assert features.preambles == ['"\\newcommand{\\noopsort}[1]{}" # "\\newcommand{\\SortNoop}[1]{}"']
    assert features.strings == {"acm": "ACM", "procs": "Proceedings of the ACM Symposium"}
    assert features.comments == ["jabref-meta: databaseType:biblatex;"]


def test_broken_input_is_reported_not_raised(fixtures):
    lib = bibtools.load(str(fixtures / "broken.bib"), passes=())
    assert lib.keys() == ["good1", "mismatched", "nocomma", "unclosed", "good2", "good1", "dupfield"]
    codes = {(d.code, d.line) for d in lib.diagnostics}
    assert ("bibtex.recovered", 7) in codes and ("bibtex.recovered", 18) in codes
    assert ("bibtex.missing-comma", 12) in codes
    assert ("bibtex.duplicate-key", 27) in codes
    assert ("bibtex.syntax", 31) in codes
    assert ("bibtex.duplicate-field", 33) in codes
    assert ("bibtex.undefined-macro", 24) in codes
    assert lib["nocomma"].authors == [Name(family="Doe", given="Jane")]
    assert lib["dupfield"].title == "One"
    assert all(d.source.endswith("broken.bib") and d.message for d in lib.diagnostics)


@pytest.mark.parametrize("text", ["", "@", "@article{", "@article{x, title = {unclosed", "}}}{{{", "@string{x = }", "\x00\xff@@@{,,,}"])
def test_garbage_never_raises(text):
    lib = bibtools.load_string(text, "bibtex")
    assert isinstance(lib.items, list)


def test_detects_bibtex_by_content():
    lib = bibtools.load_string("@article{k, title={T}, journaltitle={J}, date={2001}}")
    assert lib["k"]["container-title"] == "J"
    assert lib["k"].origin.format == "biblatex"


def test_verbatim_fields_are_kept_as_written(features):
    item = features["files"]
    assert item.extra["file"] == r":C\:\\Users\\me\\a_b {x}.pdf:PDF"
    assert item.extra["eprint"] == "hep-th/9901001"
    assert item.extra["bdsk-url-1"] == "https://ex.org/~me/a_b%7E"
    for dialect in ("bibtex", "biblatex"):
        text = bibtools.dump(bibtools.Library([item]), dialect, ascii=True)
        assert r"file = {:C\:\\Users\\me\\a_b {x}.pdf:PDF}," in text
        assert "bdsk-url-1 = {https://ex.org/~me/a_b%7E}," in text
