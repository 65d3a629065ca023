"""The CSL-JSON writer's own JSON text is byte for byte what ``json.dumps`` writes.

Two shortcuts stand in for ``json.dumps(..., ensure_ascii=False, indent=N)``:
``_jsontext.dumps`` for any JSON value, and ``csljson.item_json``, which writes an
item without building its dict first. Random values and items check both against
the standard library, odd shapes included (non-string keys, floats, flags on
names, fields named like the keys the writer adds itself).
"""
from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from bibtools.formats import _jsontext
from bibtools.formats.csljson import item_json, item_to_csl
from bibtools.model import Date, Item, Name

_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
_leaf = st.none() | st.booleans() | st.integers(-10**20, 10**20) | st.floats(allow_nan=False) | _text
_json = st.recursive(
    _leaf,
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(_text, inner, max_size=4)
    | st.dictionaries(st.integers(0, 9), inner, min_size=1, max_size=2),  # json turns the keys into text
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(_json, st.integers(0, 4), st.integers(0, 3))
def test_dumps_is_json_dumps(value, indent, level):
    expected = json.dumps(value, ensure_ascii=False, indent=indent)
    if level:
        expected = expected.replace("\n", "\n" + " " * indent * level)
    assert _jsontext.dumps(value, indent, level) == expected


_maybe_text = st.none() | st.just("") | _text
_names = st.builds(Name, family=_maybe_text, given=_maybe_text, dropping_particle=_maybe_text,
                   non_dropping_particle=_maybe_text, suffix=_maybe_text, literal=_maybe_text,
                   comma_suffix=st.booleans(), static_ordering=st.booleans())
_parts = st.tuples(st.integers(-500, 2100)) | st.tuples(st.integers(1, 2100), st.integers(1, 12))
_dates = st.builds(Date, parts=st.lists(_parts, max_size=2).map(tuple), season=st.none() | st.integers(1, 4) | _text,
                   circa=st.booleans(), literal=st.none() | _text, raw=st.none() | _text)
_field_names = st.sampled_from(["title", "author", "editor", "issued", "page", "id", "type", "custom", "note"]) | _text
_values = _text | st.lists(_names, max_size=3) | _dates


@settings(max_examples=300, deadline=None)
@given(_text | st.none(), st.dictionaries(_field_names, _values, max_size=6),
       st.dictionaries(_text, _text, max_size=2), st.integers(0, 4))
def test_item_json_is_json_dumps_of_item_to_csl(key, fields, extra, indent):
    item = Item(id=key, type="article-journal", fields=fields, extra=extra)
    expected = json.dumps(item_to_csl(item), ensure_ascii=False, indent=indent).replace("\n", "\n" + " " * indent)
    assert item_json(item, indent) == expected
