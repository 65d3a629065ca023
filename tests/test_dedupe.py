"""Duplicate detection: identifiers, titles, authors, years, vetoes, blocking."""
from __future__ import annotations

import copy
import json
import random

import pytest

import bibtools
from bibtools import Date, Item, Name
from bibtools.dedupe import (
    MatchConfig,
    compare,
    find_duplicates,
    normalize_arxiv,
    normalize_doi,
    normalize_isbn,
    normalize_title,
)


def art(key, title, authors=("Smith", "Jones"), year=2020, **fields):
    item = Item(key, fields.pop("type", "article-journal"))
    item["title"] = title
    item["author"] = [Name(family=a, given="A.") for a in authors]
    if year is not None:
        item["issued"] = Date(((year,),))
    for name, value in fields.items():
        item[name.replace("_", "-")] = value
    return item


# -- normalisation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    ["10.1000/ABC.def", "https://doi.org/10.1000/abc.DEF", "doi:10.1000/abc.def", "http://dx.doi.org/10.1000%2Fabc.def",
     " DOI: 10.1000/abc.def. "],
)
def test_doi_variants_normalise_to_one(raw):
    assert normalize_doi(raw) == "10.1000/abc.def"


def test_not_a_doi():
    assert normalize_doi("see the publisher") is None


@pytest.mark.parametrize(
    "raw, expected",
    [("2101.00001v3", "2101.00001"), ("arXiv:2101.00001", "2101.00001"), ("https://arxiv.org/abs/2101.00001v2", "2101.00001"),
     ("10.48550/arXiv.2101.00001", "2101.00001"), ("hep-th/9901001v1", "hep-th/9901001"), ("math/0307200v3", "math/0307200")],
)
def test_arxiv_ids_lose_their_version(raw, expected):
    assert normalize_arxiv(raw) == expected


def test_isbn10_and_isbn13_agree():
    assert normalize_isbn("0-306-40615-2") == normalize_isbn("978-0-306-40615-7") == ["9780306406157"]
    assert normalize_isbn("978-0-306-40615-7, 0 306 40615 2") == ["9780306406157", "9780306406157"]


def test_title_normalisation_ignores_case_accents_latex_markup_and_punctuation():
    a = normalize_title("Über die <i>Élasticité</i> of {DNA}: a \\textit{Study}!")
    b = normalize_title("UBER DIE ELASTICITE OF DNA -- A STUDY")
    assert a == b == "uber die elasticite of dna a study"
    assert normalize_title("\\\"{U}ber \\'{e}t\\'{e}") == "uber ete"


# -- compare: matches -----------------------------------------------------------------------


def test_same_doi_matches_despite_other_noise():
    a = art("a", "Deep nets for birds", DOI="10.1234/X")
    b = art("b", "DEEP NETS FOR BIRDS.", authors=("SMITH",), year=2021, DOI="https://doi.org/10.1234/x")
    m = compare(a, b)
    assert m.same and m.score >= 0.95
    assert m.evidence["identifiers_equal"] == ["doi"]


def test_preprint_and_published_version_are_the_same_work():
    pre = art("pre", "Attention is all you need", authors=("Vaswani", "Shazeer", "Parmar"), year=2017,
              type="article", container_title="arXiv", URL="https://arxiv.org/abs/1706.03762v5")
    pub = art("pub", "Attention Is All You Need", authors=("Vaswani", "Shazeer", "Parmar", "Uszkoreit"), year=2018,
              type="paper-conference", container_title="Advances in Neural Information Processing Systems",
              DOI="10.5555/3295222.3295349", page="5998-6008")
    m = compare(pre, pub)
    assert m.same, m.evidence
    assert m.evidence["preprint_and_published"] is True
    assert m.evidence["year_distance"] == 1


def test_database_slips_do_not_hide_a_duplicate():
    # a JSTOR DOI next to the publisher DOI, and a title with the translation appended
    a = art("a", "Effects of recent burning on bird communities [Efectos de quema reciente en aves]",
            container_title="Journal of Field Ornithology", volume="70", page="491-503", DOI="10.2307/4514441")
    b = art("b", "EFFECTS OF RECENT BURNING ON BIRD COMMUNITIES", authors=("SMITH", "JONES"),
            container_title="JOURNAL OF FIELD ORNITHOLOGY", volume="70", page="491-503", DOI="10.1648/0273-8570-70.4.491")
    m = compare(a, b)
    assert m.same, m.evidence
    assert any("DOIs differ" in c for c in m.evidence["conflicts"])


