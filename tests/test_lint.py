"""bibtools lint: pinned findings on small real files, and each rule on a minimal case."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bibtools.diagnostics import Severity
from bibtools.lint import RULES, lint, lint_bytes, select_rules
from conftest import CORPORA, FIXTURES, PROJECT

XAMPL = CORPORA / "reference" / "xampl.bib"
V1 = CORPORA / "messy" / "bibtexparser-v1-tests-data"


def _pins(findings) -> set[tuple[str, int | None, str | None]]:
    return {(f.rule, f.line, f.key) for f in findings}


@pytest.mark.corpus
def test_xampl_findings() -> None:
    # Read off xampl.bib: article-crossref sets key = "" (l.36); whole-journal is an @article with
    # neither author nor title (l.43); whole-set's year is a \switchargs sort hack (l.125);
    # inproceedings-crossref has organization = "" (l.273). Its crossref to WHOLE-JOURNAL (upper
    # case) resolves, its \noopsort years and "10~" # jan months are fine.
    assert _pins(lint(XAMPL, ignore="BT003")) == {
        ("BT017", 36, "article-crossref"),
        ("BT001", 43, "whole-journal"),
        ("BT012", 125, "whole-set"),
        ("BT017", 273, "inproceedings-crossref"),
    }
    # xampl holds each work as X-minimal, X-full and often X-crossref: any likely duplicate
    # dedupe reports must pair variants of one work, and the minimal/full pairs are all found.
    dupes = lint(XAMPL, select="BT003")
    assert dupes, "bibtools.dedupe is in the build, so BT003 runs"
    for f in dupes:
        other = f.message.split("'")[1]
        assert other.rsplit("-", 1)[0] == f.key.rsplit("-", 1)[0] or {other, f.key} & {"whole-proceedings", "whole-set"}, f
    assert len({f.key for f in dupes} & {"article-full", "book-full", "inbook-full", "phdthesis-full", "techreport-full"}) >= 3
    messages = {f.message for f in lint(XAMPL, select="BT001")}
    assert messages == {"@article needs author (bibtex data model)", "@article needs title (bibtex data model)"}


@pytest.mark.corpus
def test_bibtexparser_v1_messy_files() -> None:
    # wrong.bib: an @wrong entry (unknown type) and an @article with only an author.
    assert _pins(lint(V1 / "wrong.bib", ignore="BT000")) == {
        ("BT020", 3, "foo"), ("BT001", 7, "bar"),
    }
    assert {f.message for f in lint(V1 / "wrong.bib", select="BT001")} == {
        f"@article needs {f} (bibtex data model)" for f in ("title", "journal", "year")
    }
    # crossref_missing_entries.bib: @inbook (biblatex: it has origdate) whose crossref target is absent,
    # so booktitle and date cannot be inherited either.
    found = lint(V1 / "crossref_missing_entries.bib")
    assert _pins(found) == {("BT001", 2, "mcr"), ("BT005", 6, "mcr")}
    assert any("date or year (biblatex" in f.message for f in found)
    # traps.bib: braces, quotes and accents in values, multi-line author - all legal.
    assert lint(V1 / "traps.bib") == []
    # "Armstrong, R.C. AND Hassager, O.": BibTeX splits names on AND too, so nothing is in capitals.
    assert lint(V1 / "book_capital_AND.bib") == []
    # crossref_entries.bib l.88: pages = {123--} is an open range.
    assert ("BT010", 88, "cr6") in _pins(lint(V1 / "crossref_entries.bib"))


@pytest.mark.corpus
def test_strings_carry_over_between_files_in_order() -> None:
    ieee = CORPORA / "reference" / "IEEEexample.bib"
    alone = lint(ieee, select="BT004")
    assert {f.message.split("'")[-2] for f in alone} == {"IEEE_J_EDL", "IEEE_J_IA", "IEEE_M_SP", "IEEE_J_IT", "IEEE_M_PCOM"}
    abbrev = FIXTURES / "lint-ieee-abbrev.bib"
    assert lint([abbrev, ieee], select="BT004") == []
    assert len(lint([ieee, abbrev], select="BT004")) == len(alone)  # BibTeX needs the definition first


def _rules(text: str, name: str = "t.bib", **kw) -> set[str]:
    return {f.rule for f in lint_bytes(text, name, **kw)}


# BT000 passes on what readers and passes think (their business, tested with them); BT003 needs two works.
OWN = "BT000,BT003"


GOOD = "@article{k, author = {Doe, Jane}, title = {A title}, journal = {J}, year = 2001}\n"


@pytest.mark.parametrize(
    ("rule", "bad"),
    [
        ("BT001", "@article{k, author = {Doe, Jane}, title = {A title}, year = 2001}"),
        ("BT002", GOOD + GOOD),
        ("BT004", "@article{k, author = {Doe, Jane}, title = {A title}, journal = jnl, year = 2001}"),
        ("BT005", GOOD.replace("year = 2001", "year = 2001, crossref = {nowhere}")),
        ("BT006", GOOD.replace("year = 2001", "year = 2001, doi = {10.1000/a\\_b}")),
        ("BT006", GOOD.replace("year = 2001", "year = 2001, doi = {doi 10/1}")),
        ("BT007", GOOD.replace("year = 2001", "year = 2001, isbn = {978-0-306-40615-8}")),
        ("BT008", GOOD.replace("year = 2001", "year = 2001, issn = {0378-5954}")),
        ("BT009", GOOD.replace("year = 2001", "year = 2001, url = {www.example.org/x}")),
        ("BT010", GOOD.replace("year = 2001", "year = 2001, pages = {456--123}")),
        ("BT011", GOOD.replace("year = 2001", "year = 2001, month = {Spring}")),
        ("BT012", GOOD.replace("year = 2001", "year = {in press}")),
        ("BT012", GOOD.replace("year = 2001", "date = {2001-13-01}")),
        ("BT013", GOOD.replace("{A title}", '"A {title"')),
        ("BT013", GOOD.replace("{A title}", "{A title") + "@misc{next, title = {x}}\n"),
        ("BT014", GOOD.replace("{A title}", "{Salt & pepper}")),
        ("BT014", GOOD.replace("{J}", "{J_1}")),
        ("BT015", GOOD.replace("{A title}", "{THE STRUCTURE OF SCIENTIFIC REVOLUTIONS}")),
        ("BT015", GOOD.replace("{Doe, Jane}", "{DOE, JANE}")),
        ("BT016", GOOD.replace("{A title}", "{Sequencing DNA in the lab}")),
        ("BT016", GOOD.replace("{A title}", "{A study of Bayesian methods for large problems}")),
        ("BT017", GOOD.replace("year = 2001", "year = 2001, note = {}")),
        ("BT018", "@article{k author = {x}}\n"),
        ("BT019", GOOD.replace("year = 2001", "year = 2001, title = {Again}")),
        ("BT020", GOOD.replace("@article", "@webpagething")),
    ],
)
def test_each_rule_fires_on_its_case_and_not_on_the_clean_entry(rule: str, bad: str) -> None:
    assert rule in _rules(bad)
    assert rule not in _rules(GOOD)


@pytest.mark.parametrize(
    "clean",
    [
        GOOD.replace("year = 2001", "year = 2001, doi = {https://doi.org/10.1000/xyz}, isbn = {0-306-40615-2}, issn = {2049-3630}"),
        GOOD.replace("year = 2001", "year = 2001, doi = {{10.1071/MU14030}}, url = {https://example.org/a_b%20c#frag}"),
        GOOD.replace("year = 2001", "year = {{\\noopsort{a}}2001}, month = aug, pages = {e1001--e1010}"),
        GOOD.replace("{A title}", "{Sequencing {DNA} with {Bayesian} tools: A review}"),
        GOOD.replace("{A title}", "{A Study of Fast Algorithms}"),  # title case: no proper nouns to guess
        GOOD.replace("{A title}", "{Cost is 100\\% $x_1$ \\& more at \\url{http://a.org/x_y}}"),
        "@string{jnl = {Journal}}\n" + GOOD.replace("{J}", "jnl # { of Things}"),
        "@online{k, author = {Doe, J.}, title = {Page}, date = {2020-01-02/2020-03}, url = {https://x.org}}",
    ],
)
def test_clean_entries_have_no_findings(clean: str) -> None:
    assert lint_bytes(clean, "t.bib", ignore=OWN) == []


def test_csl_json_items_are_linted_through_the_model(tmp_path: Path) -> None:
    items = [
        {"id": "a", "type": "article-journal", "title": "T", "author": [{"family": "X"}],
         "container-title": "J", "issued": {"date-parts": [[2020]]}, "DOI": "not-a-doi"},
        {"id": "a", "type": "book", "title": "<span class=\"nocase\">DNA</span> AND RNA IN EVERY SINGLE CELL"},
    ]
    path = tmp_path / "items.json"
    path.write_text(json.dumps(items))
    pins = {(f.rule, f.key) for f in lint(path)}
    assert ("BT006", "a") in pins and ("BT002", "a") in pins
    assert ("BT001", "a") in pins  # the book has no author/editor and no date
    assert ("BT015", "a") in pins  # unprotected capitals around the nocase span


def test_select_and_ignore() -> None:
    assert [r.id for r in select_rules("BT01")] == [f"BT01{i}" for i in range(10)]
    assert [r.id for r in select_rules(["missing-required-field", "BT002"])] == ["BT001", "BT002"]
    assert "BT016" not in {r.id for r in select_rules(ignore="unprotected-capitals")}
    with pytest.raises(ValueError, match="unknown lint rule"):
        select_rules("BT999")
    bad = GOOD.replace("year = 2001", "year = 2001, note = {}") + GOOD
    assert {f.rule for f in lint_bytes(bad, "t.bib", select="BT017")} == {"BT017"}
    assert {f.rule for f in lint_bytes(bad, "t.bib", ignore="BT002,BT017")} == set()


def test_every_rule_has_a_stable_id_name_and_one_line_explanation() -> None:
    assert len({r.name for r in RULES.values()}) == len(RULES)
    for rule in RULES.values():
        assert rule.id.startswith("BT") and len(rule.id) == 5
        assert rule.summary and "\n" not in rule.summary
        assert isinstance(rule.severity, Severity)


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bibtools", "lint", *args], capture_output=True, text=True, cwd=PROJECT)


def test_cli_exit_codes_and_json(tmp_path: Path) -> None:
    clean = tmp_path / "clean.bib"
    clean.write_text(GOOD)
    warn = tmp_path / "warn.bib"
    warn.write_text(GOOD.replace("year = 2001", "year = 2001, note = {}"))
    broken = tmp_path / "broken.bib"
    broken.write_text(GOOD + GOOD)
    assert _cli(str(clean)).returncode == 0
    assert _cli(str(warn)).returncode == 0  # warnings only
    result = _cli(str(broken), "--json")
    assert result.returncode == 1
    findings = json.loads(result.stdout)
    assert [(f["rule"], f["line"], f["severity"]) for f in findings] == [("BT002", 2, "error")]
    assert _cli(str(broken), "--ignore", "BT002").returncode == 0
    assert _cli(str(broken), "--select", "nonsense").returncode == 2
    assert _cli(str(tmp_path / "missing.bib")).returncode == 2
    piped = subprocess.run([sys.executable, "-m", "bibtools", "lint", "-", "--json"], input=GOOD + GOOD,
                           capture_output=True, text=True, cwd=PROJECT)
    assert piped.returncode == 1 and json.loads(piped.stdout)[0]["file"] == "<stdin>"
    listing = _cli("--list-rules")
    assert listing.returncode == 0 and all(rid in listing.stdout for rid in RULES)


def test_pre_commit_hook_runs_the_lint_command() -> None:
    text = (PROJECT / ".pre-commit-hooks.yaml").read_text()
    assert "id: bibtools-lint" in text and "entry: bibtools lint" in text and r"\.(bib" in text
