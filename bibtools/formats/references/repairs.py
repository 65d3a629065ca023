"""Segments the labeller cut in the wrong place, mended before they become variables.

Each pass looks at neighbouring segments: a name cut one word short, an organisation
or a year left inside the title, the word that says what a date is, a named volume
that ends its proceedings' title, an organisation printed again as its own publisher.
"""
from __future__ import annotations

import re

from .cleaning import EDGE_PUNCT, LAST_SENTENCE, is_domain_name, strip_value
from .labeller import Segment
from .names import names_an_organisation
from ...text.names import PARTICLES

_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
_NAME_LABELS = ("author", "editor", "translator")
_LEADING_IN = re.compile(r"^\s*(?:in|dans|en|im)\s*:?\s+", re.I)
_FIRST_SENTENCE = re.compile(r"^(.+?[^\s.]{2})[.,]\s+(?=\S)")  # up to ". " / ", " (not after an initial)
_CUT_WORD = re.compile(r"^([A-Z][^\W\d_]+(?:-[A-Z]?[^\W\d_]+)?[.,])(?:\s+|$)")
_GIVEN_THEN_INITIAL = re.compile(r"(?:^|\s)[A-Z][^\W\d_]+\s+(?:[A-Z]\.\s*)+$")


def _name_cut_short(text: str) -> bool:
    """A name segment that stops inside a name: on a bare word ("World Health") or on a given name and
    its initial ("... and James L."), where a family name or the organisation's last word is due."""
    last = text.rstrip()
    if last[-1:].isalpha() and not re.search(r"\b[A-Z]{1,3}$", last):
        return True  # "World Health"; not Vancouver's closing initials ("Sun J", "Smith JA")
    tail = re.split(r",|\band\b|&", last)[-1]
    return bool(_GIVEN_THEN_INITIAL.search(tail))


def _finish_cut_names(segments: list[Segment]) -> list[Segment]:
    """The labeller sometimes ends a name segment one word early ("World Health | Organization. World
    Health Statistics", "edited by ... James L. | McClelland. MIT Press"): the next segment's first word,
    capitalised and closed by "." or ",", is the end of the name."""
    out = list(segments)
    for i in range(len(out) - 1):
        name, after = out[i], out[i + 1]
        if name.label not in _NAME_LABELS or after.label in _NAME_LABELS:
            continue
        first = after.text.split(" ", 1)
        if len(first) == 2 and first[0] in PARTICLES and re.search(r"\b[A-Z]\.$", name.text.rstrip()):
            # "Humboldt, A. | von 1858.": a particle after the initials ends the name (Humboldt, A. von)
            out[i] = Segment(name.label, f"{name.text} {first[0]}", name.confidence)
            out[i + 1] = Segment(after.label, first[1], after.confidence)
            continue
        if not after.text[:1].isupper() or not _name_cut_short(name.text):
            continue
        word = _CUT_WORD.match(after.text)
        rest = after.text[word.end():] if word else ""
        if word and rest.strip():
            out[i] = Segment(name.label, f"{name.text} {word.group(1)}", name.confidence)
            out[i + 1] = Segment(after.label, rest, after.confidence)
    return out


def _organisation_before_title(segments: list[Segment]) -> list[Segment]:
    """With no names labelled, a title that opens with an organisation's name and a stop
    ("The scikit-learn developers. scikit-learn.", "World Health Organization. World Health Statistics")
    opens with its author."""
    if any(s.label in _NAME_LABELS for s in segments):
        return segments
    for i, segment in enumerate(segments):
        if segment.label == "citation-number":
            continue
        after = segments[i + 1] if i + 1 < len(segments) else None
        carried = _YEAR_OPENING.match(after.text) if after is not None and after.label == "date" else None
        if segment.label == "title" and carried and names_an_organisation(strip_value(segment.text)):
            # "The scikit-learn developers, | 2023. scikit-learn.": one segment late, the title rides on the date
            return [*segments[:i], Segment("author", segment.text, segment.confidence),
                    Segment("date", carried.group(0), after.confidence),
                    Segment("title", after.text[carried.end():], after.confidence), *segments[i + 2:]]
        head = _FIRST_SENTENCE.match(segment.text) if segment.label == "title" else None
        if head is None or not names_an_organisation(head.group(1)):
            return segments
        rest = segment.text[head.end():]
        name = head.group(0).strip()
        year = _YEAR_AFTER_NAME.search(head.group(1))
        if year:  # "The scikit-learn developers 2023. scikit-learn.": the year is the date's
            name, rest = head.group(1)[:year.start()], f"{year.group(1)}. {rest}"
        author = Segment("author", name, segment.confidence)
        return [*segments[:i], author, Segment("title", rest, segment.confidence), *segments[i + 1:]]
    return segments


