"""Page ranges, initials, literal names, punctuation after ? and !, and title case as
citeproc-js 2.4.63 prints them (each expected string was printed by citeproc-js from
the same style and data)."""
from __future__ import annotations

import pytest

from bibtools.csl.engine import CslEngine

HEAD = '<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0"{attrs}>' \
    '<info><id/><title/><updated>2024-01-01T00:00:00+00:00</updated></info>' \
    '<citation><layout delimiter="; ">{layout}</layout></citation></style>'


def cite(layout: str, items: list[dict], attrs: str = "") -> list[str]:
    """Each item cited alone."""
    for n, item in enumerate(items):
        item.setdefault("id", f"i{n}")
        item.setdefault("type", "article-journal")
    engine = CslEngine(HEAD.format(layout=layout, attrs=attrs).encode(), items, output="text")
    return [engine.cite([{"id": item["id"]}]) for item in items]


PAGES = ["W202-208", "W202-W208", "e6-e6", "e6-6", "A1-B5", "110-105", "12a-15a", "S12-S15", "321-328",
         "1496-1504", "101-108", "11564-11615", "10000-10005", "e0100-e0105", "S0012-S0015", "8n1-8n5",
         "1-5, W10-W12", "110-5", "iv–7", "1-2,3-4", "A1–B5"]
PAGE_FORMATS = {
    None: ["W202-208", "W202–W208", "e6–e6", "e6-6", "A1-B5", "110–105", "12a–15a", "S12–S15", "321–328",
           "1496–1504", "101–108", "11564–11615", "10000–10005", "e0100–e0105", "S0012–S0015", "8n1-8n5",
           "1–5, W10–W12", "110–5", "iv–7", "1-2,3-4", "A1-B5"],
    "expanded": ["W202-208", "W202–W208", "e6–e6", "e6-6", "A1-B5", "110–105", "12a–15a", "S12–S15", "321–328",
                 "1496–1504", "101–108", "11564–11615", "10000–10005", "e0100–e0105", "S0012–S0015", "8n1-8n5",
                 "1–5, W10–W12", "110–115", "iv–7", "1-2,3-4", "A1-B5"],
    "minimal": ["W202-208", "W202–8", "e6–e6", "e6-6", "A1-B5", "110–105", "12a–5a", "S12–5", "321–8",
                "1496–504", "101–8", "11564–615", "10000–5", "e0100–5", "S0012–5", "8n1–5",
                "1–5, W10–2", "110–5", "iv–7", "1-2,3-4", "A1-B5"],
    "minimal-two": ["W202-208", "W202–08", "e6–e6", "e6-6", "A1-B5", "110–105", "12a–5a", "S12–15", "321–28",
                    "1496–504", "101–08", "11564–615", "10000–05", "e0100–05", "S0012–15", "8n1–5",
                    "1–5, W10–12", "110–15", "iv–7", "1-2,3-4", "A1-B5"],
    "chicago": ["W202-208", "W202–8", "e6–e6", "e6-6", "A1-B5", "110–105", "12a–15a", "S12–15", "321–28",
                "1496–1504", "101–8", "11564–615", "10000–5", "e0100–105", "S0012–15", "8n1–5",
                "1–5, W10–12", "110–15", "iv–7", "1-2,3-4", "A1-B5"],
    "chicago-16": ["W202-208", "W202–8", "e6–e6", "e6-6", "A1-B5", "110–105", "12a–15a", "S12–15", "321–28",
                   "1496–504", "101–8", "11564–615", "10000–10005", "e0100–105", "S0012–15", "8n1–5",
                   "1–5, W10–12", "110–15", "iv–7", "1-2,3-4", "A1-B5"],
}


@pytest.mark.parametrize("fmt", list(PAGE_FORMATS))
def test_page_ranges_with_prefixes_in_every_format(fmt: str | None) -> None:
    attrs = f' page-range-format="{fmt}"' if fmt else ""
    assert cite('<text variable="page"/>', [{"page": p} for p in PAGES], attrs) == PAGE_FORMATS[fmt]


