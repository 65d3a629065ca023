"""Punctuation, quotes, ordinals, seasons and title case the way citeproc-js writes them."""
from __future__ import annotations

from bibtools.csl.engine import CslEngine

HEAD = '<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0"{attrs}>' \
    '<info><id/><title/><updated>2024-01-01T00:00:00+00:00</updated></info>{locale}' \
    '<citation><layout delimiter="; ">{layout}</layout></citation></style>'


def style(layout: str, locale: str = "", attrs: str = "") -> bytes:
    return HEAD.format(layout=layout, locale=locale, attrs=attrs).encode("utf-8")


def cite(layout: str, items: list[dict], cites: list[dict] | None = None, *, output: str = "text", **kw: str) -> str:
    engine = CslEngine(style(layout, **kw), items, output=output)  # type: ignore[arg-type]
    return engine.cite(cites or [{"id": item["id"]} for item in items])


def test_question_mark_replaces_a_colon_and_moves_into_the_quote() -> None:
    layout = '<group><text quotes="true" value="Why" suffix=":"/><text value="end" prefix="? "/></group>'
    assert cite(layout, [{"id": "a", "type": "book"}]) == "“Why?” end"


def test_quotes_typed_in_a_cite_suffix_keep_the_period_outside() -> None:
    layout = '<text variable="title"/>'
    out = cite(layout, [{"id": "a", "type": "book", "title": "Some title"}], [{"id": "a", "suffix": ', "Hello there".'}])
    assert out == "Some title, “Hello there”."


def test_a_cite_suffix_ending_in_a_comma_replaces_the_delimiter() -> None:
    items = [{"id": "a", "type": "book", "title": "One"}, {"id": "b", "type": "book", "title": "Two"}]
    out = cite('<text variable="title"/>', items, [{"id": "a", "suffix": " is one source,"}, {"id": "b"}])
    assert out == "One is one source, Two"


def test_ordinals_follow_the_gender_of_the_noun() -> None:
    locale = (
        '<locale><terms><term name="ordinal">.ª</term><term name="ordinal-01" gender-form="masculine">.º</term>'
        '<term name="issue" gender="masculine">issue</term><term name="edition" gender="feminine">edition</term>'
        "</terms></locale>"
    )
    layout = '<group delimiter=", "><number variable="edition" form="ordinal"/><number variable="issue" form="ordinal"/></group>'
    out = cite(layout, [{"id": "a", "type": "book", "edition": "1", "issue": "1"}], locale=locale)
    assert out == "1.ª, 1.º"


def test_english_ordinals_keep_their_teens() -> None:
    layout = '<number variable="edition" form="ordinal"/>'
    items = [{"id": str(n), "type": "book", "edition": str(n)} for n in (1, 2, 11, 12, 13, 21, 112)]
    assert cite(layout, items) == "1st; 2nd; 11th; 12th; 13th; 21st; 112th"


def test_months_21_to_24_are_seasons() -> None:
    layout = '<date variable="issued" form="text" date-parts="year-month-day"/>'
    items = [{"id": "a", "type": "book", "issued": {"date-parts": [[1999, 21], [1999, 22]]}}]
    assert cite(layout, items) == "Spring–Summer 1999"


def test_title_case_capitalizes_inside_quotes_and_the_last_word() -> None:
    layout = '<text variable="title" text-case="title"/>'
    items = [{"id": "a", "type": "book", "title": 'from "distance" to research for'}]
    assert cite(layout, items) == "From “Distance” to Research For"


def test_angle_brackets_in_a_number_are_escaped_not_split() -> None:
    out = cite('<number variable="number"/>', [{"id": "a", "type": "book", "number": "1<sup>er</sup>"}], output="html")
    assert out == "1&#60;sup&#62;er&#60;/sup&#62;"


def test_a_period_moved_into_quotes_stays_after_the_italics_that_end_the_title() -> None:
    """"… <i>urbis</i>." in US quotes: citeproc-js puts the period between the tags and the quote."""
    layout = '<group delimiter=" "><text variable="title" quotes="true" suffix="."/><text value="Next"/></group>'
    item = {"id": "a", "type": "article-journal", "title": "A translation of <i>Bella Parisiacae urbis</i>"}
    assert cite(layout, [item], output="html") == "“A translation of <i>Bella Parisiacae urbis</i>.” Next"
    assert cite(layout, [item]) == "“A translation of Bella Parisiacae urbis.” Next"


def test_an_empty_name_holds_its_place_when_et_al_counts() -> None:
    """Manubot writes ``{}`` among real authors; citeproc-js counts it as a name that prints nothing."""
    layout = ('<names variable="author"><name et-al-min="4" et-al-use-first="3" delimiter=", " initialize-with="."/>'
              '</names>')
    people = [{"family": f, "given": "Ann"} for f in ("Abe", "Bo", "Cruz", "Diaz")]
    with_blank = {"id": "a", "type": "book", "author": [people[0], {}, *people[1:]]}
    assert cite(layout, [with_blank]) == "A. Abe, A. Bo, et al."
    assert cite(layout, [{"id": "b", "type": "book", "author": people}]) == "A. Abe, A. Bo, A. Cruz, et al."
    only_blank = {"id": "c", "type": "book", "author": [{}], "title": "Untitled"}
    substitute = '<names variable="author"><name/><substitute><text variable="title"/></substitute></names>'
    assert cite(substitute, [only_blank]) == "Untitled"  # an empty name alone is no author
