"""The CSL engine's interface: loading styles safely, citing, the bibliography."""
from __future__ import annotations

import pytest

from bibtools.csl import CslEngine, CslStyleError

STYLE = b"""<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>t</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
  <citation><layout prefix="(" suffix=")" delimiter="; ">
    <names variable="author"><name form="short"/></names>
    <date variable="issued" prefix=" "><date-part name="year"/></date>
  </layout></citation>
  <bibliography><sort><key variable="author"/></sort><layout suffix=".">
    <group delimiter=". ">
      <names variable="author"><name name-as-sort-order="all"/></names>
      <text variable="title" font-style="italic"/>
    </group>
  </layout></bibliography>
</style>"""

ITEMS = [
    {"id": "Zed1", "type": "book", "title": "Tom & <b>Jerry</b>", "author": [{"family": "Zed", "given": "Ann"}], "issued": {"date-parts": [[2001]]}},
    {"id": "abel", "type": "book", "title": "On H<sub>2</sub>O", "author": [{"family": "Abel", "given": "Bo"}], "issued": {"date-parts": [[1999]]}},
]


def test_cite_and_bibliography_in_style_order_keep_original_ids() -> None:
    engine = CslEngine(STYLE, ITEMS, output="html")
    assert engine.cite([{"id": "Zed1"}]) == "(Zed 2001)"
    assert engine.bibliography() == [
        ("abel", "Abel, Bo. <i>On H<sub>2</sub>O</i>."),
        ("Zed1", "Zed, Ann. <i>Tom &#38; <b>Jerry</b></i>."),
    ]
    assert engine.has_bibliography and not engine.is_note_style


def test_text_output_strips_markup() -> None:
    engine = CslEngine(STYLE, ITEMS, output="text")
    assert dict(engine.bibliography())["Zed1"] == "Zed, Ann. Tom & Jerry."


def test_unknown_id_is_reported_not_raised() -> None:
    engine = CslEngine(STYLE, ITEMS, output="text")
    assert "nobody?" in engine.cite([{"id": "nobody"}])
    assert any(p.code == "csl.unknown-id" for p in engine.problems)


def test_billion_laughs_is_refused_without_expansion() -> None:
    bomb = b"""<?xml version="1.0"?>
<!DOCTYPE style [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0"><citation><layout><text value="&d;"/></layout></citation></style>"""
    with pytest.raises(CslStyleError) as info:
        CslEngine(bomb, ITEMS)
    assert "\n" not in str(info.value)


def test_external_entity_is_refused() -> None:
    xxe = b"""<?xml version="1.0"?>
<!DOCTYPE style [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0"><citation><layout><text value="&x;"/></layout></citation></style>"""
    with pytest.raises(CslStyleError):
        CslEngine(xxe, ITEMS)


def test_not_a_style_and_broken_xml_are_one_line_errors(tmp_path) -> None:
    with pytest.raises(CslStyleError, match="not a CSL style"):
        CslEngine(b"<html/>", ITEMS)
    with pytest.raises(CslStyleError, match="not well-formed"):
        CslEngine(b"<style", ITEMS)
    with pytest.raises(CslStyleError, match="cannot read"):
        CslEngine(tmp_path / "missing.csl", ITEMS)


def test_locale_fallback_from_language_to_dialect() -> None:
    engine = CslEngine(STYLE, ITEMS, locale="de")
    assert engine.root.locale_name == "de-DE"
    engine = CslEngine(STYLE, ITEMS, locale="xx-YY")
    assert engine.root.locale_name == "en-US"
    assert any(p.code == "csl.locale" for p in engine.problems)


# -- behaviour the conformance layer adds to citeproc-py -------------------------

AUTHOR_DATE = b"""<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>t</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
  <citation disambiguate-add-year-suffix="true" collapse="year">
    <layout prefix="(" suffix=")" delimiter="; ">
      <group delimiter=", ">
        <names variable="author"><name form="short"/></names>
        <date variable="issued"><date-part name="year"/></date>
      </group>
      <text variable="locator" prefix=", p. "/>
    </layout>
  </citation>
  <bibliography hanging-indent="true"><sort><key variable="author"/><key variable="title"/></sort>
    <layout suffix=".">
      <group delimiter=". ">
        <names variable="author"><name name-as-sort-order="all" initialize-with=". "/></names>
        <date variable="issued" prefix="(" suffix=")"><date-part name="year"/></date>
        <text variable="title" quotes="true"/>
      </group>
    </layout>
  </bibliography>
</style>"""

