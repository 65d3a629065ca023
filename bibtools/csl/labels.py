"""Locators that carry their own label ("vol. 1, fol. 186"): citeproc-js prints no
label of its own before them."""
from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .cptypes import Element

LOCATOR_TERMS = (
    "act", "appendix", "article-locator", "book", "canon", "chapter", "column", "elocation",
    "equation", "figure", "folio", "issue", "line", "note", "opus", "page", "paragraph", "part",
    "rule", "scene", "section", "sub verbo", "supplement", "table", "timestamp", "title-locator",
    "verse", "version", "volume",
)


def _label_pattern(element: Element) -> re.Pattern[str] | None:
    """The locale's short locator terms (singular and plural), once per style."""
    cache = element.get_root().__dict__
    if "_locator_labels" in cache:
        return cache["_locator_labels"]  # type: ignore[no-any-return]
    plurals: dict[str, str] = cache.setdefault("_locator_plurals", {})
    words: set[str] = set()
    for name in LOCATOR_TERMS:
        try:
            term = element.get_term(name, "short")
        except Exception:  # a term the locale lacks
            term = None
        if term is None:
            continue
        single, multiple = (html.unescape(str(form or "")).strip() for form in (term.single, term.multiple))
        for text in (single, multiple):
            if len(text) > 1 and text.endswith("."):  # only abbreviations: "vol.", "fol."
                words.add(text)
        if single.endswith(".") and multiple:
            plurals.setdefault(single, multiple)
    pattern = re.compile(r"^(?:" + "|".join(map(re.escape, sorted(words, key=len, reverse=True))) + r")\s*\d") if words else None
    cache["_locator_labels"] = pattern
    return pattern


def self_labelled(locator: str, element: Element) -> bool:
    """``locator`` starts with a label of the locale ("vol. 1")."""
    if not locator[:1].isalpha():
        return False
    pattern = _label_pattern(element)
    return pattern is not None and pattern.match(locator) is not None


_LABELLED_RANGE = re.compile(r"^(\S+\.)\s*(\w+)\s*[-\u2013]\s*(\w+)$")


def labelled_range(piece: str, element: Element) -> str | None:
    """"p. 3-8" inside a number variable -> "pp. 3–8" (citeproc-js), else None."""
    match = _LABELLED_RANGE.match(piece.strip())
    if match is None or not self_labelled(piece.strip(), element):
        return None
    label, first, last = match.groups()
    plural = element.get_root().__dict__.get("_locator_plurals", {}).get(label, label)
    return f"{plural} {first}\u2013{last}"
