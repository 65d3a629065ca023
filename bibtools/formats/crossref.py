"""Crossref REST API works: ``{"message": work}``, ``message.items`` lists, JSON Lines
dumps (including MongoDB-style wrappers) and bare work objects.

Titles and abstracts carry JATS/HTML/MathML, turned into the model's rich
text; ALL-CAPS names are fixed; an article number stands in for missing
pages. Works have no citation keys: items get ``id = ""`` and the key pass
names them. Read-only.
"""
from __future__ import annotations

import re
from typing import Any

from ..diagnostics import Diagnostic, info, warning
from ..mappings import crossref as cmap
from ..model import Item, Library, Name, Origin
from ..registry import Format
from ..text.markup import markup_to_rich
from ..text.names import fix_name_caps, parse_name
from ._apijson import JsonObj, as_list, date_from_parts, first_text, iter_records, json_sniff_head, load_documents

_MARKERS = re.compile(
    r'"(?:message-type|reference-count|is-referenced-by-count|content-domain|short-container-title|'
    r'published-print|published-online|container-title"\s*:\s*\[|title"\s*:\s*\[)'
)


_STRING_TITLE = re.compile(r'"title"\s*:\s*"')
_LIST_TITLE = re.compile(r'"title"\s*:\s*\[')


def sniff(text: str) -> float:
    head = json_sniff_head(text)
    if head is None:
        return 0.0
    if re.search(r'"message-type"\s*:\s*"work', head):
        return 0.97
    if _STRING_TITLE.search(head) and not _LIST_TITLE.search(head):
        return 0.1  # CSL-JSON (Crossref's own CSL output looks like a work but has string titles)
    hits = len(set(m.group(0) for m in _MARKERS.finditer(head[:20000])))
    if '"DOI"' in head and hits >= 2:
        return 0.95
    return 0.1 if '"DOI"' in head else 0.0


def _is_work(obj: JsonObj) -> bool:
    return isinstance(obj.get("DOI"), str) and ("type" in obj or "title" in obj or "issued" in obj)


def _names(people: Any) -> list[Name]:
    names: list[Name] = []
    for person in people if isinstance(people, list) else []:
        if not isinstance(person, dict):
            continue
        family, given = person.get("family"), person.get("given")
        if isinstance(family, str) and family.strip():
            name = Name(
                family=family.strip(),
                given=given.strip() if isinstance(given, str) and given.strip() else None,
                suffix=person.get("suffix") or None,
            )
            names.append(fix_name_caps(name))
        elif isinstance(person.get("name"), str):  # organisations
            names.append(Name(literal=person["name"].strip()))
        elif isinstance(given, str) and given.strip():
            names.append(fix_name_caps(parse_name(given)))
    return names


def _title(work: JsonObj) -> str | None:
    title = first_text(work.get("title"))
    subtitle = first_text(work.get("subtitle"))
    if title and subtitle and subtitle.lower() not in title.lower():
        title = f"{title.rstrip()}: {subtitle}"
    text = title or subtitle
    return markup_to_rich(text) if text else None


def item_from_work(work: JsonObj, *, source: str | None = None, line: int | None = None) -> tuple[Item, list[Diagnostic]]:
    """One Crossref work object -> ``Item`` (``id`` left empty for the key pass)."""
    problems: list[Diagnostic] = []
    doi = str(work.get("DOI", "")).strip()
    ctype = work.get("type")
    csl_type = cmap.TYPES.get(ctype) if isinstance(ctype, str) else None
    if csl_type is None:
        csl_type = "document"
        what = f"unknown Crossref type {ctype!r}" if ctype else "no Crossref type"
        problems.append(info("crossref.type", f"{what} for {doi}; called it document", source=source, line=line))
    item = Item(id="", type=csl_type, origin=Origin("crossref", source, line, ctype if isinstance(ctype, str) else None))
    fields = item.fields

    title = _title(work)
    if title:
        fields["title"] = title
    for native, variable in cmap.TEXT_LISTS.items():
        value = first_text(work.get(native))
        if value:
            fields[variable] = markup_to_rich(value)
    containers = [c for c in as_list(work.get("container-title")) if isinstance(c, str) and c.strip()]
    if len(containers) > 1 and csl_type in ("chapter", "paper-conference", "entry"):
        # Chapters list [series, book]: the book holds the chapter, the series collects the book.
        fields["container-title"] = markup_to_rich(containers[-1])
        fields["collection-title"] = markup_to_rich(containers[0])
    for native, variable in cmap.PLAIN.items():
        value = work.get(native)
        if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip():
            fields[variable] = str(value).strip()
    for native, variable in cmap.NAME_ROLES.items():
        names = _names(work.get(native))
        if names:
            fields[variable] = names
    for native in cmap.ISSUED_FROM:
        date = date_from_parts(work.get(native))
        if date is not None:
            fields["issued"] = date
            break
    page = work.get("page")
    if isinstance(page, str) and page.strip():
        fields["page"] = page.strip()
        if fields.get("number") == fields["page"]:
            del fields["number"]
    elif "number" in fields:  # APS, eLife, PLOS...: the article number is the locator
        fields["page"] = fields.pop("number")
    if doi:
        fields["DOI"] = doi
    for native, variable in (("ISSN", "ISSN"), ("ISBN", "ISBN")):
        values = [v for v in as_list(work.get(native)) if isinstance(v, str)]
        if values:
            fields[variable] = ", ".join(dict.fromkeys(values))
    abstract = work.get("abstract")
    if isinstance(abstract, str) and abstract.strip():
        fields["abstract"] = markup_to_rich(abstract)
    event = work.get("event")
    if isinstance(event, dict):
        if isinstance(event.get("name"), str):
            fields["event-title"] = event["name"].strip()
        if isinstance(event.get("location"), str):
            fields["event-place"] = event["location"].strip()
    institution = work.get("institution")
    if isinstance(institution, list) and institution and isinstance(institution[0], dict):
        name = institution[0].get("name")
        if isinstance(name, str) and "publisher" not in fields:
            fields["publisher"] = name
    subjects = [s for s in as_list(work.get("subject")) if isinstance(s, str)]
    if subjects:
        fields["keyword"] = ", ".join(subjects)
    if not title:
        problems.append(warning("crossref.no-title", f"work {doi or '(no DOI)'} has no title", source=source, line=line))
    return item, problems


def read(text: str, *, source: str | None = None, **_: Any) -> Library:
    library = Library()
    docs, problems = load_documents(text, "crossref", source)
    library.diagnostics.extend(problems)
    for data, line in docs:
        found = False
        for work in iter_records(data, _is_work, ("items",)):
            found = True
            item, diags = item_from_work(work, source=source, line=line)
            library.add(item)
            library.diagnostics.extend(diags)
        if not found and isinstance(data, dict) and data.get("status") not in (None, "ok"):
            message = data.get("message")
            library.diagnostics.append(
                warning("crossref.api-error", f"Crossref answered {data.get('status')}: {message}", source=source, line=line)
            )
    if not library.items and not library.errors:
        library.diagnostics.append(warning("crossref.empty", "no Crossref works found", source=source))
    return library


FORMAT = Format(
    name="crossref",
    description="Crossref REST API works (JSON, JSON Lines); read-only",
    suffixes=(),
    sniff=sniff,
    read=read,
)
