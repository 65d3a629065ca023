"""Labelled segments of one reference to CSL variables, and the CSL type they suggest."""
from __future__ import annotations

import re

from ...model import Date, Item, Name
from ...text.dates import MONTH_NAMES, SEASONS
from ...text.ids import normalize_doi
from .cleaning import LAST_SENTENCE as _LAST_SENTENCE, is_domain_name, strip_value as _strip
from .labeller import Segment
from .names import clean_role, parse_segment_names
from .repairs import reads_as_title, repair_segments

_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
_DAY = re.compile(r"(?<!\d)([0-3]?\d)(?!\d)")
_WORD = re.compile(r"[^\W\d_]+")
_NUMBER = re.compile(r"\d+[a-zA-Z]?|[IVXLCDM]+\b")
_ISSUE_IN_VOLUME = re.compile(r"^\D*?(\w+)\s*\(\s*([^)]+?)\s*\)")  # "45(3)" / "Vol. 45 (3-4)"
_ISSUE_WORD = re.compile(r"(?:no|nr|n°|issue|heft)\.?\s*(\w+(?:[-–/]\w+)?)", re.I)
# "318–62", "S1-S10", "e1007625", "btx012" (an article id), "284-300.e7" (Cell's supplement pages)
_PAGES = re.compile(r"(?<![A-Za-z])([A-Za-z]{0,3}\d+[A-Za-z]?)(?:\s*[-–—]+\s*([A-Za-z]{0,3}\d+[A-Za-z]?(?:\.e\d+)?))?")
_CONFERENCE = re.compile(r"\b(?:proc\.?|proceedings|conference|conf\.|symposium|workshop|congress|meeting|colloqui)", re.I)
_THESIS = re.compile(r"\b(?:thesis|dissertation|diss\.|ph\.?\s?d|doctoral|master|tesis|thèse|doktorarbeit|mémoire)", re.I)
_REPORT = re.compile(r"\b(?:report|working paper|technical|tech\.|white paper|memorandum|discussion paper)", re.I)
_LEADING_IN = re.compile(r"^\s*(?:in|dans|en|im)\s*:?\s+", re.I)
_GLUED_PAGES = re.compile(r":\s*([A-Za-z]{0,3}\d+[A-Za-z]?(?:\s*[-–—]+\s*[A-Za-z]{0,3}\d+[A-Za-z]?)?)[\s.,;)]*$")
_PAGE_COUNT = re.compile(r"^\W*(\d+)\s*(?:pp?|pages|s|seiten)\.?\W*$", re.I)  # a book's "650 p."
_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)
_DATE_BEFORE_VOLUME = re.compile(r"^\s*(\d{4}|\d{1,2})\s*;\s*(?=\S)")
_EDITION = re.compile(r"(\d+)(?:st|nd|rd|th|e|\.|ª|º)?", re.I)


def parse_date(text: str) -> Date | None:
    """A date segment: the year, and a month (and day) named around it."""
    years = _YEAR.findall(text)
    if not years:
        stripped = _strip(text)
        return Date(literal=stripped) if stripped else None
    if len(years) >= 2 and re.match(rf"^\W*[(\[]{years[0]}[)\]]\s*{years[1]}", text):
        years = years[1:]  # Chicago's "(1845) 1858": first published 1845, this edition 1858
    year = int(years[0])
    if len(years) >= 2 and re.search(rf"{years[0]}\s*[-–/]\s*{years[1]}", text):
        return Date(parts=((year,), (int(years[1]),)))
    month = None
    season = None
    for word in _WORD.findall(text.lower()):
        if word in MONTH_NAMES:
            month = MONTH_NAMES[word]
            break
        if word in SEASONS:
            season = SEASONS[word]
    if month is None:
        return Date(parts=((year,),), season=season)
    rest = _YEAR.sub(" ", text)
    days = [int(d) for d in _DAY.findall(rest) if 1 <= int(d) <= 31]
    return Date(parts=((year, month, days[0]) if len(days) == 1 else (year, month),))


