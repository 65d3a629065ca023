"""Whether a part of a style prints the citation number, through the macros it calls.

What reads the number changes when the bibliography's order does, so work kept
across a re-sort (sort values, rendered cites) is kept only where this says no.
"""
from __future__ import annotations

from typing import Any

CSL_TEXT = "{http://purl.org/net/xbiblio/csl}text"


def reads_citation_number(element: Any, _seen: frozenset[str] = frozenset()) -> bool:
    """``element`` or a macro it calls (at any depth) renders ``citation-number``;
    answered once per element (the style does not change)."""
    if element is None:
        return False
    known = element.__dict__.get("_reads_citation_number")
    if known is not None:
        return known
    found = False
    for node in element.iter(CSL_TEXT):
        if node.get("variable") == "citation-number":
            found = True
            break
        macro = node.get("macro")
        if macro and macro not in _seen and reads_citation_number(macro_named(node, macro), _seen | {macro}):
            found = True
            break
    element.__dict__["_reads_citation_number"] = found
    return found


def macro_named(node: Any, name: str) -> Any:
    # (prepare_style's index; a macro the style calls but never defines reads nothing)
    return node.get_root().__dict__.get("macros", {}).get(name)
