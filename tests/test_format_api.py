"""Formatted bibliographies and citations through the public API, with exact strings.

The fixture (tests/fixtures/format_cv.json) is five works; the expected entries
follow APA 7 (author initials, "&" before the last author, sentence-case titles
as given, italic journal and volume, en dash in page ranges, DOI as a URL), the
project's own cv-compact style, and BibTeX's plain style.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import bibtools
from bibtools import Citer, StyleError, cite, format_bibliography

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="module")
def cv_items() -> list[dict]:
    return json.loads((FIXTURES / "format_cv.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def cv_library() -> bibtools.Library:
    return bibtools.load_file(FIXTURES / "format_cv.json", "csljson")


APA_ORDER = ["doe2019", "muller2019", "shalev2014", "shalev2007", "shalev2011"]

APA_TEXT = [
    "Doe, J. (2019). <script>alert(1)</script> & friends. Journal of Tests.",
    "Müller, A. (2019). Growth of E. coli at 37 °C in 50% glucose_media #1. Journal of Tests, 12, 100–110.",
    "Shalev-Shwartz, S., & Ben-David, S. (2014). Understanding machine learning: From theory to algorithms. Cambridge University Press.",
    "Shalev-Shwartz, S., Singer, Y., & Srebro, N. (2007). Pegasos: Primal estimated sub-gradient solver for SVM. "
    "Proceedings of the 24th International Conference on Machine Learning, 807–814. https://doi.org/10.1145/1273496.1273598",
    "Shalev-Shwartz, S., Singer, Y., Srebro, N., & Cotter, A. (2011). Pegasos: Primal estimated sub-gradient solver for SVM. "
    "Mathematical Programming, 127(1), 3–30. https://doi.org/10.1007/s10107-010-0420-4",
]

# The Müller entry (rich text, non-ASCII, every escapable character) in every output.
MULLER = {
    "text": APA_TEXT[1],
    "html": "Müller, A. (2019). Growth of <i>E. coli</i> at 37 °C in 50% glucose_media #1. <i>Journal of Tests</i>, <i>12</i>, 100–110.",
    "markdown": r"Müller, A. (2019). Growth of *E. coli* at 37 °C in 50% glucose\_media \#1. *Journal of Tests*, *12*, 100–110.",
    "rtf": r"M\u252?ller, A. (2019). Growth of {\i E. coli} at 37 \u176?C in 50% glucose_media #1. {\i Journal of Tests}, {\i 12}, 100\u8211?110.",
    "latex": r"Müller, A. (2019). Growth of \textit{E. coli} at 37 °C in 50\% glucose\_media \#1. \textit{Journal of Tests}, \textit{12}, 100–110.",
}

SHALEV2011 = {
    "html": "Shalev-Shwartz, S., Singer, Y., Srebro, N., &amp; Cotter, A. (2011). Pegasos: Primal estimated sub-gradient solver for SVM. "
    '<i>Mathematical Programming</i>, <i>127</i>(1), 3–30. <a href="https://doi.org/10.1007/s10107-010-0420-4">https://doi.org/10.1007/s10107-010-0420-4</a>',
    "markdown": "Shalev-Shwartz, S., Singer, Y., Srebro, N., & Cotter, A. (2011). Pegasos: Primal estimated sub-gradient solver for SVM. "
    "*Mathematical Programming*, *127*(1), 3–30. <https://doi.org/10.1007/s10107-010-0420-4>",
    "rtf": "Shalev-Shwartz, S., Singer, Y., Srebro, N., & Cotter, A. (2011). Pegasos: Primal estimated sub-gradient solver for SVM. "
    r"{\i Mathematical Programming}, {\i 127}(1), 3\u8211?30. https://doi.org/10.1007/s10107-010-0420-4",
    "latex": r"Shalev-Shwartz, S., Singer, Y., Srebro, N., \& Cotter, A. (2011). Pegasos: Primal estimated sub-gradient solver for SVM. "
    r"\textit{Mathematical Programming}, \textit{127}(1), 3–30. \url{https://doi.org/10.1007/s10107-010-0420-4}",
}


def test_apa_text_in_style_order(cv_library) -> None:
    bibliography = format_bibliography(cv_library, "apa")
    assert [e.id for e in bibliography] == APA_ORDER
    assert [e.text for e in bibliography] == APA_TEXT
    assert bibliography.problems == []
    assert bibliography.render() == "\n".join(APA_TEXT) + "\n"


@pytest.mark.parametrize("output", ["text", "html", "markdown", "rtf", "latex"])
def test_apa_entry_in_every_output(cv_library, output: str) -> None:
    entries = {e.id: e.text for e in format_bibliography(cv_library, "apa", output=output)}
    assert entries["muller2019"] == MULLER[output]
    if output != "text":
        assert entries["shalev2011"] == SHALEV2011[output]


def test_csl_json_dicts_are_accepted_like_a_library(cv_items, cv_library) -> None:
    assert format_bibliography(cv_items, "apa") == format_bibliography(cv_library, "apa")


def test_html_escapes_a_script_in_a_title(cv_library) -> None:
    entry = format_bibliography(cv_library, "apa", output="html")[0]
    assert entry.text == "Doe, J. (2019). &lt;script&gt;alert(1)&lt;/script&gt; &amp; friends. <i>Journal of Tests</i>."
    document = format_bibliography(cv_library, "apa", output="html").render()
    assert "<script>" not in document


def test_engine_html_escapes_script_itself(cv_items) -> None:
    # the engine's own HTML must already carry the title as text (outputs.py only re-escapes)
    from bibtools.csl.engine import CslEngine
    from bibtools.csl.styles import resolve_style

    engine = CslEngine(resolve_style("apa").path, cv_items, output="html")
    doe = dict(engine.bibliography())["doe2019"]
    assert "<script>" not in doe
    assert "script" in doe


def test_highlight_bolds_the_author_wherever_printed(cv_library) -> None:
    entries = {e.id: e.text for e in format_bibliography(cv_library, "apa", output="markdown", highlight="Shalev-Shwartz")}
    assert entries["shalev2014"] == (
        "**Shalev-Shwartz, S.**, & Ben-David, S. (2014). *Understanding machine learning: From theory to algorithms*. Cambridge University Press."
    )
    assert entries["shalev2011"].startswith("**Shalev-Shwartz, S.**, Singer, Y., Srebro, N., & Cotter, A. (2011).")
    assert "**" not in entries["muller2019"]
    html_entries = format_bibliography(cv_library, "apa", output="html", highlight="Shai Shalev-Shwartz")
    assert html_entries[3].text.startswith("<b>Shalev-Shwartz, S.</b>, Singer, Y., &amp; Srebro, N. (2007).")
    # the highlight changes nothing else: same order, same text once the bold is gone
    plain = format_bibliography(cv_library, "apa", highlight="Shalev-Shwartz")
    assert [e.text for e in plain] == APA_TEXT


def test_highlight_in_latex_and_rtf(cv_library) -> None:
    latex = {e.id: e.text for e in format_bibliography(cv_library, "apa", output="latex", highlight="Müller")}
    assert latex["muller2019"].startswith(r"\textbf{Müller, A.} (2019). Growth of \textit{E. coli}")
    rtf = {e.id: e.text for e in format_bibliography(cv_library, "apa", output="rtf", highlight="Müller")}
    assert rtf["muller2019"].startswith(r"{\b M\u252?ller, A.} (2019).")


CV_BY_TYPE_MARKDOWN = """## Journal articles

