"""Input preparation: CSL-JSON item dicts -> citeproc-py ``Reference`` objects."""
from __future__ import annotations

import re
import warnings
from collections.abc import Mapping
from typing import Any

from citeproc import NUMBERS, VARIABLES
from citeproc.string import MixedString, String
from citeproc.source import Date, DateRange, LiteralDate, Name, Reference

from ..mappings.csljson import ALIASES as CSL_ALIASES
from . import particles, richtext
from .abbreviations import Abbreviations
from .finish import GT, LT
from .formatters import Formatter
from .notefields import expand_note
from .varkinds import DATE_VARS, NAME_VARS

_NUMERIC = set(NUMBERS) | {"page", "page_first", "locator"}
_NAME_KEYS = ("family", "given", "dropping-particle", "non-dropping-particle", "suffix")
_RAW_DATE = re.compile(r"^\s*(-?\d{1,4})(?:[-/](\d{1,2}))?(?:[-/](\d{1,2}))?\s*$")


def _int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _date_parts(parts: Any) -> dict[str, int]:
    out: dict[str, int] = {}
    if not isinstance(parts, (list, tuple)):
        return out
    for name, value in zip(("year", "month", "day"), parts):
        number = _int(value)
        if number is None:
            break
        out[name] = number
    month = out.get("month")
    if month is not None and not 1 <= month <= 12:
        # citeproc-js: months 13-24 are the seasons (13 and 21 spring, ...); others are dropped
        out.pop("day", None)
        del out["month"]
        if 13 <= month <= 24:
            out["season"] = (month - 13) % 4 + 1
    if out.get("day") == 0:
        del out["day"]
    return out


def convert_date(value: Any) -> Date | DateRange | LiteralDate | None:
    if isinstance(value, str):
        value = {"raw": value}
    if not isinstance(value, Mapping):
        return None
    circa = bool(value.get("circa"))
    parts = [p for p in (_date_parts(dp) for dp in value.get("date-parts") or []) if "year" in p]
    if parts and parts[0]["year"] == 0:
        parts = []  # citeproc-js: there is no year 0 ("0 AD"); a date that starts there is no date
    if not parts and value.get("raw"):
        match = _RAW_DATE.match(str(value["raw"]))
        if match and int(match.group(1)) != 0:
            parts = [_date_parts([g for g in match.groups() if g])]
        else:  # what cannot be read as a date ("??", "0000") is printed as written
            return LiteralDate(str(value["raw"]), circa=circa)
    if not parts:
        if value.get("literal"):
            return LiteralDate(str(value["literal"]), circa=circa)
        return None
    season = value.get("season")
    first = dict(parts[0])
    if season is not None and "month" not in first:
        first["season"] = _int(season) or season
    if "day" in first and "month" not in first:
        del first["day"]
    begin = Date(**first)
    if len(parts) > 1:
        end_parts = dict(parts[1])
        if "day" in end_parts and "month" not in end_parts:
            del end_parts["day"]
        return DateRange(begin=begin, end=Date(**end_parts), circa=circa)
    begin["circa"] = circa
    return begin


def _name_part(value: str, formatter: Formatter, particle: bool = False) -> MixedString | String | str:
    if "<" in value:  # markup in a name part ("Center <sup>for</sup> History")
        return richtext.parse(value, formatter)
    if particle:  # every apostrophe in a particle is an elision ("in 't", "d'")
        return formatter.preformat(value.replace("'", "\u2019"))
    return formatter.preformat(richtext.typographic_apostrophe(value))


def _parses(value: Mapping[str, Any]) -> bool:
    return value.get("parse-names", True) not in (False, 0, "false") and not value.get("static-particles")


class BlankName(Name):
    """An empty name (``{}``) in a list of real ones: it prints nothing, but citeproc-js counts it
    where et al. truncates (``et-al-use-first="3"`` then shows two names)."""


