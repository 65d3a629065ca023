"""Variables typed into an item's ``note`` ("cheater syntax"), as citeproc-js reads them.

Zotero users put CSL variables it has no field for in the note, one per line::

    reviewed-title: Decrease of Deaf potential
    reviewed-author: Hall || W.C.
    event-date: 2004-10-01/2004-10-14

A line names a CSL variable, then its value: names as ``Family || Given``, dates
as ISO dates with ``/`` between the two ends of a range. A variable the item
already has is not replaced. Recognised lines are taken out of the note.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from citeproc import DATES, NAMES, VARIABLES

from .varkinds import DATE_VARS, NAME_VARS

_LINE = re.compile(r"^\s*([a-z][a-z-]*[a-z])\s*:\s*(\S.*?)\s*$")
_ISO = re.compile(r"^(-?\d{1,4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")
# an ISO 8601 time after a full date (GitHub's "2017-01-02T20:17:11Z"): citeproc-js keeps the date
_ISO_TIME = re.compile(r"(?<=-\d\d)T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$")
_KNOWN = {v.replace("_", "-") for v in (*VARIABLES, *NAMES, *DATES, *NAME_VARS, *DATE_VARS)} | {
    "container-title-short", "collection-title-short", "title-short", "genre", "reviewed-title",
    "original-title", "original-publisher", "original-publisher-place", "publisher-place",
}
_NOT_FROM_NOTE = {"note", "id", "type"}


def _date(value: str) -> dict[str, Any]:
    ends = [_ISO.match(_ISO_TIME.sub("", part.strip())) for part in value.split("/")]
    if 1 <= len(ends) <= 2 and all(ends):
        return {"date-parts": [[int(g) for g in end.groups() if g] for end in ends if end]}
    return {"raw": value}


def _name(value: str) -> dict[str, str]:
    if "||" in value:
        family, given = (part.strip() for part in value.split("||", 1))
        return {"family": family, "given": given} if given else {"family": family}
    return {"literal": value}


def expand_note(data: Mapping[str, Any]) -> Mapping[str, Any]:
    """``data`` with the variables found in its note added (``data`` itself when none)."""
    note = data.get("note")
    if not isinstance(note, str) or ":" not in note:
        return data
    found: dict[str, Any] = {}
    kept: list[str] = []
    for line in note.split("\n"):
        match = _LINE.match(line)
        name = match.group(1) if match else ""
        if not match or name not in _KNOWN or name in _NOT_FROM_NOTE:
            kept.append(line)
            continue
        value = match.group(2)
        var = name.replace("-", "_")
        if var in NAME_VARS:
            found.setdefault(name, []).append(_name(value))
        elif var in DATE_VARS:
            found[name] = _date(value)
        else:
            found[name] = value
    if not found:
        return data
    out = dict(data)
    for name, value in found.items():
        if out.get(name) in (None, "", []):
            out[name] = value
    rest = "\n".join(kept).strip()
    if rest:
        out["note"] = rest
    else:
        out.pop("note", None)
    return out
