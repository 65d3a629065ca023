"""Semantic Scholar Graph API papers: one paper, a batch list (``null`` for ids
it did not find), or a search page ``{"data": [...]}``.

Authors are free-text names (split by ``text.names``); the venue comes from
``journal``, ``publicationVenue`` or ``venue``; arXiv-only papers become
preprints. Items get ``id = ""`` for the key pass. Read-only.
"""
from __future__ import annotations

from typing import Any

from ..diagnostics import Diagnostic, info, warning
from ..mappings import semanticscholar as smap
from ..model import Item, Library, Origin
from ..registry import Format
from ..text.markup import from_latex
from ..text.names import parse_name
from ._apijson import JsonObj, as_list, as_obj, date_from_iso, iter_records, json_sniff_head, load_documents


def sniff(text: str) -> float:
    head = json_sniff_head(text)
    if head is None:
        return 0.0
    if '"paperId"' in head:
        return 0.95 if ('"externalIds"' in head or '"authors"' in head or '"title"' in head) else 0.6
    return 0.0


def _is_paper(obj: JsonObj) -> bool:
    return "paperId" in obj and ("title" in obj or "externalIds" in obj)


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _csl_type(paper: JsonObj) -> str:
    types = as_list(paper.get("publicationTypes"))
    for s2_type, csl_type in smap.TYPE_PRIORITY:
        if s2_type in types:
            return csl_type
    venue = as_obj(paper.get("publicationVenue"))
    if venue.get("type") == "conference":
        return "paper-conference"
    if venue.get("type") == "journal":
        return "article-journal"
    return "article"


def item_from_paper(paper: JsonObj, *, source: str | None = None, line: int | None = None) -> tuple[Item, list[Diagnostic]]:
    problems: list[Diagnostic] = []
    external = as_obj(paper.get("externalIds"))
    journal = as_obj(paper.get("journal"))
    venue = as_obj(paper.get("publicationVenue"))
    csl_type = _csl_type(paper)
    journal_name = _text(journal.get("name"))
    arxiv_only = bool(external.get("ArXiv")) and (
        not paper.get("publicationTypes") and (journal_name is None or journal_name.lower() == "arxiv")
    )
    if arxiv_only:
        csl_type = "article"
    item = Item(id="", type=csl_type, origin=Origin("semanticscholar", source, line, None))
    fields = item.fields
    title = _text(paper.get("title"))
    if title:
        fields["title"] = from_latex(title)
    names = [parse_name(a["name"]) for a in as_list(paper.get("authors")) if isinstance(a, dict) and _text(a.get("name"))]
    if names:
        fields["author"] = names
    issued = date_from_iso(paper.get("publicationDate")) or date_from_iso(paper.get("year"))
    if issued is not None:
        fields["issued"] = issued
    container = None
    if journal_name and journal_name.lower() != "arxiv":
        container = journal_name
    else:
        container = _text(venue.get("name")) or _text(paper.get("venue"))
    if container and not arxiv_only and container.lower() not in ("arxiv", "arxiv.org"):
        fields["container-title"] = container
    if _text(journal.get("volume")) and not str(journal["volume"]).startswith("abs/"):
        fields["volume"] = journal["volume"].strip()
    if _text(journal.get("pages")):
        fields["page"] = journal["pages"].strip()
    for key, variable in smap.EXTERNAL_IDS.items():
        value = external.get(key)
        if value not in (None, ""):
            fields[variable] = str(value)
    arxiv = _text(external.get("ArXiv"))
    if arxiv:
        item.extra["eprint"] = arxiv
        item.extra["archiveprefix"] = "arXiv"
        if arxiv_only:
            fields["publisher"] = "arXiv"
            fields["number"] = f"arXiv:{arxiv}"
    abstract = _text(paper.get("abstract"))
    if abstract:
        fields["abstract"] = from_latex(abstract)
    url = _text(paper.get("url"))
    if url:
        fields["URL"] = url
    studies = [f for f in as_list(paper.get("fieldsOfStudy")) if isinstance(f, str)]
    if studies:
        fields["keyword"] = ", ".join(studies)
    if _text(paper.get("paperId")):
        item.extra["s2paperid"] = paper["paperId"]
    if "title" not in fields:
        problems.append(warning("semanticscholar.no-title", f"paper {paper.get('paperId')} has no title", source=source, line=line))
    return item, problems


def read(text: str, *, source: str | None = None, **_: Any) -> Library:
    library = Library()
    docs, problems = load_documents(text, "semanticscholar", source)
    library.diagnostics.extend(problems)
    for data, line in docs:
        if isinstance(data, list):
            missing = sum(1 for d in data if d is None)
            if missing:  # the batch endpoint answers null for ids it does not know
                library.diagnostics.append(info("semanticscholar.not-found", f"{missing} requested paper(s) not found (null)", source=source, line=line))
        if isinstance(data, dict) and "error" in data and "paperId" not in data:
            library.diagnostics.append(warning("semanticscholar.api-error", f"Semantic Scholar answered: {data['error']}", source=source, line=line))
            continue
        for paper in iter_records(data, _is_paper, ("data", "citingPaper", "citedPaper")):
            item, diags = item_from_paper(paper, source=source, line=line)
            library.add(item)
            library.diagnostics.extend(diags)
    if not library.items and not library.errors:
        library.diagnostics.append(warning("semanticscholar.empty", "no Semantic Scholar papers found", source=source))
    return library


FORMAT = Format(
    name="semanticscholar",
    description="Semantic Scholar Graph API papers JSON; read-only",
    suffixes=(),
    sniff=sniff,
    read=read,
    aliases=("s2",),
)
