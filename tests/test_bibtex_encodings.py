"""Encodings: the JabRef and biber test files load with the right accented characters."""
import pytest

import bibtools
from bibtools.textio import decode

from conftest import CORPORA

JABREF = CORPORA / "messy" / "jabref-encodings"
BIBER = CORPORA / "messy" / "biber-tdata"


@pytest.mark.corpus
@pytest.mark.parametrize("name, encoding, field, text", [
    ("encoding-utf-16BE-with-header.bib", "utf-16-be", "title", "Ü ist ein Umlaut"),
    ("encoding-utf-16BE-without-header.bib", "utf-16-be", "title", "Ü ist ein Umlaut"),
    ("encoding-utf-8-with-header.bib", "utf-8", "title", "Ü ist ein Umlaut"),
    ("encoding-windows-1252-with-header.bib", "windows-1252", "abstract", "25° C"),
    ("encoding-windows-1252-without-header.bib", "windows-1252", "abstract", "25° C"),
])
def test_jabref_encodings(name, encoding, field, text):
    data = (JABREF / name).read_bytes()
    assert decode(data).encoding == encoding
    lib = bibtools.load_file(JABREF / name)
    assert [item[field] for item in lib] == [text]


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["tiny-BE-noBOM.bib", "tiny-BE-withBOM.bib", "tiny-LE-noBOM.bib", "tiny-LE-withBOM.bib"])
def test_utf16_with_and_without_bom(name):
    lib = bibtools.load_file(JABREF / name)
    assert lib.strings == {"ACM-ad": "New York, NY, USA"}
    item = lib["Verwilghen+vanGalen+Wilke2011"]
    assert item.title == "Investigation of the best suture pattern to close a stuffed Christmas turkey"
    assert _has_van_galen(item)


def _has_van_galen(item):
    return any(n.family == "Galen" and n.non_dropping_particle == "van" for n in item.authors)


@pytest.mark.corpus
@pytest.mark.parametrize("number, key, title", [
    (1, "testŠ", "Šome title"),  # latin-9, declared in an Emacs "-*- coding:" line
    (2, "testŠ", "Šome title"),  # UTF-8
    (3, "test1", "Söme title"),  # latin-1
    (4, "test1", "Żome title"),  # latin-2
    (5, "test", "à titlé"),
])
def test_biber_encodings(number, key, title):
    lib = bibtools.load_file(BIBER / f"encoding{number}.bib")
    assert lib[key].title == title


@pytest.mark.corpus
def test_utf8_bom_and_no_trailing_newline():
    lib = bibtools.load_file(JABREF / "utf8-bom.bib")
    assert len(lib) == 2 and not lib.problems
    lib = bibtools.load_file(JABREF / "encodingWithoutNewline.bib")
    assert lib.preambles == ["testPreamble"] and lib.keys() == ["testArticle"]
