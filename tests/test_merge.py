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


# -- real files ---------------------------------------------------------------------------------

import difflib  # noqa: E402
import json  # noqa: E402

import bibtools  # noqa: E402
from bibtools.formats.bibtex.editor import apply_merge  # noqa: E402
from bibtools.textio import read_text  # noqa: E402

SELF_MERGE = [
    "reference/biblatex-examples.bib",
    "reference/xampl.bib",
    "reference/IEEEexample.bib",
    "reference/biblatex-apa-test-references.bib",
    "reference/biblatex-chicago-notes-test.bib",
    "reference/biblatex-gb7714-2015-example.bib",
    "reference/biblatex-gost-examples.bib",
    "messy/jabref-testjabref.bib",
    "messy/jabref-authors.bib",
    "messy/jabref-complex.bib",
    "messy/litsearchr-wos-corecollection-2.bib",
    "csl-json/manubot-metaboverse-references.json",
]


@pytest.mark.corpus
@pytest.mark.parametrize("name", SELF_MERGE)
def test_merging_a_corpus_file_with_itself_changes_nothing(corpora, name):
    path = corpora / name
    base = bibtools.load(path)
    result = merge(base, copy.deepcopy(base))
    assert result.changed == [] and result.added == []
    assert result.library.items == base.items
    if path.suffix == ".bib":
        text = read_text(path).text
        assert apply_merge(text, base, result) == text


@pytest.mark.corpus
def test_litsearchr_exports_merge_into_one_bibliography(corpora):
    scopus, wos1, wos2 = (bibtools.load(corpora / "messy" / n) for n in (
        "litsearchr-scopus-final.bib", "litsearchr-wos-corecollection-1.bib", "litsearchr-wos-corecollection-2.bib"))
    first = merge(scopus, wos1)
    result = merge(first.library, wos2)
    merged = result.library
    joined = len(first.report.matched) + len(result.report.matched)
    assert len(merged) == len(scopus) + len(wos1) + len(wos2) - joined
    assert joined > 600
    # every Web of Science record sharing a DOI with a Scopus record went into a record with that DOI
    scopus_dois = {str(i.get("DOI") or "").strip("{} ").lower() for i in scopus} - {""}
    targets = {a: b for a, b, _ in first.report.matched + result.report.matched}
    for item in [*wos1, *wos2]:
        doi = str(item.get("DOI") or "").strip("{} ").lower()
        if doi in scopus_dois:
            assert item.id in targets, item.id
            # the Scopus file repeats some keys (Menke1992141 twice): the target is one of the entries with that key
            into = [i for i in merged if i.id == targets[item.id]]
            assert any(doi in str(i.get("DOI")).lower() for i in into) or any(
                n.key == targets[item.id] and n.field == "DOI" and doi in n.other.lower() for n in result.report.notes + first.report.notes)
    # Scopus keys unchanged, WoS keys resolvable through ids
    assert merged.keys()[: len(scopus)] == scopus.keys()
    aliases = {a.strip() for it in merged for a in it.extra.get("ids", "").split(",")}
    for a, b, _ in first.report.matched:
        assert a in aliases or a == b
    # merging the same export again is idempotent
    again = merge(merged, bibtools.load(corpora / "messy" / "litsearchr-wos-corecollection-1.bib"))
    assert again.changed == [] and again.added == []
    assert again.library.items == merged.items


NEW_AND_OVERLAPPING = r"""
@article{baez2004tac,
  author = {Baez, John C. and Lauda, Aaron D.},
  title = {Higher-Dimensional Algebra {V}: 2-Groups},
  journal = {Theory and Applications of Categories},
  year = {2004}, volume = {12}, pages = {423--491},
  doi = {10.1234/tac.2004.12}, keywords = {category theory, groupoids}
}
@book{knuth1984texbook,
  author = {Knuth, Donald E.},
  title = {The {\TeX}book},
  publisher = {Addison-Wesley}, year = {1984}, series = {Computers \& Typesetting}, volume = {A},
  isbn = {0-201-13447-0}, note = {the classic}
}
@article{sigfridsson1998,
  author = {Sigfridsson, Emma and Ryde, Ulf},
  title = {Comparison of methods for deriving atomic charges from the electrostatic potential and moments},
  journal = {Journal of Computational Chemistry}, year = {1998}, volume = {19}, number = {4}, pages = {377--395},
  doi = {10.1002/(SICI)1096-987X(199803)19:4<377::AID-JCC1>3.0.CO;2-P}, url = {https://example.org/sigfridsson}
}
@article{newcomer2021owls,
  author = {Newcomer, Olive},
  title = {Owls of the boreal forest at night},
  journal = {Journal of Owl Studies}, year = {2021}, volume = {3}, pages = {1--9}
}
@inproceedings{other2019heron,
  author = {Other, Harry and Person, Pat},
  title = {Herons and wetlands: a field survey},
  booktitle = {Proceedings of the Wetland Workshop}, year = {2019}, pages = {10--20}
}
@misc{fresh2022dataset,
  author = {Fresh, Fiona},
  title = {A dataset of heron sightings in Lapland},
  year = {2022}, howpublished = {Zenodo}
}
"""


