"""Date ranges joined with the ``range-delimiter`` of the largest date part that
differs (citeproc-py always writes an en dash)."""
from __future__ import annotations

from typing import Any

from citeproc.string import String

CSL = "{http://purl.org/net/xbiblio/csl}"
EN_DASH = "\u2013"


def _differing_part(date_range: Any) -> str | None:
    begin, end = date_range.begin, date_range.end
    for name in ("year", "month", "day"):
        if dict.get(begin, name) != dict.get(end, name):
            return name
    return None


def _range_delimiter(elements: tuple[Any, ...], part: str) -> str | None:
    for element in elements:
        if element is None:
            continue
        for child in element.iterfind(f"{CSL}date-part"):
            if child.get("name") == part and child.get("range-delimiter") is not None:
                return child.get("range-delimiter")
    return None


def range_delimited(date: Any, context: Any, date_range: Any, text: Any) -> Any:
    """``text`` (a rendered range) with its en dash replaced by the style's delimiter."""
    if not text or EN_DASH not in str(text) or date_range.end.is_nil():
        return text
    part = _differing_part(date_range)
    delimiter = _range_delimiter((context, date) if context is not date else (date,), part) if part else None
    if delimiter is None or delimiter == EN_DASH:
        return text
    return String(str(text).replace(EN_DASH, delimiter, 1))
