"""Abbreviation lists: the short forms a style's ``form="short"`` prints.

The file is JSON in the shape Zotero and citeproc-js use::

    {"default": {"container-title": {"Briefings in Bioinformatics": "Brief Bioinform"},
                 "collection-title": {...}, "institution-part": {...}, "place": {...}}}

Keys under the top level are jurisdictions ("default" applies to every item; an item
whose ``jurisdiction`` is listed looks there first). A file without that level
(``{"container-title": {...}}``) is read as "default". Categories are citeproc-js's
(``mappings.csljson.ABBREVIATION_CATEGORIES``); the variable's own name works too.
A long form is matched exactly as written (as citeproc-js does without an integrator's
key normalisation).

As in citeproc-js, the list's abbreviation of a title or container title replaces the
item's own ``title-short``/``container-title-short``; for other variables it is used
where the style asks for the short form, and the long form is printed when there is none.
"""
from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any, Union

from ..mappings.csljson import ABBREVIATION_CATEGORIES, SHORT_VARIABLES

DEFAULT = "default"
AbbreviationsLike = Union[str, os.PathLike[str], Mapping[str, Any], "Abbreviations"]


class AbbreviationsError(ValueError):
    """The abbreviation list cannot be read or has the wrong shape."""


class Abbreviations:
    """jurisdiction -> category -> long form -> short form."""

    def __init__(self, lists: Mapping[str, Mapping[str, Mapping[str, str]]]) -> None:
        self._lists = {j: {c: dict(t) for c, t in cats.items()} for j, cats in lists.items()}

    def __bool__(self) -> bool:
        return any(any(tables.values()) for tables in self._lists.values())

    def lookup(self, variable: str, value: str, jurisdiction: str | None = None) -> str | None:
        """The short form of ``value`` (of CSL ``variable``), or None."""
        categories = [c for c in (ABBREVIATION_CATEGORIES.get(variable), variable) if c]
        places = [j for j in (jurisdiction, DEFAULT) if j]
        for place in places:
            for category in categories:
                short = self._lists.get(place, {}).get(category, {}).get(value)
                if short:
                    return short
        return None

    def short_forms(self, data: Mapping[str, Any]) -> dict[str, str]:
        """CSL variable (``title-short``, ``publisher-short``...) -> short form, for one item."""
        jurisdiction = data.get("jurisdiction") if isinstance(data.get("jurisdiction"), str) else None
        out: dict[str, str] = {}
        for variable in ABBREVIATION_CATEGORIES:
            value = data.get(variable)
            if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip():
                short = self.lookup(variable, str(value), jurisdiction)
                if short is not None:
                    out[SHORT_VARIABLES.get(variable, f"{variable}-short")] = short
        return out


def _check(data: Any, what: str) -> dict[str, dict[str, dict[str, str]]]:
    if not isinstance(data, Mapping):
        raise AbbreviationsError(f"{what}: expected a JSON object such as {{\"default\": {{\"container-title\": {{...}}}}}}")
    # without the jurisdiction level: the categories themselves
    flat = all(isinstance(v, Mapping) and all(isinstance(x, str) for x in v.values()) for v in data.values())
    lists = {DEFAULT: data} if data and flat and DEFAULT not in data else data
    out: dict[str, dict[str, dict[str, str]]] = {}
    for jurisdiction, categories in lists.items():
        if not isinstance(categories, Mapping):
            raise AbbreviationsError(f"{what}: {jurisdiction!r} should hold categories (\"container-title\": {{...}})")
        for category, table in categories.items():
            if not isinstance(table, Mapping) or not all(isinstance(k, str) and isinstance(v, str) for k, v in table.items()):
                raise AbbreviationsError(f"{what}: {jurisdiction}/{category} should map long forms to short forms (text to text)")
            out.setdefault(str(jurisdiction), {})[str(category)] = dict(table)
    return out


def load(source: AbbreviationsLike) -> Abbreviations:
    """An abbreviation list from a JSON file, or from the parsed JSON itself."""
    if isinstance(source, Abbreviations):
        return source
    if isinstance(source, Mapping):
        return Abbreviations(_check(source, "the abbreviation list"))
    path = os.fspath(source)
    try:
        with open(path, encoding="utf-8-sig") as handle:
            data = json.load(handle)
    except OSError as exc:
        raise AbbreviationsError(f"cannot read the abbreviation list {path}: {exc.strerror or exc}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise AbbreviationsError(f"the abbreviation list {path} is not JSON: {exc}") from None
    return Abbreviations(_check(data, f"the abbreviation list {path}"))
