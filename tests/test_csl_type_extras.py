"""Type-dependent extras: group suppression by what the taken branches call, item types,
dates (year 0, eras, ranges), and entries that lack what their style prints.

Expected strings are citeproc-js 2.4.63's output on the same items and styles (through
benchmarks/csl_oracle_js.js), never bibtools' own.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bibtools.cli import main
from bibtools.csl.api import format_bibliography
from bibtools.csl.conformance import style_source
from bibtools.csl.engine import CslEngine

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PROJECT = Path(__file__).resolve().parents[1]


def _bib(style: str, items: list[dict]) -> dict[str, str]:
    path, locale = style_source(style)
    return dict(CslEngine(path, items, locale=locale, output="text").bibliography())


def _cites(style: str, items: list[dict]) -> dict[str, str]:
    path, locale = style_source(style)
    engine = CslEngine(path, items, locale=locale, output="text")
    return {item["id"]: engine.cite([{"id": item["id"]}]) for item in items}


# -- groups -----------------------------------------------------------------------------

def test_group_called_variables_are_those_of_the_branch_taken() -> None:
    """A literal beside an empty variable is suppressed with it; a term-only group keeps its parent."""
    style = (FIXTURES / "csl_group_suppression.csl").read_bytes()
    items = [
        {"id": "g1", "type": "thesis", "title": "With genre no number", "genre": "PhD thesis"},
        {"id": "g2", "type": "thesis", "title": "With genre and number", "genre": "PhD thesis", "number": "7"},
        {"id": "g3", "type": "thesis", "title": "Note only", "note": "a note"},
    ]
    got = dict(CslEngine(style, items, output="text").bibliography())
    assert got == {
        "g1": "With genre no number; [online]",
        "g2": "With genre and number; (publication no. 7); [online]",
        "g3": "Note only; (a note); [online]",
    }


def test_readme_quickstart_thesis_has_no_stray_publication() -> None:
    entries = format_bibliography(__import__("bibtools").load(PROJECT / "examples" / "papers.bib"), "apa")
    thesis = next(e.text for e in entries if "Meent" in e.text)
    assert thesis == "van de Meent, J.-W. (2012). Stochastic Dynamics of DNA Replication [PhD thesis]. Leiden University."


def test_substituted_title_is_not_printed_again_with_its_literal() -> None:
    items = [{"id": "w", "type": "webpage", "title": "Citation Style Language", "container-title": "CitationStyles.org",
              "URL": "https://citationstyles.org/", "accessed": {"date-parts": [[2024, 5, 1]]}}]
    assert _bib("elsevier-harvard", items)["w"] == (
        "Citation Style Language [WWW Document], n.d. . CitationStyles.org. URL https://citationstyles.org/ (accessed 5.1.24)."
    )


# -- item types -------------------------------------------------------------------------

def test_untyped_item_matches_no_type_condition() -> None:
    items = [
        {"id": "u1", "title": "An untyped title", "author": [{"family": "Doe", "given": "J."}], "issued": {"date-parts": [[2001]]}, "publisher": "Pub"},
        {"id": "d1", "type": "document", "title": "A document title", "author": [{"family": "Roe", "given": "J."}], "issued": {"date-parts": [[2001]]}, "publisher": "Pub"},
        {"id": "a1", "type": "article", "title": "An article title", "author": [{"family": "Poe", "given": "J."}], "issued": {"date-parts": [[2001]]}, "publisher": "Pub"},
    ]
    assert _bib("chicago-author-date", items) == {
        "u1": "Doe, J. 2001. An Untyped Title. Pub.",
        "a1": "Poe, J. 2001. “An Article Title.” Preprint, Pub.",
        "d1": "Roe, J. 2001. “A Document Title.” Pub.",
    }


# -- dates --------------------------------------------------------------------------------

def _book(key: str, issued: dict) -> dict:
    return {"id": key, "type": "book", "title": "T", "author": [{"family": key.upper()}], "issued": issued}


DATES = [
    ("y0", {"date-parts": [[0]]}, "(Y0, n.d.)", "(Y0, n.d.)"),
    ("ys", {"date-parts": [["0"]]}, "(YS, n.d.)", "(YS, n.d.)"),
    ("raw0", {"raw": "0000"}, "(RAW0, 0000)", "(RAW0 0000)"),
    ("rawm", {"raw": "0000-05"}, "(RAWM, 0000-05)", "(RAWM 0000-05)"),
    ("qq", {"raw": "??"}, "(QQ, ??)", "(QQ ??)"),
    ("bc", {"date-parts": [[-44]]}, "(BC, 44 B.C.E.)", "(BC 44 BC)"),
    ("ad", {"date-parts": [[5]]}, "(AD, 5 C.E.)", "(AD 5 AD)"),
    ("y700", {"date-parts": [[700]]}, "(Y700, 700)", "(Y700 700)"),
    ("rng", {"date-parts": [[11], [12]]}, "(RNG, 11–12 C.E.)", "(RNG 11–12 AD)"),
    ("rbc", {"date-parts": [[-11], [-12]]}, "(RBC, 11–12 B.C.E.)", "(RBC 11–12 BC)"),
    ("cross", {"date-parts": [[-5], [5]]}, "(CROSS, 5–5 B.C.E.)", "(CROSS 5–5 BC)"),
    ("open", {"date-parts": [[2000], [0]]}, "(OPEN, 2000–)", "(OPEN 2000–)"),
    ("seasons", {"date-parts": [[2000, 13], [2000, 16]]}, "(SEASONS, 2000)", "(SEASONS 2000)"),
    ("bcseasons", {"date-parts": [["-1", 13], ["-1", 16]]}, "(BCSEASONS, 1 B.C.E.)", "(BCSEASONS 1 BC)"),
]


@pytest.mark.parametrize("style, column", [("apa", 2), ("chicago-author-date", 3)])
def test_dates_as_citeproc_js_prints_them(style: str, column: int) -> None:
    items = [_book(key, issued) for key, issued, *_ in DATES]
    cites = _cites(style, items)
    assert {key: cites[key] for key, *_ in DATES} == {row[0]: row[column] for row in DATES}


# -- incomplete entries -------------------------------------------------------------------

INCOMPLETE = [
    {"id": "ok", "type": "article-journal", "title": "A title", "author": [{"family": "Doe", "given": "Jane"}],
     "container-title": "Journal", "issued": {"date-parts": [[2020]]}},
    {"id": "bengio", "type": "article-journal",
     "author": [{"family": "Bengio", "given": "Yoshua"}, {"family": "Courville", "given": "A."}, {"family": "Vincent", "given": "P."}]},
]


def test_entry_without_what_the_style_prints_is_reported_with_its_key() -> None:
    bibliography = format_bibliography(INCOMPLETE, "ieee")
    by_id = {e.id: e for e in bibliography}
    assert by_id["bengio"].text == "[2] Y. Bengio, A. Courville, and P. Vincent, ."  # citeproc-js prints the same
    assert by_id["bengio"].warnings == ("incomplete entry: no title, container title and date, which the style prints",)
    assert by_id["ok"].warnings == ()
    flagged = [p for p in bibliography.problems if p.code == "csl.incomplete"]
    assert [p.key for p in flagged] == ["bengio"] and flagged[0].severity.name == "WARNING"


def test_a_missing_date_the_style_handles_is_not_reported() -> None:
    """APA tests for the date and prints "n.d.": it does not ask for one; the container it prints is missing."""
    by_id = {e.id: e for e in format_bibliography(INCOMPLETE, "apa")}
    assert by_id["bengio"].warnings == ("incomplete entry: no container title, which the style prints",)


def test_format_cli_warns_on_stderr_and_in_json(tmp_path: Path) -> None:
    path = tmp_path / "refs.json"
    path.write_text(json.dumps(INCOMPLETE), encoding="utf-8")
    result = CliRunner().invoke(main, ["format", str(path), "--style", "ieee", "--json"])
    assert result.exit_code == 1  # problems in the input were reported; the output was written
    data = json.loads(result.stdout)
    assert data[1] == {"id": "bengio", "text": "[2] Y. Bengio, A. Courville, and P. Vincent, .",
                       "warnings": ["incomplete entry: no title, container title and date, which the style prints"]}
    assert set(data[0]) == {"id", "text"}
    assert "[bengio]" in result.stderr and "csl.incomplete" in result.stderr


def test_entry_that_prints_nothing_is_left_out_and_reported() -> None:
    # citeproc-js leaves this Better BibTeX fixture item out of chicago-author-date's bibliography
    items = [{"id": "emptybook", "editor": [{"literal": "Xxx"}], "note": "{:X-genre: xxx}", "type": "entry-encyclopedia"}]
    bibliography = format_bibliography(items, "chicago-author-date")
    assert list(bibliography) == []
    assert [(p.code, p.key) for p in bibliography.problems if p.code == "csl.empty-entry"] == [("csl.empty-entry", "emptybook")]


def test_entry_starting_with_a_term_starts_with_a_capital() -> None:
    """An authorless, undated web page: citeproc-js capitalizes the term printed first."""
    items = [{"id": "w2", "type": "webpage", "URL": "https://example.org/y"},
             {"id": "w3", "type": "webpage", "title": "Named", "URL": "https://example.org/z"}]
    assert _bib("apa", items)["w2"] == "(N.d.). Retrieved https://example.org/y"
    assert _bib("harvard-cite-them-right", items)["w2"] == "(No date). Available at: https://example.org/y."
    assert _bib("chicago-author-date", items) == {"w3": "“Named.” n.d. https://example.org/z.", "w2": "N.d. https://example.org/y."}


# citeproc-js, APA: "No." is printed before a number it takes for numeric
REPORT_NUMBERS = [
    ("12", "(Technical Report No. 12)"), ("TR-12", "(Technical Report TR-12)"), ("TR12", "(Technical Report No. TR12)"),
    ("MSR-TR-2016-9", "(Technical Report MSR-TR-2016-9)"), ("x", "(Technical Report No. X)"),
    ("xiv", "(Technical Report No. Xiv)"), ("IV", "(Technical Report IV)"), ("12a-c", "(Technical Report No. 12a-c)"),
    ("12,13", "(Technical Report 12,13)"), ("12:3", "(Technical Report 12:3)"), ("12 bis", "(Technical Report 12 bis)"),
    ("2nd", "(Technical Report No. 2nd)"), ("A-12", "(Technical Report A-12)"), ("12, 13", "(Technical Report Nos. 12, 13)"),
]


def test_is_numeric_as_citeproc_js_decides_it() -> None:
    items = [{"id": f"n{i}", "type": "report", "title": f"R{i}", "author": [{"family": f"Doe{i}"}],
              "issued": {"date-parts": [[2009]]}, "publisher": "Univ", "genre": "Technical report", "number": number}
             for i, (number, _) in enumerate(REPORT_NUMBERS)]
    got = _bib("apa", items)
    assert [got[f"n{i}"] for i in range(len(REPORT_NUMBERS))] == [
        f"Doe{i}. (2009). R{i} {want}. Univ." for i, (_, want) in enumerate(REPORT_NUMBERS)
    ]


def test_season_range_within_a_year() -> None:
    """A year-only date prints the year once; a months-only date prints the seasons (citeproc-js)."""
    items = [{"id": "b", "type": "webpage", "title": "bc seasons", "issued": {"date-parts": [["-1", 13], ["-1", 16]]}},
             {"id": "c", "type": "webpage", "title": "ad seasons", "issued": {"date-parts": [["2000", 13], ["2000", 16]]}}]
    assert _bib("elsevier-harvard", items) == {"b": "bc seasons [WWW Document], 1 BC.", "c": "ad seasons [WWW Document], 2000."}
    assert _bib("chicago-author-date", items) == {"c": "“Ad Seasons.” 2000. Spring–Winter.", "b": "“Bc Seasons.” 1 BC. Spring–Winter."}