Doe J. (2019). \\<script\\>alert(1)\\</script\\> & friends. *Journal of Tests*.

Müller A. (2019). Growth of *E. coli* at 37 °C in 50% glucose\\_media \\#1. *Journal of Tests*, 12, 100–110.

**Shalev-Shwartz S.**, Singer Y., Srebro N., and Cotter A. (2011). Pegasos: Primal estimated sub-gradient solver for SVM. *Mathematical Programming*, 127(1), 3–30. <https://doi.org/10.1007/s10107-010-0420-4>

## Conference papers

**Shalev-Shwartz S.**, Singer Y., and Srebro N. (2007). Pegasos: Primal estimated sub-gradient solver for SVM. In *Proceedings of the 24th International Conference on Machine Learning*, 807–814. <https://doi.org/10.1145/1273496.1273598>

## Books

**Shalev-Shwartz S.** and Ben-David S. (2014). *Understanding machine learning: From theory to algorithms*. Cambridge University Press.
"""


def test_cv_compact_grouped_by_type_with_highlight(cv_library) -> None:
    bibliography = format_bibliography(cv_library, "cv-compact", output="markdown", highlight="Shalev-Shwartz", group_by="type")
    assert bibliography.render() == CV_BY_TYPE_MARKDOWN
    assert [e.group for e in bibliography] == ["Journal articles"] * 3 + ["Conference papers", "Books"]


def test_group_by_year_newest_first_with_headings(cv_library) -> None:
    bibliography = format_bibliography(cv_library, "apa", group_by="year")
    expected = (
        "2019\n\n" + APA_TEXT[0] + "\n" + APA_TEXT[1] + "\n\n"
        "2014\n\n" + APA_TEXT[2] + "\n\n"
        "2011\n\n" + APA_TEXT[4] + "\n\n"
        "2007\n\n" + APA_TEXT[3] + "\n"
    )
    assert bibliography.render() == expected
    assert bibliography.to_json()[0] == {"id": "doe2019", "text": APA_TEXT[0], "group": "2019"}
    oldest_first = format_bibliography(cv_library, "apa", group_by="year", sort="oldest")
    assert [(e.group, e.id) for e in oldest_first] == [
        ("2007", "shalev2007"), ("2011", "shalev2011"), ("2014", "shalev2014"), ("2019", "doe2019"), ("2019", "muller2019")
    ]


def test_sort_newest_keeps_style_order_among_equal_dates(cv_library) -> None:
    newest = format_bibliography(cv_library, "apa", sort="newest")
    assert [e.id for e in newest] == ["doe2019", "muller2019", "shalev2014", "shalev2011", "shalev2007"]
    oldest = format_bibliography(cv_library, "apa", sort="oldest")
    assert [e.id for e in oldest] == ["shalev2007", "shalev2011", "shalev2014", "doe2019", "muller2019"]


def test_numbered_adds_numbers_in_the_markup(cv_library) -> None:
    numbered = format_bibliography(cv_library, "apa", numbered=True, output="markdown")
    assert numbered[0].text == r"1\. Doe, J. (2019). \<script\>alert(1)\</script\> & friends. *Journal of Tests*."
    assert numbered[4].text.startswith(r"5\. Shalev-Shwartz, S., Singer, Y., Srebro, N., & Cotter, A. (2011).")
    text = format_bibliography(cv_library, "apa", numbered=True)
    assert [e.text[:3] for e in text] == ["1. ", "2. ", "3. ", "4. ", "5. "]


def test_pybtex_plain(cv_library) -> None:
    bibliography = format_bibliography(cv_library, "plain", engine="pybtex", output="markdown")
    assert [e.id for e in bibliography] == APA_ORDER  # plain sorts by author, year, title as well
    # plain.bst: authors in full, title lower-cased after its first letter, journal emphasized,
    # volume:pages, year
    assert bibliography[1].text == r"\[2\] Anna Müller. Growth of e. coli at 37 °c in 50% glucose\_media \#1. *Journal of Tests*, 12:100–110, 2019."
    assert bibliography[0].text == r"\[1\] Jane Doe. \<script\>alert(1)\</script\> & friends. *Journal of Tests*, 2019."
    no_numbers = format_bibliography(cv_library, "plain", engine="pybtex", numbered=False)
    assert no_numbers[1].text == "Anna Müller. Growth of e. coli at 37 °c in 50% glucose_media #1. Journal of Tests, 12:100–110, 2019."


def test_pybtex_alpha_abbrv_unsrt(cv_library) -> None:
    alpha = format_bibliography(cv_library, "alpha", engine="pybtex")
    assert alpha[0].text == "[Doe19] Jane Doe. <script>alert(1)</script> & friends. Journal of Tests, 2019."
    abbrv = format_bibliography(cv_library, "abbrv", engine="pybtex")
    assert abbrv[2].text == "[3] S.\u00a0Shalev-Shwartz and S.\u00a0Ben-David. Understanding machine learning: From theory to algorithms. Cambridge University Press, 2014."
    unsrt = format_bibliography(cv_library, "unsrt", engine="pybtex")
    assert [e.id for e in unsrt] == [item.id for item in cv_library]  # citation (input) order


def test_one_entry_pybtex_cannot_format_is_reported_the_rest_formatted(cv_items) -> None:
    broken = {"id": "nojournal", "type": "article-journal", "author": [{"family": "Roe", "given": "R."}], "issued": {"date-parts": [[2001]]}}
    bibliography = format_bibliography(cv_items + [broken], "plain", engine="pybtex")
    assert [e.id for e in bibliography] == APA_ORDER
    assert [(p.key, p.code) for p in bibliography.problems] == [("nojournal", "pybtex.render")]


def test_unknown_pybtex_style_raises_the_api_style_error(cv_library) -> None:
    # the pybtex engine raises the StyleError the API exports (it lives in csl/errors.py)
    with pytest.raises(StyleError, match="unknown pybtex style 'fancy'"):
        format_bibliography(cv_library, "fancy", engine="pybtex")
    with pytest.raises(StyleError, match="takes a style name"):
        format_bibliography(cv_library, b"<style/>", engine="pybtex")


def test_one_entry_the_csl_engine_cannot_render_is_reported_the_rest_formatted(cv_library) -> None:
    style = FIXTURES / "format_book_macro_missing.csl"  # its book branch calls an undefined macro
    bibliography = format_bibliography(cv_library, str(style))
    assert sorted(e.id for e in bibliography) == ["doe2019", "muller2019", "shalev2007", "shalev2011"]
    assert [p.key for p in bibliography.problems if p.severity.value == "error"] == ["shalev2014"]
    assert "Müller, A. Growth of E. coli at 37 °C in 50% glucose_media #1." in [e.text for e in bibliography]


def test_unknown_style_suggests_closest(cv_library) -> None:
    with pytest.raises(StyleError) as info:
        format_bibliography(cv_library, "apa7")
    message = str(info.value)
    assert message.startswith("unknown style 'apa7'; did you mean apa, ")
    assert "\n" not in message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('<style xmlns="http://purl.org/net/xbiblio/csl"><info><title>x</title></info><citation><layout>', "not well-formed"),
        (
            '<?xml version="1.0"?><style xmlns="http://purl.org/net/xbiblio/csl" version="1.0" class="in-text">'
            "<info><title>No layout</title><id>n</id></info></style>",
            "neither a citation nor a bibliography",
        ),
    ],
)
def test_broken_style_is_a_one_line_error(cv_library, tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "broken.csl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(StyleError) as info:
        format_bibliography(cv_library, str(path))
    assert expected in str(info.value)
    assert "broken" in str(info.value) and "\n" not in str(info.value)


def test_unknown_locale_is_a_style_error(cv_library) -> None:
    with pytest.raises(StyleError, match="unknown locale 'xx'"):
        format_bibliography(cv_library, "apa", locale="xx")


def test_cite_one_cluster_with_locator_and_prefix(cv_library) -> None:
    assert cite(cv_library, "apa", "shalev2011") == "(Shalev-Shwartz et al., 2011)"
    assert cite(cv_library, "apa", ["shalev2011"], locator="p. 12", prefix="see ") == "(see Shalev-Shwartz et al., 2011, p. 12)"
    assert cite(cv_library, "apa", ["muller2019", "doe2019"]) == "(Doe, 2019; Müller, 2019)"


def test_citer_follows_positions_in_a_note_style(cv_library) -> None:
    citer = Citer(cv_library, "chicago-notes-bibliography")
    first = citer.cite("shalev2011")
    again = citer.cite("shalev2011")
    assert "Mathematical Programming" in first  # the first note is the full reference
    assert "Mathematical Programming" not in again and "Shalev-Shwartz" in again


def test_citer_rejects_unknown_keys(cv_library) -> None:
    citer = Citer(cv_library, "apa")
    with pytest.raises(KeyError, match="no item with key 'nope'"):
        citer.cite(["nope"])


@pytest.mark.parametrize(
    ("text", "parsed"),
    [("p. 12", ("page", "12")), ("pp. 3-5", ("page", "3-5")), ("12", ("page", "12")), ("ch. 3", ("chapter", "3")), ("§ 4", ("section", "4")), ("S. 5", ("page", "5"))],
)
def test_parse_locator(text: str, parsed: tuple[str, str]) -> None:
    from bibtools.csl.api import parse_locator

    assert parse_locator(text) == parsed


def test_note_style_without_bibliography_lists_each_first_note(cv_library) -> None:
    bibliography = format_bibliography(cv_library, "art-history")  # a note style with no <bibliography>
    assert [e.id for e in bibliography] == [item.id for item in cv_library]
    assert [p.code for p in bibliography.problems] == ["csl.no-bibliography"]
    # the first note is the full reference: names given-first, title in title case, year
    assert bibliography[1].text == "Shai Shalev-Shwartz and Shai Ben-David, Understanding Machine Learning: From Theory to Algorithms, 2014."


def test_engine_failing_as_a_whole_falls_back_to_one_entry_at_a_time(cv_library, monkeypatch) -> None:
    # a whole-list failure (here: the engine's sort raises on one item) must cost only that item
    from bibtools.csl import engine as engine_module

    original_init = engine_module.CslEngine.__init__
    original = engine_module.CslEngine.bibliography

    def init(self, style, items, **kw):
        original_init(self, style, items, **kw)
        self.test_ids = [str(i["id"]) for i in items]

    def fragile(self):
        if "doe2019" in self.test_ids:
            raise RuntimeError("sort key broke" if len(self.test_ids) > 1 else "cannot render doe2019")
        return original(self)

    monkeypatch.setattr(engine_module.CslEngine, "__init__", init)
    monkeypatch.setattr(engine_module.CslEngine, "bibliography", fragile)
    bibliography = format_bibliography(cv_library, "apa")
    assert [e.id for e in bibliography] == ["shalev2011", "shalev2014", "shalev2007", "muller2019"]
    assert bibliography[3].text == APA_TEXT[1]
    assert [(p.code, p.key) for p in bibliography.problems if p.severity.value == "error"] == [("csl.render", "doe2019")]


def test_numbered_does_not_number_twice_and_no_numbered_drops_style_numbers(cv_library) -> None:
    ieee = format_bibliography(cv_library, "ieee", numbered=True)
    assert [e.text[:4] for e in ieee] == ["[1] ", "[2] ", "[3] ", "[4] ", "[5] "]
    bare = format_bibliography(cv_library, "ieee", numbered=False)
    assert bare[0].text == ieee[0].text[4:]