_YEAR_AFTER_NAME = re.compile(r"\s+\(?(1[5-9]\d\d|20\d\d)[a-z]?\)?$")
_YEAR_OPENING = re.compile(r"^\s*\(?(?:1[5-9]\d\d|20\d\d)[a-z]?\)?[.,]\s+(?=\S)")


def _year_opening_title(segments: list[Segment]) -> list[Segment]:
    """With no date labelled, a year that opens the title ("1858. Cosmos: ...", "2023. Scikit-Learn.") is the date."""
    if any(s.label == "date" and _YEAR.search(s.text) for s in segments):
        return segments
    for i, segment in enumerate(segments):
        year = _YEAR_OPENING.match(segment.text) if segment.label == "title" else None
        if year:
            date = Segment("date", year.group(0).strip(), segment.confidence)
            return [*segments[:i], date, Segment("title", segment.text[year.end():], segment.confidence),
                    *segments[i + 1:]]
    return segments


# Words that say what a following date is: when a work appeared, or when it was looked at.
_PUBLISHED_WORDS = re.compile(r"\s*\b(?:published|posted|released|updated)(?:\s+online)?[\s:]*$", re.I)
_ACCESSED_WORDS = re.compile(r"\s*\b(?:accessed|retrieved|cited|viewed)(?:\s+on)?[\s:]*$", re.I)
_ACCESSED_INSIDE = re.compile(r"(?:^|(?<=\s)|(?<=\[))(?:accessed|retrieved|cited|viewed)\b", re.I)


def _dates_named_by_words(segments: list[Segment]) -> list[Segment]:
    """ "Published online | June 30, 2023", "CitationStyles.org. Accessed | May 1, 2024", "[cited 2024 May":
    the word before a date belongs to the date, and an access date is not the date of issue."""
    out: list[Segment] = []
    for segment in segments:
        before = out[-1] if out else None
        inside = _ACCESSED_INSIDE.search(segment.text) if segment.label in ("date", "note") else None
        if inside and _YEAR.search(segment.text, inside.start()):
            head = segment.text[:inside.start()]
            if head.strip(EDGE_PUNCT):  # "CitationStyles.org. Retrieved May 1, 2024 from": the site, then the visit
                out.append(Segment(segment.label, head, segment.confidence))
            segment = Segment("accessed", segment.text[inside.start():], segment.confidence)
        elif segment.label == "date" and before is not None and before.label != "date":
            accessed = _ACCESSED_WORDS.search(before.text)
            found = accessed or _PUBLISHED_WORDS.search(before.text)
            if found:
                out.pop()
                if before.text[:found.start()].strip(EDGE_PUNCT):
                    out.append(Segment(before.label, before.text[:found.start()], before.confidence))
                text = f"{before.text[found.start():].strip()} {segment.text}"
                segment = Segment("accessed" if accessed else "date", text, segment.confidence)
        out.append(segment)
    return out


# "Volume 1 (Long and Short Papers)": a volume named in words is a part of the book it is in.
_NAMED_VOLUME = re.compile(r"^\s*(?:volume|vol\.)\s*\w+\s*\(([^()\d]*[^\W\d_]{3}[^()\d]*)\)[.,;:]?", re.I)


def _named_volume_in_container(segments: list[Segment]) -> list[Segment]:
    """A container's volume whose number a bracketed name follows ("..., Volume 1 (Long and Short Papers).")
    ends the container's title: proceedings and multi-part books are cited by that whole name."""
    for i in range(1, len(segments) - 1):
        container, volume, after = segments[i - 1], segments[i], segments[i + 1]
        if container.label != "container-title" or volume.label != "volume":
            continue
        joined = f"{volume.text} {after.text}"
        named = _NAMED_VOLUME.match(joined)
        if not named or named.end() < len(volume.text):
            continue
        text = f"{container.text} {joined[:named.end()]}"
        rest = joined[named.end():]
        merged = Segment("container-title", text, min(container.confidence, volume.confidence))
        tail = [Segment(after.label, rest, after.confidence)] if rest.strip(EDGE_PUNCT) else []
        return [*segments[:i - 1], merged, *tail, *segments[i + 2:]]
    return segments


