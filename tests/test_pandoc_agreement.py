"""BibTeX -> CSL-JSON against pandoc's own reading (``pandoc -f biblatex -t csljson``), issue 12.

Over every entry of ``../shared/corpora/reference/*.bib`` that pandoc reads, four checks:
type, title, first author, year. Normalisation, the same for both sides: markup tags
and math dollars dropped (pandoc writes math as bare TeX), typographic quotes and
dashes as ASCII, case folded (pandoc turns English titles into sentence case, the
CSL convention), white space collapsed, a final period dropped. pandoc's ``"type": ""``
(no CSL type: @misc, @nameonly...) is CSL's generic ``document``.

Where bibtools differs from pandoc on purpose, the difference is recognised by a rule
with its reason (``DELIBERATE``), never by entry name; every rule must still match
something (no stale excuses), and what no rule explains counts against the 97%.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import bibtools
from bibtools.model import Item

from conftest import CORPORA

pytestmark = [pytest.mark.pandoc, pytest.mark.corpus,
              pytest.mark.skipif(shutil.which("pandoc") is None, reason="needs pandoc (Debian package pandoc)")]

_TAG = re.compile(r"<[^>]+>")
_ASCII = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
                        "\u00a0": " ", "\u2009": " ", "$": None})


def norm(text: Any) -> str | None:
    if not isinstance(text, str):
        return None
    text = unicodedata.normalize("NFC", _TAG.sub("", text)).translate(_ASCII)
    return " ".join(text.casefold().split()).rstrip(".") or None


def first_author(csl: dict[str, Any]) -> str | None:
    names = csl.get("author") or []
    if not names:
        return None
    n = names[0]
    if "literal" in n:
        return norm(n["literal"])
    return norm(" ".join(n[k] for k in ("given", "dropping-particle", "non-dropping-particle", "family") if n.get(k)))


def year(csl: dict[str, Any]) -> str | None:
    issued = csl.get("issued") or {}
    parts = issued.get("date-parts")
    if parts and parts[0]:
        return str(parts[0][0])
    return issued.get("literal")


CHECKS: dict[str, Callable[[dict[str, Any]], str | None]] = {
    "type": lambda c: c.get("type") or "document",
    "title": lambda c: norm(c.get("title")),
    "author": first_author,
    "year": year,
}

# (check, native entry type) -> reason: type readings where citation-js (the other reference
# converter, tests/test_bibtex_citationjs.py) reads as bibtools does, or CSL 1.0.2 has the type.
_TYPE_REASONS: dict[str, str] = {
    "manual": "citation-js reads @manual as report (a manual is a report-like document); pandoc: book",
    "booklet": "citation-js reads @booklet as book; pandoc: pamphlet",
    "bookinbook": "citation-js reads @bookinbook as book (a book printed inside another); pandoc: chapter",
    "periodical": "citation-js reads @periodical (a whole issue) as periodical; pandoc: article-journal",
    "inreference": "citation-js reads @inreference as entry; pandoc: entry-encyclopedia",
    "unpublished": "citation-js reads @unpublished as manuscript; pandoc 2.17 makes one with an event a speech",
    "software": "CSL 1.0.2 has software; pandoc 2.17 predates it (book)",
    "standard": "CSL 1.0.2 has standard; pandoc 2.17 predates it (legislation)",
    "performance": "CSL 1.0.2 has performance; pandoc 2.17 predates it (speech)",
    "conference": "@conference is BibTeX's @inproceedings; pandoc 2.17's biblatex reader gives it no type",
}
_DROPPED_MACROS = re.compile(r"\\?\b(?:bibtex|latex2e|latex|xelatex|tex|metafont)\b", re.I)


def _titleaddon_joined(item: Item, ours: str | None, theirs: str | None, parents: list[str | None]) -> bool:
    addon = norm(str(item.extra.get("titleaddon", "")))
    return bool(addon and ours and theirs and theirs in (f"{ours}. {addon}", f"{ours} {addon}"))


def _maintitle_as_title(item: Item, ours: str | None, theirs: str | None, parents: list[str | None]) -> bool:
    main = item.extra.get("maintitle") or item.fields.get("container-title") or item.fields.get("collection-title")
    return bool(theirs and theirs == norm(str(main or "")))


def _macro_dropped(item: Item, ours: str | None, theirs: str | None, parents: list[str | None]) -> bool:
    return bool(ours and theirs is not None and " ".join(_DROPPED_MACROS.sub("", ours).split()) == theirs and ours != theirs)


def _literal_year_kept(item: Item, ours: str | None, theirs: str | None, parents: list[str | None]) -> bool:
    return theirs is None and ours is not None and not ours.lstrip("-").isdigit()


def _bibstring_kept(item: Item, ours: str | None, theirs: str | None, parents: list[str | None]) -> bool:
    return bool(ours and "\\bibstring" in ours)


def _inherited_as_biblatex_does(item: Item, ours: str | None, theirs: str | None, parents: list[str | None]) -> bool:
    """pandoc gives the child its crossref/xdata parent's title, author or date as they are;
    biber renames them by the manual's table (title -> maintitle/booktitle, author -> bookauthor)."""
    return theirs is not None and theirs in parents


