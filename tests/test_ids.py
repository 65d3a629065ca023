import pytest

from bibtools.text.ids import (
    ArxivId,
    find_arxiv_id,
    isbn10_to_13,
    isbn_valid,
    issn_valid,
    normalize_doi,
    normalize_issn,
    normalize_pages,
    normalize_pmcid,
    normalize_pmid,
    parse_arxiv_id,
)


@pytest.mark.parametrize("raw, doi", [
    ("https://doi.org/10.1038/NATURE14539", "10.1038/nature14539"),
    ("http://dx.doi.org/10.1145/3395363.3397376", "10.1145/3395363.3397376"),
    ("doi:10.1103/PhysRevLett.116.061102", "10.1103/physrevlett.116.061102"),
    ("DOI: 10.1000/xyz123.", "10.1000/xyz123"),
    ("https://doi.org/10.1002/%28SICI%291097-4571", "10.1002/(sici)1097-4571"),
    ("10/fqd6hj", "10/fqd6hj"),
    ("not a doi", None),
    ("11.1000/x", None),
])
def test_normalize_doi(raw, doi):
    assert normalize_doi(raw) == doi


@pytest.mark.parametrize("text, expected", [
    ("2302.06354", ArxivId("2302.06354")),
    ("arXiv:2302.06354v2", ArxivId("2302.06354", 2)),
    ("astro-ph/0601001", ArxivId("astro-ph/0601001")),
    ("quant-ph/0201082v1", ArxivId("quant-ph/0201082", 1)),
    ("math.CO/0309136", ArxivId("math.CO/0309136")),
    ("0704.0001", ArxivId("0704.0001")),
    ("1234", None),
])
def test_parse_arxiv_id(text, expected):
    assert parse_arxiv_id(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("10.48550/arXiv.2302.06354", "2302.06354"),
    ("10.48550/ARXIV.2104.12255", "2104.12255"),
    ("https://arxiv.org/abs/2104.12255v1", "2104.12255v1"),
    ("https://arxiv.org/pdf/astro-ph/0601001v3.pdf", "astro-ph/0601001v3"),
    ("http://arxiv.org/abs/quant-ph/0201082v1", "quant-ph/0201082v1"),
    ("arXiv preprint arXiv:2302.06354, 2023", "2302.06354"),
    ("https://example.org/2302.06354", None),
])
def test_find_arxiv_id(text, expected):
    found = find_arxiv_id(text)
    assert (str(found) if found else None) == expected


@pytest.mark.parametrize("raw, pages", [
    ("1-50", "1\u201350"),
    ("1--50", "1\u201350"),
    ("1 \u2014 50", "1\u201350"),
    ("e1234-e1240", "e1234\u2013e1240"),
    ("S12-S19, 22-24", "S12\u2013S19, 22\u201324"),
    ("140501", "140501"),
    ("iii-xv and 1-5", "iii-xv and 1-5"),  # not a plain range: untouched
])
def test_normalize_pages(raw, pages):
    assert normalize_pages(raw) == pages


@pytest.mark.parametrize("isbn, ok", [
    ("978-3-16-148410-0", True),
    ("ISBN 0-306-40615-2", True),
    ("0-8044-2957-X", True),
    ("ISBN-13: 9780306406157", True),
    ("978-3-16-148410-1", False),
    ("0-306-40615-3", False),
    ("12345", False),
])
def test_isbn_checksum(isbn, ok):
    assert isbn_valid(isbn) is ok


def test_isbn10_to_13_gives_a_valid_isbn13():
    assert isbn10_to_13("0-306-40615-2") == "9780306406157"
    assert isbn_valid(isbn10_to_13("0-8044-2957-X"))


@pytest.mark.parametrize("issn, norm, ok", [
    ("0028-0836", "0028-0836", True),  # Nature
    ("00280836", "0028-0836", True),
    ("2049-3630", "2049-3630", True),
    ("0317-8471", "0317-8471", True),
    ("1050-124x", "1050-124X", True),
    ("0028-0837", "0028-0837", False),
    ("abc", None, False),
])
def test_issn(issn, norm, ok):
    assert normalize_issn(issn) == norm
    assert issn_valid(issn) is ok


def test_pubmed_ids():
    assert normalize_pmid("PMID: 12345678") == "12345678"
    assert normalize_pmid("x1") is None
    assert normalize_pmcid("pmc3531190") == "PMC3531190"
    assert normalize_pmcid("PMCID: PMC3531190") == "PMC3531190"
    assert normalize_pmcid("PMCX") is None


def test_doi_inside_other_resolver_and_publisher_urls():
    assert normalize_doi("https://doi.acm.org/10.1145/967900.968162") == "10.1145/967900.968162"
    assert normalize_doi("https://link.springer.com/article/10.1007/S10994-021-05946-3?utm=x") == "10.1007/s10994-021-05946-3"
    assert normalize_doi("http://example.org/page") is None


def test_find_issns_in_labelled_text():
    from bibtools.text.ids import find_issns
    assert find_issns("0377-2217 (print) 1872-6860 (electronic)") == ["0377-2217", "1872-6860"]
    assert find_issns("2214--7160") == ["2214-7160"]
    assert find_issns("no issn here 12345") == []
