"""Crossref REST API work types and fields -> CSL (data only).

Every type listed by https://api.crossref.org/types is here; an unknown type
falls back to ``document`` with a warning.
"""
from __future__ import annotations

TYPES: dict[str, str] = {
    "book": "book",
    "book-chapter": "chapter",
    "book-part": "chapter",
    "book-section": "chapter",
    "book-series": "book",
    "book-set": "book",
    "book-track": "chapter",
    "component": "document",
    "database": "dataset",
    "dataset": "dataset",
    "dissertation": "thesis",
    "edited-book": "book",
    "grant": "document",
    "journal": "periodical",
    "journal-article": "article-journal",
    "journal-issue": "periodical",
    "journal-volume": "periodical",
    "monograph": "book",
    "other": "document",
    "peer-review": "review",
    "posted-content": "article",
    "proceedings": "book",
    "proceedings-article": "paper-conference",
    "proceedings-series": "book",
    "reference-book": "book",
    "reference-entry": "entry",
    "report": "report",
    "report-component": "report",
    "report-series": "report",
    "standard": "standard",
    "standard-series": "standard",
}

# Crossref list-valued text fields -> CSL variable (the first element is used).
TEXT_LISTS: dict[str, str] = {
    "container-title": "container-title",
    "short-container-title": "container-title-short",
    "short-title": "title-short",
    "original-title": "original-title",
}

# Crossref plain fields copied as they are.
PLAIN: dict[str, str] = {
    "volume": "volume",
    "issue": "issue",
    "publisher": "publisher",
    "publisher-location": "publisher-place",
    "language": "language",
    "URL": "URL",
    "edition-number": "edition",
    "article-number": "number",
}

NAME_ROLES: dict[str, str] = {
    "author": "author",
    "editor": "editor",
    "translator": "translator",
    "chair": "chair",
}

# Date fields in order of preference for ``issued``.
ISSUED_FROM: tuple[str, ...] = ("issued", "published-print", "published-online", "published", "posted", "created")
