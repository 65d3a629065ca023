"""Empty input, binary input, or input where nothing was recognised: said in a sentence, exit 1.

Before, an empty file or 10 KB of binary gave ``[]`` with exit 0 and no message. An
explicitly empty CSL-JSON array ``[]`` is valid JSON but holds nothing to convert or
format: the user must act, so it is reported too. Merging into an empty *base* is
normal (a new bibliography) and stays quiet.
"""
from __future__ import annotations

import random
from pathlib import Path

import pytest
from click.testing import CliRunner

import bibtools
from bibtools.cli import main as cli

KINDS = {
    "empty.bib": b"",
    "blank.bib": b"  \n\n\t\n",
    "nul.bib": b"\x00" * 4096,
    "random.bib": random.Random(7).randbytes(10240),
    "list.json": b"[]\n",
    "comment.bib": b"@comment{nothing here}\n% a note\n",
}
CODES = {"empty.bib": "input.empty", "blank.bib": "input.empty", "nul.bib": "input.binary",
         "random.bib": "input.binary", "list.json": "input.no-records", "comment.bib": "input.no-records"}


@pytest.fixture()
def files(tmp_path: Path) -> dict[str, Path]:
    out = {}
    for name, data in KINDS.items():
        path = tmp_path / name
        path.write_bytes(data)
        out[name] = path
    return out


def _run(args: list[str]):
    return CliRunner().invoke(cli, args)


@pytest.mark.parametrize("name", sorted(KINDS))
@pytest.mark.parametrize("command", [
    ["convert", "{}", "--to", "csljson"],
    ["convert", "{}", "--to", "bibtex", "--no-stream"],
    ["format", "{}", "--style", "apa"],
    ["dedupe", "{}"],
    ["keys", "{}"],
])
def test_commands_say_so_and_exit_1(files: dict[str, Path], name: str, command: list[str]) -> None:
    result = _run([str(files[name]) if a == "{}" else a for a in command])
    assert result.exit_code == 1, result.output
    assert CODES[name] in result.output
    assert files[name].name in result.output  # the sentence names the file


@pytest.mark.parametrize("name", sorted(KINDS))
def test_the_api_reports_it_once(files: dict[str, Path], name: str) -> None:
    library = bibtools.load_file(files[name])
    codes = [d.code for d in library.diagnostics if d.code.startswith("input.")]
    assert codes == [CODES[name]]


def test_merge_of_an_empty_incoming_file_says_so(files: dict[str, Path], tmp_path: Path) -> None:
    base = tmp_path / "base.bib"
    base.write_text("@article{a, title = {T}, author = {A, B}, year = 2000}\n", encoding="utf-8")
    result = _run(["merge", str(base), str(files["empty.bib"]), "-o", str(tmp_path / "out.bib")])
    assert result.exit_code == 1
    assert "input.empty" in result.output


def test_merging_into_an_empty_base_is_normal(files: dict[str, Path], tmp_path: Path) -> None:
    incoming = tmp_path / "new.bib"
    incoming.write_text("@article{a, title = {T}, author = {A, B}, year = 2000}\n", encoding="utf-8")
    result = _run(["merge", str(files["empty.bib"]), str(incoming), "-o", str(tmp_path / "out.bib")])
    assert result.exit_code == 0, result.output
    assert "@article{a," in (tmp_path / "out.bib").read_text(encoding="utf-8")


def test_lint_warns(files: dict[str, Path]) -> None:
    for name in ("empty.bib", "list.json"):
        result = _run(["lint", str(files[name])])
        assert CODES[name] in result.output
        assert "warning" in result.output
        assert result.exit_code == 0  # lint fails only on error-level findings


def test_a_file_with_records_says_nothing_of_the_kind(tmp_path: Path) -> None:
    path = tmp_path / "ok.bib"
    path.write_text("@book{b, title = {Été}, author = {Ünal, A.}, year = 1999}\n", encoding="utf-8")
    result = _run(["convert", str(path), "--to", "csljson"])
    assert result.exit_code == 0
    assert "input." not in result.output
