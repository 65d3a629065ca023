"""Text that nests without limit (hostile or pasted) never costs a RecursionError.

The LaTeX decoder keeps its groups on an explicit stack; the JATS/HTML and
engine-HTML tree builders cap their depth. Normal input decodes exactly as
before (``test_latex.py`` pins that); these tests pin the deep cases.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bibtools.cli import main
from bibtools.text.latex import latex_to_rich
from bibtools.text.markup import markup_to_rich
from bibtools.csl.outputs import convert


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _deep_bib(tmp_path: Path, depth: int) -> Path:
    path = tmp_path / f"deep{depth}.bib"
    title = "{" * depth + "Deep" + "}" * depth
    path.write_text(
        "@article{deep, author = {A. Author}, title = {" + title + "}, journal = {J}, year = 2000}\n"
        "@article{flat, author = {B. Writer}, title = {Flat}, journal = {J}, year = 2001}\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("depth", [500, 100_000])
@pytest.mark.parametrize("command", [
    ("convert", "--to", "csljson"),
    ("convert", "--to", "bibtex"),
    ("format", "--style", "apa"),
    ("dedupe",),
])
def test_deeply_braced_bibtex_value_goes_through_every_command(tmp_path: Path, depth: int, command: tuple[str, ...]) -> None:
    path = _deep_bib(tmp_path, depth)
    result = run(command[0], str(path), *command[1:])
    assert "Deep" in result.stdout or command[0] == "dedupe"
    assert "Flat" in result.stdout or command[0] == "dedupe"
    assert result.exit_code in (0, 1), result.output


def test_deeply_braced_value_merges(tmp_path: Path) -> None:
    base = _deep_bib(tmp_path, 2000)
    other = tmp_path / "other.bib"
    other.write_text("@book{new, title = {" + "{" * 3000 + "New" + "}" * 3000 + "}, year = 1999}\n", encoding="utf-8")
    result = run("merge", str(base), str(other))
    assert result.exit_code in (0, 1), result.output
    assert "@book{new" in result.stdout


def test_deep_latex_decodes_to_one_protected_span() -> None:
    # a protected group inside a protected group is not protected again: the depth collapses
    assert latex_to_rich("{" * 100_000 + "x" + "}" * 100_000) == '<span class="nocase">x</span>'
    assert latex_to_rich("\\emph{" * 50_000 + "x" + "}" * 50_000) == "<i>" * 50_000 + "x" + "</i>" * 50_000
    assert latex_to_rich("\\'{" * 3000 + "e" + "}" * 3000).startswith("\u00e9")


def test_deep_latex_in_a_pasted_author_page(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    abstract = "We study " + "{" * 5000 + "nested" + "}" * 5000 + " groups in a long abstract of a paper."
    page.write_text(
        "A Paper About Nesting\n\nAda Lovelace, Charles Babbage\n\n" + abstract + "\n\nVia\n", encoding="utf-8"
    )
    result = run("convert", str(page), "--from", "listing", "--to", "csljson")
    assert result.exit_code in (0, 1), result.output
    items = json.loads(result.stdout)
    assert any("nested" in item.get("abstract", "") for item in items)


def test_deep_jats_markup_keeps_its_text() -> None:
    assert markup_to_rich("<i>" * 20_000 + "x" + "</i>" * 20_000).count("x") == 1
    assert markup_to_rich("<mml:math>" + "<mml:mrow>" * 20_000 + "<mml:mi>y</mml:mi>" + "</mml:mrow>" * 20_000 + "</mml:math>") == "$y$"
    assert markup_to_rich("<p>" * 20_000 + "z") == "z"


def test_deep_engine_html_renders_in_every_output() -> None:
    fragment = "<i>" * 20_000 + "x &lt; y" + "</i>" * 20_000 + " tail"
    for output in ("text", "html", "markdown", "rtf", "latex"):
        out = convert(fragment, output)
        assert "x" in out and "tail" in out
        assert "</i>" not in out or output == "html"


def test_deep_italics_in_csljson_title_format(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    title = "<i>" * 20_000 + "Deep" + "</i>" * 20_000
    path.write_text(json.dumps([{"id": "d", "type": "book", "title": title, "issued": {"date-parts": [[2000]]}}]), encoding="utf-8")
    for output in ("text", "html", "latex"):
        result = run("format", str(path), "--style", "apa", "--output", output)
        assert result.exit_code in (0, 1), result.output
        assert "Deep" in result.stdout
