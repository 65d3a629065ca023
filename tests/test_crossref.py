"""Crossref works: every corpus file reads; fields checked against the raw JSON."""
import html
import json
import re

import pytest

import bibtools
from bibtools.mappings.crossref import TYPES
from bibtools.text.markup import markup_to_rich
from bibtools.variables import ITEM_TYPES
from conftest import CORPORA

CROSSREF = CORPORA / "crossref"
FILES = sorted(p for p in CROSSREF.glob("*") if p.suffix in (".json", ".jsonl")) if CROSSREF.is_dir() else []


def _raw_works(path):
    """Works found by hand: recorded responses, message / message.items, JSON Lines."""
    text = path.read_text(encoding="utf-8")
    docs = [json.loads(line) for line in text.splitlines() if line.strip()] if path.suffix == ".jsonl" else [json.loads(text)]
    works = []
    for doc in docs:
        for entry in doc if isinstance(doc, list) else [doc]:
            entry = entry.get("response", entry)
            message = entry.get("message", entry)
            works.extend(message["items"] if "items" in message else [message])
    return works


def _plain(text):
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def _squash(text):
    return re.sub(r"\s+", "", text)


@pytest.mark.corpus
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_crossref_file_reads_and_matches_the_source(path):
    lib = bibtools.load_file(path)
    assert bibtools.registry.detect(path.read_text(encoding="utf-8"), str(path)).name == "crossref"
    works = _raw_works(path)
    assert len(lib) == len(works) > 0
    assert not lib.errors
    bibtools.dump(lib, "csljson")  # writes without trouble
    for item, work in zip(lib.items, works):
        assert item.id  # no native keys: the key pass names every item
        assert item["DOI"] == work["DOI"].lower()
        if work.get("title"):
            assert _squash(_plain(item["title"])).startswith(_squash(_plain(work["title"][0])))
        else:
            assert "title" not in item
        year = (work.get("issued") or {}).get("date-parts", [[None]])[0][0]
        if year is not None:
            assert item.year == year
        containers = work.get("container-title") or []
        if len(containers) > 1 and work["type"] in ("book-chapter", "proceedings-article"):
            assert (_plain(item["collection-title"]), _plain(item["container-title"])) == (_plain(containers[0]), _plain(containers[-1]))
        elif containers:
            assert _plain(item["container-title"]) == _plain(containers[0])
        raw_people = [a for a in work.get("author", []) if a.get("family") or a.get("name")]
        assert len(item.authors) == len(raw_people)
        for name, raw in zip(item.authors, raw_people):
            if "family" in raw:
                assert name.family.lower() == raw["family"].strip().lower()
                assert (name.given or "").lower() == (raw.get("given") or "").strip().lower()
            else:
                assert name.literal == raw["name"].strip()
        if work.get("type") in TYPES:
            assert item.type == TYPES[work["type"]]
        if not work.get("page") and work.get("article-number"):
            assert item["page"] == work["article-number"]


@pytest.mark.corpus
def test_all_caps_names_are_fixed_and_mixed_case_kept():
    lib = bibtools.load_file(CROSSREF / "habanero-crossref-work-lists.json")
    families = {n.family for i in lib for n in i.authors if n.family}
    assert "Gumley" in families and "GUMLEY" not in families
    assert not any(f.isupper() and len(f) > 3 for f in families)


@pytest.mark.corpus
def test_jats_abstract_and_article_number():
    lib = bibtools.load_file(CROSSREF / "papis-crossref-works.json")
    works = _raw_works(CROSSREF / "papis-crossref-works.json")
    by_doi = {i["DOI"]: i for i in lib}
    abstract_work = next(w for w in works if "abstract" in w)
    abstract = by_doi[abstract_work["DOI"].lower()]["abstract"]
    assert "jats" not in abstract and "<" not in abstract.replace("<i>", "").replace("</i>", "")
    assert abstract.startswith(_plain(abstract_work["abstract"])[:60])
    aps = next(w for w in works if "article-number" in w and not w.get("page"))
    assert by_doi[aps["DOI"].lower()]["page"] == aps["article-number"]
    isbn_work = next(w for w in works if len(w.get("ISBN", [])) > 1)
    isbns = by_doi[isbn_work["DOI"].lower()]["ISBN"].split(", ")
    assert sorted(isbns) == sorted(re.sub(r"[^0-9X]", "", x) for x in isbn_work["ISBN"])
    proceedings = next(w for w in works if w["type"] == "proceedings-article")
    assert by_doi[proceedings["DOI"].lower()].type == "paper-conference"


def test_type_table_is_complete_and_valid():
    crossref_types = """book-section monograph report-component peer-review book-track journal-article book-part
    other book journal-volume book-set reference-entry proceedings-article journal component book-chapter
    proceedings-series report-series proceedings database standard reference-book posted-content
    journal-issue dissertation grant dataset book-series edited-book report standard-series""".split()
    assert set(crossref_types) <= set(TYPES)
    assert set(TYPES.values()) <= ITEM_TYPES


