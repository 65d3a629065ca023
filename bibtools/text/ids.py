"""Identifiers: DOI, arXiv id, ISBN, ISSN, PMID/PMCID, page ranges.

Pure, fast functions. ``normalize_*`` return the cleaned form or ``None`` when
the text holds no such identifier; ``*_valid`` check checksums.
"""
from __future__ import annotations

import re
from typing import NamedTuple
from urllib.parse import unquote

# --- DOI ----------------------------------------------------------------------

_DOI_PREFIX = re.compile(
    r"^\s*(?:(?:https?://)?(?:dx\.|www\.)?doi\.org/|doi\s*[:/]\s*|urn:doi:|info:doi/)", re.IGNORECASE
)
_DOI_IN_URL = re.compile(r"/(10\.\d{3,9}(?:\.\d+)*/[^\s?#]+)")
_DOI = re.compile(r"^10(?:\.\d{3,9}(?:\.\d+)*/\S+|/[a-z0-9]+)$", re.IGNORECASE)  # also shortDOI "10/abcd"


def normalize_doi(text: str) -> str | None:
    """"https://doi.org/10.1000/ABC" / "doi:10.1000/abc" -> "10.1000/abc"; ``None`` if not a DOI."""
    value = _DOI_PREFIX.sub("", text.strip())
    if value[:4].lower() == "http":  # other resolvers: doi.acm.org/10..., publisher pages with the DOI in the path
        found = _DOI_IN_URL.search(value)
        if found is None:
            return None
        value = found.group(1)
    if "%" in value:
        value = unquote(value)
    value = value.strip().rstrip(".")
    if not _DOI.match(value):
        return None
    return value.lower()


# --- arXiv --------------------------------------------------------------------

class ArxivId(NamedTuple):
    id: str  # "2302.06354", "astro-ph/0601001"
    version: int | None = None

    def __str__(self) -> str:
        return self.id if self.version is None else f"{self.id}v{self.version}"


_NEW_ID = r"\d{4}\.\d{4,5}"
_OLD_ID = r"[a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7}"
_ARXIV_ID = re.compile(rf"^(?:arxiv:)?({_NEW_ID}|{_OLD_ID})(?:v(\d+))?$", re.IGNORECASE)
_ARXIV_IN_TEXT = re.compile(
    rf"(?:arxiv\.org/(?:abs|pdf|html)/|arxiv[:\s.]\s*|10\.48550/arxiv\.)({_NEW_ID}|{_OLD_ID})(?:v(\d+))?",
    re.IGNORECASE,
)


def parse_arxiv_id(text: str) -> ArxivId | None:
    """A bare id ("2302.06354v2", "arXiv:astro-ph/0601001") -> ``ArxivId``."""
    m = _ARXIV_ID.match(text.strip())
    if not m:
        return None
    return ArxivId(_fix_old_case(m.group(1)), int(m.group(2)) if m.group(2) else None)


def find_arxiv_id(text: str) -> ArxivId | None:
    """An arXiv id inside a DOI (10.48550/arXiv.X), URL (abs/pdf), or "arXiv:X" text."""
    lower = text.lower()
    if "arxiv" not in lower and "48550" not in lower:
        return parse_arxiv_id(text)
    m = _ARXIV_IN_TEXT.search(text)
    if not m:
        return parse_arxiv_id(text)
    return ArxivId(_fix_old_case(m.group(1)), int(m.group(2)) if m.group(2) else None)


def _fix_old_case(arxiv_id: str) -> str:
    if "/" not in arxiv_id:
        return arxiv_id
    archive, number = arxiv_id.split("/", 1)
    head, _, sub = archive.partition(".")
    return f"{head.lower()}.{sub.upper()}/{number}" if sub else f"{head.lower()}/{number}"


def arxiv_doi(arxiv_id: str) -> str:
    """The DataCite DOI arXiv assigns to a (new-style, version-less) id."""
    return f"10.48550/arxiv.{arxiv_id}".lower()


# --- pages --------------------------------------------------------------------

