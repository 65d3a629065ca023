"""Groups and macros that cannot print for an item, known from the style before rendering.

A group (or macro) that calls a variable on every branch it can take, and whose
variables the item has none of, is suppressed by the CSL group rule (a term beside
them does not keep it); it tells its parent "called, printed nothing". Rendering it
only to learn that is most of the work spent on an entry's absent parts (an APA entry
walks its URL, edition, medium, archive macros...), so what it may print from is read
once per element from the style and, for an item without any of it, nothing renders.

Only subtrees whose rendering leaves nothing else behind qualify: no cs:substitute, no
variables a cite supplies (locator, citation number...), no ``disambiguate`` condition
(it counts the conditions a cite evaluates). Two effects depend on the cite and are
checked when it renders: a names element is skipped only once the entry's first one has
rendered (it drives subsequent-author-substitute), a term only once a cite has listed its
first term (a note that starts with it is capitalized).
"""
from __future__ import annotations

from typing import Any

from .completeness import ESSENTIAL
from .names import CSL_NS

_NS = "{" + CSL_NS + "}"
_ESSENTIAL = frozenset(ESSENTIAL)  # (the variables ``completeness`` reports missing)
# variables a cite or the engine supplies, not the reference: never known absent here
_CITE_VARIABLES = frozenset(
    "locator citation-number first-reference-note-number year-suffix citation-label".split()
)


class Plan:
    """What a qualifying group or macro may print from: the reference keys to look for."""

    __slots__ = ("keys", "essential", "names", "terms")

    def __init__(self, keys: tuple[str, ...], essential: frozenset[str], names: bool, terms: bool) -> None:
        self.keys = keys
        self.essential = essential  # the variables among them ``completeness`` reports
        self.names = names  # it holds a names element
        self.terms = terms  # it holds a term or a literal value


def plan_of(element: Any) -> Plan | None:
    """The plan of ``element`` (a group or macro), or None when it does not qualify:
    some branch it can take calls no variable, or it holds what is not known from the
    style alone."""
    found = _children(element, ())
    if found is None or not found.calls:  # (its own terms go when it is suppressed)
        return None
    keys: set[str] = set()
    for variable in found.variables:
        keys.update((variable, variable.replace("-", "_")))
    return Plan(tuple(sorted(keys)), found.variables & _ESSENTIAL, found.names, found.terms)


def cannot_print(plan: Plan, item: Any) -> bool:
    """None of the variables is set on the item (as a key: an empty value still renders)
    and what its names and terms would leave behind is not needed."""
    if plan.names and not dict.get(item, "_names_seen", True):
        return False
    if plan.terms and dict.get(item, "_terms") == []:
        return False  # (a cite's first term decides whether a note is capitalized)
    reference = item.reference
    for key in plan.keys:
        if key in reference:
            return False
    return True


class _Found:
    """For an item without any of the variables below: whether rendering always calls a
    variable, whether it may print text all the same (a term), and what it holds."""

    __slots__ = ("calls", "prints", "variables", "names", "terms")

    def __init__(self, calls: bool, prints: bool, variables: frozenset[str], names: bool, terms: bool) -> None:
        self.calls, self.prints, self.variables, self.names, self.terms = calls, prints, variables, names, terms


def _combined(parts: list[_Found], calls: bool) -> _Found:
    """What ``parts`` hold together; whether they always call is the caller's rule."""
    return _Found(
        calls, any(p.prints for p in parts), frozenset().union(*(p.variables for p in parts)),
        any(p.names for p in parts), any(p.terms for p in parts),
    )


def _children(element: Any, macros: tuple[str, ...]) -> _Found | None:
    """What ``element``'s children do together (one that always calls is enough), or None
    when one of them is not known from the style alone. Found once per element (macros are
    called from many places)."""
    known = element.__dict__.get("_emptiness_children", False)
    if known is not False:
        return known
    parts = []
    for child in element.iterchildren():
        if isinstance(child.tag, str):  # (not a comment)
            parts.append(_node(child, macros))
    result = None if None in parts else _combined(parts, any(p.calls for p in parts))  # type: ignore[union-attr]
    element.__dict__["_emptiness_children"] = result
    return result


def _enclosed(found: _Found | None) -> _Found | None:
    """A group or macro inside: suppressed when it always calls (its terms go with it);
    one that may print terms and call nothing counts as printed, which its parent cannot
    be told from the style alone."""
    if found is None or (found.prints and not found.calls):
        return None
    return _Found(found.calls, False, found.variables, found.names, found.terms)


def _leaf(variables: tuple[str, ...], *, calls: bool = True, names: bool = False) -> _Found:
    return _Found(calls, False, frozenset(variables), names, False)


def _node(element: Any, macros: tuple[str, ...]) -> _Found | None:
    tag = element.tag
    if tag == _NS + "choose":
        branches = [c for c in element.iterchildren() if isinstance(c.tag, str)]
        if any(b.get("disambiguate") is not None for b in branches):
            return None
        parts = [_children(branch, macros) for branch in branches]
        if None in parts:
            return None
        # it always calls when every branch does and one is always taken (an else)
        every = bool(branches) and branches[-1].tag == _NS + "else" and all(p.calls for p in parts)  # type: ignore[union-attr]
        return _combined(parts, every)  # type: ignore[arg-type]
    if tag == _NS + "group":
        return _enclosed(_children(element, macros))
    if tag == _NS + "text":
        if "macro" in element.attrib:
            name = element.get("macro")
            if name in macros:
                return None  # (a macro calling itself: left to the renderer)
            try:
                macro = element.get_macro(name)
            except KeyError:
                return None  # (an undefined macro: the renderer reports it)
            return _enclosed(_children(macro, macros + (name,)))
        variable = element.get("variable")
        if variable is None:  # a term or a value: printed, but it does not keep the group
            return _Found(False, True, frozenset(), False, True)
        if variable in _CITE_VARIABLES:
            return None
        return _leaf(_forms(variable, element.get("form") == "short"))
    if tag in (_NS + "number", _NS + "date"):
        variable = element.get("variable")
        if not variable or variable in _CITE_VARIABLES:
            return None
        return _leaf(_forms(variable, False))
    if tag == _NS + "names":
        if element.find(_NS + "substitute") is not None or not element.get("variable"):
            return None
        return _leaf(tuple(v for role in element.get("variable").split() for v in _forms(role, False)), names=True)
    if tag == _NS + "label":  # prints its term only when its variable is set; calls nothing
        variable = element.get("variable")
        if not variable or variable in _CITE_VARIABLES:
            return None
        return _leaf(_forms(variable, False), calls=False)
    return None


def _forms(variable: str, short: bool) -> tuple[str, ...]:
    """The variable and what is read in its place."""
    forms = [variable]
    if short:
        forms.append(variable + "-short")
    if variable.startswith("page"):
        forms.append("page")  # (page-first is read from page)
    return tuple(forms)
