"""Duplicate detection: identifiers, titles, authors, years, vetoes, blocking."""
from __future__ import annotations

import copy
import random

import pytest

import bibtools
from bibtools import Date, Item, Name
from bibtools.dedupe import (
    MatchConfig,
    compare,
    find_duplicates,
    normalize_arxiv,
    normalize_doi,
    normalize_isbn,
    normalize_title,
)


def art(key, title, authors=("Smith", "Jones"), year=2020, **fields):
    item = Item(key, fields.pop("type", "article-journal"))
    item["title"] = title
    item["author"] = [Name(family=a, given="A.") for a in authors]
    if year is not None:
        item["issued"] = Date(((year,),))
    for name, value in fields.items():
        item[name.replace("_", "-")] = value
    return item


# -- normalisation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    ["10.1000/ABC.def", "https://doi.org/10.1000/abc.DEF", "doi:10.1000/abc.def", "http://dx.doi.org/10.1000%2Fabc.def",
     " DOI: 10.1000/abc.def. "],
)
def test_doi_variants_normalise_to_one(raw):
    assert normalize_doi(raw) == "10.1000/abc.def"


def test_not_a_doi():
    assert normalize_doi("see the publisher") is None


@pytest.mark.parametrize(
    "raw, expected",
    [("2101.00001v3", "2101.00001"), ("arXiv:2101.00001", "2101.00001"), ("https://arxiv.org/abs/2101.00001v2", "2101.00001"),
     ("10.48550/arXiv.2101.00001", "2101.00001"), ("hep-th/9901001v1", "hep-th/9901001"), ("math/0307200v3", "math/0307200")],
)
def test_arxiv_ids_lose_their_version(raw, expected):
    assert normalize_arxiv(raw) == expected


def test_isbn10_and_isbn13_agree():
    assert normalize_isbn("0-306-40615-2") == normalize_isbn("978-0-306-40615-7") == ["9780306406157"]
    assert normalize_isbn("978-0-306-40615-7, 0 306 40615 2") == ["9780306406157", "9780306406157"]


def test_title_normalisation_ignores_case_accents_latex_markup_and_punctuation():
    a = normalize_title("Über die <i>Élasticité</i> of {DNA}: a \\textit{Study}!")
    b = normalize_title("UBER DIE ELASTICITE OF DNA -- A STUDY")
    assert a == b == "uber die elasticite of dna a study"
    assert normalize_title("\\\"{U}ber \\'{e}t\\'{e}") == "uber ete"


# -- compare: matches -----------------------------------------------------------------------


def test_same_doi_matches_despite_other_noise():
    a = art("a", "Deep nets for birds", DOI="10.1234/X")
    b = art("b", "DEEP NETS FOR BIRDS.", authors=("SMITH",), year=2021, DOI="https://doi.org/10.1234/x")
    m = compare(a, b)
    assert m.same and m.score >= 0.95
    assert m.evidence["identifiers_equal"] == ["doi"]


def test_preprint_and_published_version_are_the_same_work():
    pre = art("pre", "Attention is all you need", authors=("Vaswani", "Shazeer", "Parmar"), year=2017,
              type="article", container_title="arXiv", URL="https://arxiv.org/abs/1706.03762v5")
    pub = art("pub", "Attention Is All You Need", authors=("Vaswani", "Shazeer", "Parmar", "Uszkoreit"), year=2018,
              type="paper-conference", container_title="Advances in Neural Information Processing Systems",
              DOI="10.5555/3295222.3295349", page="5998-6008")
    m = compare(pre, pub)
    assert m.same, m.evidence
    assert m.evidence["preprint_and_published"] is True
    assert m.evidence["year_distance"] == 1


