"""A cs:choose works out its branch once per item shape (``csl.shapes``): items of one
shape share it, items of another do not, and what the shape does not tell (the cite's
position, a year-suffix given later) is still asked each time."""
from __future__ import annotations

from bibtools.csl import CslEngine, shapes

HEAD = b"""<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>t</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
"""

# the type and variable tests come first; the position test after them cannot be kept per shape
MIXED = HEAD + b"""
  <citation><layout delimiter="; ">
    <choose>
      <if type="book"><text value="B"/></if>
      <else-if variable="DOI" match="any"><text value="D"/></else-if>
      <else-if position="subsequent"><text value="S"/></else-if>
      <else><text value="F"/></else>
    </choose>
  </layout></citation>
</style>"""

# the year-suffix is set by disambiguation, after the items' shapes were first worked out
SUFFIXED = HEAD + b"""
  <citation disambiguate-add-year-suffix="true"><layout delimiter="; ">
    <group delimiter=" ">
      <names variable="author"><name form="short"/></names>
      <date variable="issued"><date-part name="year"/></date>
      <choose>
        <if variable="year-suffix"><text value="[suffixed]"/></if>
        <else><text value="[plain]"/></else>
      </choose>
    </group>
  </layout></citation>
</style>"""


def test_items_of_different_shapes_take_their_own_branches() -> None:
    items = [
        {"id": "b1", "type": "book", "title": "One"},
        {"id": "d1", "type": "article-journal", "title": "Two", "DOI": "10.1/x"},
        {"id": "b2", "type": "book", "title": "Three"},
        {"id": "p1", "type": "article-journal", "title": "Four"},
        {"id": "d2", "type": "article-journal", "title": "Five", "DOI": "10.1/y"},
        {"id": "e1", "type": "article-journal", "title": "Six", "DOI": " "},  # blank: not set
    ]
    engine = CslEngine(MIXED, items, output="text")
    assert [engine.cite([{"id": i["id"]}]) for i in items] == ["B", "D", "B", "F", "D", "F"]


def test_a_position_test_after_the_shape_tests_is_asked_at_each_cite() -> None:
    engine = CslEngine(MIXED, [{"id": "a", "type": "article-journal", "title": "A"}], output="text")
    assert [engine.cite([{"id": "a"}]) for _ in range(3)] == ["F", "S", "S"]
    # a second engine on the same (pooled) style: the first cite is first again
    again = CslEngine(MIXED, [{"id": "a", "type": "article-journal", "title": "A"}], output="text")
    assert again.cite([{"id": "a"}]) == "F"


def test_a_year_suffix_given_by_disambiguation_changes_the_shape() -> None:
    person = [{"family": "Smith", "given": "Ann"}]
    items = [
        {"id": "x", "type": "book", "title": "X", "author": person, "issued": {"date-parts": [[2001]]}},
        {"id": "y", "type": "book", "title": "Y", "author": person, "issued": {"date-parts": [[2001]]}},
        {"id": "z", "type": "book", "title": "Z", "author": person, "issued": {"date-parts": [[2002]]}},
    ]
    engine = CslEngine(SUFFIXED, items, output="text")
    assert engine.cite([{"id": "x"}]) == "Smith 2001a [suffixed]"
    assert engine.cite([{"id": "y"}]) == "Smith 2001b [suffixed]"
    assert engine.cite([{"id": "z"}]) == "Smith 2002 [plain]"


def test_the_shape_is_the_type_the_variables_set_and_the_blank_ones() -> None:
    engine = CslEngine(MIXED, [
        {"id": "a", "type": "book", "title": "A"},
        {"id": "b", "type": "book", "title": "B", "note": " "},
        {"id": "c", "type": "book", "title": "C", "note": "   "},
        {"id": "d", "type": "book", "title": "D", "note": "n"},
        {"id": "e", "type": "report", "title": "E"},
    ], output="text")
    source = engine._registry.source
    a, b, c, d, e = (shapes.shape_of(source[k]) for k in "abcde")
    assert b == c  # the blank values themselves do not count
    assert len({a, b, d, e}) == 4  # no note, a blank note (a key some elements read), a note, another type