def _pages(text: str) -> str | None:
    text = re.sub(r"^\W*(?:pp?|s|págs?|seiten)(?:\.\s*|\s+)", "", text.strip(), flags=re.I)  # not "S1", "SciPy"
    match = _PAGES.search(text)
    if not match:
        stripped = _strip(text)
        return stripped or None
    first, last = match.groups()
    if last and first.isdigit() and last.isdigit() and len(last) < len(first) and int(last) < int(first):
        last = first[:len(first) - len(last)] + last  # "318–62": the range written short
    return f"{first}-{last}" if last else first


def _volume_issue(text: str) -> tuple[str | None, str | None]:
    issue = None
    nested = _ISSUE_IN_VOLUME.match(text)
    if nested:
        return nested.group(1), nested.group(2)
    named = _ISSUE_WORD.search(text)
    if named:
        issue = named.group(1)
        text = text[:named.start()]
    number = _NUMBER.search(re.sub(r"(?i)\b(?:vol|volume|bd|band|tome|t|jg)\b\.?", " ", text))
    return (number.group(0) if number else None), issue


def _join(segments: list[Segment], label: str) -> str:
    return " ".join(s.text for s in segments if s.label == label)


def _vancouver_date(by_label: dict[str, list[Segment]]) -> None:
    """NLM writes "2015 May 28;521(7553):436" and "2008;9(86):2579": what stands before the ";"
    of a volume segment is the end of the date (its day, or its year when no date was found)."""
    volume = by_label.get("volume")
    if not volume:
        return
    head = _DATE_BEFORE_VOLUME.match(volume[0].text)
    if not head:
        return
    found = head.group(1)
    date = by_label.get("date")
    if len(found) == 4 and not date:
        by_label["date"] = [Segment("date", found, volume[0].confidence)]
    elif len(found) <= 2 and date and any(w in MONTH_NAMES for w in _WORD.findall(date[0].text.lower())):
        by_label["date"] = [Segment("date", f"{date[0].text} {found}", min(date[0].confidence, volume[0].confidence))]
    else:
        return
    by_label["volume"] = [Segment("volume", volume[0].text[head.end():], volume[0].confidence), *volume[1:]]


# "Indurkhya, N. and Damerau, F.J. (eds.)", "..., editors.": names that edited, whatever the label said.
# A bare "Ed." is left alone: it is also a given name ("Smith, Ed.").
_EDITED_BY = re.compile(r"(?:\(\s*(?:eds?|hrsg)\.?\s*\)|\beds\.?|\bed\.|\beditors?|\bhrsg\.?)[.,:;]?\s*$", re.I)
_ED_CASE = re.compile(r"\bEd\.[.,:;]?\s*$")
# An arXiv preprint names the archive where a journal would stand: "arXiv preprint arXiv:1502.05767",
# "Preprint arXiv:1502.05767. arXiv", "arXiv:hep-th/9901001", "ArXiv e-prints".
_ARXIV_ID = re.compile(r"(?:arxiv\s*:\s*)?(\d{4}\.\d{4,5}(?:v\d+)?|[a-z][a-z.-]+/\d{7}(?:v\d+)?)", re.I)
_ARXIV_WORDS = re.compile(r"\b(?:arxiv|preprint|e-?prints?|posted|online|available|at)\b", re.I)
_VERSION = re.compile(r"^\W*(?:v|vers?|version)?\.?\s*(\d+(?:\.\d+)+[a-z]?\d*)\W*$", re.I)


_TITLE_VERSION = re.compile(r"[\s.,;:(]+(?:(?:v|vers)\.|version)\s*(\d+(?:\.\d+)+[a-z]?\d*)?\)?[\s.,;]*$", re.I)
_BY = re.compile(r"^\s*(?:by|von|par|por|di)\s+", re.I)


