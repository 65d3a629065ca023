"""Minimal-diff .bib editing: spans, style detection, edits that touch only what changes."""
from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from bibtools.formats.bibtex.editor import detect_style, edit_entry, insert_entries, render_entry, scan
from bibtools.textio import read_text


QUOTED_UPPER = """% my library
@STRING{jgaj = "Journal of Gnats"}

@ARTICLE{alpha,
    AUTHOR = "Ann Alpha",
    TITLE = "A {DNA} study",
    JOURNAL = jgaj,
    YEAR = 1999
}

@ARTICLE{beta,
    AUTHOR = "Bo Beta",
    TITLE = "Other things",
    YEAR = 2001
}
"""


def _entry(bib, key):
    return next(b for b in bib.entries if b.key == key)


def test_blocks_cover_the_text_exactly():
    bib = scan(QUOTED_UPPER)
    assert "".join(QUOTED_UPPER[b.start : b.end] for b in bib.blocks) == QUOTED_UPPER
    assert [b.kind for b in bib.blocks if b.kind != "text"] == ["string", "entry", "entry"]
    alpha = _entry(bib, "alpha")
    assert [f.name for f in alpha.fields] == ["AUTHOR", "TITLE", "JOURNAL", "YEAR"]
    assert alpha.field("journal").raw == "jgaj"
    assert alpha.field("title").inner == "A {DNA} study"


def test_style_of_a_quoted_upper_case_file():
    style = detect_style(scan(QUOTED_UPPER))
    assert style.delimiter == '"'
    assert style.name_case == "upper"
    assert style.type_case == "upper"
    assert style.indent == "    "
    assert style.trailing_comma is False
    assert style.sorted_by_key is False  # only two entries: too few to call it sorted


def test_edit_changes_one_value_and_adds_a_field_in_the_entry_style():
    bib = scan(QUOTED_UPPER)
    style = detect_style(bib)
    alpha = _entry(bib, "alpha")
    new = edit_entry(bib, alpha, {"title": "{A {DNA} study, revised}", "doi": "{10.1000/xyz}"}, style)
    assert new == (
        '@ARTICLE{alpha,\n    AUTHOR = "Ann Alpha",\n    TITLE = "A {DNA} study, revised",\n'
        '    JOURNAL = jgaj,\n    YEAR = 1999,\n    DOI = "10.1000/xyz"\n}'
    )


def test_removing_a_field_removes_its_whole_line():
    bib = scan(QUOTED_UPPER)
    new = edit_entry(bib, _entry(bib, "beta"), {"title": None}, detect_style(bib))
    assert new == '@ARTICLE{beta,\n    AUTHOR = "Bo Beta",\n    YEAR = 2001\n}'


def test_value_with_a_bare_quote_falls_back_to_braces():
    bib = scan(QUOTED_UPPER)
    style = detect_style(bib)
    text = render_entry("article", "q", [("title", '{He said "no"}')], style)
    assert 'TITLE = {He said "no"}' in text


def test_new_entries_go_to_the_end_with_the_file_separator():
    bib = scan(QUOTED_UPPER)
    style = detect_style(bib)
    entry = render_entry("article", "gamma", [("author", "{Cy Gamma}"), ("year", "2020")], style)
    out = insert_entries(bib, {}, [("gamma", entry)], style)
    assert out.startswith(QUOTED_UPPER)
    assert out[len(QUOTED_UPPER) :] == '\n@ARTICLE{gamma,\n    AUTHOR = "Cy Gamma",\n    YEAR = 2020\n}\n'


SORTED_ALIGNED = """@article{adams2001,
  author  = {Adams, A.},
  title   = {One},
  year    = {2001},
}

@book{miller2010,
  author  = {Miller, M.},
  title   = {Two},
  year    = {2010},
}

@misc{zeta2020,
  author  = {Zeta, Z.},
  title   = {Three},
  year    = {2020},
}
"""