def _organisation_as_its_publisher(segments: list[Segment]) -> list[Segment]:
    """An organisation that wrote a work and is printed again where the journal would stand, or closing
    the title ("World Health Organization. ... Goals. World Health Organization, Geneva."), published it:
    a report, not an article; what follows its name is the place."""
    labels = {s.label for s in segments}
    authors = [s for s in segments if s.label == "author"]
    if not authors or "publisher" in labels or labels & {"volume", "issue", "pages"}:
        return segments
    name = strip_value(authors[0].text)
    if not names_an_organisation(name):
        return segments
    out = list(segments)
    for i, segment in enumerate(out):
        if segment.label in ("journal", "container-title") and segment.text.startswith(name):
            at = i
            head, place = "", segment.text[len(name):]
            break
        last = LAST_SENTENCE.search(segment.text) if segment.label == "title" else None
        if last and last.group(1).startswith(name) and not labels & {"journal", "container-title"}:
            at = i
            head, place = segment.text[:last.start()], last.group(1)[len(name):]
            break
    else:
        return segments
    confidence = out[at].confidence
    replaced = [Segment("title", head, confidence)] if head else []
    replaced.append(Segment("publisher", name, confidence))
    if place.strip(EDGE_PUNCT):
        replaced.append(Segment("location", place, confidence))
    return [*out[:at], *replaced, *out[at + 1:]]


_NO_DATE = re.compile(r"^\W*(?:n\.\s?d\.?|no date|s\.\s?f\.|o\.\s?j\.)\W*", re.I)
_NO_DATE_AT_END = re.compile(r"[\s,(]+(?:n\.\s?d\.?|no date)[)\s.,]*$", re.I)
_URL_LEAD = re.compile(r"(?:\s*(?:\bURL|\bAvailable(?:\s+(?:at|from|online))?|\[Online\])[.:]?)+\s*$", re.I)


def _undated_and_url_marks(segments: list[Segment]) -> list[Segment]:
    """ "(n.d.). CitationStyles.Org." and "Citation Style Language [WWW Document], n.d." say there is no date;
    what the mark shares a segment with is something else. "URL" / "Available at:" before a URL is no value."""
    dated = any(s.label == "date" and _YEAR.search(s.text) for s in segments)
    out: list[Segment] = []
    for i, segment in enumerate(segments):
        after = segments[i + 1] if i + 1 < len(segments) else None
        mark = _NO_DATE.match(segment.text) if segment.label == "date" and not dated else None
        at_end = _NO_DATE_AT_END.search(segment.text) \
            if segment.label in ("title", "author") and not dated and "d" in segment.text[-10:] else None
        lead = _URL_LEAD.search(segment.text) if after is not None and after.label == "url" else None
        if mark and segment.text[mark.end():].strip(EDGE_PUNCT):
            out += [Segment("date", mark.group(0), segment.confidence),
                    Segment("note", segment.text[mark.end():], segment.confidence)]
        elif at_end:
            out += [Segment(segment.label, segment.text[:at_end.start()], segment.confidence),
                    Segment("date", at_end.group(0), segment.confidence)]
        elif lead and segment.label != "url" and segment.text[:lead.start()].strip(EDGE_PUNCT):
            out.append(Segment(segment.label, segment.text[:lead.start()], segment.confidence))
        else:
            out.append(segment)
    return out


def _lone_no_date(segments: list[Segment]) -> list[Segment]:
    """A segment that only says "n.d." is no journal or publisher, whatever its label (once an access date
    glued to it is cut off: "n.d. Accessed | June 25, 2020")."""
    return [Segment("note", s.text, s.confidence) if s.label not in ("date", "note") and _NO_DATE.fullmatch(s.text)
            else s for s in segments]


