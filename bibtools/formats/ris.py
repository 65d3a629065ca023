"""RIS (EndNote, Zotero, Scopus, Web of Science, PubMed, JabRef exports).

Reading is line based and forgiving, like Zotero's reader: records start at
``TY`` (a new ``TY`` also closes a record whose ``ER`` is missing), lines that
are not tags continue the previous value, text between records is skipped,
and every oddity becomes a located ``Diagnostic``. rispy's parser is not used
for reading because it drops line numbers, tag order and repeated tags, and
stops at the first broken record; its tag and type tables serve as the list
of known tags. The tag meanings are Zotero's, see ``mappings/ris.py``.

Citation keys live in ``ID`` (``mappings.ris.KEY_TAG``) both ways: the first
``ID`` of a record is its key and every item is written with ``ID`` = its key.
Records without one come out with ``id == ""`` and the key pass
(``bibtools.keys.assign_missing_keys``) names them. A record is kept whenever
it holds anything (a key, a field, a tag without CSL meaning); only a record
with nothing at all in it is skipped, and that is reported.
"""
from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from rispy.config import TAG_KEY_MAPPING, TYPE_OF_REFERENCE_MAPPING

from ..diagnostics import Diagnostic, Severity, info, warning
from ..keys import unique_key
from ..mappings import ris as m
from ..model import Date, Item, Library, Name, Origin
from ..registry import Format
from ..variables import kind_of

if TYPE_CHECKING:
    from ..textstream import Progress

KNOWN_TAGS: frozenset[str] = frozenset(TAG_KEY_MAPPING) | frozenset(m.PRIMARY_TAGS) | frozenset(m.SECONDARY_TAGS)
_TAG_LINE = re.compile(r"^([A-Z][A-Z0-9]) {1,2}-(?: +(.*?))?\s*$")
_TAG_NO_SPACE = re.compile(r"^([A-Z][A-Z0-9]) {1,2}-(\S.*?)\s*$")  # "TY  -JOUR"
_WOS_START = re.compile(r"^(FN|VR|PT) \S")
_EXTRA_KEY = re.compile(r"^[A-Z][A-Z0-9]$")


@dataclass
class _Field:
    tag: str
    value: str
    line: int


@dataclass
class _Record:
    line: int
    fields: list[_Field] = field(default_factory=list)


# -- sniffing ---------------------------------------------------------------------


def sniff(text: str) -> float:
    lines = [ln.lstrip("\ufeff") for ln in text[:8000].splitlines() if ln.strip()][:40]
    if not lines:
        return 0.0
    if _is_wos(lines):
        return 0.0  # Web of Science field-tagged, a different format
    tagged = sum(1 for ln in lines if _TAG_LINE.match(ln))
    if any(re.match(r"^TY {1,2}- ?\S", ln) for ln in lines[:6]):
        return 0.95
    if tagged >= 3 and tagged >= len(lines) / 2:
        return 0.6
    return 0.0


def _is_wos(lines: list[str]) -> bool:
    head = lines[:5]
    if not head:
        return False
    return head[0].startswith("FN ") or sum(1 for ln in head if _WOS_START.match(ln)) >= 2


# -- reading: lines -> records --------------------------------------------------


