"""Enrichment end to end against a local server that knows the listing's papers."""
from __future__ import annotations

import json

import pytest

from bibtools.api import load_file
from bibtools.enrich import enrich
from bibtools.model import Date, Item, Library, Name
from bibtools.net.cache import Cache
from bibtools.net.http import HttpClient
from bibtools.net.ids import item_doi
from bibtools.matching import title_similarity
from conftest import CORPORA
from enrich_world import TRUE_PAPERS, ArxivSearch, World, build_papers, read_listing, serve_recorded_arxiv, serve_recorded_crossref
from localserver import LocalServer, Reply, point_services_at

LISTING = CORPORA / "listings" / "paper-index-author-page.txt"
NO_LIMITS = {"crossref": 0, "arxiv": 0, "openalex": 0, "s2": 0}


@pytest.fixture
def server(monkeypatch, tmp_path):
    srv = LocalServer()
    point_services_at(srv, monkeypatch, tmp_path / "cache")
    yield srv
    srv.stop()


def client(tmp_path, **kw) -> HttpClient:
    kw.setdefault("retries", 1)
    kw.setdefault("backoff", 0.01)
    return HttpClient(cache=Cache(tmp_path / "cache.sqlite3"), rates=NO_LIMITS, timeout=2, **kw)


def listing_library() -> Library:
    """The listing page through its reader: authors and abstract, no title, year or venue."""
    library = load_file(LISTING, "listing")
    for n, item in enumerate(library.items):
        item.id = item.id or f"listing{n + 1}"  # as a .bib made from it would have
    return library


@pytest.mark.corpus
def test_listing_is_completed_without_wrong_matches_then_cached_then_offline(server, tmp_path):
    listing = read_listing(LISTING)
    assert len(listing) == 9
    world = World(server, build_papers(listing))
    world.serve_papers()
    wrong_dois = {p.doi for p in world.papers if p.wrong}

    first = listing_library()
    with client(tmp_path) as http:
        result = enrich(first, client=http, sources=["crossref"])
    requests_first = server.count()
    for n, item in enumerate(first.items):
        title, year, _, venue, _ = TRUE_PAPERS[n]
        assert item.title == title, (item.id, [o.notes for o in result.outcomes if o.key == item.id])
        assert item.year == year
        assert item.get("DOI") == f"10.5555/true.{n + 1}"
        assert item.get("container-title") == venue if venue else "container-title" not in item
        kind = TRUE_PAPERS[n][2]
        assert item.type == {"proceedings-article": "paper-conference", "journal-article": "article-journal"}.get(kind, "article")
    assert not {c.matched for c in result.changes} & wrong_dois
    summary = result.summary
    assert (summary.found, summary.filled, summary.ambiguous, summary.not_found) == (9, 9, 0, 0)
    # every change says where it came from and how sure we were
    assert all(c.source == "crossref" and c.confidence >= 0.9 and c.matched.startswith("10.5555/true.") for c in result.changes)
    assert requests_first == 9  # one search per record: the first answer was conclusive

    second = listing_library()
    with client(tmp_path) as http:
        again = enrich(second, client=http, sources=["crossref"])
        assert http.stats.requests == 0
    assert server.count() == requests_first
    assert [i.title for i in second] == [i.title for i in first]
    assert again.requests == 0 and again.cache_hits == 9

    server.stop()
    third = listing_library()
    with client(tmp_path, offline=True) as http:
        offline = enrich(third, client=http, sources=["crossref"])
    assert [i.title for i in third] == [i.title for i in first]
    assert offline.summary.filled == 9


@pytest.mark.corpus
def test_look_alikes_alone_are_never_matched(server, tmp_path):
    """With the true papers removed, the server only has look-alikes: nothing may be filled."""
    listing = read_listing(LISTING)
    world = World(server, [p for p in build_papers(listing) if p.wrong])
    world.serve_papers()
    library = listing_library()
    with client(tmp_path) as http:
        result = enrich(library, client=http, sources=["crossref"])
    assert result.changes == []
    assert all("title" not in item for item in library)
    assert result.summary.found == 0 and result.summary.not_found + result.summary.ambiguous == 9


