"""Short forms: journal abbreviations read from every format, and abbreviation lists.

Expected strings are citeproc-js 2.4.63's output on the same items and style (run
through benchmarks/csl_oracle_js.js, with ``sys.getAbbreviation`` serving the list for
the abbreviation cases), not bibtools' own.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import bibtools
from bibtools.cli import main
from bibtools.csl.abbreviations import AbbreviationsError, load
from bibtools.csl.api import format_bibliography

from conftest import CORPORA

LONG = "Briefings in Bioinformatics"

CSL_JSON = [
    {"id": "s1", "type": "article-journal", "title": "A study", "author": [{"family": "Doe", "given": "Jane"}],
     "issued": {"date-parts": [[2020]]}, "container-title": LONG, "container-title-short": "Brief Bioinform",
     "volume": "21", "page": "1-10"},
    {"id": "s2", "type": "article-journal", "title": "B study", "author": [{"family": "Roe", "given": "Jane"}],
     "issued": {"date-parts": [[2020]]}, "container-title": LONG, "journalAbbreviation": "Brief Bioinform",
     "volume": "21", "page": "1-10"},
    {"id": "s4", "type": "article-journal", "title": "D study", "author": [{"family": "Qoe", "given": "Jane"}],
     "issued": {"date-parts": [[2020]]}, "container-title": "Journal of Long Names", "volume": "2"},
]
# citeproc-js, vancouver-nlm
VANCOUVER = [
    "1. Doe J. A study. Brief Bioinform. 2020;21:1–10.",
    "2. Roe J. B study. Brief Bioinform. 2020;21:1–10.",
    "3. Qoe J. D study. Journal of Long Names. 2020;2.",
]


def test_csl_json_journal_abbreviation_is_the_short_container_title() -> None:
    library = bibtools.load_string(json.dumps(CSL_JSON), "csljson")
    assert library["s2"].get("container-title-short") == "Brief Bioinform"
    assert "journalAbbreviation" not in library["s2"].extra
    assert [e.text for e in format_bibliography(library, "vancouver-nlm")] == VANCOUVER


def test_csl_json_own_short_form_wins_over_the_camel_case_one() -> None:
    data = [{"id": "x", "type": "book", "title": "T", "title-short": "Own", "shortTitle": "Zotero's",
             "container-title-short": "CTS", "journalAbbreviation": "JA"}]
    item = bibtools.load_string(json.dumps(data), "csljson")["x"]
    assert item.get("title-short") == "Own" and item.get("container-title-short") == "CTS"
    assert item.extra["shortTitle"] == "Zotero's"  # kept, not lost


@pytest.mark.parametrize("text, fmt", [
    ("@article{s2, author={Roe, Jane}, title={B study}, journaltitle={Briefings in Bioinformatics},"
     " shortjournal={Brief Bioinform}, date={2020}, volume={21}, pages={1--10}}", "biblatex"),
    ("TY  - JOUR\nAU  - Roe, Jane\nTI  - B study\nT2  - Briefings in Bioinformatics\nJ2  - Brief Bioinform\n"
     "PY  - 2020\nVL  - 21\nSP  - 1\nEP  - 10\nER  - \n", "ris"),
    ("TY  - JOUR\nAU  - Roe, Jane\nTI  - B study\nJF  - Briefings in Bioinformatics\nJA  - Brief Bioinform\n"
     "PY  - 2020\nVL  - 21\nSP  - 1\nEP  - 10\nER  - \n", "ris"),
])
def test_short_journal_from_biblatex_and_ris(text: str, fmt: str) -> None:
    library = bibtools.load_string(text, fmt)
    entry = format_bibliography(library, "vancouver-nlm")[0].text
    assert entry == "1. Roe J. B study. Brief Bioinform. 2020;21:1–10."


@pytest.mark.corpus
def test_manubot_short_container_titles_reach_the_style() -> None:
    """Every Manubot article with a container-title-short prints it where vancouver-nlm asks
    for the short form (read through the CSL-JSON reader and the model, as the CLI does)."""
    path = CORPORA / "csl-json" / "manubot-metaboverse-references.json"
    records = json.loads(path.read_text(encoding="utf-8"))
    shorts = {r["id"]: r["container-title-short"] for r in records
              if r.get("container-title-short") and r.get("type") == "article-journal"}
    assert len(shorts) > 20
    library = bibtools.load(path)
    entries = {e.id: e.text for e in format_bibliography(library, "vancouver-nlm")}
    # (vancouver-nlm strips the periods of the short form: "J Biol Chem")
    missing = [key for key, short in shorts.items() if short.replace(".", "") not in entries[key]]
    assert not missing


# -- abbreviation lists ------------------------------------------------------------------

STYLE = b"""<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><id>short-test</id><title>short test</title><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout><text variable="title" form="short"/></layout></citation>
  <bibliography><layout>
    <group delimiter=" | ">
      <text variable="title" form="short"/>
      <text variable="container-title" form="short"/>
      <text variable="collection-title" form="short"/>
      <text variable="publisher" form="short"/>
      <text variable="publisher-place" form="short"/>
      <text variable="genre" form="short"/>
      <text variable="container-title"/>
    </group>
  </layout></bibliography>