GIVEN = ["M.-F.", "Jean-Pierre", "Yi-zhe", "jean-Pierre", "Jean -Pierre", "J.-Pierre", "Ph.M.E.", "JP", "Jean-pierre Marie",
         "JS Foundation-", "A.-"]
INITIALIZED = {
    'initialize-with=". "': ["M.-F. Doe", "J.-P. Doe", "Y. Doe", "jean-P. Doe", "J.-P. Doe", "J.-P. Doe",
                             "Ph. M. E. Doe", "J. Doe", "J. M. Doe", "J. F.- Doe", "A.- Doe"],
    'initialize-with="" initialize-with-hyphen="false"': ["MF Doe", "JP Doe", "Y zhe Doe", "jean P Doe", "JP Doe",
                                                          "JP Doe", "PhME Doe", "J Doe", "J pierre M Doe", "JF Doe",
                                                          "A Doe"],
    'initialize-with=". " initialize="false"': ["M. F. Doe", "Jean-Pierre Doe", "Yi-zhe Doe", "jean-Pierre Doe",
                                                "Jean-Pierre Doe", "J.-Pierre Doe", "Ph. M. E. Doe", "JP Doe",
                                                "Jean-pierre Marie Doe", "JS Foundation- Doe", "A. Doe"],
}


@pytest.mark.parametrize("attrs", list(INITIALIZED))
def test_hyphenated_and_typed_initials(attrs: str) -> None:
    items = [{"author": [{"family": "Doe", "given": g}]} for g in GIVEN]
    assert cite(f'<names variable="author"><name {attrs}/></names>', items) == INITIALIZED[attrs]


AUTHORS = [
    [{"literal": "Bryce Goodman"}, {"literal": "Seth Flaxman"}],
    [{"family": "Goodman", "given": "Bryce"}, {"literal": "Seth Flaxman"}],
    [{"literal": "Bryce Goodman"}, {"family": "Flaxman", "given": "Seth"}],
    [{"literal": "A Org"}, {"literal": "B Org"}, {"literal": "C Org"}],
    [{"family": "Doe", "given": "J"}, {"literal": "B Org"}, {"family": "Roe", "given": "K"}],
]
JOINED = {
    'and="text" delimiter-precedes-last="always"': [
        "Bryce Goodman and Seth Flaxman", "Bryce Goodman and Seth Flaxman", "Bryce Goodman, and Seth Flaxman",
        "A Org, B Org, and C Org", "J Doe, B Org, and K Roe"],
    'and="text" delimiter-precedes-last="never"': [
        "Bryce Goodman and Seth Flaxman", "Bryce Goodman and Seth Flaxman", "Bryce Goodman and Seth Flaxman",
        "A Org, B Org, and C Org", "J Doe, B Org and K Roe"],
    'and="symbol" delimiter-precedes-last="after-inverted-name" name-as-sort-order="first"': [
        "Bryce Goodman & Seth Flaxman", "Goodman, Bryce, & Seth Flaxman", "Bryce Goodman, & Seth Flaxman",
        "A Org, B Org, & C Org", "Doe, J, B Org & K Roe"],
    'and="text" delimiter-precedes-last="after-inverted-name" name-as-sort-order="all"': [
        "Bryce Goodman and Seth Flaxman", "Goodman, Bryce, and Seth Flaxman", "Bryce Goodman, and Flaxman, Seth",
        "A Org, B Org, and C Org", "Doe, J, B Org and Roe, K"],
}


@pytest.mark.parametrize("attrs", list(JOINED))
def test_the_delimiter_before_a_last_literal_name(attrs: str) -> None:
    items = [{"author": authors} for authors in AUTHORS]
    assert cite(f'<names variable="author"><name {attrs}/></names>', items) == JOINED[attrs]