@pytest.mark.corpus
def test_titled_records_gain_year_and_venue_and_keep_what_they_have(server, tmp_path):
    listing = read_listing(LISTING)
    world = World(server, build_papers(listing))
    world.serve_papers()
    authors = [Name(family="Malach", given="E."), Name(family="Shalev-Shwartz", given="S.")]
    hard = Item("hard", "article-journal", {"title": "When hardness of approximation meets hardness of learning", "author": authors})
    conv = Item("conv", "paper-conference", {"title": "Computational separation between convolutional and fully-connected networks", "author": authors, "container-title": "ICLR"})
    library = Library([hard, conv])
    with client(tmp_path) as http:
        result = enrich(library, client=http, sources=["crossref"])
    assert hard.year == 2022 and hard.get("container-title") == "Journal of Machine Learning Research" and hard.get("volume") == "23"
    assert hard.title == "When hardness of approximation meets hardness of learning"  # existing values stay
    assert conv.get("container-title") == "ICLR" and conv.year == 2021
    assert {c.field for c in result.changes if c.key == "conv"} == {"issued", "DOI", "publisher"}

    # --overwrite replaces named fields only
    conv2 = Item("conv", "paper-conference", {"title": conv.title, "author": authors, "container-title": "ICLR"})
    with client(tmp_path) as http:
        enrich(Library([conv2]), client=http, sources=["crossref"], overwrite=["container-title"])
    assert conv2.get("container-title") == "International Conference on Learning Representations"


def test_dry_run_changes_nothing(server, tmp_path):
    work = {"DOI": "10.5555/x.1", "type": "journal-article", "title": ["A Title"], "author": [{"given": "A", "family": "Bee"}], "issued": {"date-parts": [[2001]]}}
    server.routes["/works/10.5555/x.1"] = Reply(200, json.dumps({"status": "ok", "message-type": "work", "message": work}))
    item = Item("k", "article-journal", {"DOI": "10.5555/x.1"})
    with client(tmp_path) as http:
        result = enrich(Library([item]), client=http, dry_run=True)
    assert "title" not in item and {c.field for c in result.changes} >= {"title", "author", "issued"}


@pytest.mark.corpus
def test_doi_lookup_fills_from_recorded_crossref(server, tmp_path):
    known = serve_recorded_crossref(server, CORPORA)
    doi = "10.1371/journal.pone.0033693"
    expected = known[doi]
    item = Item("rec", "article-journal", {"DOI": doi})
    with client(tmp_path) as http:
        result = enrich(Library([item]), client=http)
    assert result.outcomes[0].status == "filled" and result.outcomes[0].matched == doi
    assert " ".join(expected["title"][0].split()).lower() in " ".join(item.title.split()).lower()
    assert [n.family for n in item.authors] == [a.get("family") for a in expected["author"]]
    assert item.year == expected["issued"]["date-parts"][0][0]
    assert server.count() == 1  # the identifier answered: no search


@pytest.mark.corpus
def test_arxiv_lookup_fills_preprint_and_keeps_id(server, tmp_path):
    serve_recorded_arxiv(server, CORPORA)
    item = Item("hb", "article", {"URL": "https://arxiv.org/abs/1605.08386"})
    with client(tmp_path) as http:
        result = enrich(Library([item]), client=http, sources=["arxiv"])
    assert item.title == "Heat-bath random walks with Markov bases" and item.year == 2016
    assert [n.family for n in item.authors] == ["Stanley", "Windisch"]
    assert result.outcomes[0].matched == "arXiv:1605.08386"


def test_published_preprint_gains_venue_and_doi(server, tmp_path):
    feed = """<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
  <entry>
    <id>http://arxiv.org/abs/2010.01369v1</id>
    <title>Computational Separation Between Convolutional and Fully-Connected Networks</title>
    <summary>Convolutional neural networks (CNN) exhibit unmatched performance in a multitude of computer vision tasks.</summary>
    <published>2020-10-03T12:00:00Z</published>
    <author><name>Eran Malach</name></author>
    <author><name>Shai Shalev-Shwartz</name></author>
    <arxiv:doi>10.5555/published.7</arxiv:doi>
  </entry>
</feed>"""
    server.routes["/api/query"] = Reply(200, feed, content_type="application/atom+xml")
    work = {
        "DOI": "10.5555/published.7",
        "type": "proceedings-article",
        "title": ["Computational Separation Between Convolutional and Fully-Connected Networks"],
        "author": [{"given": "Eran", "family": "Malach"}, {"given": "Shai", "family": "Shalev-Shwartz"}],
        "issued": {"date-parts": [[2021]]},
        "container-title": ["International Conference on Learning Representations"],
    }
    server.routes["/works/10.5555/published.7"] = Reply(200, json.dumps({"status": "ok", "message-type": "work", "message": work}))
    item = Item("pre", "article", {"title": work["title"][0], "DOI": "10.48550/arXiv.2010.01369"})
    with client(tmp_path) as http:
        result = enrich(Library([item]), client=http, sources=["arxiv", "crossref"])
    assert item.get("DOI") == "10.5555/published.7"
    assert item.get("container-title") == "International Conference on Learning Representations"
    assert item.extra.get("eprint") == "2010.01369"  # the arXiv id is kept
    assert item.type == "paper-conference"
    assert {c.source for c in result.changes} == {"arxiv", "crossref"}


