"""The normalisation pass: identifiers and pages cleaned, bad checksums reported, nothing invented."""
import json

import bibtools
from bibtools import Item, Library
from bibtools.normalize import normalize
from bibtools.passes import DEFAULT_PASSES


def _lib(**fields):
    extra = fields.pop("extra", {})
    return Library([Item(id="k", type="article-journal", fields=dict(fields), extra=dict(extra))])


def test_it_is_a_default_pass_and_runs_on_load():
    assert "bibtools.normalize.normalize" in DEFAULT_PASSES
    text = json.dumps([{"id": "a", "type": "book", "DOI": "https://doi.org/10.1000/ABC", "page": "3--9"}])
    item = bibtools.load_string(text, "csljson")["a"]
    assert item["DOI"] == "10.1000/abc" and item["page"] == "3\u20139"
    raw = bibtools.load_string(text, "csljson", passes=())["a"]
    assert raw["DOI"] == "https://doi.org/10.1000/ABC"


def test_identifiers_are_cleaned():
    lib = _lib(DOI="doi:10.1103/PhysRevLett.116.061102", ISBN="ISBN 0-306-40615-2; 978-3-16-148410-0",
               ISSN="0028 0836", PMID="PMID: 26017442", PMCID="pmc5815332", page="436 - 444")
    normalize(lib)
    item = lib.items[0]
    assert item["DOI"] == "10.1103/physrevlett.116.061102"
    assert item["ISBN"] == "0306406152, 9783161484100"
    assert item["ISSN"] == "0028-0836"
    assert (item["PMID"], item["PMCID"], item["page"]) == ("26017442", "PMC5815332", "436\u2013444")
    assert not lib.diagnostics


def test_isbn_list_separated_by_spaces():
    lib = _lib(ISBN="978-0-226-46713-9 978-0-226-46734-4")
    normalize(lib)
    assert lib.items[0]["ISBN"] == "9780226467139, 9780226467344" and not lib.diagnostics


def test_bad_checksums_and_non_dois_are_reported_and_kept():
    lib = _lib(DOI="not-a-doi", ISBN="978-3-16-148410-1", ISSN="0028-0837")
    normalize(lib)
    item = lib.items[0]
    assert (item["DOI"], item["ISBN"], item["ISSN"]) == ("not-a-doi", "978-3-16-148410-1", "0028-0837")
    assert sorted(d.code for d in lib.diagnostics) == ["normalize.bad-doi", "normalize.bad-isbn", "normalize.bad-issn"]
    assert all(d.severity.value == "warning" and d.key == "k" for d in lib.diagnostics)


def test_arxiv_ids_found_in_doi_url_number_and_eprint():
    cases = [
        ({"DOI": "10.48550/arXiv.2302.06354"}, {}, "2302.06354"),
        ({"URL": "https://arxiv.org/pdf/astro-ph/0601001v3"}, {}, "astro-ph/0601001v3"),
        ({"number": "arXiv:2104.12255"}, {}, "2104.12255"),
        ({}, {"eprint": "arXiv:1605.08386v1", "archiveprefix": "arXiv"}, "1605.08386v1"),
        ({}, {"eprint": "quant-ph/0201082"}, "quant-ph/0201082"),
    ]
    for fields, extra, expected in cases:
        lib = _lib(**fields, extra=extra)
        normalize(lib)
        assert lib.items[0].extra["eprint"] == expected
        assert lib.items[0].extra["archiveprefix"] == "arXiv"


def test_existing_eprint_wins_and_other_archives_are_left_alone():
    lib = _lib(DOI="10.48550/arXiv.1111.11111", extra={"eprint": "2302.06354", "archiveprefix": "arXiv"})
    normalize(lib)
    assert lib.items[0].extra["eprint"] == "2302.06354"
    lib = _lib(extra={"eprint": "hep/123", "archiveprefix": "JSTOR"})
    normalize(lib)
    assert lib.items[0].extra == {"eprint": "hep/123", "archiveprefix": "JSTOR"}


def test_nothing_is_invented():
    lib = _lib(title="Only a title")
    normalize(lib)
    item = lib.items[0]
    assert item.fields == {"title": "Only a title"} and item.extra == {} and not lib.diagnostics


def test_issn_lists():
    lib = _lib(ISSN="0028-0836 1476-4687")
    normalize(lib)
    assert lib.items[0]["ISSN"] == "0028-0836, 1476-4687" and not lib.diagnostics


def test_labelled_issns_and_slash_separated_isbns():
    lib = _lib(ISSN="0377-2217 (print) 1872-6860 (electronic)", ISBN="0-306-40615-2 /0-306-40615-2")
    normalize(lib)
    item = lib.items[0]
    assert item["ISSN"] == "0377-2217, 1872-6860" and item["ISBN"] == "0306406152" and not lib.diagnostics
