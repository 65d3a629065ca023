"""Normalised forms used to match records: identifiers, titles, names, pages.

Pure functions of strings and items (no comparison logic: that is in
``dedupe``). Everything here is insensitive to the things databases vary on:
DOI prefixes and case, arXiv versions, ISBN-10 vs 13, and title case, accents,
LaTeX, markup and punctuation.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import Any
from urllib.parse import unquote

from anyascii import anyascii

from .mappings.ris import ABSTRACT_TYPES
from .model import Item, Name

# -- identifiers ---------------------------------------------------------------

_DOI_PREFIX = re.compile(r"^(?:https?://)?(?:dx\.)?(?:www\.)?doi\.org/|^doi:\s*|^https?://[^/]*/doi/(?:abs/|full/|pdf/)?", re.I)
_DOI_SHAPE = re.compile(r"10\.\d{4,9}/\S+")
_ARXIV_NEW = re.compile(r"(?<![\d.])(\d{4}\.\d{4,5})(?:v\d+)?(?![\d])", re.I)
_ARXIV_OLD = re.compile(r"\b([a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?\b", re.I)
PREPRINT_DOI_PREFIXES = ("10.48550/arxiv.", "10.1101/", "10.2139/ssrn", "10.31219/", "10.31234/", "10.20944/preprints", "10.21203/rs.")
PREPRINT_VENUES = ("arxiv", "biorxiv", "medrxiv", "ssrn", "preprint", "research square", "psyarxiv", "osf preprints", "corr")


def normalize_doi(value: str | None) -> str | None:
    """``10.xxxx/...`` in lower case, without ``https://doi.org/``, ``doi:`` or trailing punctuation."""
    if not value:
        return None
    text = unquote(value.strip())
    text = _DOI_PREFIX.sub("", text)
    match = _DOI_SHAPE.search(text)
    if not match:
        return None
    return match.group(0).rstrip(".,;)]}").lower()


def normalize_arxiv(value: str | None) -> str | None:
    """An arXiv id without version (``2101.00001``, ``hep-th/9901001``), from an id, URL or DOI."""
    if not value:
        return None
    text = value.strip()
    text = re.sub(r"^(?:arxiv:|https?://(?:www\.)?(?:export\.)?arxiv\.org/(?:abs|pdf)/)", "", text, flags=re.I)
    text = re.sub(r"^10\.48550/arxiv\.", "", text, flags=re.I)
    match = _ARXIV_NEW.search(text)
    if match:
        return match.group(1)
    match = _ARXIV_OLD.search(text)
    if match:
        return match.group(1).lower()
    return None


def _isbn10_to_13(digits: str) -> str:
    core = "978" + digits[:9]
    check = (10 - sum((1 if i % 2 == 0 else 3) * int(c) for i, c in enumerate(core)) % 10) % 10
    return core + str(check)


def normalize_isbn(value: str | None) -> list[str]:
    """Every ISBN in ``value`` as 13 digits (ISBN-10s converted)."""
    if not value:
        return []
    return list(_isbns(value))


@lru_cache(maxsize=1 << 16)  # (a proceedings' ISBN is on every one of its papers)
def _isbns(value: str) -> tuple[str, ...]:
    out: list[str] = []
    for chunk in re.split(r"[,;/]|\s(?=\d{9})", value):
        digits = re.sub(r"[^0-9Xx]", "", chunk).upper()
        if len(digits) == 10 and digits[:9].isdigit():
            out.append(_isbn10_to_13(digits))
        elif len(digits) == 13 and digits.isdigit():
            out.append(digits)
    return tuple(out)


def extra_of(item: Item | dict[str, str], *names: str) -> str | None:
    if isinstance(item, Item):
        if not item.extra:
            return None
        lowered = {key.lower(): value for key, value in item.extra.items() if value}
    else:
        lowered = item
    for name in names:
        if name in lowered:
            return lowered[name]
    return None


_NON_DIGITS = re.compile(r"\D")