def _split_records(text: str, source: str | None, problems: list[Diagnostic], first_line: int = 1,
                   widest: int | None = None) -> list[_Record]:
    lines = re.split(r"\r\n|\r|\n", text)
    if widest is None:
        widest = max((len(ln) for ln in lines), default=0)
    records: list[_Record] = []
    current: _Record | None = None
    last: _Field | None = None
    last_len = 0
    blank_before = False
    stray: list[int] = []

    def flush_stray() -> None:
        if stray:
            where = f"line {stray[0]}" if len(stray) == 1 else f"lines {stray[0]}-{stray[-1]}"
            problems.append(warning("ris.stray-text", f"text outside any record skipped ({where})", source=source, line=stray[0]))
            stray.clear()

    def close(end_line: int, with_er: bool) -> None:
        nonlocal current, last
        if current is None:
            return
        if not with_er:
            problems.append(
                warning("ris.missing-er", f"record starting at line {current.line} has no ER line; closed at line {end_line}", source=source, line=current.line)
            )
        records.append(current)
        current, last = None, None

    for number, raw in enumerate(lines, first_line):
        line = re.sub(r"\s?[\u2028\u2029]\s?", " ", raw.replace("\ufeff", ""))
        match = _TAG_LINE.match(line)
        if match is None:
            loose = _TAG_NO_SPACE.match(line)
            if loose and loose.group(1) in KNOWN_TAGS | {"TY", "ER"}:
                match = loose
                problems.append(info("ris.no-space", f"no space after '-' in the {loose.group(1)} tag", source=source, line=number))
        if match:
            flush_stray()
            tag, value = match.group(1), (match.group(2) or "")
            if tag == "TY":
                close(number - 1, False)
                current = _Record(number)
            elif tag == "ER":
                if current is None:
                    problems.append(info("ris.stray-er", "ER with no open record ignored", source=source, line=number))
                else:
                    if value.strip():
                        problems.append(info("ris.er-text", f"text after ER ignored: {value.strip()!r}", source=source, line=number))
                    close(number, True)
                last = None
                continue
            elif current is None:
                current = _Record(number)
                problems.append(warning("ris.no-ty", "record has no TY line; read as a journal article (as Zotero does)", source=source, line=number))
            last = _Field(tag, value.strip(), number)
            current.fields.append(last)
            last_len, blank_before = len(line), False
            continue
        if not line.strip():
            blank_before = last is not None
            continue
        if current is None or last is None:
            stray.append(number)
            continue
        text_part = line.strip()
        if last.tag in m.MULTILINE_TAGS and (last.tag in ("KW", "L1", "L2", "L3", "L4") or blank_before or widest > 85 or last_len < 65):
            joiner = "\n\n" if blank_before and last.tag not in ("KW", "L1", "L2", "L3", "L4") else "\n"
        else:
            joiner = " "
        last.value = f"{last.value}{joiner}{text_part}" if last.value else text_part
        last_len, blank_before = len(line), False
    flush_stray()
    close(len(lines) + first_line - 1, False)
    return records


# -- reading: values ----------------------------------------------------------------

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_SEASONS = {"spring": 1, "summer": 2, "autumn": 3, "fall": 3, "winter": 4}


def _month(text: str) -> int | None:
    text = text.strip().lower().rstrip(".")
    if text.isdigit():
        value = int(text)
        return value if 1 <= value <= 12 else None
    if len(text) >= 3:
        for index, name in enumerate(_MONTHS, 1):
            if text.startswith(name):
                return index
    return None