def _website_names(segments: list[Segment]) -> list[Segment]:
    """A domain name where a publisher, note, author or "In:" would stand ("CitationStyles.org") is the
    website the page is on: CSL's container-title."""
    if any(s.label in ("journal", "container-title") for s in segments):
        return segments
    authors = sum(1 for s in segments if s.label == "author")
    for i, segment in enumerate(segments):
        if segment.label in ("publisher", "note", "genre", "editor") or (segment.label == "author" and authors == 1):
            if "." in segment.text and segment.text.count(" ") <= 3 \
                    and is_domain_name(strip_value(_LEADING_IN.sub("", segment.text))):
                return [*segments[:i], Segment("container-title", segment.text, segment.confidence), *segments[i + 1:]]
    return segments


def _brackets_kept_whole(segments: list[Segment]) -> list[Segment]:
    """A bracket opened in one segment and closed in the next ("[cited 2024 May | 1]. Citation Style
    Language."): the bracketed text is the first segment's."""
    out = list(segments)
    for i in range(1, len(out)):
        before, segment = out[i - 1], out[i]
        if before.text.rfind("[") > before.text.rfind("]"):
            close = segment.text.find("]")
            if close >= 0 and "[" not in segment.text[:close] and segment.text[close + 1:].strip(EDGE_PUNCT):
                out[i - 1] = Segment(before.label, f"{before.text} {segment.text[:close + 1]}", before.confidence)
                out[i] = Segment(segment.label, segment.text[close + 1:], segment.confidence)
    return out


_ORDINAL_AT_END = re.compile(r"[\s,]+(\d+(?:st|nd|rd|th|e))$", re.I)  # not "volume 1. | Ed. Franco Moretti"
_EDITION_WORD = re.compile(r"^\s*(?:ed|edn|edition|aufl|éd)\b\.?[,;]?", re.I)
_PAGE_WORD_AT_END = re.compile(r"[\s,]+(?:pp?|s|pages?)\.?$", re.I)


def _numbers_across_segments(segments: list[Segment]) -> list[Segment]:
    """ "Handbook of NLP, 2nd | ed. Chapman & Hall" is an edition cut in two; "IEEE, pp | 770–778" a page
    range whose word stayed behind: the number and its word go together."""
    out = list(segments)
    for i in range(len(out) - 1):
        segment, after = out[i], out[i + 1]
        text = segment.text
        ordinal = _ORDINAL_AT_END.search(text) if text[-3:-2].isdigit() or text[-2:-1].isdigit() else None
        word = _EDITION_WORD.match(after.text) if ordinal else None
        if ordinal and word and segment.label != "edition" and segment.text[:ordinal.start()].strip(EDGE_PUNCT):
            edition = Segment("edition", f"{ordinal.group(1)} {word.group(0).strip()}", after.confidence)
            rest = [Segment(after.label, after.text[word.end():], after.confidence)] \
                if after.text[word.end():].strip(EDGE_PUNCT) else []
            return [*out[:i], Segment(segment.label, segment.text[:ordinal.start()], segment.confidence), edition,
                    *rest, *out[i + 2:]]
        page_word = _PAGE_WORD_AT_END.search(segment.text) if after.label == "pages" else None
        if page_word and segment.label != "pages" and segment.text[:page_word.start()].strip(EDGE_PUNCT):
            out[i] = Segment(segment.label, segment.text[:page_word.start()], segment.confidence)
    return out


# “Title,” Container / "Title." Container: the title's own stop inside its closing quote, a capital after
_QUOTED_THEN_MORE = re.compile(r"^\s*([“\"])[^“”\"]{3,}[.,]([”\"])\s+([A-Z][^“”\"]*\s[^“”\"]*)$")


def _quoted_title_then_container(segments: list[Segment]) -> list[Segment]:
    """A quoted title and more words in one title segment (“BERT: ...,” Proceedings of the 2019 ...):
    the quotes end the title, and with no container labelled the rest is the container."""
    if any(s.label in ("journal", "container-title") for s in segments):
        return segments
    for i, segment in enumerate(segments):
        quoted = _QUOTED_THEN_MORE.match(segment.text) if segment.label == "title" else None
        if quoted and (quoted.group(1) == '"') == (quoted.group(2) == '"'):
            cut = quoted.start(3)
            return [*segments[:i], Segment("title", segment.text[:cut], segment.confidence),
                    Segment("container-title", segment.text[cut:], segment.confidence), *segments[i + 1:]]
    return segments


