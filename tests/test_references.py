"""The ``references`` reader: formatted reference strings back into records (issue 16)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import bibtools
from bibtools.cli import main
from bibtools.formats.references.names import parse_segment_names
from bibtools.model import Date
from bibtools.formats.references.text import split_references
from bibtools.registry import detect

FIXTURES = Path(__file__).parent / "fixtures" / "references"


def _parse(name: str) -> bibtools.ReferenceLibrary:
    return bibtools.parse_references((FIXTURES / name).read_text(encoding="utf-8"), source=name)


def _families(item: bibtools.Item) -> list[str]:
    return [n.family or "" for n in item.authors]


def test_bracket_numbers_split_references_and_rejoin_a_broken_doi() -> None:
    lib = _parse("numbered.txt")
    assert len(lib) == 3
    first = lib.items[0]
    assert first["DOI"] == "10.1108/jd-05-2018-0074"  # "JD-05-" / "2018-0074" on two lines
    assert first.origin is not None and first.origin.list_number == "1"
    assert "citation-number" not in first.fields  # a list position, not record data
    assert (first["volume"], first["issue"], first["page"]) == ("75", "3", "512-530")
    assert first.year == 2019
    berg = first.authors[1]
    assert (berg.non_dropping_particle, berg.family, berg.given) == ("van der", "Berg", "K.")
    assert first.type == "article-journal"


def test_german_reference_with_et_al() -> None:
    german = _parse("numbered.txt").items[1]
    assert _families(german) == ["Müller", "Durand"]
    assert german.extra.get("and-others") == "author"  # "et al." kept as "and others"
    assert german["container-title"] == "Zeitschrift für Bibliothekswesen"
    assert german["title"] == "Die Zerlegung von Literaturangaben"
    assert (german["volume"], german["issue"], german["page"], german.year) == ("12", "4", "33-47", 2015)


def test_french_book() -> None:
    book = _parse("numbered.txt").items[2]
    assert book.type == "book"
    assert book["publisher"] == "Éditions du Seuil"
    assert book["publisher-place"] == "Paris"
    assert book["title"] == "La recherche documentaire en sciences humaines"


def test_wrapped_hyphenated_lines_and_ligatures_are_joined() -> None:
    lib = _parse("wrapped.txt")
    assert len(lib) == 2  # hanging indents: two references over five lines
    article = lib.items[0]
    assert article["title"] == "The effects of financial incentives on research productivity"
    assert article["page"] == "1184-1209"
    spanish = lib.items[1]
    assert _families(spanish) == ["García Lorca", "Fuente"]
    assert spanish.authors[1].non_dropping_particle == "de la"
    assert spanish["publisher"] == "Editorial Cátedra" and spanish.type == "book"
    assert spanish.origin is not None and spanish.origin.line == 4


def test_dotted_numbers_vancouver_and_portuguese() -> None:
    lib = _parse("dotted.txt")
    assert [item.origin.list_number for item in lib if item.origin] == ["12", "13"]
    vancouver = lib.items[0]
    assert _families(vancouver) == ["Pérez-Higueras", "Arias", "Macorra", "Peters"]
    assert vancouver.authors[2].non_dropping_particle == "de la"
    assert vancouver.authors[3].given == "O. A."
    assert vancouver["page"] == "1477-1481"  # "1477-81" written short
    assert (vancouver.year, vancouver["volume"], vancouver["issue"]) == (2014, "40", "9")  # "2014;40(9):"
    portuguese = lib.items[1]
    assert portuguese.authors[0].family == "Silva" and portuguese.authors[0].non_dropping_particle == "da"
    assert portuguese["container-title"] == "Revista Brasileira de Educação"
    assert (portuguese["volume"], portuguese["page"], portuguese.year) == ("15", "45-60", 2010)


def test_parenthesised_numbers_and_blank_lines() -> None:
    lib = _parse("parens.txt")
    assert [item.origin.list_number for item in lib if item.origin] == ["1", "2"]
    assert lib.items[0]["title"] == "Sein und Zeit"
    conference = lib.items[1]
    assert conference.type == "paper-conference"
    assert _families(conference) == ["Lee", "Howard", "Marsh"]


def test_text_that_is_not_a_reference_is_reported_not_kept() -> None:
    lib = _parse("prose.txt")
    assert len(lib) == 1 and lib.items[0]["title"] == "Learning to parse citations"
    rejected = [d for d in lib.diagnostics if d.code == "references.not-a-reference"]
    assert [d.line for d in rejected] == [1, 3]


def test_every_field_has_a_confidence() -> None:
    lib = _parse("numbered.txt")
    for item, confidence in zip(lib.items, lib.confidence):
        assert set(confidence) == set(item.fields)
        assert all(0.0 < c <= 1.0 for c in confidence.values())


@pytest.mark.parametrize(
    ("segment", "families", "others"),
    [
        ("Romero, C., Paunesku, D., & Dweck, C.", ["Romero", "Paunesku", "Dweck"], False),
        ("S. E. Han, G. Chen,", ["Han", "Chen"], False),
        ("Lee, L. L., W. E. Howard, and R. E. Marsh.", ["Lee", "Howard", "Marsh"], False),
        ("Smith J, Jones K, et al.", ["Smith", "Jones"], True),
        ("Daumé III, H.", ["Daumé"], False),
        ("J.-P. Sartre and S. de Beauvoir", ["Sartre", "Beauvoir"], False),
        ("Meier, K.; Schulz, A. u. a.", ["Meier", "Schulz"], True),
        # a one-letter initial is not the numeral suffix V: Michel and Thirion stay two people
        ("Okafor N, Michel V, Thirion B, et al.", ["Okafor", "Michel", "Thirion"], True),
    ],
)
def test_name_lists_in_every_order(segment: str, families: list[str], others: bool) -> None:
    names, cut = parse_segment_names(segment)
    assert [n.family for n in names] == families
    assert cut is others


def test_split_keeps_one_reference_per_line_without_numbers() -> None:
    text = "Doe, J. (2001). One. Journal A, 1, 1-2.\nRoe, K. (2002). Two. Journal B, 2, 3-4.\n"
    assert [r.line for r in split_references(text)] == [1, 2]


def test_sniffed_and_converted_by_the_cli(tmp_path: Path) -> None:
    text = (FIXTURES / "numbered.txt").read_text(encoding="utf-8")
    assert detect(text).name == "references"
    src = tmp_path / "refs.txt"
    src.write_text(text, encoding="utf-8")
    for args in (["convert", str(src), "--to", "bibtex"], ["convert", str(src), "--from", "refs", "--to", "bibtex"]):
        result = CliRunner().invoke(main, args, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert result.output.count("@article{") == 2 and result.output.count("@book{") == 1
        assert "10.1108/jd-05-2018-0074" in result.output.lower()


def test_list_numbers_are_not_written_as_record_fields(tmp_path: Path) -> None:
    # "[1]", "12." and "(2)" are places in the pasted list; no writer may turn them into data.
    for name in ("numbered.txt", "dotted.txt", "parens.txt"):
        src = tmp_path / name
        src.write_text((FIXTURES / name).read_text(encoding="utf-8"), encoding="utf-8")
        for target in ("bibtex", "biblatex", "ris", "csljson"):
            result = CliRunner().invoke(main, ["convert", str(src), "--to", target], catch_exceptions=False)
            assert result.exit_code == 0, result.output
            assert "citation-number" not in result.output and "citation_number" not in result.output, (name, target)


def test_bibtex_is_not_sniffed_as_references() -> None:
    assert detect("@article{a, title={T}, author={Doe, J.}, year={2001}}\n").name != "references"


def test_rendered_training_references_are_labelled_by_their_variables() -> None:
    from bibtools.csl.api import format_bibliography
    from bibtools.csl.styles import resolve_style
    from bibtools.formats.references.synthetic import label_rendered, marked_style
    from bibtools.model import Date, Name

    item = bibtools.Item(id="k", type="article-journal", fields={
        "author": [Name(family="Okafor", given="Ngozi"), Name(family="Lindqvist", given="Ida")],
        "title": "Tidal mixing in fjords", "container-title": "Ocean Dynamics", "volume": "61",
        "issue": "2", "page": "101-117", "issued": Date(parts=((2011,),))})
    xml = Path(resolve_style("apa").path).read_bytes()
    entry = format_bibliography([item], marked_style(xml, journal=True))[0]
    labelled = label_rendered(entry.text)
    assert labelled is not None
    tokens, labels = labelled
    by_token = dict(zip(tokens, labels))
    assert " ".join(tokens).startswith("Okafor, N., & Lindqvist, I. (2011).")
    assert [by_token[t] for t in ("Okafor,", "Lindqvist,", "(2011).", "Tidal", "fjords.")] == \
        ["author", "author", "date", "title", "title"]
    assert by_token["Ocean"] == "journal" and by_token["101–117."] == "pages"


def _built(*segments: tuple[str, str]) -> bibtools.Item:
    from bibtools.formats.references.fields import build_item
    from bibtools.formats.references.labeller import Segment

    item = bibtools.Item(id="")
    build_item([Segment(label, text, 1.0) for label, text in segments], item)
    return item


def test_names_that_say_they_edited_are_editors_and_a_lone_book_name_is_the_title() -> None:
    item = _built(("author", "Okafor, N. and Lindqvist, I. (eds.)"), ("date", "2010."),
                  ("container-title", "Handbook of fjord dynamics."), ("publisher", "Tidewater Press."))
    assert not item.authors
    assert [n.family for n in item.fields["editor"]] == ["Okafor", "Lindqvist"]
    assert item.title == "Handbook of fjord dynamics" and "container-title" not in item.fields
    assert item.type == "book"
    # "Ed." after a comma is also a given name: such an author stays one
    assert [n.family for n in _built(("author", "Okafor, Ed."), ("title", "Fjords."), ("date", "2010.")).authors] \
        == ["Okafor"]


@pytest.mark.parametrize("archive, number", [
    ("arXiv preprint arXiv:1409.1556", "arXiv:1409.1556"),
    ("Preprint arXiv:2101.00027. arXiv,", "arXiv:2101.00027"),
    ("ArXiv e-prints.", None),
])
def test_an_arxiv_preprint_names_its_archive_as_publisher_not_as_journal(archive: str, number: str | None) -> None:
    item = _built(("author", "Lindqvist, I."), ("title", "Tidal mixing."), ("journal", archive), ("date", "2021."))
    assert item.fields.get("publisher") == "arXiv" and "container-title" not in item.fields
    assert item.fields.get("number") == number and item.type == "article"
    journal = _built(("author", "Lindqvist, I."), ("title", "Tidal mixing."), ("journal", "Journal of arXiv Studies,"))
    assert journal.fields.get("container-title") == "Journal of arXiv Studies" and journal.type == "article-journal"


def test_a_version_number_is_a_program_version_not_an_edition() -> None:
    item = _built(("author", "Okafor, N."), ("date", "(2023)."), ("title", "fjordsim"), ("edition", "(Version 2.4.1)"),
                  ("publisher", "Zenodo."))
    assert item.fields.get("version") == "2.4.1" and "edition" not in item.fields and item.type == "software"
    assert _built(("title", "Fjords."), ("edition", "2nd ed.")).fields.get("edition") == "2"


def test_names_after_translated_by_are_the_translators_whatever_their_label() -> None:
    item = _built(("author", "Okafor, Ngozi."), ("title", "Fjords."), ("translator", "Translated"),
                  ("author", "by Ida Lindqvist."), ("publisher", "Tidewater Press,"), ("date", "1858."))
    assert [n.family for n in item.authors] == ["Okafor"]
    assert [n.family for n in item.fields["translator"]] == ["Lindqvist"]


def test_a_publisher_printed_again_after_its_series_is_kept_once() -> None:
    item = _built(("editor", "Okafor, N., ed."), ("title", "Fjords."), ("publisher", "Tidewater Press"),
                  ("collection-title", "Tidewater Press Coastal Series."), ("publisher", "Tidewater Press,"),
                  ("date", "2010."))
    assert item.fields["publisher"] == "Tidewater Press"
    assert _built(("title", "Fjords."), ("publisher", "Tidewater Press;"), ("location", "Oslo:"),
                  ("publisher", "Nordic Books.")).fields["publisher"] == "Tidewater Press; Nordic Books"


@pytest.mark.parametrize("text, issue", [
    ("1. Okafor N, Lindqvist I. Tidal mixing in fjords. Ocean Dyn. 2011;61(2):e1017. doi:10.1007/s10236-011-0401-2", "2"),
    ("Okafor N, Lindqvist I (2011) Tidal mixing in fjords. Ocean Dyn 61:e1017. https://doi.org/10.1007/s10236-011-0401-2",
     None),
])
def test_an_article_number_glued_after_the_volume_is_the_page(text: str, issue: str | None) -> None:
    from bibtools.formats.references.features import tokenize

    assert tokenize("2011;61(2):e1017.") == ["2011;", "61(2):", "e1017."]  # cut like "61(2):436-44"
    item = bibtools.parse_references(text).items[0]
    assert (item["volume"], item.fields.get("issue"), item["page"]) == ("61", issue, "e1017")


def test_an_organisation_opening_an_unnamed_title_is_its_author() -> None:
    item = _built(("citation-number", "4."), ("title", "Nordic Fjord Institute. Tidal tables 2020: the west coast."),
                  ("publisher", "Tidewater Press;"), ("date", "2020."))
    assert [n.literal for n in item.authors] == ["Nordic Fjord Institute"]
    assert item.title == "Tidal tables 2020: the west coast"
    # a title that only starts with "The" keeps its words; so does one with names labelled
    assert _built(("title", "The tidal year. Notes from the coast."), ("date", "2020.")).title \
        == "The tidal year. Notes from the coast"
    named = _built(("author", "Okafor, N."), ("title", "Fjord Society. A history."), ("date", "2020."))
    assert [n.family for n in named.authors] == ["Okafor"] and named.title == "Fjord Society. A history"


def test_a_name_segment_cut_one_word_short_takes_the_word_back() -> None:
    item = _built(("author", "Nordic Fjord"), ("title", "Institute. Tidal tables 2020."), ("date", "2020."))
    assert [n.literal for n in item.authors] == ["Nordic Fjord Institute"] and item.title == "Tidal tables 2020"
    chapter = _built(("author", "Okafor, N."), ("title", "Tides."), ("container-title", "In Fjords,"),
                     ("editor", "edited by Ida Lindqvist and Jon K."), ("publisher", "Berg. Tidewater Press,"),
                     ("date", "1986."))
    assert [n.family for n in chapter.fields["editor"]] == ["Lindqvist", "Berg"]
    assert chapter["publisher"] == "Tidewater Press"
    # closing initials (Vancouver) and "Smith, J." end a name list: nothing is taken
    assert _built(("author", "Okafor N, Berg JK"), ("title", "Tides. Fjords."))["title"] == "Tides. Fjords"


def test_the_word_before_a_date_says_whether_it_is_the_issue_or_an_access_date() -> None:
    item = _built(("author", "Okafor N."), ("title", "Tide tables. Published"), ("date", "online June 30, 2023."))
    assert item.title == "Tide tables" and item.year == 2023
    page = _built(("title", "Fjord tides."), ("container-title", "FjordWatch.org. Accessed"), ("date", "May 1, 2024."),
                  ("url", "https://fjordwatch.org/"))
    assert page["container-title"] == "FjordWatch.org" and "issued" not in page.fields
    cited = _built(("author", "Okafor N."), ("title", "Fjord tides [Internet]."), ("date", "2019"),
                   ("date", "[cited 2024 May 1]."))
    assert cited.year == 2019
    assert "issued" not in _built(("title", "Fjord tides."), ("date", "[cited 2024 May 1].")).fields


@pytest.mark.parametrize("segments", [
    (("title", "fjordsim. V. 2.4.1."), ("publisher", "Zenodo,")),
    (("title", "fjordsim. Version 2.4.1,"), ("publisher", "Zenodo,")),
    (("title", "fjordsim (Version"), ("edition", "2.4.1)"), ("publisher", "[Computer software]. Zenodo.")),
])
def test_a_version_ending_the_title_is_the_programs_version(segments: tuple[tuple[str, str], ...]) -> None:
    item = _built(("author", "Okafor, N."), ("date", "2023."), *segments)
    assert item.title == "fjordsim" and item.fields.get("version") == "2.4.1" and item.type == "software"
    # a part numbered V, or a title that is only a version, keeps its words
    assert _built(("author", "Okafor, N."), ("title", "Fjords: Part V."), ("date", "2023.")).title == "Fjords: Part V"


def test_a_volume_named_in_brackets_ends_the_proceedings_title() -> None:
    item = _built(("author", "Okafor N, Berg J."), ("title", "Tidal parsing."),
                  ("container-title", "In: Proceedings of the 2019 Fjord Meeting,"), ("volume", "Volume 2"),
                  ("publisher", "(Short Papers). Fjord Society;"), ("date", "2019:"), ("pages", "41-46."))
    assert item["container-title"] == "Proceedings of the 2019 Fjord Meeting, Volume 2 (Short Papers)"
    assert "volume" not in item.fields and item["publisher"] == "Fjord Society"
    split = _built(("title", "Tidal parsing."), ("container-title", "In: Proceedings of the Fjord Meeting,"),
                   ("volume", "Volume 2 (Long"), ("title", "and Short Papers)."), ("publisher", "Fjord Society;"))
    assert split["container-title"] == "Proceedings of the Fjord Meeting, Volume 2 (Long and Short Papers)"
    # a journal's volume and numbered issue stay what they are
    journal = _built(("title", "Tides."), ("container-title", "Fjord Studies,"), ("volume", "Vol. 12 (3),"),
                     ("pages", "1-9."))
    assert (journal["container-title"], journal["volume"], journal["issue"]) == ("Fjord Studies", "12", "3")


@pytest.mark.parametrize("segments, number", [
    ((("title", "Tidal mixing"), ("note", "(Preprint arXiv:2101.00027). arXiv.")), "arXiv:2101.00027"),
    ((("title", "Tidal mixing,"), ("pages", "arXiv: arXiv:2101.00027.")), "arXiv:2101.00027"),
    ((("title", "Tidal mixing."), ("journal", "arXiv. Available at:")), None),
    ((("title", "Tidal mixing: a survey. arXiv."),), None),
])
def test_an_arxiv_mark_in_a_note_a_page_or_the_title_end_names_the_archive(
        segments: tuple[tuple[str, str], ...], number: str | None) -> None:
    item = _built(("author", "Lindqvist, I."), ("date", "2021."), *segments)
    assert item.fields.get("publisher") == "arXiv" and item.type == "article"
    assert item.fields.get("number") == number and "page" not in item.fields
    assert item.title.startswith("Tidal mixing") and "arXiv" not in item.title
    nature = _built(("author", "Lindqvist, I."), ("title", "Tidal mixing."), ("journal", "Preprint at"),
                    ("doi", "https://doi.org/10.48550/arXiv.2101.00027"), ("date", "(2021)."))
    assert "container-title" not in nature.fields


def test_an_organisation_printed_again_after_its_title_published_it() -> None:
    as_journal = _built(("author", "Nordic Fjord Institute,"), ("title", "“Tidal tables 2020,”"),
                        ("journal", "Nordic Fjord Institute, Bergen,"), ("date", "May 2020."))
    assert (as_journal["publisher"], as_journal["publisher-place"]) == ("Nordic Fjord Institute", "Bergen")
    assert "container-title" not in as_journal.fields
    closing = _built(("author", "Nordic Fjord Institute."), ("date", "2020."),
                     ("title", "Tidal tables 2020: the west coast. Nordic Fjord Institute, Bergen."))
    assert closing.title == "Tidal tables 2020: the west coast" and closing["publisher"] == "Nordic Fjord Institute"
    # a journal of a society that is not the author, or with a volume, stays the journal
    article = _built(("author", "Nordic Fjord Institute."), ("title", "Tides."),
                     ("journal", "Nordic Fjord Institute Bulletin,"), ("volume", "12,"), ("pages", "1-9."))
    assert article["container-title"] == "Nordic Fjord Institute Bulletin" and "publisher" not in article.fields


def test_a_year_left_in_the_title_or_after_an_organisation_is_the_date() -> None:
    opening = _built(("author", "Okafor, N."), ("title", "2023. Fjordsim."), ("date", "released June 30."))
    assert (opening.title, opening.year) == ("Fjordsim", 2023)
    org = _built(("title", "Nordic Fjord Institute 2020. Tidal tables."), ("publisher", "Zenodo."))
    assert ([n.literal for n in org.authors], org.year, org.title) == (["Nordic Fjord Institute"], 2020, "Tidal tables")
    late = _built(("title", "Nordic Fjord Institute,"), ("date", "2020. Tidal tables."), ("url", "https://nfi.no/t"))
    assert ([n.literal for n in late.authors], late.year, late.title) == (["Nordic Fjord Institute"], 2020, "Tidal tables")
    particle = _built(("author", "Humboldt, A."), ("title", "von 1858. Kosmos."), ("publisher", "Cotta."))
    assert (particle.authors[0].family, particle.year, particle.title) == ("Humboldt", 1858, "Kosmos")
    assert "von" in (particle.authors[0].non_dropping_particle or "") + (particle.authors[0].dropping_particle or "")
    # a title that is about a year keeps it when the date is given
    assert _built(("title", "1848. A year of revolutions."), ("date", "(2001).")).title == "1848. A year of revolutions"


def test_a_bracketed_first_year_before_the_year_is_the_original_date() -> None:
    assert _built(("author", "Humboldt, Alexander von."), ("date", "(1845) 1858."), ("title", "Cosmos.")).year == 1858
    assert _built(("title", "Cosmos."), ("date", "1845-1862.")).year == 1845


def test_an_access_date_is_kept_as_accessed_and_counts_as_evidence() -> None:
    item = _built(("title", "Fjord tides."), ("note", "Retrieved May 1, 2024, from"), ("url", "https://fjordwatch.org/"))
    accessed = item.fields["accessed"]
    assert accessed.parts == ((2024, 5, 1),) and "issued" not in item.fields and "note" not in item.fields
    lib = bibtools.parse_references("[3] Nordic Tide Tables: https://tides.example.org/. Accessed: 2024-05-01.\n")
    assert [i.title for i in lib.items] == ["Nordic Tide Tables"]


def test_with_no_title_labelled_a_wordy_page_or_a_lone_non_personal_name_is_the_title() -> None:
    page = _built(("author", "Nordic Fjord Institute."), ("date", "2023."), ("pages", "fjordsim."),
                  ("doi", "https://doi.org/10.5281/zenodo.1"))
    assert page.title == "fjordsim" and "page" not in page.fields
    site = _built(("author", "Nordic Tide Tables."), ("date", "(n.d.)."), ("url", "https://tides.example.org/"))
    assert site.title == "Nordic Tide Tables" and not site.authors
    for people in ("Okafor N., Berg J.,", "Okafor JN.", "Okafor, Ngozi."):  # names stay names
        assert _built(("author", people), ("date", "2007,"), ("note", "PhR, 443, 1")).authors


@pytest.mark.parametrize("segments", [
    (("author", "Nordic Tide Tables."), ("date", "(n.d.). TideWatch.org."), ("note", "Retrieved May 1, 2024, from"),
     ("url", "https://tidewatch.org/")),
    (("citation-number", "[26]"), ("author", "Nordic Tide Tables."), ("note", "TideWatch.org. Retrieved May 1, 2024 from"),
     ("url", "https://tidewatch.org/")),
    (("author", "TideWatch.Org. n.d."), ("title", "“Nordic Tide Tables.”"), ("note", "Accessed May 1, 2024."),
     ("url", "https://tidewatch.org/.")),
    (("title", "Nordic Tide Tables [WWW Document], n.d. ."), ("publisher", "TideWatch.org. URL"),
     ("url", "https://tidewatch.org/"), ("note", "(accessed 5.1.24).")),
    (("title", "Nordic Tide Tables."), ("editor", "In: TideWatch.org."), ("url", "https://tidewatch.org/.")),
    (("citation-number", "16."), ("author", "TideWatch.org [Internet]."), ("date", "[cited 2024 May"),
     ("title", "1]. Nordic Tide Tables."), ("url", "Available from: https://tidewatch.org/")),
])
def test_a_web_page_names_its_site_and_no_date(segments: tuple[tuple[str, str], ...]) -> None:
    item = _built(*segments)
    assert item.title == "Nordic Tide Tables" and str(item.fields.get("container-title")).lower() == "tidewatch.org"
    assert not item.authors and "publisher" not in item.fields and item.type == "webpage"
    assert not (isinstance(item.fields.get("issued"), Date) and item.fields["issued"].parts)  # no year of issue


def test_an_edition_or_a_page_word_cut_from_its_number_is_put_back() -> None:
    book = _built(("editor", "Okafor, N., and Berg, J., eds."), ("container-title", "Handbook of Fjords. 2nd"),
                  ("editor", "ed. Tidewater Press"), ("date", "2010."))
    assert book.title == "Handbook of Fjords" and book.fields.get("edition") == "2"
    paper = _built(("author", "Okafor N"), ("title", "Tides."), ("container-title", "In: Fjord Meeting."),
                   ("publisher", "IEEE, pp"), ("pages", "770–778"))
    assert (paper["publisher"], paper["page"]) == ("IEEE", "770-778")
    # "volume 1. | Ed. Franco Moretti": a volume, then its editor, not a first edition
    chapter = _built(("title", "Tides."), ("container-title", "In Fjords,"), ("volume", "volume 1."),
                     ("editor", "Ed. Ida Berg."), ("date", "2006."))
    assert chapter["volume"] == "1" and "edition" not in chapter.fields


def test_a_quoted_title_ends_at_its_quotes_and_the_words_after_are_the_container() -> None:
    item = _built(("author", "Okafor, N. et al."), ("date", "(2019)"),
                  ("title", "“Tidal parsing for fjords,” Proceedings of the 2019 Fjord Meeting."),
                  ("location", "Bergen:"), ("publisher", "Fjord Society,"), ("pages", "pp. 41–46."))
    assert item.title == "Tidal parsing for fjords"
    assert item["container-title"] == "Proceedings of the 2019 Fjord Meeting" and item.type == "paper-conference"
    # two quoted works, or quotes inside the title, stay one title
    for title in ("“Tides” and “Currents.”", "“‘Tides’ of the Fjord.”", "“Yates’ correction. Fjord Statistics.”."):
        assert "container-title" not in _built(("author", "Okafor, N."), ("title", title), ("date", "1975.")).fields


def test_a_database_between_an_articles_pages_and_its_doi_is_its_source_not_publisher() -> None:
    article = _built(("author", "Okafor, Ngozi, et al."), ("title", "“Tidal Mixing.”"), ("journal", "Ocean Dynamics,"),
                     ("volume", "vol. 61, no. 2,"), ("date", "2011,"), ("pages", "pp. 101–17."),
                     ("publisher", "Crossref,"), ("doi", "https://doi.org/10.1007/s10236-011-0401-2."))
    assert article.fields.get("source") == "Crossref" and "publisher" not in article.fields
    # a chapter's publisher before its DOI stays the publisher
    chapter = _built(("author", "Okafor, N."), ("date", "(2008)."), ("title", "Tides."),
                     ("container-title", "In Fjords"), ("pages", "(pp. 337–340)."), ("publisher", "Springer."),
                     ("doi", "https://doi.org/10.1007/978-3-540-78800-3_24"))
    assert chapter["publisher"] == "Springer" and "source" not in chapter.fields


@pytest.mark.parametrize("printed, page", [
    ("btx012.", "btx012"), ("pp. 284-300.e7.", "284-300.e7"), ("S1-S10", "S1-S10"), ("p. e1007625.", "e1007625"),
    ("pp. 318–62.", "318-362"), ("s. 33-47", "33-47"), ("D1214-D1219.", "D1214-D1219"),
])
def test_page_ranges_article_ids_and_supplement_pages(printed: str, page: str) -> None:
    item = _built(("author", "Okafor, N."), ("title", "Tides."), ("journal", "Ocean Dyn."), ("volume", "61,"),
                  ("pages", printed))
    assert item["page"] == page


def test_a_books_page_count_is_its_number_of_pages() -> None:
    book = _built(("author", "Okafor N."), ("title", "Fjords."), ("publisher", "Tidewater Press;"), ("date", "1997."),
                  ("pages", "650 p."))
    assert book.fields.get("number-of-pages") == "650" and "page" not in book.fields
    article = _built(("author", "Okafor N."), ("title", "Fjords."), ("journal", "Law Rev.,"), ("pages", "546 pp."))
    assert article["page"] == "546"


@pytest.mark.parametrize("segments, title", [
    ((("citation-number", "2."), ("author", "Tidesim |"), ("title", "A Fast Tide Simulator."),
      ("note", "Accessed March 15, 2024."), ("url", "https://tidesim.example.org/")), "Tidesim | A Fast Tide Simulator"),
    ((("author", "T3.js -"), ("title", "Tide-Driven Documents:"), ("url", "https://t3js.example.org/.")),
     "T3.js - Tide-Driven Documents"),
    ((("author", "fjordly."), ("title", "Discover Fjords."), ("url", "https://fjordly.example.org/")), "fjordly. Discover Fjords"),
    ((("author", "Tidesim | Simulate tides with Python, Rust, and C."), ("date", "(n.d.)."),
      ("note", "Retrieved June 25, 2020, from"), ("url", "https://tidesim.example.org/")),
     "Tidesim | Simulate tides with Python, Rust, and C"),
])
def test_a_web_page_title_taken_for_names_is_the_title(segments: tuple[tuple[str, str], ...], title: str) -> None:
    item = _built(*segments)
    assert item.title == title and not item.authors
    # names, organisations and particles stay names
    for names in ("de Moura, L. and Bjørner, N.", "Federal Reserve Bank of Chicago.", "van Rossum G, Warsaw B."):
        assert _built(("author", names), ("title", "Tides."), ("date", "2001.")).authors


def test_a_bracketed_place_after_a_two_sentence_title_marks_the_proceedings() -> None:
    item = _built(("citation-number", "[4]"), ("author", "Okafor, N. et al."), ("date", "2019."),
                  ("title", "Tidal parsing. Proceedings of the 2019 Fjord Meeting, Volume 1"),
                  ("location", "(Bergen, Norway,"), ("date", "June 2019),"), ("pages", "41–46."))
    assert item.title == "Tidal parsing" and item["container-title"] == "Proceedings of the 2019 Fjord Meeting, Volume 1"
    # one sentence, or a short last one, stays the title
    for title in ("Tidal parsing in fjords", "Tidal parsing. Part II"):
        kept = _built(("author", "Okafor, N."), ("title", title), ("location", "(Bergen,"), ("date", "2019),"))
        assert kept.title == title and "container-title" not in kept.fields


def test_a_lone_no_date_mark_is_no_journal() -> None:
    item = _built(("title", "“Nordic Tide Tables.”"), ("journal", "n.d. Accessed"), ("date", "June 25, 2020."),
                  ("url", "https://tides.example.org/"))
    assert "container-title" not in item.fields and "issued" not in item.fields
    assert item.fields["accessed"].parts == ((2020, 6, 25),)


def test_a_token_shared_evenly_by_two_variables_takes_the_one_it_starts_in_whatever_the_hash_seed() -> None:
    # "25];7(1):" in a rendered list: the volume's "7" is glued to the note's "25]"; with the
    # tie broken by a set's order, the training data (and so the model) changed from run to run
    script = (
        "from bibtools.formats.references.synthetic import _OPEN, _CLOSE, label_rendered\n"
        "pairs = [('note', 'volume'), ('volume', 'note'), ('location', 'genre'), ('genre', 'location'),"
        " ('title', 'journal'), ('journal', 'title'), ('pages', 'publisher'), ('publisher', 'pages')]\n"
        "for first, second in pairs:\n"
        "    marked = _OPEN['author'] + 'Smith' + _CLOSE + ' ' + _OPEN[first] + 'ab' + _CLOSE + _OPEN[second] + 'cd' + _CLOSE\n"
        "    tokens, labels = label_rendered(marked)\n"
        "    print(tokens[-1], labels[-1])\n"
    )
    outputs = set()
    for seed in ("1", "2", "3", "4"):
        run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                             env={**os.environ, "PYTHONHASHSEED": seed})
        outputs.add(run.stdout)
    assert len(outputs) == 1
    labels = [line.split()[1] for line in outputs.pop().splitlines()]
    assert labels == ["note", "volume", "location", "genre", "title", "journal", "pages", "publisher"]
