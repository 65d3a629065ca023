"""arXiv Atom feeds: every recorded feed reads; entries checked against the raw XML."""
import re
import xml.etree.ElementTree as ET

import pytest

import bibtools
from conftest import CORPORA

FEEDS = CORPORA / "arxiv" / "arxiv.py-fixtures"
FILES = sorted(FEEDS.glob("*.xml")) if FEEDS.is_dir() else []
NS = {"a": "http://www.w3.org/2005/Atom", "x": "http://arxiv.org/schemas/atom"}


def _ws(text):
    return " ".join((text or "").split())


def _unlatex(text):
    return re.sub(r"<[^>]+>", "", text).replace("--", "\u2013")


@pytest.mark.corpus
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_feed_reads_and_matches_the_xml(path):
    lib = bibtools.load_file(path)
    assert bibtools.registry.detect(path.read_text(encoding="utf-8"), str(path)).name == "arxiv"
    entries = ET.parse(path).getroot().findall("a:entry", NS)
    real = [e for e in entries if "/api/errors" not in e.findtext("a:id", namespaces=NS)]
    assert len(lib) == len(real)
    assert len([d for d in lib.diagnostics if d.code == "arxiv.api-error"]) == len(entries) - len(real)
    bibtools.dump(lib, "csljson")
    for item, entry in zip(lib.items, real):
        m = re.search(r"abs/(.+?)(?:v(\d+))?$", entry.findtext("a:id", namespaces=NS))
        assert item.extra["eprint"] == m.group(1) and item.extra["archiveprefix"] == "arXiv"
        assert item["number"] == f"arXiv:{m.group(1)}" and item["publisher"] == "arXiv" and item.type == "article"
        if m.group(2):
            assert item["version"] == m.group(2)
        # LaTeX in titles may be decoded (math in a nocase span, "--" -> en dash); the words stay.
        assert _unlatex(item.title) == _unlatex(_ws(entry.findtext("a:title", namespaces=NS)))
        assert item.year == int(entry.findtext("a:published", namespaces=NS)[:4])
        raw_names = [_ws(a.findtext("a:name", namespaces=NS)) for a in entry.findall("a:author", NS)]
        # Initials gain their dots ("Thomas J Ostrand" -> given "Thomas J."); nothing else changes.
        rebuilt = [" ".join(p for p in (n.given, n.non_dropping_particle, n.family, n.suffix) if p) for n in item.authors]
        # and "Koushik MV" is read PubMed-style (family "Koushik", given "M. V."): compare the letters.
        assert [sorted(r.replace(".", "").replace(" ", "")) for r in rebuilt] == [sorted(r.replace(".", "").replace(" ", "")) for r in raw_names]
        for name, raw in zip(item.authors, raw_names):
            words = raw.split()
            pubmed = re.fullmatch(r"[A-Z]{1,3}", words[-1])
            assert name.family == words[0] if pubmed else name.family.endswith(words[-1])
        doi = entry.findtext("x:doi", namespaces=NS)
        assert item.get("DOI") == (doi.strip().lower() if doi else None)
        ref = entry.findtext("x:journal_ref", namespaces=NS)
        assert item.extra.get("journal_ref") == (_ws(ref) if ref else None)
        assert item.extra["primaryclass"] == entry.find("x:primary_category", NS).get("term")
        assert item.id  # arXiv has no native keys: the key pass names every item


@pytest.mark.corpus
def test_old_style_ids_and_versions():
    lib = bibtools.load_file(next(FEEDS.glob("id_quant-ph_0201082v1_*.xml")))
    item = lib.items[0]
    assert item.extra["eprint"] == "quant-ph/0201082" and item["version"] == "1"
    assert item["URL"] == "https://arxiv.org/abs/quant-ph/0201082v1"
    astro = bibtools.load_file(next(FEEDS.glob("id_astro-ph_0601001_*.xml"))).items[0]
    assert astro.extra["journal_ref"] == "ActaAstron.56:1-50,2006"
    assert [n.family for n in astro.authors] == ["Gould", "Dorsher", "Gaudi", "Udalski"]
    assert astro.authors[2].given == "B. Scott"
    assert astro["note"].startswith("62 pages including 16 figures")


@pytest.mark.corpus
def test_error_entry_is_reported_not_an_item():
    lib = bibtools.load_file(next(FEEDS.glob("id_abc_*.xml")))
    assert len(lib) == 0
    (diag,) = [d for d in lib.diagnostics if d.code == "arxiv.api-error"]
    assert "incorrect id format for abc" in diag.message and diag.line == 9


def test_entities_are_never_expanded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    feed = f"""<?xml version="1.0"?>
<!DOCTYPE feed [<!ENTITY x SYSTEM "file://{secret}"><!ENTITY y "boom">]>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
<entry><id>http://arxiv.org/abs/2101.00001v1</id><title>T &x; &y;</title>
<published>2021-01-01T00:00:00Z</published><summary>S</summary><author><name>A B</name></author></entry></feed>"""
    lib = bibtools.load_string(feed, "arxiv")
    text = bibtools.dump(lib, "csljson")
    assert "TOPSECRET" not in text and "boom" not in text


def test_malformed_feed_is_reported():
    lib = bibtools.load_string("<feed xmlns='http://www.w3.org/2005/Atom'><entry>", "arxiv", source="f.xml")
    assert [d.code for d in lib.diagnostics] == ["arxiv.syntax"] and lib.diagnostics[0].source == "f.xml"
