"""Two publications of one study, or two works of one title, are not joined through a copy.

The scale benchmark (``benchmarks/bench_scale.py``) joined them at 10^6 records: a technical
report and its journal version two years apart, with a copy of one whose year moved between
them; a workshop paper beside its conference paper; two synthetic works whose titles start
alike; authors that agree only as "Anonymous" or a dblp homonym number. Each mechanism is
checked here on small records of the project's own, on every engine.
"""
from __future__ import annotations

from bibtools.dedupe import compare, find_duplicates
from bibtools.model import Date, Item, Name
from test_dedupe_ambiguous import results


def record(key, title, year, authors, *, kind="article-journal", venue=None, volume=None, page=None, doi=None):
    item = Item(key, kind)
    item["title"] = title
    item["author"] = [Name(family=a, given="A.") for a in authors]
    item["issued"] = Date(((year,),))
    for name, value in (("container-title", venue), ("volume", volume), ("page", page), ("DOI", doi)):
        if value is not None:
            item[name] = value
    return item


def keyed(result, items):
    return sorted(sorted(items[i].id for i in g) for g in result.groups)


SLICING = "Interprocedural slicing using dependence graphs"


def test_a_copy_of_a_report_between_the_report_and_its_journal_version_joins_the_report():
    report = record("tr", SLICING, 1988, ["Horwitz", "Reps", "Binkley"], kind="report")
    article = record("toplas", SLICING, 1990, ["Horwitz", "Reps", "Binkley"], venue="ACM Transactions on "
                     "Programming Languages and Systems", volume="12", page="26--60")
    copy_of_report = record("copy-tr", SLICING.upper(), 1989, ["Horwitz", "Reps", "Binkley"], kind="report")
    copy_of_article = record("copy-toplas", SLICING.lower(), 1989, ["Horwitz", "Reps", "Binkley"], volume="12",
                             page="26--60")
    assert not compare(report, article).same  # the versions are two years apart
    for copy, version in ((copy_of_report, "tr"), (copy_of_article, "toplas")):
        assert compare(copy, report).same and compare(copy, article).same  # each copy fits both
        items = [report, article, copy]
        for engine, result in results(items):
            assert keyed(result, items) == [sorted([copy.id, version])], engine


def test_a_thesis_and_a_report_of_one_title_are_two_forms_of_publication():
    thesis = record("phd", "Serializing parallel programs by removing redundant computation", 1992, ["Ernst"],
                    kind="thesis")
    report = record("tr", "Serializing parallel programs by removing redundant computation", 1994, ["Ernst"],
                    kind="report")
    copy = record("copy", "serializing parallel programs by removing redundant computation.", 1993, ["Ernst"],
                  kind="report")
    items = [thesis, report, copy]
    for engine, result in results(items):
        assert keyed(result, items) == [["copy", "tr"]], engine


def test_a_copy_sides_with_the_version_of_its_own_authors():
    """Two reports of one title by other authors (two years apart): a copy with the second's
    authors joins the second."""
    one = record("e92", "Intellectual property in computing: how to protect software", 1992, ["Ernst"], kind="report")
    two = record("de90", "Intellectual property in computing: how to protect software", 1990, ["Davis", "Ernst"],
                 kind="report")
    copy = record("copy", "Intellectual property in computing: how to protetc software", 1991, ["Davis", "Ernst"],
                  kind="report")
    items = [one, two, copy]
    assert compare(copy, one).same and compare(copy, two).same
    for engine, result in results(items):
        assert keyed(result, items) == [["copy", "de90"]], engine


def test_a_copy_sides_with_the_version_in_its_own_venue():
    """A paper in one year's proceedings and again two years later in another; a copy with the
    later venue and a year between joins the later one."""
    early = record("p84", "Interprocedural constant propagation", 1984, ["Callahan", "Cooper", "Kennedy"],
                   kind="paper-conference", venue="Proceedings of the ACM Symposium on Principles of Programming")
    late = record("p86", "Interprocedural constant propagation", 1986, ["Callahan", "Cooper", "Kennedy"],
                  kind="paper-conference", venue="SIGPLAN Symposium on Compiler Construction", page="152--161")
    copy = record("copy", "Interprocedural consatnt propagation", 1985, ["Callahan", "Cooper", "Kennedy"],
                  kind="paper-conference", venue="SIGPLAN Symposium on Compiler Construction", page="152--161")
    items = [early, late, copy]
    assert compare(copy, early).same and compare(copy, late).same
    for engine, result in results(items):
        assert keyed(result, items) == [["copy", "p86"]], engine


def test_one_name_answers_for_one_name_only():
    a = record("a", "Hate speech detection combining recurrent and dense layers", 2022, ["Zhuang", "Zhang"])
    b = record("b", "Hate speech detection combining recurrent and dense layers", 2022, ["Zhang", "Li", "Wang"])
    # "Zhuang" reads as a variant of "Zhang", but "Zhang" is taken by the other "Zhang"
    assert compare(a, b).evidence["author_overlap"] == 0.5


