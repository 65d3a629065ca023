"""BibTeX / BibLaTeX <-> CSL: entry types, fields and inheritance rules, as data.

Reading accepts both dialects at once (a file may mix ``journal`` and
``journaltitle``); writing picks one dialect. The tables were drawn up from
the BibLaTeX manual (sections 2.1-2.3, appendix B) and compared with
citation-js's plugin-bibtex mapping.

Fields that no table names stay in ``Item.extra`` under their native name.
"""
from __future__ import annotations

import re

# --------------------------------------------------------------------------- types

# Native entry type (lower case) -> CSL type, for reading either dialect.
TYPE_TO_CSL: dict[str, str] = {
    # classic BibTeX
    "article": "article-journal",
    "book": "book",
    "booklet": "book",  # as citation-js and Zotero read it; CSL's pamphlet is written back as @booklet
    "conference": "paper-conference",
    "inbook": "chapter",
    "incollection": "chapter",
    "inproceedings": "paper-conference",
    "manual": "report",
    "mastersthesis": "thesis",
    "misc": "document",
    "phdthesis": "thesis",
    "proceedings": "book",
    "techreport": "report",
    "unpublished": "manuscript",
    # BibLaTeX
    "bookinbook": "book",
    "collection": "book",
    "dataset": "dataset",
    "electronic": "webpage",
    "inreference": "entry",
    "mvbook": "book",
    "mvcollection": "book",
    "mvproceedings": "book",
    "mvreference": "book",
    "online": "webpage",
    "patent": "patent",
    "periodical": "periodical",
    "reference": "book",
    "report": "report",
    "software": "software",
    "suppbook": "chapter",
    "suppcollection": "chapter",
    "suppperiodical": "article-journal",
    "thesis": "thesis",
    "www": "webpage",
    # BibLaTeX types that standard styles treat as @misc, but CSL has homes for
    "artwork": "graphic",
    "audio": "song",
    "image": "graphic",  # "images, pictures, photographs" (BibLaTeX manual): a visual work, as pandoc reads it
    "jurisdiction": "legal_case",
    "legal": "treaty",
    "legislation": "legislation",
    "letter": "personal_communication",
    "movie": "motion_picture",
    "music": "song",  # "a musical recording" (BibLaTeX manual), as pandoc reads it; a score is musical_score
    "performance": "performance",
    "review": "review",
    "standard": "standard",
    "video": "motion_picture",
    "set": "document",
    "xdata": "document",
}

# ``entrysubtype`` values that narrow an entry type (BibLaTeX manual 2.2.2; pandoc reads them so).
SUBTYPE_TO_CSL: dict[tuple[str, str], str] = {
    ("article", "magazine"): "article-magazine",
    ("article", "newspaper"): "article-newspaper",
    ("periodical", "magazine"): "article-magazine",
    ("periodical", "newspaper"): "article-newspaper",
}

# CSL type -> classic BibTeX entry type (the 14 types every .bst knows).
CSL_TO_BIBTEX_TYPE: dict[str, str] = {
    "article": "article",
    "article-journal": "article",
    "article-magazine": "article",
    "article-newspaper": "article",
    "review": "article",
    "review-book": "article",
    "periodical": "misc",
    "book": "book",
    "classic": "book",
    "collection": "book",
    "pamphlet": "booklet",
    "chapter": "incollection",
    "entry": "incollection",
    "entry-dictionary": "incollection",
    "entry-encyclopedia": "incollection",
    "paper-conference": "inproceedings",
    "report": "techreport",
    "thesis": "phdthesis",  # mastersthesis when the genre says so (see thesis_type)
    "manuscript": "unpublished",
    "standard": "techreport",
}

# CSL types classic styles have no entry type for are written as @misc; ``howpublished``
# (which plain.bst prints for @misc) then says what the work is, unless it has a medium.
CLASSIC_MISC_HOWPUBLISHED: dict[str, str] = {
    "webpage": "Web page",
    "post": "Online post",
    "post-weblog": "Blog post",
    "software": "Software",
    "dataset": "Dataset",
    "patent": "Patent",
    "motion_picture": "Film",
    "broadcast": "Broadcast",
    "song": "Audio recording",
    "musical_score": "Musical score",
    "graphic": "Artwork",
    "figure": "Figure",
    "map": "Map",
    "interview": "Interview",
    "speech": "Speech",
    "personal_communication": "Personal communication",
    "legal_case": "Legal case",
    "legislation": "Legislation",
    "bill": "Bill",
    "treaty": "Treaty",
    "regulation": "Regulation",
    "hearing": "Hearing",
    "performance": "Performance",
    "event": "Event",
}

