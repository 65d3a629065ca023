"""RIS <-> CSL tables, as data.

The semantics follow Zotero's RIS translator (zotero/translators, RIS.js):
a ``TY`` code names a Zotero item type, and what a tag means depends on that
Zotero type (``T2`` is a book title in a chapter, a series in a book...). We
keep that two-step structure - TY -> Zotero type -> CSL type, tag + Zotero type
-> CSL variable - so every type-specific rule of Zotero has one place here,
while the model only ever sees CSL types and variables.

Rule syntax (``PRIMARY_TAGS`` / ``SECONDARY_TAGS``): a tag maps either to one
target, or to a dict ``{target: "zoteroType zoteroType ...", "*": default,
"-": "types excluded from the default"}``. Targets are CSL variables; a
leading ``@`` marks a name variable. A tag with no target for a type is kept
verbatim in ``Item.extra`` under the tag, and written back.

Secondary tags are the old/degenerate spellings (``T1``, ``Y1``, ``JF``,
``N2``...): Zotero applies them only after the primary tags, so ``TI`` beats
``T1`` and ``DA`` beats ``Y1`` whatever the order in the record.

Deliberate differences from Zotero (tested, listed in tests/test_ris.py):
- ``GEN`` ("Generic") reads as CSL ``document`` (Zotero: journal article), so a
  ``document`` survives RIS -> model -> RIS;
- ``UNPB`` ("Unpublished work", not in Zotero's map) reads as CSL ``article``
  (preprint / working paper), and ``article`` is written as ``UNPB``;
- ``T2`` of a conference paper is its proceedings (``container-title``), as
  EndNote, Scopus and JabRef use it (Zotero: conference name);
- ``ID`` is the citation key (``KEY_TAG``; Zotero ignores it), so keys survive
  .bib -> RIS -> .bib and a merge with a file's own RIS export matches by key;
- ``M1`` is not read as the issue of a journal article (an EndNote quirk that
  turns Scopus/SciFinder copyright notes into issue numbers); it stays in extra.
"""
from __future__ import annotations

# -- item types ---------------------------------------------------------------

# RIS TY -> Zotero item type (Zotero's import map, plus the export map inverted).
TY_TO_ZOTERO: dict[str, str] = {
    "ABST": "journalArticle", "ADVS": "film", "AGGR": "document", "ANCIENT": "document",
    "ART": "artwork", "BILL": "bill", "BLOG": "blogPost", "BOOK": "book", "CASE": "case",
    "CHAP": "bookSection", "CHART": "artwork", "CLSWK": "book", "COMP": "computerProgram",
    "CONF": "conferencePaper", "CPAPER": "conferencePaper", "CTLG": "magazineArticle",
    "DATA": "dataset", "DBASE": "dataset", "DICT": "dictionaryEntry", "EBOOK": "book",
    "ECHAP": "bookSection", "EDBOOK": "book", "EJOUR": "journalArticle", "ELEC": "webpage",
    "ENCYC": "encyclopediaArticle", "EQUA": "document", "FIGURE": "artwork",
    "GEN": "document", "GOVDOC": "report", "GRNT": "document", "HEAR": "hearing",
    "ICOMM": "email", "INPR": "manuscript", "JFULL": "journalArticle", "JOUR": "journalArticle",
    "LEGAL": "case", "MANSCPT": "manuscript", "MAP": "map", "MGZN": "magazineArticle",
    "MPCT": "film", "MULTI": "videoRecording", "MUSIC": "audioRecording",
    "NEWS": "newspaperArticle", "PAMP": "manuscript", "PAT": "patent", "PCOMM": "letter",
    "RPRT": "report", "SER": "book", "SLIDE": "presentation", "SOUND": "audioRecording",
    "STAND": "report", "STAT": "statute", "THES": "thesis", "UNBILL": "manuscript",
    "UNPB": "journalArticle", "UNPD": "manuscript", "VIDEO": "videoRecording", "WEB": "webpage",
}

# TY codes whose CSL type is more precise than Zotero's reading (the tag rules stay Zotero's).
TY_CSL_OVERRIDE: dict[str, str] = {"UNPB": "article"}

# TY values that say a record is a (meeting) abstract, though it reads as an article: dedupe
# keeps an abstract apart from the article it became (``matchnorm.abstract_sign``).
ABSTRACT_TYPES: frozenset[str] = frozenset({"ABST"})

