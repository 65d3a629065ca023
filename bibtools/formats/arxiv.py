"""arXiv API Atom feeds (``export.arxiv.org/api/query``).

Each ``<entry>`` becomes a preprint: CSL type ``article``, publisher
``arXiv``, ``number`` "arXiv:<id>" (the Zotero/citeproc-js convention), and
the BibTeX-side fields ``eprint``/``archiveprefix``/``primaryclass`` in
``extra`` (see ``bibtools.normalize``). API error entries are reported, not
turned into items. XML is parsed without entity expansion or network access.
Read-only.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # lxml is imported when a feed is read: every command loads this module to sniff
    from lxml import etree

from ..diagnostics import Diagnostic, error, warning
from ..model import Item, Library, Origin
from ..registry import Format
from ..text.ids import find_arxiv_id, normalize_doi
from ..text.markup import from_latex
from ..text.names import parse_name
from ._apijson import date_from_iso

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"


def sniff(text: str) -> float:
    head = text.lstrip("\ufeff \t\r\n")[:4000]
    if not head.startswith("<"):
        return 0.0
    if "http://www.w3.org/2005/Atom" in head and ("arxiv.org" in head or "arxiv" in head.lower()):
        return 0.95
    return 0.3 if "<feed" in head else 0.0


def _parser() -> etree.XMLParser:
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _text(element: etree._Element | None) -> str | None:
    if element is None or element.text is None:
        return None
    value = " ".join(element.text.split())
    return value or None


def item_from_entry(entry: etree._Element, *, source: str | None = None) -> tuple[Item | None, list[Diagnostic]]:
    """One Atom ``<entry>`` -> ``Item``; an API error entry gives a diagnostic and no item."""
    line = entry.sourceline
    entry_id = _text(entry.find(f"{ATOM}id")) or ""
    if "/api/errors" in entry_id:
        message = _text(entry.find(f"{ATOM}summary")) or entry_id
        return None, [error("arxiv.api-error", f"arXiv API error: {message}", source=source, line=line)]
    arxiv_id = find_arxiv_id(entry_id)
    item = Item(id="", type="article", origin=Origin("arxiv", source, line, "entry"))
    fields = item.fields
    title = entry.findtext(f"{ATOM}title")
    if title and title.strip():
        fields["title"] = from_latex(title)
    names = [parse_name(n) for n in (a.findtext(f"{ATOM}name") or "" for a in entry.findall(f"{ATOM}author")) if n.strip()]
    if names:
        fields["author"] = names
    published = date_from_iso(entry.findtext(f"{ATOM}published"))
    if published is not None:
        fields["issued"] = published
    summary = entry.findtext(f"{ATOM}summary")
    if summary and summary.strip():
        fields["abstract"] = from_latex(summary)
    fields["publisher"] = "arXiv"
    if arxiv_id is not None:
        fields["number"] = f"arXiv:{arxiv_id.id}"
        item.extra["eprint"] = arxiv_id.id
        item.extra["archiveprefix"] = "arXiv"
        if arxiv_id.version is not None:
            fields["version"] = str(arxiv_id.version)
        fields["URL"] = f"https://arxiv.org/abs/{arxiv_id}"
    else:
        return None, [warning("arxiv.no-id", f"entry without an arXiv id ({entry_id!r}); skipped", source=source, line=line)]
    primary = entry.find(f"{ARXIV}primary_category")
    if primary is not None and primary.get("term"):
        item.extra["primaryclass"] = primary.get("term", "")
    categories = [c.get("term", "") for c in entry.findall(f"{ATOM}category") if c.get("term")]
    if categories:
        fields["keyword"] = ", ".join(dict.fromkeys(categories))
    doi = _text(entry.find(f"{ARXIV}doi"))
    if doi:
        fields["DOI"] = normalize_doi(doi) or doi
    journal_ref = _text(entry.find(f"{ARXIV}journal_ref"))
    if journal_ref:
        item.extra["journal_ref"] = journal_ref
    comment = _text(entry.find(f"{ARXIV}comment"))
    if comment:
        fields["note"] = comment
    updated = _text(entry.find(f"{ATOM}updated"))
    if updated:
        item.extra["updated"] = updated
    problems: list[Diagnostic] = []
    if "title" not in fields:
        problems.append(warning("arxiv.no-title", f"arXiv {arxiv_id} has no title", source=source, line=line))
    return item, problems


def read(text: str, *, source: str | None = None, **_: Any) -> Library:
    from lxml import etree

    library = Library()
    data = text.lstrip("\ufeff").encode("utf-8")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if isinstance(exc.lineno, int) else None
        library.diagnostics.append(error("arxiv.syntax", f"not well-formed XML: {exc.msg}", source=source, line=line))
        return library
    if root.tag != f"{ATOM}feed":
        library.diagnostics.append(error("arxiv.shape", f"expected an Atom <feed>, found <{etree.QName(root).localname}>", source=source, line=root.sourceline))
        return library
    for entry in root.iter(f"{ATOM}entry"):
        item, problems = item_from_entry(entry, source=source)
        if item is not None:
            library.add(item)
        library.diagnostics.extend(problems)
    return library


FORMAT = Format(
    name="arxiv",
    description="arXiv API Atom feed; read-only",
    suffixes=(".atom", ".atom.xml"),
    sniff=sniff,
    read=read,
)