# CSL type -> BibLaTeX entry type.
CSL_TO_BIBLATEX_TYPE: dict[str, str] = {
    "article": "article",
    "article-journal": "article",
    "article-magazine": "article",
    "article-newspaper": "article",
    "bill": "legislation",
    "book": "book",
    "broadcast": "audio",
    "chapter": "incollection",
    "classic": "book",
    "collection": "collection",
    "dataset": "dataset",
    "document": "misc",
    "entry": "inreference",
    "entry-dictionary": "inreference",
    "entry-encyclopedia": "inreference",
    "event": "misc",
    "figure": "image",
    "graphic": "artwork",
    "hearing": "legal",
    "interview": "audio",
    "legal_case": "jurisdiction",
    "legislation": "legislation",
    "manuscript": "unpublished",
    "map": "misc",
    "motion_picture": "movie",
    "musical_score": "music",
    "pamphlet": "booklet",
    "paper-conference": "inproceedings",
    "patent": "patent",
    "performance": "performance",
    "periodical": "periodical",
    "personal_communication": "letter",
    "post": "online",
    "post-weblog": "online",
    "regulation": "legal",
    "report": "report",
    "review": "review",
    "review-book": "review",
    "software": "software",
    "song": "music",
    "speech": "audio",
    "standard": "standard",
    "thesis": "thesis",
    "treaty": "legal",
    "webpage": "online",
}

# Entry types each dialect's writer may keep when the native type round-trips.
BIBTEX_TYPES: frozenset[str] = frozenset(
    "article book booklet conference inbook incollection inproceedings manual mastersthesis misc "
    "phdthesis proceedings techreport unpublished".split()
)
BIBLATEX_TYPES: frozenset[str] = frozenset(TYPE_TO_CSL) | BIBTEX_TYPES

# Types and fields only BibLaTeX has: any of them makes a file BibLaTeX (lint's dialect rules).
BIBLATEX_ONLY_TYPES: frozenset[str] = frozenset({
    "mvbook", "bookinbook", "suppbook", "collection", "mvcollection", "suppcollection", "online", "patent",
    "periodical", "suppperiodical", "mvproceedings", "reference", "mvreference", "inreference", "report",
    "set", "thesis", "xdata", "dataset", "software", "artwork", "audio", "image", "legislation", "jurisdiction",
    "legal", "letter", "movie", "music", "performance", "review", "standard", "video",
})
BIBLATEX_ONLY_FIELDS: frozenset[str] = frozenset({
    "journaltitle", "date", "location", "institution_", "maintitle", "subtitle", "titleaddon", "eventdate",
    "urldate", "origdate", "langid", "xdata", "related", "entrysubtype", "eprinttype", "pubstate", "shorthand",
})

# BibLaTeX field -> the classic BibTeX field that holds it, for a .bib written as read into the
# classic dialect (classic styles ignore the BibLaTeX names). The reverse of biber's own legacy
# aliases (biber's documentation, "Field aliases": address -> location, annote -> annotation,
# archiveprefix -> eprinttype, journal -> journaltitle, primaryclass -> eprintclass, school ->
# institution); BibLaTeX output needs no renaming, since biber reads the classic names itself.
# ``eprinttype``/``eprintclass`` stay: no classic style reads either spelling, and the model
# keeps them apart from ``archiveprefix``/``primaryclass``.
# ``institution`` -> ``school`` only for theses: classic @techreport has an ``institution``.
BIBLATEX_TO_CLASSIC_FIELD: dict[str, str] = {
    "journaltitle": "journal",
    "location": "address",
    "annotation": "annote",
}
THESIS_TYPES: frozenset[str] = frozenset({"thesis", "phdthesis", "mastersthesis"})