def test_compare_is_pure_and_symmetric():
    a = art("a", "Bird counts in burnt forest", DOI="10.1234/a")
    b = art("b", "Bird counts in burned forest")
    before = (copy.deepcopy(a), copy.deepcopy(b))
    ab, ba = compare(a, b), compare(b, a)
    assert (a, b) == before
    assert ab.same == ba.same and ab.score == ba.score


# -- compare: look-alikes that are different works ----------------------------------------------------


@pytest.mark.parametrize(
    "title_a, title_b",
    [
        ("Breeding birds of a riverine forest, Part I", "Breeding birds of a riverine forest, Part II"),
        ("Breeding birds of a riverine forest (part one)", "Breeding birds of a riverine forest (part two)"),
        ("Bird trends in Finland 1990-2000", "Bird trends in Finland 1990-2010"),
        ("Fire and birds in boreal forests", "Erratum: Fire and birds in boreal forests"),
        ("Fire and birds in boreal forests", "Corrigendum to \"Fire and birds in boreal forests\""),
        ("Fire and birds in boreal forests", "Reply to: Fire and birds in boreal forests"),
        ("Fire and birds in boreal forests", "Comment on \"Fire and birds in boreal forests\""),
        ("Fire and birds in boreal forests", "Retraction: Fire and birds in boreal forests"),
    ],
)
def test_parts_errata_and_replies_never_match(title_a, title_b):
    m = compare(art("a", title_a), art("b", title_b))
    assert not m.same
    assert m.evidence["vetoes"]


def test_editions_of_a_book_are_different_works():
    a = art("a", "The TeXbook", authors=("Knuth",), year=1984, type="book", edition="1", publisher="Addison-Wesley")
    b = art("b", "The TeXbook", authors=("Knuth",), year=1984, type="book", edition="2nd", publisher="Addison-Wesley")
    assert not compare(a, b).same
    c = copy.deepcopy(b)
    c.id = "c"
    c["edition"] = "Second edition"
    assert compare(b, c).same


def test_volumes_of_a_multivolume_book_are_different_works():
    a = art("a", "The Art of Computer Programming", authors=("Knuth",), year=1997, type="book", volume="1")
    b = art("b", "The Art of Computer Programming", authors=("Knuth",), year=1997, type="book", volume="2")
    assert not compare(a, b).same


def test_a_book_and_a_chapter_of_it_are_different_works():
    book = art("book", "Handbook of Bird Biology", type="book", publisher="Wiley", ISBN="978-1-118-29105-4")
    chapter = art("ch", "Handbook of Bird Biology", type="chapter", container_title="Handbook of Bird Biology",
                  page="1-20", ISBN="978-1-118-29105-4")
    m = compare(book, chapter)
    assert not m.same
    assert "isbn" not in m.evidence.get("identifiers_equal", [])


def test_same_title_years_apart_is_not_a_duplicate():
    m = compare(art("a", "Avian response to fire", year=1992), art("b", "Avian response to fire", year=1999))
    assert not m.same
    assert "years 7 apart" in m.evidence["why_not"]


def test_different_author_teams_with_similar_titles_are_not_matched():
    a = art("a", "Bird community responses to disturbance in a forestry concession in lowland Bolivia", authors=("Woltmann",), year=2003)
    b = art("b", "Bird community responses to reduced-impact logging in a certified forestry concession in lowland Bolivia",
            authors=("Felton", "Wood", "Lindenmayer"), year=2008)
    assert not compare(a, b).same


def test_short_generic_titles_need_more_than_the_title():
    a = art("a", "Editorial", authors=(), year=2019, container_title="Ibis")
    b = art("b", "Editorial", authors=(), year=2019, container_title="Oikos")
    assert not compare(a, b).same


def test_thresholds_are_configurable():
    a = art("a", "Avian community response to fire in grasslands of Kansas")
    b = art("b", "Avian community responses to fires in the grasslands of Kansas")
    strict = MatchConfig(title_threshold=0.99)
    assert compare(a, b).same
    assert not compare(a, b, strict).same