def parse_date(value: str) -> Date:
    """A RIS date (``YYYY/MM/DD/other``, every part but the year optional) as a ``Date``.

    ``other`` becomes the season when it names one; anything without a year
    is kept as a literal.
    """
    raw = value.strip()
    pieces = raw.split("/")
    if len(pieces) == 1:
        iso = re.match(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$", raw)
        if iso:
            pieces = [p for p in iso.groups() if p]
        else:  # "2016 Jan 15", "Jan 2016", "June 2014"
            year = re.search(r"\b(\d{4})\b", raw)
            if not year:
                return Date(literal=raw)
            month = next((mo for mo in (_month(w) for w in re.findall(r"[A-Za-z]{3,}", raw)) if mo), None)
            day = re.search(r"\b(\d{1,2})\b", raw.replace(year.group(1), ""))
            parts: tuple[int, ...] = (int(year.group(1)),)
            if month:
                parts += (month,)
                if day and 1 <= int(day.group(1)) <= 31:
                    parts += (int(day.group(1)),)
            return Date(parts=(parts,), raw=raw)
    year_text = pieces[0].strip()
    if not re.fullmatch(r"\d{3,4}", year_text) or int(year_text) == 0:
        return Date(literal=raw)
    parts = (int(year_text),)
    month = _month(pieces[1]) if len(pieces) > 1 and pieces[1].strip() else None
    if month:
        parts += (month,)
        day_text = pieces[2].strip() if len(pieces) > 2 else ""
        if day_text.isdigit() and 1 <= int(day_text) <= 31:
            parts += (int(day_text),)
    other = "/".join(pieces[3:]).strip() if len(pieces) > 3 else ""
    season: int | str | None = _SEASONS.get(other.lower()) if other else None
    return Date(parts=(parts,), season=season, raw=raw)


def _has_year(date: Date | None) -> bool:
    return date is not None and date.year is not None


_SUFFIX = re.compile(r"^(Jr\.?|Sr\.?|I{2,3}|IV|VI{0,3}|2nd|3rd|4th)$", re.I)
_FAMILY_INITIALS = re.compile(r"^([^\s,.]+(?:-[^\s,.]+)*) ((?:[A-Z]\.? ?){1,3})$")


def parse_name(value: str) -> Name:
    """``Family, Given[, Suffix]`` as RIS writes names; no comma means one literal name,
    except the PubMed shape ``Family GA`` (family name then initials)."""
    text = " ".join(value.split())
    if "," in text:
        family, rest = (part.strip() for part in text.split(",", 1))
        if not family:
            return Name(literal=rest)
        if not rest:
            return Name(literal=family)
        suffix = None
        pieces = [p.strip() for p in rest.split(",")]
        if len(pieces) > 1 and _SUFFIX.match(pieces[-1]):
            suffix, rest = pieces[-1], ", ".join(pieces[:-1])
        return Name(family=family, given=rest, suffix=suffix)
    initials = _FAMILY_INITIALS.match(text)
    if initials:
        return Name(family=initials.group(1), given=initials.group(2).strip())
    return Name(literal=text)


_DOI_PREFIX = re.compile(r"^\s*(?:doi:\s*|https?://(?:dx\.)?doi\.org/)", re.I)
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")


def clean_doi(value: str) -> str:
    return _DOI_PREFIX.sub("", value).strip()


def _split_keywords(values: list[str]) -> list[str]:
    words: list[str] = []
    for value in values:
        words.extend(w for w in re.split(r"\s*(?:[\r\n]+\s*)+|\s*(?:;\s*)+", value) if w.strip())
    if len(words) == 1:  # one keyword line: Zotero splits it on commas too
        words = [w for w in re.split(r"\s*,\s*", words[0]) if w]
    return words


def join_keywords(words: list[str]) -> str:
    """CSL ``keyword`` is one string: ``, ``-joined, or ``; ``-joined when a keyword holds a comma."""
    return ("; " if any("," in w for w in words) else ", ").join(words)


def split_keywords(text: str) -> list[str]:
    separator = ";" if ";" in text else ","
    return [w.strip() for w in text.split(separator) if w.strip()]


# -- reading: records -> items -----------------------------------------------------


def _add_extra(item: Item, tag: str, value: str) -> None:
    item.extra[tag] = f"{item.extra[tag]}\n{value}" if tag in item.extra else value


def _item_from_record(record: _Record, source: str | None, problems: list[Diagnostic]) -> Item:
    fields = record.fields
    ty_raw = fields[0].value.strip() if fields and fields[0].tag == "TY" else ""
    ty = ty_raw.upper()
    ty = m.TY_ALIASES.get(ty, ty)
    if not ty_raw and fields and fields[0].tag == "TY":
        problems.append(warning("ris.empty-type", "empty TY; read as a journal article", source=source, line=record.line))
    zotero_type = m.TY_TO_ZOTERO.get(ty)
    if zotero_type is None:
        if ty_raw:
            known = TYPE_OF_REFERENCE_MAPPING.get(ty)
            hint = f" ({known})" if known else ""
            problems.append(
                warning("ris.unknown-type", f"unknown RIS type {ty_raw!r}{hint}; read as a journal article", source=source, line=record.line)
            )
        zotero_type = m.DEFAULT_READ_TYPE
    csl_type = m.TY_CSL_OVERRIDE.get(ty) or m.ZOTERO_TO_CSL[zotero_type]
    item = Item(id="", type=csl_type, origin=Origin("ris", source, record.line, ty or None))
    if ty == "EDBOOK":  # EndNote: the authors of an edited book are its editors
        fields = [_Field("A3", f.value, f.line) if f.tag == "AU" else f for f in fields]
    fields = _procite_notes(fields, zotero_type)
    deferred: list[tuple[_Field, str]] = []
    state = _State()
    for fld in fields:
        if fld.tag == "TY":
            continue
        if not fld.value.strip():
            problems.append(info("ris.empty-tag", f"empty {fld.tag} tag ignored", source=source, line=fld.line))
            continue
        if fld.tag == "PY":
            state.py.append(fld)
            continue
        if fld.tag == m.KEY_TAG and not item.id:
            item.id = fld.value.strip()
            continue
        target, secondary = m.read_target(fld.tag, zotero_type)
        if target is None:
            _add_extra(item, fld.tag, fld.value)
        elif secondary:
            deferred.append((fld, target))
        else:
            _apply(item, fld, target, state, problems, source)
    for fld, target in deferred:
        _apply(item, fld, target, state, problems, source)
    _finish(item, zotero_type, state, source, problems)
    return item


_PROCITE_NOTE = re.compile(r"^([A-Za-z, ]+?)\s*:\s*(.*)$", re.S)


def _procite_name(name: str) -> str:
    """ProCite writes "Given Family"; RIS wants "Family, Given"."""
    name = name.strip()
    if "," in name or " " not in name:
        return name
    given, family = name.rsplit(" ", 1)
    return f"{family}, {given}"


def _procite_notes(fields: list[_Field], zotero_type: str) -> list[_Field]:
    """Turn ProCite's "Label: value" notes into the RIS tags they stand for (creators, ID)."""
    out: list[_Field] = []
    for fld in fields:
        found = _PROCITE_NOTE.match(fld.value.strip()) if fld.tag == "N1" else None
        if not found:
            out.append(fld)
            continue
        label, rest = found.group(1).strip(), found.group(2).strip()
        if label in ("Author, Subsidiary", "Author, Monographic"):
            present = {f.tag for f in out} | {f.tag for f in fields}
            tag = "A1" if "A1" not in present else "A2" if "A2" not in present else "A3"
            out.extend(_Field(tag, _procite_name(n), fld.line) for n in re.split(r";\s*", rest) if n.strip())
        elif label in ("Record ID", "Record Number"):
            out.append(_Field("ID", rest, fld.line))
        elif label == "Notes":
            out.append(_Field("N1", rest, fld.line))
        elif label.endswith("Role"):
            roles = re.split(r"\s*(?:,|\band\b)\s*", re.sub(r"s\b|\.|\s+by\b|with an\s*", "", rest.lower()))
            variables = [m.PROCITE_ROLES[r] for r in roles if r in m.PROCITE_ROLES]
            tag = m.write_tag("@" + variables[0], zotero_type) if variables else None
            run = len(out)
            while run > 0 and out[run - 1].tag == (out[-1].tag if out else "") and out[run - 1].tag in ("A1", "A2", "A3"):
                run -= 1
            if tag is None or run == len(out):
                out.append(fld)
                continue
            for index in range(run, len(out)):
                out[index] = _Field(tag, out[index].value, out[index].line)
        else:
            out.append(fld)
    return out


def _unescape(value: str) -> str:
    """HTML entities some exporters leave (``&amp;``), only in their complete ``&...;`` form:
    ``html.unescape`` alone would turn ``&notify=`` in a URL into ``¬ify=``."""
    return re.sub(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);", lambda found: html.unescape(found.group(0)), value)


@dataclass
class _State:
    py: list[_Field] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    end_pages: list[_Field] = field(default_factory=list)
    undated: list[_Field] = field(default_factory=list)  # issued values without a year


def _apply(item: Item, fld: _Field, target: str, state: _State, problems: list[Diagnostic], source: str | None) -> None:
    value = fld.value.strip()
    if fld.tag not in ("N1", "RN", "AB", "N2", "UR", "DO", "L1", "L2", "L3", "L4"):
        value = _unescape(value)
    if target.startswith("@"):
        names = item.fields.setdefault(target[1:], [])
        assert isinstance(names, list)
        names.append(parse_name(value))
        return
    if target == "keyword":
        state.keywords.append(value)
        return
    if target == "note":
        state.notes.append(value)
        return
    if fld.tag == "EP":
        state.end_pages.append(fld)
        return
    if target == "DOI":
        doi = clean_doi(value)
        if fld.tag == "M3" and not _DOI.match(doi):
            _add_extra(item, fld.tag, fld.value)
            return
        value = doi
    if kind_of(target) == "date":
        date = parse_date(value)
        if target == "issued" and not _has_year(date):
            state.undated.append(fld)
            return
        if target in item.fields:
            existing = item.fields[target]
            if isinstance(existing, Date) and existing.parts != date.parts:
                _add_extra(item, fld.tag, fld.value)
            return
        if date.literal is not None:
            problems.append(info("ris.date-text", f"{fld.tag} {value!r} is not a RIS date; kept as text", source=source, line=fld.line))
        item.fields[target] = date
        return
    existing = item.fields.get(target)
    if existing is None:
        item.fields[target] = value
    elif existing != value:
        _add_extra(item, fld.tag, fld.value)  # a second, different value: keep it, never overwrite


def _finish(item: Item, zotero_type: str, state: _State, source: str | None, problems: list[Diagnostic]) -> None:
    # PY backs up the date (Zotero): the first PY that is not a received/accepted date.
    if "issued" not in item.fields:
        plain = [f for f in state.py if not re.search(r"/[^/]*[A-Za-z]", f.value)] or state.py
        for fld in plain:
            date = parse_date(fld.value)
            if _has_year(date):
                item.fields["issued"] = date
                break
    issued = item.fields.get("issued")
    for fld in state.py:
        date = parse_date(fld.value)
        if isinstance(issued, Date) and issued.parts and date.parts and date.parts[0] == issued.parts[0][: len(date.parts[0])] and date.season == issued.season:
            continue  # the same date (or its year): nothing to keep
        if isinstance(issued, Date) and issued.raw == fld.value.strip():
            continue
        _add_extra(item, "PY", fld.value)
    issued = item.fields.get("issued")
    if state.undated and isinstance(issued, Date) and len(issued.parts) == 1 and len(issued.parts[0]) == 1:
        # "DA - AUG" + "PY - 1999": a month (and day) without a year, completed by PY
        fld = state.undated[0]
        month = next((mo for mo in (_month(w) for w in re.findall(r"[A-Za-z]{3,}", fld.value)) if mo), None)
        if month:
            day = re.search(r"\b(\d{1,2})\b", fld.value)
            parts = (issued.parts[0][0], month) + ((int(day.group(1)),) if day and 1 <= int(day.group(1)) <= 31 else ())
            item.fields["issued"] = Date(parts=(parts,), raw=f"{issued.raw or issued.parts[0][0]} {fld.value.strip()}")
            state.undated = state.undated[1:]
    if "issued" not in item.fields and state.undated:
        first = state.undated[0]
        item.fields["issued"] = Date(literal=first.value.strip())
        problems.append(info("ris.date-text", f"{first.tag} {first.value.strip()!r} has no year; kept as text", source=source, line=first.line))
        state.undated = state.undated[1:]
    for fld in state.undated:
        _add_extra(item, fld.tag, fld.value)
    # Pages: SP and EP join into one range.
    for fld in state.end_pages:
        end = fld.value.strip()
        page = item.fields.get("page")
        if page is None:
            item.fields["page"] = end
        elif isinstance(page, str) and not re.search(r"[-\u2010-\u2015]", page):
            item.fields["page"] = f"{page}-{end}" if end != page else page
        else:
            _add_extra(item, "EP", end)
    if state.keywords:
        item.fields["keyword"] = join_keywords(_split_keywords(state.keywords))
    title = item.fields.get("title")
    notes = [n for n in state.notes if n != title]  # EndNote repeats the title as a note
    if notes:
        item.fields["note"] = "\n\n".join(notes)
    if "title" not in item.fields and isinstance(item.fields.get("title-short"), str):
        item.fields["title"] = item.fields["title-short"]  # EndNote exports without a full title
    journal_like = m.target("T2", zotero_type, m.PRIMARY_TAGS) == "container-title"
    if journal_like and "container-title" not in item.fields and isinstance(item.fields.get("container-title-short"), str):
        item.fields["container-title"] = item.fields["container-title-short"]  # Nature: JA only


def read(text: str, *, source: str | None = None, first_line: int = 1, widest: int | None = None, **_: Any) -> Library:
    """``first_line`` and ``widest`` (longest line of the whole file) let ``bibtools.stream`` read a file in pieces."""
    library = Library()
    problems = library.diagnostics
    lines = [ln.lstrip("\ufeff") for ln in text[:8000].splitlines() if ln.strip()][:5]
    if lines and _is_wos(lines):
        problems.append(
            warning(
                "ris.wos",
                "this is a Web of Science field-tagged file (FN/PT/AU lines without '  - '), not RIS; "
                "export RIS from Web of Science, or convert it with a WoS reader",
                source=source,
                line=1,
            )
        )
        return library
    if not text.strip():
        problems.append(warning("ris.empty", "the file is empty", source=source))
        return library
    records = [(r, _item_from_record(r, source, problems)) for r in _split_records(text, source, problems, first_line, widest)]
    ids = {item.id for _, item in records if item.id}
    seen: dict[str, int] = {}
    for record, item in records:
        if not item.fields and not item.extra and not item.id:
            problems.append(warning("ris.empty-record", "record has no fields; skipped", source=source, line=record.line))
            continue
        if item.id in seen:  # EndNote record numbers repeat across merged exports: one key per record
            new = unique_key(item.id, ids)
            ids.add(new)
            problems.append(warning("ris.duplicate-id", f"ID {item.id!r} is already the key of the record at line "
                                    f"{seen[item.id]}; this one is keyed {new!r}", source=source, line=record.line, key=new))
            item.extra[m.KEY_TAG] = item.id if m.KEY_TAG not in item.extra else f"{item.id}\n{item.extra[m.KEY_TAG]}"
            item.id = new
        elif item.id:
            seen[item.id] = record.line
        library.add(item)
    if not library.items and not any(d.code.startswith("ris.") and d.severity.value != "info" for d in problems):
        problems.append(warning("ris.no-records", "no RIS records found", source=source))
    return library


# -- writing ----------------------------------------------------------------------


def _name_text(name: Name) -> str:
    if name.literal is not None:
        return name.literal
    given = " ".join(p for p in (name.given, name.dropping_particle) if p)
    parts = [name.full_family or ""]
    if given or name.suffix:
        parts.append(given)
    if name.suffix:
        parts.append(name.suffix)
    return ", ".join(parts)


def format_date(date: Date) -> tuple[str | None, str | None]:
    """(PY, DA) values for a date: the year, and ``YYYY/MM/DD/other``."""
    if not date.parts:
        text = date.literal or date.raw
        return None, text
    first = date.parts[0]
    year = f"{first[0]:04d}"
    month = f"{first[1]:02d}" if len(first) > 1 else ""
    day = f"{first[2]:02d}" if len(first) > 2 else ""
    other = ""
    if isinstance(date.season, int) and 1 <= date.season <= 4:
        other = ("Spring", "Summer", "Fall", "Winter")[date.season - 1]
    elif isinstance(date.season, str):
        other = date.season
    return year, f"{year}/{month}/{day}/{other}"


_SPAN = re.compile(r'<span (?:class="nocase"|style="font-variant:\s*small-caps;?")>((?:(?!<span).)*?)</span>', re.S)


def _plain_spans(value: str) -> str:
    """RIS has no case protection or small caps: drop those spans, keep <i> <b> <sup> <sub> (as Zotero does)."""
    while True:
        stripped = _SPAN.sub(r"\1", value)
        if stripped == value:
            return value
        value = stripped


def _lines(tag: str, value: str) -> list[str]:
    """One tag line; notes and abstracts continue on the following lines."""
    if tag not in m.MULTILINE_TAGS:
        return [f"{tag}  - " + re.sub(r"\s*\n\s*", " ", value.strip())]
    parts = [p.rstrip() for p in value.strip().split("\n")]
    out = [f"{tag}  - {parts[0]}"]
    for part in parts[1:]:
        # a continuation line that looks like a tag ("ER  - ...") is indented, so it stays text
        out.append(f" {part}" if _TAG_LINE.match(part) or _TAG_NO_SPACE.match(part) else part)
    return out


def _write_item(item: Item, losses: list[Diagnostic] | None) -> list[str]:
    native = item.origin.native_type if item.origin and item.origin.format == "ris" else None
    if native and native in m.TY_TO_ZOTERO and m.ZOTERO_TO_CSL[m.TY_TO_ZOTERO[native]] == item.type:
        zotero_type, ty = m.TY_TO_ZOTERO[native], native
    else:
        zotero_type, ty = m.CSL_TO_RIS.get(item.type, m.DEFAULT_WRITE)
    tagged: dict[str, list[str]] = {}

    def put(tag: str, value: str) -> None:
        if value.strip():
            tagged.setdefault(tag, []).append(value)

    def lost(what: str) -> None:
        if losses is not None:
            losses.append(warning("ris.lost", f"RIS cannot hold {what}; left out", key=item.id or None))

    for var, value in item.fields.items():
        if var == "page" and isinstance(value, str):
            tag = m.write_tag("page", zotero_type)
            if tag == "SP":
                start, _, end = _page_parts(value)
                put("SP", start)
                if end:
                    put("EP", end)
                continue
        if isinstance(value, list):
            tag = m.write_tag("@" + var, zotero_type)
            if tag is None:
                lost(f"the {var} names of {item.type} items")
                continue
            for name in value:
                put(tag, _name_text(name))
            continue
        if isinstance(value, Date):
            if var == "issued":
                year, full = format_date(value)
                if full and not (year and value.parts and len(value.parts[0]) == 1 and value.season is None):
                    put("DA", full)  # a bare year goes in PY alone
                if year:
                    put("PY", year)
                continue
            tag = m.write_tag(var, zotero_type)
            if tag is None:
                lost(f"the {var} date of {item.type} items")
                continue
            put(tag, format_date(value)[1] or "")
            continue
        if var == "keyword":
            for word in split_keywords(value):
                put("KW", word)
            continue
        if var == "note":
            for note in re.split(r"\n\s*\n", value):
                put("N1", note)
            continue
        tag = m.write_tag(var, zotero_type)
        if tag is None:
            lost(f"{var} in {item.type} items")
            continue
        if var == "container-title-short" and tag == "J2" and "J2" in tagged:
            continue
        put(tag, value if var in ("URL", "DOI") else _plain_spans(value))
    if item.id:
        put(m.KEY_TAG, item.id)  # the key first, so reading takes it back as the key
    from_ris = item.origin is not None and item.origin.format == "ris"
    for key, value in item.extra.items():
        # Only a RIS record's leftovers are RIS tags: a WoS "DA" or a BibTeX "ID" means something else.
        if from_ris and _EXTRA_KEY.match(key) and key not in ("TY", "ER"):
            for part in value.split("\n"):
                if key != m.KEY_TAG or part.strip() != item.id:
                    put(key, part)
        else:
            lost(f"the field {key!r}")
    out = [f"TY  - {ty}"]
    for tag in (*m.WRITE_ORDER, *sorted(t for t in tagged if t not in m.WRITE_ORDER)):
        for value in tagged.get(tag, ()):
            out.extend(_lines(tag, value))
    out.append("ER  - ")
    return out


def _page_parts(value: str) -> tuple[str, str, str]:
    found = re.match(r"^\s*(.+?)\s*[-\u2010-\u2015\u2212]+\s*(.+?)\s*$", value)
    if found:
        return found.group(1), "-", found.group(2)
    return value.strip(), "", ""


def write(library: Library, *, losses: list[Diagnostic] | None = None, **_: Any) -> str:
    blocks = ["\n".join(_write_item(item, losses)) for item in library]
    return "\n\n".join(blocks) + ("\n" if blocks else "")


# --------------------------------------------------------------------------- streaming

_CUT = re.compile(r"(?m)^ER {1,2}-[^\r\n]*(?:\r\n|\r|\n)")  # a batch ends after an ER line
_LINE_BREAKS = re.compile(r"\r\n|\r|\n")


class BatchReader:
    """``Format.iter_read``: records batch by batch. The scan learns the widest line (the reader
    tells wrapped values by it); a Web of Science file is read whole (its findings are per file)."""

    def __init__(self, path: Path) -> None:
        from ..textstream import NotStreamable, head_text, utf8_pieces

        lines = [ln.lstrip("\ufeff") for ln in head_text(path, 8000).splitlines() if ln.strip()][:5]
        if lines and _is_wos(lines):
            raise NotStreamable("a Web of Science file is reported whole")
        self.path, self.source = path, str(path)
        self.widest, carry = 0, ""
        for piece in utf8_pieces(path):  # whole lines only: a line cut between pieces counts once
            lines = _LINE_BREAKS.split(carry + piece)
            carry = lines.pop()
            self.widest = max(self.widest, max((len(ln) for ln in lines), default=0))
        self.widest = max(self.widest, len(carry))

    def _parts(self, progress: Progress | None = None) -> Iterator[tuple[str, Library]]:
        from ..textstream import batches, utf8_pieces

        line = 1
        for batch in batches(utf8_pieces(self.path, progress), _CUT, True):
            if batch.strip():  # white space after the last record: nothing for the reader to say
                part = read(batch, source=self.source, first_line=line, widest=self.widest)
                part.diagnostics = [d for d in part.diagnostics if d.code != "ris.no-records"]  # said per file
                yield batch, part
            # the batch ends after a line break, which starts one more (empty) line in the splitter's count
            line += len(_LINE_BREAKS.findall(batch))

    def batches(self, progress: Progress | None) -> Iterator[Library]:
        for _, part in self._parts(progress):
            yield part

    def taken_keys(self) -> set[str]:
        return {item.id for _, part in self._parts() for item in part.items if item.id}

    def file_blocks(self) -> Library | None:
        return None

    def verdict(self, items: int, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
        if items or any(d.code.startswith("ris.") and d.severity is not Severity.INFO for d in diagnostics):
            return []
        return [warning("ris.no-records", "no RIS records found", source=self.source)]


class ItemWriter:
    """``Format.item_writer``: the text ``write`` gives, one record at a time."""

    def __init__(self, out: IO[str], options: dict[str, Any], file_blocks: Callable[[], Library | None]) -> None:
        self.out, self.options, self.count = out, options, 0

    def item(self, item: Item) -> None:
        text = write(Library([item]), **self.options)[:-1]
        self.out.write(text if self.count == 0 else "\n\n" + text)
        self.count += 1

    def comments(self, comments: list[str]) -> None:
        pass  # RIS has no place for them

    def finish(self) -> None:
        self.out.write("\n" if self.count else "")


FORMAT = Format(
    name="ris",
    description="RIS (EndNote, Zotero, Scopus, Web of Science, PubMed exports)",
    suffixes=(".ris",),
    sniff=sniff,
    read=read,
    write=write,
    iter_read=BatchReader,
    item_writer=ItemWriter,
)