def test_service_failures_are_reported_not_raised(server, tmp_path):
    server.routes["/works/10.5555/bad"] = Reply(200, '{"status": "ok", "message": {"DOI": ')  # cut short
    server.routes["/works/10.5555/busy"] = Reply(503, "")
    items = [Item("bad", "article-journal", {"DOI": "10.5555/bad"}), Item("busy", "article-journal", {"DOI": "10.5555/busy"}), Item("gone", "article-journal", {"DOI": "10.5555/gone"})]
    with client(tmp_path) as http:
        result = enrich(Library(items), client=http, sources=["crossref"])
    status = {o.key: o.status for o in result.outcomes}
    assert status == {"bad": "error", "busy": "error", "gone": "not-found"}
    assert all(i.title is None for i in items)
    assert {d.key for d in result.diagnostics if d.code == "enrich.error"} == {"bad", "busy"}


def test_record_with_nothing_to_search_is_skipped(server, tmp_path):
    item = Item("bare", "book", {"author": [Name(family="Doe")]})
    with client(tmp_path) as http:
        result = enrich(Library([item]), client=http)
    assert result.outcomes[0].status == "skipped" and server.count() == 0


def test_two_namesake_papers_make_the_record_ambiguous(server, tmp_path):
    def work(doi, families, kind):
        return {"DOI": doi, "type": kind, "title": ["A Survey of Deep Learning for Scientific Discovery"],
                "author": [{"family": f} for f in families], "issued": {"date-parts": [[2020]]}}

    items = [
        work("10.5555/raghu", ["Raghu", "Schmidt"], "posted-content"),
        work("10.5555/namesake", ["Roe", "Doe", "Poe"], "journal-article"),
    ]
    server.routes["/works"] = Reply(200, json.dumps({"status": "ok", "message-type": "work-list", "message": {"items": items}}))
    record = Item("survey", "article", {"title": "A survey of deep learning for scientific discovery", "issued": Date(parts=((2020,),))})
    with client(tmp_path) as http:
        result = enrich(Library([record]), client=http, sources=["crossref"])
    outcome = result.outcomes[0]
    assert outcome.status == "ambiguous" and result.changes == []
    assert outcome.confidence >= 0.9 and outcome.runner_up is not None and outcome.confidence - outcome.runner_up < 0.1
    assert [d.code for d in result.diagnostics] == ["enrich.ambiguous"]
    # naming an author settles it
    record.fields["author"] = [Name(family="Raghu")]
    with client(tmp_path) as http:
        settled = enrich(Library([record]), client=http, sources=["crossref"])
    assert settled.outcomes[0].matched == "10.5555/raghu" and record.get("DOI") == "10.5555/raghu"


def test_a_title_too_short_to_tell_is_not_matched(server, tmp_path):
    """"Deep Learning", 2016, no author: dedupe will not call a two-word title a match on that alone."""
    work = {"DOI": "10.5555/dl", "type": "book", "title": ["Deep Learning"], "author": [{"family": "Goodfellow"}], "issued": {"date-parts": [[2016]]}}
    server.routes["/works"] = Reply(200, json.dumps({"status": "ok", "message-type": "work-list", "message": {"items": [work]}}))
    record = Item("dl", "book", {"title": "Deep Learning", "issued": Date(parts=((2016,),))})
    with client(tmp_path) as http:
        result = enrich(Library([record]), client=http, sources=["crossref"])
    assert result.changes == [] and result.outcomes[0].status == "ambiguous"
    assert "title too short" in " ".join(result.outcomes[0].notes)
    # with its author named, the same answer is a match
    record.fields["author"] = [Name(family="Goodfellow")]
    with client(tmp_path) as http:
        assert enrich(Library([record]), client=http, sources=["crossref"]).outcomes[0].matched == "10.5555/dl"


PREPRINT_FEED = """<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
  <entry>
    <id>http://arxiv.org/abs/2008.08059v2</id>
    <title>When Hardness of Approximation Meets Hardness of Learning</title>
    <summary>A supervised learning algorithm has access to a distribution of labeled examples, and needs to return a function.</summary>
    <published>2020-08-18T12:00:00Z</published>
    <author><name>Eran Malach</name></author>
    <author><name>Shai Shalev-Shwartz</name></author>
    %s
  </entry>
</feed>"""