def _database_before_link(segments: list[Segment]) -> list[Segment]:
    """MLA names the database an article was found in between its pages and its DOI ("... pp. 619–34.
    Crossref, https://doi.org/..."): after a journal's numbers, a publisher just before the link is that
    database (CSL's source), not who published the journal."""
    if not any(s.label == "journal" for s in segments):
        return segments  # a book's or chapter's publisher stands there too ("(pp. 337–340). Springer. https://")
    for i in range(1, len(segments) - 1):
        segment, after = segments[i], segments[i + 1]
        numbers_before = any(s.label in ("volume", "pages", "issue") for s in segments[:i])
        if segment.label == "publisher" and after.label in ("doi", "url") and numbers_before:
            return [*segments[:i], Segment("source", segment.text, segment.confidence), *segments[i + 1:]]
    return segments


# Lower-case words a list of names may hold: particles, "and", "et al.", "u. a.", role words.
_NAME_LIST_WORDS = PARTICLES | frozenset("""and et al others u a e y und ed eds editor editors edited by trans
    transl translated hrsg coord dir comp comps org""".split())
_SEPARATOR_AT_END = re.compile(r"\s[-|–—]\s*$")


def reads_as_title(text: str) -> bool:
    """Not a list of names: a separator inside ("Electron | Build ...", "D3.js - Data-Driven"), or three
    lower-case words no list of names holds ("cross-platform desktop apps with"; "of Chicago" is one)."""
    if _SEPARATOR_INSIDE.search(text):
        return True
    words = [w.strip(".,;:()[]'’\"“”") for w in text.split()]
    return sum(1 for w in words if w[:1].islower() and w.isalpha() and w not in _NAME_LIST_WORDS) >= 3


_SEPARATOR_INSIDE = re.compile(r"\s[|–—]\s|\s-\s")


def _title_start_labelled_as_names(segments: list[Segment]) -> list[Segment]:
    """A web page with no author opens with its title, and the labeller may give the title's first words
    to an author segment ("Scrapy | | A Fast and ...", "D3.js - | Data-Driven Documents", "gage. | Discover
    Brilliance"): a lone name segment ending on a separator, or of a few words starting lower-case, starts
    the title."""
    names = [i for i, s in enumerate(segments) if s.label in _NAME_LABELS]
    if len(names) != 1 or names[0] + 1 >= len(segments) or segments[names[0] + 1].label != "title":
        return segments
    i = names[0]
    name, title = segments[i], segments[i + 1]
    starts_lower = name.text[:1].islower() and name.text.split()[0].lower() not in PARTICLES \
        and len(name.text.split()) <= 3  # "gage. | Discover Brilliance": no name starts so
    if _SEPARATOR_AT_END.search(name.text) or starts_lower:
        merged = Segment("title", f"{name.text} {title.text}", min(name.confidence, title.confidence))
        return [*segments[:i], merged, *segments[i + 2:]]
    return segments


_SENTENCE_BREAK = re.compile(r"(?<=[^\s.]{2}[.?!])\s+(?=[A-Z0-9])")


def _container_before_place(segments: list[Segment]) -> list[Segment]:
    """ACM's "Title. Proceedings of ... (Minneapolis, Minnesota, June 2019), 4171–4186.": a bracketed place after
    a title of two sentences, with no container labelled, means its last sentence is the proceedings."""
    if any(s.label in ("journal", "container-title") for s in segments):
        return segments
    for i in range(len(segments) - 1):
        title, after = segments[i], segments[i + 1]
        if title.label != "title" or after.label != "location" or not after.text.startswith("("):
            continue
        breaks = list(_SENTENCE_BREAK.finditer(title.text))
        if breaks and len(title.text[breaks[-1].end():].split()) >= 3:
            cut = breaks[-1]
            return [*segments[:i], Segment("title", title.text[:cut.start()], title.confidence),
                    Segment("container-title", title.text[cut.end():], title.confidence), *segments[i + 1:]]
    return segments


def repair_segments(segments: list[Segment]) -> list[Segment]:
    """Every repair in turn: later ones read the segments earlier ones mended."""
    segments = _quoted_title_then_container(_numbers_across_segments(_brackets_kept_whole(segments)))
    segments = _container_before_place(_title_start_labelled_as_names(segments))
    segments = _year_opening_title(_organisation_before_title(_finish_cut_names(segments)))
    segments = _lone_no_date(_dates_named_by_words(_undated_and_url_marks(segments)))
    segments = _database_before_link(_website_names(segments))
    return _organisation_as_its_publisher(_named_volume_in_container(segments))