def test_database_slips_do_not_hide_a_duplicate():
    # a JSTOR DOI next to the publisher DOI, and a title with the translation appended
    a = art("a", "Effects of recent burning on bird communities [Efectos de quema reciente en aves]",
            container_title="Journal of Field Ornithology", volume="70", page="491-503", DOI="10.2307/4514441")
    b = art("b", "EFFECTS OF RECENT BURNING ON BIRD COMMUNITIES", authors=("SMITH", "JONES"),
            container_title="JOURNAL OF FIELD ORNITHOLOGY", volume="70", page="491-503", DOI="10.1648/0273-8570-70.4.491")
    m = compare(a, b)
    assert m.same, m.evidence
    assert any("DOIs differ" in c for c in m.evidence["conflicts"])


def test_compare_is_pure_and_symmetric():
    a = art("a", "Bird counts in burnt forest", DOI="10.1234/a")
    b = art("b", "Bird counts in burned forest")
    before = (copy.deepcopy(a), copy.deepcopy(b))
    ab, ba = compare(a, b), compare(b, a)
    assert (a, b) == before
    assert ab.same == ba.same and ab.score == ba.score


# -- compare: look-alikes that are different works ----------------------------------------------------


@pytest.mark.parametrize(
    "title_a, title_b",
    [
        ("Breeding birds of a riverine forest, Part I", "Breeding birds of a riverine forest, Part II"),
        ("Breeding birds of a riverine forest (part one)", "Breeding birds of a riverine forest (part two)"),
        ("Bird trends in Finland 1990-2000", "Bird trends in Finland 1990-2010"),
        ("Fire and birds in boreal forests", "Erratum: Fire and birds in boreal forests"),
        ("Fire and birds in boreal forests", "Corrigendum to \"Fire and birds in boreal forests\""),
        ("Fire and birds in boreal forests", "Reply to: Fire and birds in boreal forests"),
        ("Fire and birds in boreal forests", "Comment on \"Fire and birds in boreal forests\""),
        ("Fire and birds in boreal forests", "Retraction: Fire and birds in boreal forests"),
    ],
)
def test_parts_errata_and_replies_never_match(title_a, title_b):
    m = compare(art("a", title_a), art("b", title_b))
    assert not m.same
    assert m.evidence["vetoes"]


def test_editions_of_a_book_are_different_works():
    a = art("a", "The TeXbook", authors=("Knuth",), year=1984, type="book", edition="1", publisher="Addison-Wesley")
    b = art("b", "The TeXbook", authors=("Knuth",), year=1984, type="book", edition="2nd", publisher="Addison-Wesley")
    assert not compare(a, b).same
    c = copy.deepcopy(b)
    c.id = "c"
    c["edition"] = "Second edition"
    assert compare(b, c).same


def test_volumes_of_a_multivolume_book_are_different_works():
    a = art("a", "The Art of Computer Programming", authors=("Knuth",), year=1997, type="book", volume="1")
    b = art("b", "The Art of Computer Programming", authors=("Knuth",), year=1997, type="book", volume="2")
    assert not compare(a, b).same


def test_a_book_and_a_chapter_of_it_are_different_works():
    book = art("book", "Handbook of Bird Biology", type="book", publisher="Wiley", ISBN="978-1-118-29105-4")
    chapter = art("ch", "Handbook of Bird Biology", type="chapter", container_title="Handbook of Bird Biology",
                  page="1-20", ISBN="978-1-118-29105-4")
    m = compare(book, chapter)
    assert not m.same
    assert "isbn" not in m.evidence.get("identifiers_equal", [])


def test_same_title_years_apart_is_not_a_duplicate():
    m = compare(art("a", "Avian response to fire", year=1992), art("b", "Avian response to fire", year=1999))
    assert not m.same
    assert "years 7 apart" in m.evidence["why_not"]


def test_different_author_teams_with_similar_titles_are_not_matched():
    a = art("a", "Bird community responses to disturbance in a forestry concession in lowland Bolivia", authors=("Woltmann",), year=2003)
    b = art("b", "Bird community responses to reduced-impact logging in a certified forestry concession in lowland Bolivia",
            authors=("Felton", "Wood", "Lindenmayer"), year=2008)
    assert not compare(a, b).same


