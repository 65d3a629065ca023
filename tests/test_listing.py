"""The listing reader, on the real copied author page and on our own fixtures."""
import json
import re
import subprocess
import sys

import pytest

import bibtools
from bibtools.formats.listing import classify
from conftest import CORPORA, FIXTURES, PROJECT

PAGE = CORPORA / "listings" / "paper-index-author-page.txt"



def _raw_records(text):
    """The page cut by hand: chunks between 'Via' lines; chunk 0 also holds the banner."""
    chunks = re.split(r"^Via\s*$", text, flags=re.MULTILINE)
    records = []
    for i, chunk in enumerate(c for c in chunks if c.strip()):
        paragraphs = [p.strip() for p in chunk.strip().split("\n\n") if p.strip()]
        if i == 0:
            paragraphs = paragraphs[1:]  # the banner paragraph
        records.append({"authors": paragraphs[0].split(", "), "abstract": " ".join(paragraphs[1:])})
    return records


def _latex_free_fragments(abstract):
    return [f.strip() for f in re.split(r"\\[A-Za-z]+(?:\{[^}]*\})?|\$[^$]*\$", abstract) if len(f.strip()) > 3]


@pytest.mark.corpus
def test_real_page_converts_to_one_item_per_record_with_names_and_abstracts():
    text = PAGE.read_text(encoding="utf-8")
    raw = _raw_records(text)
    assert len(raw) == 9
    result = subprocess.run(
        [sys.executable, "-m", "bibtools", "convert", str(PAGE), "--to", "csljson"],
        cwd=PROJECT, capture_output=True, text=True, timeout=60,
    )
    items = json.loads(result.stdout)
    assert len(items) == 9
    for item, expected in zip(items, raw):
        names = [(a.get("given"), a.get("family")) for a in item["author"]]
        # None of these names has a particle or suffix: given = all words but the last.
        assert names == [(" ".join(n.split()[:-1]), n.split()[-1]) for n in expected["authors"]]
        assert item["type"] == "article"
        assert "title" not in item and "issued" not in item  # never invented
        # LaTeX decoding may turn the prose "--" into an en dash; nothing else may change.
        plain = re.sub(r"<[^>]+>", "", item["abstract"]).replace("--", "\u2013")
        for fragment in _latex_free_fragments(expected["abstract"]):
            assert fragment.replace("--", "\u2013") in plain
    first = {(a["given"], a["family"]) for a in items[0]["author"]}
    assert len(items[0]["author"]) == 24
    assert {("Atılım Güneş", "Baydin"), ("Yuval Noah", "Harari"), ("Sören", "Mindermann"), ("Ya-Qin", "Zhang")} <= first
    assert ("Shai", "Shalev-Shwartz") in {(a["given"], a["family"]) for a in items[2]["author"]}
    banner = text.splitlines()[0]
    assert "extension" not in result.stdout and "add-on" not in result.stdout and banner[:20] not in result.stdout
    # One warning per record, with the line of the record's authors line.
    warnings = [ln for ln in result.stderr.splitlines() if "(listing.incomplete)" in ln]
    assert len(warnings) == 9
    lines = text.splitlines()
    author_lines, start = [], 0
    for record in raw:
        start = lines.index(", ".join(record["authors"]), start) + 1
        author_lines.append(start)
    assert [int(w.split(":")[1]) for w in warnings] == author_lines
    assert all("no title and no year" in w for w in warnings)
    assert result.returncode == 1  # problems were reported


@pytest.mark.corpus
def test_real_page_latex_in_abstracts():
    lib = bibtools.load_file(PAGE)
    subtuning = lib.items[1].fields["abstract"]
    assert "$AC^0$" in lib.items[7].fields["abstract"]  # math kept
    assert "<i>subset finetuning</i>" in subtuning and "\\emph" not in subtuning


RICH_TAG = re.compile(r'</?(?:i|b|sup|sub)>|<span (?:class="nocase"|style="font-variant:small-caps;")>|</span>')


@pytest.mark.corpus
def test_real_page_citation_command_is_kept_as_meaning():
    lib = bibtools.load_file(PAGE)
    abstract = lib.items[4].fields["abstract"]
    assert "nakkiran2020distributional" in abstract
    # Only the model's rich-text tags may look like markup.
    assert not re.search(r"<[^>]*>", RICH_TAG.sub("", abstract))