def test_sorted_file_gets_new_entries_in_key_order_in_aligned_style():
    bib = scan(SORTED_ALIGNED)
    style = detect_style(bib)
    assert style.sorted_by_key and style.trailing_comma and style.eq_column == 10
    assert style.bare_numbers is False
    entry = render_entry("article", "lee2015", [("title", "{Four}"), ("year", "2015"), ("author", "{Lee, L.}")], style)
    out = insert_entries(bib, {}, [("lee2015", entry)], style)
    assert out == SORTED_ALIGNED.replace(
        "@book{miller2010",
        "@article{lee2015,\n  author  = {Lee, L.},\n  title   = {Four},\n  year    = {2015},\n}\n\n@book{miller2010",
    )


def test_crlf_files_stay_crlf():
    text = SORTED_ALIGNED.replace("\n", "\r\n")
    bib = scan(text)
    style = detect_style(bib)
    new = edit_entry(bib, _entry(bib, "zeta2020"), {"note": "{added}"}, style)
    assert "\r\n  note    = {added},\r\n}" in new
    assert "\n" not in new.replace("\r\n", "")


def test_malformed_entry_is_kept_and_refused_for_editing():
    text = "@article{ok, title={Fine}}\n@article{bad, title={Unclosed\n@article{next, title={Two}}\n"
    bib = scan(text)
    assert "".join(text[b.start : b.end] for b in bib.blocks) == text
    bad = _entry(bib, "bad")
    assert not bad.complete
    assert _entry(bib, "next").complete
    with pytest.raises(ValueError):
        edit_entry(bib, bad, {"title": "{x}"}, detect_style(bib))


def test_untouched_blocks_survive_replacement_byte_for_byte():
    bib = scan(QUOTED_UPPER)
    style = detect_style(bib)
    index = bib.blocks.index(_entry(bib, "beta"))
    out = insert_entries(bib, {index: edit_entry(bib, bib.blocks[index], {"year": "2002"}, style)}, [], style)
    diff = [l for l in difflib.unified_diff(QUOTED_UPPER.splitlines(), out.splitlines(), lineterm="", n=0) if l.startswith(("+", "-")) and not l.startswith(("+++", "---"))]
    assert diff == ["-    YEAR = 2001", "+    YEAR = 2002"]


@pytest.mark.corpus
def test_scan_covers_every_corpus_bib_file(corpora):
    """Every .bib file of the corpora splits into blocks that rebuild it exactly, and
    the entries found are at least those bibtexparser finds (which skips broken ones)."""
    import bibtexparser

    paths = sorted(p for p in corpora.rglob("*.bib") if "large" not in p.parts)  # large/: see benchmarks
    assert len(paths) > 50
    for path in paths:
        text = read_text(path).text
        bib = scan(text)
        assert "".join(text[b.start : b.end] for b in bib.blocks) == text, path
        assert all(a.end == b.start for a, b in zip(bib.blocks, bib.blocks[1:])), path
        if len(text) > 300_000:
            continue  # bibtexparser is slow on the big ones; the cover check above is what matters
        parsed = bibtexparser.parse_string(text)
        ours = {b.key for b in bib.entries if b.complete}
        theirs = {e.key for e in parsed.entries}
        assert theirs <= ours | {b.key for b in bib.entries}, path


@pytest.mark.corpus
def test_style_of_real_files(corpora):
    wos = detect_style(scan(read_text(corpora / "messy" / "litsearchr-wos-corecollection-1.bib").text))
    assert wos.delimiter == "{{" and wos.name_case == "title"
    scopus = detect_style(scan(read_text(corpora / "messy" / "litsearchr-scopus-final.bib").text))
    assert scopus.delimiter == "{" and scopus.type_case == "upper" and scopus.indent == "" and scopus.equals == "="
    examples = detect_style(scan(read_text(corpora / "reference" / "biblatex-examples.bib").text))
    assert examples.eq_column == 15 and examples.trailing_comma and examples.indent == "  "