def item_identifiers(item: Item) -> dict[str, Any]:
    """Normalised identifiers of an item: doi, arxiv, pmid, isbn (list)."""
    ids: dict[str, Any] = {}
    extra = {key.lower(): value for key, value in item.extra.items() if value}
    doi = normalize_doi(text_of(item, "DOI") or extra_of(extra, "doi"))
    arxiv = None
    if doi and doi.startswith("10.48550/arxiv."):
        arxiv = normalize_arxiv(doi)
    eprint = extra_of(extra, "eprint", "arxiv", "arxivid", "arxiv_id")
    eprinttype = (extra_of(extra, "eprinttype", "archiveprefix") or "").lower()
    if eprint and (eprinttype in ("arxiv", "") or "arxiv" in eprint.lower()):
        arxiv = arxiv or normalize_arxiv(eprint)
    for source in (text_of(item, "URL"), extra_of(extra, "url")):
        if not arxiv and source and "arxiv.org/" in source.lower():
            arxiv = normalize_arxiv(source)
    venue = (text_of(item, "container-title") or text_of(item, "publisher") or "").lower()
    if not arxiv and "arxiv" in venue:
        arxiv = normalize_arxiv(text_of(item, "number") or text_of(item, "volume") or text_of(item, "note") or "")
    if not arxiv:
        note = text_of(item, "note") or ""
        if "arxiv" in note.lower():
            arxiv = normalize_arxiv(note[note.lower().index("arxiv") :])
    if doi:
        ids["doi"] = doi
    if arxiv:
        ids["arxiv"] = arxiv
    pmid = _NON_DIGITS.sub("", text_of(item, "PMID") or extra_of(extra, "pmid") or "")
    if pmid:
        ids["pmid"] = pmid
    isbns = normalize_isbn(text_of(item, "ISBN") or extra_of(extra, "isbn"))
    if isbns:
        ids["isbn"] = isbns
    url = text_of(item, "URL")
    if url and item.type in URL_IDENTIFIES and "doi" not in ids:
        ids["url"] = normalize_url(url)
    return ids


#: types whose URL says which work it is (a web page is its address)
URL_IDENTIFIES = frozenset({"webpage", "post", "post-weblog", "software", "dataset"})


def normalize_url(url: str) -> str:
    """Scheme, ``www.``, a trailing slash and the host's case do not matter."""
    text = re.sub(r"^[a-z]+://", "", url.strip(), flags=re.I)
    host, _, rest = text.partition("/")
    host = host.lower().removeprefix("www.")
    return (host + "/" + rest).rstrip("/")


def text_of(item: Item, variable: str) -> str | None:
    value = item.fields.get(variable)
    return value if isinstance(value, str) and value.strip() else None


# -- titles ----------------------------------------------------------------------

_TAGS = re.compile(r"<[^>]{0,80}>")
_LATEX_CMD = re.compile(r"\\(?:[a-zA-Z]+\*?|.)")
_NON_WORD = re.compile(r"[^0-9a-z]+")
TRANSLATION = re.compile(r"(?:\s\[[^\[\]]{8,}\])+\s*\.?\s*$")
STOPWORDS = frozenset(
    "a an the of and or in on for to with by from at as is are be its into via using under between over".split()
)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10,
          "xi": 11, "xii": 12}
_ORDINALS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "first": 1, "second": 2, "third": 3,
             "fourth": 4, "fifth": 5, "sixth": 6}
_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())}
_NUMERIC_WORDS = frozenset(_NUMBER_WORDS) | frozenset(_ROMAN) | frozenset(_ORDINALS)
_PART_WORDS = frozenset("part parts vol volume volumes book chapter section no number pt series edition ed".split())
_ERRATUM = re.compile(r"\b(errat(?:um|a)|corrigend(?:um|a)|correction(?:s)? (?:to|of)|retract(?:ion|ed)|addend(?:um|a)|expression of concern)\b")
_REPLY = re.compile(r"\b(reply|replies|response to|responses to|comment(?:s)? on|commentary on|rejoinder|rebuttal|discussion of|in defen[cs]e of|a response)\b")
#: a work's companion deposited apart (Zenodo, figshare): "X: supplementary material", "Data and code from X"
_SUPPLEMENT = re.compile(r"\b(supplementa(?:ry|l) (?:materials?|information|data|files?|appendix|appendices)|online (?:supplement|appendix)|data and (?:code|software)|code and data|replication (?:package|data|files|materials?))\b")
#: whether any of the three kinds matches (which one wins is title_kind's order)
_ANY_KIND = re.compile("|".join(f"(?:{kind.pattern})" for kind in (_ERRATUM, _REPLY, _SUPPLEMENT)))
#: titles that name a part of every proceedings or issue, not a work: never matched on metadata alone
GENERIC_TITLES = frozenset({
    "editorial", "preface", "foreword", "introduction", "index", "contents", "table of contents",
    "front matter", "back matter", "book review", "book reviews", "reviews", "errata", "erratum",
    "corrigendum", "letter to the editor", "news", "abstracts", "conclusion", "conclusions",
    "organizing committee", "program committee", "programme committee", "invited talk", "invited talks",
    "keynote", "keynotes", "keynote talk", "panel", "panel discussion", "acknowledgments",
    "acknowledgements", "reviewers", "author index", "subject index", "title page", "copyright",
    "foreword and preface", "editors note", "guest editorial", "in memoriam", "obituary",
})


