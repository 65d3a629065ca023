"""Formatted reference lists (the end of a paper, a CV, a syllabus) back into records.

Each reference string is cut into labelled segments by a trained CRF
(``labeller``), the segments become CSL variables (``fields``: names by
bibtools' name rules, dates by its date rules, the CSL type inferred). Every
record keeps a confidence per variable (``ReferenceLibrary.confidence``); a
string that does not read as a reference is reported with its line, not kept.
Read-only.
"""
from __future__ import annotations

import re
from typing import Any

from ...diagnostics import info, warning
from ...model import Item, Library, Origin
from ...registry import Format
from .text import split_references

# Below this, a string's labelling is too unsure to be a record (geometric mean per token).
MIN_CONFIDENCE = 0.5
# A variable this unsure is named in a diagnostic, so the user checks it.
FIELD_WARN_CONFIDENCE = 0.6
_EVIDENCE = ("author", "editor", "issued", "accessed", "container-title", "publisher", "volume", "page", "DOI", "URL")


class ReferenceLibrary(Library):
    """A Library whose items came from reference strings: per-item variable confidences."""

    def __init__(self) -> None:
        super().__init__()
        self.confidence: list[dict[str, float]] = []  # parallel to ``items``
        self.strings_read: list[str] = []  # the reference string each item came from


def _is_reference(item: Item, overall: float, floor: float) -> str | None:
    """Why ``item`` is not a reference, or None when it reads as one."""
    if "title" not in item.fields and "container-title" not in item.fields:
        return "no title"
    # Prose comes out as one long title: a reference also names who wrote it, or when and where.
    evidence = sum(1 for v in _EVIDENCE if v in item.fields)
    if evidence < 2 and "author" not in item.fields and "editor" not in item.fields:
        return "no authors, date or source"
    if overall < floor:
        return f"labelling too unsure ({overall:.2f})"
    return None


def read(text: str, *, source: str | None = None, min_confidence: float | None = None, **_: Any) -> Library:
    from .fields import build_item  # the labeller and field rules: only a read needs them, not sniffing
    from .labeller import label

    library = ReferenceLibrary()
    floor = MIN_CONFIDENCE if min_confidence is None else min_confidence
    for raw in split_references(text):
        labelled = label(raw.text)
        item = Item(id="", type="document", origin=Origin("references", source, raw.line, None))
        confidence = build_item(labelled.segments, item)
        why = _is_reference(item, labelled.confidence, floor)
        if why is not None:
            shown = raw.text if len(raw.text) <= 80 else raw.text[:77] + "..."
            library.diagnostics.append(warning("references.not-a-reference", f"not read as a reference ({why}): {shown!r}",
                                               source=source, line=raw.line))
            continue
        library.add(item)
        library.confidence.append(confidence)
        library.strings_read.append(raw.text)
        unsure = sorted(v for v, c in confidence.items() if c < FIELD_WARN_CONFIDENCE)
        if unsure:
            library.diagnostics.append(info("references.unsure", f"unsure of {', '.join(unsure)}", source=source, line=raw.line))
    if not library.items and not library.diagnostics:
        library.diagnostics.append(warning("references.empty", "no references found", source=source))
    return library


def parse_references(text: str, *, source: str | None = None) -> ReferenceLibrary:
    """Formatted references (one per line, blank-line separated or numbered) -> records."""
    library = read(text, source=source)
    assert isinstance(library, ReferenceLibrary)
    return library


_YEARISH = re.compile(r"(?<!\d)(?:1[6-9]\d\d|20\d\d)[a-z]?(?!\d)")
_NAMEISH = re.compile(r"\b[A-Z][^\W\d_]+,?\s+(?:[A-Z]\.|[A-Z]{1,3}\b)|\b[A-Z]\.\s?[A-Z][^\W\d_]+")


def sniff(text: str) -> float:
    head = text.lstrip("\ufeff \t\r\n")
    if not head or head[0] in "@{[<%" and not re.match(r"\[\d", head) or head.startswith("TY  -"):
        return 0.0
    refs = split_references(head[:20000])[:200]
    if not refs:
        return 0.0
    looks = sum(1 for r in refs if _YEARISH.search(r.text) and _NAMEISH.search(r.text)
                and sum(r.text.count(c) for c in ",.;:") >= 3 and len(r.text) < 1500)
    share = looks / len(refs)
    return 0.6 * share if share >= 0.5 else 0.0


FORMAT = Format(
    name="references",
    description="formatted reference list (plain text, one reference per line or numbered); read-only",
    aliases=("refs",),
    sniff=sniff,
    read=read,
)
