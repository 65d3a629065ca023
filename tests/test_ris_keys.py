"""RIS keeps citation keys in ``ID`` both ways, keeps records with little in them, and
``merge A.bib A.ris`` (A's own RIS export) appends none of A's entries again (issue 13)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import bibtools
from bibtools.cli import main

from conftest import CORPORA

REFERENCE = CORPORA / "reference"


def _run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_id_is_read_as_the_key_and_written_from_it() -> None:
    text = "TY  - JOUR\nID  - smith2020\nTI  - A Title\nAU  - Smith, Ann\nPY  - 2020\nER  - \n\nTY  - BOOK\nTI  - No Id\nER  - \n"
    lib = bibtools.load_string(text, "ris")
    assert lib.keys()[0] == "smith2020" and lib.keys()[1]  # the second is named by the key pass
    assert "ID" not in lib["smith2020"].extra
    written = bibtools.dump(lib, "ris")
    assert "ID  - smith2020" in written
    assert bibtools.load_string(written, "ris").keys() == lib.keys()


def test_a_repeated_id_gets_a_unique_key_and_keeps_its_id() -> None:
    record = "TY  - JOUR\nID  - 12345\nTI  - {}\nER  - \n\n"
    lib = bibtools.load_string(record.format("One") + record.format("Two"), "ris", source="r.ris")
    assert lib.keys() == ["12345", "12345a"]
    (problem,) = [d for d in lib.diagnostics if d.code == "ris.duplicate-id"]
    assert problem.key == "12345a" and problem.line == 6
    again = bibtools.load_string(bibtools.dump(lib, "ris"), "ris")
    assert again.keys() == ["12345", "12345a"] and again["12345a"].extra["ID"] == "12345"


def test_bib_keys_survive_a_trip_through_ris(tmp_path: Path) -> None:
    bib = tmp_path / "a.bib"
    bib.write_text("@article{knuth:1984, title = {Literate Programming}, author = {Knuth, Donald E.}, year = 1984}\n"
                   "@misc{only-extra, howpublished = {Handed out}, foo = {bar}}\n"
                   "@misc{empty}\n", encoding="utf-8")
    ris = tmp_path / "a.ris"
    result = _run("convert", str(bib), "--to", "ris", "-o", str(ris), "--report")
    assert "RIS cannot hold the field 'foo'" in result.stderr  # the loss is reported...
    back = bibtools.load(str(ris))
    assert back.keys() == ["knuth:1984", "only-extra", "empty"]  # ...and no entry disappears
    out = _run("convert", str(ris), "--to", "bibtex").stdout
    assert "@misc{only-extra," in out and "@misc{empty," in out  # RIS "GEN" is not a BibTeX type


def test_a_record_with_only_unmapped_tags_is_kept() -> None:
    lib = bibtools.load_string("TY  - JOUR\nXY  - something only this exporter knows\nER  - \n", "ris")
    assert len(lib) == 1 and lib.items[0].extra == {"XY": "something only this exporter knows"}
    assert "XY  - something only this exporter knows" in bibtools.dump(lib, "ris")


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["xampl.bib", "biblatex-examples.bib", "IEEEexample.bib"])
def test_merge_with_its_own_ris_export_appends_nothing(tmp_path: Path, name: str) -> None:
    source = REFERENCE / name
    ris = tmp_path / "own.ris"
    _run("convert", str(source), "--to", "ris", "-o", str(ris))
    assert sorted(bibtools.load(str(ris)).keys()) == sorted(bibtools.load(str(source)).keys())
    report = tmp_path / "report.json"
    result = _run("merge", str(source), str(ris), "--json-report", str(report))
    assert result.exit_code in (0, 1), result.output
    decisions = json.loads(report.read_text(encoding="utf-8"))
    assert decisions["new"] == []
    assert len(decisions["matched"]) == len(bibtools.load(str(ris)))


@pytest.mark.corpus
def test_merge_with_own_ris_export_over_the_reference_files(tmp_path: Path) -> None:
    """What is still appended is what RIS itself could not carry (a song's performers, a year BC)."""
    total = new = 0
    for source in sorted(REFERENCE.glob("*.bib")):
        ris = tmp_path / (source.stem + ".ris")
        _run("convert", str(source), "--to", "ris", "-o", str(ris))
        report = tmp_path / (source.stem + ".json")
        _run("merge", str(source), str(ris), "--json-report", str(report))
        decisions = json.loads(report.read_text(encoding="utf-8"))
        total += len(bibtools.load(str(ris)))
        new += len(decisions["new"])
    assert total > 1500
    assert new / total < 0.01  # 14 of 1,894 today; before keys were kept in ID, 278
