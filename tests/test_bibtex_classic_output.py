"""What the classic BibTeX writer does so that its output compiles (issue 12), without TeX:
the TeX programs themselves run in tests/test_tex_compile.py."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

import bibtools
from bibtools.text.bibnames import split_names

from conftest import CORPORA, PROJECT

_ITEMS = json.dumps([
    {"id": "soft", "type": "software", "title": "SciPy", "version": "1.11", "URL": "https://scipy.org",
     "author": [{"literal": "SciPy Developers"}], "issued": {"date-parts": [[2023]]}},
    {"id": "data", "type": "dataset", "title": "Ocean temperatures", "author": [{"family": "UN DESA"}],
     "issued": {"date-parts": [[2020]]}},
    {"id": "web", "type": "webpage", "title": "Homepage", "medium": "Online resource", "URL": "https://example.org"},
    {"id": "greek", "type": "article-journal", "title": "The β-decay of ∑ in 中文", "author": [{"family": "Α", "given": "Β"}]},
])


def _library():
    return bibtools.load_string(_ITEMS, "csljson")


def _entry(text: str, key: str) -> str:
    start = text.index("{" + key + ",")
    return text[text.rindex("@", 0, start):text.index("\n}\n", start)]


def test_types_classic_styles_lack_become_misc_and_read_back():
    losses: list = []
    text = bibtools.dump(_library(), "bibtex", losses=losses)
    soft, data, web = _entry(text, "soft"), _entry(text, "data"), _entry(text, "web")
    assert soft.startswith("@misc{") and "howpublished = {Software}" in soft and "url = {https://scipy.org}" in soft
    assert data.startswith("@misc{") and "howpublished = {Dataset}" in data
    assert web.startswith("@misc{") and "howpublished = {Online resource}" in web  # its own medium wins
    assert {d.key for d in losses if "written as @misc" in d.message} == {"soft", "data", "web"}
    back = bibtools.load_string(text, "bibtex")
    assert [back[k].type for k in ("soft", "data", "web")] == ["software", "dataset", "webpage"]
    biblatex = bibtools.dump(_library(), "biblatex")
    assert "@software{soft," in biblatex and "@dataset{data," in biblatex and "@online{web," in biblatex


def test_family_only_names_are_one_brace_group_without_a_comma():
    text = bibtools.dump(_library(), "bibtex")
    assert "author = {{{UN DESA}}}" in text and "UN DESA," not in text
    assert "author = {{SciPy Developers}}" in text
    names, _ = split_names("{{UN DESA}}")
    assert names[0].family == "UN DESA" and names[0].given is None


def test_author_less_entries_get_a_label_key_that_reading_drops():
    text = bibtools.dump(_library(), "bibtex")
    assert "key = {Homepage}" in _entry(text, "web")
    assert "key =" not in _entry(text, "soft")
    assert "key" not in bibtools.load_string(text, "bibtex")["web"].extra


def test_pdflatex_escaping_default_and_utf8_option():
    losses: list = []
    classic = bibtools.dump(_library(), "bibtex", losses=losses)
    greek = _entry(classic, "greek")
    assert r"{\ensuremath{\beta}}" in greek and r"{\ensuremath{\sum}}" in greek
    assert "中文" in greek and "Α" in greek  # no LaTeX command exists: kept, and said so
    said = " ".join(d.message for d in losses if d.key == "greek")
    assert "cannot typeset" in said and "中" in said and "Α" in said
    for text in (bibtools.dump(_library(), "bibtex", utf8=True), bibtools.dump(_library(), "biblatex")):
        assert "β" in text and "∑" in text and "ensuremath" not in text
    assert bibtools.dump(_library(), "bibtex", ascii=True).count("ensuremath") >= 2


def test_convert_cli_utf8_flag(tmp_path):
    src = tmp_path / "in.json"
    src.write_text(_ITEMS, encoding="utf-8")
    run = lambda *extra: subprocess.run([sys.executable, "-m", "bibtools", "convert", str(src), "--to", "bibtex", *extra],
                                        cwd=PROJECT, capture_output=True, text=True, timeout=60)
    assert r"{\ensuremath{\beta}}" in run().stdout
    assert "β" in run("--utf8").stdout


def test_keys_differing_only_in_case_are_reported():
    library = bibtools.load_string("@misc{Smith2020, title={A}}\n@misc{smith2020, title={B}}\n", "bibtex")
    losses: list = []
    bibtools.dump(library, "bibtex", losses=losses)
    assert any("only in case" in d.message and d.key == "smith2020" for d in losses)


@pytest.mark.corpus
def test_web_of_science_double_braces_never_reach_a_doi_or_a_reference():
    files = sorted((CORPORA / "messy").glob("litsearchr-wos-*.bib"))
    library = bibtools.load(str(files[0]))
    dois = [item.fields["DOI"] for item in library.items if "DOI" in item.fields]
    assert len(dois) > 100 and not [d for d in dois if "{" in d or "}" in d]
    assert '"DOI": "{' not in bibtools.dump(library, "csljson")
    refs = bibtools.format_bibliography(library, "apa")
    assert not [r.text for r in refs if "{" in r.text]