@lru_cache(maxsize=1 << 16)
def normalize_title(title: str | None) -> str:
    """Lower-case ASCII words separated by single spaces; markup, LaTeX and punctuation gone."""
    if not title:
        return ""
    text = _TAGS.sub("", title) if "<" in title else title
    if "\\" in text:
        text = _LATEX_CMD.sub(lambda m: "" if len(m.group(0)) > 2 or not m.group(0)[1].isalpha() else m.group(0)[1], text)
    if not text.isascii():
        text = anyascii(unicodedata.normalize("NFC", text))
    text = text.replace("{", "").replace("}", "").replace("$", "").replace("'", "")
    return _NON_WORD.sub(" ", text.lower()).strip()


def title_numbers(words: Sequence[str]) -> tuple[frozenset[int], frozenset[int]]:
    """Numbers that tell apart parts, volumes and periods ("Part II", "1990-2000", "Vol. 3").

    Returns (firm, loose): digits and numbers next to "part", "volume", ...
    are firm; other number words ("three stages", "zero-shot") are loose, as
    databases write them as digits or mistype them.
    """
    joined = "".join(words)
    # letters only (no letter is a digit): the usual title, told without looking at each character
    if not _NUMERIC_WORDS.intersection(words) and (joined.isalpha() or not any(c.isdigit() for c in joined)):
        return frozenset(), frozenset()
    firm: set[int] = set()
    loose: set[int] = set()
    last = len(words) - 1
    for i, word in enumerate(words):
        prev = words[i - 1] if i > 0 else ""
        after = words[i + 1] if i < last else ""
        in_part = prev in _PART_WORDS or after in _PART_WORDS
        if i == last and i > 0 and re.fullmatch(r"[a-z]{3,}\d", word):
            continue  # a footnote mark glued to the last word ("... boreal aspen1")
        if word[:1].isdigit() or word[-1:].isdigit():
            firm.update(int(d) for d in re.findall(r"\d+", word))
        elif word in _NUMBER_WORDS:
            (firm if in_part else loose).add(_NUMBER_WORDS[word])
        elif word in _ROMAN and (prev in _PART_WORDS or (i == last and word != "i" and i > 0)):
            firm.add(_ROMAN[word])
        elif word in _ORDINALS and in_part:
            firm.add(_ORDINALS[word])
    return frozenset(firm), frozenset(loose)


def numbers_differ(a: tuple[frozenset[int], frozenset[int]], b: tuple[frozenset[int], frozenset[int]]) -> bool:
    """Whether two titles' numbers name different parts, periods or counts.

    A loose number word counts when the other title writes that number
    ("three" vs "3"); two different sets of number words also differ.
    """
    (firm_a, loose_a), (firm_b, loose_b) = a, b
    if not (firm_a or loose_a or firm_b or loose_b):
        return False  # most titles: no numbers (spares building four sets per pair)
    if firm_a | (loose_a & firm_b) != firm_b | (loose_b & firm_a):
        return True
    return bool(loose_a and loose_b and loose_a != loose_b)


#: the words of the kind markers above
_MARKER_WORDS = frozenset(
    "erratum errata corrigendum corrigenda correction corrections retraction retracted addendum addenda expression "
    "concern reply replies response responses comment comments commentary rejoinder rebuttal discussion defence "
    "defense supplementary supplemental supplement materials material information data file files appendix "
    "appendices online code software replication package".split())


def _swapped(word: str) -> set[str]:
    return {word[:k] + word[k + 1] + word[k] + word[k + 2 :] for k in range(len(word) - 1)} - {word}


#: a marker word with two neighbouring letters swapped -> the word: the titles of a companion
#: and its copy with such a typo still match, so the copy's kind must be read through it too
#: (else the copy of "X: supplementary material" is the work X)
_MISSPELT_MARKERS = {typo: word for word in _MARKER_WORDS for typo in _swapped(word) if typo not in _MARKER_WORDS}


