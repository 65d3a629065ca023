"""Variables typed into an item's note ("cheater syntax") reach the formatted output."""
from __future__ import annotations

from bibtools.csl.engine import CslEngine
from bibtools.csl.notefields import expand_note

STYLE = b"""<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><id/><title/><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout>
    <group delimiter="; ">
      <text variable="title"/>
      <names variable="reviewed-author"><name/></names>
      <date variable="event-date"><date-part name="year"/></date>
      <text variable="note"/>
      <text variable="genre"/>
    </group>
  </layout></citation>
</style>"""


def test_note_lines_become_variables_and_leave_the_note() -> None:
    item = {
        "id": "a",
        "type": "review",
        "title": "On Things",
        "genre": "Review essay",
        "note": "reviewed-author: Hall || W.C.\nevent-date: 2004-10-01\ngenre: Ignored\nRead twice: see p. 3",
    }
    engine = CslEngine(STYLE, [item], output="text")
    assert engine.cite([{"id": "a"}]) == "On Things; W.C. Hall; 2004; Read twice: see p. 3; Review essay"


def test_unknown_or_uppercase_keys_stay_in_the_note() -> None:
    item = {"id": "b", "type": "book", "note": "PMID: 11797025\nfoo-bar: baz"}
    assert expand_note(item) is item
    expanded = expand_note({"id": "c", "type": "book", "note": "container-title: Container: a title"})
    assert expanded["container-title"] == "Container: a title"
    assert "note" not in expanded
