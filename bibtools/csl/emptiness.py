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
rendered (it drives subsequent-author-substitute), a term only once a cite has listed its first term
(a note that starts with it is capitalized).
"""
from __future__ import annotations

from typing import Any

from .names import CSL_NS

_NS = "{" + CSL_NS + "}"
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


def plan_of(element: Any, essential: frozenset[str]) -> Plan | None:
    """The plan of ``element`` (a group or macro), or None when it does not qualify:
    some branch it can take calls no variable, or it holds what is not known from the
    style alone."""
    found = _Found()
    try:
        calls, _ = _children(element, found, set())  # (its own terms go when it is suppressed)
        if not calls:
            return None
    except _Unsuitable:
        return None
    keys: set[str] = set()
    for variable in found.variables:
        keys.update((variable, variable.replace("-", "_")))
    return Plan(tuple(sorted(keys)), frozenset(found.variables & essential), found.names, found.terms)


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
    __slots__ = ("variables", "names", "terms")

    def __init__(self) -> None:
        self.variables: set[str] = set()
        self.names = self.terms = False


class _Unsuitable(Exception):
    """The subtree holds something whose rendering is not known from the style alone."""


def _children(element: Any, found: _Found, macros: set[str]) -> tuple[bool, bool]:
    """For an item without any of the subtree's variables: whether rendering ``element``'s
    children always calls a variable, and whether they may print text all the same (a
    term). Every child is looked at: one unsuitable leaf disqualifies the subtree."""
    calls = prints = False
    for child in element.iterchildren():
        if isinstance(child.tag, str):  # (not a comment)
            child_calls, child_prints = _leaf_or_branch(child, found, macros)
            calls, prints = calls or child_calls, prints or child_prints
    return calls, prints


def _enclosed(element: Any, found: _Found, macros: set[str]) -> tuple[bool, bool]:
    """A group or macro inside: suppressed when it always calls (its terms go with it);
    one that may print terms and call nothing counts as printed, which its parent cannot
    be told from the style alone."""
    calls, prints = _children(element, found, macros)
    if calls:
        return True, False
    if prints:
        raise _Unsuitable
    return False, False


def _leaf_or_branch(element: Any, found: _Found, macros: set[str]) -> tuple[bool, bool]:
    tag = element.tag
    if tag == _NS + "choose":
        branches = [c for c in element.iterchildren() if isinstance(c.tag, str)]
        every, prints = bool(branches) and branches[-1].tag == _NS + "else", False
        for branch in branches:
            if branch.get("disambiguate") is not None:
                raise _Unsuitable
            branch_calls, branch_prints = _children(branch, found, macros)
            every, prints = every and branch_calls, prints or branch_prints
        return every, prints
    if tag == _NS + "group":
        return _enclosed(element, found, macros)
    if tag == _NS + "text":
        if "macro" in element.attrib:
            name = element.get("macro")
            if name in macros:
                raise _Unsuitable  # (a macro calling itself: left to the renderer)
            try:
                macro = element.get_macro(name)
            except KeyError:
                raise _Unsuitable from None  # (an undefined macro: the renderer reports it)
            return _enclosed(macro, found, macros | {name})
        variable = element.get("variable")
        if variable is None:  # a term or a value: printed, but it does not keep the group
            found.terms = True
            return False, True
        if variable in _CITE_VARIABLES:
            raise _Unsuitable
        _add(found.variables, variable, element.get("form") == "short")
        return True, False
    if tag in (_NS + "number", _NS + "date"):
        variable = element.get("variable")
        if not variable or variable in _CITE_VARIABLES:
            raise _Unsuitable
        _add(found.variables, variable, False)
        return True, False
    if tag == _NS + "names":
        if element.find(_NS + "substitute") is not None or not element.get("variable"):
            raise _Unsuitable
        for variable in element.get("variable").split():
            _add(found.variables, variable, False)
        found.names = True
        return True, False
    if tag == _NS + "label":  # prints its term only when its variable is set; calls nothing
        variable = element.get("variable")
        if not variable or variable in _CITE_VARIABLES:
            raise _Unsuitable
        _add(found.variables, variable, False)
        return False, False
    raise _Unsuitable


def _add(variables: set[str], variable: str, short: bool) -> None:
    variables.add(variable)
    if short:
        variables.add(variable + "-short")
    if variable.startswith("page"):
        variables.add("page")  # (page-first is read from page)