def _editors_labelled_as_authors(by_label: dict[str, list[Segment]]) -> None:
    authors = by_label.get("author")
    if authors and "editor" not in by_label and _EDITED_BY.search(authors[-1].text) \
            and not _ED_CASE.search(authors[-1].text):
        by_label["editor"] = by_label.pop("author")


def _arxiv(text: str) -> str | None:
    """The arXiv id ("" when none is given) when ``text`` only says it is an arXiv preprint."""
    if "arxiv" not in text.lower():
        return None
    found = _ARXIV_ID.search(text)
    rest = _ARXIV_WORDS.sub(" ", _ARXIV_ID.sub(" ", text))
    if any(c.isalnum() for c in rest):
        return None
    return found.group(1) if found else ""


def _drop(by_label: dict[str, list[Segment]], label: str, segment: Segment) -> None:
    """``segment`` taken out of its label's list (and the label, when nothing is left)."""
    by_label[label].remove(segment)
    if not by_label[label]:
        del by_label[label]


_PREPRINT_ONLY = re.compile(r"^\W*preprint(?:\s+(?:at|posted|online))*\W*$", re.I)


def _archive_of_preprint(by_label: dict[str, list[Segment]]) -> str | None:
    """An arXiv mark where a journal, note, page or title end would stand ("arXiv preprint arXiv:1409.1556",
    "(Preprint arXiv:1502.05767). arXiv.", "arXiv: arXiv:1502.05767", "... a survey. arXiv.") names the
    archive: publisher arXiv, the id its number. A bare "Preprint at" is no journal either."""
    for label in ("journal", "container-title"):
        if label in by_label and _PREPRINT_ONLY.match(by_label[label][0].text):
            by_label.pop(label)
    found: tuple[str, Segment] | None = None
    arxiv = None
    for label in ("journal", "container-title", "note", "pages", "genre"):
        for segment in by_label.get(label, []):
            if (arxiv := _arxiv(segment.text)) is not None:
                found = (label, segment)
                break
        if found:
            break
    if found:
        label, segment = found
        if label in ("journal", "container-title"):
            by_label.pop(label)
        else:
            _drop(by_label, label, segment)
    elif "title" in by_label and "journal" not in by_label and "container-title" not in by_label:
        title = by_label["title"][0]
        last = _LAST_SENTENCE.search(title.text)
        if last and (arxiv := _arxiv(last.group(1))) is not None:
            segment = Segment("title", title.text[:last.start()], title.confidence)
            by_label["title"][0] = segment
    if arxiv is not None and "publisher" not in by_label:
        by_label["publisher"] = [Segment("publisher", "arXiv", segment.confidence)]
    return arxiv


# What only names of people show: an inverting comma, a list's "and", initials ("Smith JA", "M.").
_PERSONAL_NAMES = re.compile(r",|&|\band\b|\b[A-Z]{1,3}\b\.?|\b[A-Z]\.")


def _title_from_another_segment(by_label: dict[str, list[Segment]]) -> None:
    """No title labelled: a page or volume with no number ("2023. | scikit-learn.") is it, or else the
    only name segment, where a work with no author has its title ("Citation Style Language. (n.d.).")."""
    for label in ("pages", "volume"):
        wordy = [s for s in by_label.get(label, []) if not any(c.isdigit() for c in s.text)]
        if wordy:
            _drop(by_label, label, wordy[0])
            by_label["title"] = [Segment("title", wordy[0].text, wordy[0].confidence)]
            return
    authors = by_label.get("author", [])
    shows_no_person = authors and (not _PERSONAL_NAMES.search(authors[0].text) or reads_as_title(authors[0].text))
    if len(authors) == 1 and "editor" not in by_label and shows_no_person:
        segment = by_label.pop("author")[0]
        by_label["title"] = [Segment("title", segment.text, min(segment.confidence, 0.5))]  # a guess: say so