def _work_list(*works):
    return json.dumps({"status": "ok", "message-type": "work-list", "message": {"items": list(works)}})


def test_preprint_without_doi_finds_its_published_version_by_search(server, tmp_path):
    server.routes["/api/query"] = Reply(200, PREPRINT_FEED % "", content_type="application/atom+xml")
    names = [{"given": "Eran", "family": "Malach"}, {"given": "Shai", "family": "Shalev-Shwartz"}]
    published = {"DOI": "10.5555/jmlr.23", "type": "journal-article", "title": ["When Hardness of Approximation Meets Hardness of Learning"],
                 "author": names, "issued": {"date-parts": [[2022]]}, "container-title": ["Journal of Machine Learning Research"], "volume": "23"}
    preprint_copy = {"DOI": "10.5555/posted.1", "type": "posted-content", "title": published["title"], "author": names, "issued": {"date-parts": [[2020]]}}
    server.routes["/works"] = Reply(200, _work_list(preprint_copy, published))
    item = Item("hard", "article", {}, extra={"eprint": "2008.08059", "archiveprefix": "arXiv"})
    with client(tmp_path) as http:
        result = enrich(Library([item]), client=http, sources=["arxiv", "crossref"])
    assert item.title == "When Hardness of Approximation Meets Hardness of Learning" and item.year == 2020  # the preprint's year is kept
    assert item.get("DOI") == "10.5555/jmlr.23" and item.get("container-title") == "Journal of Machine Learning Research"
    assert item.extra["eprint"] == "2008.08059" and item.type == "article-journal"
    # the preprint's "publisher arXiv, number arXiv:..." do not describe the journal article
    assert "publisher" not in item and "number" not in item
    assert any(c.field == "publisher" and c.new == "" and "removed" in str(c) for c in result.changes)
    venue = next(c for c in result.changes if c.field == "container-title")
    assert venue.source == "crossref" and venue.matched == "10.5555/jmlr.23"


@pytest.mark.parametrize("arxiv_doi", [True, False])
def test_add_arxiv_paper_gains_published_venue(server, tmp_path, arxiv_doi):
    from bibtools.add import add_identifiers

    server.routes["/api/query"] = Reply(200, PREPRINT_FEED % ("<arxiv:doi>10.5555/jmlr.23</arxiv:doi>" if arxiv_doi else ""), content_type="application/atom+xml")
    names = [{"given": "Eran", "family": "Malach"}, {"given": "Shai", "family": "Shalev-Shwartz"}]
    published = {"DOI": "10.5555/jmlr.23", "type": "journal-article", "title": ["When Hardness of Approximation Meets Hardness of Learning"],
                 "author": names, "issued": {"date-parts": [[2022]]}, "container-title": ["Journal of Machine Learning Research"]}
    server.routes["/works/10.5555/jmlr.23"] = Reply(200, json.dumps({"status": "ok", "message-type": "work", "message": published}))
    server.routes["/works"] = Reply(200, _work_list(published))
    library = Library()
    with client(tmp_path) as http:
        result = add_identifiers(["https://arxiv.org/abs/2008.08059v2"], library, client=http)
    (item,) = result.added
    assert item.id == "malach2020When" and item.get("container-title") == "Journal of Machine Learning Research"
    assert item.get("DOI") == "10.5555/jmlr.23"
    asked = [p for p, _, _ in server.requests]
    assert asked == ["/api/query", "/works/10.5555/jmlr.23"] if arxiv_doi else asked == ["/api/query", "/works"]


def _openalex_work(title, names, year, doi, venue):
    return {
        "id": "https://openalex.org/W2990000001",
        "doi": f"https://doi.org/{doi}",
        "title": title,
        "display_name": title,
        "publication_year": year,
        "publication_date": f"{year}-05-03",
        "type": "article",
        "authorships": [{"author_position": "first" if i == 0 else "middle", "author": {"display_name": n}} for i, n in enumerate(names)],
        "primary_location": {"source": {"display_name": venue, "type": "conference"}},
        "abstract_inverted_index": {"We": [0], "show": [1], "separation.": [2]},
    }


