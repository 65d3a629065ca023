"""Date ranges joined with the ``range-delimiter`` of the largest date part that
differs (citeproc-py always writes an en dash)."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Union

from citeproc.string import String

from .cptypes import DateRange, Element

CSL = "{http://purl.org/net/xbiblio/csl}"
EN_DASH = "\u2013"


def _differing_part(date_range: DateRange) -> str | None:
    begin, end = date_range.begin, date_range.end
    for name in ("year", "month", "day"):
        if dict.get(begin, name) != dict.get(end, name):
            return name
    return None


def _range_delimiter(elements: tuple[Element | None, ...], part: str) -> str | None:
    for element in elements:
        if element is None:
            continue
        for child in element.iterfind(f"{CSL}date-part"):
            if child.get("name") == part and child.get("range-delimiter") is not None:
                return child.get("range-delimiter")
    return None


def part_names(date: Element) -> frozenset[str]:
    """The date parts a cs:date element prints (its cs:date-part children)."""
    cached = date.__dict__.get("_part_names")
    if cached is None:
        cached = date.__dict__["_part_names"] = frozenset(c.get("name") for c in date.iterfind(f"{CSL}date-part"))
    return cached


def parts_shown(date: Element, show_parts: Sequence[str] | None) -> list[str]:
    """The parts a range is rendered with: those asked for that the element prints."""
    return [p for p in (show_parts or ("year", "month", "day")) if p in part_names(date)]


def same_where_shown(date_range: DateRange, show_parts: Sequence[str] | None) -> bool:
    """Whether a range's two dates agree in every part shown (a season stands for a month)."""
    begin, end = date_range.begin, date_range.end
    if end.is_nil() or not show_parts:
        return False
    for name in show_parts:
        keys = ("month", "season") if name == "month" else (name,)
        if any(dict.get(begin, key) != dict.get(end, key) for key in keys):
            return False
    return True


def range_delimited(date: Element, context: Element | None, date_range: DateRange, text: Any) -> Any:
    """``text`` (a rendered range) with its en dash replaced by the style's delimiter."""
    if not text or EN_DASH not in str(text) or date_range.end.is_nil():
        return text
    part = _differing_part(date_range)
    delimiter = _range_delimiter((context, date) if context is not date else (date,), part) if part else None
    if delimiter is None or delimiter == EN_DASH:
        return text
    return String(str(text).replace(EN_DASH, delimiter, 1))


class JoinedBy:
    """A stand-in for the calling cs:date whose ``join`` is the localized date's:
    citeproc-py joins a range's shared parts ("January 1999") with the caller's
    delimiter, citeproc-js with the delimiter of the date that renders them."""

    def __init__(self, context: Element, joiner: Element) -> None:
        self._context = context
        self._joiner = joiner

    def join(self, parts: Any, *args: Any, **kwargs: Any) -> Any:
        return self._joiner.join(parts, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._context, name)


# the element a date renders in: the calling cs:date, a stand-in for it, or none
DateContext = Union[Element, JoinedBy, None]


def range_context(date: Element, context: Element | None) -> DateContext:
    if context is None or context is date or context.get("delimiter") == date.get("delimiter"):
        return context
    return JoinedBy(context, date)


def season_range(date: Element, date_range: DateRange, show_parts: Sequence[str] | None, context: DateContext) -> Any:
    """"Spring–Summer 1999": a range of seasons within one year (citeproc-py
    compares months and fails), or None when ``date_range`` is something else."""
    begin, end = date_range.begin, date_range.end
    if end.is_nil() or "season" not in begin or "year" not in begin:
        return None
    parts = [p for p in (show_parts or ("year", "month", "day")) if p != "year"]
    if "month" not in parts:
        return None
    year_shown = "year" in parts_shown(date, show_parts)
    if year_shown and begin.get("year") != end.get("year"):
        return None  # "Spring 11–Summer 12": a range of whole dates
    # the seasons of a range across years printed without the year stay a range ("Spring–Summer")
    first = date.render_single_date(begin, ["month"], context)
    last = date.render_single_date(end, ["month"], context)
    year = date.render_single_date(end, ["year"], context) if year_shown else None
    if not first or not last:
        return None
    delimiter = _range_delimiter((context, date) if context is not date else (date,), "month") or EN_DASH
    seasons = String(str(first).rstrip() + delimiter + str(last))
    return date.join([seasons, year]) if year else seasons  # a date of months only: "Spring–Winter"


# -- eras ("44 BC", "5 AD") -----------------------------------------------------------
# citeproc-js writes the "ad" term for years 1-499 only (citeproc-py: below 1000), and
# a range of years in one era once, after the range, from its first year ("11–12 AD").
_ERA_OF = "_era_year"  # on a range's end: the year whose era follows it
_NO_ERA = "_no_era"  # on a range's start: its era is written after the end


def era_term(element: Element, year: int) -> str:
    if year < 0:
        return str(element.get_single_term(name="bc") or "")
    if 0 < year < 500:
        return str(element.get_single_term(name="ad") or "")
    return ""


def long_year(element: Element, date: Any) -> str:
    """The year part in its long form, with the era where citeproc-js puts one."""
    year = int(dict.get(date, "year"))
    if dict.get(date, _NO_ERA):
        return str(abs(year))
    return str(abs(year)) + era_term(element, dict.get(date, _ERA_OF, year))


def mark_range_eras(date_range: DateRange) -> bool:
    """Before rendering a range of different years: one era, after the end."""
    begin, end = date_range.begin, date_range.end
    if end.is_nil() or dict.get(begin, "year") == dict.get(end, "year"):
        return False
    dict.__setitem__(begin, _NO_ERA, True)
    dict.__setitem__(end, _ERA_OF, dict.get(begin, "year"))
    return True


def unmark_range_eras(date_range: DateRange) -> None:
    dict.pop(date_range.begin, _NO_ERA, None)
    dict.pop(date_range.end, _ERA_OF, None)