#: a marker word whose letter swapped with a space ("supplementaryM aterial") went to or came
#: from its neighbour: a marker word with a letter more or less at one end
_SHIFTED_MARKERS = frozenset(
    v for word in _MARKER_WORDS
    for v in (word[1:], word[:-1], *(word + c for c in "abcdefghijklmnopqrstuvwxyz"),
              *(c + word for c in "abcdefghijklmnopqrstuvwxyz"))
) - _MARKER_WORDS
_NEAR_MARKERS = frozenset(_MISSPELT_MARKERS) | _SHIFTED_MARKERS
_KINDS = (("erratum", _ERRATUM), ("reply", _REPLY), ("supplement", _SUPPLEMENT))
#: the kinds' phrases without spaces, for a title without its spaces (where a moved word
#: boundary is gone)
_SQUEEZED_KINDS = tuple((name, re.compile(kind.pattern.replace(r"\b", "").replace(" ", ""))) for name, kind in _KINDS)


def title_kind(normalized: str) -> str:
    """What a title says the record is: "erratum", "reply", "supplement" or "work" (the usual),
    read through a typo in the marker (a copy's title with one still matches the original's)."""
    if _ANY_KIND.search(normalized):
        return next(name for name, kind in _KINDS if kind.search(normalized))
    words = normalized.split()
    if _NEAR_MARKERS.isdisjoint(words):
        return "work"  # most titles: one search and a look-up per word
    words = [_MISSPELT_MARKERS.get(w, w) for w in words]
    fixed = " ".join(words)
    for name, kind in _KINDS:
        if kind.search(fixed):
            return name
    squeezed = "".join(words)
    for name, kind in _SQUEEZED_KINDS:
        if kind.search(squeezed):
            return name
    return "work"


# -- features ----------------------------------------------------------------------

BOOK_TYPES = frozenset({"book", "collection", "periodical"})
PART_TYPES = frozenset(
    {"chapter", "entry", "entry-dictionary", "entry-encyclopedia", "paper-conference", "article-journal",
     "article-magazine", "article-newspaper", "review", "review-book"}
)


_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


_PARTICLES = frozenset("van von der den de del della di da du la le dos das ten ter vander und zu d bin binti bint ibn al el".split())


#: particles written together with the name ("vanwieren", "binhussin")
PARTICLE_RUN = re.compile("(?:" + "|".join(sorted(_PARTICLES, key=len, reverse=True)) + ")+")


def _family_key(name: Name) -> str:
    """The family name without particles or suffixes: databases keep "van den", "III" or drop them."""
    raw = name.family or name.full_family or ""
    if not raw and name.given:
        raw = name.given
    if raw.isascii() and raw.isalpha():
        return raw.lower()
    words = normalize_title(raw).split()
    if not words:  # a name that is one TeX command (\Thanh in TUGboat's files): its letters, not no name
        words = re.findall(r"[a-z]+", raw.lower())[-1:]
    while len(words) > 1 and words[-1].isdigit():  # "Greenberg 0001": dblp's homonym number names nobody
        words.pop()
    while len(words) > 1 and words[-1] in _NAME_SUFFIXES:  # "Thompson III" exported as a family name
        words.pop()
    while len(words) > 1 and words[0] in _PARTICLES:  # "van den Broeck" kept whole by one source
        words.pop(0)
    return "".join(words)


def family_keys(names: Any) -> tuple[str, ...]:
    if not isinstance(names, list):
        return ()
    out = []
    for name in names:
        if isinstance(name, Name):
            if name.literal is not None and name.family is None:
                words = normalize_title(name.literal).split()
                key = words[-1] if words else ""
                if name.literal.lower().strip() in ("others", "et al", "et al."):
                    continue
            else:
                key = _family_key(name)
            if key and key not in ("others", "etal"):
                out.append(key)
    return tuple(out)