# -- find_duplicates -------------------------------------------------------------------------------


def _population(n: int, seed: int = 7) -> list[Item]:
    rng = random.Random(seed)
    words = "bird fire forest boreal habitat nest woodpecker grassland response burn logging savanna".split()
    names = "Smith Jones Lee Brown Garcia Nguyen Kim Müller Rossi Dubois".split()
    items = []
    for i in range(n):
        title = " ".join(rng.choice(words) for _ in range(7)) + f" {rng.choice(words)}{i}"
        items.append(art(f"k{i}", title, authors=tuple(rng.sample(names, 2)), year=1990 + rng.randrange(30)))
    return items


def test_find_duplicates_groups_perturbed_copies_and_compares_few_pairs():
    items = _population(400)
    copies = []
    for item in items[:50]:
        twin = copy.deepcopy(item)
        twin.id = item.id + "-copy"
        twin["title"] = item.title.upper() + "."
        copies.append(twin)
    result = find_duplicates(items + copies)
    groups = sorted(sorted(g) for g in result.key_groups())
    assert groups == sorted(sorted([it.id, it.id + "-copy"]) for it in items[:50])
    n = len(items) + len(copies)
    assert result.compared < n * (n - 1) / 2 / 10  # blocking: far fewer than all pairs
    as_json = result.to_json()
    assert all(len(g) >= 2 for g in as_json["groups"])
    assert {"a", "b", "score", "evidence"} <= set(as_json["pairs"][0])


def test_groups_do_not_chain_through_vetoed_pairs():
    one = art("one", "Birds of the Rhine forest, Part I", DOI="10.1234/one")
    two = art("two", "Birds of the Rhine forest, Part II", DOI="10.1234/two")
    # a record carrying the DOI of part I but the title of part II: it matches neither safely
    muddle = art("muddle", "Birds of the Rhine forest, Part II", DOI="10.1234/one")
    result = find_duplicates([one, two, muddle])
    for group in result.key_groups():
        assert not {"one", "two"} <= set(group)


@pytest.mark.corpus
def test_csl_json_references_against_their_perturbed_copies(corpora):
    """Manubot's CSL-JSON: every record finds its own perturbed copy, and nothing else."""
    library = bibtools.load(corpora / "csl-json" / "manubot-metaboverse-references.json")
    items = [it for it in library.items if it.title]
    assert len(items) > 50
    copies = []
    for item in items:
        twin = copy.deepcopy(item)
        twin.id = "copy:" + item.id
        twin["title"] = item.title.lower().replace(":", " -")
        twin.fields.pop("DOI", None)  # make the title, authors and year do the work
        copies.append(twin)
    result = find_duplicates(items + copies)
    found = {frozenset(g) for g in result.key_groups()}
    for item in items:
        assert any(item.id in g and "copy:" + item.id in g for g in found), item.id
    # two originals share a group only when they are one work cited twice
    # (this file cites the Reactome paper once by PMID and once by DOI)
    joined = 0
    for group in found:
        originals = [library[k] for k in {k.removeprefix("copy:") for k in group}]
        if len(originals) > 1:
            joined += 1
            dois = {str(o.get("DOI")).lower() for o in originals}
            pmids = {o.get("PMID") for o in originals}
            assert len(dois) == 1 or len(pmids) == 1, group
    assert joined >= 1


# -- 32 hand-checked pairs from the litsearchr exports -------------------------------------------
# Each pair was read record by record (Scopus = scopus-final, WoS = wos-corecollection-1/2);
# the comment says why the verdict is right.

