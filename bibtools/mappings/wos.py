"""Web of Science field-tagged export (``FN``/``PT`` ... ``ER``) -> CSL, as data.

Tags not listed here stay in ``Item.extra`` under their WoS tag (``UT``,
``ID`` keywords plus, ``CR`` cited references, ``TC`` times cited...).
"""
from __future__ import annotations

# Tags whose continuation lines are separate values (one name or reference a line).
LIST_TAGS: frozenset[str] = frozenset({"AU", "AF", "BA", "BF", "CA", "GP", "BE", "CR"})

# Plain text tags -> CSL variable (the first that has a value wins).
TEXT_TAGS: dict[str, str] = {
    "TI": "title",
    "SO": "container-title",
    "SE": "collection-title",
    "JI": "container-title-short",
    "J9": "container-title-short",
    "VL": "volume",
    "IS": "issue",
    "DI": "DOI",
    "AB": "abstract",
    "SN": "ISSN",
    "BN": "ISBN",
    "LA": "language",
    "PU": "publisher",
    "PI": "publisher-place",
    "CT": "event-title",
    "CL": "event-place",
    "PM": "PMID",
    "DE": "keyword",
}

# Names: full-name tags first; the abbreviated tag is used only without them.
NAME_TAGS: dict[str, tuple[str, ...]] = {
    "author": ("AF", "AU"),
    "editor": ("BE",),
}
GROUP_AUTHOR_TAGS: tuple[str, ...] = ("CA", "GP")

# Tags read by the reader's own logic (dates, pages, type): not kept in extra.
HANDLED_TAGS: frozenset[str] = frozenset({"PT", "DT", "PY", "PD", "BP", "EP", "AR", "FN", "VR", "EF", "ER"})


def csl_type(publication_type: str, document_type: str) -> str:
    """CSL type from ``PT`` (J journal, B book, S series, P patent) and ``DT`` (Article, Review...)."""
    pt = publication_type.strip().upper()[:1]
    dt = document_type.lower()
    if pt == "P":
        return "patent"
    if "proceedings paper" in dt:
        return "paper-conference"
    if "book review" in dt:
        return "review-book"
    if pt == "B":
        return "book" if dt.strip() in ("book", "") else "chapter"
    if pt == "S":
        return "chapter"
    return "article-journal"