KNUTH = [
    {"id": "b", "type": "book", "title": "Volume two", "author": [{"family": "Knuth", "given": "Donald Ervin"}], "issued": {"date-parts": [[1997]]}},
    {"id": "a", "type": "book", "title": "Volume one", "author": [{"family": "Knuth", "given": "Donald Ervin"}], "issued": {"date-parts": [[1997]]}},
    {"id": "c", "type": "book", "title": "Other", "author": [{"family": "Ó Briain", "given": "Jean-Pierre"}], "issued": {"date-parts": [[2001]]}},
]


def test_year_suffix_follows_bibliography_order_and_collapses() -> None:
    engine = CslEngine(AUTHOR_DATE, KNUTH, output="text")
    # "Volume one" sorts first, so it gets "a" although it was registered second
    assert engine.cite([{"id": "a"}]) == "(Knuth, 1997a)"
    assert engine.cite([{"id": "b"}, {"id": "a"}, {"id": "c"}]) == "(Knuth, 1997b, 1997a; Ó Briain, 2001)"
    assert [entry for _, entry in engine.bibliography()][:2] == [
        "Knuth, D. E. (1997a). “Volume one.”",
        "Knuth, D. E. (1997b). “Volume two.”",
    ]


def test_hyphenated_given_names_are_initialized_per_part() -> None:
    engine = CslEngine(AUTHOR_DATE, KNUTH, output="text")
    assert dict(engine.bibliography())["c"] == "Ó Briain, J.-P. (2001). “Other.”"


def test_suppress_author_and_author_only() -> None:
    engine = CslEngine(AUTHOR_DATE, KNUTH, output="text")
    assert engine.cite([{"id": "c", "suppress-author": True, "locator": "12"}]) == "(2001, p. 12)"
    assert engine.cite([{"id": "c", "author-only": True}]) == "Ó Briain"


def test_bibliography_html_carries_hanging_indent() -> None:
    engine = CslEngine(AUTHOR_DATE, KNUTH, output="html")
    assert engine.bibliography_format["hanging_indent"] is True
    html = engine.bibliography_html()
    assert html.startswith('<div class="csl-bib-body">')
    assert html.count('<div class="csl-entry" style="padding-left: 2em; text-indent: -2em; margin-bottom: 1em;">') == 3


NOTE = b"""<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0">
  <info><title>t</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
  <citation><layout suffix="." delimiter="; ">
    <choose>
      <if position="ibid-with-locator"><group delimiter=", "><text term="ibid"/><text variable="locator"/></group></if>
      <else-if position="ibid"><text term="ibid"/></else-if>
      <else-if position="subsequent"><names variable="author"><name form="short"/></names></else-if>
      <else><group delimiter=", "><names variable="author"/><text variable="title" font-style="italic"/><text variable="locator"/></group></else>
    </choose>
  </layout></citation>
</style>"""


def test_note_positions_first_ibid_subsequent() -> None:
    items = [
        {"id": "x", "type": "book", "title": "On <i>Cats</i>", "author": [{"family": "Doe", "given": "Jo"}]},
        {"id": "y", "type": "book", "title": "Dogs", "author": [{"family": "Roe", "given": "Al"}]},
    ]
    engine = CslEngine(NOTE, items, output="html")
    assert engine.cite([{"id": "x", "locator": "4"}], note_index=1) == "Jo Doe, <i>On <span style=\"font-style:normal;\">Cats</span></i>, 4."
    assert engine.cite([{"id": "x", "locator": "5"}], note_index=2) == "Ibid., 5."
    assert engine.cite([{"id": "x", "locator": "5"}], note_index=3) == "Ibid."
    assert engine.cite([{"id": "y"}], note_index=4) == "Al Roe, <i>Dogs</i>."
    assert engine.cite([{"id": "x"}], note_index=5) == "Doe."


def test_quotes_flip_and_punctuation_moves_inside() -> None:
    style = STYLE.replace(b'<text variable="title" font-style="italic"/>', b'<text variable="title" quotes="true"/>')
    items = [{"id": "q", "type": "book", "title": 'The "best" of it', "author": [{"family": "Qi", "given": "Li"}]}]
    engine = CslEngine(style, items, output="text")
    assert engine.bibliography() == [("q", "Qi, Li. “The ‘best’ of it.”")]


def test_page_range_formats() -> None:
    from bibtools.csl.pages import format_range

    assert format_range("321-328", "minimal", "–") == "321–8"
    assert format_range("321-328", "minimal-two", "–") == "321–28"
    assert format_range("1496-1504", "chicago-15", "–") == "1496–1504"
    assert format_range("1496-1504", "chicago-16", "–") == "1496–504"
    assert format_range("100-104", "chicago", "–") == "100–104"
    assert format_range("N110-N115", "expanded", "–") == "N110–N115"
    assert format_range("327\\-30", "expanded", "–") == "327-30"
    assert format_range("42-5, 71-72", "expanded", "–") == "42–45, 71–72"