# A missing or unknown TY reads as Zotero does: a journal article (most RIS records are).
DEFAULT_READ_TYPE = "journalArticle"

# Long type names some exporters write instead of the code (EndNote, rispy's table).
TY_ALIASES: dict[str, str] = {
    "JOURNAL ARTICLE": "JOUR", "JOURNAL": "JOUR", "ARTICLE": "JOUR", "BOOK SECTION": "CHAP",
    "BOOK CHAPTER": "CHAP", "WHOLE BOOK": "BOOK", "EDITED BOOK": "EDBOOK",
    "CONFERENCE PAPER": "CPAPER", "CONFERENCE PROCEEDINGS": "CONF",
    "CONFERENCE PROCEEDING": "CONF", "THESIS": "THES", "THESIS/DISSERTATION": "THES",
    "DISSERTATION": "THES", "REPORT": "RPRT", "WEB PAGE": "ELEC", "WEBPAGE": "ELEC",
    "PATENT": "PAT", "GENERIC": "GEN", "MAGAZINE ARTICLE": "MGZN",
    "NEWSPAPER ARTICLE": "NEWS", "UNPUBLISHED WORK": "UNPB", "MANUSCRIPT": "MANSCPT",
    "ELECTRONIC ARTICLE": "EJOUR", "ELECTRONIC BOOK": "EBOOK", "DATASET": "DATA",
}

ZOTERO_TO_CSL: dict[str, str] = {
    "artwork": "graphic", "audioRecording": "song", "bill": "bill", "blogPost": "post-weblog",
    "book": "book", "bookSection": "chapter", "case": "legal_case",
    "computerProgram": "software", "conferencePaper": "paper-conference", "dataset": "dataset",
    "dictionaryEntry": "entry-dictionary", "document": "document",
    "email": "personal_communication", "encyclopediaArticle": "entry-encyclopedia",
    "film": "motion_picture", "forumPost": "post", "hearing": "hearing",
    "instantMessage": "personal_communication", "interview": "interview",
    "journalArticle": "article-journal", "letter": "personal_communication",
    "magazineArticle": "article-magazine", "manuscript": "manuscript", "map": "map",
    "newspaperArticle": "article-newspaper", "patent": "patent", "podcast": "song",
    "presentation": "speech", "preprint": "article", "radioBroadcast": "broadcast",
    "report": "report", "standard": "standard", "statute": "legislation", "thesis": "thesis",
    "tvBroadcast": "broadcast", "videoRecording": "motion_picture", "webpage": "webpage",
}

# Writing: CSL type -> (Zotero type whose tag rules apply, TY code).
CSL_TO_RIS: dict[str, tuple[str, str]] = {
    "article": ("journalArticle", "UNPB"), "article-journal": ("journalArticle", "JOUR"),
    "article-magazine": ("magazineArticle", "MGZN"),
    "article-newspaper": ("newspaperArticle", "NEWS"), "bill": ("bill", "BILL"),
    "book": ("book", "BOOK"), "broadcast": ("tvBroadcast", "MPCT"),
    "chapter": ("bookSection", "CHAP"), "classic": ("book", "CLSWK"),
    "collection": ("book", "EDBOOK"), "dataset": ("dataset", "DATA"),
    "document": ("document", "GEN"), "entry": ("encyclopediaArticle", "ENCYC"),
    "entry-dictionary": ("dictionaryEntry", "DICT"),
    "entry-encyclopedia": ("encyclopediaArticle", "ENCYC"), "event": ("presentation", "SLIDE"),
    "figure": ("artwork", "FIGURE"), "graphic": ("artwork", "ART"),
    "hearing": ("hearing", "HEAR"), "interview": ("interview", "PCOMM"),
    "legal_case": ("case", "CASE"), "legislation": ("statute", "STAT"),
    "manuscript": ("manuscript", "MANSCPT"), "map": ("map", "MAP"),
    "motion_picture": ("film", "MPCT"), "musical_score": ("audioRecording", "MUSIC"),
    "pamphlet": ("manuscript", "PAMP"), "paper-conference": ("conferencePaper", "CONF"),
    "patent": ("patent", "PAT"), "performance": ("presentation", "SLIDE"),
    "periodical": ("journalArticle", "JFULL"),
    "personal_communication": ("letter", "PCOMM"), "post": ("forumPost", "ICOMM"),
    "post-weblog": ("blogPost", "BLOG"), "regulation": ("statute", "LEGAL"),
    "report": ("report", "RPRT"), "review": ("journalArticle", "JOUR"),
    "review-book": ("journalArticle", "JOUR"), "software": ("computerProgram", "COMP"),
    "song": ("audioRecording", "SOUND"), "speech": ("presentation", "SLIDE"),
    "standard": ("report", "STAND"), "thesis": ("thesis", "THES"),
    "treaty": ("document", "GEN"), "webpage": ("webpage", "ELEC"),
}

