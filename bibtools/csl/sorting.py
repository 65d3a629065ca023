"""``cs:sort``: the value of each ``cs:key`` per item and the order they give.

As CSL 1.0.2 specifies and citeproc-js does it:

- text is compared by its collation key (``collation``): the CLDR order of the
  style's locale, letters only (case, accents and punctuation do not count);
- numeric variables compare by their first number, citation-number as a number;
- a date compares per part (year, month, day, then the end of a range); in a
  macro that renders a date, only the date parts that macro shows count, so the
  literals it prints around them ("n.d.", "forthcoming") do not;
- names of a name variable key compare family name first, with the particles
  where ``demote-non-dropping-particle`` puts them, as many names as the
  et-al options allow (the key's names-min/names-use-first, else inherited);
- an item with an empty key (no such variable, no date) comes last, ascending
  and descending alike; items that tie on every key keep their order (in a
  citation, the order they are cited in: citeproc-js does not order them by
  year-suffix either).
"""
from __future__ import annotations

import re
from typing import Any

from citeproc import model as cp
from citeproc.source import LiteralDate

from .collation import collation_key
from .cptypes import CitationItem, DateRange
from .numbered import macro_named, reads_citation_number
from .varkinds import DATE_VARS, NAME_VARS

__all__ = ["DATE_KEYS", "collect_date", "key_values", "sort_items"]

CSL_NS = "http://purl.org/net/xbiblio/csl"
# sort_options entry that asks cs:date elements for their sort value instead of text
DATE_KEYS = "date-keys"

# citeproc-js's numeric variables: compared by their first (integer) number
NUMBER_VARS = frozenset({
    "call_number", "chapter_number", "collection_number", "division", "edition", "page", "issue",
    "locator", "number", "number_of_pages", "number_of_volumes", "part_number", "printing_number",
    "section", "supplement_number", "version", "volume", "supplement",
})
_FIRST_NUMBER = re.compile(r"\d+")
_DATE_PARTS = ("year", "month", "day")

SortValue = Any  # None (empty), an int, a date tuple or a collation key; one kind per key


def sort_items(
    sort: cp.Sort, items: list[CitationItem], context: cp.Element, memo: dict[tuple[int, str], SortValue] | None = None
) -> list[CitationItem]:
    """Items in the order of the keys. A key is evaluated only for the items
    still tied on the keys before it (most lists are ordered by the first).

    ``memo`` ((key number, item key) -> value) keeps the values made, and gives back
    those it holds: the caller drops what a change made stale (the bibliography is
    sorted again after disambiguation gave some items more of their names)."""
    groups = [list(range(len(items)))]  # runs of items tied so far, in order
    for number, key in enumerate(sort.findall(f"{{{CSL_NS}}}key")):
        tied = [i for group in groups if len(group) > 1 for i in group]
        if not tied:
            break
        if memo is None or _reads_order(key):
            value = dict(zip(tied, key.sort_keys([items[i] for i in tied], context)))
        else:
            todo = [i for i in tied if (number, items[i].key) not in memo]
            for i, made in zip(todo, key.sort_keys([items[i] for i in todo], context)):
                memo[(number, items[i].key)] = made
            value = {i: memo[(number, items[i].key)] for i in tied}
        descending = key.get("sort", "ascending").lower() == "descending"
        refined: list[list[int]] = []
        for group in groups:
            if len(group) == 1:
                refined.append(group)
            else:
                refined.extend(_split(group, value, descending))
        groups = refined
    return [items[i] for group in groups for i in group]


def _reads_order(key: cp.Key) -> bool:
    # a citation number changes with the order itself: never kept
    return key.get("variable") == "citation-number" or ("macro" in key.attrib and reads_citation_number(macro_named(key, key.get("macro"))))


def _split(group: list[int], value: dict[int, SortValue], descending: bool) -> list[list[int]]:
    """``group`` ordered by ``value`` (stably: ties keep their order), as runs of
    equal values; empty values last in either direction."""
    present = sorted((i for i in group if value[i] is not None), key=value.__getitem__, reverse=descending)
    runs: list[list[int]] = []
    for i in present:
        if runs and value[runs[-1][0]] == value[i]:
            runs[-1].append(i)
        else:
            runs.append([i])
    empty = [i for i in group if value[i] is None]
    return runs + ([empty] if empty else [])


def key_values(key: cp.Key, items: list[CitationItem], context: cp.Element, sort_options: dict[str, Any]) -> list[SortValue]:
    """One sort value per item for ``key``; an item whose key cannot be made sorts as empty."""
    if "variable" in key.attrib:
        variable = key.get("variable").replace("-", "_")
        make = lambda item: variable_value(key, item, variable)  # noqa: E731
    else:
        macro = key.get_macro(key.get("macro"))
        layout = context.get_layout()
        locale = _locale(key)
        dated = macro_has_date(macro)

        def make(item: CitationItem) -> SortValue:
            layout.repressed = {}
            if dated:
                found: list[tuple[int, ...]] = []
                macro.render(item, context=context, sort_options={**sort_options, DATE_KEYS: found})
                return tuple(part for value in found for part in value) or None
            text = macro.render(item, context=context, sort_options=sort_options)
            return collation_key(text, locale) if text not in (None, "") else None

    values = []
    for item in items:
        try:
            values.append(make(item))
        except Exception:  # noqa: BLE001 - one item's bad data must not unsort the others
            values.append(None)
    return values


