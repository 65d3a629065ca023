"""Finding records that describe the same work.

Matching is layered so that users can trust it:

1. *Identifiers* (normalised DOI, arXiv id without version, PMID, ISBN for
   whole books): equal identifiers make a match, different ones (both
   published DOIs) rule it out.
2. *Metadata*: the normalised title (case, accents, LaTeX, markup and
   punctuation insensitive) compared with rapidfuzz, the overlap of author
   family names, the year (a preprint and its published version may differ
   by one) and the venue.
3. *Vetoes*: things that look alike but are different works are never
   merged: different editions, volumes or parts ("Part I" / "Part II"),
   errata and corrigenda, replies and comments, a book versus a chapter
   of it, and a meeting abstract versus a publication that is not one when
   their DOIs differ (unless ``MatchConfig.join_abstracts``).

A DOI shared by clearly different titles is no identity: publishers give one
DOI to a whole supplement of abstracts (or a proceedings volume), so such a
pair is compared on its metadata and the DOI reported (``doi_not_identity``).

``compare`` is pure (no state, no I/O) so other modules (enrich) can score
candidates with it. ``find_duplicates`` adds blocking: it only compares
records that share a cheap key (an identifier, title tokens, first author
plus year), never all pairs.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz.distance import Indel

from .matchnorm import (
    BOOK_TYPES,
    abstract_sign,
    GENERIC_TITLES,
    PART_TYPES,
    PARTICLE_RUN,
    PREPRINT_DOI_PREFIXES,
    PREPRINT_VENUES,
    STOPWORDS,
    TRANSLATION,
    edition_number,
    family_keys,
    first_page_of,
    issue_readings,
    item_identifiers,
    normalize_arxiv,
    normalize_doi,
    normalize_isbn,
    normalize_title,
    normalize_url,
    page_range,
    text_of,
    title_kind,
    title_numbers,
    numbers_differ,
)
from .model import Date, Item

__all__ = [
    "DedupeResult",
    "Match",
    "MatchConfig",
    "Pair",
    "compare",
    "find_duplicates",
    "normalize_arxiv",
    "normalize_doi",
    "normalize_isbn",
    "normalize_title",
    "normalize_url",
]


@dataclass(frozen=True)
class MatchConfig:
    """Thresholds of the matcher.

    Defaults measured on the litsearchr exports in ``shared/corpora/messy``
    (one search exported from Scopus and twice from Web of Science: 2073
    records, 678 matched pairs): pairs matched on metadata alone have a
    normalised title similarity of 0.97 or more (except titles in two
    languages, caught by the same-place rule at 0.65), while the most similar
    distinct works by other authors or in other years reach 0.81. The
    thresholds sit in that gap; years differ by at most one between a
    preprint and its journal version. Checked against the dblp AAAI file
    (benchmarks/bench_dedupe.py).
    """

    #: title similarity (0..1, normalised Indel) for a match when authors and year agree
    title_threshold: float = 0.90
    #: stricter title similarity when one side has no authors to compare
    title_threshold_no_authors: float = 0.96
    #: share of the shorter author list whose family names appear in the other
    min_author_overlap: float = 0.5
    #: largest year difference still allowed (preprint vs published)
    max_year_gap: int = 1
    #: title similarity needed when DOIs, volumes or first pages disagree (database slips)
    title_threshold_conflicting: float = 0.95
    #: title similarity enough when venue, year, volume, first page and authors agree
    #: (a title given in another language)
    min_title_similarity_same_place: float = 0.5
    #: overall score needed (see ``compare``) besides the rules above
    score_threshold: float = 0.80
    #: titles with fewer significant words than this need more support (same year, venue or pages)
    min_title_words: int = 3
    #: titles with fewer significant words than this ("Inside front cover", "Blue sky research")
    #: recur in every issue of a serial: only their place tells instances apart, so another
    #: issue or first page in one serial is another work (no matched pair of the labelled,
    #: litsearchr or dblp AAAI sets has such a disagreement)
    weak_title_words: int = 4
    #: blocking: keys shared by more records than this are skipped (other keys still apply)
    max_block_size: int = 64
    #: blocking: a block of up to this many records pairs all of them; a larger one pairs each
    #: record only with its neighbours in the order of the titles and of the reversed titles
    #: (``block_window``), so the candidate pairs
    #: grow with the records, not with the square of common title starts and ends
    #: (``bench_scale.py``: 18.8 -> 4.6 pairs a record at 10^6)
    full_block_size: int = 8
    #: blocking: in a larger block, records are paired when fewer than this many distinct titles
    #: separate them in title order (records of one title are all paired: "Calendar" of each issue)
    block_window: int = 2
    #: equal ISBNs identify the same book only when neither record is a part of it
    isbn_identifies_books: bool = True
    #: a shared DOI is an identity only when the titles are at least this similar: below it
    #: the DOI is a supplement's or a volume's (the labelled systematic-review set of ASySD:
    #: abstracts sharing their supplement's DOI reach 0.66, re-cased or mistyped copies 0.9)
    shared_doi_min_title_similarity: float = 0.8
    #: let a meeting abstract match a publication that is not an abstract although their DOIs
    #: differ (by default they are different works: the abstract and the later article)
    join_abstracts: bool = False
    #: a record matching two records known to differ (``ambiguous_records``) joins the better
    #: one only when that link scores at least this much more; else it joins neither. More than
    #: one field's slip: a year off by one costs 0.048, a venue missing 0.032 (``bench_scale.py``
    #: at 200k: groups joining works 8 -> 2 from 0.05 up, recall 0.9923 -> 0.9918 at 0.05, 0.9911 at 0.1)
    ambiguity_margin: float = 0.05


DEFAULT_CONFIG = MatchConfig()


@dataclass(frozen=True)
class Match:
    """The verdict on one pair: a score in 0..1, a decision and why."""

    score: float
    same: bool
    evidence: dict[str, Any]


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    score: float
    evidence: dict[str, Any]
    index_a: int = -1
    index_b: int = -1

    def to_json(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "score": round(self.score, 4), "evidence": self.evidence}


@dataclass
class DedupeResult:
    """Groups (lists of indices into the input, two or more each) and the matched pairs."""

    groups: list[list[int]]
    pairs: list[Pair]
    keys: list[str] = field(default_factory=list)
    compared: int = 0  # how many candidate pairs were scored
    #: DOIs not taken as identities because records with clearly different titles share them
    #: (a supplement's DOI on each of its abstracts) and left in several groups:
    #: DOI -> indices of the records carrying it
    shared_dois: dict[str, list[int]] = field(default_factory=dict)
    #: records left out of every group because they fit two records known to differ (each
    #: lost what told those apart): record -> the records it fits
    ambiguous: dict[int, list[int]] = field(default_factory=dict)

    def key_groups(self) -> list[list[str]]:
        return [[self.keys[i] for i in group] for group in self.groups]

    def to_json(self) -> dict[str, Any]:
        return {
            "groups": self.key_groups(),
            "pairs": [p.to_json() for p in self.pairs],
            "shared_dois": [{"doi": doi, "keys": [self.keys[i] for i in members]} for doi, members in self.shared_dois.items()],
            "ambiguous": [{"key": self.keys[i], "fits": [self.keys[k] for k in fits]} for i, fits in self.ambiguous.items()],
        }


@dataclass(frozen=True)
class Features:
    """What ``compare`` looks at, computed once per item."""

    key: str
    type: str
    ids: dict[str, Any]
    title: str
    title_alt: str  # without a trailing "[translated title]" (how Scopus adds translations)
    words: tuple[str, ...]
    significant: tuple[str, ...]
    numbers: tuple[frozenset[int], frozenset[int]]  # (firm, loose), see matchnorm.title_numbers
    kind: str
    families: tuple[str, ...]
    year: int | None
    venue: str
    preprint: bool
    edition: str | None
    volume: str | None
    first_page: str | None
    pages: tuple[int, int] | None
    container_title: str  # normalised, to spot a chapter of a book
    publisher: str = ""
    abstract: str = ""  # what marks a meeting abstract (matchnorm.abstract_sign), "" for other records
    #: (first, last) of each issue the record may mean (matchnorm.issue_readings): "3--4" is both
    issues: tuple[tuple[int, int], ...] = ()

    @classmethod
    def of(cls, item: Item) -> "Features":
        raw_title = text_of(item, "title") or ""
        title = normalize_title(raw_title)
        bracket = TRANSLATION.search(raw_title)
        title_alt = normalize_title(raw_title[: bracket.start()]) if bracket else title
        words = tuple(title_alt.split())
        ids = item_identifiers(item)
        venue = normalize_title(text_of(item, "container-title") or "")
        publisher = normalize_title(text_of(item, "publisher") or "")
        doi = ids.get("doi", "")
        preprint = bool(
            "arxiv" in ids and not (doi and not doi.startswith("10.48550/"))
            or (doi and doi.startswith(PREPRINT_DOI_PREFIXES))
            or any(v in venue for v in PREPRINT_VENUES)
            or (not venue and any(v in publisher for v in PREPRINT_VENUES))
            or (item.origin is not None and item.origin.native_type in ("unpublished",))
        )
        kind_of_record = item.type
        page = text_of(item, "page") or ""
        if kind_of_record in BOOK_TYPES and venue and re.search(r"\d\s*[-\u2013]+\s*\d", page):
            kind_of_record = "chapter"  # a "book" inside a container with a page range is a part of it
        names = item.fields.get("author") or item.fields.get("editor")
        issued = item.fields.get("issued")
        year = issued.year if isinstance(issued, Date) else None
        return cls(
            key=item.id,
            type=kind_of_record,
            ids=ids,
            title=title,
            title_alt=title_alt,
            words=words,
            significant=tuple(w for w in words if w not in STOPWORDS),
            numbers=title_numbers(words),
            kind=title_kind(title),
            families=family_keys(names),
            year=year,
            venue=venue,
            preprint=preprint,
            edition=edition_number(item.fields.get("edition")),
            volume=edition_number(item.fields.get("volume")),
            first_page=first_page_of(item.fields.get("page")),
            pages=page_range(item.fields.get("page")),
            container_title=venue,
            publisher=publisher,
            abstract=abstract_sign(item),
            issues=issue_readings(item.fields.get("issue"), item.fields.get("volume")),
        )


# -- comparison ----------------------------------------------------------------------


def _name_match(a: str, b: str) -> bool:
    if a == b:
        return True
    long_, short = (a, b) if len(a) > len(b) else (b, a)
    if long_.endswith(short) and PARTICLE_RUN.fullmatch(long_[: -len(short)]):
        return True  # "VanWieren" written as one word by one database, "Van Wieren" by the other
    if len(a) >= 5 and len(b) >= 5 and a[0] == b[0]:  # transliteration variants: Mueller/Muller, Nunez/Nunnez
        return Indel.normalized_similarity(a, b, score_cutoff=0.85) >= 0.85
    return False


def _author_overlap(a: tuple[str, ...], b: tuple[str, ...]) -> float | None:
    if not a or not b:
        return None
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    small_set, large_set = set(small), set(large)
    hits = len(small_set & large_set)
    if hits < len(small_set):
        # one name of the other list answers for one name only: "Zhuang" and "Zhang" are not
        # both the other record's "Zhang" (exact matches first, variants among the names left)
        free = sorted(large_set - small_set)
        for name in sorted(small_set - large_set):
            other = next((o for o in free if _name_match(name, o)), None)
            if other is not None:
                free.remove(other)
                hits += 1
    return hits / len(small_set)


def _title_similarity(a: Features, b: Features) -> float:
    if not a.title or not b.title:
        return 0.0
    sim = Indel.normalized_similarity(a.title, b.title)
    if a.title_alt != a.title or b.title_alt != b.title:
        sim = max(sim, Indel.normalized_similarity(a.title_alt, b.title_alt))
    # One database dropped a subtitle, or appended the title's translation
    # ("Effects of burning ... [Efectos de quema ...]"): compare the shorter
    # title with the start of the longer one.
    short, long_ = (a.title, b.title) if len(a.title) <= len(b.title) else (b.title, a.title)
    if sim < 0.9 and len(short.split()) >= 5 and len(short) >= 0.4 * len(long_):
        head = long_[: len(short)]
        if Indel.normalized_similarity(short, head) >= 0.9 and _same_ending(short, head):
            sim = max(sim, 0.9)
    return sim


def _same_ending(short: str, head: str) -> bool:
    """The shorter title ends as the longer one's start does, but for a typo or a word cut short:
    "hate speech detection scanning" is not the start of "hate speech detection combining ...",
    though the two starts are 0.9 alike (another word ending a shared start is another work)."""
    tail = max(4, len(short) - short.rfind(" ") - 1)
    return Indel.normalized_similarity(short[-tail:], head[-tail:]) >= 0.75


def _word_added(a: Features, b: Features) -> bool:
    """A significant word of one title (four letters or more) that no word of the other spells
    nearly ("subset" in "subset saturated cost partitioning" against "saturated cost
    partitioning"): a word more, where a slip changes letters ("wiht", "ensored" from a space moved)."""
    for one, other in ((a, b), (b, a)):
        others = set(other.words)
        for word in set(one.significant) - others:
            if len(word) >= 4 and not any(Indel.normalized_similarity(word, w, score_cutoff=0.75) for w in others):
                return True
    return False


def _subtitle_dropped(a: Features, b: Features) -> bool:
    """One title is the other's first two words or more ("Deep brain stimulation" and
    "Deep brain stimulation: a ten-year follow-up"): a shorter form, not another work."""
    short, long_ = (a.words, b.words) if len(a.words) <= len(b.words) else (b.words, a.words)
    return len(short) >= 2 and long_[: len(short)] == short


def _venue_similarity(a: Features, b: Features) -> float | None:
    if not a.venue or not b.venue or a.preprint or b.preprint:
        return None
    if a.venue == b.venue:
        return 1.0
    # "forest ecology and management" vs the ISO abbreviation "forest ecol manag"
    sa = [w for w in a.venue.split() if w not in STOPWORDS]
    sb = [w for w in b.venue.split() if w not in STOPWORDS]
    if sa and len(sa) == len(sb) and all(x.startswith(y) or y.startswith(x) for x, y in zip(sa, sb)):
        return 0.9
    # a bilingual name cut to its first language: "canadian journal of forest research
    # revue canadienne de recherche forestiere" (three words at least: "nature" does not
    # make "nature communications")
    short, long_ = (a.venue, b.venue) if len(a.venue) < len(b.venue) else (b.venue, a.venue)
    if long_.startswith(short + " ") and len([w for w in short.split() if w not in STOPWORDS]) >= 3:
        return 0.9
    return Indel.normalized_similarity(a.venue, b.venue)


def _vetoes(a: Features, b: Features, config: MatchConfig = DEFAULT_CONFIG) -> list[str]:
    """Reasons the two can never be the same work, whatever else agrees."""
    out: list[str] = []
    if not config.join_abstracts and bool(a.abstract) != bool(b.abstract) and _dois_differ(a, b):
        out.append(f"an abstract ({a.abstract or b.abstract}) and a publication that is not one, with different DOIs")
    if a.kind != b.kind:
        out.append(f"one is an {a.kind if a.kind != 'work' else b.kind}, the other is not")
    if numbers_differ(a.numbers, b.numbers) and not _digits_swapped(a.title, b.title):
        out.append(f"title numbers differ ({_show(a.numbers)} vs {_show(b.numbers)})")
    if a.edition and b.edition and a.edition != b.edition:
        out.append(f"editions differ ({a.edition} vs {b.edition})")
    if a.volume and b.volume and a.volume != b.volume and (a.type in BOOK_TYPES or b.type in BOOK_TYPES):
        out.append(f"volumes differ ({a.volume} vs {b.volume})")
    for one, other in ((a, b), (b, a)):
        if one.type in BOOK_TYPES and other.type in PART_TYPES:
            out.append(f"a {one.type} versus a {other.type} (a part of a book is not the book)")
            break
        if one.title and other.container_title and one.title == other.container_title and one.type != other.type:
            out.append("one is contained in the other")
            break
    if _pages_apart(a, b):
        if a.venue and b.venue and (a.venue == b.venue or Indel.normalized_similarity(a.venue, b.venue) >= 0.9):
            out.append(f"pages do not overlap in the same venue ({a.pages[0]}-{a.pages[1]} vs {b.pages[0]}-{b.pages[1]})")
        elif _other_page_ranges(a, b):
            out.append(f"page ranges do not overlap ({a.pages[0]}-{a.pages[1]} vs {b.pages[0]}-{b.pages[1]}), one venue unknown")
    instances = _other_instances(a, b, config)
    if instances:
        out.append(instances)
    if a.ids.get("arxiv") and b.ids.get("arxiv") and a.ids["arxiv"] != b.ids["arxiv"]:
        out.append(f"arXiv ids differ ({a.ids['arxiv']} vs {b.ids['arxiv']})")
    if a.ids.get("pmid") and b.ids.get("pmid") and a.ids["pmid"] != b.ids["pmid"]:
        out.append(f"PMIDs differ ({a.ids['pmid']} vs {b.ids['pmid']})")
    return out


def _pages_apart(a: Features, b: Features) -> bool:
    """Both have page ranges, and they do not overlap."""
    return bool(a.pages and b.pages and (a.pages[1] < b.pages[0] or b.pages[1] < a.pages[0]))


def _other_page_ranges(a: Features, b: Features) -> bool:
    """Disjoint page ranges where one record lost its venue: another place, unless a range may be
    the record's own pagination (a preprint, pages from 1) rather than its venue's."""
    if (a.venue and b.venue) or a.preprint or b.preprint:
        return False
    return all(f.pages is not None and f.pages[1] > f.pages[0] > 1 for f in (a, b))


def _dois_differ(a: Features, b: Features) -> bool:
    """Both have DOIs and neither is the other's (an abstract's DOI under its supplement's: ``ehx502.P4339``)."""
    da, db = a.ids.get("doi"), b.ids.get("doi")
    if not da or not db or da == db:
        return False
    short, long_ = (da, db) if len(da) < len(db) else (db, da)
    return not (long_.startswith(short) and long_[len(short)] in "./-_")


#: author names that name no one
_NOBODY = frozenset({"anonymous", "anon", "unknown", "none"})


def _named(families: tuple[str, ...]) -> tuple[str, ...]:
    """The family keys that name someone (not "Anonymous", not a bare number such as "0001")."""
    return tuple(f for f in families if f not in _NOBODY and not f.isdigit())


#: records inside journals and proceedings: a shared publisher says little about them
_IN_SERIALS = frozenset({"article-journal", "article-magazine", "article-newspaper", "paper-conference", "review", "review-book"})


def _weak_title(f: Features, config: MatchConfig = DEFAULT_CONFIG) -> bool:
    """A title that names no work on its own ("Calendar", "Front cover", "Editorial"): only its place does."""
    return len(f.significant) < config.weak_title_words or f.title_alt in GENERIC_TITLES


def _other_instances(a: Features, b: Features, config: MatchConfig = DEFAULT_CONFIG) -> str:
    """Why two records of one serial are different instances of a recurring title ("" if not).

    A column or front matter ("Inside front cover", "The bag of tricks") has one title in
    every issue of its serial: another issue, or another volume in another year, is another
    instance however alike the rest is. Venues must not differ (one may be missing: a copy
    that lost it). A shared identifier settles it the other way, and a meeting abstract
    against an article is left to the abstract rule (it is often in an earlier volume).
    A weak title (``_weak_title``) says nothing itself, so any other volume, issue or first
    page is another instance: none of the allowances for database slips apply to it."""
    if a.preprint or b.preprint or a.abstract or b.abstract:
        return ""
    weak = _weak_title(a, config) or _weak_title(b, config)
    pages_differ = weak and bool(a.first_page and b.first_page and a.first_page != b.first_page)
    if not (a.issues and b.issues) and not (a.volume and b.volume and a.volume != b.volume) and not pages_differ:
        return ""  # the usual case, decided before the costlier tests below
    if any(a.ids.get(k) and a.ids.get(k) == b.ids.get(k) for k in ("doi", "arxiv", "pmid")):
        return ""
    if a.venue and b.venue and (_venue_similarity(a, b) or 0.0) < 0.9:
        return ""
    if a.issues and b.issues and not any(x[0] <= y[1] and y[0] <= x[1] for x in a.issues for y in b.issues):
        # an issue that is the other record's first page is an article number in the issue field
        # (for a weak title only when it is its own first page too: front matter on page 2 of
        # issue 1 is not an article number 2); the same range of several pages outweighs an
        # issue mistyped (a supplement's number), though not for a weak title
        crossed = any(x[0] == x[1] and str(x[0]) == other.first_page and (not weak or one.first_page == other.first_page)
                      for one, other in ((a, b), (b, a)) for x in one.issues)
        same_pages = not weak and a.pages is not None and a.pages == b.pages and a.pages[1] > a.pages[0]
        if not crossed and not same_pages:
            return f"issues differ ({_spans(a.issues)} vs {_spans(b.issues)})"
    if (
        a.volume and b.volume and a.volume != b.volume and a.year is not None and b.year is not None
        and a.year != b.year and a.type not in BOOK_TYPES and b.type not in BOOK_TYPES
    ):
        return f"volumes and years differ ({a.volume}, {a.year} vs {b.volume}, {b.year})"
    if pages_differ:
        return f"a weak title on other pages ({a.first_page} vs {b.first_page})"
    return ""


def _spans(issues: tuple[tuple[int, int], ...]) -> str:
    return "/".join(str(lo) if lo == hi else f"{lo}-{hi}" for lo, hi in issues)


def _show(numbers: tuple[frozenset[int], frozenset[int]]) -> str:
    return " ".join(str(n) for n in sorted(numbers[0] | numbers[1])) or "-"


def _digits_swapped(x: str, y: str) -> bool:
    """``y`` is ``x`` with two neighbouring characters swapped, one a digit ("CP 2013" typed
    "CP 0213", "K-12" typed "K1-2"): a typing slip, not another number."""
    if len(x) != len(y) or x == y:
        return False
    i = next(k for k in range(len(x)) if x[k] != y[k])
    return (
        i + 1 < len(x) and x[i] == y[i + 1] and x[i + 1] == y[i] and x[i + 2 :] == y[i + 2 :]
        and (x[i].isdigit() or x[i + 1].isdigit())
    )


def _conflicts(a: Features, b: Features, venue: float | None) -> list[str]:
    """Disagreements that databases also produce by mistake (a JSTOR DOI next to the
    publisher's, a page off by one, two digits of a title swapped): they raise the bar
    instead of ruling a match out."""
    out: list[str] = []
    if numbers_differ(a.numbers, b.numbers) and _digits_swapped(a.title, b.title):  # not a veto
        out.append(f"title numbers differ by two swapped digits ({_show(a.numbers)} vs {_show(b.numbers)})")
    if a.preprint or b.preprint:
        return out
    da, db = a.ids.get("doi"), b.ids.get("doi")
    if da and db and da != db:
        out.append(f"DOIs differ ({da} vs {db})")
    same_venue = venue is None or venue >= 0.9  # a venue missing on one side is not another venue
    if a.volume and b.volume and a.volume != b.volume and same_venue:
        out.append(f"volumes differ ({a.volume} vs {b.volume})")
    if a.first_page and b.first_page and a.first_page != b.first_page and same_venue:
        out.append(f"first pages differ ({a.first_page} vs {b.first_page})")
    return out


def compare_features(a: Features, b: Features, config: MatchConfig = DEFAULT_CONFIG) -> Match:
    """``compare`` on precomputed features (what ``find_duplicates`` uses)."""
    evidence: dict[str, Any] = {}
    shared = []
    for name in ("doi", "arxiv", "pmid", "url"):
        if a.ids.get(name) and a.ids.get(name) == b.ids.get(name):
            shared.append(name)
    if a.ids.get("isbn") and b.ids.get("isbn") and set(a.ids["isbn"]) & set(b.ids["isbn"]):
        if not config.isbn_identifies_books or (a.type not in PART_TYPES and b.type not in PART_TYPES):
            shared.append("isbn")
    title_sim = _title_similarity(a, b)
    if (
        "doi" in shared and a.title and b.title and title_sim < config.shared_doi_min_title_similarity
        and not _subtitle_dropped(a, b)
    ):
        shared.remove("doi")  # one DOI on many works (a supplement of abstracts): the metadata decide
        evidence["doi_not_identity"] = f"{a.ids['doi']} is shared, but the titles differ clearly (similarity {title_sim:.2f}): not taken as an identity"
    overlap = _author_overlap(a.families, b.families)
    # what named authors vouch for: "Anonymous" and dblp's bare homonym numbers ("0001") name nobody
    vouched = overlap if overlap is None else _author_overlap(_named(a.families), _named(b.families))
    if (
        shared and not vouched and title_sim < config.shared_doi_min_title_similarity
        and not _subtitle_dropped(a, b)
    ):
        # an identifier copied onto another record (a set's ISBN, a URL's arXiv id): a retitled
        # preprint or a translated book keeps its authors
        evidence["identifier_not_identity"] = (
            f"{', '.join(shared)} shared, but neither the titles (similarity {title_sim:.2f}) nor any author agree"
        )
        shared = []
    if shared:
        evidence["identifiers_equal"] = shared
    evidence["title_similarity"] = round(title_sim, 4)
    evidence["author_overlap"] = None if overlap is None else round(overlap, 4)
    first_author = None
    if a.families and b.families:
        first_author = _name_match(a.families[0], b.families[0])
        evidence["first_author_equal"] = first_author
    gap = abs(a.year - b.year) if a.year is not None and b.year is not None else None
    evidence["year_distance"] = gap
    venue = _venue_similarity(a, b)
    evidence["venue_similarity"] = None if venue is None else round(venue, 4)
    if a.preprint != b.preprint:
        evidence["preprint_and_published"] = True
    vetoes = _vetoes(a, b, config)
    if vetoes:
        evidence["vetoes"] = vetoes
    conflicts = [] if shared else _conflicts(a, b, venue)
    if conflicts:
        evidence["conflicts"] = conflicts

    # The score: title carries most weight; unknown parts count as half-agreeing.
    score = 0.55 * title_sim
    score += 0.25 * (overlap if overlap is not None else 0.5)
    score += 0.12 * (1.0 if gap == 0 else 0.6 if gap is not None and gap <= config.max_year_gap else 0.0 if gap is not None else 0.5)
    score += 0.08 * (venue if venue is not None else 0.6)
    if shared:
        score = max(score, 0.95 + 0.05 * title_sim)
    if conflicts:
        score -= 0.1 * len(conflicts)
    if vetoes:
        score = min(score, 0.5)
    score = round(max(0.0, min(score, 1.0)), 4)

    if vetoes:
        return Match(score, False, evidence)
    if shared and (title_sim >= 0.5 or not a.title or not b.title):
        return Match(score, True, evidence)
    reasons: list[str] = []
    if gap is not None and gap > config.max_year_gap:
        reasons.append(f"years {gap} apart")
    elif gap and not shared and venue is not None and venue < 0.6 and overlap is not None:
        # each alone is a database's slip; together they mark another publication of the work
        # (its workshop version), or another work of the authors ("Subset-saturated cost
        # partitioning" and "Saturated cost partitioning"): no matched pair of the labelled or
        # litsearchr sets has all three
        if overlap < 1.0:
            reasons.append("another venue, another year and other authors")
        elif _word_added(a, b):
            reasons.append("another venue, another year and another word in the title")
    nameless = vouched is None  # no names on a side, or only names that name nobody ("Anonymous", "0001")
    if nameless:
        needed = config.title_threshold_no_authors
        # the title and the year are then all that may agree: another venue and type (a
        # journal's book review, a symposium paper), or pages elsewhere in a venue not clearly
        # the same, say another publication of that title (not another venue alone: nameless
        # records of one work in the labelled set name their venue in other words)
        if venue is not None and venue < 0.5 and a.type != b.type:
            reasons.append("no authors to compare, and the venues and types differ")
        elif venue is not None and venue < 0.9 and _pages_apart(a, b):
            reasons.append("no authors to compare, and the venues and pages differ")
    else:
        needed = config.title_threshold
    if overlap is not None:
        if overlap < config.min_author_overlap:
            reasons.append("too few shared authors")
        elif not first_author and overlap < 0.75:
            reasons.append("first authors differ")
    if conflicts:
        # everything else must agree closely
        needed = max(needed, config.title_threshold_conflicting)
        if gap != 0:
            reasons.append("identifiers or pages disagree and years differ")
        if overlap is not None and overlap < 0.75:
            reasons.append("identifiers or pages disagree and authors differ")
    coordinates = (
        venue is not None and venue >= 0.9 and gap == 0 and a.volume is not None and a.volume == b.volume
        and a.first_page is not None and a.first_page == b.first_page and overlap is not None
        and overlap >= 0.75 and title_sim >= config.min_title_similarity_same_place
        and not _dois_differ(a, b)  # the place names one work; two DOIs name two
        and vouched is not None and vouched >= 0.75  # "Anonymous" on both is no agreement of authors
    )
    if coordinates:
        evidence["same_place"] = "same venue, year, volume and first page"
    if title_sim < needed and not coordinates:
        reasons.append(f"titles differ (similarity {title_sim:.2f} < {needed:.2f})")
    pages_ok = a.first_page is not None and a.first_page == b.first_page
    # the same volume and issue or first page of one serial, or the same range of pages in one
    # venue (proceedings have no volume): a year off by one is a slip
    near = gap is not None and gap <= config.max_year_gap and venue is not None and venue >= 0.9
    same_volume = near and (
        a.volume is not None and a.volume == b.volume
        and (pages_ok or any(x[0] <= y[1] and y[0] <= x[1] for x in a.issues for y in b.issues))
        or a.pages is not None and a.pages == b.pages and a.pages[1] > a.pages[0]
        and not (a.volume and b.volume and a.volume != b.volume)
    )
    if min(len(a.significant), len(b.significant)) < config.min_title_words:
        # a publisher identifies a book, not an article in one of its journals
        publisher_ok = bool(a.publisher) and a.publisher == b.publisher and not ({a.type, b.type} & _IN_SERIALS)
        if not (same_volume or gap == 0 and (pages_ok or publisher_ok or (venue is not None and venue >= 0.9))):
            reasons.append("title too short to match without the same year and venue, publisher or pages")
    if a.title_alt in GENERIC_TITLES or b.title_alt in GENERIC_TITLES:
        # "Preface" of one proceedings is not the "Preface" of the next: only the same
        # venue and year with the same (or no) authors will do
        if not ((gap == 0 and venue is not None and venue >= 0.95 or same_volume) and (overlap is None or overlap == 1.0)):
            reasons.append("a generic title (preface, editorial, ...) needs the same venue, year and authors")
    if score < config.score_threshold and not coordinates:
        reasons.append(f"score {score:.2f} < {config.score_threshold:.2f}")
    if shared:
        reasons.append("identifiers equal but titles disagree")
    if reasons:
        evidence["why_not"] = reasons
        return Match(score, False, evidence)
    return Match(score, True, evidence)


def compare(a: Item, b: Item, config: MatchConfig = DEFAULT_CONFIG) -> Match:
    """Score two items: are they the same work?

    Pure: looks only at the two items and ``config``. ``Match.evidence`` holds
    what the verdict rests on: ``identifiers_equal`` (list), ``title_similarity``
    (0..1), ``author_overlap`` (0..1 or None when a side has no names),
    ``year_distance``, ``venue_similarity``, ``preprint_and_published``,
    ``vetoes`` (reasons it can never match) and ``why_not`` (thresholds missed).
    """
    return compare_features(Features.of(a), Features.of(b), config)


# -- blocking and grouping ----------------------------------------------------------------


def blocking_keys(f: Features) -> set[str]:
    """Cheap keys; only records sharing one are compared.

    Identifiers; the title's first and last 24 letters (and, for a short title, its halves
    with its length); its three longest
    words in any order; the first author with the year (or the next, for a
    preprint) and one of those words; the year, volume and first page (a title
    given in another language).
    """
    keys: set[str] = set()
    for name in ("doi", "arxiv", "pmid", "url"):
        if f.ids.get(name):
            keys.add(f"{name}:{f.ids[name]}")
    for isbn in f.ids.get("isbn", ()):
        keys.add(f"isbn:{isbn}")
    longest: list[str] = []
    if f.title:
        squeezed = squeezed_title(f.title, f.title_alt)
        keys.add("tp:" + squeezed[:24])  # sorted-prefix key: same start
        keys.add("ts:" + squeezed[-24:])  # same end (a different first word)
        if 12 <= len(squeezed) < 56:
            # a short title's start and end overlap, so one typo spoils both: its halves
            # (a swap of two letters, or a re-spacing, leaves one of them whole)
            half = len(squeezed) // 2
            keys.add(f"th:{len(squeezed)}:" + squeezed[:half])
            keys.add(f"th:{len(squeezed)}:" + squeezed[half:])
        longest = sorted(set(f.significant), key=lambda w: (-len(w), w))[:3]
        if len(longest) >= 2:
            keys.add("tw:" + " ".join(sorted(longest)))  # word order and small edits elsewhere
    if f.families and f.year is not None:
        for year in (f.year, f.year + 1):
            if longest:
                for word in longest:
                    keys.add(f"fa:{f.families[0]}:{year}:{word}")
            else:
                keys.add(f"fa:{f.families[0]}:{year}")
    if f.year is not None and f.volume and f.first_page:
        keys.add(f"pl:{f.year}:{f.volume}:{f.first_page}")
    return keys


class _Groups:
    """Union-find that refuses to join groups holding a vetoed pair."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.members: dict[int, list[int]] = {}
        #: records joined to no group (``ambiguous_records``): record -> the records it fits
        self.ambiguous: dict[int, list[int]] = {}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return
        mi, mj = self.members.pop(ri, [ri]), self.members.pop(rj, [rj])
        if len(mi) < len(mj):
            ri, rj, mi, mj = rj, ri, mj, mi
        self.parent[rj] = ri
        self.members[ri] = mi + mj

    def group_of(self, i: int) -> list[int]:
        return self.members.get(self.find(i), [self.find(i)])


def find_duplicates(items: Sequence[Item], config: MatchConfig = DEFAULT_CONFIG) -> DedupeResult:
    """Groups of items that are the same work, and the matched pairs with their evidence.

    Candidate pairs come from shared blocking keys (identifiers, title
    prefix/suffix/longest words, first author and year); a key shared by more
    than ``config.max_block_size`` records is skipped, and one shared by more
    than ``config.full_block_size`` pairs only neighbours in title order
    (``ordered_block``). Pairs are joined best
    score first; two groups are not joined when any of their members veto
    each other (so "Part I" ~ "Parts I and II" ~ "Part II" stays apart).
    """
    feats = [Features.of(item) for item in items]
    return find_duplicates_features(feats, config)


#: blocking keys of identifiers: their blocks may be larger (a DOI on the copies of one record)
IDENTIFIER_KEYS = ("doi:", "arxiv:", "pmid:")


def block_limit(key: str, config: MatchConfig = DEFAULT_CONFIG) -> int:
    """The largest block still paired: a key shared by more records tells them apart too little."""
    return config.max_block_size * (8 if key.startswith(IDENTIFIER_KEYS) else 1)


def squeezed_title(title: str, title_alt: str) -> str:
    """The title without spaces (its first form, before a bracketed translation): what the
    title keys cut and what larger blocks are ordered by."""
    return title_alt.replace(" ", "") or title.replace(" ", "")


def title_ranks(squeezed: Sequence[str]) -> tuple[list[int], list[int]]:
    """Each record's rank among the distinct titles, in order and in the order of the reversed
    titles (equal titles, equal ranks): the two orders of the records in a larger block (a typo
    sorts a copy away from its original in one order only, unless it is in the title's middle)."""
    ranks = []
    for titles in (list(squeezed), [t[::-1] for t in squeezed]):
        rank_of = {t: r for r, t in enumerate(sorted(set(titles)))}
        ranks.append([rank_of[t] for t in titles])
    return ranks[0], ranks[1]


def ordered_block(key: str, n_members: int, config: MatchConfig = DEFAULT_CONFIG) -> bool:
    """Whether a block is paired by neighbourhood in title orders (else every two members):
    larger blocks of keys that are not identifiers (copies of one record share a DOI)."""
    return n_members > config.full_block_size and not key.startswith(IDENTIFIER_KEYS)


def neighbour_pairs(members: Sequence[int], ranks: Sequence[int], window: int) -> list[tuple[int, int]]:
    """Pairs (i < j) of members fewer than ``window`` distinct ranks apart."""
    ordered = sorted(members, key=lambda m: (ranks[m], m))
    position, last, positions = -1, None, []
    for m in ordered:
        if ranks[m] != last:
            position, last = position + 1, ranks[m]
        positions.append(position)
    out = []
    for x in range(len(ordered)):
        for y in range(x + 1, len(ordered)):
            if positions[y] - positions[x] >= window:
                break
            a, b = ordered[x], ordered[y]
            out.append((a, b) if a < b else (b, a))
    return out


def candidate_pairs(
    feats: Sequence[Features], config: MatchConfig = DEFAULT_CONFIG, keys: Sequence[set[str]] | None = None
) -> set[tuple[int, int]]:
    """The pairs sharing a blocking key; ``keys[i]``, when given, is ``blocking_keys(feats[i])``
    kept from before (serve re-checks a list after each edit: most records did not change)."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(feats):
        for key in keys[i] if keys is not None else blocking_keys(f):
            blocks[key].append(i)
    ranks: tuple[list[int], list[int]] | None = None  # (made for the first larger block: most small inputs have none)
    pairs: set[tuple[int, int]] = set()
    done: set[tuple[Any, ...]] = set()  # a cluster of copies shares all its keys: pair it once
    for key, members in blocks.items():
        if len(members) < 2:
            continue
        if len(members) > block_limit(key, config):
            continue  # too common to tell records apart (a proceedings DOI, a prolific author's year)
        ordered = ordered_block(key, len(members), config)
        signature = (ordered, *members)
        if signature in done:
            continue
        done.add(signature)
        if ordered:
            if ranks is None:
                ranks = title_ranks([squeezed_title(f.title, f.title_alt) for f in feats])
            for order in ranks:
                pairs.update(neighbour_pairs(members, order, config.block_window))
            continue
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                pairs.add((members[x], members[y]))
    return pairs


def _hopeless(a: Features, b: Features, config: MatchConfig) -> bool:
    """A fast pre-check: no identifier shared and titles too different for any rule of
    ``compare_features`` to call the pair the same (so the verdict is known: different)."""
    if not a.title or not b.title:
        return False
    if a.ids and b.ids and (
        any(a.ids.get(k) == v for k, v in b.ids.items() if k != "isbn")
        or (a.ids.get("isbn") and b.ids.get("isbn") and set(a.ids["isbn"]) & set(b.ids["isbn"]))
    ):
        return False
    floor = config.min_title_similarity_same_place
    if not Indel.normalized_similarity(a.title, b.title, score_cutoff=floor) and not Indel.normalized_similarity(
        a.title_alt, b.title_alt, score_cutoff=floor
    ):
        return True
    if a.volume is not None and a.volume == b.volume and a.first_page is not None and a.first_page == b.first_page:
        return False  # the same-place rule may apply
    return _title_similarity(a, b) < config.title_threshold


def find_duplicates_features(
    feats: Sequence[Features], config: MatchConfig = DEFAULT_CONFIG, *, keys: Sequence[set[str]] | None = None
) -> DedupeResult:
    candidates = candidate_pairs(feats, config, keys)
    matched: list[tuple[float, int, int, Match]] = []
    not_identities: set[str] = set()
    for i, j in candidates:
        if _hopeless(feats[i], feats[j], config):
            continue
        verdict = compare_features(feats[i], feats[j], config)
        if "doi_not_identity" in verdict.evidence:
            not_identities.add(feats[i].ids["doi"])
        if verdict.same:
            matched.append((verdict.score, i, j, verdict))
    groups, pairs = group_matches(matched, feats.__getitem__, len(feats), config)
    carriers: dict[str, list[int]] = {doi: [] for doi in sorted(not_identities)}
    if carriers:
        for i, f in enumerate(feats):
            if f.ids.get("doi") in carriers:
                carriers[f.ids["doi"]].append(i)
    return finish_result(groups, pairs, [f.key for f in feats], len(candidates), carriers)


def _never_together(a: Features, b: Features, config: MatchConfig = DEFAULT_CONFIG, vetoes_known: bool = False) -> bool:
    """Two records no group may hold: a veto, or a weak title in two volumes of one serial (a
    pair may still match, a volume mistyped, but a group is not to hold two volumes' instances).
    ``vetoes_known``: the pair's verdict already found no veto."""
    if not vetoes_known and _vetoes(a, b, config):
        return True
    return bool(
        a.volume and b.volume and a.volume != b.volume and (_weak_title(a, config) or _weak_title(b, config))
        and a.type not in BOOK_TYPES and b.type not in BOOK_TYPES and not a.preprint and not b.preprint
        and not (a.venue and b.venue and (_venue_similarity(a, b) or 0.0) < 0.9)
        and not any(a.ids.get(k) and a.ids.get(k) == b.ids.get(k) for k in ("doi", "arxiv", "pmid"))
    )


def _known_to_differ(a: Features, b: Features, config: MatchConfig, matched: bool) -> bool:
    """Whether the matcher tells two records apart on their fields: a pair no group may hold
    (``_never_together``) or, unmatched, fields in conflict (other volumes, DOIs, first pages)
    or other forms of publication (``_other_forms``), not merely too little agreement (a copy
    that lost its venue). Not years too far apart: two copies of one record whose years moved
    either way are two years apart."""
    if matched:  # its verdict saw no veto: only a weak title in two volumes keeps them apart
        return _never_together(a, b, config, vetoes_known=True)
    if _other_forms(a, b):
        return True
    verdict = compare_features(a, b, config)
    evidence = verdict.evidence
    return not verdict.same and (
        "vetoes" in evidence or "conflicts" in evidence or _never_together(a, b, config, vetoes_known=True)
    )


def _form(f: Features) -> str:
    """How a record was published: a report, a thesis, in a serial, or "" (another type)."""
    return f.type if f.type in ("report", "thesis") else "serial" if f.type in _IN_SERIALS else ""


def _other_forms(a: Features, b: Features) -> bool:
    """A report, a thesis and an article in a serial, two of them: when they did not match, two
    publications of one study (the thesis, the technical report, its journal version), each a
    work of its own."""
    fa, fb = _form(a), _form(b)
    return bool(fa and fb and fa != fb)


def _told_apart(a: Features, b: Features) -> bool:
    """Two records that did not match and are of other types, by other authors or in other
    venues: two publications, not two copies of one record (a copy keeps its type, its authors
    and its venue, or drops it, or abbreviates it), so a record matching both belongs with the
    one it sides with (``_sides_with``)."""
    if a.type != b.type or (a.families and b.families and set(a.families) != set(b.families)):
        return True
    venue = _venue_similarity(a, b)
    return venue is not None and venue < 0.9


def _overlap(a: tuple[tuple[int, int], ...], b: tuple[tuple[int, int], ...]) -> bool:
    return any(x[0] <= y[1] and y[0] <= x[1] for x in a for y in b)


def _sides_with(c: Features, x: Features, y: Features) -> int:
    """Which of two records that differ ``c`` agrees with on a field that tells them apart (a
    type, set of authors, DOI, volume, issue, first page or venue it shares with one and not
    the other; failing those, the title): 1 for ``x``, -1 for ``y``, 0 for neither or both. An
    identifier counts when only one of the two has it: they differ, so the other is not that
    record. Not the year: one off is a slip every matcher allows."""
    votes = set()
    if x.type != y.type and c.type in (x.type, y.type):  # the copy of the report is a report
        votes.add(1 if c.type == x.type else -1)
    if c.families and x.families and y.families:
        mine, theirs_x, theirs_y = set(c.families), set(x.families), set(y.families)
        if theirs_x != theirs_y and mine in (theirs_x, theirs_y):
            votes.add(1 if mine == theirs_x else -1)
    for name in ("doi", "arxiv", "pmid"):  # an identifier of one is that record, whether the other has one or not
        mine = c.ids.get(name)
        if mine and (mine == x.ids.get(name)) != (mine == y.ids.get(name)):
            votes.add(1 if mine == x.ids.get(name) else -1)
    for mine, theirs_x, theirs_y in ((c.volume, x.volume, y.volume), (c.first_page, x.first_page, y.first_page)):
        if mine and theirs_x and theirs_y and theirs_x != theirs_y and mine in (theirs_x, theirs_y):
            votes.add(1 if mine == theirs_x else -1)
    if c.issues and x.issues and y.issues:
        in_x, in_y = _overlap(c.issues, x.issues), _overlap(c.issues, y.issues)
        if in_x != in_y:
            votes.add(1 if in_x else -1)
    venue_x, venue_y = _venue_similarity(c, x), _venue_similarity(c, y)
    if venue_x is not None and venue_y is not None and (venue_x >= 0.9) != (venue_y >= 0.9):
        votes.add(1 if venue_x >= 0.9 else -1)
    if not votes and x.title != y.title and c.title in (x.title, y.title):
        # last, the title as it was against one cut short or reworded (a typo in a copy makes
        # a title no other record has, so it says nothing here)
        votes.add(1 if c.title == x.title else -1)
    return votes.pop() if len(votes) == 1 else 0


def ambiguous_records(
    matched: Sequence[tuple[float, int, int, Match]], feature_of: Callable[[int], Features],
    config: MatchConfig = DEFAULT_CONFIG, weak_title: Callable[[int], bool] | None = None,
) -> tuple[dict[int, list[int]], set[tuple[int, int]]]:
    """Records that match two records known to differ (``_known_to_differ``): a copy that lost
    what told them apart (a volume, pages, a DOI) or whose year moved fits both. Such a record
    joins the one it agrees with on a field telling them apart (``_sides_with``), or else the
    one it matches better by ``config.ambiguity_margin`` or more: the links to the others are
    returned, to be dropped. Else it fits both and joins neither: it is returned (record ->
    the records it fits) and its links to them are dropped. A record matching two that are not
    known to differ but are two publications (``_told_apart``) joins the one it sides with, if
    it does.

    Only records with two or more matched partners are looked at, and of two partners that
    match each other only weak titles (``_weak_title``) are decoded."""
    partners: dict[int, dict[int, float]] = defaultdict(dict)
    for score, i, j, _ in matched:
        partners[i][j] = score
        partners[j][i] = score
    weak = weak_title or (lambda k: _weak_title(feature_of(k), config))
    ambiguous: dict[int, list[int]] = {}
    dropped: set[tuple[int, int]] = set()
    for c, links in partners.items():
        if len(links) < 2:
            continue
        others = list(links)  # (any order: what is found is sets)
        worse: set[int] = set()
        fits: set[int] = set()
        for n, x in enumerate(others):
            x_partners = partners[x]
            for y in others[n + 1 :]:
                together = y in x_partners
                if together and not (weak(x) or weak(y)):
                    continue
                fx, fy = feature_of(x), feature_of(y)
                known = _known_to_differ(fx, fy, config, together)
                if not known and (together or not _told_apart(fx, fy)):
                    continue
                side = _sides_with(feature_of(c), fx, fy)
                if side:
                    worse.add(y if side > 0 else x)
                elif not known:
                    continue  # two publications it does not side with: both, as the records of one work
                elif abs(links[x] - links[y]) >= config.ambiguity_margin:
                    worse.add(y if links[x] > links[y] else x)
                else:
                    fits |= {x, y}
        if fits:
            ambiguous[c] = sorted(fits)
        if worse or fits:
            dropped.update((c, k) if c < k else (k, c) for k in worse | fits)
    return ambiguous, dropped


def group_matches(
    matched: list[tuple[float, int, int, Match]], feature_of: Callable[[int], Features], n: int,
    config: MatchConfig = DEFAULT_CONFIG, *, weak_title: Callable[[int], bool] | None = None,
    key_of: Callable[[int], str] | None = None,
) -> tuple[_Groups, list[Pair]]:
    """Join matched pairs best score first, never joining two groups whose members veto
    each other; the pairs kept. Shared by every engine, so they all give the same groups.
    A record that fits two records known to differ joins neither, or only the clearly
    better one (``ambiguous_records``; the groups' ``ambiguous`` says which).

    ``weak_title(i)`` (``_weak_title`` of record i) and ``key_of(i)`` (its key) spare an engine
    that keeps its features compactly decoding them where the answer is known without."""
    groups = _Groups(n)
    ambiguous, dropped = ambiguous_records(matched, feature_of, config, weak_title)
    if dropped:
        groups.ambiguous = dict(sorted(ambiguous.items()))
        matched = [t for t in matched if ((t[1], t[2]) if t[1] < t[2] else (t[2], t[1])) not in dropped]
    matched.sort(key=lambda t: (-t[0], t[1], t[2]))
    pairs: list[Pair] = []
    key_of = key_of or (lambda k: feature_of(k).key)
    for score, i, j, verdict in matched:
        gi, gj = groups.group_of(i), groups.group_of(j)
        if groups.find(i) != groups.find(j):
            clear = verdict.same and "vetoes" not in verdict.evidence  # (i, j) itself: its verdict saw no veto
            # two single records whose verdict saw no veto and neither title weak: _never_together
            # would say no without decoding them
            nothing_to_check = len(gi) == len(gj) == 1 and clear and weak_title is not None and not (weak_title(i) or weak_title(j))
            if len(gi) * len(gj) <= 400 and not nothing_to_check and any(
                _never_together(feature_of(x), feature_of(y), config, clear and x == i and y == j) for x in gi for y in gj
            ):
                continue
            groups.union(i, j)
        pairs.append(Pair(key_of(i), key_of(j), score, verdict.evidence, i, j))
    return groups, pairs


def finish_result(
    groups: _Groups, pairs: list[Pair], keys: list[str], compared: int, carriers: dict[str, list[int]]
) -> DedupeResult:
    """The result of ``group_matches``: groups of two or more, pairs in input order, and the
    DOIs not taken as identities (``carriers``: DOI -> records carrying it) left in several groups."""
    by_root: dict[int, list[int]] = defaultdict(list)
    for root in groups.members:
        by_root[root] = sorted(groups.members[root])
    result_groups = sorted((g for g in by_root.values() if len(g) > 1), key=lambda g: g[0])
    pairs.sort(key=lambda p: (p.index_a, p.index_b))
    # reported when it was not one work after all (a translated title still joins on its metadata)
    shared_dois = {doi: members for doi, members in carriers.items() if len({groups.find(i) for i in members}) > 1}
    return DedupeResult(result_groups, pairs, keys, compared, shared_dois, groups.ambiguous)


def explain(match: Match) -> str:
    """One line per piece of evidence, for ``--explain``."""
    lines = [f"score {match.score:.3f}: {'same work' if match.same else 'different'}"]
    for key, value in match.evidence.items():
        if isinstance(value, list):
            value = "; ".join(map(str, value))
        lines.append(f"  {key.replace('_', ' ')}: {value}")
    return "\n".join(lines)
