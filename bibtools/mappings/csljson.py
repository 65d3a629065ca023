"""CSL-JSON field names that are not CSL variables but that CSL processors read, as data.

Zotero's older exports (and citeproc-js, which accepts them) use camelCase names for two
short forms. A reader puts their value under the CSL variable unless the item gives that
variable itself (citeproc-js: the CSL name wins); writers use the CSL name.
"""
from __future__ import annotations

# legacy key -> CSL variable
ALIASES: dict[str, str] = {
    "journalAbbreviation": "container-title-short",
    "shortTitle": "title-short",
}

# CSL variable -> the category of an abbreviation list (the JSON shape Zotero and citeproc-js
# use: {"default": {"container-title": {"Long Name": "Short"}}}) that gives its short form.
# The categories are citeproc-js's; a list may also name the variable itself ("publisher").
ABBREVIATION_CATEGORIES: dict[str, str] = {
    "title": "title",
    "container-title": "container-title",
    "collection-title": "collection-title",
    "archive": "container-title",
    "genre": "title",
    "event": "title",
    "event-title": "title",
    "medium": "title",
    "publisher": "institution-part",
    "publisher-place": "place",
    "event-place": "place",
    "archive-place": "place",
    "jurisdiction": "place",
    "number": "number",
    "call-number": "number",
    "chapter-number": "number",
    "collection-number": "number",
    "edition": "number",
    "issue": "number",
    "volume": "number",
    "number-of-pages": "number",
    "number-of-volumes": "number",
}
# Variables whose short form is a variable of its own: an abbreviation replaces it.
SHORT_VARIABLES: dict[str, str] = {
    "title": "title-short",
    "container-title": "container-title-short",
}