# Genre implied by a type, so ``@phdthesis`` reads as thesis + "PhD thesis"
# and the writer does not repeat it as a ``type`` field.
IMPLIED_GENRE: dict[str, str] = {
    "phdthesis": "PhD thesis",
    "mastersthesis": "Master's thesis",
}
# BibLaTeX's localisation keys for the ``type`` field -> readable genre.
GENRE_KEYS: dict[str, str] = {
    "phdthesis": "PhD thesis",
    "mathesis": "Master's thesis",
    "candthesis": "Candidate thesis",
    "techreport": "Technical report",
    "resreport": "Research report",
    "software": "Software",
    "datacd": "CD-ROM",
    "audiocd": "Audio CD",
}
MASTERS_GENRE_WORDS: tuple[str, ...] = ("master", "m.sc", "msc", "m.a.", "mathesis", "diplom", "licenti")

# --------------------------------------------------------------------------- fields

# Name-list fields -> CSL name variable.
NAME_FIELDS: dict[str, str] = {
    "author": "author",
    "editor": "editor",
    "translator": "translator",
    "bookauthor": "container-author",
}
CSL_TO_NAME_FIELD: dict[str, str] = {v: k for k, v in NAME_FIELDS.items()}
# Other CSL name variables are written as fields named after the variable
# (``collection-editor = {...}``) and read back the same way.

# Plain one-to-one text fields, both dialects: native -> CSL.
SIMPLE_FIELDS: dict[str, str] = {
    "abstract": "abstract",
    "annote": "annote",
    "annotation": "annote",
    "title": "title",
    "shorttitle": "title-short",
    "series": "collection-title",
    "volume": "volume",
    "volumes": "number-of-volumes",
    "pages": "page",
    "pagetotal": "number-of-pages",
    "numpages": "number-of-pages",
    "edition": "edition",
    "chapter": "chapter-number",
    "note": "note",
    "keywords": "keyword",
    "language": "language",
    "isbn": "ISBN",
    "issn": "ISSN",
    "doi": "DOI",
    "url": "URL",
    "pmid": "PMID",
    "pmcid": "PMCID",
    "eventtitle": "event-title",
    "venue": "event-place",
    "origtitle": "original-title",
    "origlocation": "original-publisher-place",
    "origpublisher": "original-publisher",
    "version": "version",
    "part": "part-number",
    "issuetitle": "volume-title",
    "pubstate": "status",
    "shortjournal": "container-title-short",
    "library": "call-number",
    "type": "genre",
    "eid": "number",
    "howpublished": "medium",
    "archive": "archive",
}

# Several native fields compete for one CSL variable: the first present wins,
# the others stay in ``extra`` under their own name (so nothing is lost).
PRIORITY_FIELDS: dict[str, tuple[str, ...]] = {
    "container-title": ("journaltitle", "journal", "booktitle", "maintitle"),
    "publisher": ("publisher", "institution", "school", "organization"),
    "publisher-place": ("location", "address"),
    "issue": ("number", "issue"),  # only for the types in NUMBER_IS_ISSUE
}
# ``number`` means different things by entry type.
NUMBER_IS_ISSUE: frozenset[str] = frozenset("article periodical suppperiodical inproceedings conference".split())
NUMBER_IS_COLLECTION: frozenset[str] = frozenset(
    "book mvbook inbook bookinbook suppbook collection mvcollection incollection suppcollection "
    "proceedings mvproceedings reference mvreference inreference".split()
)
# Subtitle-ish fields joined to their title on reading ("Title: Subtitle. Addon").
# ``*titleaddon`` fields are annexes, not part of the title: they stay in ``extra``.
SUBTITLES: dict[str, str] = {  # main field -> subtitle field
    "title": "subtitle",
    "journaltitle": "journalsubtitle",
    "journal": "journalsubtitle",
    "booktitle": "booksubtitle",
    "maintitle": "mainsubtitle",
    "issuetitle": "issuesubtitle",
}

# Date fields: BibLaTeX ISO/EDTF field -> CSL date variable.
DATE_FIELDS: dict[str, str] = {
    "date": "issued",
    "urldate": "accessed",
    "eventdate": "event-date",
    "origdate": "original-date",
}
CSL_TO_DATE_FIELD: dict[str, str] = {v: k for k, v in DATE_FIELDS.items()}

# Fields whose value is code, not prose: never LaTeX-decoded, never escaped.
VERBATIM_FIELDS: frozenset[str] = frozenset(
    """url doi eprint file pdf verba verbb verbc urlraw pdfurl localfile ee biburl bibsource
    bdsk-url-1 bdsk-url-2 bdsk-url-3 bdsk-file-1 bdsk-file-2 bdsk-file-3 crossref xref xdata
    ids related entryset key sortkey label shorthand eprintclass primaryclass archiveprefix
    eprinttype isbn issn pmid pmcid mrnumber zbl arxivid arxiv timestamp owner""".split()
)

