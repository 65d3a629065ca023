"""Where a record sits tells works apart when its title cannot (issue 18).

Weak titles ("Calendar", "Front cover", "Institutional members") recur in
every issue of a serial; a copy that lost its venue or moved its year must
not join a neighbouring issue's instance. Also: page ranges, identifiers
copied onto other records, supplements, swapped digits, a workshop version,
and blocking of short titles with a typo.
"""
from __future__ import annotations

import pytest

from bibtools.dedupe import Features, blocking_keys, compare, find_duplicates
from bibtools.matchnorm import family_keys
from bibtools.model import Date, Item, Name
from engine_groups import engines, groups_of

SERIAL = "TUGboat"


def record(key, title, year, volume=None, issue=None, page=None, venue=SERIAL, authors=("Anonymous",),
           kind="article-journal", **fields):
    item = Item(key, kind)
    item["title"] = title
    if authors:
        item["author"] = [Name(family=a) for a in authors]
    if year is not None:
        item["issued"] = Date(((year,),))
    for name, value in (("container-title", venue), ("volume", volume), ("issue", issue), ("page", page)):
        if value is not None:
            item[name] = str(value)
    for name, value in fields.items():
        item[name] = value
    return item


def test_front_matter_on_page_two_of_another_issue_is_another_instance():
    # issue 2 equals the other record's page 2: no article number for a weak title
    one = record("i1", "Editorial information", 1993, 14, 1, "2--2")
    copy_of_two = record("i2", "editorial inforamtion.", 1993, 14, 2)
    verdict = compare(one, copy_of_two)
    assert not verdict.same
    assert any("issues differ" in v for v in verdict.evidence["vetoes"])
    # the same two records with a title of its own keep the article-number reading
    long_title = "Biodiversity and its assessment in boreal forests of Fennoscandia"
    numbered = record("a", long_title, 2017, 16, 1, "143")
    article_number = record("b", long_title, 2017, 16, 143, "143")
    assert compare(numbered, article_number).same


def test_a_weak_title_on_other_pages_of_one_volume_is_another_instance():
    one = record("a", "Institutional members", 1988, 9, 3, "322--324")
    other = record("b", "Institutional members", 1988, None, 3, "331--332", venue="TUGb")
    verdict = compare(one, other)
    assert not verdict.same
    assert any("weak title on other pages" in v for v in verdict.evidence["vetoes"])
    # a title of its own on a first page off by one stays a database slip
    title = "Conservation of old-growth forest birds in the boreal zone"
    slip = compare(record("c", title, 2001, 12, 2, "10--20", authors=("Smith",)),
                   record("d", title, 2001, 12, 2, "11--20", authors=("Smith",)))
    assert slip.same and "vetoes" not in slip.evidence


@pytest.mark.parametrize("engine", engines())
def test_a_group_never_holds_a_weak_title_of_two_volumes(engine):
    v17 = record("v17", "Front cover", 1996, 17, 2, "c1--c1")
    v18 = record("v18", "Front cover", 1997, 18, 2, "c1--c1")
    # another database's copy of v18: venue lost, year moved onto v17's
    copy = record("copy", "FRONT COVER", 1996, 18, 2, "c1--c1", venue=None)
    assert compare(copy, v17).same  # a volume mistyped, taken alone
    assert groups_of([v17, v18, copy], engine) == []
    # with its venue the copy finds its own volume despite the year
    found = record("found", "FRONT COVER", 1996, 18, 2, "c1--c1")
    assert groups_of([v17, v18, found], engine) == [["v18", "found"]]


def test_a_short_title_matches_a_year_off_by_one_in_its_volume_and_issue():
    calendar = record("cal", "Calendar", 2018, 39, 1, "96--96")
    assert compare(calendar, record("moved", "CALENDAR", 2019, 39, 1)).same
    assert not compare(calendar, record("other", "CALENDAR", 2019, 40, 1)).same
    # proceedings have no volume: the same page range of one venue does it
    paper = record("p", "Planning as search", 2018, page="1161--1168", venue="AAAI", authors=("Katz",))
    assert compare(paper, record("q", "planning as search.", 2019, page="1161--1168", venue="AAAI", authors=("Katz",))).same
    assert not compare(paper, record("r", "planning as search.", 2019, page="1161", venue="AAAI", authors=("Katz",))).same


def test_anonymous_is_no_agreement_of_authors_for_the_same_place_rule():
    a = record("a", "Addresses of authors", 1981, 2, 1, "2--2")
    b = record("b", "Addresses of officers, authors and others", 1981, 2, 1, "2--2")
    assert not compare(a, b).same
    named = [record(x.id, x.title, 1981, 2, 1, "2--2", authors=("Beeton",)) for x in (a, b)]
    verdict = compare(*named)
    assert verdict.same and "same_place" in verdict.evidence


