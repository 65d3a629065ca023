"""Web of Science field-tagged exports: detected apart from RIS, read into the model."""
from __future__ import annotations

import re

import pytest

import bibtools
from bibtools.formats import ris, wos

from conftest import CORPORA

WOS_FILE = CORPORA / "ris" / "rispy-tests-data" / "example_wos.ris"


@pytest.mark.corpus
def test_wos_file_is_detected_and_read_despite_its_ris_suffix():
    text = WOS_FILE.read_text(encoding="utf-8-sig")
    assert wos.sniff(text) > 0.9 and ris.sniff(text) == 0.0
    library = bibtools.load_file(WOS_FILE)  # .ris suffix, WoS content: content wins
    assert {item.origin.format for item in library} == {"wos"}
    raw = re.split(r"^ER\s*$", text, flags=re.M)[:-1]
    assert len(library.items) == len(raw) == 2
    for chunk, item in zip(raw, library.items):
        title = re.search(r"^TI (.*(?:\n   .*)*)", chunk, re.M).group(1)
        assert item.title == " ".join(title.split())
        full_names = re.search(r"^AF (.*(?:\n   .*)*)", chunk, re.M).group(1).split("\n")
        assert [f"{n.family}, {n.given}" for n in item.authors] == [n.strip() for n in full_names]
        assert item.year == int(re.search(r"^PY (\d{4})", chunk, re.M).group(1))
        assert item.fields["container-title"] == re.search(r"^SO (.*)$", chunk, re.M).group(1)
        assert item.fields["DOI"] == re.search(r"^DI (.*)$", chunk, re.M).group(1)
        pages = [re.search(rf"^{t} (.*)$", chunk, re.M).group(1) for t in ("BP", "EP")]
        assert item.fields["page"] == "\u2013".join(pages)  # the normalize pass puts an en dash in ranges
        assert item.extra["UT"].startswith("WOS:")
        assert item.id  # named by the key pass


def test_wos_types_dates_and_broken_records():
    text = (
        "FN Clarivate Analytics Web of Science\nVR 1.0\n"
        "PT S\nAU Doe, J\nTI A proceedings paper\nSO LECTURE NOTES\nDT Proceedings Paper\nPY 2019\nPD SPR\nAR 42\nER\n"
        "stray line\n"
        "PT J\nAU Roe, R\nTI Unfinished\nPY 2020\nPD JUN 15\n"
    )
    library = wos.read(text, source="s.txt")
    first, second = library.items
    assert first.type == "paper-conference" and first.issued.season == 1 and first.fields["page"] == "42"
    assert second.type == "article-journal" and second.issued.parts == ((2020, 6, 15),)
    codes = {d.code: d.line for d in library.diagnostics}
    assert codes["wos.missing-er"] == 13 and codes["wos.stray-text"] == 12
    assert ris.read(text).diagnostics[0].code == "ris.wos"