_URL_LIKE = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|www\.)\S*$", re.I)


def is_verbatim(field: str, value: str = "") -> bool:
    """Fields (and URL-looking values) that are code, not prose."""
    return (
        field in VERBATIM_FIELDS
        or field.startswith(("url", "bdsk-", "file", "pdf"))
        or field.endswith(("url", "file", "uri", "link", "doi"))
        or bool(value and _URL_LIKE.match(value))
    )


# --------------------------------------------------------------------------- writing

# CSL text/number variable -> native field, per dialect (types adjust some, see the writer).
CSL_TO_BIBTEX_FIELD: dict[str, str] = {
    "abstract": "abstract",
    "annote": "annote",
    "title": "title",
    "title-short": "shorttitle",
    "collection-title": "series",
    "volume": "volume",
    "number-of-volumes": "volumes",
    "page": "pages",
    "number-of-pages": "pagetotal",
    "edition": "edition",
    "chapter-number": "chapter",
    "note": "note",
    "keyword": "keywords",
    "language": "language",
    "ISBN": "isbn",
    "ISSN": "issn",
    "DOI": "doi",
    "URL": "url",
    "PMID": "pmid",
    "PMCID": "pmcid",
    "event-title": "eventtitle",
    "event-place": "venue",
    "original-title": "origtitle",
    "original-publisher-place": "origlocation",
    "original-publisher": "origpublisher",
    "version": "version",
    "part-number": "part",
    "volume-title": "issuetitle",
    "status": "pubstate",
    "container-title-short": "shortjournal",
    "call-number": "library",
    "genre": "type",
    "number": "number",
    "issue": "number",
    "collection-number": "number",
    "medium": "howpublished",
    "archive": "archive",
    "publisher": "publisher",
    "publisher-place": "address",
    "container-title": "booktitle",
}
CSL_TO_BIBLATEX_FIELD: dict[str, str] = {
    **CSL_TO_BIBTEX_FIELD,
    "publisher-place": "location",
}

# Native field order in written entries; anything else follows in model order.
FIELD_ORDER: tuple[str, ...] = (
    "author", "editor", "translator", "bookauthor", "editora", "editoratype", "holder",
    "title", "subtitle", "titleaddon", "shorttitle",
    "journal", "journaltitle", "shortjournal", "booktitle", "maintitle", "eventtitle",
    "eventdate", "venue", "series", "edition", "volume", "volumes", "number", "issue", "eid", "chapter", "pages",
    "pagetotal", "part", "issuetitle", "type", "howpublished",
    "publisher", "institution", "school", "organization", "address", "location",
    "year", "month", "day", "date", "origdate", "origtitle", "origpublisher", "origlocation",
    "pubstate", "version", "language", "isbn", "issn", "doi", "pmid", "pmcid",
    "eprint", "eprinttype", "archiveprefix", "eprintclass", "primaryclass",
    "url", "urldate", "crossref", "xdata", "keywords", "abstract", "note", "annote",
)

# --------------------------------------------------------------------------- inheritance

# Fields a child never takes from its crossref/xdata parent (BibLaTeX manual 2.4.1 / biber).
NOT_INHERITED: frozenset[str] = frozenset(
    """ids crossref xref xdata entryset entrysubtype entrytype execute key label options presort related
    relatedoptions relatedstring relatedtype shorthand shorthandintro sortkey""".split()
)
# BibLaTeX's default renames on inheritance (manual appendix B):
# (parent types, child types) -> {parent field: child field}. Unlisted fields keep their name.
_BOOKISH = ("book", "collection", "proceedings", "reference")
INHERIT_RENAMES: tuple[tuple[tuple[str, ...], tuple[str, ...], dict[str, str]], ...] = (
    (("mvbook", "mvcollection", "mvproceedings", "mvreference"),
     ("book", "inbook", "bookinbook", "suppbook", "collection", "incollection", "suppcollection",
      "proceedings", "inproceedings", "reference", "inreference"),
     {"title": "maintitle", "subtitle": "mainsubtitle", "titleaddon": "maintitleaddon",
      "shorttitle": "", "sorttitle": "", "indextitle": "", "indexsorttitle": ""}),
    (("mvbook", "book"), ("inbook", "bookinbook", "suppbook"),
     {"author": "bookauthor"}),
    (_BOOKISH, ("inbook", "bookinbook", "suppbook", "incollection", "suppcollection", "inproceedings",
                "conference", "inreference"),
     {"title": "booktitle", "subtitle": "booksubtitle", "titleaddon": "booktitleaddon",
      "shorttitle": "", "sorttitle": "", "indextitle": "", "indexsorttitle": ""}),
    (("periodical",), ("article", "suppperiodical"),
     {"title": "journaltitle", "subtitle": "journalsubtitle", "shorttitle": "", "sorttitle": "",
      "indextitle": "", "indexsorttitle": ""}),
)

