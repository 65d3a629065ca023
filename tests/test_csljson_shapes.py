"""CSL-JSON read against the schema's shapes: a wrong shape is reported with the item's id,
the rest of the item is kept, and no item costs the file (issue 13).

Also: lone UTF-16 surrogates (JSON escapes, surrogateescape'd text) are replaced by U+FFFD and
reported in every reader; repeated ids (Better BibTeX exports) get unique keys, one warning each.
"""
from __future__ import annotations

import collections
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

import bibtools
from bibtools.cli import main
from bibtools.model import Date, Name
from bibtools.variables import DATE_VARIABLES, NAME_VARIABLES, NUMBER_VARIABLES, TEXT_VARIABLES

from conftest import CORPORA

WRONG_SHAPES = [
    # (item, the field's code in the report, what the item keeps)
    ({"id": "t1", "type": {"x": 1}, "title": "Type object"}, "csljson.bad-type", lambda it: it.type == "document"),
    ({"id": "t2", "type": ["book"], "title": "Type list"}, "csljson.bad-type", lambda it: it.type == "document"),
    ({"id": "d1", "type": "book", "title": "Parts float", "issued": {"date-parts": 1.5}}, "csljson.bad-date",
     lambda it: it["issued"].literal == "1.5"),
    ({"id": "d2", "type": "book", "title": "Parts junk", "issued": {"date-parts": [[2001, "x"]]}}, "csljson.bad-date",
     lambda it: it["issued"].parts == ((2001,),)),
    ({"id": "d3", "type": "book", "title": "Bare parts", "issued": [[1999, 4]]}, "csljson.bad-date",
     lambda it: it["issued"].parts == ((1999, 4),)),
    ({"id": "d4", "type": "book", "title": "Season list", "issued": {"date-parts": [[2000]], "season": [1]}}, "csljson.bad-date",
     lambda it: it["issued"].year == 2000),
    ({"id": "n1", "type": "book", "title": "Names", "author": [1, None, {"family": 3, "given": {"a": 1}}, {"family": "Ok"}]},
     "csljson.bad-names", lambda it: Name(family="Ok") in it["author"] and Name(literal="1") in it["author"]),
    ({"id": "v1", "type": "book", "title": 42, "volume": 3, "page": 12.5}, "csljson.bad-value",
     lambda it: (it["title"], it["volume"], it["page"]) == ("42", "3", "12.5")),
    ({"id": "v2", "type": "book", "title": ["A list", "of titles"], "DOI": ["10.1000/xyz"]}, "csljson.bad-value",
     lambda it: it["title"] == "A list; of titles" and it["DOI"] == "10.1000/xyz"),
    ({"id": "v3", "type": "book", "title": {"nested": True}, "note": True}, "csljson.bad-value",
     lambda it: it["title"] == '{"nested": true}' and it["note"] == "true"),
    ({"id": ["i1"], "type": "book", "title": "Id list"}, "csljson.bad-id", lambda it: it.extra["id"] == '["i1"]'),
]


def _run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize("obj, code, keeps", WRONG_SHAPES, ids=[w[0]["title"] if isinstance(w[0]["title"], str) else str(w[0]["id"]) for w in WRONG_SHAPES])
def test_wrong_shape_is_reported_with_the_id_and_the_item_kept(obj, code, keeps) -> None:
    good = {"id": "good", "type": "book", "title": "Good one", "issued": {"date-parts": [[2020]]}}
    lib = bibtools.load_string(json.dumps([obj, good]), "csljson", source="x.json")
    assert len(lib) == 2
    item = lib.items[0]
    assert keeps(item)
    reported = [d for d in lib.diagnostics if d.code == code]
    assert reported and all(d.source == "x.json" and d.line == 1 for d in reported)
    if isinstance(obj["id"], str):
        assert all(d.key == obj["id"] for d in reported)
    assert lib["good"].title == "Good one" and lib["good"].year == 2020


def test_every_command_survives_wrong_shapes(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([w[0] for w in WRONG_SHAPES], indent=1), encoding="utf-8")
    for args in (("convert", "--to", "bibtex"), ("convert", "--to", "ris"), ("convert", "--to", "csljson"),
                 ("format", "--style", "apa"), ("format", "--style", "ieee", "--output", "html"), ("dedupe", "-v")):
        result = _run(args[0], str(path), *args[1:])
        assert result.exit_code in (0, 1), (args, result.output)
        if args[0] != "dedupe":
            for title in ("Type object", "Parts float", "Names", "Id list"):
                assert title in result.stdout, (args, title)
        assert "csljson.bad-type" in result.stderr  # dedupe prints input problems with -v


def test_a_damaged_file_keeps_the_items_before_the_damage() -> None:
    text = '[\n {"id": "a", "title": "First"},\n {"id": "b", "title": "Second"},\n {"id": "c", "title": "Thi'
    lib = bibtools.load_string(text, "csljson", source="cut.json")
    assert lib.keys() == ["a", "b"]
    (problem,) = [d for d in lib.diagnostics if d.code == "csljson.syntax"]
    assert problem.line == 4 and "2 item(s) before it were read" in problem.message


def test_items_carry_their_line() -> None:
    text = '[\n  {"id": "a", "type": {"bad": 1}},\n\n  {"id": "b", "type": []}\n]\n'
    lib = bibtools.load_string(text, "csljson")
    assert [(d.key, d.line) for d in lib.diagnostics if d.code == "csljson.bad-type"] == [("a", 2), ("b", 4)]


