"""Service lookups and searches against recorded answers served locally."""
from __future__ import annotations

import json

import pytest

from bibtools.net import sources as src
from bibtools.net.cache import Cache
from bibtools.net.http import HttpClient
from bibtools.net.ids import arxiv_of, classify, doi_of, item_arxiv, item_doi
from bibtools.model import Item, Name
from conftest import CORPORA
from enrich_world import serve_recorded_arxiv, serve_recorded_crossref
from localserver import LocalServer, Reply


@pytest.fixture
def server(monkeypatch):
    srv = LocalServer()
    monkeypatch.setenv("BIBTOOLS_CROSSREF_URL", srv.url)
    monkeypatch.setenv("BIBTOOLS_ARXIV_URL", srv.url + "/api")
    monkeypatch.setenv("BIBTOOLS_OPENALEX_URL", srv.url + "/openalex")
    monkeypatch.setenv("BIBTOOLS_S2_URL", srv.url + "/s2")
    yield srv
    srv.stop()


@pytest.fixture
def http(tmp_path):
    with HttpClient(cache=Cache(tmp_path / "c.sqlite3"), rates={"crossref": 0, "arxiv": 0, "openalex": 0, "s2": 0}, retries=0, timeout=2) as client:
        yield client


@pytest.mark.corpus
def test_every_recorded_crossref_work_is_read(server, http):
    known = serve_recorded_crossref(server, CORPORA)
    assert len(known) == 14
    for doi, message in known.items():
        lookup = src.crossref_work(http, doi)
        assert lookup.status == "ok", (doi, lookup.message, lookup.diagnostics)
        (item,) = lookup.items
        assert item_doi(item).lower() == doi.lower()
        expected_title = " ".join(message["title"][0].split()) if message.get("title") else None
        if expected_title:
            assert item.title and item.title.split()[0].lower() in expected_title.lower()


@pytest.mark.corpus
def test_recorded_crossref_work_list_gives_candidates(server, http):
    lists = json.loads((CORPORA / "crossref" / "habanero-crossref-work-lists.json").read_text(encoding="utf-8"))
    answer = next(r["response"] for r in lists if "query=ecology&query.author=carl+boettiger" in r["uri"])
    server.routes["/works"] = Reply(200, json.dumps(answer))
    lookup = src.crossref_search(http, src.Query(title="ecology", authors=("Boettiger",)))
    assert lookup.status == "ok"
    expected = [w["DOI"].lower() for w in answer["message"]["items"]]
    assert [item_doi(i).lower() for i in lookup.items] == expected
    (_, query, _), = server.requests
    assert query["query.bibliographic"] == "ecology" and query["query.author"] == "Boettiger"


@pytest.mark.corpus
def test_recorded_arxiv_feeds(server, http):
    serve_recorded_arxiv(server, CORPORA)
    ok = src.arxiv_entries(http, ["astro-ph/0601001"])
    assert ok.status == "ok" and ok.items[0].title.startswith("Frequency of Hot Jupiters")
    assert item_arxiv(ok.items[0]) == "astro-ph/0601001"
    assert src.arxiv_entries(http, ["0000.0000"]).status == "not-found"  # empty feed
    assert src.arxiv_entries(http, ["abc"]).status == "not-found"  # 400 with an error entry


def test_malformed_and_wrong_answers(server, http):
    server.routes["/works/10.5555/cut"] = Reply(200, '{"status":"ok","message":')
    server.routes["/works/10.5555/html"] = Reply(200, "<html><body>Service maintenance</body></html>", content_type="text/html")
    server.routes["/api/query"] = Reply(200, "<feed><entry>unclosed", content_type="application/atom+xml")
    server.routes["/works/10.5555/teapot"] = Reply(418, "")
    cut = src.crossref_work(http, "10.5555/cut")
    assert cut.status == "error" and cut.diagnostics and not cut.items
    assert src.crossref_work(http, "10.5555/html").status == "error"
    assert src.arxiv_entries(http, ["2101.00001"]).status == "error"
    assert src.crossref_work(http, "10.5555/teapot").status == "error"
    assert src.crossref_work(http, "10.5555/absent").status == "not-found"


def test_offline_miss_is_a_status(server, tmp_path):
    with HttpClient(cache=Cache(tmp_path / "c.sqlite3"), offline=True) as client:
        assert src.crossref_work(client, "10.5555/x").status == "offline-miss"
    assert server.count() == 0


