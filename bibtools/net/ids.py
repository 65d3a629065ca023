"""Recognising DOIs and arXiv ids, bare or as URLs, and finding them on an item."""
from __future__ import annotations

import re
from urllib.parse import unquote

from ..model import Item

_DOI = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/|(?:dx\.)?doi\.org/)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)
_NEW_ARXIV = r"\d{4}\.\d{4,5}"
_OLD_ARXIV = r"[a-z][a-z.-]+(?:\.[A-Z]{2})?/\d{7}"
_ARXIV = re.compile(
    rf"^(?:arxiv:\s*|https?://(?:export\.|www\.)?arxiv\.org/(?:abs|pdf)/)?({_NEW_ARXIV}|{_OLD_ARXIV})(v\d+)?(?:\.pdf)?/?$",
    re.IGNORECASE,
)
# DataCite's DOIs for arXiv papers: the arXiv id in DOI clothing.
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$", re.IGNORECASE)


def doi_of(text: str) -> str | None:
    """The DOI in a bare DOI, ``doi:`` form or doi.org URL; ``None`` otherwise."""
    match = _DOI.match(unquote(text.strip()))
    return match.group(1).rstrip(".,;") if match else None


def arxiv_of(text: str, *, keep_version: bool = False) -> str | None:
    """The arXiv id in ``2310.17688``, ``arXiv:2310.17688v2``, ``astro-ph/0601001`` or an abs/pdf URL."""
    match = _ARXIV.match(text.strip())
    if not match:
        return None
    return match.group(1) + ((match.group(2) or "") if keep_version else "")


def classify(text: str) -> tuple[str, str] | None:
    """``("doi", doi)`` or ``("arxiv", id)`` for an identifier a user typed; ``None`` if neither."""
    arxiv = arxiv_of(text)
    if arxiv:
        return "arxiv", arxiv
    doi = doi_of(text)
    if doi:
        inner = _ARXIV_DOI.match(doi)
        if inner and arxiv_of(inner.group(1)):
            return "arxiv", arxiv_of(inner.group(1)) or ""
        return "doi", doi
    return None


def item_doi(item: Item) -> str | None:
    """The item's publisher DOI (an arXiv DataCite DOI does not count: it names the preprint)."""
    value = item.get("DOI")
    doi = doi_of(value) if isinstance(value, str) else None
    if doi and not _ARXIV_DOI.match(doi):
        return doi
    return None


def item_arxiv(item: Item) -> str | None:
    """The item's arXiv id, wherever a reader put it (eprint, number, DOI, URL, note)."""
    prefix = (item.extra.get("archiveprefix") or item.extra.get("archivePrefix") or item.extra.get("eprinttype") or "").lower()
    eprint = item.extra.get("eprint") or item.extra.get("arxiv") or item.extra.get("arxivid")
    if eprint and (prefix in ("", "arxiv")):
        found = arxiv_of(eprint)
        if found:
            return found
    publisher = str(item.get("publisher") or item.get("archive") or "").lower()
    number = item.get("number")
    if isinstance(number, str) and "arxiv" in publisher:
        found = arxiv_of(number)
        if found:
            return found
    doi = item.get("DOI")
    if isinstance(doi, str):
        inner = _ARXIV_DOI.match(doi_of(doi) or "")
        if inner:
            return arxiv_of(inner.group(1))
    url = item.get("URL")
    if isinstance(url, str) and "arxiv.org/" in url:
        return arxiv_of(url)
    for var in ("note", "archive_location"):
        value = item.get(var)
        if isinstance(value, str):
            match = re.search(rf"arXiv:\s*({_NEW_ARXIV}|{_OLD_ARXIV})", value, re.IGNORECASE)
            if match:
                return match.group(1)
    return None