def convert_name(value: Any, formatter: Formatter) -> Name | None:
    if isinstance(value, str):
        value = {"literal": value}
    if not isinstance(value, Mapping):
        return None
    if value.get("literal"):
        return Name(literal=richtext.parse(value["literal"], formatter))
    parts = {k: str(value[k]) for k in _NAME_KEYS if value.get(k) not in (None, "")}
    if not parts:
        return None
    extra: dict[str, Any] = {}
    if value.get("comma-suffix"):
        extra["comma-suffix"] = True
    given = parts.get("given", "")
    if "," in given and "suffix" not in parts:
        # "John, III" and "John,! Jr." (the "!" asks for a comma before the suffix)
        head, tail = given.split(",", 1)
        if tail.startswith("!"):
            extra["comma-suffix"] = True
            tail = tail[1:]
        parts["given"], parts["suffix"] = head.strip(), tail.strip()
    family = parts.get("family", "")
    if len(family) > 2 and family[0] == family[-1] == '"':
        parts["family"] = family[1:-1]  # quoted: taken as is, no particle parsing
    elif "non-dropping-particle" not in parts and family and parts.get("given") and _parses(value):
        # (as citeproc-js: only a name with both parts, and no particle of its own, is parsed)
        particle, parts["family"] = particles.split_family(family)
        if particle:
            parts["non-dropping-particle"] = particle
        if "dropping-particle" not in parts:
            parts["given"], particle = particles.split_given(parts["given"])
            if particle:
                parts["dropping-particle"] = particle
    # (only the parts citeproc-py's Name takes: it has nothing to warn about)
    name = Name(**{k: _name_part(v, formatter, k.endswith("particle")) for k, v in parts.items()})
    name.update(extra)
    return name


def trigraph(fields: dict[str, Any]) -> str | None:
    """citeproc-js's default citation-label: "Doe" 2000 -> "Doe00", two authors "DoRo00"."""
    names = fields.get("author") or fields.get("editor") or []
    families = [str(n.get("family") or n.get("literal") or "") for n in names]
    families = [f for f in families if f]
    date = fields.get("issued")
    year = ""
    if date is not None:
        begin = dict.get(date, "begin", date)
        if dict.get(begin, "year") is not None:
            year = f"{int(dict.get(begin, 'year')) % 100:02d}"
    if not families:
        return None
    if len(families) == 1:
        head = families[0][:4]
    elif len(families) == 2:
        head = families[0][:2] + families[1][:2]
    else:
        head = "".join(f[:1] for f in families[:4])
    return head + year


# what citeproc-py's Reference takes without a warning
_REFERENCE_FIELDS = frozenset(VARIABLES) | {"uri", "container_uri", "contributor", "date"}


def convert_item(data: Mapping[str, Any], key: str, formatter: Formatter, abbreviations: Abbreviations | None = None) -> Reference:
    data = expand_note(data)
    fields: dict[str, Any] = {}
    for raw_key, value in data.items():
        if raw_key in ("id", "type", "key") or value is None or value == "" or value == []:
            continue
        if raw_key in CSL_ALIASES:  # "journalAbbreviation": container-title-short, unless given too
            if data.get(CSL_ALIASES[raw_key]):
                continue
            raw_key = CSL_ALIASES[raw_key]
        var = raw_key.replace("-", "_")
        if not var.replace("_", "").isalnum():
            continue
        if var in NAME_VARS:
            converted = [convert_name(v, formatter) for v in (value or [])]
            # convert_name gives None for a mapping only when it holds no name part at all: a blank name
            names = [n if n is not None else BlankName() for n, v in zip(converted, value or [])
                     if n is not None or isinstance(v, Mapping)]
            if any(not isinstance(n, BlankName) for n in names):
                fields[var] = names
                if "_" in var:  # citeproc-py's cs:names looks variables up as written
                    fields[var.replace("_", "-")] = names
        elif var in DATE_VARS:
            date = convert_date(value)
            if date is not None:
                fields[var] = date
        elif var == "language":
            fields[var] = str(value)
        elif var in _NUMERIC:
            # numbers are split on "&", "," and "-" later: escape only what cannot be a separator
            # (angle brackets as markers: "&#60;" would be split at its "&"; finishing writes them)
            fields[var] = String(str(value).replace("<", LT).replace(">", GT) if formatter.name == "html" else str(value))
        elif isinstance(value, (str, int, float)):
            fields[var] = richtext.parse(value, formatter)
    if abbreviations:  # the list's short forms (over the item's own title-short, as citeproc-js)
        for variable, short in abbreviations.short_forms(data).items():
            fields[variable.replace("-", "_")] = richtext.parse(short, formatter)
    if "citation_label" not in fields:
        label = trigraph(fields)
        if label:
            fields["citation_label"] = String(label)
    # an item without a type matches no ``type`` condition (citeproc-js), rather than
    # passing for an article (quoted title and "Preprint" in Chicago)
    kind = str(data.get("type") or "")
    if fields.keys() <= _REFERENCE_FIELDS:
        return Reference(key, kind, **fields)  # (nothing it warns about: no warning filter per item)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Reference(key, kind, **fields)