@pytest.mark.corpus
def test_merge_into_biblatex_examples_touches_only_those_entries(corpora, tmp_path):
    from click.testing import CliRunner

    from bibtools.cli import main

    original = (corpora / "reference" / "biblatex-examples.bib").read_bytes()
    target = tmp_path / "biblatex-examples.bib"
    target.write_bytes(original)
    incoming = tmp_path / "new.bib"
    incoming.write_text(NEW_AND_OVERLAPPING, encoding="utf-8")
    report_path = tmp_path / "report.json"
    run = CliRunner().invoke(main, ["merge", str(target), str(incoming), "--in-place", "--json-report", str(report_path)])
    assert run.exit_code in (0, 1), run.output
    assert (tmp_path / "biblatex-examples.bib.bak").read_bytes() == original
    report = json.loads(report_path.read_text())
    into = {m["incoming"]: m["into"] for m in report["matched"]}
    assert into == {"baez2004tac": "baez/article", "knuth1984texbook": "knuth:ct:a", "sigfridsson1998": "sigfridsson"}
    assert [n["key"] for n in report["new"]] == ["newcomer2021owls", "other2019heron", "fresh2022dataset"]

    before = original.decode("utf-8").splitlines()
    after = target.read_text(encoding="utf-8").splitlines()
    spans = _entry_line_spans(before)
    allowed = {spans[k] for k in into.values()}
    touched = set()
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if i1 == len(before):  # appended at the end
            assert "\n".join(after[j1:j2]).count("@") == 3
            continue
        span = next((s for s in allowed if s[0] <= i1 and i2 <= s[1]), None)
        assert span is not None, (tag, before[i1:i2], after[j1:j2])
        touched.add(span)
    assert touched == allowed  # each matched entry gained something (doi, isbn, url or ids)
    merged = bibtools.load(target)
    assert "baez2004tac" in merged["baez/article"].extra["ids"]
    assert merged["sigfridsson"].get("URL") == "https://example.org/sigfridsson"


def _entry_line_spans(lines):
    """key -> (first line, line after the end) of each entry, 0-based."""
    spans = {}
    start = key = None
    for n, line in enumerate(lines):
        if line.startswith("@") and "{" in line and not line.lower().startswith(("@string", "@preamble", "@comment")):
            start, key = n, line.split("{", 1)[1].rstrip(",").strip()
        elif line.startswith("}") and key is not None:
            spans[key] = (start, n + 1)
            key = None
    return spans


BASE_BIB = """% my references
@string{ibis = {Ibis}}

@article{smith2020,
    author = {Smith, Ann and Jones, Bo},
    title = {Fire and birds in the boreal forest},
    journal = ibis,
    year = 2020
}
"""

INCOMING_BIB = """@article{S20,
  author = {Smith, A. and Jones, B.},
  title = {FIRE AND BIRDS IN THE BOREAL FOREST},
  journal = {Ibis}, year = {2020}, doi = {10.1234/ibis.1}, pages = {1--10}
}
@article{smith2020,
  author = {Other, Olga},
  title = {Herons of the marshes in winter},
  journal = {Ibis}, year = {2019}
}
"""


def test_merge_command_dry_run_writes_nothing_and_shows_the_diff(tmp_path):
    from click.testing import CliRunner

    from bibtools.cli import main

    base = tmp_path / "refs.bib"
    base.write_text(BASE_BIB, encoding="utf-8")
    new = tmp_path / "new.bib"
    new.write_text(INCOMING_BIB, encoding="utf-8")
    run = CliRunner().invoke(main, ["merge", str(base), str(new), "--dry-run"])
    assert run.exit_code == 0, run.output
    assert base.read_text(encoding="utf-8") == BASE_BIB
    assert not (tmp_path / "refs.bib.bak").exists()
    out = run.stdout
    assert "+    doi = {10.1234/ibis.1}," in out or "+    doi = {10.1234/ibis.1}" in out
    assert "+    ids = {S20}" in out
    assert "1 matched" in out and "1 new (1 with a fresh key)" in out
    assert "-    title" not in out  # base values stay


