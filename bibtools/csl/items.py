"""Input preparation: CSL-JSON item dicts -> citeproc-py ``Reference`` objects."""
from __future__ import annotations

import re
import warnings
from collections.abc import Mapping
from typing import Any

from citeproc import DATES, NAMES, VARIABLES
from citeproc.source import Date, DateRange, LiteralDate, Name, Reference

from . import richtext

_KNOWN = set(VARIABLES) | {"container_title_short", "title_short", "shortTitle"}
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
    return out


def convert_date(value: Any) -> Date | DateRange | LiteralDate | None:
    if isinstance(value, str):
        value = {"raw": value}
    if not isinstance(value, Mapping):
        return None
    circa = bool(value.get("circa"))
    parts = [p for p in (_date_parts(dp) for dp in value.get("date-parts") or []) if "year" in p]
    if not parts and value.get("raw"):
        match = _RAW_DATE.match(str(value["raw"]))
        if match:
            parts = [_date_parts([g for g in match.groups() if g])]
        else:
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


def convert_name(value: Any, formatter: Any) -> Name | None:
    if isinstance(value, str):
        value = {"literal": value}
    if not isinstance(value, Mapping):
        return None
    if value.get("literal"):
        return Name(literal=richtext.parse(value["literal"], formatter))
    parts = {k: str(value[k]) for k in _NAME_KEYS if value.get(k) not in (None, "")}
    if not parts:
        return None
    return Name(**{k: formatter.preformat(v) for k, v in parts.items()})


def convert_item(data: Mapping[str, Any], key: str, formatter: Any) -> Reference:
    fields: dict[str, Any] = {}
    for raw_key, value in data.items():
        if raw_key in ("id", "type") or value is None or value == "" or value == []:
            continue
        var = raw_key.replace("-", "_")
        if var == "shortTitle":
            var = "title_short"
        if var == "journalAbbreviation":
            var = "container_title_short"
        if var not in _KNOWN:
            continue
        if var in NAMES:
            names = [n for n in (convert_name(v, formatter) for v in (value or [])) if n is not None]
            if names:
                fields[var] = names
        elif var in DATES:
            date = convert_date(value)
            if date is not None:
                fields[var] = date
        elif var == "language":
            fields[var] = str(value)
        else:
            fields[var] = richtext.parse(value, formatter)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Reference(key, str(data.get("type") or "article"), **fields)
