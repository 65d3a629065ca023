"""A record that fits two records known to differ joins neither.

A copy that lost what told two works apart (a volume, pages, a DOI) or whose
year moved onto the neighbour's matches both; joining it to the one that scores
a little higher is a guess, and wrong about as often as right. It joins the
better one only when that link is clearly better (``MatchConfig.ambiguity_margin``),
else neither, and the result reports it (``DedupeResult.ambiguous``), on every engine.
"""
from __future__ import annotations

import itertools
import json

from click.testing import CliRunner

import bibtools
from bibtools import matchnorm
from bibtools.cli import main
from bibtools.dedupe import MatchConfig, compare, find_duplicates
from bibtools.dedupe_engines import find_duplicates_streaming
from bibtools.model import Date, Item, Library, Name
from engine_groups import engines, groups_of


def record(key, title, year, *, authors=("Anonymous",), volume=None, issue=None, page=None, venue="TUGboat",
           kind="article-journal", doi=None):
    item = Item(key, kind)
    item["title"] = title
    item["author"] = [Name(family=a) for a in authors]
    item["issued"] = Date(((year,),))
    for name, value in (("container-title", venue), ("volume", volume), ("issue", issue), ("page", page), ("DOI", doi)):
        if value is not None:
            item[name] = str(value)
    return item


def results(items, config=MatchConfig()):
    for engine in engines():
        if engine == "memory":
            yield engine, find_duplicates(items, config)
        else:
            yield engine, find_duplicates_streaming(items, config, engine=engine)


def covers():
    """"Inside front cover" of two years, and a copy of the 2019 one that lost its volume and
    whose year moved back by one: every field it kept is the 2018 instance's."""
    y2018 = record("y2018", "Inside front cover", 2018, volume=39, issue=1, page="c2--c2")
    y2019 = record("y2019", "Inside front cover", 2019, volume=40, issue=1, page="c2--c2")
    return y2018, y2019, record("copy", "inside front cover.", 2018, issue=1, page="c2--c2")


def test_a_copy_that_fits_a_weak_title_of_two_consecutive_volumes_joins_neither():
    y2018, y2019, copy = covers()
    assert compare(copy, y2018).same and compare(copy, y2019).same and not compare(y2018, y2019).same
    # the 2018 link scores higher by a year's slip only: that says nothing of which it is
    assert 0 < compare(copy, y2018).score - compare(copy, y2019).score < MatchConfig().ambiguity_margin
    for engine, result in results([y2018, y2019, copy]):
        assert result.groups == [], engine
        assert result.ambiguous == {2: [0, 1]}, engine
        assert result.to_json()["ambiguous"] == [{"key": "copy", "fits": ["y2018", "y2019"]}], engine
    # its own exact copies still join the 2018 record; the ambiguous copy stays out
    again = record("again", "Inside front cover", 2018, volume=39, issue=1, page="c2--c2")
    for engine in engines():
        assert groups_of([y2018, y2019, copy, again], engine) == [["y2018", "again"]], engine


def test_a_copy_fitting_a_paper_and_its_two_page_abstract_joins_neither():
    title = "Representation discovery for Markov decision processes using bisimulation metrics"
    authors = ("Ruan", "Comanici", "Panangaden", "Precup")
    paper = record("paper", title, 2015, authors=authors, venue="AAAI", page="3578--3584", kind="paper-conference")
    abstract = record("abstract", title, 2015, authors=authors, venue="AAAI", page="4202--4203", kind="paper-conference")
    copy = record("copy", title.upper(), 2015, authors=authors, venue=None, kind="paper-conference")
    assert not compare(paper, abstract).same  # pages that do not overlap in one venue
    assert compare(copy, paper).same and compare(copy, abstract).same
    for engine, result in results([paper, abstract, copy]):
        assert result.groups == [] and result.ambiguous == {2: [0, 1]}, engine


def test_a_copy_clearly_closer_to_one_of_two_records_in_conflict_joins_that_one_only():
    # one paper held twice with other volumes and author lists (not matched: fields conflict);
    # the copy lost its volume, and its authors are the first record's
    title = "The computational neurobiology of learning and reward"
    one = record("one", title, 2006, authors=("Daw", "Doya"), venue="Current Opinion in Neurobiology",
                 volume=16, issue=2, page="199--204")
    other = record("other", title, 2006, authors=("Daw", "Kenji"), venue="Current Opinion in Neurobiology",
                   volume=15, page="199--204")
    copy = record("copy", title, 2006, authors=("Daw", "Doya"), venue="Curr Opin Neur", issue=2)
    verdict = compare(one, other)
    assert not verdict.same and "conflicts" in verdict.evidence
    assert compare(copy, one).same and compare(copy, other).same
    assert compare(copy, one).score - compare(copy, other).score >= MatchConfig().ambiguity_margin
    for engine, result in results([one, other, copy]):
        assert result.key_groups() == [["one", "copy"]] and result.ambiguous == {}, engine