# ProCite writes some fields as "Label: value" notes (N1); the roles its
# "Author Role" notes name, as CSL name variables (after Zotero's ProCite cleaner).
PROCITE_ROLES: dict[str, str] = {
    "actor": "performer", "author": "author", "cartographer": "author", "composer": "composer",
    "composed": "composer", "director": "director", "directed": "director",
    "performer": "performer", "performed": "performer", "producer": "producer",
    "produced": "producer", "editor": "editor", "ed": "editor", "edited": "editor",
    "editor-in-chief": "editor", "compiler": "editor", "compiled": "editor",
    "collected": "editor", "assembled": "editor", "presenter": "author", "presented": "author",
    "translator": "translator", "translated": "translator", "introduction": "contributor",
}
DEFAULT_WRITE = ("document", "GEN")

# -- tags -----------------------------------------------------------------------

_AUTHOR_RULE: dict[str, str] = {
    "*": "@author",
    "@composer": "audioRecording",
    "@director": "film radioBroadcast tvBroadcast videoRecording",
}
_TITLE_RULE = "title"  # email subject, case name and act name are all CSL ``title``

PRIMARY_TAGS: dict[str, str | dict[str, str]] = {
    "AB": "abstract",
    "AN": "archive_location",
    "CN": "call-number",
    "DB": "archive",
    "DO": "DOI",
    "DP": "source",
    "J2": "container-title-short",
    "KW": "keyword",
    "N1": "note",
    "ST": "title-short",
    "UR": "URL",
    "Y2": "accessed",
    "TI": _TITLE_RULE,
    "T2": {
        "container-title": "bookSection blogPost dictionaryEntry encyclopediaArticle forumPost "
        "webpage radioBroadcast tvBroadcast journalArticle magazineArticle newspaperArticle "
        "bill statute conferencePaper",
        "section": "hearing",
        "event-title": "presentation",
        "collection-title": "computerProgram map report book",
    },
    "T3": {
        "authority": "hearing bill",
        "collection-title": "bookSection conferencePaper journalArticle audioRecording",
    },
    "AU": _AUTHOR_RULE,
    "A1": _AUTHOR_RULE,
    "A2": {
        "@author": "bill presentation",
        "@performer": "audioRecording",
        "@interviewer": "interview",
        "@editor": "journalArticle bookSection conferencePaper dictionaryEntry document encyclopediaArticle",
        "@collection-editor": "book report",
        "@recipient": "email instantMessage letter",
        "container-title": "case",
        "authority": "patent",
    },
    "A3": {
        "@contributor": "thesis bill",
        "@producer": "film tvBroadcast videoRecording radioBroadcast",
        "@editor": "book",
        "@collection-editor": "bookSection conferencePaper dictionaryEntry encyclopediaArticle map",
    },
    "A4": {"*": "@translator", "@contributor": "case conferencePaper film dataset"},
    "C1": {
        "submitted": "patent",
        "@performer": "radioBroadcast tvBroadcast videoRecording",
        "scale": "map",
        "event-place": "conferencePaper",
    },
    "C2": {"issued": "patent", "@container-author": "bookSection", "@contributor": "blogPost"},
    "C3": {"dimensions": "artwork", "container-title": "conferencePaper", "jurisdiction": "patent"},
    "C4": {"@contributor": "audioRecording patent", "genre": "film"},
    "C5": {"references": "patent", "medium": "audioRecording radioBroadcast film tvBroadcast videoRecording"},
    "C6": {"status": "patent"},
    "CY": "publisher-place",
    "DA": "issued",
    "ET": {"*": "edition", "version": "computerProgram dataset", "-": "bill hearing statute"},
    "IS": {"*": "issue", "number-of-volumes": "bookSection", "version": "dataset"},
    "LA": "language",
    "M1": {"collection-number": "book", "number": "bill hearing statute podcast radioBroadcast tvBroadcast"},
    "M3": {
        "genre": "manuscript map report thesis blogPost webpage forumPost letter presentation",
        "medium": "interview artwork podcast",
    },
    "NV": {"*": "number-of-volumes", "number": "dataset", "-": "bookSection"},
    "OP": {"references": "hearing statute bill case"},
    "PB": {"*": "publisher", "authority": "case"},
    "PY": "issued",
    "SE": {"*": "section", "-": "case"},
    "SN": {"*": "ISBN", "ISSN": "journalArticle magazineArticle newspaperArticle", "number": "patent report"},
    "SP": {"*": "page", "number-of-pages": "book thesis manuscript", "dimensions": "film"},
    "SV": {"collection-number": "bookSection", "number": "case"},
    "VL": {"*": "volume", "-": "patent webpage"},
}