def test_short_generic_titles_need_more_than_the_title():
    a = art("a", "Editorial", authors=(), year=2019, container_title="Ibis")
    b = art("b", "Editorial", authors=(), year=2019, container_title="Oikos")
    assert not compare(a, b).same


def test_thresholds_are_configurable():
    a = art("a", "Avian community response to fire in grasslands of Kansas")
    b = art("b", "Avian community responses to fires in the grasslands of Kansas")
    strict = MatchConfig(title_threshold=0.99)
    assert compare(a, b).same
    assert not compare(a, b, strict).same


# -- find_duplicates -------------------------------------------------------------------------------


def _population(n: int, seed: int = 7) -> list[Item]:
    rng = random.Random(seed)
    words = "bird fire forest boreal habitat nest woodpecker grassland response burn logging savanna".split()
    names = "Smith Jones Lee Brown Garcia Nguyen Kim Müller Rossi Dubois".split()
    items = []
    for i in range(n):
        title = " ".join(rng.choice(words) for _ in range(7)) + f" {rng.choice(words)}{i}"
        items.append(art(f"k{i}", title, authors=tuple(rng.sample(names, 2)), year=1990 + rng.randrange(30)))
    return items


def test_find_duplicates_groups_perturbed_copies_and_compares_few_pairs():
    items = _population(400)
    copies = []
    for item in items[:50]:
        twin = copy.deepcopy(item)
        twin.id = item.id + "-copy"
        twin["title"] = item.title.upper() + "."
        copies.append(twin)
    result = find_duplicates(items + copies)
    groups = sorted(sorted(g) for g in result.key_groups())
    assert groups == sorted(sorted([it.id, it.id + "-copy"]) for it in items[:50])
    n = len(items) + len(copies)
    assert result.compared < n * (n - 1) / 2 / 10  # blocking: far fewer than all pairs
    as_json = result.to_json()
    assert all(len(g) >= 2 for g in as_json["groups"])
    assert {"a", "b", "score", "evidence"} <= set(as_json["pairs"][0])


def test_groups_do_not_chain_through_vetoed_pairs():
    one = art("one", "Birds of the Rhine forest, Part I", DOI="10.1234/one")
    two = art("two", "Birds of the Rhine forest, Part II", DOI="10.1234/two")
    # a record carrying the DOI of part I but the title of part II: it matches neither safely
    muddle = art("muddle", "Birds of the Rhine forest, Part II", DOI="10.1234/one")
    result = find_duplicates([one, two, muddle])
    for group in result.key_groups():
        assert not {"one", "two"} <= set(group)


@pytest.mark.corpus
def test_csl_json_references_against_their_perturbed_copies(corpora):
    """Manubot's CSL-JSON: every record finds its own perturbed copy, and nothing else."""
    library = bibtools.load(corpora / "csl-json" / "manubot-metaboverse-references.json")
    items = [it for it in library.items if it.title]
    assert len(items) > 50
    copies = []
    for item in items:
        twin = copy.deepcopy(item)
        twin.id = "copy:" + item.id
        twin["title"] = item.title.lower().replace(":", " -")
        twin.fields.pop("DOI", None)  # make the title, authors and year do the work
        copies.append(twin)
    result = find_duplicates(items + copies)
    found = {frozenset(g) for g in result.key_groups()}
    for item in items:
        assert any(item.id in g and "copy:" + item.id in g for g in found), item.id
    # two originals share a group only when they are one work cited twice
    # (this file cites the Reactome paper once by PMID and once by DOI)
    joined = 0
    for group in found:
        originals = [library[k] for k in {k.removeprefix("copy:") for k in group}]
        if len(originals) > 1:
            joined += 1
            dois = {str(o.get("DOI")).lower() for o in originals}
            pmids = {o.get("PMID") for o in originals}
            assert len(dois) == 1 or len(pmids) == 1, group
    assert joined >= 1
