"""The engine's HTML to every output markup, with exact expected strings.

The input fragments are what a CSL engine emits (citeproc-js's HTML
conventions: ``&#38;`` for ampersands, ``csl-left-margin``/``csl-right-inline``
for numbered entries); the expectations follow each markup's own rules.
"""
from __future__ import annotations

import pytest

from bibtools.csl.outputs import OUTPUT_NAMES, convert, parse_html, renderer

APA_HTML = (
    "Shalev-Shwartz, S., Singer, Y., Srebro, N., &#38; Cotter, A. (2011). Pegasos: Primal estimated "
    "sub-gradient solver for SVM. <i>Mathematical Programming</i>, <i>127</i>(1), 3–30. "
    "https://doi.org/10.1007/s10107-010-0420-4"
)

EXPECTED_APA = {
    "text": "Shalev-Shwartz, S., Singer, Y., Srebro, N., & Cotter, A. (2011). Pegasos: Primal estimated sub-gradient solver for SVM. "
    "Mathematical Programming, 127(1), 3–30. https://doi.org/10.1007/s10107-010-0420-4",
    "html": "Shalev-Shwartz, S., Singer, Y., Srebro, N., &amp; Cotter, A. (2011). Pegasos: Primal estimated sub-gradient solver for SVM. "
    '<i>Mathematical Programming</i>, <i>127</i>(1), 3–30. <a href="https://doi.org/10.1007/s10107-010-0420-4">'
    "https://doi.org/10.1007/s10107-010-0420-4</a>",
    "markdown": "Shalev-Shwartz, S., Singer, Y., Srebro, N., & Cotter, A. (2011). Pegasos: Primal estimated sub-gradient solver for SVM. "
    "*Mathematical Programming*, *127*(1), 3–30. <https://doi.org/10.1007/s10107-010-0420-4>",
    "rtf": "Shalev-Shwartz, S., Singer, Y., Srebro, N., & Cotter, A. (2011). Pegasos: Primal estimated sub-gradient solver for SVM. "
    r"{\i Mathematical Programming}, {\i 127}(1), 3\u8211?30. https://doi.org/10.1007/s10107-010-0420-4",
    "latex": r"Shalev-Shwartz, S., Singer, Y., Srebro, N., \& Cotter, A. (2011). Pegasos: Primal estimated sub-gradient solver for SVM. "
    r"\textit{Mathematical Programming}, \textit{127}(1), 3–30. \url{https://doi.org/10.1007/s10107-010-0420-4}",
}


@pytest.mark.parametrize("output", OUTPUT_NAMES)
def test_apa_entry_in_every_output(output: str) -> None:
    assert convert(APA_HTML, output) == EXPECTED_APA[output]


# Every style the tree knows, plus characters each markup must escape.
RICH_HTML = (
    'A <b>bold</b> <span style="font-variant:small-caps;">Caps</span> H<sub>2</sub>O x<sup>2</sup> '
    "50% a_b #1 {x} $5 ~ \\ *star* [1] °"
)
EXPECTED_RICH = {
    "text": "A bold Caps H2O x2 50% a_b #1 {x} $5 ~ \\ *star* [1] °",
    "html": 'A <b>bold</b> <span style="font-variant:small-caps;">Caps</span> H<sub>2</sub>O x<sup>2</sup> 50% a_b #1 {x} $5 ~ \\ *star* [1] °',
    "markdown": 'A **bold** <span style="font-variant:small-caps;">Caps</span> H<sub>2</sub>O x<sup>2</sup> '
    r"50% a\_b \#1 \{x\} $5 \~ \\ \*star\* \[1\] °",
    "rtf": r"A {\b bold} {\scaps Caps} H{\sub 2}O x{\super 2} 50% a_b #1 \{x\} $5 ~ \\ *star* [1] \u176?",
    "latex": r"A \textbf{bold} \textsc{Caps} H\textsubscript{2}O x\textsuperscript{2} "
    r"50\% a\_b \#1 \{x\} \$5 \textasciitilde{} \textbackslash{} *star* [1] °",
}


@pytest.mark.parametrize("output", OUTPUT_NAMES)
def test_styles_and_escapes_in_every_output(output: str) -> None:
    assert convert(RICH_HTML, output) == EXPECTED_RICH[output]


# A numbered entry as citeproc-js's HTML gives it (margin and body in divs).
NUMBERED_HTML = (
    '    <div class="csl-left-margin">[1]</div><div class="csl-right-inline">Y. LeCun, “Deep learning,” '
    "<i>Nature</i>, vol. 521, 2015.</div>\n  "
)


