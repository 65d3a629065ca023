"""CSL-JSON -> BibLaTeX -> CSL-JSON keeps every variable BibLaTeX can hold
(Manubot and Better BibTeX CSL-JSON files of the shared corpora)."""
from __future__ import annotations

import re
from typing import Any

import pytest

import bibtools
from bibtools.model import Date, Item, Name

from conftest import CORPORA

FILES = [
    "csl-json/bbt-export-fixtures-combined.csl.json",
    "csl-json/manubot-metaboverse-references.json",
    "csl-json/manubot-nature-news-references.json",
]
_WS = re.compile(r"\s+")


def _text(value: str) -> str:
    # BibTeX joins lines; en dashes in page ranges are written "--" and read back as "-"
    return _WS.sub(" ", value.replace("\u00a0", " ")).strip()


def _date(date: Date) -> dict[str, Any]:
    csl = date.to_csl()
    parts = csl.get("date-parts")
    # CSL-JSON's season months 13-16 and a ``season`` are the same date
    if parts and len(parts) == 1 and len(parts[0]) == 2 and 13 <= parts[0][1] <= 16:
        csl["date-parts"], csl["season"] = [parts[0][:1]], parts[0][1] - 12
    return csl


def _name(name: Name) -> dict[str, Any]:
    csl = {k: _text(v) if isinstance(v, str) else v for k, v in name.to_csl().items()}
    # BibTeX has one von part: dropping and non-dropping particles meet in it
    particles = [csl.pop(k) for k in ("dropping-particle", "non-dropping-particle") if k in csl]
    if particles:
        csl["particle"] = " ".join(particles)
    return csl


def _variables(item: Item) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for var, value in item.fields.items():
        if var == "citation-key" and value == item.id:
            continue
        if isinstance(value, Date):
            out[var] = _date(value)
        elif isinstance(value, list):
            out[var] = [_name(n) for n in value if n.family or n.given or n.literal]  # empty names say nothing
        elif var == "page":
            out[var] = re.sub(r"\s*[-\u2013\u2014]+\s*", "-", _text(value))
        else:
            out[var] = _text(value)
    return out


@pytest.mark.corpus
@pytest.mark.parametrize("relpath", FILES)
def test_csljson_to_biblatex_keeps_every_variable(relpath: str) -> None:
    source = bibtools.load(str(CORPORA / relpath), "csljson")
    losses: list = []
    text = bibtools.dump(source, "biblatex", losses=losses)
    back = bibtools.load_string(text, "biblatex")
    # the BBT file repeats ids across its source files, so duplicate keys are expected there
    problems = [d for d in back.problems if d.code != "bibtex.duplicate-key"]
    assert not problems, [str(d) for d in problems[:5]]
    assert back.keys() == source.keys()
    # what BibLaTeX cannot hold is reported, never silently dropped: here only entry types
    assert {d.code for d in losses} <= {"biblatex.loss"}
    assert all("entry type" in d.message for d in losses), [d.message for d in losses]
    for before, after in zip(source.items, back.items):
        assert _variables(after) == _variables(before), before.id


@pytest.mark.corpus
def test_csljson_to_biblatex_reports_type_losses() -> None:
    source = bibtools.load(str(CORPORA / FILES[0]), "csljson")
    losses: list = []
    bibtools.dump(source, "biblatex", losses=losses)
    newspaper = [d for d in losses if "article-newspaper" in d.message]
    assert newspaper and all(d.key for d in newspaper)
