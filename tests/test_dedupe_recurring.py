"""Recurring titles of a serial (a column, front matter) are one work per issue.

"Inside front cover" or a columnist's "The bag of tricks" appear in every issue
of their journal with the same title and author and often the same page label:
records in different issues, or in different volumes of different years, are
different works, and a copy that matches two of them (its year moved by one)
must not join them into one group, on any engine.
"""
from __future__ import annotations

import pytest

from bibtools.dedupe import compare
from bibtools.model import Date, Item, Name
from engine_groups import engines, groups_of

VENUE = "The Quarterly Letter of the Society"


def column(key, year, volume, issue, month=None, page="c2--c2", title="Inside front cover", author="Anonymous"):
    item = Item(key, "article-journal")
    item["title"] = title
    item["author"] = [Name(family=author)]
    item["issued"] = Date(((year, month),) if month else ((year,),))
    item["container-title"] = VENUE
    item["volume"] = str(volume)
    item["issue"] = str(issue)
    item["page"] = page
    return item


def test_a_column_in_two_issues_of_one_volume_is_two_works():
    march, june = column("mar", 1991, 12, 1, month=3), column("jun", 1991, 12, 2, month=6)
    verdict = compare(march, june)
    assert not verdict.same
    assert any("issues differ" in v for v in verdict.evidence["vetoes"])
    # a columnist's recurring column with numeric pages that happen to overlap
    one = column("t1", 2001, 22, 1, title="The bag of tricks", author="Gurari", page="10--12")
    two = column("t2", 2001, 22, 3, title="The bag of tricks", author="Gurari", page="11--13")
    for engine in engines():
        assert groups_of([march, june, one, two], engine) == [], engine


def test_the_same_record_with_a_joint_issue_or_an_article_number_still_matches():
    joint = column("joint", 1991, 12, "3--4")
    assert compare(joint, column("three", 1991, 12, 3)).same  # "3--4" is issue 3 too
    # Embase writes the issue into the volume and the article number into the issue field
    embase = column("embase", 2017, "16 (1) (no pagination)", 143, page="143")
    assert compare(embase, column("medline", 2017, 16, 1, page="143")).same
    medline_no_issue_in_volume = column("m2", 2017, 16, 1, page="143")
    article_number_only = column("e2", 2017, 16, 143, page="143")
    assert compare(article_number_only, medline_no_issue_in_volume).same


def test_a_shared_doi_outweighs_different_issues():
    a, b = column("a", 2005, 26, 1), column("b", 2005, 26, 2)
    a["DOI"] = b["DOI"] = "10.1234/qls.26.1"
    assert compare(a, b).same


def test_a_copy_matching_the_column_of_two_years_does_not_join_them():
    y2009, y2010 = column("y2009", 2009, 30, 1), column("y2010", 2010, 31, 1)
    # another database's copy of the 2009 record, its year moved by one: it matches both
    copy = column("copy", 2010, 30, 1)
    assert compare(copy, y2009).same and compare(copy, y2010).same
    assert not compare(y2009, y2010).same
    assert any("volumes and years differ" in v for v in compare(y2009, y2010).evidence["vetoes"])
    for engine in engines():
        assert groups_of([y2009, y2010, copy], engine) == [["y2009", "copy"]], engine


@pytest.mark.parametrize("field", ["volume", "issue"])
def test_a_copy_without_volume_or_issue_joins_its_original_only(field):
    originals = [column(f"i{n}", 1991, 12, n, month=3 * n) for n in (1, 2, 3)]
    copy = column("copy", 1991, 12, 2)
    del copy.fields[field]
    del copy.fields["page"]
    for engine in engines():
        groups = groups_of(originals + [copy], engine)
        if field == "volume":  # its issue names its original
            assert groups == [["i2", "copy"]], engine
        else:  # nothing left says which issue it is: it fits all three equally and joins none
            assert groups == [], engine


def test_a_copy_that_lost_or_abbreviated_its_venue_is_still_in_another_issue():
    march, june = column("mar", 1998, 19, 1, month=3), column("jun", 1998, 19, 2, month=6)
    lost, short = column("lost", 1998, 19, 2), column("short", 1998, 19, 2)
    del lost.fields["container-title"]
    short["container-title"] = "Quar Lett Soci"  # the ISO-style abbreviation
    for copy in (lost, short):
        assert not compare(march, copy).same and compare(june, copy).same
    for engine in engines():
        groups = groups_of([march, june, lost, short], engine)
        assert groups == [["jun", "lost", "short"]], engine


def test_the_same_page_range_outweighs_a_mistyped_issue():
    # a supplement numbered 3 by one database and filed as issue 1 by another
    one = column("scopus", 2001, 16, 1, title="Biodiversity and its assessment in boreal forests", page="10--26")
    other = column("wos", 2001, 16, 3, title="Biodiversity and its assessment in boreal forests", page="10--26")
    assert compare(one, other).same
    assert not compare(one, column("wos2", 2001, 16, 3, title=one.title, page="27--40")).same