def test_search_requests_have_the_documented_shape(server, http):
    query = src.query_for(
        Item("k", "article", {"author": [Name(family="Malach", given="Eran"), Name(family="Shalev-Shwartz", given="Shai")], "abstract": "Convolutional neural networks (CNN) exhibit \\emph{unmatched} performance in a multitude of computer vision tasks."})
    )
    assert query.title is None and query.fragment.startswith("Convolutional neural networks (CNN) exhibit unmatched performance")
    for service in src.ALL_SOURCES:
        src.search(http, service, query, rows=3)
    got = {path: q for path, q, _ in server.requests}
    assert got["/works"]["query.author"] == "Malach Shalev-Shwartz" and got["/works"]["rows"] == "3"
    assert got["/api/query"]["search_query"].startswith("au:Malach AND au:Shalev-Shwartz AND abs:\"Convolutional neural networks")
    assert "Convolutional" in got["/openalex/works"]["search"] and got["/openalex/works"]["per-page"] == "3"
    assert got["/s2/graph/v1/paper/search"]["limit"] == "3" and "abstract" in got["/s2/graph/v1/paper/search"]["fields"]
    titled = src.query_for(Item("t", "article", {"title": "On <i>Deep</i> Nets", "author": [Name(family="Doe")]}))
    assert titled.title == "On Deep Nets" and titled.authors == ("Doe",)
    assert src.query_for(Item("n", "article", {"author": [Name(family="Doe")]})) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10.1371/journal.pone.0033693", ("doi", "10.1371/journal.pone.0033693")),
        ("https://doi.org/10.1126/science.adn0117", ("doi", "10.1126/science.adn0117")),
        ("doi:10.1000/xyz123", ("doi", "10.1000/xyz123")),
        ("https://dx.doi.org/10.1002/(SICI)1097-4571(199806)49:8%3C693::AID-ASI4%3E3.0.CO;2-0", ("doi", "10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0")),
        ("arXiv:2310.17688v2", ("arxiv", "2310.17688")),
        ("https://arxiv.org/abs/2310.17688v3", ("arxiv", "2310.17688")),
        ("https://arxiv.org/pdf/2310.17688v1.pdf", ("arxiv", "2310.17688")),
        ("quant-ph/0201082v1", ("arxiv", "quant-ph/0201082")),
        ("10.48550/arXiv.2205.00445", ("arxiv", "2205.00445")),
        ("hello", None),
        ("10.12/too-short-prefix", None),
    ],
)
def test_identifier_forms(text, expected):
    assert classify(text) == expected


def test_identifiers_on_items():
    assert item_arxiv(Item("a", "article", {"URL": "https://arxiv.org/abs/1605.08386v1"})) == "1605.08386"
    assert item_arxiv(Item("a", "article", {}, extra={"eprint": "2010.01369", "archiveprefix": "arXiv"})) == "2010.01369"
    assert item_arxiv(Item("a", "article", {}, extra={"eprint": "hep-th/9901001", "archiveprefix": "HAL"})) is None
    assert item_arxiv(Item("a", "article", {"note": "arXiv: 2102.00434"})) == "2102.00434"
    assert item_doi(Item("a", "article", {"DOI": "10.48550/arXiv.2010.01369"})) is None
    assert item_arxiv(Item("a", "article", {"DOI": "10.48550/arXiv.2010.01369"})) == "2010.01369"
    assert doi_of("not a doi") is None and arxiv_of("2010.01369v4", keep_version=True) == "2010.01369v4"


def test_empty_search_answer_is_not_found(server, http):
    server.routes["/works"] = Reply(200, json.dumps({"status": "ok", "message-type": "work-list", "message": {"items": []}}))
    lookup = src.crossref_search(http, src.Query(title="Nothing like this exists"))
    assert lookup.status == "not-found" and lookup.items == []


def test_openalex_and_s2_lookups_by_identifier(server, http):
    work = {"id": "https://openalex.org/W1", "doi": "https://doi.org/10.5555/oa.1", "title": "An OpenAlex Work", "publication_year": 2019,
            "type": "article", "authorships": [{"author": {"display_name": "Ada Lovelace"}}]}
    server.routes["/openalex/works/doi:10.5555/oa.1"] = Reply(200, json.dumps(work))
    paper = {"paperId": "abc123", "title": "A Semantic Scholar Paper", "year": 2020, "authors": [{"authorId": "9", "name": "Alan Turing"}],
             "externalIds": {"ArXiv": "2001.00001"}}
    server.routes["/s2/graph/v1/paper/ARXIV:2001.00001"] = Reply(200, json.dumps(paper))
    oa = src.by_identifier(http, "openalex", doi="10.5555/oa.1")
    assert oa.status == "ok" and oa.items[0].title == "An OpenAlex Work" and oa.items[0].year == 2019
    s2 = src.by_identifier(http, "s2", arxiv="2001.00001")
    assert s2.status == "ok" and s2.items[0].authors[0].family == "Turing" and item_arxiv(s2.items[0]) == "2001.00001"
    (_, query, _), = [r for r in server.requests if r[0].startswith("/s2/")]
    assert "externalIds" in query["fields"]
    assert src.by_identifier(http, "openalex", arxiv="2001.00001") is None  # OpenAlex is asked by DOI only
