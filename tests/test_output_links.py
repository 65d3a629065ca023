"""Links in formatted output are whole: a DOI or URL is never cut at ``<``, ``"`` or a brace,
and what the target syntax cannot hold is percent-encoded, never dropped or backslashed.

Before, the real SICI DOI below was linked as ``...35:4`` in HTML, LaTeX and Markdown, and a
URL with ``{`` gained a backslash in LaTeX.
"""
from __future__ import annotations

import html
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest

import bibtools
from bibtools.csl.outputs import convert

SICI = "https://doi.org/10.1002/(SICI)1097-4636(199706)35:4<517::AID-JBM13>3.0.CO;2-8"
BRACED = 'https://example.org/a{b}c?x=1&y="q"'


def _engine_html(url: str, before: str = "Text. ", after: str = "") -> str:
    return before + html.escape(url, quote=False) + after  # what the CSL engine hands the renderers


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.texts: list[str] = []
        self._in = False

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.append(dict(attrs)["href"])
            self.texts.append("")
            self._in = True

    def handle_endtag(self, tag):
        if tag == "a":
            self._in = False

    def handle_data(self, data):
        if self._in:
            self.texts[-1] += data


def _links(markup: str) -> _Links:
    parser = _Links()
    parser.feed(markup)
    return parser


@pytest.mark.parametrize("url", [SICI, BRACED])
def test_html_links_the_whole_url(url: str) -> None:
    out = convert(_engine_html(url, after=" Next."), "html")
    links = _links(out)
    assert [unquote(h) for h in links.hrefs] == [url]
    assert links.texts == [url]
    assert not re.search(r'[<>"{}]', links.hrefs[0])  # encoded in the attribute


def test_sentence_punctuation_and_unopened_brackets_stay_outside() -> None:
    for after, tail in ((". Next", "."), ("), then", ")"), ("; and", ";")):
        out = convert(_engine_html(SICI, before="(see ", after=after), "html")
        assert unquote(_links(out).hrefs[0]) == SICI
        assert "</a>" + tail in out
    balanced = "https://en.wikipedia.org/wiki/Set_(mathematics)"
    assert unquote(_links(convert(_engine_html(balanced, after="."), "html")).hrefs[0]) == balanced


def test_markdown_autolink_is_whole() -> None:
    out = convert(_engine_html(SICI), "markdown")
    m = re.search(r"<(https://[^>\s]+)>", out)
    assert m and unquote(m.group(1)) == SICI


@pytest.mark.parametrize("url", [SICI, BRACED])
def test_latex_url_is_whole_and_gains_no_backslash(url: str) -> None:
    out = convert(_engine_html(url), "latex")
    m = re.search(r"\\url\{(.*)\}$", out)
    assert m, out
    arg = m.group(1)
    assert "\\{" not in arg and "\\}" not in arg
    assert unquote(arg.replace("\\%", "%").replace("\\#", "#")) == url


def test_plain_text_keeps_the_url_as_it_is() -> None:
    assert convert(_engine_html(SICI), "text") == "Text. " + SICI


def test_formatted_reference_links_past_the_angle_bracket() -> None:
    library = bibtools.load_string(
        '[{"id": "s", "type": "article-journal", "title": "Wear", "author": [{"family": "Kim", "given": "A."}],'
        ' "issued": {"date-parts": [[1997]]}, "container-title": "J Biomed Mater Res",'
        ' "DOI": "10.1002/(SICI)1097-4636(199706)35:4<517::AID-JBM13>3.0.CO;2-8"}]', "csljson")
    entry = bibtools.format_bibliography(library, "apa", output="html")[0].text
    href = unquote(_links(entry).hrefs[0]).lower()
    assert href.startswith("https://doi.org/10.1002/(sici)1097-4636(199706)35:4<517")
    assert href.endswith("3.0.co;2-8")


@pytest.mark.tex
@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="needs pdflatex (Debian texlive-latex-base)")
def test_latex_links_compile_with_hyperref(tmp_path: Path) -> None:
    body = "\n\n".join(convert(_engine_html(u), "latex") for u in (SICI, BRACED, "https://x.org/50%25#frag"))
    doc = "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage{hyperref}\n\\begin{document}\n" \
          + body + "\n\\end{document}\n"
    (tmp_path / "links.tex").write_text(doc, encoding="utf-8")
    run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "links.tex"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    errors = [line for line in run.stdout.splitlines() if line.startswith("!")]
    assert run.returncode == 0 and not errors, errors or run.stdout[-2000:]
    assert (tmp_path / "links.pdf").stat().st_size > 0
