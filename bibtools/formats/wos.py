"""Web of Science field-tagged exports (``savedrecs.txt``: ``FN``, ``PT J``, ``AU``, ... ``ER``).

Not RIS: tags are followed by one space, continuation lines are indented by
three spaces, records start at ``PT`` and end at ``ER``. Read-only (nobody
imports this format; write RIS or BibTeX instead). The known-tag list is
rispy's ``WOK_TAG_KEY_MAPPING``; the parser is line based so every problem
carries its line. Items come out without keys; the key pass names them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rispy.config import WOK_TAG_KEY_MAPPING

from ..diagnostics import Diagnostic, info, warning
from ..mappings import wos as m
from ..model import Date, Item, Library, Name, Origin
from ..registry import Format
from .ris import parse_date, parse_name

_TAG = re.compile(r"^([A-Z][A-Z0-9])(?: (.*))?$")
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_SEASONS = {"SPR": 1, "SUM": 2, "FAL": 3, "AUT": 3, "WIN": 4}


@dataclass
class _Record:
    line: int
    values: dict[str, list[str]] = field(default_factory=dict)  # tag -> values (lines for list tags)


def sniff(text: str) -> float:
    lines = [ln.lstrip("\ufeff") for ln in text[:4000].splitlines() if ln.strip()][:6]
    if not lines:
        return 0.0
    if lines[0].startswith("FN ") and ("Web of Science" in lines[0] or "Clarivate" in lines[0] or "ISI" in lines[0]):
        return 0.98
    if any(re.match(r"^PT [JBSP]\s*$", ln) for ln in lines):
        return 0.9
    return 0.0


def _records(text: str, source: str | None, problems: list[Diagnostic]) -> list[_Record]:
    records: list[_Record] = []
    current: _Record | None = None
    last_tag: str | None = None
    stray: list[int] = []
    for number, raw in enumerate(re.split(r"\r\n|\r|\n", text), 1):
        line = raw.replace("\ufeff", "").rstrip()
        if not line.strip():
            continue
        if line.startswith("   ") and current is not None and last_tag:
            values = current.values[last_tag]
            if last_tag in m.LIST_TAGS:
                values.append(line.strip())
            else:
                values[-1] = f"{values[-1]} {line.strip()}"
            continue
        found = _TAG.match(line)
        if not found:
            stray.append(number)
            continue
        tag, value = found.group(1), (found.group(2) or "").strip()
        if tag in ("FN", "VR", "EF"):
            continue
        if tag == "PT":
            if current is not None:
                problems.append(warning("wos.missing-er", f"record starting at line {current.line} has no ER line", source=source, line=current.line))
                records.append(current)
            current = _Record(number)
        elif tag == "ER":
            if current is not None:
                records.append(current)
            current, last_tag = None, None
            continue
        elif current is None:
            stray.append(number)
            continue
        if tag not in WOK_TAG_KEY_MAPPING:
            problems.append(info("wos.unknown-tag", f"unknown Web of Science tag {tag}; kept", source=source, line=number))
        current.values.setdefault(tag, []).append(value)
        last_tag = tag
    if current is not None:
        problems.append(warning("wos.missing-er", f"record starting at line {current.line} has no ER line", source=source, line=current.line))
        records.append(current)
    if stray:
        problems.append(warning("wos.stray-text", f"{len(stray)} line(s) outside any record skipped (first: line {stray[0]})", source=source, line=stray[0]))
    return records


def _date(year: str, published: str) -> Date | None:
    """``PY 2019`` + ``PD JUN 15`` (or ``SPR``, ``2019``...)."""
    if not re.fullmatch(r"\d{4}", year.strip()):
        return parse_date(published) if published else None
    parts: tuple[int, ...] = (int(year),)
    season = None
    words = published.upper().replace("-", " ").split()
    month = next((_MONTHS.index(w[:3]) + 1 for w in words if w[:3] in _MONTHS), None)
    if month:
        parts += (month,)
        day = next((int(w) for w in words if w.isdigit() and 1 <= int(w) <= 31), None)
        if day:
            parts += (day,)
    else:
        season = next((_SEASONS[w[:3]] for w in words if w[:3] in _SEASONS), None)
    return Date(parts=(parts,), season=season, raw=" ".join(p for p in (published, year) if p))


def _item(record: _Record, source: str | None) -> Item:
    values = record.values
    first = {tag: vals[0] for tag, vals in values.items() if vals and vals[0]}
    item = Item("", m.csl_type(first.get("PT", "J"), first.get("DT", "")), origin=Origin("wos", source, record.line, first.get("PT")))
    used: set[str] = set(m.HANDLED_TAGS)
    for var, tags in m.NAME_TAGS.items():
        tag = next((t for t in tags if values.get(t)), None)
        if tag:
            item.fields[var] = [parse_name(v) for v in values[tag] if v]
            used.update(tags)  # AU is the abbreviated form of AF: not kept twice
    groups = [Name(literal=v) for t in m.GROUP_AUTHOR_TAGS for v in values.get(t, []) if v]
    if groups:
        names = item.fields.setdefault("author", [])
        assert isinstance(names, list)
        names.extend(groups)
        used.update(m.GROUP_AUTHOR_TAGS)
    for tag, var in m.TEXT_TAGS.items():
        if tag in first and var not in item.fields:
            value = first[tag]
            if var == "keyword":  # "a; b; c" -> the model's ", " list
                value = ", ".join(w.strip() for w in value.split(";") if w.strip()) if "," not in value else value
            item.fields[var] = value
            used.add(tag)
    if "abstract" in first.get("DT", "").lower() and "genre" not in item.fields:
        item.fields["genre"] = first["DT"]  # "Meeting Abstract": no CSL type says it, and dedupe must know
    date = _date(first.get("PY", ""), first.get("PD", ""))
    if date is not None:
        item.fields["issued"] = date
    start, end = first.get("BP"), first.get("EP")
    if start:
        item.fields["page"] = f"{start}-{end}" if end and end != start else start
        if first.get("AR"):
            used.discard("AR")
    elif first.get("AR"):
        item.fields["page"] = first["AR"]  # article number instead of pages
    for tag, vals in values.items():
        if tag not in used:
            item.extra[tag] = "\n".join(vals)
    return item


def read(text: str, *, source: str | None = None, **_: Any) -> Library:
    library = Library()
    for record in _records(text, source, library.diagnostics):
        library.add(_item(record, source))
    if not library.items:
        library.diagnostics.append(warning("wos.no-records", "no Web of Science records found", source=source))
    return library


FORMAT = Format(
    name="wos",
    description="Web of Science field-tagged export (savedrecs.txt; read only)",
    suffixes=(),
    sniff=sniff,
    read=read,
    write=None,
    aliases=("isi", "webofscience"),
)
