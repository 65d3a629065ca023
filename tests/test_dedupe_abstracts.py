"""Two traps of systematic-review exports (found in ASySD's labelled set):

- a supplement's DOI given to every abstract in it must not make them one work;
- a meeting abstract is not the journal article of the same title when their DOIs differ.

The fixtures are shaped like the exports: Embase RIS (``M3 Conference Abstract``,
``Circulation. Conference: ...`` venues, ``1 SUPPL. 1`` issues, ``S354`` pages),
Medline re-cased titles, Web of Science ``Meeting Abstract`` document types.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import bibtools
from bibtools.cli import main
from bibtools.dedupe import Features, MatchConfig, compare, explain, find_duplicates
from bibtools.formats import wos
from bibtools.merge import merge
from bibtools.model import Item, Library, Origin

FIXTURES = Path(__file__).parent / "fixtures"
RIS = FIXTURES / "dedupe-supplement-abstracts.ris"
CSL = FIXTURES / "dedupe-meeting-abstracts.json"
SUPPLEMENT_DOI = "10.1007/s00125-014-9990-1"


def _by_key(path: Path) -> dict[str, Item]:
    return {item.id: item for item in bibtools.load(path).items}


def _group_of(result, key: str) -> set[str]:
    return next((set(g) for g in result.key_groups() if key in g), {key})


def test_abstracts_sharing_a_supplement_doi_stay_apart_and_the_doi_is_reported() -> None:
    items = bibtools.load(RIS).items
    result = find_duplicates(items)
    # emb1 and its Medline copy (re-cased, a typo, the DOI in capitals) are one work
    assert _group_of(result, "emb1") == {"emb1", "med1"}
    assert _group_of(result, "emb2") == {"emb2"}
    assert _group_of(result, "emb3") == {"emb3"}  # most words in common with emb1, other authors
    assert [result.keys[i] for i in result.shared_dois[SUPPLEMENT_DOI]] == ["emb1", "emb2", "emb3", "med1"]
    by_key = {item.id: item for item in items}
    verdict = compare(by_key["emb1"], by_key["emb3"])
    assert not verdict.same and "identifiers_equal" not in verdict.evidence
    assert SUPPLEMENT_DOI in verdict.evidence["doi_not_identity"]
    true_copy = compare(by_key["emb1"], by_key["med1"])
    assert true_copy.same and true_copy.evidence["identifiers_equal"] == ["doi"] and "doi_not_identity" not in true_copy.evidence


def test_a_shared_doi_under_a_translated_title_still_matches_on_metadata() -> None:
    by_key = _by_key(CSL)
    verdict = compare(by_key["scopus-fr"], by_key["wos-en"])
    # the DOI is not what makes them one: the same venue (a bilingual name cut short), year, volume, pages, authors
    assert verdict.same and "10.1139/z99-001" in verdict.evidence["doi_not_identity"]
    assert "same_place" in verdict.evidence
    assert "doi not identity: 10.1139/z99-001" in explain(verdict)
    assert find_duplicates([by_key["scopus-fr"], by_key["wos-en"]]).shared_dois == {}  # one work after all: nothing to report


def test_a_shared_doi_under_a_dropped_subtitle_is_still_an_identity() -> None:
    by_key = _by_key(CSL)
    verdict = compare(by_key["short-title"], by_key["full-title"])
    assert verdict.evidence["title_similarity"] < MatchConfig().shared_doi_min_title_similarity
    assert verdict.same and verdict.evidence["identifiers_equal"] == ["doi"] and "doi_not_identity" not in verdict.evidence


def test_an_abstract_and_the_article_with_other_dois_are_different_works() -> None:
    by_key = _by_key(RIS)
    for abstract, article in (("emb1", "art1"), ("med1", "art1"), ("emb4", "art2")):
        verdict = compare(by_key[abstract], by_key[article])
        assert not verdict.same
        assert any("an abstract" in v for v in verdict.evidence["vetoes"])
        assert compare(by_key[abstract], by_key[article], MatchConfig(join_abstracts=True)).same
    result = find_duplicates(list(by_key.values()))
    assert _group_of(result, "art1") == {"art1"} and _group_of(result, "art2") == {"art2"}
    joined = find_duplicates(list(by_key.values()), MatchConfig(join_abstracts=True))
    assert _group_of(joined, "art1") == {"emb1", "med1", "art1"} and _group_of(joined, "art2") == {"emb4", "art2"}


def test_meeting_abstract_genre_and_same_doi() -> None:
    by_key = _by_key(CSL)
    assert not compare(by_key["wos-abs"], by_key["ajp-art"]).same
    # the same DOI: one record says abstract, the other does not; still one work
    assert compare(by_key["abs-same-doi"], by_key["rec-same-doi"]).same


def _item(**fields: str) -> Item:
    item = Item("x", "article-journal", {"title": "A study of things", **fields})
    return item


@pytest.mark.parametrize(
    ("fields", "sign"),
    [
        ({"genre": "Meeting Abstract"}, "type"),
        ({"note": "Conference abstract. Presented at EASD 2014"}, "note"),
        ({"container-title": "Microcirculation. Conference: 66th Annual Meeting of the Microcirculatory Society"}, "venue"),
        ({"container-title": "Abstracts of Papers of the American Chemical Society"}, "venue"),
        ({"issue": "Supplement 1"}, "issue"),
        ({"issue": "21 SUPPL. 1"}, "issue"),
        ({"issue": "Suppl 2"}, "issue"),
        ({"issue": "S1"}, "issue"),
        ({"issue": "Supplement_1"}, "issue"),
        ({"issue": "MeetingAbstracts"}, "issue"),
        ({"volume": "61 (Supplement 1)"}, "volume"),
        ({"page": "S557-S558"}, "supplement pages"),
    ],
)
def test_abstract_signs(fields: dict[str, str], sign: str) -> None:
    assert Features.of(_item(**fields)).abstract.startswith(sign)


@pytest.mark.parametrize(
    "fields",
    [
        {"container-title": "Nature Communications", "issue": "3", "page": "e001469"},
        {"container-title": "Journal of Clinical Investigation", "issue": "Spring", "page": "221-8"},
        {"genre": "Article", "volume": "12", "issue": "S"},
        {"note": "The abstract was revised in 2020", "container-title": "Supplementary Materials Review"},
    ],
)
def test_no_abstract_sign(fields: dict[str, str]) -> None:
    assert Features.of(_item(**fields)).abstract == ""


def test_ris_and_wos_document_types_mark_abstracts() -> None:
    ris_abst = Item("r", "article-journal", {"title": "A study"}, origin=Origin("ris", None, 1, "ABST"))
    assert Features.of(ris_abst).abstract == "RIS type ABST"
    text = "FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nAU Doe, J\nTI A study of things\nSO FASEB JOURNAL\nDT Meeting Abstract\nPY 2016\nER\nEF\n"
    item = wos.read(text).items[0]
    assert item.fields["genre"] == "Meeting Abstract" and Features.of(item).abstract == "type 'Meeting Abstract'"


def test_cli_dedupe_json_reports_shared_dois_and_join_abstracts() -> None:
    run = CliRunner().invoke(main, ["dedupe", str(RIS), "--json"])
    data = json.loads(run.stdout)
    assert data["groups"] == [["emb1", "med1"]]
    assert data["shared_dois"] == [{"doi": SUPPLEMENT_DOI, "keys": ["emb1", "emb2", "emb3", "med1"]}]
    joined = json.loads(CliRunner().invoke(main, ["dedupe", str(RIS), "--json", "--join-abstracts"]).stdout)
    assert sorted(map(sorted, joined["groups"])) == [["art1", "emb1", "med1"], ["art2", "emb4"]]
    text = CliRunner().invoke(main, ["dedupe", str(RIS)])
    assert f"DOI {SUPPLEMENT_DOI} is shared by 4 records with clearly different titles" in text.stderr
    explained = CliRunner().invoke(main, ["dedupe", str(CSL), "--explain"])
    assert "doi not identity: 10.1139/z99-001" in explained.stdout


def test_merge_keeps_the_abstract_apart_unless_asked(tmp_path: Path) -> None:
    by_key = _by_key(RIS)
    base = Library([by_key["art1"]])
    incoming = Library([by_key["emb1"]])
    assert merge(base, incoming).added == ["emb1"]
    joined = merge(base, incoming, config=MatchConfig(join_abstracts=True))
    assert joined.added == [] and [m[:2] for m in joined.report.matched] == [("emb1", "art1")]
    target = tmp_path / "base.json"
    target.write_text(bibtools.dump(base, "csl-json"))
    source = tmp_path / "incoming.json"
    source.write_text(bibtools.dump(incoming, "csl-json"))
    apart = json.loads(CliRunner().invoke(main, ["merge", str(target), str(source)]).stdout)
    assert sorted(entry["id"] for entry in apart) == ["art1", "emb1"]
    together = json.loads(CliRunner().invoke(main, ["merge", str(target), str(source), "--join-abstracts"]).stdout)
    assert [entry["id"] for entry in together] == ["art1"]
