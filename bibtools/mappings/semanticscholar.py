"""Semantic Scholar ``publicationTypes`` -> CSL (data only).

A paper lists several types; the first match in ``TYPE_PRIORITY`` wins.
"""
from __future__ import annotations

TYPE_PRIORITY: tuple[tuple[str, str], ...] = (
    ("Conference", "paper-conference"),
    ("BookSection", "chapter"),
    ("Book", "book"),
    ("Dataset", "dataset"),
    ("News", "article-newspaper"),
    ("JournalArticle", "article-journal"),
    ("Review", "article-journal"),
    ("MetaAnalysis", "article-journal"),
    ("CaseReport", "article-journal"),
    ("ClinicalTrial", "article-journal"),
    ("Study", "article-journal"),
    ("Editorial", "article-journal"),
    ("LettersAndComments", "article-journal"),
)

# externalIds key -> CSL variable
EXTERNAL_IDS: dict[str, str] = {"DOI": "DOI", "PubMed": "PMID", "PubMedCentral": "PMCID"}