def test_title_case_keeps_nocase_and_stop_words() -> None:
    from citeproc.string import MixedString, NoCase, String

    from bibtools.csl import textcase

    text = MixedString([String("a study of "), NoCase("mRNA"), String(" in man-made cells: the end")])
    assert str(textcase.apply(text, "title")) == "A Study of mRNA in Man-Made Cells: The End"
    assert str(textcase.apply(String("Deep Learning for NLP"), "sentence")) == "Deep learning for NLP"
    assert str(textcase.apply(String("arXiv preprint"), "capitalize-first")) == "arXiv preprint"


def test_shared_locale_does_not_leak_between_outputs() -> None:
    items = [{"id": "z", "type": "book", "title": "T & U", "author": [{"family": "Zed", "given": "A"}]}]
    html = CslEngine(STYLE, items, output="html").bibliography()
    text = CslEngine(STYLE, items, output="text").bibliography()
    assert html == [("z", "Zed, A. <i>T &#38; U</i>.")]
    assert text == [("z", "Zed, A. T & U.")]


def test_strip_periods_on_a_citation_number() -> None:
    # revista-da-sociedade-brasileira-de-medicina-tropical cites with
    # <text variable="citation-number" strip-periods="true"/>: the number is an int
    style = STYLE.replace(
        b'<names variable="author"><name form="short"/></names>\n    <date variable="issued" prefix=" "><date-part name="year"/></date>',
        b'<text variable="citation-number" strip-periods="true"/>',
    )
    assert style != STYLE
    engine = CslEngine(style, ITEMS, output="text")
    # numbers follow the bibliography's sort (by author: Abel first)
    assert [engine.cite([{"id": "Zed1"}]), engine.cite([{"id": "abel"}])] == ["(2)", "(1)"]
    assert engine.problems == []


def test_season_range_across_years_printed_without_its_year() -> None:
    # "11–12 AD. Spring–Summer" (citeproc-js): the seasons of a range across two years, in a
    # date that prints only the season, stay a range instead of losing the end
    style = b"""<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><id/><title/><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout delimiter="; "><group delimiter=". ">
    <date variable="issued"><date-part name="year"/></date>
    <date variable="issued"><date-part name="month"/></date>
  </group></layout></citation>
</style>"""
    items = [
        {"id": "a", "type": "book", "issued": {"date-parts": [[2011, 13], [2012, 14]]}},
        {"id": "b", "type": "book", "issued": {"date-parts": [[2011, 13], [2011, 14]]}},
    ]
    engine = CslEngine(style, items, output="text")
    assert engine.cite([{"id": "a"}]) == "2011–2012. Spring–Summer"
    assert engine.cite([{"id": "b"}]) == "2011. Spring–Summer"


def test_range_start_drops_its_last_part_suffix() -> None:
    # en-US text form is "January 1, 1800": the range's start ends before its day's ", "
    style = b"""<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><id/><title/><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout><date variable="issued" form="text"/></layout></citation>
</style>"""
    items = [
        {"id": "a", "type": "book", "issued": {"date-parts": [[1800, 1, 1], [1800, 12, 31]]}},
        {"id": "b", "type": "book", "issued": {"date-parts": [[1800, 1, 1], [1801, 12, 31]]}},
    ]
    engine = CslEngine(style, items, output="text")
    assert engine.cite([{"id": "a"}]) == "January 1–December 31, 1800"
    assert engine.cite([{"id": "b"}]) == "January 1, 1800–December 31, 1801"


def test_subsequent_author_substitute_keeps_the_names_label() -> None:
    # complete-all (citeproc-js): the repeated names become "---", their label stays
    style = b"""<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>t</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography subsequent-author-substitute="---"><sort><key variable="title"/></sort><layout suffix=".">
    <group delimiter=". ">
      <names variable="editor"><name/><label form="short" prefix=", "/></names>
      <text variable="title"/>
    </group>
  </layout></bibliography>
</style>"""
    editors = [{"family": "Roe", "given": "Ann"}, {"family": "Poe", "given": "Bo"}]
    items = [
        {"id": "a", "type": "book", "title": "Alpha", "editor": editors},
        {"id": "b", "type": "book", "title": "Beta", "editor": editors},
    ]
    entries = [text for _, text in CslEngine(style, items).bibliography()]
    assert entries == ["Ann Roe, Bo Poe, eds. Alpha.", "---, eds. Beta."]