HAND_CHECKED = [
    # the same work
    ("Dieni1999491", "ISI:000083721300004", True),  # Scopus appends the Spanish title; WoS misspells "recent" as "regent"; same J Field Ornithol 70(4) 491-503
    ("Schieck19951417", "ISI:A1995TE20400005", True),  # "three" vs "3" successional stages; WoS misspells the author SCHLECK; same Can J Zool 73(8) 1417
    ("Law201458", "ISI:000336698100007", True),  # "12years" vs "12 years"; same DOI 10.1016/j.foreco.2014.02.032
    ("Huggard2014153", "ISI:000348526000003", True),  # footnote mark "aspen1" in Scopus; online 2014 vs issue 2015; same DOI
    ("Brown200691", "ISI:000234858000012", True),  # Scopus gives a Literature & Theology DOI by mistake; Biotropica 38(1) 91-99 in both
    ("Styring2004495", "ISI:000223732900002", True),  # WoS DOI has a doubled 0 (typo); same J Trop Ecol 20(5) 495-504
    ("Borgmann200474", "ISI:000188970200009", True),  # JSTOR DOI vs BioOne DOI for the same Auk 121(1) 74-87 article
    ("Imbeau19991850", "ISI:000085324800002", True),  # NRC's old and new DOI forms; bilingual journal name in WoS
    ("HUTTO19951041", "ISI:A1995TB44900018", True),  # DOI variants (...x-i1), upper-case WoS title, same Conserv Biol 9(5) 1041-1058
    ("Rosenvald2007503", "ISI:000253319800002", True),  # first page 503 vs 502 (one database is off by one); same DOI
    ("Moreno-Opo2018", "ISI:000430889900001", True),  # PeerJ: Scopus puts the year in volume (2018 vs 6); same DOI
    ("ThompsonIII20001111", "ISI:000166582600043", True),  # "Thompson III, F.R." vs "Thompson, FR"; same Wildl Soc Bull 28(4) 1111
    ("Pereira2003", "ISI:000223963100008", True),  # the journal Conservation Ecology was renamed Ecology and Society; same 7(3)
    ("Lloyd2008164", "ISI:000257049500007", True),  # Scopus title repeats "rarity of"; same DOI 10.1017/S0959270908000166
    ("Dudley2012348", "ISI:000305043000012", True),  # OCR slips "wood peckers info rest burns"; same DOI
    ("NoAuthor2018299", "Rey2018299", True),  # both Scopus: one copy lost its authors and got a wrong journal; same DOI
    ("Krüger199782", "ISI:000071174300005", True),  # African Zoology was South African Journal of Zoology; "Krüger" vs "Kruger"
    ("Tomiałojć200487", "ISI:000221124000001", True),  # German title appended, Polish letters, first page 87 vs 81; J Ornithol 145(2)
    ("Comparatore1996228", "ISI:A1996VE01600009", True),  # Spanish title in Scopus, English in WoS; same 5 authors, Interciencia 21(4) 228-237
    ("Menke1992141", "ISI:A1992KA49700010", True),  # "Rangelands": Scopus types it @book (the special issue's book form), same pages 141-163
    # look-alikes that are different works
    ("Dronneau2007373", "Dronneau2007215", False),  # "part two" vs "part one" of a series in Alauda 75
    ("Fitzgerald1999164", "ISI:A1992JD60800014", False),  # a 1999 NCASI Technical Bulletin abstract (p. 164) of the 1992 J Range Manage paper
    ("Kelly1999280", "ISI:A1994PN87400009", False),  # NCASI 1999 abstract (pp. 280-281) vs the 1994 Am Midl Nat article (pp. 275-283)
    ("Krusac1999293", "ISI:A1994BJ69M00046", False),  # NCASI 1999 abstract vs the 1994 SEAFWA proceedings paper
    ("Zimmerman2017616", "Zimmerman20151051", False),  # two wood duck population papers (Condor 2017, J Wildl Manage 2015)
    ("Masters1998148", "ISI:A1995QD97100009", False),  # small-mammal vs breeding-bird response to the same restoration
    ("Felton2008545", "Woltmann20031921", False),  # two Bolivian forestry-concession studies by different authors
    ("Werema2015304", "Werema201540", False),  # same author and year, fires in two different forest reserves
    ("Webb2010765", "Webb2010109", False),  # same team, journal and year: two papers (74(4) 765 and 74(1) 109)
    ("Kurek20141", "ISI:000336008700007", False),  # same team and year: badger/fox burrows in Ecol Res vs Sylwan
    ("Brennan199957", "Brennan199958", False),  # consecutive NCASI abstracts by overlapping authors, different titles
    ("Grant20101841", "Madden1999627", False),  # shared author, both on fire in mixed-grass prairie, 11 years apart
]

LITSEARCHR = ("litsearchr-scopus-final.bib", "litsearchr-wos-corecollection-1.bib", "litsearchr-wos-corecollection-2.bib")