def _type_reason(item: Item, ours: str | None, theirs: str | None, parents: list[str | None]) -> bool:
    return (item.origin.native_type or "").lower() in _TYPE_REASONS


DELIBERATE: dict[str, tuple[str, Callable[[Item, str | None, str | None, list[str | None]], bool]]] = {
    "type": ("entry types: see _TYPE_REASONS", _type_reason),
    "titleaddon": ("pandoc appends titleaddon to the title; bibtools keeps it apart (CSL has no such variable; citation-js "
                   "does the same)", _titleaddon_joined),
    "maintitle": ("pandoc makes the multi-volume work's maintitle, the series or the container (the album of a song, the "
                  "show of an episode) the title; bibtools keeps the "
                  "volume's own title", _maintitle_as_title),
    "macro": ("pandoc drops the logo macros \\BibTeX, \\LaTeXe, \\XeLaTeX, \\METAFONT; bibtools keeps the word", _macro_dropped),
    "literal-year": ("a year that is not a number ('c1988', '1947(民国三十六年)', 'submitted for publication') is kept "
                     "as a literal date; pandoc leaves the date out", _literal_year_kept),
    "bibstring": ("\\bibstring{key} is kept as written (biblatex localises it at print time); pandoc prints the English "
                  "string", _bibstring_kept),
    "inheritance": ("crossref/xdata children inherit by biblatex's renaming rules (pandoc copies fields unchanged)",
                    _inherited_as_biblatex_does),
}
_APPLIES_TO = {"type": ("type",), "titleaddon": ("title",), "maintitle": ("title",), "macro": ("title",),
               "literal-year": ("year",), "bibstring": ("title",), "inheritance": ("title", "author", "year")}


def _parent_keys(item: Item) -> list[str]:
    return [k.strip() for field in ("crossref", "xref", "xdata") for k in str(item.extra.get(field, "")).split(",") if k.strip()]


def _pandoc(path: Path) -> list[dict[str, Any]]:
    """pandoc's CSL-JSON for a file; an entry pandoc cannot parse (a key with U+FF0C in the
    GB/T 7714 examples) is taken out and the rest read again."""
    text = path.read_text("utf-8")
    for _ in range(200):
        proc = subprocess.run(["pandoc", "-f", "biblatex", "-t", "csljson"], input=text.encode(), capture_output=True, timeout=300)
        if proc.returncode == 0:
            return json.loads(proc.stdout)
        where = re.search(r"line (\d+)", proc.stderr.decode("utf-8", "replace"))
        assert where, proc.stderr[:300]
        lines = text.split("\n")
        start = end = int(where.group(1)) - 1
        while start > 0 and not lines[start].lstrip().startswith("@"):
            start -= 1
        end += 1
        while end < len(lines) and not lines[end].lstrip().startswith("@"):
            end += 1
        text = "\n".join(lines[:start] + lines[end:])
    raise AssertionError(f"pandoc kept failing on {path}")


def test_bibtex_to_csljson_agrees_with_pandoc() -> None:
    files = sorted((CORPORA / "reference").glob("*.bib"))
    assert len(files) == 7
    checks = agreed = explained = 0
    used: Counter[str] = Counter()
    unexplained: list[str] = []
    for path in files:
        library = bibtools.load(str(path))
        ours = {c["id"]: c for c in json.loads(bibtools.dump(library, "csljson"))}
        for theirs in _pandoc(path):
            key = theirs["id"]
            assert key in ours, f"{path.name}: pandoc read {key!r}, bibtools did not"
            item = library[key]
            for check, get in CHECKS.items():
                checks += 1
                a, b = get(ours[key]), get(theirs)
                if a == b:
                    agreed += 1
                    continue
                parents = [get(ours[p]) for p in _parent_keys(item) if p in ours]
                reason = next((name for name, (_, rule) in DELIBERATE.items()
                               if check in _APPLIES_TO[name] and rule(item, a, b, parents)), None)
                if reason:
                    explained += 1
                    used[reason] += 1
                else:
                    unexplained.append(f"{path.name} {key} {check}: bibtools {a!r} / pandoc {b!r}")
    raw = agreed / checks
    with_reasons = (agreed + explained) / checks
    print(f"\n[pandoc] {checks} checks: {agreed} agree ({raw:.2%}); {explained} deliberate differences "
          f"({dict(used)}); {len(unexplained)} unexplained; agreement counting the deliberate ones {with_reasons:.2%}")
    for line in unexplained:
        print("[pandoc]   ", line[:200])
    assert checks > 7000
    assert raw >= 0.94, f"raw agreement {raw:.2%}"
    assert with_reasons >= 0.97, unexplained[:20]
    assert set(used) == set(DELIBERATE), f"reasons that explain nothing: {set(DELIBERATE) - set(used)}"
