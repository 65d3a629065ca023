"""OpenAlex work types -> CSL (data only).

``article`` depends on where it appeared (the primary location's source type);
older records carry Crossref type names, looked up in ``mappings.crossref``.
"""
from __future__ import annotations

TYPES: dict[str, str] = {
    "article": "article-journal",
    "book": "book",
    "book-chapter": "chapter",
    "dataset": "dataset",
    "dissertation": "thesis",
    "editorial": "article-journal",
    "erratum": "article-journal",
    "grant": "document",
    "letter": "article-journal",
    "libguides": "webpage",
    "other": "document",
    "paratext": "document",
    "peer-review": "review",
    "preprint": "article",
    "reference-entry": "entry",
    "report": "report",
    "retraction": "article-journal",
    "review": "article-journal",  # a review article, not a review of a work
    "standard": "standard",
    "supplementary-materials": "document",
}

# For ``article``: the source type decides between journal, conference and repository.
ARTICLE_BY_SOURCE: dict[str, str] = {
    "journal": "article-journal",
    "conference": "paper-conference",
    "repository": "article",
    "ebook platform": "chapter",
    "book series": "chapter",
}