_RANGE = re.compile(r"^\s*([A-Za-z]{0,3}\d+[A-Za-z]?)\s*(?:-{1,3}|[\u2010-\u2015\u2212])\s*([A-Za-z]{0,3}\d+[A-Za-z]?)\s*$")
_DASHES = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212")


def normalize_pages(text: str) -> str:
    """Page ranges with an en dash: "1-50", "1--50", "e12 — e19" -> "1–50", "e12–e19".

    Lists ("1-5, 9-12") are handled piece by piece; anything else is kept as it is.
    """
    if not any(c in _DASHES for c in text):
        return text.strip()
    if "," in text:
        return ", ".join(normalize_pages(p) for p in text.split(","))
    m = _RANGE.match(text)
    if not m:
        return text.strip()
    return f"{m.group(1)}\u2013{m.group(2)}"


# --- ISBN / ISSN --------------------------------------------------------------

_ISBN_CHARS = re.compile(r"[\s\-\u2010-\u2013]")
_ISBN_PREFIX = re.compile(r"^ISBN(?:-1[03])?\s*:?\s*", re.IGNORECASE)


def compact_isbn(text: str) -> str:
    """"ISBN 978-3-16-148410-0" -> "9783161484100" (no check)."""
    value = _ISBN_PREFIX.sub("", text.strip())
    return _ISBN_CHARS.sub("", value).upper()


def isbn_valid(text: str) -> bool:
    value = compact_isbn(text)
    if len(value) == 10 and value[:9].isdigit() and (value[9].isdigit() or value[9] == "X"):
        total = sum((10 - i) * int(c) for i, c in enumerate(value[:9]))
        total += 10 if value[9] == "X" else int(value[9])
        return total % 11 == 0
    if len(value) == 13 and value.isdigit():
        total = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(value))
        return total % 10 == 0
    return False


def isbn10_to_13(isbn10: str) -> str:
    core = "978" + compact_isbn(isbn10)[:9]
    check = (10 - sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(core)) % 10) % 10
    return core + str(check)


_ISSN = re.compile(r"^(?:ISSN:?\s*)?(\d{4})\s*[-\u2010-\u2013]{0,2}\s*(\d{3}[\dXx])$", re.IGNORECASE)
_ISSN_IN_TEXT = re.compile(r"(?<![\dXx])(\d{4})\s*[-\u2010-\u2013]{0,2}\s*(\d{3}[\dXx])(?![\dXx])")


def find_issns(text: str) -> list[str]:
    """Every ISSN-shaped number in free text ("0377-2217 (print) 1872-6860 (electronic)")."""
    return [f"{a}-{b.upper()}" for a, b in _ISSN_IN_TEXT.findall(text)]


def normalize_issn(text: str) -> str | None:
    """"issn 0028 0836" / "00280836" -> "0028-0836"; ``None`` if it does not look like an ISSN."""
    m = _ISSN.match(text.strip())
    if not m:
        return None
    return f"{m.group(1)}-{m.group(2).upper()}"


def issn_valid(text: str) -> bool:
    value = normalize_issn(text)
    if value is None:
        return False
    digits = value.replace("-", "")
    total = sum((8 - i) * int(c) for i, c in enumerate(digits[:7]))
    check = (11 - total % 11) % 11
    return digits[7] == ("X" if check == 10 else str(check))


# --- PubMed -------------------------------------------------------------------

_PMID = re.compile(r"^(?:pmid:?\s*)?(\d{1,9})$", re.IGNORECASE)
_PMCID = re.compile(r"^(?:pmcid:?\s*)?(?:pmc)?\s*(\d{1,9})$", re.IGNORECASE)


def normalize_pmid(text: str) -> str | None:
    m = _PMID.match(text.strip())
    return m.group(1).lstrip("0") or None if m else None


def normalize_pmcid(text: str) -> str | None:
    """"pmc123" / "PMCID: PMC123" -> "PMC123"."""
    m = _PMCID.match(text.strip())
    return f"PMC{m.group(1)}" if m else None