def test_fixture_with_titles_venues_and_links():
    lib = bibtools.load_file(FIXTURES / "listing-with-titles.txt")
    items = lib.items
    assert [i.title for i in items] == [
        "SubTuning: Efficient Finetuning for Multi-Task Learning",
        "The Connection Between Approximation, Depth Separation and Learnability in Neural Networks",
        "Computational Separation Between Convolutional and Fully-Connected Networks",
        "On the Ethics of Listings",
        "Hardness of Learning Neural Networks with Natural Weights",
    ]
    assert [i.year for i in items] == [2023, 2021, 2021, 2019, None]
    assert all(i.id for i in items) and len({i.id for i in items}) == len(items)  # keys come from the key pass
    # The reader leaves keys to the key pass (none of our business here).
    assert all(i.id == "" for i in bibtools.load_file(FIXTURES / "listing-with-titles.txt", passes=()))
    sub = items[0]
    assert sub.type == "article" and sub["publisher"] == "arXiv" and sub["number"] == "arXiv:2302.06354"
    assert sub.extra["eprint"] == "2302.06354" and sub.extra["archiveprefix"] == "arXiv"
    assert sub["URL"] == "https://arxiv.org/abs/2302.06354v2"
    assert [(n.given, n.family) for n in sub.authors][-2:] == [("Shai", "Shalev-Shwartz"), ("Eran", "Malach")]
    colt = items[1]
    assert colt.type == "paper-conference" and colt["container-title"] == "COLT"
    assert colt["DOI"] == "10.48550/arxiv.2102.00434" and colt.extra["eprint"] == "2102.00434"
    assert colt["URL"] == "https://github.com/example/depth"
    assert items[2].type == "paper-conference" and items[2]["container-title"] == "ICLR"
    assert [n.family for n in items[2].authors] == ["Malach", "Shalev-Shwartz"]
    jmlr = items[3]
    assert jmlr.type == "article-journal" and jmlr["container-title"] == "Journal of Machine Learning Research"
    assert jmlr["DOI"] == "10.5555/jmlr.2019.42"
    assert jmlr.authors[0].non_dropping_particle == "van de" and jmlr.authors[1].suffix == "III"
    assert jmlr["abstract"] == "A short abstract that mentions 2019 once. It has two sentences."
    assert items[4]["abstract"] == "We prove hardness of learning depth-2 networks with natural weights."
    incomplete = [d for d in lib.diagnostics if d.code == "listing.incomplete"]
    assert [(d.line, "no year" in d.message, "no title" in d.message) for d in incomplete] == [(38, True, False)]
    assert not any("extension" in str(v) for i in items for v in i.fields.values())


@pytest.mark.parametrize("line, label", [
    ("Via", "via"),
    ("Via Semantic Scholar", "via"),
    ("Via gradient descent, we show that deep networks learn parities. This is new.", "abstract"),
    ("Get our free extension to see links to code for papers anywhere online!Free add-on", "banner"),
    ("Eran Malach, Shai Shalev-Shwartz", "authors"),
    ("Yoshua Bengio, Geoffrey Hinton and Andrew Yao", "authors"),
    ("ICLR 2021", "venue"),
    ("arXiv preprint arXiv:2302.06354, 2023", "venue"),
    ("Advances in Neural Information Processing Systems 33, 2020", "venue"),
    ("https://arxiv.org/abs/2302.06354", "link"),
    ("Learning to Reason with Neural Networks", "title"),
])
def test_line_classifiers(line, label):
    assert classify(line)[0] == label


def test_unclosed_last_record_is_kept_and_noted():
    text = "Ada Lovelace, Charles Babbage\n\nWe describe an engine that computes Bernoulli numbers with punched cards. It works.\n"
    lib = bibtools.load_string(text, "listing")
    assert len(lib) == 1 and lib.items[0].authors[0].family == "Lovelace"
    assert {"listing.unclosed", "listing.incomplete"} <= {d.code for d in lib.diagnostics}


def test_sniff_picks_listing_and_not_for_json():
    assert bibtools.registry.detect(PAGE.read_text(encoding="utf-8") if PAGE.exists() else
                                    (FIXTURES / "listing-with-titles.txt").read_text()).name == "listing"
    assert bibtools.registry.detect('[{"id": "a", "type": "book", "title": "T"}]').name == "csljson"


