"""BibTeX's own styles (plain, unsrt, alpha, abbrv) through pybtex's Python API.

Items go from the model to pybtex entries (CSL types and variables to BibTeX
ones), pybtex formats them, and its HTML backend gives the same kind of HTML
fragment the CSL engine does (label in a ``csl-left-margin`` div), so every
output markup, highlighting and grouping work the same for both engines.
``abbrv`` is pybtex's ``plain`` with abbreviated first names (pybtex has no
``abbrv`` of its own).
"""
from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..diagnostics import Diagnostic, error
from ..model import Date, Item, Name
from .errors import StyleError

if TYPE_CHECKING:  # pybtex loads when the engine is used
    from pybtex.database import Entry, Person

PYBTEX_STYLES: dict[str, tuple[str, dict[str, bool]]] = {
    "plain": ("plain", {}),
    "unsrt": ("unsrt", {}),
    "alpha": ("alpha", {}),
    "abbrv": ("plain", {"abbreviate_names": True}),
    "unsrtalpha": ("unsrtalpha", {}),
}

# CSL type -> BibTeX entry type (anything else is @misc).
BIBTEX_TYPES: dict[str, str] = {
    "article-journal": "article",
    "article-magazine": "article",
    "article-newspaper": "article",
    "review": "article",
    "paper-conference": "inproceedings",
    "book": "book",
    "classic": "book",
    "chapter": "incollection",
    "entry-encyclopedia": "incollection",
    "entry-dictionary": "incollection",
    "report": "techreport",
    "manuscript": "unpublished",
}

# CSL text variables -> BibTeX fields, the same for every type.
PLAIN_FIELDS: dict[str, str] = {
    "title": "title",
    "volume": "volume",
    "edition": "edition",
    "publisher-place": "address",
    "collection-title": "series",
    "DOI": "doi",
    "URL": "url",
    "ISBN": "isbn",
    "ISSN": "issn",
    "note": "note",
}
_MONTHS = ("January February March April May June July August September October November December").split()
# CSL rich-text markup only; any other "<" is literal text (pybtex's HTML backend escapes it)
_TAG = re.compile(r'<span class="nocase">(.*?)</span>|</?(?:i|b|sup|sub)>|<span style="font-variant:\s*small-caps;?">|</span>', re.S)


def _latexish(text: str) -> str:
    """CSL rich text -> what pybtex's field parser reads: nocase spans protected, '%' not a comment."""
    text = text.replace("\\", "\\textbackslash ").replace("%", "\\%")
    text = _TAG.sub(lambda m: "{" + m.group(1) + "}" if m.group(1) is not None else "", text)
    return text


def _person(name: Name) -> Person:
    from pybtex.database import Person

    if name.literal is not None:
        return Person(last="{" + name.literal + "}")
    return Person(
        first=name.given or "",
        prelast=name.non_dropping_particle or name.dropping_particle or "",
        last=name.family or "",
        lineage=name.suffix or "",
    )


def _entry_type(item: Item) -> str:
    if item.type == "thesis":
        genre = str(item.get("genre") or "").lower()
        return "mastersthesis" if "master" in genre or "msc" in genre else "phdthesis"
    return BIBTEX_TYPES.get(item.type, "misc")


def to_pybtex(item: Item, csl: dict[str, Any] | None = None) -> Entry:
    """One model item as a pybtex ``Entry`` (``csl`` may carry highlight-marked names)."""
    from pybtex.database import Entry

    kind = _entry_type(item)
    fields: dict[str, str] = {}
    for variable, bib in PLAIN_FIELDS.items():
        value = item.get(variable)
        if isinstance(value, str) and value:
            fields[bib] = _latexish(value)
    container = item.get("container-title")
    if isinstance(container, str) and container:
        key = {"article": "journal", "inproceedings": "booktitle", "incollection": "booktitle"}.get(kind, "howpublished")
        fields[key] = _latexish(container)
    issue = item.get("issue") or (item.get("number") if kind in ("techreport", "misc") else None)
    if isinstance(issue, str) and issue:
        fields["number"] = issue
    page = item.get("page")
    if isinstance(page, str) and page:
        fields["pages"] = re.sub(r"\s*[-\u2013\u2014]+\s*", "--", page)
    publisher = item.get("publisher")
    if isinstance(publisher, str) and publisher:
        field_name = {"phdthesis": "school", "mastersthesis": "school", "techreport": "institution"}.get(kind, "publisher")
        fields[field_name] = _latexish(publisher)
    if kind == "misc" and "number" in fields and "howpublished" not in fields:
        fields["howpublished"] = fields.pop("number")
    issued = item.get("issued")
    if isinstance(issued, Date):
        if issued.year is not None:
            fields["year"] = str(issued.year)
            first = issued.parts[0]
            if len(first) > 1 and 1 <= first[1] <= 12:
                fields["month"] = _MONTHS[first[1] - 1]
        elif issued.literal:
            fields["year"] = issued.literal
    persons: dict[str, list[Person]] = {}
    for role in ("author", "editor"):
        names = (csl or {}).get(role)
        if isinstance(names, list) and names:
            persons[role] = [_person(Name.from_csl(n)) for n in names]
    return Entry(kind, fields=fields, persons=persons)


def render_bibliography(items: Sequence[Item], style: str, *, csl_items: Sequence[dict[str, Any]] | None = None) -> tuple[list[tuple[str, str]], list[Diagnostic]]:
    """(id, HTML) per entry in the style's order, plus a diagnostic per entry pybtex could not format."""
    from pybtex.backends.html import Backend
    from pybtex.database import BibliographyData
    from pybtex.plugin import find_plugin

    if style.lower() not in PYBTEX_STYLES:
        raise StyleError(f"unknown pybtex style {style!r} (known: {', '.join(PYBTEX_STYLES)})")
    plugin_name, options = PYBTEX_STYLES[style.lower()]
    formatter = find_plugin("pybtex.style.formatting", plugin_name)(**options)
    problems: list[Diagnostic] = []
    data = BibliographyData()
    csl_list = list(csl_items) if csl_items is not None else [None] * len(items)
    for item, csl in zip(items, csl_list):
        if item.id in data.entries:
            continue
        try:
            data.add_entry(item.id, to_pybtex(item, csl))
        except Exception as exc:  # one odd item must not sink the list
            problems.append(error("pybtex.entry", f"cannot convert this entry for pybtex: {exc}", key=item.id))
    entries = formatter.sort(list(data.entries.values()))
    labels = list(formatter.format_labels(entries))
    backend = Backend()
    out: list[tuple[str, str]] = []
    for label, entry in zip(labels, entries):
        try:
            text = formatter.format_entry(label, entry).text.render(backend)
        except Exception as exc:  # pybtex raises on missing required fields
            problems.append(error("pybtex.render", f"pybtex cannot format this entry: {exc}", key=entry.key))
            continue
        margin = f'<div class="csl-left-margin">[{html.escape(str(label), quote=False)}]</div>'
        out.append((entry.key, f'{margin}<div class="csl-right-inline">{text}</div>'))
    return out, problems