def test_numbered_entry_keeps_number_apart_from_text() -> None:
    assert convert(NUMBERED_HTML, "text") == "[1] Y. LeCun, “Deep learning,” Nature, vol. 521, 2015."
    assert convert(NUMBERED_HTML, "markdown") == r"\[1\] Y. LeCun, “Deep learning,” *Nature*, vol. 521, 2015."
    assert convert(NUMBERED_HTML, "latex") == r"[1] Y. LeCun, “Deep learning,” \textit{Nature}, vol. 521, 2015."
    assert convert(NUMBERED_HTML, "html") == (
        '<span class="csl-left-margin">[1]</span> <span class="csl-right-inline">Y. LeCun, “Deep learning,” '
        "<i>Nature</i>, vol. 521, 2015.</span>"
    )
    assert convert(NUMBERED_HTML, "rtf") == r"[1] Y. LeCun, \u8220?Deep learning,\u8221? {\i Nature}, vol. 521, 2015."


def test_markdown_number_at_line_start_is_not_a_list() -> None:
    assert convert("1. LeCun, Y. <i>Nature</i>.", "markdown") == r"1\. LeCun, Y. *Nature*."


def test_markdown_emphasis_keeps_spaces_outside_markers() -> None:
    assert convert("a<i> b </i>c", "markdown") == "a *b* c"


def test_rtf_characters_beyond_the_bmp_are_surrogate_pairs() -> None:
    # U+1D49C MATHEMATICAL SCRIPT CAPITAL A = D835 DC9C; RTF \u takes signed 16-bit numbers
    assert convert("\U0001d49c", "rtf") == r"\u-10187?\u-9060?"


@pytest.mark.parametrize("output", OUTPUT_NAMES)
def test_script_the_engine_escaped_stays_text(output: str) -> None:
    engine_html = "Doe, J. (2019). &#60;script&#62;alert(1)&#60;/script&#62; &#38; friends. <i>Journal of Tests</i>."
    expected = {
        "text": "Doe, J. (2019). <script>alert(1)</script> & friends. Journal of Tests.",
        "html": "Doe, J. (2019). &lt;script&gt;alert(1)&lt;/script&gt; &amp; friends. <i>Journal of Tests</i>.",
        "markdown": r"Doe, J. (2019). \<script\>alert(1)\</script\> & friends. *Journal of Tests*.",
        "rtf": r"Doe, J. (2019). <script>alert(1)</script> & friends. {\i Journal of Tests}.",
        "latex": r"Doe, J. (2019). \textless{}script\textgreater{}alert(1)\textless{}/script\textgreater{} \& friends. \textit{Journal of Tests}.",
    }
    assert convert(engine_html, output) == expected[output]


def test_unescaped_markup_from_an_engine_is_kept_as_text_never_as_markup() -> None:
    # if an engine ever let a tag through, the HTML output shows it instead of running it
    out = convert('Title <script>alert(1)</script> <img src=x onerror="y"> end', "html")
    assert out == 'Title &lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror="y"&gt; end'
    assert "<script" not in out and "<img" not in out


def test_links_and_url_special_characters() -> None:
    engine_html = 'See <a href="https://example.org/a_b?x=1&amp;y=2#frag">here</a> and https://example.org/p%20q#s.'
    assert convert(engine_html, "html") == (
        'See <a href="https://example.org/a_b?x=1&amp;y=2#frag">here</a> and '
        '<a href="https://example.org/p%20q#s">https://example.org/p%20q#s</a>.'
    )
    assert convert(engine_html, "latex") == r"See \href{https://example.org/a_b?x=1&y=2\#frag}{here} and \url{https://example.org/p\%20q\#s}."
    assert convert(engine_html, "markdown") == "See [here](<https://example.org/a_b?x=1&y=2#frag>) and <https://example.org/p%20q#s>."


def test_nested_span_styles_nest() -> None:
    tree = parse_html('<span style="font-style:italic;font-weight:bold;">x</span>')
    assert convert('<span style="font-style:italic;font-weight:bold;">x</span>', "latex") == r"\textit{\textbf{x}}"
    assert tree.plain() == "x"


def test_documents_join_entries_with_headings() -> None:
    blocks = [("heading", "2019"), ("entry", "A."), ("entry", "B."), ("heading", "2014"), ("entry", "C.")]
    assert renderer("text").document(blocks) == "2019\n\nA.\nB.\n\n2014\n\nC.\n"
    assert renderer("markdown").document(
        [("heading", renderer("markdown").heading("2019")), ("entry", "A."), ("entry", "B.")]
    ) == "## 2019\n\nA.\n\nB.\n"
    assert renderer("html").document([("heading", renderer("html").heading("2019")), ("entry", "A &amp; B.")]) == (
        '<div class="csl-bib-body">\n  <h2>2019</h2>\n  <div class="csl-entry">A &amp; B.</div>\n</div>\n'
    )
    assert renderer("latex").heading("Books & chapters") == r"\subsection*{Books \& chapters}"
    rtf = renderer("rtf").document([("heading", renderer("rtf").heading("2019")), ("entry", "A.")])
    assert rtf == "{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Times New Roman;}}\\f0\\fs24\n{\\b 2019}\\par\nA.\\par\n}\n"


def test_unknown_output_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown output 'docx'"):
        renderer("docx")
