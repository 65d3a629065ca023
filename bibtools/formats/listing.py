"""Publication listings copied as text from a paper-index website (an author's page).

The page is read line by line. Each non-blank line goes through a small set of
classifiers (functions ``line -> (label, score)``); the best score names the
line. Records are then assembled from the labels: a site banner before the
first record is skipped, and a ``Via ...`` line closes each record. Inside a
record: an authors line, an abstract paragraph, and optionally a title line, a
venue/year line ("ICLR 2021", "arXiv preprint arXiv:2302.06354, 2023") and
links. Another listing dialect is a new classifier (or a new label) in
``CLASSIFIERS``, not a new parser.

Records carry no citation keys (``id = ""``; the key pass names them). A record
without title or year is kept and reported once, with its line number.
Read-only.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..diagnostics import Diagnostic, info, warning
from ..model import Date, Item, Library, Origin
from ..registry import Format
from ..text.ids import find_arxiv_id, normalize_doi
from ..text.markup import from_latex
from ..text.names import PARTICLES, SUFFIXES, parse_names, split_names

Label = str
Classifier = Callable[[str], tuple[Label, float]]

# --- line classifiers ---------------------------------------------------------------

# "Via" alone, or "Via <site>" - never a sentence that starts with "Via".
_VIA = re.compile(r"^via(?:\s*:?\s+[\w.\- ]{1,40})?$", re.IGNORECASE)
_URL = re.compile(r"(?:https?://|www\.)\S+")
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
_BANNER_WORDS = re.compile(
    r"\b(?:free|extension|add-on|addon|sign (?:in|up)|log ?in|subscribe|cookies?|newsletter|"
    r"download our|get our|browser|menu|upgrade)\b",
    re.IGNORECASE,
)
_NAME_TOKEN = re.compile(r"^(?:[^\W\d_][^\W\d_'’.-]*(?:[-'’][^\W\d_]+)*\.?|(?:[^\W\d_]\.){1,3}-?(?:[^\W\d_]\.)?)$")
_VENUE_WORDS = re.compile(
    r"\b(?:proceedings|conference|symposium|workshop|journal|transactions|letters|review|preprint|"
    r"arxiv|biorxiv|medrxiv|volume|vol\.|pp\.|press|university)\b",
    re.IGNORECASE,
)


def classify_via(line: str) -> tuple[Label, float]:
    return ("via", 1.0) if _VIA.match(line) else ("via", 0.0)


def classify_link(line: str) -> tuple[Label, float]:
    urls = _URL.findall(line)
    if not urls:
        return "link", 0.0
    rest = _URL.sub("", line).strip(" []()|:-")
    return "link", 0.95 if len(rest) <= 20 else 0.2


def classify_banner(line: str) -> tuple[Label, float]:
    hits = len(_BANNER_WORDS.findall(line))
    if hits == 0:
        return "banner", 0.0
    glued = bool(re.search(r"[!?][A-Z]", line))  # "online!Free add-on": pasted widget text
    return "banner", min(0.99, 0.45 + 0.15 * hits + (0.3 if glued or "!" in line else 0.0))


# Capitalised words of Title Case that are never part of a personal name.
_TITLE_WORDS = frozenset(
    """a an the of for with on in to from by using towards toward between through beyond under
    without into via is are can do does how why what when not no all versus vs our your its""".split()
)


def _name_like(piece: str) -> bool:
    tokens = piece.split()
    if not 1 <= len(tokens) <= 5:
        return False
    capitals = 0
    for token in tokens:
        low = token.lower()
        if low in _TITLE_WORDS:
            return False
        if low in PARTICLES or low.rstrip(",") in SUFFIXES:
            continue
        if not _NAME_TOKEN.match(token) or not token[:1].isupper():
            return False
        capitals += 1
    return capitals >= 1


_TRUNCATED = ("\u2026", "...")


def classify_authors(line: str) -> tuple[Label, float]:
    line = line.rstrip().removesuffix("\u2026").removesuffix("...").rstrip(" ,")  # "A B, C D, ..." (list cut short)
    if any(c.isdigit() for c in line) or len(line) > 3000 or line.rstrip().endswith((".", "?", "!", ":")) and not re.search(
        r"\b[A-Z]\.$", line.rstrip()
    ):
        return "authors", 0.0
    pieces = split_names(line)
    if not pieces:
        return "authors", 0.0
    good = sum(_name_like(p) for p in pieces)
    share = good / len(pieces)
    if share < 0.8:
        return "authors", 0.0
    # Several names separated by commas are strong evidence; one short line is weak.
    return "authors", 0.9 if len(pieces) >= 2 else 0.45


def classify_venue(line: str) -> tuple[Label, float]:
    years = _YEAR.findall(line)
    if not years or len(line) > 200:
        return "venue", 0.0
    if re.search(r"[.!?]\s+[A-Z]", line):  # sentences: an abstract mentioning a year
        return "venue", 0.0
    score = 0.5
    if re.search(r"(?:,\s*|\s)(?:19|20)\d\d\)?\.?$", line):
        score += 0.3
    if _VENUE_WORDS.search(line) or re.match(r"^[A-Z][A-Za-z]*[A-Z]{2,}[A-Za-z]*\b", line):
        score += 0.15
    return "venue", score


def classify_title(line: str) -> tuple[Label, float]:
    if len(line) > 300 or not line[:1].isupper() and not line[:1].isdigit():
        return "title", 0.0
    if line.endswith(".") and re.search(r"[.!?]\s+[A-Z]", line):  # several sentences
        return "title", 0.0
    return "title", 0.5


def classify_abstract(line: str) -> tuple[Label, float]:
    sentences = len(re.findall(r"[.!?](?:\s|$)", line))
    if len(line) >= 200 or sentences >= 2:
        return "abstract", 0.85
    if len(line) >= 80 and line.endswith("."):
        return "abstract", 0.6
    return "abstract", 0.1


CLASSIFIERS: tuple[Classifier, ...] = (
    classify_via,
    classify_link,
    classify_banner,
    classify_authors,
    classify_venue,
    classify_title,
    classify_abstract,
)


def classify(line: str, classifiers: tuple[Classifier, ...] = CLASSIFIERS) -> tuple[Label, float]:
    """The best (label, score) for one non-blank line; ties go to the earlier classifier."""
    best: tuple[Label, float] = ("text", 0.0)
    for classifier in classifiers:
        label, score = classifier(line)
        if score > best[1]:
            best = (label, score)
    return best


# --- records --------------------------------------------------------------------------

@dataclass
class _Line:
    number: int
    text: str
    label: Label
    score: float


@dataclass
class _Record:
    lines: list[_Line] = field(default_factory=list)
    closed: bool = False

    @property
    def first_line(self) -> int:
        return self.lines[0].number if self.lines else 0


def _classified_lines(text: str, classifiers: tuple[Classifier, ...]) -> list[_Line]:
    out = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if line:
            label, score = classify(line, classifiers)
            out.append(_Line(number, line, label, score))
    return out


def _records(lines: list[_Line]) -> tuple[list[_Record], list[_Line]]:
    """Group lines into records closed by ``via``; banner lines before a record are skipped."""
    records: list[_Record] = []
    skipped: list[_Line] = []
    current = _Record()
    for line in lines:
        if line.label == "via":
            if current.lines:
                current.closed = True
                records.append(current)
            current = _Record()
        elif line.label == "banner" and not current.lines:
            skipped.append(line)
        else:
            current.lines.append(line)
    if current.lines:
        records.append(current)
    # Page furniture that no classifier recognised: prose before the first record's
    # title/authors line belongs to the site, not to the paper.
    if records:
        first = records[0]
        start = next((i for i, ln in enumerate(first.lines) if ln.label in ("title", "authors", "venue", "link")), 0)
        if start and all(ln.label in ("abstract", "text", "banner") for ln in first.lines[:start]):
            skipped.extend(first.lines[:start])
            del first.lines[:start]
    return records, skipped


def _assign_roles(record: _Record) -> dict[str, list[_Line]]:
    """Settle the title/authors ambiguity using the order of lines inside the record."""
    roles: dict[str, list[_Line]] = {"title": [], "authors": [], "venue": [], "link": [], "abstract": []}
    short = [ln for ln in record.lines if ln.label in ("authors", "title")]
    if short:
        # The best authors line; on a tie the later one (a title comes before its authors).
        authors = max(
            short, key=lambda ln: (ln.label == "authors", classify_authors(ln.text)[1], len(split_names(ln.text)), ln.number)
        )
        if classify_authors(authors.text)[1] > 0:
            roles["authors"].append(authors)
        for ln in short:
            if ln is authors and roles["authors"]:
                continue
            # A short line before the authors is the title; after them, it continues the text.
            target = "title" if not roles["title"] and ln.number < authors.number else "abstract"
            roles[target].append(ln)
    for ln in record.lines:
        if ln.label in ("venue", "link", "abstract", "text", "banner"):
            roles["abstract" if ln.label in ("text", "banner") else ln.label].append(ln)
    roles["abstract"].sort(key=lambda ln: ln.number)
    return roles


_CONFERENCE = re.compile(
    r"\b(?:proceedings|conference|symposium|workshop|ICLR|NeurIPS|NIPS|ICML|CVPR|ICCV|ECCV|ACL|EMNLP|"
    r"NAACL|AAAI|IJCAI|KDD|COLT|AISTATS|UAI|SIGIR|WWW|CHI|ICRA|IROS|CoRL|ALT|STOC|FOCS|SODA)\b"
)
_JOURNAL = re.compile(r"\b(?:journal|transactions|letters|review|magazine|JMLR|TMLR|TPAMI)\b", re.IGNORECASE)


_VOLUME_PAGES = re.compile(
    r"^(?P<name>.*?[^\d\s,])\s+(?P<volume>\d{1,5})\s*(?:\((?P<issue>[\w\-/]{1,10})\))?\s*(?:[,:]\s*(?P<pages>[A-Za-z]?\d+(?:\s*[-\u2013]+\s*[A-Za-z]?\d+)?))?$"
)


def _apply_venue(item: Item, venue: str) -> None:
    years = _YEAR.findall(venue)
    if years:
        item.fields["issued"] = Date(parts=((int(years[-1]),),))
    arxiv = find_arxiv_id(venue) if "arxiv" in venue.lower() else None
    if arxiv is not None:
        _apply_arxiv(item, str(arxiv))
        return
    name = re.sub(r"\s{2,}", " ", _YEAR.sub("", venue)).strip(" ,.;:()")
    details = _VOLUME_PAGES.match(name)  # "Journal of X 12 (3), 45-67"
    if details:
        name = details.group("name").strip(" ,")
        item.fields["volume"] = details.group("volume")
        if details.group("issue"):
            item.fields["issue"] = details.group("issue")
        if details.group("pages"):
            item.fields["page"] = details.group("pages")
    if not name:
        return
    item.fields["container-title"] = name
    if _CONFERENCE.search(name):
        item.type = "paper-conference"
    elif _JOURNAL.search(name) or (details and (details.group("issue") or details.group("pages"))):
        item.type = "article-journal"  # a named journal, or volume(issue), pages: how journals are cited


def _apply_arxiv(item: Item, arxiv_id: str) -> None:
    found = find_arxiv_id(arxiv_id)
    if found is None:
        return
    item.type = "article"
    item.fields["publisher"] = "arXiv"
    item.fields["number"] = f"arXiv:{found.id}"
    item.extra["eprint"] = found.id
    item.extra["archiveprefix"] = "arXiv"


def _apply_link(item: Item, url: str) -> None:
    url = url.rstrip(".,;)")
    if "doi.org/" in url.lower():
        doi = normalize_doi(url)
        if doi and "DOI" not in item.fields:
            item.fields["DOI"] = doi
            return
    if "arxiv.org/" in url.lower():
        found = find_arxiv_id(url)
        if found and "eprint" not in item.extra:
            _apply_arxiv(item, str(found))
    item.fields.setdefault("URL", url)


def _item_from_record(record: _Record, source: str | None) -> tuple[Item, list[Diagnostic]]:
    item = Item(id="", type="article", origin=Origin("listing", source, record.first_line, None))
    roles = _assign_roles(record)
    problems: list[Diagnostic] = []
    if roles["authors"]:
        authors_line = roles["authors"][0].text.rstrip()
        if authors_line.endswith(_TRUNCATED):
            authors_line = authors_line.removesuffix("\u2026").removesuffix("...").rstrip(" ,")
            problems.append(info("listing.authors-truncated", "the authors line is cut short ('...'); only the names shown are kept",
                                 source=source, line=roles["authors"][0].number))
        item.fields["author"] = parse_names(authors_line, given_first=True)  # the page writes names given-first
    if roles["title"]:
        item.fields["title"] = from_latex(" ".join(ln.text for ln in roles["title"]))
    for ln in roles["venue"][:1]:
        _apply_venue(item, ln.text)
    for ln in roles["link"]:
        for url in _URL.findall(ln.text):
            _apply_link(item, url if url.startswith("http") else f"https://{url}")
    if roles["abstract"]:
        item.fields["abstract"] = from_latex("\n\n".join(ln.text for ln in roles["abstract"]))
    missing = [what for what, ok in (("title", "title" in item.fields), ("year", "issued" in item.fields)) if not ok]
    if missing:
        who = ", ".join(n.full_family for n in item.authors[:2]) or "unknown authors"
        problems.append(
            warning(
                "listing.incomplete",
                f"record by {who}{' et al.' if len(item.authors) > 2 else ''} has no {' and no '.join(missing)}; kept as it is",
                source=source,
                line=record.first_line,
            )
        )
    if not roles["authors"]:
        problems.append(warning("listing.no-authors", "record has no authors line", source=source, line=record.first_line))
    if not record.closed:
        problems.append(info("listing.unclosed", "last record is not closed by a 'Via' line", source=source, line=record.first_line))
    return item, problems


def read(text: str, *, source: str | None = None, classifiers: tuple[Classifier, ...] = CLASSIFIERS, **_: Any) -> Library:
    """Read a listing; ``classifiers`` swaps in another dialect's line classifiers."""
    library = Library()
    records, skipped = _records(_classified_lines(text, classifiers))
    if skipped:
        lines = ", ".join(str(ln.number) for ln in skipped)
        library.diagnostics.append(info("listing.banner", f"skipped site banner text (line {lines})", source=source, line=skipped[0].number))
    for record in records:
        item, problems = _item_from_record(record, source)
        library.add(item)
        library.diagnostics.extend(problems)
    if not records:
        library.diagnostics.append(warning("listing.empty", "no publication records found", source=source))
    return library


def sniff(text: str) -> float:
    head = text.lstrip("\ufeff \t\r\n")
    if not head or head[0] in "@{[<%" or head.startswith("TY  -"):
        return 0.0
    lines = [ln.strip() for ln in head[:20000].splitlines() if ln.strip()]
    vias = sum(1 for ln in lines if _VIA.match(ln))
    authors = sum(1 for ln in lines[:200] if classify_authors(ln)[1] >= 0.9)
    if vias and authors:
        return min(0.9, 0.5 + 0.1 * min(vias, authors))
    return 0.05 if authors else 0.0


FORMAT = Format(
    name="listing",
    description="publication listing copied from a paper-index author page; read-only",
    suffixes=(),
    sniff=sniff,
    read=read,
)
