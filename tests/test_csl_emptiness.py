"""Groups and macros known from the style not to print for an item are not rendered
(``csl.emptiness``): what they would have told their parent is the same, and so is
every cite and entry."""
from __future__ import annotations

import json

import pytest

from bibtools.csl import CslEngine, emptiness, style as style_module
from bibtools.csl.styles import resolve_style

from conftest import FIXTURES

ITEMS = json.loads((FIXTURES / "csl_sorting" / "items.json").read_text(encoding="utf-8"))
STYLES = ["apa", "ieee", "chicago-author-date", "chicago-fullnote-bibliography", "modern-language-association", "nature"]
NS = "{http://purl.org/net/xbiblio/csl}"

STYLE = b"""<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>t</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
  <macro name="online">
    <group delimiter=". " prefix=" ">
      <group delimiter=": "><text term="accessed"/><date variable="accessed" form="text"/></group>
      <group prefix="[" suffix="]">
        <choose><if variable="medium"><text variable="medium"/></if><else><text term="online"/></else></choose>
      </group>
    </group>
  </macro>
  <macro name="url">
    <group delimiter=": "><text term="available at"/><text variable="URL"/></group>
  </macro>
  <macro name="maybe">
    <choose><if type="book"><text variable="edition"/></if></choose>
  </macro>
  <macro name="edited">
    <group><names variable="editor"><name/><substitute><text variable="title"/></substitute></names></group>
  </macro>
  <macro name="tested">
    <choose><if disambiguate="true"><text variable="genre"/></if><else><text variable="medium"/></else></choose>
  </macro>
  <macro name="pages">
    <group delimiter=" "><label variable="page" form="short"/><text variable="page-first"/><text variable="title" form="short"/></group>
  </macro>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography><layout>
    <text variable="title"/><text macro="online"/><text macro="url"/><text macro="maybe"/>
    <text macro="edited"/><text macro="tested"/><text macro="pages"/>
  </layout></bibliography>
</style>"""


def _macros() -> dict[str, object]:
    engine = CslEngine(STYLE, [{"id": "a", "type": "book", "title": "T"}], output="text")
    return {m.get("name"): m for m in engine.root.iter(f"{NS}macro")}


def test_a_term_beside_a_variable_that_is_always_called_does_not_keep_the_group() -> None:
    plan = emptiness.plan_of(_macros()["url"])
    assert plan is not None and set(plan.keys) == {"URL"} and plan.terms and not plan.names


def test_what_may_print_terms_alone_is_left_to_the_renderer() -> None:
    macros = _macros()
    # "[Online]" prints on its own when there is no medium: the outer group then prints
    assert emptiness.plan_of(macros["online"]) is None
    assert emptiness.plan_of(macros["maybe"]) is None  # no branch may be taken
    assert emptiness.plan_of(macros["edited"]) is None  # a substitute
    assert emptiness.plan_of(macros["tested"]) is None  # counts its conditions


def test_the_variables_looked_for_include_the_forms_read_in_their_place() -> None:
    plan = emptiness.plan_of(_macros()["pages"])
    assert plan is not None
    assert {"page", "page-first", "page_first", "title", "title-short", "title_short"} <= set(plan.keys)
    assert plan.essential == {"title"}  # an absent title is reported, so that group renders


def _render(style: str, output: str) -> tuple[list[str], list[tuple[str, str]], list[str]]:
    style_module._pool.clear()  # (a fresh parse: the plans are kept on the elements)
    engine = CslEngine(resolve_style(style).path, ITEMS, output=output)  # type: ignore[arg-type]
    cites = [engine.cite([{"id": item["id"], "locator": "12"}], note_index=n) for n, item in enumerate(ITEMS, 1)]
    cites.append(engine.cite([{"id": ITEMS[0]["id"]}], note_index=len(ITEMS) + 1))
    return cites, engine.bibliography(), [str(p) for p in engine.problems]


@pytest.mark.parametrize("output", ["text", "html"])
@pytest.mark.parametrize("style", STYLES)
def test_skipping_what_cannot_print_changes_no_cite_entry_or_report(style: str, output: str, monkeypatch: pytest.MonkeyPatch) -> None:
    skipped = []
    real = emptiness.cannot_print

    def counting(plan: emptiness.Plan, item: object) -> bool:
        answer = real(plan, item)
        skipped.append(answer)
        return answer

    monkeypatch.setattr(emptiness, "cannot_print", counting)
    fast = _render(style, output)
    assert any(skipped), "nothing was skipped: the test would prove nothing"
    monkeypatch.setattr(emptiness, "plan_of", lambda element: None)
    assert _render(style, output) == fast
    style_module._pool.clear()