def render_macro(macro: cp.Macro, item: CitationItem, context: cp.Element, sort_options: dict[str, Any]) -> Any:
    """A macro called inside a sort key. One that renders a date, called from a
    key whose text counts, adds that date as citeproc-js writes it there: its
    parts as digits, compared by value with the text around them."""
    if DATE_KEYS in sort_options or not macro_has_date(macro):
        return macro.render(item, context=context, sort_options=sort_options)
    found: list[tuple[int, ...]] = []
    macro.render(item, context=context, sort_options={**sort_options, DATE_KEYS: found})
    return "".join(_date_digits(value) for value in found) or None


def _date_digits(value: tuple[int, ...]) -> str:
    out = []
    for start in range(0, len(value), 3):
        year, month, day = value[start:start + 3]
        out.append(f"1{year:04}" if year >= 0 else f"0{9999 + year:04}")
        out.append(f"{month:02}{day:02}")
    return "".join(out)


def variable_value(key: cp.Key, item: CitationItem, variable: str) -> SortValue:
    if variable == "citation_number":
        return item.number
    value = item.reference.get(variable)
    if value is None or (isinstance(value, str) and not value):
        return None
    if variable in DATE_VARS:
        return date_value(value, _DATE_PARTS)
    locale = _locale(key)
    if variable in NAME_VARS:
        text = _names_text(key, value)
        return collation_key(text, locale) if text else None
    text = str(value)
    if variable in NUMBER_VARS:
        number = _FIRST_NUMBER.search(text)
        if number:  # (as citeproc-js: the first number, zero-padded, so "12a" is 12)
            text = f"{int(number.group()):020}"
    return collation_key(text, locale)


def date_value(date: Any, shown: tuple[str, ...] | list[str]) -> tuple[int, ...] | None:
    """(year, month, day, end year, end month, end day) of the parts ``shown``;
    None without a year (an undated item, or a date given as text only)."""
    if isinstance(date, LiteralDate):
        return None
    begin, end = (date.begin, date.get("end")) if isinstance(date, DateRange) else (date, None)
    if not dict.get(begin, "year"):
        return None
    return _parts(begin, shown) + (_parts(end, shown) if end is not None else (0, 0, 0))


def _parts(date: Any, shown: tuple[str, ...] | list[str]) -> tuple[int, int, int]:
    out = []
    for name in _DATE_PARTS:
        value = dict.get(date, name) if name == "year" or name in shown else 0
        out.append(value if isinstance(value, int) else 0)
    return out[0], out[1], out[2]


def collect_date(date_element: cp.Date, item: CitationItem, variable: str, found: list[tuple[int, ...]]) -> Any:
    """A cs:date rendered for a macro sort key: its sort value goes to ``found``.
    Returns a placeholder so the groups around it count it as rendered."""
    value = item.reference.get(variable.replace("-", "_"))
    key = date_value(value, _shown_parts(date_element)) if value else None
    if key is None:
        return None
    found.append(key)
    return "0"


def _shown_parts(date_element: cp.Date) -> list[str]:
    if date_element.get("form") is not None:
        return date_element.get("date-parts", "year-month-day").split("-")
    return [part.get("name") for part in date_element.findall(f"{{{CSL_NS}}}date-part")]


def macro_has_date(macro: cp.Macro) -> bool:
    cached = macro.__dict__.get("_has_date")
    if cached is None:
        cached = macro.__dict__["_has_date"] = macro.find(f".//{{{CSL_NS}}}date") is not None
    return cached


def _locale(element: cp.Element) -> str:
    return getattr(element.get_root(), "locale_name", None) or "en-US"


def _names_text(key: cp.Key, names: Any) -> str:
    """The names of a name variable key, each family name first (CSL's name-part
    order for sorting), as many as the et-al options allow."""
    demote = key.get_root().get("demote-non-dropping-particle", "display-and-sort").lower()
    limit = _name_limit(key, len(names))
    out = []
    for name in names[:limit]:
        given, family, dp, ndp, suffix = name.parts()
        if ndp is None and family:
            ndp, family = _leading_particle(str(family))
        # a particle's apostrophe does not join it to the name in a sort key ("d’Wander" sorts as "d Wander")
        dp, ndp = (_APOSTROPHE.sub("", str(p)) if p else p for p in (dp, ndp))
        if "literal" in name:
            parts = [family]
        elif demote == "never":
            parts = [ndp, family, dp, given, suffix]
        else:
            parts = [family, given, dp, ndp, suffix]
        out.append(" ".join(str(p) for p in parts if p))
    return " ".join(out)


_APOSTROPHE = re.compile("['\u2019]")
# a lowercase particle elided onto the family name: d’Wander, l’Huillier, dell’Orto
_ELIDED_PARTICLE = re.compile("^([a-z]{1,4}['\u2019])(?=\\w)")


def _leading_particle(family: str) -> tuple[str | None, str]:
    match = _ELIDED_PARTICLE.match(family)
    if match is None:
        return None, family
    return match.group(1), family[match.end():]


def _name_limit(key: cp.Key, count: int) -> int:
    """How many names count: the key's names-min/names-use-first, else the et-al
    options the names would inherit (cs:bibliography or cs:citation, cs:style),
    as citeproc-js applies them to a name variable key."""
    section = key.getparent().getparent()
    root = key.get_root()
    minimum = key.get("names-min") or section.get("et-al-min") or root.get("et-al-min")
    first = key.get("names-use-first") or section.get("et-al-use-first") or root.get("et-al-use-first")
    if minimum and first and count >= int(minimum):
        return int(first)
    return count
