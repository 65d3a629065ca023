"""``bibtools format``, ``cite`` and ``styles`` on the command line."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from bibtools.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CV = str(FIXTURES / "format_cv.json")


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_format_text_one_entry_per_line() -> None:
    result = run("format", CV, "--style", "apa")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 5
    assert lines[1] == "Müller, A. (2019). Growth of E. coli at 37 °C in 50% glucose_media #1. Journal of Tests, 12, 100–110."


def test_format_json_names_the_output(tmp_path: Path) -> None:
    out = tmp_path / "refs.json"
    result = run("format", CV, "--style", "apa", "--output", "html", "--json", "-o", str(out))
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [d["id"] for d in data] == ["doe2019", "muller2019", "shalev2014", "shalev2007", "shalev2011"]
    assert set(data[0]) == {"id", "html"}
    assert data[0]["html"] == "Doe, J. (2019). &lt;script&gt;alert(1)&lt;/script&gt; &amp; friends. <i>Journal of Tests</i>."


def test_format_cv_options_together() -> None:
    result = run("format", CV, "--style", "cv-compact", "--highlight", "Shalev-Shwartz", "--group-by", "year", "--output", "markdown", "--numbered")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("## 2019\n\n1\\. Doe J. (2019).")
    assert "\n\n## 2014\n\n3\\. **Shalev-Shwartz S.** and Ben-David S. (2014)." in result.stdout


def test_format_rtf_is_a_document() -> None:
    result = run("format", CV, "--style", "apa", "--output", "rtf")
    assert result.stdout.startswith("{\\rtf1\\ansi")
    assert "M\\u252?ller, A. (2019). Growth of {\\i E. coli}" in result.stdout
    assert result.stdout.rstrip().endswith("}")


def test_format_pybtex_engine() -> None:
    result = run("format", CV, "--style", "plain", "--engine", "pybtex")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "[1] Jane Doe. <script>alert(1)</script> & friends. Journal of Tests, 2019."


def test_unknown_style_is_a_usage_error_with_suggestions() -> None:
    result = run("format", CV, "--style", "apa7")
    assert result.exit_code == 2
    assert "unknown style 'apa7'; did you mean apa," in result.stderr
    assert "Traceback" not in result.output


def test_broken_style_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csl"
    bad.write_text("<style", encoding="utf-8")
    result = run("format", CV, "--style", str(bad))
    assert result.exit_code == 2
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("Error")]
    assert len(error_lines) == 1 and "not well-formed" in error_lines[0]


def test_unrenderable_entry_is_reported_with_its_key_and_exit_1() -> None:
    result = run("format", CV, "--style", str(FIXTURES / "format_book_macro_missing.csl"))
    assert result.exit_code == 1
    assert len(result.stdout.splitlines()) == 4
    assert "[shalev2014]" in result.stderr


def test_copy_without_a_clipboard_tool_says_so_and_still_writes(tmp_path: Path) -> None:
    result = run("format", CV, "--style", "apa", "--copy", env={"PATH": str(tmp_path), "WAYLAND_DISPLAY": "", "DISPLAY": ""})
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 5
    assert "no clipboard tool found" in result.stderr


def test_copy_uses_the_tool_on_path(tmp_path: Path) -> None:
    # a stand-in xclip that records what it was given
    received = tmp_path / "received"
    tool = tmp_path / "xclip"
    cat = shutil.which("cat") or "/bin/cat"
    tool.write_text(f'#!/bin/sh\necho "$@" > "{received}.args"\n{cat} > "{received}"\n', encoding="utf-8")
    tool.chmod(0o755)
    result = run("format", CV, "--style", "apa", "--output", "html", "--copy", env={"PATH": str(tmp_path), "WAYLAND_DISPLAY": ""})
    assert result.exit_code == 0, result.output
    assert "copied to the clipboard as text/html (xclip)" in result.stderr
    assert received.read_text(encoding="utf-8") == result.stdout
    assert "-t text/html" in Path(f"{received}.args").read_text(encoding="utf-8")


def test_cite_cluster_with_locator_prefix_suffix() -> None:
    result = run("cite", CV, "shalev2011", "--style", "apa", "--locator", "p. 12", "--prefix", "see ")
    assert result.exit_code == 0, result.output
    assert result.stdout == "(see Shalev-Shwartz et al., 2011, p. 12)\n"
    json_result = run("cite", CV, "muller2019", "doe2019", "--style", "apa", "--json")
    assert json.loads(json_result.stdout) == {"ids": ["muller2019", "doe2019"], "text": "(Doe, 2019; Müller, 2019)"}


def test_cite_all_in_input_order() -> None:
    result = run("cite", CV, "--all", "--style", "apa", "--json")
    data = json.loads(result.stdout)
    assert [d["id"] for d in data] == ["shalev2011", "shalev2014", "shalev2007", "muller2019", "doe2019"]
    assert data[1] == {"id": "shalev2014", "text": "(Shalev-Shwartz & Ben-David, 2014)"}
    assert data[3]["text"] == "(Müller, 2019)"


def test_cite_unknown_key_and_missing_keys_are_usage_errors() -> None:
    unknown = run("cite", CV, "nope", "--style", "apa")
    assert unknown.exit_code == 2 and "no item with key 'nope'" in unknown.stderr
    assert run("cite", CV, "--style", "apa").exit_code == 2
    assert run("cite", CV, "doe2019", "--all", "--style", "apa").exit_code == 2


def test_styles_search_and_suggestion() -> None:
    result = run("styles", "nature", "physics")
    assert result.exit_code == 0
    assert any(line.startswith("nature-physics ") and "(uses nature)" in line for line in result.stdout.splitlines())
    data = json.loads(run("styles", "cv-compact", "--json").stdout)
    assert data[0]["name"] == "cv-compact" and data[0]["kind"] == "project"
    missing = run("styles", "zzqqxx-no-such")
    assert missing.exit_code == 1 and "no style matches" in missing.stderr


@pytest.mark.parametrize("name", ["format", "cite", "styles"])
def test_help(name: str) -> None:
    assert run(name, "--help").exit_code == 0
