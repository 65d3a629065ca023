"""Minimal Crossref JSON and arXiv Atom readings, used only while the full
readers (``bibtools.formats``' ``crossref`` and ``arxiv``) are not installed.

They keep just what enrichment needs (title, authors, date, abstract, DOI,
venue, arXiv id) and, like every reader, report bad input instead of raising.
"""
from __future__ import annotations

import json
import re
from typing import Any

from ..diagnostics import error
from ..model import Date, Item, Library, Name, Origin

_TAGS = re.compile(r"<[^>]+>")


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if not isinstance(value, str) or not value.strip():
        return None
    return " ".join(_TAGS.sub(" ", value).split())


def _crossref_item(work: dict[str, Any], source: str) -> Item:
    doi = str(work.get("DOI") or "")
    item = Item(id=doi or "crossref", type=str(work.get("type") or "document"), origin=Origin("crossref", source))
    item.type = {"journal-article": "article-journal", "proceedings-article": "paper-conference", "posted-content": "article"}.get(
        item.type, item.type
    )
    for var, key in (("title", "title"), ("container-title", "container-title"), ("abstract", "abstract"), ("publisher", "publisher")):
        text = _text(work.get(key))
        if text:
            item.fields[var] = text
    for var, key in (("volume", "volume"), ("issue", "issue"), ("page", "page")):
        if isinstance(work.get(key), str):
            item.fields[var] = work[key]
    if doi:
        item.fields["DOI"] = doi
    names = [
        Name(family=a.get("family"), given=a.get("given")) if a.get("family") else Name(literal=a.get("name") or "")
        for a in work.get("author") or []
        if isinstance(a, dict)
    ]
    if names:
        item.fields["author"] = names
    for key in ("published-print", "published-online", "issued", "published"):
        parts = ((work.get(key) or {}).get("date-parts") or [[None]])[0]
        if parts and isinstance(parts[0], int):
            item.fields["issued"] = Date(parts=(tuple(p for p in parts if isinstance(p, int)),))
            break
    return item


def read_crossref(text: str, *, source: str = "<crossref>", **_: Any) -> Library:
    library = Library()
    try:
        data = json.loads(text)
        message = data["message"]
        works = message.get("items") if "items" in message else [message]
        for work in works:
            library.add(_crossref_item(work, source))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        library.diagnostics.append(error("crossref.syntax", f"not a Crossref answer: {exc}", source=source))
    return library


_ATOM = "{http://www.w3.org/2005/Atom}"
_ARXIV = "{http://arxiv.org/schemas/atom}"


def read_arxiv(text: str, *, source: str = "<arxiv>", **_: Any) -> Library:
    from lxml import etree

    library = Library()
    try:
        root = etree.fromstring(text.encode("utf-8"))
    except etree.XMLSyntaxError as exc:
        library.diagnostics.append(error("arxiv.syntax", f"not an Atom feed: {exc}", source=source))
        return library
    for entry in root.iter(f"{_ATOM}entry"):
        url = entry.findtext(f"{_ATOM}id") or ""
        match = re.search(r"arxiv\.org/abs/(.+?)(v\d+)?$", url)
        title = " ".join((entry.findtext(f"{_ATOM}title") or "").split())
        if not match or title == "Error":
            continue
        arxiv_id = match.group(1)
        item = Item(id=arxiv_id, type="article", origin=Origin("arxiv", source))
        item.fields["title"] = title
        item.fields["abstract"] = " ".join((entry.findtext(f"{_ATOM}summary") or "").split())
        names = [" ".join((a.findtext(f"{_ATOM}name") or "").split()) for a in entry.findall(f"{_ATOM}author")]
        item.fields["author"] = [Name(family=n.rsplit(" ", 1)[-1], given=n.rsplit(" ", 1)[0] if " " in n else None) for n in names if n]
        published = entry.findtext(f"{_ATOM}published") or ""
        if re.match(r"\d{4}-\d\d-\d\d", published):
            item.fields["issued"] = Date(parts=(tuple(int(p) for p in published[:10].split("-")),))
        item.fields["number"] = arxiv_id
        item.fields["publisher"] = "arXiv"
        item.fields["URL"] = f"https://arxiv.org/abs/{arxiv_id}"
        item.extra["eprint"] = arxiv_id
        item.extra["archiveprefix"] = "arXiv"
        if entry.findtext(f"{_ARXIV}doi"):
            item.fields["DOI"] = entry.findtext(f"{_ARXIV}doi") or ""
        if entry.findtext(f"{_ARXIV}journal_ref"):
            item.extra["journal_ref"] = " ".join((entry.findtext(f"{_ARXIV}journal_ref") or "").split())
        library.add(item)
    return library