def build_item(segments: list[Segment], item: Item) -> dict[str, float]:
    """Fill ``item`` from ``segments``; returns each variable's confidence."""
    confidence: dict[str, float] = {}
    segments = repair_segments(segments)
    by_label: dict[str, list[Segment]] = {}
    for i, segment in enumerate(segments):
        before = segments[i - 1] if i else None
        if segment.label == "author" and before and before.label in ("editor", "translator") and _BY.match(segment.text):
            # "translated | by E. C. Otté": the names finish the role's segment
            joined = Segment(before.label, f"{before.text} {segment.text}", min(before.confidence, segment.confidence))
            by_label[before.label][-1] = joined
            continue
        by_label.setdefault(segment.label, []).append(segment)
    _editors_labelled_as_authors(by_label)
    arxiv = _archive_of_preprint(by_label)
    website = "container-title" in by_label and is_domain_name(_strip(by_label["container-title"][0].text))
    if "title" not in by_label and "container-title" in by_label and not website:
        # A book named with no chapter before it: its name is the title ("Eds. Handbook of ...").
        by_label["title"] = by_label.pop("container-title")
    if "title" not in by_label and "journal" not in by_label:
        _title_from_another_segment(by_label)

    def conf(label: str) -> float:
        found = by_label[label]
        return min(s.confidence for s in found)

    def put(variable: str, value: object, label: str) -> None:
        if value in (None, "", []):
            return
        item.fields[variable] = value  # type: ignore[assignment]
        confidence[variable] = conf(label)

    for label, variable in (("author", "author"), ("editor", "editor"), ("translator", "translator")):
        if label in by_label:
            names: list[Name] = []
            others = False
            for segment in by_label[label]:
                found, cut = parse_segment_names(clean_role(segment.text) if label != "author" else segment.text)
                names.extend(found)
                others = others or cut
            put(variable, [n for n in names if n.family or n.literal], label)
            if others:
                item.extra.setdefault("and-others", variable)
    if "title" in by_label:
        title = by_label["title"][0].text
        # "scikit-learn. V. 1.3.0.", "fjordsim (Version | 2.4.1)": the program's version ends its title
        in_title = _TITLE_VERSION.search(title)
        given = "edition" in by_label and _VERSION.match(_join(segments, "edition"))
        in_container = "journal" in by_label or "container-title" in by_label  # a report's "version 1.2" is its title's
        if in_title and (in_title.group(1) or given) and title[:in_title.start()].strip() and not in_container:
            title = title[:in_title.start()]
            if in_title.group(1) and not given:
                put("version", in_title.group(1), "title")
        put("title", _strip(title), "title")
        # A second title after "In: editors" or "In" is the book the first is in.
        later = by_label["title"][1:]
        container_given = "journal" in by_label or "container-title" in by_label
        if later and not container_given and ("editor" in by_label or _LEADING_IN.match(later[0].text)):
            by_label["container-title"] = [later[0]]
    for label in ("journal", "container-title"):
        if label in by_label and "container-title" not in item.fields:
            put("container-title", _strip(_LEADING_IN.sub("", by_label[label][0].text)), label)
    if "collection-title" in by_label:
        put("collection-title", _strip(_join(segments, "collection-title")), "collection-title")
    _vancouver_date(by_label)
    if "date" in by_label:
        put("issued", parse_date(by_label["date"][0].text), "date")
    if "volume" in by_label:
        text = " ".join(s.text for s in by_label["volume"])
        glued = _GLUED_PAGES.search(text)  # "5:497–525": volume and pages in one token
        if glued and "pages" not in by_label:
            put("page", _pages(glued.group(1)), "volume")
            text = text[:glued.start()]
        volume, issue = _volume_issue(text)
        put("volume", volume, "volume")
        put("issue", issue, "volume")
    if "issue" in by_label:
        put("issue", _strip(re.sub(r"(?i)^\W*(?:no|nr|issue|heft)\.?", "", _join(segments, "issue"))), "issue")
    if "pages" in by_label:
        count = _PAGE_COUNT.match(by_label["pages"][0].text)
        if count and "journal" not in by_label:  # an article's "546 pp." may be where it starts
            put("number-of-pages", count.group(1), "pages")
        else:
            put("page", _pages(by_label["pages"][0].text), "pages")
    for label, variable in (("publisher", "publisher"), ("location", "publisher-place"), ("genre", "genre"),
                            ("note", "note"), ("source", "source")):
        if label in by_label:
            texts: list[str] = []
            for segment in by_label[label]:  # a publisher printed twice ("CRC Press (CRC Press Series)") once
                if _strip(segment.text) not in {_strip(t) for t in texts}:
                    texts.append(segment.text)
            put(variable, _strip(" ".join(texts)), label)
    if "accessed" in by_label:
        put("accessed", parse_date(by_label["accessed"][0].text), "accessed")
    if arxiv:
        put("number", f"arXiv:{arxiv}", "publisher")
    if "edition" in by_label:
        text = _join(segments, "edition")
        version = _VERSION.match(text)
        number = _EDITION.search(text)
        if version:  # "Version 1.3.0", "V. 1.3.0": a program's version, not an edition
            put("version", version.group(1), "edition")
        else:
            put("edition", number.group(1) if number else _strip(text), "edition")
    if "doi" in by_label:
        put("DOI", normalize_doi(_join(segments, "doi").replace(" ", "")), "doi")
    if "url" in by_label:
        text = by_label["url"][0].text
        found = _URL.search(text)  # "Available from: https://...", "<https://...>"
        url = (found.group(0) if found else text.strip()).strip("<>").rstrip(".,;)>")
        doi = normalize_doi(url) if "doi.org/" in url.lower() else None
        if doi and "DOI" not in item.fields:
            put("DOI", doi, "url")
        else:
            put("URL", url, "url")
    if "isbn" in by_label:
        put("ISBN", re.sub(r"(?i)^\W*isbn[-:\s]*(?:1[03])?:?\s*", "", _join(segments, "isbn")).strip(" .,;"), "isbn")
    if "citation-number" in by_label and item.origin is not None:
        # A list position, kept as provenance: written as a field it would claim the number for the record.
        item.origin.list_number = by_label["citation-number"][0].text.strip("[](). ") or None
    item.type = infer_type(by_label, item)
    return confidence