# particles are read out of a name only when it has both parts and no particle of its own,
# and only lowercase words (citeproc-js's parser); "van Gogh" alone stays as typed
PARSED_NAMES = [
    ({"family": "van Gogh", "given": "Vincent"}, "Gogh, Vincent van"),
    ({"family": "van Gogh"}, "van Gogh"),
    ({"family": "van Gogh", "given": "Vincent", "parse-names": False}, "van Gogh, Vincent"),
    ({"family": "La Fontaine", "given": "Jean"}, "La Fontaine, Jean"),
    ({"family": "al-One", "given": "Alan"}, "One, Alan al-"),
    ({"family": "in 't Veld", "given": "Jan"}, "Veld, Jan in ’t"),
    ({"family": "Veld", "given": "Jan ter"}, "Veld, Jan ter"),
]


def test_particles_parsed_from_plain_names() -> None:
    items = [{"author": [name]} for name, _ in PARSED_NAMES]
    got = cite('<names variable="author"><name name-as-sort-order="all"/></names>', items,
               ' demote-non-dropping-particle="display-and-sort"')
    assert got == [want for _, want in PARSED_NAMES]


TITLES = ["Do Deep Nets Really Need to be Deep?", "HOGWILD!: A Lock-Free Approach", "What?. Yes", "Deep.", "Deep,",
          "Deep;", "Deep:", "Have we really 'come a long way, baby'?"]
QUOTED_THEN = {
    ("en-US", ","): ["“Do Deep Nets Really Need to be Deep?,” arXiv", "“HOGWILD!: A Lock-Free Approach,” arXiv",
                     "“What?. Yes,” arXiv", "“Deep.,” arXiv", "“Deep,” arXiv", "“Deep;,” arXiv", "“Deep:,” arXiv",
                     "“Have we really ‘come a long way, baby’?,” arXiv"],
    ("en-US", "."): ["“Do Deep Nets Really Need to be Deep?” arXiv", "“HOGWILD!: A Lock-Free Approach.” arXiv",
                     "“What?. Yes.” arXiv", "“Deep.” arXiv", "“Deep,.” arXiv", "“Deep;” arXiv", "“Deep:” arXiv",
                     "“Have we really ‘come a long way, baby’?” arXiv"],
    ("en-US", ";"): ["“Do Deep Nets Really Need to be Deep?”; arXiv", "“HOGWILD!: A Lock-Free Approach”; arXiv",
                     "“What?. Yes”; arXiv", "“Deep.”; arXiv", "“Deep,”; arXiv", "“Deep;” arXiv", "“Deep:”; arXiv",
                     "“Have we really ‘come a long way, baby’?”; arXiv"],
    ("en-US", "!"): ["“Do Deep Nets Really Need to be Deep?!” arXiv", "“HOGWILD!: A Lock-Free Approach!” arXiv",
                     "“What?. Yes!” arXiv", "“Deep.!” arXiv", "“Deep,!” arXiv", "“Deep!” arXiv", "“Deep!” arXiv",
                     "“Have we really ‘come a long way, baby’?!” arXiv"],
    ("en-GB", ","): ["‘Do Deep Nets Really Need to be Deep?’, arXiv", "‘HOGWILD!: A Lock-Free Approach’, arXiv",
                     "‘What?. Yes’, arXiv", "‘Deep.’, arXiv", "‘Deep’, arXiv", "‘Deep’;, arXiv", "‘Deep’:, arXiv",
                     "‘Have we really “come a long way, baby”?’, arXiv"],
    ("en-GB", ";"): ["‘Do Deep Nets Really Need to be Deep?’; arXiv", "‘HOGWILD!: A Lock-Free Approach’; arXiv",
                     "‘What?. Yes’; arXiv", "‘Deep.’; arXiv", "‘Deep’,; arXiv", "‘Deep’; arXiv", "‘Deep’:; arXiv",
                     "‘Have we really “come a long way, baby”?’; arXiv"],
    ("en-GB", "!"): ["‘Do Deep Nets Really Need to be Deep?’! arXiv", "‘HOGWILD!: A Lock-Free Approach’! arXiv",
                     "‘What?. Yes’! arXiv", "‘Deep.’! arXiv", "‘Deep’,! arXiv", "‘Deep’! arXiv", "‘Deep’! arXiv",
                     "‘Have we really “come a long way, baby”?’! arXiv"],
}