def edition_number(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    lowered = value.lower()
    for word, num in _ORDINALS.items():
        if word in lowered:
            return str(num)
    digits = re.search(r"\d+", value)
    return digits.group(0) if digits else normalize_title(value) or None


_PAGE_RANGE = re.compile(r"\s*(\d+)\s*(?:[-\u2013\u2014]+\s*(\d+))?\s*")


def page_range(value: Any) -> tuple[int, int] | None:
    """(first, last) page when the pages are plain numbers ("12-19", "12", "1607–1608")."""
    if not isinstance(value, str):
        return None
    match = _PAGE_RANGE.fullmatch(value)
    if not match:
        return None
    first = int(match.group(1))
    last = int(match.group(2)) if match.group(2) else first
    if last < first:  # "1234-45": the end is abbreviated
        digits = match.group(2)
        last = int(str(first)[: -len(digits)] + digits) if len(digits) < len(str(first)) else first
    return (first, max(first, last))


_ISSUE_RANGE = re.compile(r"\s*(?:no\.?\s*)?(\d+)\s*(?:[-\u2013\u2014/&]+\s*(\d+))?\s*", re.I)


def issue_range(value: Any) -> tuple[int, int] | None:
    """(first, last) issue when the issue is a plain number or a joint issue ("3", "3--4", "3/4");
    None for anything else ("Suppl 2", "Spring"), which cannot be told apart safely."""
    if not isinstance(value, str):
        return None
    match = _ISSUE_RANGE.fullmatch(value)
    if not match:
        return None
    first = int(match.group(1))
    last = int(match.group(2)) if match.group(2) else first
    return (first, max(first, last))


_VOLUME_ISSUE = re.compile(r"^\s*\d+\s*\(([^()]*)\)")


def issue_readings(issue: Any, volume: Any) -> tuple[tuple[int, int], ...]:
    """Every issue a record may mean: its issue field, and an issue written into the volume
    ("17 (1) (no pagination)", where Embase puts the article number in the issue field)."""
    out = []
    found = issue_range(issue)
    if found:
        out.append(found)
    inner = _VOLUME_ISSUE.match(volume) if isinstance(volume, str) else None
    found = issue_range(inner.group(1)) if inner else None
    if found and found not in out:
        out.append(found)
    return tuple(out)


def first_page_of(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    match = re.match(r"\s*([A-Za-z]?\d+)", value)
    return match.group(1).lower().lstrip("0") or "0" if match else None


# -- meeting abstracts ---------------------------------------------------------------

_ABSTRACT_WORD = re.compile(r"\babstracts?\b", re.I)
# Embase names a meeting abstract's venue "Circulation. Conference: American Heart ..."
_CONFERENCE_VENUE = re.compile(r"\bconference\s*:|\babstracts?\b", re.I)
# "Supplement 1", "SUPPL. 1", "Suppl", "(1 Supplement 1)", "Supplement_1", "S1", "MeetingAbstracts" (or "Astracts")
_SUPPLEMENT_ISSUE = re.compile(r"(?<![a-z])sup(?:p?l(?:ement)?)?s?(?![a-z])|^\(?s\d+\)?$|meeting\s*a[bs]*tracts?", re.I)
_SUPPLEMENT_PAGE = re.compile(r"^\s*S\d")
# where databases put a record's document type: RIS M3 (Embase "Conference Abstract"),
# Web of Science DT ("Meeting Abstract"), free-form "type" fields
# a note saying so (exports that have no document-type field)
_ABSTRACT_NOTE = re.compile(r"\b(?:meeting|conference|congress|symposium)\s+abstracts?\b", re.I)
_TYPE_FIELDS = ("m3", "dt", "type", "document_type", "document type", "publication_type", "type_of_work")


def abstract_sign(item: Item) -> str:
    """What marks ``item`` as a meeting or conference abstract ("" when nothing does).

    Abstracts are published in a journal's supplement or meeting issue, so the
    signs are the document type (genre, RIS ``TY ABST`` or ``M3``, WoS ``DT``),
    an Embase ``Conference:`` venue, a supplement issue or volume, ``S`` pages.
    """
    genre = text_of(item, "genre") or extra_of(item, *_TYPE_FIELDS) or ""
    if _ABSTRACT_WORD.search(genre):
        return f"type {genre.strip()!r}"
    native_type = (item.origin.native_type or "").upper() if item.origin is not None else ""
    if native_type in ABSTRACT_TYPES:
        return f"RIS type {native_type}"
    note = _ABSTRACT_NOTE.search(text_of(item, "note") or "")
    if note:
        return f"note {note.group(0)!r}"
    venue = text_of(item, "container-title") or ""
    if _CONFERENCE_VENUE.search(venue):
        return f"venue {_clip(venue)!r}"
    for variable in ("issue", "volume"):
        value = text_of(item, variable) or ""
        if _SUPPLEMENT_ISSUE.search(value):
            return f"{variable} {_clip(value)!r}"
    page = text_of(item, "page") or ""
    if _SUPPLEMENT_PAGE.match(page):
        return f"supplement pages {_clip(page)!r}"
    return ""


def _clip(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."
