"""The CSL vocabulary: item types and the kind of value each variable holds.

One table, used by every reader and writer, so a value never changes shape
depending on which code touched it last (CSL 1.0.2 specification, appendix IV).
"""
from __future__ import annotations

from typing import Literal

Kind = Literal["name", "date", "number", "text"]

ITEM_TYPES: frozenset[str] = frozenset(
    """article article-journal article-magazine article-newspaper bill book broadcast
    chapter classic collection dataset document entry entry-dictionary entry-encyclopedia
    event figure graphic hearing interview legal_case legislation manuscript map
    motion_picture musical_score pamphlet paper-conference patent performance periodical
    personal_communication post post-weblog regulation report review review-book
    software song speech standard thesis treaty webpage""".split()
)

NAME_VARIABLES: frozenset[str] = frozenset(
    """author chair collection-editor compiler composer container-author contributor curator
    director editor editorial-director executive-producer guest host illustrator interviewer
    narrator organizer original-author performer producer recipient reviewed-author
    script-writer series-creator translator""".split()
)

DATE_VARIABLES: frozenset[str] = frozenset(
    "accessed available-date event-date issued original-date submitted".split()
)

NUMBER_VARIABLES: frozenset[str] = frozenset(
    """chapter-number citation-number collection-number edition first-reference-note-number
    issue locator number number-of-pages number-of-volumes page page-first part-number
    printing-number section supplement-number version volume""".split()
)

# Identifier variables are plain text, but readers normalise them (see text/ids.py).
IDENTIFIER_VARIABLES: frozenset[str] = frozenset("DOI ISBN ISSN PMCID PMID URL".split())


def kind_of(variable: str) -> Kind:
    """Kind of value a CSL variable holds; anything unknown is text."""
    if variable in NAME_VARIABLES:
        return "name"
    if variable in DATE_VARIABLES:
        return "date"
    if variable in NUMBER_VARIABLES:
        return "number"
    return "text"

TEXT_VARIABLES: frozenset[str] = frozenset(
    """abstract annote archive archive_collection archive_location archive-place authority
    call-number citation-key citation-label collection-title container-title
    container-title-short dimensions division DOI event event-title event-place genre ISBN
    ISSN jurisdiction keyword language license medium note original-publisher
    original-publisher-place original-title part-title PMCID PMID publisher publisher-place
    references reviewed-genre reviewed-title scale source status title title-short URL
    volume-title year-suffix""".split()
)

ALL_VARIABLES: frozenset[str] = NAME_VARIABLES | DATE_VARIABLES | NUMBER_VARIABLES | TEXT_VARIABLES


def is_variable(name: str) -> bool:
    return name in ALL_VARIABLES