def test_unrecognised_site_prose_before_the_first_record_is_skipped():
    text = (
        "Welcome back. This page lists every paper we could find for this author, newest first. Enjoy browsing.\n\n"
        "Eran Malach, Shai Shalev-Shwartz\n\n"
        "We show a class of problems that can be solved by convolutional networks. It is hard for fully-connected ones.\n\nVia\n"
    )
    lib = bibtools.load_string(text, "listing")
    assert len(lib) == 1
    assert "Welcome" not in lib.items[0]["abstract"] and lib.items[0]["abstract"].startswith("We show")
    assert "listing.banner" in {d.code for d in lib.diagnostics}


def test_a_dialect_is_one_more_classifier():
    from bibtools.formats.listing import CLASSIFIERS

    def classify_source(line):  # a site that closes records with "Source: <site>"
        return ("via", 1.0) if line.startswith("Source:") else ("via", 0.0)

    text = ("Eran Malach, Shai Shalev-Shwartz\n\nWe show a separation between convolutional and fully-connected "
            "networks. It is computational.\n\nSource: Example Index\n\nGal Kaplun, Eran Malach\n\n"
            "We study finetuning of a subset of layers. It works well.\n\nSource: Example Index\n")
    assert len(bibtools.load_string(text, "listing")) == 1  # the default dialect sees one unclosed record
    lib = bibtools.load_string(text, "listing", classifiers=CLASSIFIERS + (classify_source,))
    assert [i.authors[0].family for i in lib] == ["Malach", "Kaplun"]
    assert "listing.unclosed" not in {d.code for d in lib.diagnostics}


def test_scholar_style_venue_lines_give_volume_issue_pages():
    lib = bibtools.load_file(FIXTURES / "listing-scholar-style.txt")
    nature, pra = lib.items
    assert (nature.title, nature.year, nature.type) == ("Deep learning", 2015, "article-journal")
    assert (nature["container-title"], nature["volume"], nature["issue"], nature["page"]) == ("Nature", "521", "7553", "436\u2013444")
    assert nature["DOI"] == "10.1038/nature14539"
    assert [n.family for n in nature.authors] == ["LeCun", "Bengio", "Hinton"]
    assert (pra["container-title"], pra["volume"], pra["issue"], pra["page"]) == ("Physical Review A", "106", "2", "022212")
    assert [n.family for n in pra.authors] == ["Donadi", "Hossenfelder"]  # the cut-off list is not extended
    codes = [d.code for d in lib.diagnostics]
    assert "listing.authors-truncated" in codes and "listing.incomplete" not in codes


def _written_order(name):
    return " ".join(p for p in (name.given, name.non_dropping_particle, name.family, name.suffix) if p)


def test_listing_names_are_given_first_even_when_they_look_family_first(fixtures):
    """Issue 12: an author page writes every name given-first; "Li Fei-Fei" is no exception."""
    library = bibtools.load(str(fixtures / "listing-given-first.txt"), "listing")
    assert len(library) == 3
    first, second, third = library.items
    assert [(n.given, n.family) for n in first.authors] == [
        ("Jia", "Deng"), ("Wei", "Dong"), ("Richard", "Socher"), ("Li-Jia", "Li"), ("Kai", "Li"), ("Li", "Fei-Fei")]
    assert [(n.given, n.family) for n in second.authors] == [("Andrej", "Karpathy"), ("Li", "Fei-Fei")]
    assert [(n.given, n.non_dropping_particle, n.family, n.suffix) for n in third.authors] == [
        ("Zhang", None, "San-Feng", None), ("Jan-Willem", "van de", "Meent", None), ("Hal", None, "Daumé", "III"),
        ("Wang", None, "Xiao-Ming", None)]


@pytest.mark.corpus
def test_real_page_names_keep_the_pages_given_first_order():
    text = PAGE.read_text(encoding="utf-8")
    written = [name for record in _raw_records(text) for name in record["authors"]]
    parsed = [n for item in bibtools.load(str(PAGE)).items for n in item.authors]
    assert len(parsed) == len(written) > 70
    assert [_written_order(n) for n in parsed] == [" ".join(w.split()) for w in written]
    assert all(n.given and n.family for n in parsed)  # every name on the page has both parts
