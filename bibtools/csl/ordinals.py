"""Ordinal suffixes the CSL 1.0.2 way: match rules and grammatical gender.

citeproc-py takes the first ``ordinal-NN`` term it finds, ignoring ``match`` and
``gender-form``, and mixes a style's ordinal terms with the locale file's. Here,
as the spec and citeproc-js do: the first locale that defines any ordinal term
supplies all of them; ``ordinal-10``..``99`` are tried before ``ordinal-00``..``09``,
then ``ordinal``; among matching terms the noun's gender wins over the neuter form
(a noun's gender is the ``gender`` of its term: "edition", "month-10", ...).
"""
from __future__ import annotations

import html
from typing import Any

from citeproc import model as cp

CSL = "{http://purl.org/net/xbiblio/csl}"
# (number in the name or None for "ordinal", match, gender-form, suffix)
_Term = tuple[int | None, str, str | None, str]


def _ordinal_terms(root: cp.Style) -> list[_Term]:
    cache = root.__dict__
    if "_ordinal_terms" in cache:
        return cache["_ordinal_terms"]  # type: ignore[no-any-return]
    found: list[_Term] = []
    for locale in getattr(root, "locales", []):
        terms = locale.find(f"{CSL}terms")
        if terms is None:
            continue
        for term in terms.iterfind(f"{CSL}term"):
            name = term.get("name", "")
            if name != "ordinal" and not name.startswith("ordinal-"):
                continue
            number = None if name == "ordinal" else int(name[8:])
            default = "last-digit" if number is not None and number < 10 else "last-two-digits"
            found.append((number, term.get("match", default), term.get("gender-form"), html.unescape(term.text or "")))
        if found:
            break
    cache["_ordinal_terms"] = found
    return found


def term_gender(element: cp.CitationStylesElement, name: str) -> str | None:
    """The grammatical gender of the noun term ``name`` in the style's locales."""
    root = element.get_root()
    genders = root.__dict__.setdefault("_term_genders", {})
    if name not in genders:
        gender = None
        for locale in getattr(root, "locales", []):
            terms = locale.find(f"{CSL}terms")
            term = None if terms is None else next(
                (t for t in terms.iterfind(f"{CSL}term") if t.get("name") == name and t.get("form") in (None, "long")), None
            )
            if term is not None:
                gender = term.get("gender")
                break
        genders[name] = gender
    return genders[name]  # type: ignore[no-any-return]


def _matches(number: int, term: _Term) -> bool:
    wanted, match = term[0], term[1]
    if wanted is None:
        return True
    if match == "whole-number":
        return number == wanted
    if match == "last-two-digits":
        return number % 100 == wanted
    return number % 10 == wanted


def ordinal(number: int, element: cp.CitationStylesElement, gender: str | None) -> str:
    """``number`` with its ordinal suffix ("1st", "1.º", "1ᵉʳ")."""
    terms = _ordinal_terms(element.get_root())
    if not terms:
        return cp.to_ordinal(number, element)  # type: ignore[no-any-return]
    levels = (
        [t for t in terms if t[0] is not None and t[0] >= 10],
        [t for t in terms if t[0] is not None and t[0] < 10],
        [t for t in terms if t[0] is None],
    )
    for level in levels:
        matching = [t for t in level if _matches(number, t)]
        for want in ((gender, None) if gender else (None,)):
            for term in matching:
                if term[2] == want:
                    return f"{number}{term[3]}"
    return str(number)


class Ordinal:
    """Mixin for cs:number: ``form="ordinal"`` (and long ordinals above ten) by ``ordinal``."""

    def format_number(self, number: Any) -> Any:
        form = self.get("form", "numeric")  # type: ignore[attr-defined]
        if form in ("ordinal", "long-ordinal"):
            try:
                value = int(number)
            except (TypeError, ValueError):
                return super().format_number(number)  # type: ignore[misc]
            if form == "ordinal" or value > 10:
                variable = self.get("variable") or ""  # type: ignore[attr-defined]
                gender = term_gender(self, variable) if variable and variable != "locator" else None
                return ordinal(value, self, gender)
        return super().format_number(number)  # type: ignore[misc]