def test_single_work_message_with_markup_and_subtitle():
    work = {
        "status": "ok", "message-type": "work",
        "message": {
            "DOI": "10.1234/ABC.5", "type": "journal-article",
            "title": ["Imaging <i>E. coli</i> with <sup>89</sup>Zr &amp; the\n   <mml:math><mml:msup><mml:mi>x</mml:mi><mml:mn>2</mml:mn></mml:msup></mml:math> law"],
            "subtitle": ["A <jats:italic>short</jats:italic> note"],
            "author": [{"given": "J.D.", "family": "GRAY"}, {"name": "The Consortium"}, {"given": "Ana", "family": "da Silva"}],
            "container-title": ["Journal of Tests"], "issued": {"date-parts": [[2020, 2]]},
            "article-number": "e100", "ISSN": ["0028-0836"],
            "abstract": "<jats:title>Abstract</jats:title><jats:p>First &lt;para&gt;.</jats:p><jats:p>Second <jats:sc>para</jats:sc>.</jats:p>",
        },
    }
    lib = bibtools.load_string(json.dumps(work), source="w.json")
    item = lib.items[0]
    assert item.title == "Imaging <i>E. coli</i> with <sup>89</sup>Zr & the $x^{2}$ law: A <i>short</i> note"
    assert [(n.family, n.given, n.literal) for n in item.authors] == [("Gray", "J.D.", None), (None, None, "The Consortium"), ("da Silva", "Ana", None)]
    assert item["page"] == "e100" and "number" not in item
    assert item.issued.parts == ((2020, 2),)
    assert item["abstract"] == 'First <para>.\n\nSecond <span style="font-variant:small-caps;">para</span>.'
    assert item["DOI"] == "10.1234/abc.5"


def test_bad_json_and_empty_list_are_reported():
    lib = bibtools.load_string('{"message-type": "work", "message": ', "crossref", source="x.json")
    assert [d.code for d in lib.diagnostics] == ["crossref.syntax"]
    lib = bibtools.load_string('{"status": "ok", "message-type": "work-list", "message": {"items": []}}', "crossref")
    assert len(lib) == 0 and "crossref.empty" in {d.code for d in lib.diagnostics}


@pytest.mark.parametrize("fragment, rich", [
    ("<jats:p>One</jats:p>\n<jats:p>Two</jats:p>", "One\n\nTwo"),
    ("H<sub>2</sub>O and <b>bold</b> <em>em</em>", "H<sub>2</sub>O and <b>bold</b> <i>em</i>"),
    ("<inline-formula><alternatives><tex-math>$a+b$</tex-math><mml:math><mml:mi>a</mml:mi></mml:math></alternatives></inline-formula>", "$a+b$"),
    ("<mml:math><mml:mfrac><mml:mn>1</mml:mn><mml:mi>n</mml:mi></mml:mfrac></mml:math>", "$\\frac{1}{n}$"),
    ("V<17.5 & x > 3", "V<17.5 & x > 3"),
    ("unclosed <i>italic", "unclosed <i>italic</i>"),
    ("stray </i> close", "stray close"),
    ("twice &lt;em&gt;escaped&lt;/em&gt; &amp;lt;p", "twice <i>escaped</i> &lt;p"),
    ("<mml:math><mml:mtext>22</mml:mtext><mml:mo>\u00d7</mml:mo><mml:msup><mml:mtext>10</mml:mtext><mml:mtext>9</mml:mtext></mml:msup></mml:math> /L",
     "$22\u00d710^{9}$ /L"),
])
def test_markup_to_rich(fragment, rich):
    assert markup_to_rich(fragment) == rich


def test_crossref_csl_output_is_left_to_the_csljson_reader():
    # Crossref content negotiation (application/vnd.citationstyles.csl+json): CSL-JSON with Crossref extras.
    csl = json.dumps({"indexed": {"date-parts": [[2023, 1, 1]]}, "reference-count": 7, "publisher": "Elsevier BV",
                      "DOI": "10.1067/mjd.2002.110660", "type": "article-journal", "is-referenced-by-count": 7,
                      "title": "Progressive generalized alopecia", "container-title": "Journal of the AAD",
                      "author": [{"given": "Michael E.", "family": "Lutz"}], "issued": {"date-parts": [[2002, 3]]}})
    assert bibtools.registry.detect(csl, "work.json").name == "csljson"


@pytest.mark.parametrize("value", [1, True, None, "Journal of Tests", {"x": 1}])
def test_array_fields_of_the_wrong_shape_are_read_not_crashed_on(value) -> None:
    """Found by tools/fuzz.py: a Crossref work whose ``container-title`` (or ``subject``,
    ``ISSN``...) is not an array raised TypeError and cost the whole file."""
    import json

    work = {"DOI": "10.1/x", "type": "journal-article", "title": ["T"], "container-title": value,
            "subject": value, "ISSN": value, "issued": {"date-parts": value}}
    library = bibtools.load_string(json.dumps({"status": "ok", "message": work}), "crossref")
    assert len(library) == 1 and library.items[0].title == "T"
    if value == "Journal of Tests":
        assert library.items[0].get("container-title") == "Journal of Tests"
