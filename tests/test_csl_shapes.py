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


def test_the_shape_is_the_type_and_the_variables_set() -> None:
    engine = CslEngine(MIXED, [
        {"id": "a", "type": "book", "title": "A", "note": ""},
        {"id": "b", "type": "book", "title": "B", "note": " "},
        {"id": "c", "type": "book", "title": "C", "note": "n"},
        {"id": "d", "type": "report", "title": "D"},
    ], output="text")
    source = engine._registry.source
    a, b, c, d = (shapes.shape_of(source[k]) for k in ("a", "b", "c", "d"))
    assert a == b  # blank values are not set, as a variable condition reads them
    assert a != c and a != d
