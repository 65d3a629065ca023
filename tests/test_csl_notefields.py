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


def test_note_date_with_an_iso_time_keeps_its_date() -> None:
    # Manubot writes GitHub's timestamps: "original-date: 2017-01-02T20:17:11Z"; citeproc-js
    # prints "2017" / "2 Jan. 2017" from it, not the timestamp as a literal
    item = {"id": "g", "type": "software", "note": "original-date: 2017-01-02T20:17:11Z\nstandard_id: url:x"}
    assert expand_note(item)["original-date"] == {"date-parts": [[2017, 1, 2]]}
    ranged = expand_note({"id": "h", "type": "book", "note": "event-date: 2017-01-02T20:17Z/2018-03-04T01:02:03+02:00"})
    assert ranged["event-date"] == {"date-parts": [[2017, 1, 2], [2018, 3, 4]]}
    # a time without a full date is not a date
    assert expand_note({"id": "i", "type": "book", "note": "event-date: 2017T10:00"})["event-date"] == {"raw": "2017T10:00"}