@pytest.fixture(scope="module")
def litsearchr(corpora):
    return [bibtools.load(corpora / "messy" / name) for name in LITSEARCHR]


@pytest.mark.corpus
def test_hand_checked_pairs(litsearchr):
    by_key = {}
    for library in litsearchr:
        for item in library:
            by_key.setdefault(item.id, item)
    assert len(HAND_CHECKED) >= 30
    wrong = []
    for a, b, expected in HAND_CHECKED:
        verdict = compare(by_key[a], by_key[b])
        if verdict.same != expected:
            wrong.append((a, b, expected, verdict.evidence))
    assert wrong == []


@pytest.mark.corpus
def test_litsearchr_exports_dedupe_across_files(litsearchr):
    items = [item for library in litsearchr for item in library]
    source = [n for n, library in enumerate(litsearchr) for _ in library]
    result = find_duplicates(items)
    group_of = {i: g for g, members in enumerate(result.groups) for i in members}
    # every cross-file pair with the same DOI (read here independently) is in one group
    by_doi: dict[str, list[int]] = {}
    for i, item in enumerate(items):
        doi = str(item.get("DOI") or "").strip("{} ").lower()
        if doi.startswith("10."):
            by_doi.setdefault(doi, []).append(i)
    doi_pairs = [(i, j) for members in by_doi.values() for i in members for j in members if i < j and source[i] != source[j]]
    assert len(doi_pairs) > 550
    assert all(group_of.get(i) is not None and group_of.get(i) == group_of.get(j) for i, j in doi_pairs)
    cross = sum(1 for members in result.groups for x in members for y in members if x < y and source[x] != source[y])
    assert cross >= len(doi_pairs)
    # the two Web of Science exports do not overlap, so no group may hold records of both
    assert not any({1, 2} <= {source[i] for i in members} for members in result.groups)


# -- the command ------------------------------------------------------------------------------------


TWO_DUPLICATES = r"""@article{smith2020,
  author = {Smith, Ann and Jones, Bo},
  title = {Fire and birds in the boreal forest},
  journal = {Ibis}, year = {2020}, doi = {10.1234/ibis.1}
}
@article{S20,
  author = {SMITH, A. and JONES, B.},
  title = {FIRE AND BIRDS IN THE BOREAL FOREST},
  journal = {IBIS}, year = {2020}
}
@article{other,
  author = {Other, Olga},
  title = {Herons of the marshes in winter},
  journal = {Ibis}, year = {2019}
}
"""


def test_dedupe_command_json_and_explain(tmp_path):
    from click.testing import CliRunner

    from bibtools.cli import main

    path = tmp_path / "refs.bib"
    path.write_text(TWO_DUPLICATES, encoding="utf-8")
    run = CliRunner().invoke(main, ["dedupe", str(path), "--json"])
    assert run.exit_code == 1  # duplicates found
    data = json.loads(run.stdout)
    assert data["groups"] == [["smith2020", "S20"]]
    pair = data["pairs"][0]
    assert (pair["a"], pair["b"]) == ("smith2020", "S20") and pair["score"] > 0.9
    assert pair["evidence"]["title_similarity"] == 1.0
    run = CliRunner().invoke(main, ["dedupe", str(path), "--explain"])
    assert "smith2020 ~ S20" in run.stdout and "title similarity: 1.0" in run.stdout
    clean = tmp_path / "clean.bib"
    clean.write_text(TWO_DUPLICATES.split("@article{S20")[0], encoding="utf-8")
    assert CliRunner().invoke(main, ["dedupe", str(clean), "--json"]).exit_code == 0


def test_number_words_and_digits():
    three = art("a", "Bird richness among three successional stages of aspen forests")
    digit = art("b", "Bird richness among 3 successional stages of aspen forests")
    four = art("c", "Bird richness among four successional stages of aspen forests")
    typo = art("d", "Zero-shot learning of bird calls in boreal forests")
    typo2 = art("e", "Ezro-shot learning of bird calls in boreal forests")
    assert compare(three, digit).same
    assert not compare(three, four).same and compare(three, four).evidence["vetoes"]
    assert compare(typo, typo2).same  # a mistyped number word is not a different part
