"""The style a reference list was printed in, and each parsed record printed again in it."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from bibtools import Date, Item, Name
from bibtools.cli import main as cli
from bibtools.csl.api import format_bibliography
from bibtools.csl.conformance import ORACLE_STYLES
from bibtools.formats.references import parse_references
from bibtools.formats.references.restyle import CANDIDATE_STYLES, guess_style, restyle
from conftest import ORACLE

# Records of the project's own, printed by bibtools in a style, then parsed back.
RECORDS = [
    Item(id="a", type="article-journal", fields={
        "author": [Name(family="Lindqvist", given="Ingrid"), Name(family="Okonkwo", given="Chidi")],
        "title": "Sediment transport in braided rivers", "container-title": "Journal of Hydrology",
        "volume": "512", "issue": "3", "page": "101-118", "issued": Date(parts=((2014,),))}),
    Item(id="b", type="book", fields={
        "author": [Name(family="Moreau", given="Camille")], "title": "A history of glaciers",
        "publisher": "Oxford University Press", "publisher-place": "Oxford", "issued": Date(parts=((2009,),))}),
    Item(id="c", type="chapter", fields={
        "author": [Name(family="Tanaka", given="Hiroshi")], "title": "Ice cores and climate",
        "container-title": "Handbook of paleoclimate", "editor": [Name(family="Rossi", given="Giulia")],
        "publisher": "Springer", "publisher-place": "Berlin", "page": "45-67", "issued": Date(parts=((2017,),))}),
    Item(id="d", type="article-journal", fields={
        "author": [Name(family="Nguyen", given="Thi Mai"), Name(family="Cohen", given="Ruth"), Name(family="Singh", given="Harpreet")],
        "title": "Permafrost thaw and methane release", "container-title": "Nature Geoscience",
        "volume": "9", "page": "220-225", "issued": Date(parts=((2016,),))}),
]


def _printed(style: str) -> str:
    entries = format_bibliography(RECORDS, style, output="text")
    return "\n\n".join(entry.text for entry in entries)


@pytest.mark.parametrize("style", ["apa", "ieee", "modern-language-association", "vancouver-nlm"])
def test_a_list_printed_by_bibtools_names_its_style(style: str) -> None:
    library = parse_references(_printed(style))
    assert len(library.items) == len(RECORDS)
    guess = guess_style(library)
    assert guess.style == style, guess.ranking[:3]
    assert [s for s, _ in guess.ranking] != [] and set(s for s, _ in guess.ranking) == set(CANDIDATE_STYLES)


def test_a_right_record_comes_back_as_pasted_and_a_wrong_one_loses_confidence() -> None:
    library = parse_references(_printed("apa"))
    guess, again = restyle(library, "apa")
    assert guess.style == "apa"
    assert all(one.similarity > 0.95 for one in again), [(one.given, one.rendered) for one in again]
    # The same list with one record labelled wrongly: the journal read as the publisher.
    library = parse_references(_printed("apa"))
    wrong = next(n for n, item in enumerate(library.items) if item.fields.get("container-title") == "Journal of Hydrology")
    fields = library.items[wrong].fields
    fields["publisher"] = fields.pop("container-title")
    library.confidence[wrong]["publisher"] = library.confidence[wrong].pop("container-title")
    before = library.confidence[wrong]["publisher"]
    _, again = restyle(library, "apa")
    assert again[wrong].differences
    assert library.confidence[wrong]["publisher"] < before
    assert "publisher" in {variable for variable, _, _ in again[wrong].lowered}
    assert "title" not in {variable for variable, _, _ in again[wrong].lowered}  # printed in place


@pytest.mark.corpus
@pytest.mark.parametrize("style", ORACLE_STYLES)
def test_citeproc_js_lists_are_named_after_the_style_that_printed_them(style: str) -> None:
    """citeproc-js (not bibtools) printed these 26 real references; the guess names its style."""
    oracle = json.loads((ORACLE / "csl" / f"{style}.citeproc-js.json").read_text(encoding="utf-8"))
    library = parse_references("\n\n".join(oracle["formats"]["text"]["bibliography"].values()))
    guess = guess_style(library)
    assert guess.style == style, guess.ranking[:3]


def test_cli_explain_prints_the_style_and_the_differences(tmp_path) -> None:
    source = tmp_path / "refs.txt"
    source.write_text(_printed("ieee"), encoding="utf-8")
    out = tmp_path / "out.bib"
    result = CliRunner().invoke(cli, ["convert", str(source), "--to", "bibtex", "--explain", "-o", str(out)])
    assert result.exit_code in (0, 1), result.output
    assert f"{source}: printed in style ieee" in result.stderr
    assert out.read_text(encoding="utf-8").count("@") == len(RECORDS)


def test_cli_explain_refuses_what_is_not_a_reference_list(tmp_path) -> None:
    source = tmp_path / "a.bib"
    source.write_text("@article{a, title = {T}, author = {A, B}, year = 2000}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["convert", str(source), "--to", "csljson", "--explain"])
    assert result.exit_code == 2
    assert "--explain reads formatted reference lists" in result.output