</style>"""
ITEMS = [
    {"id": "a", "type": "book", "title": "A Long Title of a Book", "title-short": "Own Short",
     "container-title": "Journal of Long Names", "collection-title": "Lecture Notes in Computer Science",
     "publisher": "Curran Associates, Inc.", "publisher-place": "Red Hook, NY", "genre": "PhD thesis"},
    {"id": "b", "type": "article-journal", "title": "Another title", "container-title": "journal of long  names",
     "container-title-short": "JLN own", "collection-title": "Other Series"},
    {"id": "c", "type": "article-journal", "title": "Third", "container-title": "Unlisted Journal", "journalAbbreviation": "Unl J"},
]
LISTS = {"default": {
    "container-title": {"Journal of Long Names": "J Long Names"},
    "collection-title": {"Lecture Notes in Computer Science": "LNCS"},
    "institution-part": {"Curran Associates, Inc.": "Curran"},
    "place": {"Red Hook, NY": "Red Hook"},
    "title": {"A Long Title of a Book": "Long Title", "PhD thesis": "PhD"},
}}
# citeproc-js with the list: it replaces an item's own title-short; matching is exact
WITH_LIST = [
    "Long Title | J Long Names | LNCS | Curran | Red Hook | PhD | Journal of Long Names",
    "Another title | JLN own | Other Series | journal of long  names",
    "Third | Unl J | Unlisted Journal",
]


def test_abbreviation_list_gives_short_forms_as_citeproc_js() -> None:
    entries = format_bibliography(ITEMS, STYLE, abbreviations=LISTS)
    assert [e.text for e in entries] == WITH_LIST
    assert bibtools.Citer(ITEMS, STYLE, abbreviations=LISTS).cite("a") == "Long Title"


def test_without_a_list_the_short_form_falls_back_to_the_long_one() -> None:
    entries = format_bibliography(ITEMS, STYLE)
    assert entries[0].text == (
        "Own Short | Journal of Long Names | Lecture Notes in Computer Science | Curran Associates, Inc."
        " | Red Hook, NY | PhD thesis | Journal of Long Names"
    )


def test_abbreviation_list_from_the_command_line(tmp_path: Path) -> None:
    items, style, lists = tmp_path / "items.json", tmp_path / "short.csl", tmp_path / "abbrevs.json"
    items.write_text(json.dumps(ITEMS), encoding="utf-8")
    style.write_bytes(STYLE)
    lists.write_text(json.dumps(LISTS), encoding="utf-8")
    result = CliRunner().invoke(main, ["format", str(items), "--style", str(style), "--abbreviations", str(lists)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == WITH_LIST
    result = CliRunner().invoke(main, ["cite", str(items), "a", "--style", str(style), "--abbreviations", str(lists)])
    assert result.stdout.strip() == "Long Title"


def test_list_without_the_jurisdiction_level_is_the_default() -> None:
    assert load({"container-title": {"Journal of Long Names": "J Long Names"}}).lookup("container-title", "Journal of Long Names") == "J Long Names"


@pytest.mark.parametrize("content", ['["not", "an", "object"]', '{"default": {"title": {"A": 1}}}', "{not json"])
def test_unreadable_list_is_a_usage_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(AbbreviationsError):
        load(path)
    items = tmp_path / "items.json"
    items.write_text(json.dumps(ITEMS), encoding="utf-8")
    result = CliRunner().invoke(main, ["format", str(items), "--style", "apa", "--abbreviations", str(path)])
    assert result.exit_code == 2
    assert "abbreviation" in result.output


def test_item_jurisdiction_is_looked_up_before_default() -> None:
    lists = load({"us": {"container-title": {"Federal Reporter": "F."}}, "default": {"container-title": {"Federal Reporter": "Fed. Rep."}}})
    assert lists.short_forms({"container-title": "Federal Reporter", "jurisdiction": "us"}) == {"container-title-short": "F."}
    assert lists.short_forms({"container-title": "Federal Reporter"}) == {"container-title-short": "Fed. Rep."}
    assert lists.short_forms({"publisher": "Federal Reporter"}) == {}
