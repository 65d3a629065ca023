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