def test_disjoint_page_ranges_with_one_venue_unknown_are_two_works():
    title = "MARTHA speaks: implementing theory of mind for communicative acts"
    symposium = record("s", title, 2015, page="60--67", venue="AAAI Fall Symposia", authors=("Moe", "Moreno"))
    other = record("o", title.upper(), 2015, page="14--21", venue=None, authors=("Moe", "Moreno"))
    verdict = compare(symposium, other)
    assert not verdict.same
    assert any("page ranges do not overlap" in v for v in verdict.evidence["vetoes"])
    # pages from 1 may be the record's own pagination (a PDF), not its venue's
    own = record("p", title, 2015, page="1--8", venue=None, authors=("Moe", "Moreno"))
    assert compare(symposium, own).same


def test_an_identifier_on_a_clearly_different_record_by_other_authors_is_no_identity():
    book = record("b", "Online computation and competitive analysis", 1998, venue=None, authors=("Borodin",),
                  kind="book", ISBN="0-521-56392-5")
    other = record("o", "Online learning and competitive analysis of caching", 1998, venue=None,
                   authors=("Souchier",), kind="book", ISBN="9780521563925")
    verdict = compare(book, other)
    assert not verdict.same and "identifier_not_identity" in verdict.evidence
    retitled = record("r", other.title, 1998, venue=None, authors=("Borodin",), kind="book", ISBN="9780521563925")
    assert compare(book, retitled).same  # the same authors: the identifier stands


def test_a_supplement_is_not_the_work_it_supplements():
    title = "Transfer learning of surrogate models via domain affine transformation"
    paper = record("p", title, 2024, venue="GECCO", authors=("Pan", "Vermetten"), kind="chapter")
    supplement = record("s", title + ": supplementary material", 2024, venue=None, authors=("Pan", "Vermetten"),
                        kind="document")
    verdict = compare(paper, supplement)
    assert not verdict.same
    assert any("supplement" in v for v in verdict.evidence["vetoes"])
    data = record("d", "Data and code from " + title, 2024, venue=None, authors=("Pan", "Vermetten"), kind="document")
    assert not compare(paper, data).same


def test_two_swapped_digits_are_a_typing_slip_but_other_numbers_are_other_works():
    title = "Principles and practice of constraint programming: CP 2013, 19th international conference"
    a = record("a", title, 2013, venue="LNCS", authors=("Schulte",))
    assert compare(a, record("b", title.replace("2013", "0213"), 2013, venue="LNCS", authors=("Schulte",))).same
    other_year = compare(a, record("c", title.replace("2013", "2014"), 2013, venue="LNCS", authors=("Schulte",)))
    assert not other_year.same and any("title numbers differ" in v for v in other_year.evidence["vetoes"])


def test_another_venue_year_and_author_list_is_another_publication():
    title = "Stubborn sets for fully observable nondeterministic planning"
    conference = record("c", title, 2017, venue="Proceedings of the International Conference on Automated Planning and Scheduling",
                        authors=("Winterer", "Alkhazraji", "Katz"))
    workshop = record("w", title, 2016, venue="Workshop on Model Checking and Automated Planning",
                      authors=("Winterer", "Mattmuller", "Wehrle"))
    verdict = compare(conference, workshop)
    assert not verdict.same
    assert "another venue, another year and other authors" in verdict.evidence["why_not"]
    same_authors = record("v", title, 2016, venue=workshop.fields["container-title"], authors=("Winterer", "Alkhazraji", "Katz"))
    assert compare(conference, same_authors).same


def test_a_short_title_with_a_typo_still_shares_a_blocking_key():
    a = record("a", "Cognitive maps as algorithms", 2004, venue=None, authors=())
    b = record("b", "cognitive maps as lagorithms.", 2004, venue=None, authors=())
    assert blocking_keys(Features.of(a)) & blocking_keys(Features.of(b))
    assert find_duplicates([a, b]).key_groups() == [["a", "b"]]


def test_dblp_homonym_numbers_are_no_part_of_a_family_name():
    assert family_keys([Name(family="Greenberg 0001", given="Michael"), Name(family="Smith")]) == ("greenberg", "smith")


def test_bare_homonym_numbers_and_anonymous_vouch_for_no_one():
    # two works a database gave the same place, their only shared "author" dblp's bare "0001"
    a = record("a", "Decorating CD-ROMs via tree pruning", 2003, 38, None, "347--358", venue="Neuron",
               authors=("0001", "Pan"))
    b = record("b", "Integrating execution, planning, and learning", 2003, 38, None, "347--358", venue="Neuron",
               authors=("0001",))
    assert not compare(a, b).same
    # one ISBN on two books by "Anonymous" with clearly different titles
    one = record("o", "The implementation of run-time systems", 1995, venue=None, kind="book", ISBN="9780521563925")
    two = record("t", "The implementation of storage management", 1995, venue=None, kind="book", ISBN="9780521563925")
    verdict = compare(one, two)
    assert not verdict.same and "identifier_not_identity" in verdict.evidence
    named = [record(x.id, x.title, 1995, venue=None, kind="book", ISBN="9780521563925", authors=("Appel",))
             for x in (one, two)]
    assert "identifiers_equal" in compare(*named).evidence
