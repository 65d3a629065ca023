"""OpenAlex and Semantic Scholar readers, on hand-written fixtures shaped like their API answers."""
import json

import bibtools
from bibtools.formats.openalex import abstract_from_inverted_index
from conftest import FIXTURES

OPENALEX = FIXTURES / "openalex-works.json"
S2 = FIXTURES / "semanticscholar-papers.json"


def test_openalex_results_page_against_the_raw_json():
    raw = json.loads(OPENALEX.read_text())["results"]
    lib = bibtools.load_file(OPENALEX)
    assert bibtools.registry.detect(OPENALEX.read_text(), str(OPENALEX)).name == "openalex"
    assert len(lib) == len(raw) and not lib.problems
    for item, work in zip(lib, raw):
        assert item.id and item.title == work["title"]  # id: from the key pass
        assert item.year == work["publication_year"]
        names = [a["author"].get("display_name") or a["raw_author_name"] for a in work["authorships"]]
        assert [f"{n.given} {n.family}" for n in item.authors] == names
        if work.get("doi"):
            assert item["DOI"] == work["doi"].removeprefix("https://doi.org/").lower()
        else:
            assert "DOI" not in item
    peerj, preprint, chapter = lib.items
    assert peerj.type == "article-journal" and peerj["container-title"] == "PeerJ"
    assert peerj.issued.parts == ((2018, 2, 13),)
    assert peerj["page"] == "e4375" and peerj["volume"] == "6" and peerj["ISSN"] == "2167-8359"
    assert peerj["PMID"] == "29456894" and peerj["PMCID"] == "PMC5815332"
    index = raw[0]["abstract_inverted_index"]
    words = sorted((p, w) for w, ps in index.items() for p in ps)
    assert peerj["abstract"] == " ".join(w for _, w in words)
    assert preprint.type == "article" and preprint["publisher"] == "arXiv" and "container-title" not in preprint
    assert preprint.extra["eprint"] == "2302.06354"  # found in the landing page URL by the normalize pass
    assert chapter.type == "chapter" and chapter["page"] == "213\u2013229"
    assert chapter["container-title"] == "Lecture Notes in Computer Science" and chapter["volume"] == "12346"


def test_openalex_single_work_and_jsonl():
    works = json.loads(OPENALEX.read_text())["results"]
    single = bibtools.load_string(json.dumps(works[0]))
    assert [i.title for i in single] == [works[0]["title"]]
    jsonl = "\n".join(json.dumps(w) for w in works) + "\n"
    lib = bibtools.load_string(jsonl, "openalex")
    assert [i.title for i in lib] == [w["title"] for w in works]
    assert lib.items[2].origin.line == 3


def test_inverted_index_tolerates_gaps_and_junk():
    assert abstract_from_inverted_index({"b": [1], "a": [0], "c": [5, "x"]}) == "a b c"
    assert abstract_from_inverted_index(None) is None and abstract_from_inverted_index({}) is None


def test_semanticscholar_search_page_against_the_raw_json():
    raw = json.loads(S2.read_text())["data"]
    lib = bibtools.load_file(S2)
    assert bibtools.registry.detect(S2.read_text(), str(S2)).name == "semanticscholar"
    assert len(lib) == len(raw) and not lib.problems
    for item, paper in zip(lib, raw):
        assert item.id and item.title == paper["title"] and item.year == paper["year"]  # id: from the key pass
        assert [f"{n.given} {n.family}" for n in item.authors] == [a["name"] for a in paper["authors"]]
        assert item["DOI"] == paper["externalIds"]["DOI"].lower()
    acl, arxiv, nature = lib.items
    assert acl.type == "paper-conference" and acl["container-title"] == raw[0]["publicationVenue"]["name"]
    assert acl["page"] == "4969\u20134983"
    assert arxiv.type == "article" and arxiv["publisher"] == "arXiv" and arxiv["number"] == "arXiv:2302.06354"
    assert "container-title" not in arxiv and "volume" not in arxiv  # "ArXiv" / "abs/..." are not a journal
    assert arxiv.extra["eprint"] == "2302.06354"
    assert nature.type == "article-journal" and nature["container-title"] == "Nature"
    assert nature["volume"] == "521" and nature["page"] == "436\u2013444" and nature["PMID"] == "26017442"


def test_semanticscholar_batch_with_nulls_and_errors():
    papers = json.loads(S2.read_text())["data"]
    lib = bibtools.load_string(json.dumps([papers[2], None]), "semanticscholar")
    assert len(lib) == 1 and "semanticscholar.not-found" in {d.code for d in lib.diagnostics}
    lib = bibtools.load_string('{"error": "Paper with id DOI:10.1/x not found"}', "s2")
    assert len(lib) == 0 and "semanticscholar.api-error" in {d.code for d in lib.diagnostics}
    cited = bibtools.load_string(json.dumps({"data": [{"citingPaper": papers[0]}]}), "semanticscholar")
    assert [i.title for i in cited] == [papers[0]["title"]]


def test_api_sniffers_do_not_steal_plain_csl_json():
    csl = json.dumps([{"id": "a", "type": "article-journal", "title": "T", "DOI": "10.1/x", "author": [{"family": "F"}]}])
    assert bibtools.registry.detect(csl, "refs.json").name == "csljson"
    assert bibtools.registry.detect(csl).name == "csljson"


def test_readers_leave_keys_to_the_key_pass():
    from conftest import CORPORA
    sources = [(OPENALEX, "openalex"), (S2, "semanticscholar")]
    if CORPORA.is_dir():
        sources += [(CORPORA / "crossref" / "papis-crossref-works.json", "crossref"),
                    (next((CORPORA / "arxiv" / "arxiv.py-fixtures").glob("q_testing_s0_m10_*.xml")), "arxiv"),
                    (CORPORA / "listings" / "paper-index-author-page.txt", "listing")]
    for path, fmt in sources:
        lib = bibtools.load_file(path, fmt, passes=())
        assert len(lib) > 0 and all(item.id == "" for item in lib), fmt