@pytest.mark.parametrize("locale,suffix", list(QUOTED_THEN))
def test_punctuation_after_a_quoted_title(locale: str, suffix: str) -> None:
    layout = f'<group delimiter=" "><text variable="title" quotes="true" suffix="{suffix}"/><text variable="publisher"/></group>'
    items = [{"title": title, "publisher": "arXiv"} for title in TITLES]
    assert cite(layout, items, f' default-locale="{locale}"') == QUOTED_THEN[(locale, suffix)]


TITLED = {
    "Frithuswith (d. 727)": "Frithuswith (d. 727)",
    "wins 800 m: beaten": "Wins 800 m: Beaten",
    "vitamin d deficiency": "Vitamin d Deficiency",
    "the k-mer": "The K-Mer",
    "the t-SNE plot": "The T-SNE Plot",
    "x up-to-date y": "X Up-to-Date y",
    "state-of-the-art": "State-of-the-Art",
    "x b-cell-like y": "X B-Cell-like y",
    "circa begin and circa end": "Circa Begin and circa End",
    "et al. study": "Et al. Study",
    "title. the subtitle": "Title. the Subtitle",
    "why? the answer": "Why? The Answer",
    "ends with of": "Ends with Of",
    "the α helix": "The α Helix",
    "two 'action' sports": "Two “action” Sports",
    "two 'action', sports": "Two “Action”, Sports",
    "on the relation between 'visual research methods' and": "On the Relation between “visual Research Methods” And",
    'two "action" sports': "Two “Action” Sports",
    '"action" sports': "“action” Sports",
    "'Nobody knows you're a dog': as iconic": "“Nobody Knows You’re a Dog”: As Iconic",
    "the <i>rain</i> falls": "The Rain Falls",
    "de novo assembly of the genome": "De Novo Assembly of the Genome",
}


def test_title_case_word_by_word() -> None:
    items = [{"title": title} for title in TITLED]
    assert cite('<text variable="title" text-case="title"/>', items) == list(TITLED.values())


def test_title_case_follows_the_item_language_on_titles_only() -> None:
    languages = [None, "de", "en-GB", "English", "fr French", "1x"]
    items = [dict({"title": "the big deal", "container-title-short": "j of things"}, **({"language": lang} if lang else {}))
             for lang in languages]
    layout = ('<group delimiter=" | "><text variable="title" text-case="title"/>'
              '<text variable="container-title-short" text-case="title"/></group>')
    assert cite(layout, items) == ["The Big Deal | J of Things", "the big deal | J of Things", "The Big Deal | J of Things",
                                   "The Big Deal | J of Things", "the big deal | J of Things", "the big deal | J of Things"]


def test_text_case_on_a_macro_call_is_dropped_as_citeproc_js_does() -> None:
    style = HEAD.replace("<citation>", '<macro name="m"><group delimiter=" "><text variable="publisher"/>'
                         '<text variable="title"/></group></macro><citation>')
    layout = ('<group delimiter=" | "><text macro="m" text-case="uppercase"/><text macro="m" text-case="title"/>'
              '<text variable="title" text-case="uppercase"/></group>')
    items = [{"id": "a", "type": "book", "title": "the big deal", "publisher": "the press"}]
    engine = CslEngine(style.format(layout=layout, attrs="").encode(), items, output="text")
    assert engine.cite([{"id": "a"}]) == "the press the big deal | the press the big deal | THE BIG DEAL"


def test_a_bibliography_entry_that_starts_with_a_term_starts_with_a_capital() -> None:
    style = HEAD.replace('<citation><layout delimiter="; ">{layout}</layout></citation>',
                         '<citation><layout><text value="x"/></layout></citation>'
                         '<bibliography><layout>{layout}</layout></bibliography>')
    layout = ('<group delimiter=" "><choose><if variable="issued"><date variable="issued" form="text" date-parts="year"'
              ' prefix="(" suffix=")"/></if><else><text term="no date" form="short" prefix="(" suffix=")"/></else>'
              '</choose><text variable="title"/><text term="edition"/></group>')
    items = [{"id": "a", "type": "book", "title": "a title"},
             {"id": "b", "type": "book", "title": "a title", "issued": {"date-parts": [[2020]]}}]
    engine = CslEngine(style.format(layout=layout, attrs="").encode(), items, output="text")
    assert [text for _, text in engine.bibliography()] == ["(N.d.) a title edition", "(2020) a title edition"]


