"""Lookups and searches on Crossref, arXiv, OpenAlex and Semantic Scholar.

Each function asks one service through the ``HttpClient`` and turns the
answer into candidate ``Item``s with the matching reader
(``load_string(text, "crossref")`` ...). Nothing here raises on a bad answer:
a ``Lookup`` says what happened (ok / not-found / offline-miss / error) and
carries the reader's diagnostics.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from .. import registry
from ..api import load_string
from ..diagnostics import Diagnostic, error
from ..model import Item, Library, Name
from . import ALL_SOURCES
from .http import FetchError, HttpClient, OfflineMiss

READER_FORMAT = {"crossref": "crossref", "arxiv": "arxiv", "openalex": "openalex", "s2": "semanticscholar"}
S2_FIELDS = "title,authors,year,abstract,externalIds,venue,journal,publicationDate,publicationTypes,url"


@dataclass
class Lookup:
    """What one question to one service produced."""

    service: str
    status: str  # "ok" | "not-found" | "offline-miss" | "error"
    items: list[Item] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    message: str = ""
    from_cache: bool = False


def _parse(service: str, text: str, source: str) -> Library:
    fmt = READER_FORMAT[service]
    try:
        return load_string(text, fmt, source=source)
    except registry.UnknownFormat:  # a trimmed-down install without that reader
        lib = Library()
        lib.diagnostics.append(error("enrich.no-reader", f"no reader for {fmt} answers is installed", source=source))
        return lib


def _ask(client: HttpClient, service: str, path: str, params: dict[str, Any] | None = None) -> Lookup:
    try:
        answer = client.get(service, path, params)
    except OfflineMiss as miss:
        return Lookup(service, "offline-miss", message=str(miss))
    except FetchError as exc:
        return Lookup(service, "error", message=str(exc))
    if answer.status in (400, 404, 410):
        # arXiv answers a bad id with 400 and an error entry: both mean "no such record"
        return Lookup(service, "not-found", message=f"HTTP {answer.status} for {path}", from_cache=answer.from_cache)
    if not answer.ok:
        return Lookup(service, "error", message=f"HTTP {answer.status} for {path}", from_cache=answer.from_cache)
    library = _parse(service, answer.text, f"{service}:{path}")
    items = [item for item in library.items if item.title or item.authors]
    if items:
        status = "ok"
    else:  # an answer we could not read is an error; an empty list (a warning) is "not found"
        failed = library.errors or any(d.code.endswith("api-error") for d in library.diagnostics)
        status = "error" if failed else "not-found"
    return Lookup(service, status, items, list(library.diagnostics), from_cache=answer.from_cache)


# -- by identifier -------------------------------------------------------------
def _doi_path(doi: str) -> str:
    return quote(doi, safe="/:;()._-")


def crossref_work(client: HttpClient, doi: str) -> Lookup:
    return _ask(client, "crossref", f"/works/{_doi_path(doi)}")


def arxiv_entries(client: HttpClient, ids: Sequence[str]) -> Lookup:
    return _ask(client, "arxiv", "/query", {"id_list": ",".join(ids), "max_results": max(1, len(ids))})


def openalex_work(client: HttpClient, doi: str) -> Lookup:
    return _ask(client, "openalex", f"/works/doi:{_doi_path(doi)}")


def s2_paper(client: HttpClient, *, doi: str | None = None, arxiv: str | None = None) -> Lookup:
    ident = f"DOI:{doi}" if doi else f"ARXIV:{arxiv}"
    return _ask(client, "s2", f"/graph/v1/paper/{_doi_path(ident)}", {"fields": S2_FIELDS})


def by_identifier(client: HttpClient, service: str, *, doi: str | None = None, arxiv: str | None = None) -> Lookup | None:
    """Ask ``service`` for the record with this DOI or arXiv id (``None``: it cannot answer that)."""
    if service == "crossref" and doi:
        return crossref_work(client, doi)
    if service == "arxiv" and arxiv:
        return arxiv_entries(client, [arxiv])
    if service == "openalex" and doi:
        return openalex_work(client, doi)
    if service == "s2" and (doi or arxiv):
        return s2_paper(client, doi=doi, arxiv=arxiv)
    return None


# -- search --------------------------------------------------------------------
@dataclass(frozen=True)
class Query:
    """What a search knows: a title, or a fragment of the abstract, and author family names."""

    title: str | None = None
    fragment: str | None = None
    authors: tuple[str, ...] = ()
    year: int | None = None

    @property
    def words(self) -> str:
        return self.title or self.fragment or ""


def _families(names: Sequence[Name], limit: int = 4) -> tuple[str, ...]:
    out = [n.family or n.literal or "" for n in names]
    return tuple(f for f in out if f)[:limit]


def query_for(item: Item, *, fragment_words: int = 25) -> Query | None:
    """Title + authors when there is a title, else authors + the abstract's opening words."""
    authors = _families(item.authors)
    title = _plain(item.title or "")
    if title:
        return Query(title=title, authors=authors, year=item.year)
    abstract = _plain(str(item.get("abstract") or ""))
    if abstract and authors:
        words = abstract.split()
        return Query(fragment=" ".join(words[:fragment_words]), authors=authors, year=item.year)
    return None


_MARKUP = re.compile(r"<[^>]+>|\\[a-zA-Z]+\*?|[{}$]")


def _plain(text: str) -> str:
    """Search words without markup or TeX commands."""
    return " ".join(_MARKUP.sub(" ", text).split())


def crossref_search(client: HttpClient, query: Query, rows: int = 5) -> Lookup:
    params: dict[str, Any] = {"query.bibliographic": query.words, "rows": rows}
    if query.authors:
        params["query.author"] = " ".join(query.authors)
    return _ask(client, "crossref", "/works", params)


def arxiv_search(client: HttpClient, query: Query, rows: int = 5) -> Lookup:
    terms = [f"au:{re.sub(r'[^A-Za-z-]', '_', a)}" for a in query.authors[:2]]
    words = re.sub(r"[^\w\s-]", " ", query.words).split()
    if query.title:
        terms.append('ti:"' + " ".join(words) + '"')
    elif words:
        terms.append('abs:"' + " ".join(words[:12]) + '"')
    return _ask(client, "arxiv", "/query", {"search_query": " AND ".join(terms), "max_results": rows})


def openalex_search(client: HttpClient, query: Query, rows: int = 5) -> Lookup:
    return _ask(client, "openalex", "/works", {"search": " ".join((query.words, *query.authors[:2])), "per-page": rows})


def s2_search(client: HttpClient, query: Query, rows: int = 5) -> Lookup:
    return _ask(client, "s2", "/graph/v1/paper/search", {"query": query.words, "limit": rows, "fields": S2_FIELDS})


SEARCHES = {"crossref": crossref_search, "arxiv": arxiv_search, "openalex": openalex_search, "s2": s2_search}


def search(client: HttpClient, service: str, query: Query, rows: int = 5) -> Lookup:
    return SEARCHES[service](client, query, rows)