SECONDARY_TAGS: dict[str, str | dict[str, str]] = {
    "AV": "archive_location",
    "BT": {"title": "book manuscript", "*": "container-title"},
    "CR": "license",
    "CT": "title",
    "ED": "@editor",
    "EP": "page",  # joined to SP, see formats/ris.py
    "JA": "container-title-short",
    "JF": "container-title",
    "JO": {"*": "container-title-short", "event-title": "conferencePaper"},
    "M3": "DOI",  # EndNote puts the DOI here; only taken when the value is a DOI
    "N2": "abstract",
    "RN": "note",
    "T1": _TITLE_RULE,
    "T2": "container-title",
    "T3": {"collection-title": "book"},
    "Y1": "issued",
}

# Values of these tags keep their line breaks (notes, abstracts, lists).
MULTILINE_TAGS: frozenset[str] = frozenset({"AB", "N1", "N2", "RN", "KW", "L1", "L2", "L3", "L4"})

# Order tags are written in (Zotero's export order, then the rest).
# The tag that holds a record's citation key, both ways: written from the key, read as the key
# (JabRef and Better BibTeX write the key there; EndNote its record number). Further ID lines
# of one record are kept in ``Item.extra`` like any tag without a CSL meaning.
KEY_TAG = "ID"

WRITE_ORDER: tuple[str, ...] = (
    "TI", "AU", "T2", "A2", "T3", "A3", "A4", "AB", "C1", "C2", "C3", "C4", "C5", "C6", "CN",
    "CY", "DA", "PY", "DO", "DP", "ET", "VL", "IS", "SP", "J2", "LA", "M1", "M3", "NV", "OP",
    "PB", "SE", "SN", "ST", "SV", "UR", "AN", "DB", "Y2", "N1", "KW",
)


def target(tag: str, zotero_type: str, table: dict[str, str | dict[str, str]]) -> str | None:
    """The CSL variable (``@name`` for names) ``tag`` means in ``zotero_type``, or None."""
    rule = table.get(tag)
    if rule is None:
        return None
    if isinstance(rule, str):
        return rule
    for var, types in rule.items():
        if var in ("*", "-"):
            continue
        if zotero_type in types.split():
            return var
    if "*" in rule and zotero_type not in rule.get("-", "").split():
        return rule["*"]
    return None


def read_target(tag: str, zotero_type: str) -> tuple[str | None, bool]:
    """(CSL target, is_secondary) for reading ``tag`` in a record of ``zotero_type``."""
    found = target(tag, zotero_type, PRIMARY_TAGS)
    if found is not None:
        return found, tag in SECONDARY_TAGS
    found = target(tag, zotero_type, SECONDARY_TAGS)
    return found, True


_NOT_WRITTEN = frozenset({"PY", "A1", "T1", "Y1", "EP"})  # PY/EP come with DA/SP; the rest are old spellings


def write_tag(variable: str, zotero_type: str) -> str | None:
    """The tag to write CSL ``variable`` (``@name`` for names) under, for ``zotero_type``."""
    for table in (PRIMARY_TAGS, SECONDARY_TAGS):
        for tag in (*WRITE_ORDER, *sorted(table)):
            if tag in _NOT_WRITTEN or target(tag, zotero_type, table) != variable:
                continue
            if table is SECONDARY_TAGS and target(tag, zotero_type, PRIMARY_TAGS) not in (None, variable):
                continue  # the tag means something else for this type
            return tag
    return None