def test_merge_command_output_and_in_place(tmp_path):
    from click.testing import CliRunner

    from bibtools.cli import main

    base = tmp_path / "refs.bib"
    base.write_text(BASE_BIB, encoding="utf-8")
    new = tmp_path / "new.bib"
    new.write_text(INCOMING_BIB, encoding="utf-8")
    out = tmp_path / "out.bib"
    run = CliRunner().invoke(main, ["merge", str(base), str(new), "-o", str(out)])
    assert run.exit_code == 0, run.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith(BASE_BIB.split("    year = 2020")[0])  # comment, @string and the entry head untouched
    merged = bibtools.load(out)
    assert merged.keys()[0] == "smith2020" and len(merged) == 2
    assert merged.items[1].title == "Herons of the marshes in winter" and merged.items[1].id != "smith2020"
    assert CliRunner().invoke(main, ["merge", str(base), str(new), "-o", str(out), "--in-place"]).exit_code == 2
    run = CliRunner().invoke(main, ["merge", str(base), str(new), "--in-place", "--prefer", "incoming"])
    assert run.exit_code == 0, run.output
    assert (tmp_path / "refs.bib.bak").read_text(encoding="utf-8") == BASE_BIB
    assert "FIRE AND BIRDS" in base.read_text(encoding="utf-8")  # the incoming title won
    # merging the same input again changes nothing
    before = base.read_bytes()
    assert CliRunner().invoke(main, ["merge", str(base), str(new), "--in-place", "--prefer", "incoming"]).exit_code == 0
    assert base.read_bytes() == before


def test_a_more_precise_date_of_the_same_year_fills_in():
    base = Library([art("a", "Fire and birds in boreal forests", year=2019)])
    precise = art("b", "Fire and birds in boreal forests", year=None)
    precise["issued"] = Date(((2019, 4, 1),))
    other_year = art("c", "Fire and birds in boreal forests", year=None)
    other_year["issued"] = Date(((2020, 1),))
    result = merge(base, Library([precise, other_year]))
    assert result.library["a"]["issued"] == Date(((2019, 4, 1),))
    note = next(n for n in result.report.notes if n.field == "issued" and n.kind == "filled")
    assert note.other == "2019"  # the vaguer value is on record
    assert any(n.field == "issued" and n.kind == "conflict" and n.other == "2020-01" for n in result.report.notes)


def test_in_place_merge_keeps_the_file_encoding(tmp_path):
    from click.testing import CliRunner

    from bibtools.cli import main

    text = "% Encoding: windows-1252\n\n@article{mueller1999,\n  author = {M\u00fcller, J\u00fcrgen},\n  title = {\u00dcber V\u00f6gel im Wald und auf dem Feld},\n  year = {1999}\n}\n"
    base = tmp_path / "refs.bib"
    base.write_bytes(text.encode("cp1252"))
    new = tmp_path / "new.bib"
    new.write_text("@article{owl, author={Hoot, Olga}, title={Owls at night in the boreal forest}, year={2001}}\n", encoding="utf-8")
    run = CliRunner().invoke(main, ["merge", str(base), str(new), "--in-place"])
    assert run.exit_code in (0, 1), run.output
    data = base.read_bytes()
    assert data.startswith(text.encode("cp1252"))  # untouched bytes, still Windows-1252
    assert b"@article{owl," in data


def test_an_entry_that_ends_as_it_began_is_not_reported_changed():
    # Two incoming records of one work disagree on the venue: merging them twice
    # flips the venue and back, which is no change (found by the property test).
    def record(venue: str) -> Item:
        return Item(id="i0", type="article-journal", fields={
            "title": "fire fire fire", "author": [Name(family="Ng", given="A.")],
            "issued": Date(parts=((2000,),)), "container-title": venue})

    once = merge(Library([]), Library([record("fire"), record("fire, fire")]), prefer="incoming")
    twice = merge(once.library, Library([record("fire"), record("fire, fire")]), prefer="incoming")
    assert twice.library.items == once.library.items
    assert twice.changed == [] and twice.added == []