# BibLaTeX's punctuation and localisation commands, which BibLaTeX sources use in field
# values, are undefined under classic BibTeX styles: a classic-dialect file that uses one
# carries a ``@preamble`` with a plain LaTeX stand-in (``\providecommand``, so biblatex's
# own definitions win where it is loaded).
BIBLATEX_COMMAND_STANDINS: dict[str, str] = {
    "adddot": r"\providecommand{\adddot}{.}",
    "addcomma": r"\providecommand{\addcomma}{,}",
    "addcolon": r"\providecommand{\addcolon}{:}",
    "addsemicolon": r"\providecommand{\addsemicolon}{;}",
    "addperiod": r"\providecommand{\addperiod}{.}",
    "addspace": r"\providecommand{\addspace}{ }",
    "addnbspace": r"\providecommand{\addnbspace}{~}",
    "addthinspace": r"\providecommand{\addthinspace}{\,}",
    "addabbrvspace": r"\providecommand{\addabbrvspace}{ }",
    "adddotspace": r"\providecommand{\adddotspace}{. }",
    "addslash": r"\providecommand{\addslash}{/}",
    "nopunct": r"\providecommand{\nopunct}{}",
    "isdot": r"\providecommand{\isdot}{}",
    "bibrangedash": r"\providecommand{\bibrangedash}{--}",
    "bibdatedash": r"\providecommand{\bibdatedash}{--}",
    "hyphen": r"\providecommand{\hyphen}{-}",
    "mkbibparens": r"\providecommand{\mkbibparens}[1]{(#1)}",
    "mkbibbrackets": r"\providecommand{\mkbibbrackets}[1]{[#1]}",
    "bibstring": r"\providecommand{\bibstring}[1]{#1}",
    "biblstring": r"\providecommand{\biblstring}[1]{#1}",
    "bibsstring": r"\providecommand{\bibsstring}[1]{#1}",
    "autocap": r"\providecommand{\autocap}[1]{#1}",
    "mkbibacro": r"\providecommand{\mkbibacro}[1]{\textsc{#1}}",
    # markup a .bib written for biblatex keeps when written as read (faithful writes)
    "mkbibquote": r"\providecommand{\mkbibquote}[1]{``#1''}",
    "enquote": r"\providecommand{\enquote}[1]{``#1''}",
    "mkbibemph": r"\providecommand{\mkbibemph}[1]{\emph{#1}}",
    "mkbibitalic": r"\providecommand{\mkbibitalic}[1]{\textit{#1}}",
    "mkbibbold": r"\providecommand{\mkbibbold}[1]{\textbf{#1}}",
    "mkbibsuperscript": r"\providecommand{\mkbibsuperscript}[1]{\textsuperscript{#1}}",
}

# Month macros every BibTeX style defines.
MONTH_MACROS: dict[str, str] = {
    "jan": "January", "feb": "February", "mar": "March", "apr": "April", "may": "May", "jun": "June",
    "jul": "July", "aug": "August", "sep": "September", "oct": "October", "nov": "November", "dec": "December",
}

# --------------------------------------------------------------------------- names in options

# year/month/day are parts of CSL's ``issued`` (formats/bibtex/fields.py reads them together).
DATE_PART_FIELDS: dict[str, str] = {"year": "issued", "month": "issued", "day": "issued"}
# Every native field name -> the CSL variable it fills, for options that take either name.
FIELD_TO_CSL: dict[str, str] = {
    **{name: variable for variable, names in PRIORITY_FIELDS.items() for name in names},
    **SIMPLE_FIELDS,
    **NAME_FIELDS,
    **DATE_FIELDS,
    **DATE_PART_FIELDS,
}