JUNCTION_TITLES = ["Deep?", "Deep;", "Deep.", "Deep"]
JUNCTIONS = {  # printed by citeproc-js for the titles above and publisher "X"
    '<group delimiter=" "><text variable="title" suffix="."/><text variable="publisher"/></group>':
        ["Deep? X", "Deep; X", "Deep. X", "Deep. X"],
    '<group delimiter=" "><text variable="title" font-style="italic" suffix="."/><text variable="publisher"/></group>':
        ["Deep?. X", "Deep;. X", "Deep. X", "Deep. X"],
    '<group delimiter=" "><group suffix="."><text variable="title" font-style="italic"/></group><text variable="publisher"/></group>':
        ["Deep? X", "Deep; X", "Deep. X", "Deep. X"],
    '<group delimiter=". "><text variable="title" font-style="italic"/><text variable="publisher"/></group>':
        ["Deep?. X", "Deep;. X", "Deep. X", "Deep. X"],
    '<group delimiter=". "><text variable="title"/><text variable="publisher"/></group>':
        ["Deep? X", "Deep; X", "Deep. X", "Deep. X"],
    '<group><group><text variable="title"/></group><text variable="publisher" prefix=". "/></group>':
        ["Deep? X", "Deep; X", "Deep. X", "Deep. X"],
    '<group delimiter=" "><group suffix="."><text variable="title" quotes="false"/></group><text variable="publisher"/></group>':
        ["Deep? X", "Deep; X", "Deep. X", "Deep. X"],
}


@pytest.mark.parametrize("layout", list(JUNCTIONS))
def test_where_punctuation_merges(layout: str) -> None:
    items = [{"title": title, "publisher": "X", "type": "book"} for title in JUNCTION_TITLES]
    assert cite(layout, items) == JUNCTIONS[layout]


@pytest.mark.parametrize("output,expected", [
    ("html", "Media, Culture &#38;amp; Society &#38; More <b>Bold</b> X&#60;y"),
    ("text", "Media, Culture &amp; Society & More Bold X<y"),
])
def test_title_case_reads_escaped_characters_as_part_of_their_word(output: str, expected: str) -> None:
    items = [{"id": "a", "type": "book", "title": "Media, culture &amp; society & more <b>bold</b> x<y"}]
    engine = CslEngine(HEAD.format(layout='<text variable="title" text-case="title"/>', attrs="").encode(), items, output=output)
    assert engine.cite([{"id": "a"}]) == expected


def test_a_delimiter_merges_after_each_child_but_a_decorated_variable() -> None:
    layout = ('<group delimiter=". "><text variable="title"/><text variable="publisher" font-style="italic"/>'
              '<text variable="volume"/></group>')
    items = [{"title": title, "publisher": "X", "volume": "3", "type": "book"} for title in ("Deep?", "Deep;")]
    assert cite(layout, items) == ["Deep? X. 3", "Deep; X. 3"]  # (citeproc-js)


def test_nothing_merges_after_a_number() -> None:
    layout = ('<group prefix=". " delimiter=". "><group delimiter=" "><text variable="container-title"/>'
              '<group delimiter=":"><text variable="volume" suffix=":"/><text variable="page"/></group></group>'
              '<text prefix="https://doi.org/" variable="DOI"/></group>')
    items = [{"container-title": "eLife", "volume": volume, "DOI": "10.7554/x"} for volume in ("9", "9a")]
    # (citeproc-js, as springer-basic-author-date prints them)
    assert cite(layout, items) == [". eLife 9:. https://doi.org/10.7554/x", ". eLife 9a: https://doi.org/10.7554/x"]
