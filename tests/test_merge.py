"""Merging libraries: field by field, nothing lost, keys stable, idempotent."""
from __future__ import annotations

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bibtools import Date, Item, Library, Name
from bibtools.merge import merge, render_value


def art(key, title, authors=("Smith", "Jones"), year=2020, **fields):
    item = Item(key, fields.pop("type", "article-journal"))
    item["title"] = title
    item["author"] = [Name(family=a, given="A.") for a in authors]
    if year is not None:
        item["issued"] = Date(((year,),))
    extra = fields.pop("extra", {})
    for name, value in fields.items():
        item[name.replace("_", "-")] = value
    item.extra.update(extra)
    return item


def test_missing_fields_are_filled_and_conflicts_reported():
    base = Library([art("smith2020", "Fire and birds in boreal forests", container_title="Ibis", volume="12")])
    incoming = Library([art("S20", "FIRE AND BIRDS IN BOREAL FORESTS", container_title="Ibis", volume="13", page="1-10", DOI="10.1234/fb")])
    result = merge(base, incoming)
    item = result.library["smith2020"]
    assert item["page"] == "1-10" and item["DOI"] == "10.1234/fb"  # filled
    assert item["volume"] == "12" and item.title == "Fire and birds in boreal forests"  # base preferred
    conflicts = {(n.field, n.value, n.other) for n in result.report.conflicts}
    assert ("volume", "12", "13") in conflicts
    assert ("title", "Fire and birds in boreal forests", "FIRE AND BIRDS IN BOREAL FORESTS") in conflicts
    title_note = next(n for n in result.report.conflicts if n.field == "title")
    assert title_note.cosmetic  # only case differs
    assert result.changed == ["smith2020"] and result.added == []
    assert item.extra["ids"] == "S20"  # the absorbed key still resolves


def test_prefer_incoming_takes_the_other_side_and_reports_the_base_value():
    base = Library([art("a", "Fire and birds in boreal forests", volume="12")])
    incoming = Library([art("b", "Fire and birds in boreal forests", volume="13")])
    result = merge(base, incoming, prefer="incoming")
    assert result.library["a"]["volume"] == "13"
    note = next(n for n in result.report.conflicts if n.field == "volume")
    assert (note.value, note.other) == ("13", "12")


def test_keywords_are_united_not_conflicting():
    base = Library([art("a", "Fire and birds in boreal forests", keyword="fire, birds", extra={"keywords": "Fire; Birds"})])
    incoming = Library([art("b", "Fire and birds in boreal forests", keyword="birds, boreal forest", extra={"keywords": "birds; Savanna"})])
    item = merge(base, incoming).library["a"]
    assert item["keyword"] == "fire, birds, boreal forest"
    assert item.extra["keywords"] == "Fire; Birds; Savanna"


def test_new_records_are_appended_and_colliding_keys_replaced():
    base = Library([art("smith2020", "Fire and birds in boreal forests")])
    incoming = Library([art("smith2020", "Something else entirely about whales", authors=("Moby",)), art("new1", "Owls at night")])
    result = merge(base, incoming, key_maker=lambda item: "moby2020")
    assert result.library.keys() == ["smith2020", "moby2020", "new1"]
    assert result.added == ["moby2020", "new1"]
    assert result.report.renamed == [("smith2020", "moby2020")]
    assert result.library["smith2020"].title == "Fire and birds in boreal forests"  # base untouched


def test_fresh_keys_never_collide_even_with_aliases():
    base = Library([art("x", "Fire and birds in boreal forests", extra={"ids": "y"})])
    incoming = Library([art("x", "Whales", authors=("Moby",)), art("y", "Owls", authors=("Hoot",)), art("x", "Seals", authors=("Seal",))])
    result = merge(base, incoming)
    keys = result.library.keys()
    assert len(keys) == len(set(keys)) == 4
    assert not ({"y"} & set(keys))


def test_preprint_takes_the_published_venue_and_keeps_its_arxiv_id():
    pre = art("vaswani2017", "Attention is all you need", authors=("Vaswani", "Shazeer"), year=2017, type="article",
              container_title="arXiv", DOI="10.48550/arXiv.1706.03762")
    pub = art("V18", "Attention Is All You Need", authors=("Vaswani", "Shazeer"), year=2018, type="paper-conference",
              container_title="Advances in Neural Information Processing Systems", DOI="10.5555/3295222.3295349")
    result = merge(Library([pre]), Library([pub]))  # prefer base, but the published venue wins
    item = result.library["vaswani2017"]
    assert item.type == "paper-conference"
    assert item["container-title"] == "Advances in Neural Information Processing Systems"
    assert item["DOI"] == "10.5555/3295222.3295349"
    assert item.extra["eprint"] == "1706.03762" and item.extra["eprinttype"] == "arxiv"
    kinds = {(n.field, n.kind, n.other) for n in result.report.notes}
    assert ("DOI", "published", "10.48550/arXiv.1706.03762") in kinds
    assert ("title", "conflict", "Attention Is All You Need") in kinds  # the title is not venue: base kept