def test_falls_through_services_until_one_knows_the_paper(server, tmp_path):
    title = "Computational Separation Between Convolutional and Fully-Connected Networks"
    server.routes["/works"] = Reply(200, _work_list())  # Crossref: nothing
    # arXiv: no route -> 404; OpenAlex: a namesake by other people, then S2 has it
    server.routes["/openalex/works"] = Reply(200, json.dumps({"meta": {"count": 1}, "results": [
        _openalex_work(title, ["Jane Roe", "John Doe"], 2015, "10.5555/oa.namesake", "Workshop on Something")]}))
    s2 = {"data": [{"paperId": "5d2f0c1a", "title": title, "year": 2021, "venue": "International Conference on Learning Representations",
                    "authors": [{"authorId": "1", "name": "Eran Malach"}, {"authorId": "2", "name": "Shai Shalev-Shwartz"}],
                    "externalIds": {"ArXiv": "2010.01369", "DOI": "10.5555/s2.iclr"}, "publicationTypes": ["Conference"]}]}
    server.routes["/s2/graph/v1/paper/search"] = Reply(200, json.dumps(s2))
    item = Item("conv", "paper-conference", {"title": title, "author": [Name(family="Malach", given="Eran"), Name(family="Shalev-Shwartz", given="Shai")]})
    with client(tmp_path) as http:
        result = enrich(Library([item]), client=http)
    outcome = result.outcomes[0]
    assert outcome.source == "s2" and item.year == 2021 and item.get("DOI") == "10.5555/s2.iclr"
    assert [p for p, _, _ in server.requests] == ["/works", "/api/query", "/openalex/works", "/s2/graph/v1/paper/search"]


def test_enrich_never_raises_on_garbage_answers(tmp_path, monkeypatch):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    srv = LocalServer()
    monkeypatch.setenv("BIBTOOLS_CROSSREF_URL", srv.url)
    bodies = st.one_of(
        st.binary(max_size=200),
        st.text(max_size=200),
        st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                     lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(["message", "items", "title", "author", "DOI", "issued", "status"]), inner, max_size=4),
                     max_leaves=20).map(json.dumps),
    )
    http = HttpClient(rates=NO_LIMITS, retries=0, timeout=2, give_up_after=10**6)  # no cache: every example asks
    try:
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
        @given(body=bodies, status=st.sampled_from([200, 200, 200, 404, 400, 500]))
        def check(body, status):
            srv.routes["/works"] = Reply(status, body)
            srv.routes["/works/10.5555/x"] = Reply(status, body)
            items = [Item("t", "article", {"title": "A title long enough to search for", "author": [Name(family="Doe")]}),
                     Item("d", "article", {"DOI": "10.5555/x"})]
            result = enrich(Library(items), client=http, sources=["crossref"])
            assert {o.status for o in result.outcomes} <= {"filled", "found", "ambiguous", "not-found", "error"}

        check()
    finally:
        http.close()
        srv.stop()


@pytest.mark.corpus
@pytest.mark.parametrize("known", ["title", "abstract"])
def test_recorded_arxiv_search_page_each_entry_finds_itself(server, tmp_path, known):
    """A real arXiv search answer (100 papers on "testing") searched like arXiv would (the 5 entries
    sharing most words with the query): each paper, described by its first two authors and its
    title (or its abstract), must find itself, never one of its neighbours."""
    from bibtools.api import load_string

    feed = (CORPORA / "arxiv" / "arxiv.py-fixtures" / "q_testing_s0_m100_cfe7536492ca.atom.xml").read_text(encoding="utf-8")
    server.routes["/api/query"] = ArxivSearch(feed)
    entries = load_string(feed, "arxiv").items
    assert len(entries) == 100
    records = []
    for n, entry in enumerate(entries):
        fields = {"author": entry.authors[:2]}
        if known == "title":
            fields["title"] = entry.title.lower()
        else:
            fields["abstract"] = entry.get("abstract")
        records.append(Item(f"r{n}", "article", fields))
    with client(tmp_path) as http:
        result = enrich(Library(records), client=http, sources=["arxiv"])
    matched = {o.key: o.matched for o in result.outcomes if o.matched}
    def ident(entry: Item) -> str:  # how an outcome names a match: publisher DOI, else the arXiv id
        return item_doi(entry) or f"arXiv:{entry.extra['eprint']}"

    wrong = {k: v for k, v in matched.items() if v != ident(entries[int(k[1:])])}
    assert wrong == {}
    # A paper is left unmatched ("ambiguous", never "not found") only when the page holds a
    # near-twin: another paper by the same first author with a near-identical title
    # (Huber's "Efficient Two-Stage Group Testing Algorithms for DNA / Genetic Screening").
    for outcome in result.outcomes:
        if outcome.matched:
            continue
        assert outcome.status == "ambiguous", (outcome.key, outcome.status, outcome.notes)
        mine = entries[int(outcome.key[1:])]
        twins = [e for e in entries if e is not mine and e.authors[0].family == mine.authors[0].family
                 and title_similarity(e.title, mine.title) >= 0.85]
        assert twins, (outcome.key, outcome.notes)
    assert len(matched) >= 98