def test_a_title_that_ends_its_shared_start_in_another_word_is_not_a_shortened_form():
    long_ = record("long", "Yet at Memotion 2022: hate speech detection combining BiLSTM and dense layers", 2022,
                   ["Zhuang"])
    other = record("other", "Yet at Memotion 2022: hate speech detection scanning", 2022, ["Zhuang"])
    cut = record("cut", "Yet at Memotion 2022: hate speech detection combin", 2022, ["Zhuang"])
    assert compare(long_, other).evidence["title_similarity"] < 0.9
    assert not compare(long_, other).same
    assert compare(long_, cut).evidence["title_similarity"] >= 0.9  # a title cut short still is one


def test_authors_that_name_nobody_leave_the_title_to_carry_the_match():
    """"Anonymous" on both sides, or a bare dblp homonym number, is no agreement of authors: the
    stricter title threshold of records without authors applies."""
    a = record("a", "Complex moment-based supervised eigenmap", 2018, ["Anonymous"], kind="paper-conference",
               venue="AAAI")
    b = record("b", "Complex moment-based supervised eigenmap definition for many classes", 2018, ["Anonymous"],
               kind="paper-conference", venue="AAAI")
    assert compare(a, b).evidence["title_similarity"] == 0.9
    assert not compare(a, b).same
    named_a, named_b = record("na", a.title, 2018, ["Smith"], kind="paper-conference", venue="AAAI"), record(
        "nb", b.title, 2018, ["Smith"], kind="paper-conference", venue="AAAI")
    assert compare(named_a, named_b).same  # the same titles with a named author: a dropped subtitle


def test_no_authors_another_venue_and_another_type_are_another_publication():
    review = record("review", "Book review: Fonts and encodings", 2013, [], venue="Neuron")
    paper = record("paper", "Book review: Fonts and encodings", 2013, ["Gervasio"], kind="paper-conference",
                   venue="AAAI Fall Symposia")
    del review.fields["author"]
    assert not compare(review, paper).same
    copy = record("copy", "book review: fonts and encodings.", 2013, [], venue="Neuron")
    del copy.fields["author"]
    assert compare(review, copy).same


def test_another_venue_another_year_and_a_word_more_are_another_work():
    conference = record("socs", "Subset-saturated cost partitioning for optimal classical planning", 2019,
                        ["Seipp", "Helmert"], kind="paper-conference", venue="Proceedings of ICAPS")
    journal = record("jair", "Saturated cost partitioning for optimal classical planning", 2020,
                     ["Seipp", "Keller", "Helmert"], venue="Journal of Artificial Intelligence Research")
    verdict = compare(conference, journal)
    assert not verdict.same
    assert "another venue, another year and another word in the title" in verdict.evidence["why_not"]
    # a typo is not a word more
    typo = record("typo", "Subset-saturated cost partitoining for optimal classical planning", 2020,
                  ["Seipp", "Helmert"], kind="paper-conference", venue="ICAPS")
    assert compare(conference, typo).same


def test_an_identifier_decides_between_two_records_known_to_differ():
    """Two articles of one title in two volumes (one with a DOI): a copy that lost its volume and
    pages but carries that DOI joins that one, although the other has no DOI to disagree."""
    first = record("v15", "The computational neurobiology of learning and reward", 2006, ["Daw", "Doya"],
                   venue="Current Opinion in Neurobiology", volume="15", page="199--204", doi="10.1016/j.conb.2006.03.006")
    second = record("v16", "The computational neurobiology of learning and reward", 2006, ["Daw", "Doya"],
                    venue="Current Opinion in Neurobiology", volume="16", page="301--310")
    copy = record("copy", "The computational neurobiology of learning and reward", 2006, ["Daw", "Doya"],
                  venue="Current Opinion in Neurobiology", doi="10.1016/j.conb.2006.03.006")
    items = [first, second, copy]
    assert not compare(first, second).same
    assert compare(copy, first).same and compare(copy, second).same
    for engine, result in results(items):
        assert keyed(result, items) == [["copy", "v15"]], engine


def test_a_name_written_as_one_tex_command_is_still_a_name():
    """TUGboat's files write one author as ``\\Thanh``: its letters are its key, so a record by
    that author is not taken for a record without authors (which the title alone would match)."""
    from bibtools.matchnorm import family_keys

    assert family_keys([Name(family="\\Thanh")]) == ("thanh",)
    a = record("a", "Contents ordered comments", 2017, ["Ajjanagadde"], kind="paper-conference", venue="AAAI")
    b = record("b", "Contents ordered comments", 2017, ["\\Thanh"], kind="paper-conference", venue="AAAI Workshops")
    verdict = compare(a, b)
    assert verdict.evidence["author_overlap"] == 0.0 and not verdict.same