def test_inputs_are_not_modified():
    base = Library([art("a", "Fire and birds in boreal forests")])
    incoming = Library([art("b", "Fire and birds in boreal forests", page="1-2")])
    snapshot = (copy.deepcopy(base.items), copy.deepcopy(incoming.items))
    merge(base, incoming)
    assert (base.items, incoming.items) == snapshot


def test_merging_a_library_with_itself_changes_nothing():
    items = [art("a", "Fire and birds in boreal forests"), art("b", "Owls at night", authors=("Hoot",)), art("a2", "Fire and birds in boreal forests")]
    lib = Library(items)
    result = merge(lib, Library(copy.deepcopy(items)))
    assert result.library.items == items
    assert result.changed == [] and result.added == []


def test_prefer_must_be_known():
    with pytest.raises(ValueError):
        merge(Library(), Library(), prefer="newest")  # type: ignore[arg-type]


# -- nothing lost, idempotence: property tests ---------------------------------------------

WORDS = st.sampled_from("fire birds forest boreal owl nest burn grass marsh savanna heron".split())
TEXT_FIELDS = ["container-title", "volume", "page", "publisher", "note", "keyword", "DOI"]


@st.composite
def items(draw, prefix: str):
    n = draw(st.integers(0, 5))
    out = []
    for i in range(n):
        title = " ".join(draw(st.lists(WORDS, min_size=3, max_size=6)))
        item = art(f"{prefix}{draw(st.integers(0, 6))}", title,
                   authors=tuple(draw(st.lists(st.sampled_from(["Ng", "Lee", "Kim", "Roe"]), min_size=1, max_size=3))),
                   year=draw(st.integers(2000, 2003)))
        for name in draw(st.lists(st.sampled_from(TEXT_FIELDS), max_size=4, unique=True)):
            value = ", ".join(draw(st.lists(WORDS, min_size=1, max_size=3)))
            item[name] = "10.1234/" + value.replace(", ", ".") if name == "DOI" else value
        for name in draw(st.lists(st.sampled_from(["abstract", "keywords", "file", "ids"]), max_size=2, unique=True)):
            item.extra[name] = ", ".join(draw(st.lists(WORDS, min_size=1, max_size=3)))
        out.append(item)
    return out


def _accounted(result, item) -> None:
    """Every field value of ``item`` is in the merged library or in the report."""
    lib = result.library
    notes = result.report.notes
    keys = [b for a, b in result.report.new if a == item.id] + [b for a, b, _ in result.report.matched if a == item.id]
    assert keys, item.id
    homes = [it for it in lib if it.id in keys]  # base keys may repeat
    for name, value in list(item.fields.items()) + [(f"extra:{k}", v) for k, v in item.extra.items()] + [("type", item.type)]:
        rendered = render_value(value)
        if name == "type":
            found = any(h.type == value for h in homes)
        elif name.startswith("extra:"):
            found = any(_contains(h.extra.get(name[6:], ""), rendered) for h in homes)
        else:
            found = any(h.fields.get(name) == value or _contains(render_value(h.fields.get(name, "")), rendered) for h in homes)
        found = found or any(n.field == name and rendered in (n.value, n.other) for n in notes)
        assert found, (item.id, name, rendered)


def _contains(held: str, value: str) -> bool:
    """A list field holds every element of ``value``."""
    if held == value:
        return True
    parts = [p.strip().casefold() for p in value.replace(";", ",").split(",") if p.strip()]
    have = {p.strip().casefold() for p in held.replace(";", ",").split(",")}
    return bool(parts) and all(p in have for p in parts)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items("b"), items("i"), st.sampled_from(["base", "incoming"]), st.data())
def test_no_value_of_any_input_is_lost(base_items, incoming_items, prefer, data):
    # make some incoming records variants of base records, so matches happen
    for item in incoming_items:
        if base_items and data.draw(st.booleans()):
            twin = data.draw(st.sampled_from(base_items))
            item["title"] = twin.title.upper()
            item["author"] = copy.deepcopy(twin.authors)
            item["issued"] = copy.deepcopy(twin.issued)
    base, incoming = Library(base_items), Library(incoming_items)
    result = merge(base, incoming, prefer=prefer)
    for item in incoming_items:
        _accounted(result, item)
    # base: same keys, in order, and every base value still present or reported
    assert result.library.keys()[: len(base_items)] == [i.id for i in base_items]
    for original, merged in zip(base_items, result.library.items):
        for name, value in original.fields.items():
            assert merged.fields.get(name) == value or _contains(render_value(merged.fields.get(name, "")), render_value(value)) or any(
                n.key == original.id and n.field == name and render_value(value) in (n.value, n.other) for n in result.report.notes
            )
    # keys stay unique when the base's were
    if len({i.id for i in base_items}) == len(base_items):
        assert len(set(result.library.keys())) == len(result.library)


@settings(max_examples=60, deadline=None)
@given(items("b"), items("i"), st.sampled_from(["base", "incoming"]))
def test_merging_the_same_input_twice_is_idempotent(base_items, incoming_items, prefer):
    once = merge(Library(base_items), Library(incoming_items), prefer=prefer)
    twice = merge(once.library, Library(copy.deepcopy(incoming_items)), prefer=prefer)
    assert twice.library.items == once.library.items
    assert twice.added == [] and twice.changed == []
