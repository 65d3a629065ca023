"""Disambiguation of cites, for the whole document (every registered item).

Cites that render identically (in first position, alone) are told apart in the
CSL order: (1) more names, (2) fuller given names, (3) ``disambiguate="true"``
conditions, (4) year-suffixes (a, b, ... in bibliography order). What each item
needs is kept in ``registry.disambiguation[key]``; the name and condition
elements read it while rendering citations.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any, Protocol

from citeproc import NAMES
from citeproc import model as cp

from .citation import plain
from .cptypes import CitationItem


class CiteRegistry(Protocol):
    """What disambiguation reads and writes on the engine's registry (``engine._Registry``)."""

    @property
    def keys(self) -> Sequence[str]: ...

    @property
    def items(self) -> Sequence[CitationItem]: ...

    @property
    def disambiguation(self) -> dict[str, dict[str, Any]]: ...


CSL_NS = "http://purl.org/net/xbiblio/csl"


def _suffix(number: int) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    out = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        out = letters[rest] + out
    return out


def _groups(items: list[Any], texts: dict[int, str]) -> list[list[Any]]:
    """Items whose cites render alike (``texts``: ``id(item)`` -> its rendering)."""
    by_text: dict[str, list[Any]] = defaultdict(list)
    for item in items:
        by_text[texts[id(item)]].append(item)
    return [group for text, group in by_text.items() if len(group) > 1 and text]


def _rerender(groups: list[list[Any]], texts: dict[int, str], render: Any) -> None:
    """Only the items of ``groups`` had their state changed: only they render anew."""
    for group in groups:
        for item in group:
            texts[id(item)] = render(item)


def _expand_ambiguous_names(items: list[Any], state: dict[str, dict[str, Any]], levels: tuple[int, ...], primary: bool) -> None:
    """all-names / primary-name rules: a family name shared by different people is
    shown with initials (or the full given name) wherever it appears."""
    givens: dict[str, set[str]] = defaultdict(set)
    places: dict[str, list[tuple[Any, int, str]]] = defaultdict(list)
    for item in items:
        for variable in NAMES:
            for index, name in enumerate(item.reference.get(variable) or []):
                if primary and index > 0:
                    break
                if "literal" in name or not name.get("family"):
                    continue
                family = " ".join(str(p) for p in (name.get("non-dropping-particle"), name.get("family")) if p)
                given = "".join(str(name.get("given") or "").replace(".", " ").split())
                givens[family].add(given)
                places[family].append((item, index, given))
    for family, seen in givens.items():
        if len(seen) < 2:
            continue
        initials = {"".join(ch for ch in g if ch.isupper()) for g in seen}
        level = 1 if len(initials) == len(seen) or len(levels) == 1 else levels[-1]
        for item, index, _given in places[family]:
            expand = state[item.key].setdefault("expand", {})
            expand[index] = max(level, expand.get(index, 0))


def disambiguate(root: cp.Style, registry: CiteRegistry) -> None:
    section = root.citation
    if section is None:
        return
    add_names = section.get("disambiguate-add-names") == "true"
    add_given = section.get("disambiguate-add-givenname") == "true"
    add_suffix = section.get("disambiguate-add-year-suffix") == "true"
    rule = section.get("givenname-disambiguation-rule", "by-cite")
    uses_condition = bool(root.xpath(".//cs:if[@disambiguate] | .//cs:else-if[@disambiguate]", namespaces={"cs": CSL_NS}))
    if not (add_names or add_given or add_suffix or uses_condition):
        return
    layout = section.layout
    state: dict[str, dict[str, Any]] = registry.disambiguation
    items = list(registry.items)
    for item in items:
        state[item.key] = {}

    def render(item: CitationItem) -> str:
        item["position"] = "first"
        try:
            text = layout._render_cite(item)
        except cp.VariableError:
            text = None
        return plain(text).strip().casefold()

    def count(group: list[Any]) -> int:
        return len({render(item) for item in group})

    most_names = 0
    for item in items:
        for variable in NAMES:
            most_names = max(most_names, len(item.reference.get(variable) or []))

    levels = (1,) if rule.endswith("with-initials") else (1, 2)
    indices = range(1) if rule.startswith("primary-name") else range(most_names)
    if add_given and rule != "by-cite":
        _expand_ambiguous_names(items, state, levels, rule.startswith("primary-name"))

    texts = {id(item): render(item) for item in items}
    ambiguous = _groups(items, texts)
    for group in ambiguous:
        distinct = count(group)
        # names past the longest list in the group change nothing: one long author list
        # elsewhere in the document must not make every group try hundreds of renders
        longest = max((len(item.reference.get(variable) or []) for item in group for variable in NAMES), default=0)
        group_indices = range(min(len(indices), longest))
        if add_names and distinct < len(group):
            best = 0
            saved = {item.key: dict(state[item.key].get("expand", {})) for item in group}
            for extra in range(1, longest + 1):
                for item in group:
                    state[item.key]["add_names"] = extra
                    if add_given:  # names that differ only by given name count as different
                        state[item.key]["expand"] = {i: levels[-1] for i in group_indices}
                now = count(group)
                if now > distinct:
                    best, distinct = extra, now
                if distinct == len(group):
                    break
            for item in group:
                state[item.key]["expand"] = saved[item.key]
                if best:
                    state[item.key]["add_names"] = best
                else:
                    state[item.key].pop("add_names", None)
            distinct = count(group)
        if add_given and distinct < len(group):
            for index in group_indices:
                for level in levels:
                    before = {item.key: dict(state[item.key].get("expand", {})) for item in group}
                    for item in group:
                        state[item.key].setdefault("expand", {})[index] = max(level, before[item.key].get(index, 0))
                    now = count(group)
                    if now > distinct:
                        distinct = now
                        break
                    for item in group:
                        state[item.key]["expand"] = before[item.key]
                if distinct == len(group):
                    break
    _rerender(ambiguous, texts, render)
    remaining = _groups(items, texts)
    if uses_condition:
        for group in remaining:
            for item in group:
                state[item.key]["condition"] = True
        _rerender(remaining, texts, render)
        remaining = _groups(items, texts)
    if add_suffix:
        order = {key: n for n, key in enumerate(registry.keys)}
        for group in remaining:
            for number, item in enumerate(sorted(group, key=lambda i: order.get(i.key, 0))):
                item.reference["year_suffix"] = _suffix(number)
    for item in items:
        for key in ("position", "_names", "_names_seen"):
            dict.pop(item, key, None)
