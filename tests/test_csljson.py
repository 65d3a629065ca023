import json

import pytest

import bibtools
from bibtools import Date, Name


def test_csljson_reads_names_dates_and_keeps_unknown_keys():
    text = json.dumps([
        {"id": 7, "type": "article-journal", "title": "On <i>E. coli</i>",
         "author": [{"family": "Gogh", "given": "Vincent", "non-dropping-particle": "van"}, {"literal": "WHO"}],
         "issued": {"date-parts": [[2020, 5], [2021, 1]]}, "volume": 12, "my-field": "x"},
    ])
    lib = bibtools.load(text, "csljson")
    item = lib["7"]
    assert item.type == "article-journal"
    assert item.title == "On <i>E. coli</i>"
    assert item.authors == [Name(family="Gogh", given="Vincent", non_dropping_particle="van"), Name(literal="WHO")]
    assert item.issued == Date(parts=((2020, 5), (2021, 1)))
    assert item["volume"] == "12"
    assert item.extra == {"my-field": "x"}
    again = bibtools.load(bibtools.dump(lib, "csljson"), "csljson")
    assert again["7"].fields == item.fields and again["7"].extra == item.extra


@pytest.mark.parametrize("text, code", [
    ("", "csljson.empty"),
    ("{not json", "csljson.syntax"),
    ('"a string"', "csljson.shape"),
    ('[1, {"id": "a", "type": "book"}]', "csljson.shape"),
])
def test_csljson_wrong_shapes_are_reported_not_raised(text, code):
    lib = bibtools.load_string(text, "csljson", source="x.json")
    assert code in {d.code for d in lib.diagnostics}
    assert all(d.source == "x.json" for d in lib.diagnostics)


def test_raw_dates_are_parsed():
    lib = bibtools.load_string('[{"id": "a", "issued": {"raw": "2019-03/2019-04"}}]', "csljson")
    assert lib["a"].issued.parts == ((2019, 3), (2019, 4))