# a macro that prints nothing for an item without a container is skipped for the next
# item of that shape; what it leaves behind (a called variable, an incomplete entry) stays
REPLAYED = HEAD + b"""
  <macro name="title">
    <choose>
      <if type="book"><text variable="title" text-case="title"/></if>
      <else><text variable="title"/></else>
    </choose>
  </macro>
  <macro name="container">
    <choose>
      <if type="book"><text variable="publisher"/></if>
      <else><text variable="container-title" font-style="italic"/></else>
    </choose>
  </macro>
  <macro name="pages">
    <choose>
      <if is-numeric="volume"><text variable="volume" prefix="vol. "/></if>
      <else-if variable="volume"><text variable="volume" prefix="volume "/></else-if>
    </choose>
  </macro>
  <citation><layout>
    <choose>
      <if locator="page"><text value="page"/></if>
      <else-if variable="locator"><text value="other locator"/></else-if>
      <else><text value="none"/></else>
    </choose>
  </layout></citation>
  <bibliography><layout suffix=".">
    <group delimiter=", ">
      <text macro="title"/>
      <group delimiter=" "><text term="in"/><text macro="container"/></group>
      <text macro="pages"/>
    </group>
  </layout></bibliography>
</style>"""


def _entries(items: list[dict[str, object]]) -> tuple[dict[str, str], CslEngine]:
    engine = CslEngine(REPLAYED, items, output="text")
    return dict(engine.bibliography()), engine


def test_a_group_suppressed_for_one_item_is_suppressed_for_each_of_its_shape() -> None:
    entries, _ = _entries([
        {"id": f"bare{n}", "type": "article-journal", "title": f"Bare {n}"} for n in range(3)
    ] + [{"id": "full", "type": "article-journal", "title": "Full", "container-title": "Journal"}])
    assert [entries[f"bare{n}"] for n in range(3)] == ["Bare 0.", "Bare 1.", "Bare 2."]  # no stray "in"
    assert entries["full"] == "Full, in Journal."


def test_each_entry_of_a_shape_that_lacks_a_title_is_reported() -> None:
    entries, engine = _entries([
        {"id": f"untitled{n}", "type": "article-journal", "container-title": f"J{n}"} for n in range(3)
    ])
    assert entries == {f"untitled{n}": f"In J{n}." for n in range(3)}  # (a leading term is capitalized)
    incomplete = sorted(p.key for p in engine.problems if p.code == "csl.incomplete")
    assert incomplete == ["untitled0", "untitled1", "untitled2"]


def test_a_value_test_is_asked_where_the_item_has_the_variable() -> None:
    entries, _ = _entries([
        {"id": "n", "type": "book", "title": "N", "volume": "3"},
        {"id": "t", "type": "book", "title": "T", "volume": "three"},
        {"id": "x", "type": "book", "title": "X"},
        {"id": "n2", "type": "book", "title": "N2", "volume": "4"},
    ])
    assert entries == {"n": "N, vol. 3.", "t": "T, volume three.", "x": "X.", "n2": "N2, vol. 4."}


def test_a_locator_test_is_asked_where_the_cite_has_a_locator() -> None:
    engine = CslEngine(REPLAYED, [{"id": "a", "type": "book", "title": "A"}], output="text")
    cites = [{"id": "a"}, {"id": "a", "locator": "4", "label": "page"}, {"id": "a", "locator": "2", "label": "chapter"}, {"id": "a"}]
    assert [engine.cite([c]) for c in cites] == ["none", "page", "other locator", "none"]


def test_an_element_that_keeps_no_more_shapes_still_chooses_right(monkeypatch) -> None:
    monkeypatch.setattr(shapes, "MEMO_MOST", 1)
    items = [
        {"id": "b1", "type": "book", "title": "One"},
        {"id": "d1", "type": "article-journal", "title": "Two", "DOI": "10.1/x"},
        {"id": "p1", "type": "article-journal", "title": "Four"},
        {"id": "b2", "type": "book", "title": "Three"},
    ]
    engine = CslEngine(MIXED.replace(b"<id>t</id>", b"<id>capped</id>"), items, output="text")
    assert [engine.cite([{"id": i["id"]}]) for i in items] == ["B", "D", "F", "B"]
    entries, _ = _entries([{"id": f"bare{n}", "type": "report", "title": f"Bare {n}"} for n in range(2)])
    assert entries == {"bare0": "Bare 0.", "bare1": "Bare 1."}