def test_a_copy_whose_typo_hides_its_supplement_marker_joins_the_supplement_not_the_paper():
    authors = ("Perez Caceres", "Lopez-Ibanez", "Stutzle")
    paper = record("paper", "Ant colony optimization on a budget of 1000", 2014, authors=authors,
                   venue="Swarm Intelligence, 9th International Conference, ANTS 2014", volume=8667, page="50--61",
                   kind="chapter")
    supplement = record("supplement", "Ant colony optimization on a budget of 1000: supplementary material", 2014,
                        authors=authors, venue=None, kind="document")
    copy = record("copy", "ANT COLONY OPTIMIZATION ON A BUDGET OF 1000: SUPLPEMENTARY MATERIAL", 2015,
                  authors=authors, venue=None, kind="document")
    assert not compare(paper, supplement).same
    assert compare(copy, supplement).same and not compare(copy, paper).same
    for engine in engines():
        assert groups_of([paper, supplement, copy], engine) == [["supplement", "copy"]], engine


def test_a_copy_sharing_venue_and_page_with_one_of_two_works_joins_it_though_the_other_scores_higher():
    # one study as a meeting abstract and a year later in another journal (two DOIs: never one
    # work); another database's copy of the abstract lost its DOI and volume and its year moved:
    # it scores higher with the article (a year off costs more than another venue), but its
    # venue and page name the abstract
    title, authors = "Anti-atherosclerotic activity of lixisenatide in ApoE knockout mice", ("Tanaka", "Sato", "Ito")
    first = record("first", title, 2012, authors=authors, venue="Diabetologia", volume=55, issue="SUPPL. 1",
                   page="S334", doi="10.1007/s00125-012-2688-9")
    second = record("second", title, 2013, authors=authors, venue="Diabetes", volume=61, page="A254--A255",
                    doi="10.2337/db12-836-1328")
    copy = record("copy", title, 2013, authors=authors, venue="Diabetologia", page="S334")
    assert "vetoes" in compare(first, second).evidence
    assert compare(copy, first).same and compare(copy, second).same
    assert compare(copy, second).score > compare(copy, first).score
    for engine, result in results([first, second, copy]):
        assert result.key_groups() == [["first", "copy"]] and result.ambiguous == {}, engine


def test_the_dedupe_command_reports_an_ambiguous_record(tmp_path):
    path = tmp_path / "covers.json"
    bibtools.save(Library(list(covers())), path)
    data = json.loads(CliRunner().invoke(main, ["dedupe", str(path), "--json"]).stdout)
    assert data["groups"] == [] and data["ambiguous"] == [{"key": "copy", "fits": ["y2018", "y2019"]}]
    text = CliRunner().invoke(main, ["dedupe", str(path)])
    assert "note: copy fits y2018, y2019, which are not one work, equally well: joined to none of them" in text.stderr


def test_a_supplement_marker_is_read_through_a_letter_swapped_with_a_space():
    authors = ("Gnad", "Sievers", "Torralba")
    title = "Efficient evaluation of large abstractions for decoupled search: merge-and-shrink and symbolic pattern databases"
    paper = record("paper", title, 2023, authors=authors, venue="Proceedings of ICAPS", page="138--147",
                   kind="paper-conference")
    supplement = record("supplement", title + " - Supplementary Material", 2023, authors=authors, venue=None,
                        kind="document")
    for typo in (" - SupplementaryM aterial", " - Supplementar yMaterial", " - Supplementray Material"):
        copy = record("copy", title + typo, 2023, authors=authors, venue=None, kind="document")
        assert compare(copy, supplement).same and not compare(copy, paper).same, typo


def _phrases(parsed) -> list[str]:
    """Every string a finite regular expression (literals, classes of literals, groups,
    alternatives, bounded repeats, anchors) can match."""
    try:
        from re import _constants as c
    except ImportError:  # Python < 3.11
        import sre_constants as c  # type: ignore[no-redef]
    out = [""]
    for op, arg in parsed:
        if op is c.LITERAL:
            options = [chr(arg)]
        elif op is c.SUBPATTERN:
            options = _phrases(arg[-1])
        elif op is c.BRANCH:
            options = [s for branch in arg[1] for s in _phrases(branch)]
        elif op is c.MAX_REPEAT:
            low, high, sub = arg
            options = ["".join(p) for n in range(low, high + 1) for p in itertools.product(_phrases(sub), repeat=n)]
        elif op is c.AT:
            options = [""]
        elif op is c.IN:
            options = [chr(v) for o, v in arg if o is c.LITERAL]
        else:
            raise AssertionError(f"the kind patterns now use {op}: teach this test to read it")
        out = [a + b for a in out for b in options]
    return out


def test_the_marker_words_read_through_typos_are_the_kind_patterns_own_words():
    # title_kind reads a misspelt marker through _MARKER_WORDS, a list beside the patterns:
    # a word added to a pattern but not to the list would lose its typo reading
    try:
        from re import _parser as parser
    except ImportError:  # Python < 3.11
        import sre_parse as parser  # type: ignore[no-redef]
    function_words = {"a", "and", "in", "of", "on", "to"}
    words = {word for kind in (matchnorm._ERRATUM, matchnorm._REPLY, matchnorm._SUPPLEMENT)
             for phrase in _phrases(parser.parse(kind.pattern)) for word in phrase.split()}
    assert "suplpementary" in matchnorm._MISSPELT_MARKERS and "corrigenda" in words
    assert words - function_words == matchnorm._MARKER_WORDS