def test_a_position_given_with_a_cite_wins_over_the_worked_out_one() -> None:
    style = b"""<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0">
  <info><title>t</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
  <citation><layout><choose>
    <if position="ibid"><text value="ibid"/></if>
    <else-if position="subsequent"><text value="short"/></else-if>
    <else><text variable="title"/></else>
  </choose></layout></citation>
</style>"""
    engine = CslEngine(style, [{"id": "a", "type": "book", "title": "Alpha"}])
    assert engine.cite([{"id": "a", "position": "subsequent"}], note_index=1) == "short"
    assert engine.cite([{"id": "a", "position": 0}], note_index=2) == "Alpha"  # (worked out: ibid)
    assert engine.cite([{"id": "a"}], note_index=3) == "ibid"


def test_angle_brackets_in_a_style_affix_are_escaped_in_html_only() -> None:
    style = b"""<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>t</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
  <citation><layout prefix="(" suffix=")"><text variable="URL" prefix="&lt;" suffix="&gt;"/></layout></citation>
</style>"""
    items = [{"id": "a", "type": "webpage", "URL": "http://x.org/a"}]
    assert CslEngine(style, items, output="html").cite([{"id": "a"}]) == "(&#60;http://x.org/a&#62;)"
    assert CslEngine(style, items, output="text").cite([{"id": "a"}]) == "(<http://x.org/a>)"


SHARED_MACRO = b"""<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <macro name="who"><names variable="author"><name initialize-with=". "/></names></macro>
  <macro name="kind">
    <choose><if type="book"><text value="Book"/></if><else-if variable="volume"><text variable="volume" prefix="vol. "/></else-if>
    <else><text value="Other"/></else></choose>
  </macro>
  <citation et-al-min="3" et-al-use-first="1" name-form="short"><layout delimiter="; ">
    <group delimiter=" "><text macro="who"/><text macro="kind"/></group></layout></citation>
  <bibliography et-al-min="5" et-al-use-first="4"><layout>
    <group delimiter=", "><text macro="who"/><text macro="kind"/></group></layout></bibliography>
</style>"""


def test_one_macro_renders_each_section_and_item_with_its_own_options_and_branches() -> None:
    # what the engine remembers per element (inherited name options, the branches' tests, the
    # children) is the style's: the same macro still follows the section and the item it renders
    authors = [{"family": f, "given": "Ann"} for f in ("Alpha", "Beta", "Gamma")]
    items = [
        {"id": "b", "type": "book", "author": authors},
        {"id": "v", "type": "article-journal", "volume": "7", "author": authors[:1]},
        {"id": "o", "type": "report", "author": authors[1:2]},
    ]
    engine = CslEngine(SHARED_MACRO, items, output="text")
    cites = [engine.cite([{"id": key}]) for key in ("b", "v", "o", "b")]
    assert cites == ["Alpha et al. Book", "Alpha vol. 7", "Beta Other", "Alpha et al. Book"]
    assert dict(engine.bibliography()) == {
        "b": "A. Alpha, A. Beta, A. Gamma, Book",
        "v": "A. Alpha, vol. 7",
        "o": "A. Beta, Other",
    }


def test_element_attributes_read_from_the_copy_follow_every_set() -> None:
    """Rendering reads a fixed element's attributes from a dict copied once; a ``set`` (the
    names element narrowing its variables while rendering) must reach that copy."""
    style = b"""<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
      <citation><layout><names variable="author editor" prefix="("/></layout></citation></style>"""
    engine = CslEngine(style, [{"id": "a", "type": "book", "author": [{"family": "Doe"}]}])
    names = engine.root.citation.layout.getchildren()[0]
    assert names.get("variable") == "author editor" and "prefix" in names.attrib
    names.set("variable", "editor")
    assert names.get("variable") == "editor" and names.attrib["variable"] == "editor"
    assert names.xpath("string(@variable)") == "editor"  # the XML itself changed too
    names.set("variable", "author editor")
    assert engine.cite([{"id": "a"}]) == "(Doe"


def test_a_style_date_part_override_stays_with_its_style() -> None:
    """A style's date-part attributes apply to the shared locale date it calls only while
    that style renders: the next style using the same locale date sees the locale's own."""
    def style(override: str) -> bytes:
        return f"""<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
          <citation><layout><date variable="issued" form="text">{override}</date></layout></citation></style>""".encode()

    items = [{"id": "a", "type": "book", "issued": {"date-parts": [[2020, 3, 5]]}}]
    short = style('<date-part name="month" form="short" strip-periods="true"/>')
    plain = style("")
    assert CslEngine(short, items, output="text").cite([{"id": "a"}]) == "Mar 5, 2020"
    assert CslEngine(plain, items, output="text").cite([{"id": "a"}]) == "March 5, 2020"
    assert CslEngine(short, items, output="text").cite([{"id": "a"}]) == "Mar 5, 2020"