def infer_type(by_label: dict[str, list[Segment]], item: Item) -> str:
    """The CSL type the segments suggest: how each kind of work is cited."""
    if "version" in item.fields:
        return "software"
    if str(item.fields.get("publisher", "")).lower() == "arxiv" and not item.fields.get("container-title"):
        return "article"  # CSL's type for a preprint
    genre = str(item.fields.get("genre", ""))
    container = str(item.fields.get("container-title", ""))
    whole = " ".join(s.text for group in by_label.values() for s in group)
    if _THESIS.search(genre) or (not container and _THESIS.search(whole)):
        return "thesis"
    if _REPORT.search(genre):
        return "report"
    if "journal" in by_label:
        return "article-journal"
    if is_domain_name(container):
        return "webpage"  # "CitationStyles.org": the site a page is on
    if container:
        if _CONFERENCE.search(container):
            return "paper-conference"
        if "editor" in by_label or "publisher" in by_label or "location" in by_label:
            return "chapter"
        return "article-journal" if ("volume" in by_label or "pages" in by_label) else "chapter"
    if _REPORT.search(whole) and ("publisher" in by_label or "note" in by_label):
        return "report"
    if "publisher" in by_label or "location" in by_label or "isbn" in by_label or "edition" in by_label:
        return "book"
    if "url" in by_label:
        return "webpage"
    return "article-journal" if "volume" in by_label else "document"