# -- generated shapes: any JSON value under any CSL variable -----------------------------

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["date-parts", "season", "circa", "literal", "raw", "family", "given", "literal", "x"]), inner, max_size=3),
    max_leaves=10,
)
_VARIABLES = sorted(NAME_VARIABLES)[:6] + sorted(DATE_VARIABLES) + sorted(NUMBER_VARIABLES)[:6] + sorted(TEXT_VARIABLES)[:10] + [
    "id", "type", "custom", "title", "author", "issued"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from(_VARIABLES), _JSON, max_size=6), min_size=1, max_size=3))
def test_any_json_under_any_variable_reads_and_writes(items) -> None:
    lib = bibtools.load_string(json.dumps(items), "csljson")
    assert len(lib) == len(items)  # nothing lost: every object is an item
    for fmt in ("csljson", "bibtex", "biblatex", "ris"):
        bibtools.dump(lib, fmt)
    bibtools.format_bibliography(lib, "apa")


# -- lone surrogates --------------------------------------------------------------------

def test_lone_surrogate_in_csljson_through_the_cli(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text('[{"id": "s", "type": "book", "title": "lone \\ud800 here", "author": [{"family": "Ab\\udc00c"}]},'
                    ' {"id": "pair", "type": "book", "title": "smile \\ud83d\\ude00"}]', encoding="ascii")
    for args in (("format", "--style", "apa"), ("convert", "--to", "bibtex"), ("convert", "--to", "csljson"),
                 ("convert", "--to", "ris"), ("lint",)):
        result = _run(args[0], str(path), *args[1:])
        assert result.exit_code in (0, 1), result.output
        assert "cannot read" not in result.output
        if args[0] != "lint":
            assert "lone \ufffd here" in result.stdout and "Ab\ufffdc" in result.stdout
            assert "smile \U0001f600" in result.stdout  # a proper pair is one character, not a problem
        assert "surrogate" in (result.stdout if args[0] == "lint" else result.stderr)
    lib = bibtools.load(str(path))
    reported = [d for d in lib.diagnostics if d.code == "text.surrogate"]
    assert {(d.key, d.message.split(":")[0]) for d in reported} == {("s", "title"), ("s", "author")}


@pytest.mark.parametrize("fmt, text", [
    ("bibtex", "@article{k, title = {bad \udcff byte}, author = {Caf\udce9, Jean}, year = 2000}\n"),
    ("ris", "TY  - JOUR\nTI  - bad \udcff byte\nAU  - Caf\udce9, Jean\nPY  - 2000\nER  - \n"),
    ("csljson", '[{"id": "k", "title": "bad \udcff byte", "author": [{"family": "Caf\udce9"}]}]'),
    ("listing", "A Title With bad \udcff byte Inside\n\nJean Caf\udce9, Ann Other\n\nAbstract text long enough to be one.\n"),
])
def test_surrogateescaped_text_in_every_reader(fmt: str, text: str) -> None:
    lib = bibtools.load_string(text, fmt, source="in")
    dumped = "".join(bibtools.dump(lib, out) for out in ("csljson", "bibtex", "ris"))
    dumped.encode("utf-8")  # would raise on any surrogate left
    assert "\ufffd" in dumped
    assert any(d.code == "text.surrogate" for d in lib.diagnostics)


# -- repeated ids -------------------------------------------------------------------------

def test_repeated_ids_get_unique_keys_clear_of_later_ids(tmp_path: Path) -> None:
    items = [{"id": "x", "title": "One"}, {"id": "x", "title": "Two"}, {"id": "xa", "title": "Three"}, {"id": "x", "title": "Four"}]
    path = tmp_path / "rep.json"
    path.write_text(json.dumps(items, indent=1), encoding="utf-8")
    result = _run("convert", str(path), "--to", "csljson")
    assert [obj["id"] for obj in json.loads(result.stdout)] == ["x", "xb", "xa", "xc"]  # "xa" is a real id: it keeps it
    assert result.stderr.count("(keys.repeated)") == 2 and "[xb]" in result.stderr and "[xc]" in result.stderr
    assert result.exit_code == 1


def test_a_key_repeated_across_inputs_is_made_unique(tmp_path: Path) -> None:
    one, two = tmp_path / "one.json", tmp_path / "two.bib"
    one.write_text(json.dumps([{"id": "smith2020", "type": "book", "title": "From JSON"}]), encoding="utf-8")
    two.write_text("@book{smith2020, title = {From BibTeX}, year = 2020}\n", encoding="utf-8")
    result = _run("convert", str(one), str(two), "--to", "bibtex")
    assert "@book{smith2020," in result.stdout and "@book{smith2020a," in result.stdout  # the .bib key stays
    back = bibtools.load_string(result.stdout, "bibtex")
    assert back["smith2020"].title == "From BibTeX" and back["smith2020a"].title == "From JSON"


@pytest.mark.corpus
def test_better_bibtex_export_with_repeated_ids_round_trips_through_bibtex(tmp_path: Path) -> None:
    source = CORPORA / "csl-json" / "bbt-export-fixtures-combined.csl.json"
    ids = [str(obj["id"]) for obj in json.loads(source.read_text(encoding="utf-8"))]
    repeats = sum(n - 1 for n in collections.Counter(ids).values())
    assert repeats >= 20  # the corpus file does repeat ids (30 today)
    out = tmp_path / "bbt.bib"
    result = _run("convert", str(source), "--to", "bibtex", "-o", str(out))
    assert result.exit_code in (0, 1), result.output
    assert result.stderr.count("(keys.repeated)") == repeats
    back = bibtools.load(str(out))
    assert len(back) == len(ids) and len(set(back.keys())) == len(ids)
