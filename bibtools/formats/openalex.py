"""OpenAlex works (``api.openalex.org/works``): one work, a list, or ``{"results": [...]}``.

The abstract is rebuilt from OpenAlex's inverted index; authors come from
``authorships``; the venue from ``primary_location.source`` (or the older
``host_venue``). Items get ``id = ""`` for the key pass. Read-only.
"""
from __future__ import annotations

import re
from typing import Any

from ..diagnostics import Diagnostic, info, warning
from ..mappings import crossref as crossref_map
from ..mappings import openalex as omap
from ..model import Item, Library, Name, Origin
from ..registry import Format
from ..text.markup import markup_to_rich
from ..text.names import parse_name
from ._apijson import JsonObj, as_list, as_obj, date_from_iso, iter_records, json_sniff_head, load_documents


def sniff(text: str) -> float:
    head = json_sniff_head(text)
    if head is None:
        return 0.0
    if '"https://openalex.org/W' in head and ('"authorships"' in head or '"publication_year"' in head):
        return 0.95
    return 0.4 if '"https://openalex.org/' in head else 0.0


def _is_work(obj: JsonObj) -> bool:
    work_id = obj.get("id")
    return isinstance(work_id, str) and work_id.startswith(("https://openalex.org/W", "W")) and (
        "title" in obj or "display_name" in obj
    )


def abstract_from_inverted_index(index: Any) -> str | None:
    """``{"word": [positions]}`` -> the text, words in position order."""
    if not isinstance(index, dict) or not index:
        return None
    placed: dict[int, str] = {}
    for word, positions in index.items():
        for pos in positions if isinstance(positions, list) else []:
            if isinstance(pos, int):
                placed[pos] = word
    return " ".join(placed[p] for p in sorted(placed)) or None


def _source(work: JsonObj) -> JsonObj:
    location = work.get("primary_location")
    if isinstance(location, dict) and isinstance(location.get("source"), dict):
        return location["source"]
    venue = work.get("host_venue")  # deprecated, still in older dumps
    return venue if isinstance(venue, dict) else {}


def _strip_url(value: Any, prefix_pattern: str) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return re.sub(prefix_pattern, "", value.strip(), flags=re.IGNORECASE) or None


def _csl_type(work: JsonObj, source: JsonObj) -> str | None:
    otype = work.get("type")
    if otype == "article":
        return omap.ARTICLE_BY_SOURCE.get(str(source.get("type") or "").lower(), "article-journal")
    if isinstance(otype, str):
        return omap.TYPES.get(otype) or crossref_map.TYPES.get(otype)
    ctype = work.get("type_crossref")
    return crossref_map.TYPES.get(ctype) if isinstance(ctype, str) else None


def item_from_work(work: JsonObj, *, source: str | None = None, line: int | None = None) -> tuple[Item, list[Diagnostic]]:
    problems: list[Diagnostic] = []
    venue = _source(work)
    csl_type = _csl_type(work, venue)
    if csl_type is None:
        problems.append(info("openalex.type", f"unknown OpenAlex type {work.get('type')!r}; called it document", source=source, line=line))
        csl_type = "document"
    item = Item(id="", type=csl_type, origin=Origin("openalex", source, line, str(work.get("type") or "") or None))
    fields = item.fields
    title = work.get("title") or work.get("display_name")
    if isinstance(title, str) and title.strip():
        fields["title"] = markup_to_rich(title)
    names: list[Name] = []
    for authorship in as_list(work.get("authorships")):
        if not isinstance(authorship, dict):
            continue
        author = as_obj(authorship.get("author"))
        text = author.get("display_name") or authorship.get("raw_author_name")
        if isinstance(text, str) and text.strip():
            names.append(parse_name(text))
    if names:
        fields["author"] = names
    issued = date_from_iso(work.get("publication_date")) or date_from_iso(work.get("publication_year"))
    if issued is not None:
        fields["issued"] = issued
    container = venue.get("display_name")
    if isinstance(container, str) and container.strip() and csl_type != "article":
        fields["container-title"] = container.strip()
    publisher = venue.get("host_organization_name") or venue.get("publisher")
    if isinstance(publisher, str) and publisher.strip():
        fields["publisher"] = publisher.strip()
    issns = venue.get("issn")
    if isinstance(issns, list) and issns:
        fields["ISSN"] = ", ".join(str(i) for i in issns if i)
    biblio = as_obj(work.get("biblio"))
    for native, variable in (("volume", "volume"), ("issue", "issue")):
        if biblio.get(native):
            fields[variable] = str(biblio[native])
    first, last = biblio.get("first_page"), biblio.get("last_page")
    if first:
        fields["page"] = f"{first}-{last}" if last and last != first else str(first)
    ids = as_obj(work.get("ids"))
    doi = _strip_url(work.get("doi") or ids.get("doi"), r"^https?://(dx\.)?doi\.org/")
    if doi:
        fields["DOI"] = doi
    pmid = _strip_url(ids.get("pmid"), r"^https?://pubmed\.ncbi\.nlm\.nih\.gov/")
    if pmid:
        fields["PMID"] = pmid.strip("/")
    pmcid = _strip_url(ids.get("pmcid"), r"^https?://www\.ncbi\.nlm\.nih\.gov/pmc/articles/")
    if pmcid:
        fields["PMCID"] = pmcid.strip("/")
    location = as_obj(work.get("primary_location"))
    url = location.get("landing_page_url")
    if isinstance(url, str) and url.strip():
        fields["URL"] = url.strip()
    if isinstance(work.get("language"), str):
        fields["language"] = work["language"]
    abstract = abstract_from_inverted_index(work.get("abstract_inverted_index"))
    if abstract:
        fields["abstract"] = abstract
    keywords = [str(k["display_name"]) for k in as_list(work.get("keywords")) if isinstance(k, dict) and k.get("display_name")]
    if keywords:
        fields["keyword"] = ", ".join(keywords)
    if isinstance(work.get("id"), str):
        item.extra["openalex"] = work["id"].rsplit("/", 1)[-1]
    if csl_type == "article" and isinstance(container, str) and "arxiv" in container.lower():
        fields["publisher"] = "arXiv"
    if "title" not in fields:
        problems.append(warning("openalex.no-title", f"work {work.get('id')} has no title", source=source, line=line))
    return item, problems


def read(text: str, *, source: str | None = None, **_: Any) -> Library:
    library = Library()
    docs, problems = load_documents(text, "openalex", source)
    library.diagnostics.extend(problems)
    for data, line in docs:
        for work in iter_records(data, _is_work, ("results",)):
            item, diags = item_from_work(work, source=source, line=line)
            library.add(item)
            library.diagnostics.extend(diags)
    if not library.items and not library.errors:
        library.diagnostics.append(warning("openalex.empty", "no OpenAlex works found", source=source))
    return library


FORMAT = Format(
    name="openalex",
    description="OpenAlex works JSON (single, list, results page, JSON Lines); read-only",
    suffixes=(),
    sniff=sniff,
    read=read,
)
