"""Required fields per entry type, as data.

Each type maps to a tuple of requirements; a requirement is a tuple of
alternatives, any one of which satisfies it (``("author", "editor")``).
Sources: btxdoc (BibTeX, 1988) section 3; the biblatex manual section 2.1
(the "required fields" of each type, with ``date`` satisfied by ``year``
and the BibTeX names biblatex accepts as aliases: journal, school, address).
"""
from __future__ import annotations

Requirement = tuple[str, ...]
Table = dict[str, tuple[Requirement, ...]]

BIBTEX_REQUIRED: Table = {
    "article": (("author",), ("title",), ("journal",), ("year",)),
    "book": (("author", "editor"), ("title",), ("publisher",), ("year",)),
    "booklet": (("title",),),
    "conference": (("author",), ("title",), ("booktitle",), ("year",)),
    "inbook": (("author", "editor"), ("title",), ("chapter", "pages"), ("publisher",), ("year",)),
    "incollection": (("author",), ("title",), ("booktitle",), ("publisher",), ("year",)),
    "inproceedings": (("author",), ("title",), ("booktitle",), ("year",)),
    "manual": (("title",),),
    "mastersthesis": (("author",), ("title",), ("school",), ("year",)),
    "misc": (),
    "phdthesis": (("author",), ("title",), ("school",), ("year",)),
    "proceedings": (("title",), ("year",)),
    "techreport": (("author",), ("title",), ("institution",), ("year",)),
    "unpublished": (("author",), ("title",), ("note",)),
}

_DATE = ("date", "year")
_JOURNAL = ("journaltitle", "journal")
_INSTITUTION = ("institution", "school")
_IN_BOOK = (("author",), ("title",), ("booktitle",), _DATE)

BIBLATEX_REQUIRED: Table = {
    "article": (("author",), ("title",), _JOURNAL, _DATE),
    "book": (("author",), ("title",), _DATE),
    "mvbook": (("author",), ("title",), _DATE),
    "inbook": _IN_BOOK,
    "bookinbook": _IN_BOOK,
    "suppbook": _IN_BOOK,
    "booklet": (("author", "editor"), ("title",), _DATE),
    "collection": (("editor",), ("title",), _DATE),
    "mvcollection": (("editor",), ("title",), _DATE),
    "incollection": _IN_BOOK,
    "suppcollection": _IN_BOOK,
    "dataset": (("author", "editor"), ("title",), _DATE),
    "manual": (("author", "editor"), ("title",), _DATE),
    "misc": (("author", "editor"), ("title",), _DATE),
    "software": (("author", "editor"), ("title",), _DATE),
    "online": (("author", "editor"), ("title",), _DATE, ("doi", "eprint", "url")),
    "patent": (("author",), ("title",), ("number",), _DATE),
    "periodical": (("editor",), ("title",), _DATE),
    "suppperiodical": _IN_BOOK[:2] + (_JOURNAL, _DATE),
    "proceedings": (("title",), _DATE),
    "mvproceedings": (("title",), _DATE),
    "inproceedings": _IN_BOOK,
    "reference": (("editor",), ("title",), _DATE),
    "mvreference": (("editor",), ("title",), _DATE),
    "inreference": _IN_BOOK,
    "report": (("author",), ("title",), ("type",), _INSTITUTION, _DATE),
    "thesis": (("author",), ("title",), ("type",), _INSTITUTION, _DATE),
    "unpublished": (("author",), ("title",), _DATE),
    "set": (),
    "xdata": (),
    # BibTeX types biblatex accepts as aliases; the thesis/report "type" is implied.
    "conference": _IN_BOOK,
    "electronic": (("author", "editor"), ("title",), _DATE, ("doi", "eprint", "url")),
    "www": (("author", "editor"), ("title",), _DATE, ("doi", "eprint", "url")),
    "mastersthesis": (("author",), ("title",), _INSTITUTION, _DATE),
    "phdthesis": (("author",), ("title",), _INSTITUTION, _DATE),
    "techreport": (("author",), ("title",), _INSTITUTION, _DATE),
}

# Types biblatex knows but only styles use (no required fields of their own).
BIBLATEX_OTHER_TYPES = frozenset({
    "artwork", "audio", "bibnote", "commentary", "image", "jurisdiction", "legislation", "legal", "letter",
    "movie", "music", "performance", "review", "standard", "video", "customa", "customb", "customc",
    "customd", "custome", "customf",
})

# CSL items (CSL-JSON, RIS, API records) seen through the lint record names.
CSL_REQUIRED: Table = {
    "article-journal": (("title",), ("author", "editor"), ("container-title",), ("date",)),
    "book": (("title",), ("author", "editor"), ("date",)),
    "chapter": (("title",), ("container-title",), ("date",)),
    "paper-conference": (("title",), ("author",), ("container-title", "event-title"), ("date",)),
    "report": (("title",), ("date",)),
    "thesis": (("title",), ("author",), ("date",)),
    "webpage": (("title",), ("url",)),
}

# When a child names a parent by crossref, these parent fields stand in for the child's.
PARENT_FIELD_FOR: dict[str, tuple[str, ...]] = {
    "booktitle": ("booktitle", "title"),
    "maintitle": ("maintitle", "title"),
    "journaltitle": ("journaltitle", "journal", "title"),
    "journal": ("journal", "journaltitle", "title"),
}

# Fields whose content is verbatim (biblatex) or a path/identifier: LaTeX specials are literal there.
VERBATIM_FIELDS = frozenset({
    "url", "doi", "eprint", "file", "pdf", "verba", "verbb", "verbc", "urlraw", "eprintclass", "primaryclass",
    "archiveprefix", "bdsk-url-1", "bdsk-url-2", "bdsk-file-1", "local-url", "ee", "biburl", "bibsource",
    "timestamp", "owner", "groups", "mendeley-groups", "mendeley-tags", "isbn", "issn", "crossref", "xref",
    "xdata", "related", "ids", "keywords", "langid", "pmid", "pmcid", "arxivid", "key", "entryset",
})

# Fields that styles typeset: an unescaped LaTeX special there breaks the document.
TYPESET_FIELDS = frozenset({
    "title", "subtitle", "titleaddon", "booktitle", "booksubtitle", "booktitleaddon", "maintitle",
    "mainsubtitle", "journal", "journaltitle", "journalsubtitle", "author", "editor", "translator",
    "publisher", "address", "location", "organization", "institution", "school", "note", "addendum",
    "howpublished", "series", "edition", "chapter", "volume", "number", "pages", "type", "eventtitle",
    "venue", "version", "issuetitle", "issuesubtitle", "pubstate", "origtitle", "shorttitle", "month", "year",
})

# Title-like fields whose case a style may change (BibTeX's change.case$, biblatex \MakeSentenceCase).
CASE_CHANGED_FIELDS = ("title", "subtitle", "booktitle", "titleaddon")
NAME_FIELDS = ("author", "editor", "translator", "bookauthor", "editora", "editorb", "editorc")


def required_table(dialect: str) -> Table:
    if dialect == "biblatex":
        return BIBLATEX_REQUIRED
    if dialect == "csl":
        return CSL_REQUIRED
    return BIBTEX_REQUIRED


def known_type(entry_type: str, dialect: str) -> bool:
    if dialect == "csl":
        return True  # CSL types are checked by the CSL-JSON reader itself
    return entry_type in BIBTEX_REQUIRED or entry_type in BIBLATEX_REQUIRED or entry_type in BIBLATEX_OTHER_TYPES
