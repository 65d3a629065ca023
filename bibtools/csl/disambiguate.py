"""Disambiguation of cites, for the whole document (every registered item).

CSL 1.0.2, done the way citeproc-js does it. Items whose cites read alike (each
rendered in the subsequent position, alone, without locator) form a group; each
group is worked on in steps:

1. names and given names (``disambiguate-add-names``; ``disambiguate-add-givenname``
   with the ``by-cite`` rule): one step at a time, the given name of the current
   name is made fuller (initials, then the full form), then one more name is
   shown, and so on. A step is kept only when it lowers the number of cites that
   still read like the group's first one; cites that come clear are settled with
   what has been kept so far, the others go on from there. The other rules
   (``all-names``, ``primary-name`` and their ``-with-initials`` forms) are not
   steps: a family name that stands for different people anywhere in the
   document is shown with initials or given names everywhere (``name_floors``);
   ``by-cite`` applies that rule within each item, where the style's form shows
   given names.
2. ``disambiguate="true"`` conditions, one more at a time, for the cites still alike;
3. year-suffixes (a, b, ... in bibliography order), for the cites still alike.

What each item gets is kept in ``registry.disambiguation[key]``: ``names``
(nameset -> names shown), ``givens`` ((nameset, name) -> level: 1 initials, 2 full
given name), ``floor`` ((variable, index) -> levels of the document-wide rules)
and ``condition`` (how many conditions hold). ``names.py`` reads it when rendering; bibliography entries get
the names count and given names too, as citeproc-js carries them over.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from citeproc import NAMES
from citeproc import model as cp

from . import shapes
from .citation import plain
from .cptypes import CitationItem
from .elements import JUST_LOOKING
from .names import initialize_given
from .numbered import reads_citation_number

CSL_NS = "http://purl.org/net/xbiblio/csl"
FULL = 2  # given-name level: 0 as the style says, 1 initials, 2 the full given name


class CiteRegistry(Protocol):
    """What disambiguation reads and writes on the engine's registry (``engine._Registry``)."""

    @property
    def keys(self) -> Sequence[str]: ...

    @property
    def items(self) -> Sequence[CitationItem]: ...

    @property
    def disambiguation(self) -> dict[str, dict[str, Any]]: ...


@dataclass(frozen=True)
class Options:
    add_names: bool
    add_givenname: bool
    add_year_suffix: bool
    conditions: int  # disambiguate="true" conditions in the style
    rule: str  # givenname-disambiguation-rule

    @property
    def uses_condition(self) -> bool:
        return self.conditions > 0

    @property
    def givens_by_cite(self) -> bool:
        return self.add_givenname and self.rule == "by-cite"


@dataclass
class Config:
    """How one cite is rendered: names shown per nameset, given-name level per (nameset, name)."""

    names: dict[int, int] = field(default_factory=dict)
    givens: dict[tuple[int, int], int] = field(default_factory=dict)

    def copy(self) -> Config:
        return Config(dict(self.names), dict(self.givens))


def _suffix(number: int) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    out = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        out = letters[rest] + out
    return out


def _options(root: cp.Style) -> Options | None:
    section = root.citation
    if section is None:
        return None
    return Options(
        add_names=section.get("disambiguate-add-names") == "true",
        add_givenname=section.get("disambiguate-add-givenname") == "true",
        add_year_suffix=section.get("disambiguate-add-year-suffix") == "true",
        conditions=len(root.xpath(".//cs:if[@disambiguate] | .//cs:else-if[@disambiguate]", namespaces={"cs": CSL_NS})),
        rule=section.get("givenname-disambiguation-rule", "by-cite"),
    )


# -- the document-wide given-name rules ---------------------------------------------

def _bare(text: Any) -> str:
    return " ".join(str(text or "").replace(".", " ").split())


def name_floors(
    items: Sequence[CitationItem], rendered: Mapping[str, Sequence[str]], rule: str, demote_never: bool
) -> dict[str, dict[tuple[str, int], tuple[int, int]]]:
    """all-names / primary-name (and -with-initials): the given-name level of each
    name, from the names the cites of every item show (``rendered``: key -> name
    variables its cite renders): a family name worn by people with different
    initials gets initials (or the full given name where the style has no initials),
    one worn by people with the same initials but different given names the full
    given name. Per item, (variable, index) -> (level with initialize-with, without)."""
    primary = rule.startswith("primary-name")
    places: list[tuple[str, str, int, str, str]] = []
    people: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for item in items:
        for variable in dict.fromkeys(rendered.get(item.key, ())):
            for index, name in enumerate(item.reference.get(variable.replace("-", "_")) or []):
                if primary and index > 0:
                    break
                if "literal" in name or not (name.get("family") or name.get("given")):
                    continue
                family = _bare(name.get("family"))
                if demote_never and name.get("non-dropping-particle") and name.get("family"):
                    family = f"{family} {name.get('non-dropping-particle')}"
                given = _bare(name.get("given"))
                tail = re.search(r"[,!]* ([^,]+)$", given)
                if tail and tail.group(1) == tail.group(1).lower():  # "John, jr." -> "John"
                    given = given[: tail.start()]
                initials = initialize_given(given, ".", True, True)
                people[family][initials].add(given)
                places.append((item.key, variable, index, family, initials))
    floors: dict[str, dict[tuple[str, int], tuple[int, int]]] = defaultdict(dict)
    for key, variable, index, family, initials in places:
        distinct_initials = len(people[family]) > 1
        distinct_givens = len(people[family][initials]) > 1
        if rule.endswith("-with-initials"):
            level = 1 if distinct_initials else 0
            levels = (level, level)
        elif distinct_givens:
            levels = (FULL, FULL)
        elif distinct_initials:
            levels = (1, FULL)
        else:
            continue
        floors[key][(variable, index)] = levels
    return floors


# -- rendering cites the way disambiguation compares them ------------------------------

class _Cites:
    def __init__(self, layout: Any, state: dict[str, dict[str, Any]]) -> None:
        self.layout = layout
        self.state = state
        self.namesets: dict[str, list[dict[str, Any]]] = {}  # key -> what its cite's names elements rendered
        self.conditions = 0  # the most disambiguate="true" conditions one cite evaluated
        # key -> (names, givens, condition, floors) -> text, names shown (per key: forget is one pop)
        self.memo: dict[str, dict[tuple[Any, ...], tuple[str, dict[int, int]]]] = defaultdict(dict)
        self.shown: dict[int, int] = {}  # nameset -> names the last cite rendered showed

    def text(self, item: CitationItem, config: Config, condition: int = 0, floors: bool = True) -> str:
        entry = self.state[item.key]
        floors = floors and bool(entry["floor"])  # (without floors set, with and without read alike)
        memo = (tuple(sorted(config.names.items())), tuple(sorted(config.givens.items())), condition, floors)
        known = self.memo[item.key].get(memo)
        if known is not None:
            self.shown = known[1]
            return known[0]
        item["_shown_counts"] = {}
        settled = entry["names"], entry["givens"], entry["condition"]  # (what is registered: put back after)
        entry["names"], entry["givens"], entry["condition"] = config.names, config.givens, condition
        saved_floor = entry["floor"]
        if not floors:
            entry["floor"] = {}
        item["position"] = "subsequent"  # ambiguity is judged on the subsequent form (citeproc-js)
        item["near_note"] = True
        item[JUST_LOOKING] = True
        record = item.key not in self.namesets
        if record:
            item["_record"] = []
        try:
            text = self.layout._render_cite(item)
        except cp.VariableError:
            text = None
        finally:
            dict.pop(item, JUST_LOOKING, None)
            entry["floor"] = saved_floor
            entry["names"], entry["givens"], entry["condition"] = settled
            if record:
                self.namesets[item.key] = dict.pop(item, "_record")
        self.conditions = max(self.conditions, dict.get(item, "_conditions_seen", 0))
        self.shown = dict.pop(item, "_shown_counts", {})
        out = plain(text).strip()
        self.memo[item.key][memo] = (out, self.shown)
        return out

    def forget(self, key: str) -> None:
        """The item's given-name floors changed: its cites are rendered anew, except
        those rendered without floors (the floors are what changed)."""
        known = self.memo.get(key)
        if known:
            self.memo[key] = {memo: value for memo, value in known.items() if not memo[3]}

    def registered(self, item: CitationItem) -> str:
        entry = self.state[item.key]
        return self.text(item, Config(entry["names"], entry["givens"]), entry["condition"])

    def register(self, item: CitationItem, config: Config) -> None:
        entry = self.state[item.key]
        entry["names"], entry["givens"] = dict(config.names), dict(config.givens)


def _alike(items: Sequence[CitationItem], render: Any, keep_empty: bool = False) -> list[list[CitationItem]]:
    by_text: dict[str, list[CitationItem]] = defaultdict(list)
    for item in items:
        by_text[render(item)].append(item)
    return [group for text, group in by_text.items() if len(group) > 1 and (text or keep_empty)]


# -- step 1: names and given names -------------------------------------------------

class _NameSteps:
    """The names / given-names steps for one group of cites that read alike."""

    def __init__(self, cites: _Cites, group: list[CitationItem], options: Options, ids: Mapping[str, str], last_step: bool) -> None:
        self.cites, self.options, self.last_step = cites, options, last_step
        records = cites.namesets

        def order(item: CitationItem) -> tuple[str, str]:
            # citeproc-js puts the cite with the fewest names first, comparing the
            # name counts as text ("10" before "3"), then by id
            return ",".join(str(r["total"]) for r in records[item.key]), ids.get(item.key, item.key)

        self.items = sorted(group, key=order)
        self.first = records[self.items[0].key]
        self.names_max = self.first[0]["total"] if self.first else 0
        self.namesets_max = len(records[group[-1].key]) - 1
        self.totals: dict[int, int] = defaultdict(int)
        base = Config()
        for item in group:
            for pos, record in enumerate(records[item.key]):
                self.totals[pos] = max(self.totals[pos], record["total"])
                base.names[pos] = max(base.names.get(pos, 0), record["shown"])
        self.base, self.better = base, base.copy()
        self.recheck_first = False
        self.nameset = self.name = 0

    def _level(self, pos: int, index: int) -> int | None:
        """The given-name level of a name the cites show (None: no such name)."""
        if index >= min(self.base.names.get(pos, 0), self.totals.get(pos, 0)):
            return None
        record = self.first[pos] if pos < len(self.first) else None
        if record is None or index >= len(record["given"]) or not record["given"][index]:
            return FULL  # no given name to add (institutions, mononyms)
        return self.base.givens.get((pos, index), record["default"])

    def _step(self) -> bool:
        """One step forward; True once there is nothing left to add."""
        more_names = not self.options.givens_by_cite
        next_nameset = False
        if self.options.givens_by_cite:
            level = self._level(self.nameset, self.name)
            if level is not None and level < FULL:
                record = self.first[self.nameset]
                # initials are no step where the style has none: straight to the full name
                level = FULL if level + 1 == 1 and not record["initialize"] else level + 1
                self.base.givens[(self.nameset, self.name)] = level
            else:
                more_names = True
        if more_names:
            if self.options.add_names and self.name < self.names_max:
                self.base.names[self.nameset] = self.base.names.get(self.nameset, 1) + 1
                self.name += 1
            else:
                next_nameset = True
        if next_nameset and self.nameset < self.namesets_max:
            self.nameset += 1
            self.base.names[self.nameset] = 1
            self.name = 0
        return (
            (self.namesets_max == -1 or self.nameset == self.namesets_max)
            and (not self.options.add_names or self.name == self.names_max)
            and (not self.options.givens_by_cite or self._level(self.nameset, self.name) in (None, FULL))
        )

    def year_suffixes(self, lists: list[list[CitationItem]], order: Mapping[str, int]) -> None:
        """The year-suffix step on the lists the names steps left (citeproc-js): a list
        whose first cite still reads like another gets suffixes on all its cites, in
        bibliography order, with what the names steps kept; the other lists keep what
        they had."""
        for current in lists:
            head = self._text(current[0])
            if not any(self._text(item) == head for item in current[1:]):
                continue
            for number, item in enumerate(sorted(current, key=lambda i: order.get(i.key, 0))):
                self.cites.register(item, self.better)
                item.reference["year_suffix"] = _suffix(number)
                shapes.forget(item.reference)

    def _text(self, item: CitationItem) -> str:
        text = self.cites.text(item, self.base)
        # as in citeproc-js, a cite rendered leaves the names it showed in the shared
        # configuration (a cite with fewer names than asked for lowers the count)
        for pos, count in self.cites.shown.items():
            if pos in self.base.names:
                self.base.names[pos] = count
        return text

    def _keep(self) -> None:
        """The step just taken helped: the settled configuration takes it."""
        key = (self.nameset, self.name)
        if self.options.givens_by_cite and key in self.base.givens:
            self.better.givens[key] = self.base.givens[key]
        if self.nameset in self.base.names:
            self.better.names[self.nameset] = self.base.names[self.nameset]

    def run(self) -> list[list[CitationItem]]:
        """Settle what can be; the lists of cites left for the next steps."""
        lists = [self.items]
        fresh = True  # the first round renders the group as it is
        register = self.cites.register
        while lists:
            self.nameset = self.name = 0
            clashes = (1, 0)
            while lists[0]:
                if fresh:
                    fresh, done = False, False
                else:
                    done = self._step()
                current = lists[0]
                head = self._text(current[0])
                partners = [current[0]]
                others = []
                for item in current[1:]:
                    (partners if self._text(item) == head else others).append(item)
                clashes = (clashes[1], len(partners) - 1)
                if clashes[1] == 0 and len(others) == 1:
                    self._keep()
                    register(others[0], self.better)
                    register(partners[0], self.better)
                    lists[0] = []
                elif clashes[1] == 0:
                    self._keep()
                    register(partners[0], self.better)
                    lists[0] = others
                    fresh = bool(others)
                elif len(others) == 1:
                    self._keep()
                    register(others[0], self.better)
                    lists[0] = partners
                elif clashes[1] < clashes[0]:
                    self._keep()
                    lists[0] = partners
                    lists.append(others)
                elif done:
                    lists[0] = others
                    lists.append(partners)
                    if self.last_step:  # nothing else can tell them apart
                        for item in partners:
                            register(item, self.better)
                        lists[0] = []
                if done:
                    if not self.last_step:
                        # the lists left go on to the next steps, which settle what was kept
                        # (a list that just came clear is checked again before a next step applies)
                        self.recheck_first = fresh and bool(lists[0])
                        return [remaining for remaining in lists if remaining]
                    # (as citeproc-js: the list after the current one is dropped)
                    if len(lists) > 1:
                        lists[1] = []
                    else:
                        lists.append([])
            lists.pop(0)
        return []


def _name_steps(
    cites: _Cites, items: Sequence[CitationItem], options: Options, ids: Mapping[str, str], last_step: bool
) -> list[tuple[_NameSteps, list[list[CitationItem]]]]:
    """Run the names steps on every group; what each leaves for the next steps."""
    # citeproc-js forms the groups from the cites as each item is registered, before
    # the document-wide given-name rules have seen every name: the groups are formed
    # without them, and the steps that follow render with them
    left = []
    for group in _alike(items, lambda item: cites.text(item, Config(), floors=False)):
        steps = _NameSteps(cites, group, options, ids, last_step)
        lists = steps.run()
        if lists:
            left.append((steps, lists))
    return left


# -- the whole ---------------------------------------------------------------------

def disambiguate(root: cp.Style, registry: CiteRegistry) -> None:
    options = _options(root)
    if options is None:
        return
    registry.disambiguation_options = {  # type: ignore[attr-defined]
        "add_names": options.add_names,
        "add_givenname": options.add_givenname,
    }
    if not (options.add_names or options.add_givenname or options.add_year_suffix or options.uses_condition):
        return
    state = registry.disambiguation
    items = list(registry.items)
    for item in items:
        state[item.key] = {"names": {}, "givens": {}, "floor": {}, "condition": 0}
    cites = _Cites(root.citation.layout, state)
    # the name variables each bibliography sort key rendered: (default given-name level, initials)
    sorted_as = {item.key: dict.pop(item, "_seen_names", None) or {} for item in items}
    demote_never = root.get("demote-non-dropping-particle") == "never"
    floors: dict[str, dict[tuple[str, int], tuple[int, int]]] = {}
    if options.add_givenname and options.rule != "by-cite":
        # citeproc-js counts the names it renders as it registers the items: their
        # cites and the bibliography's sort keys
        rendered: dict[str, list[str]] = {}
        for item in items:
            cites.text(item, Config())
            rendered[item.key] = [record["variable"] for record in cites.namesets[item.key]]
            rendered[item.key] += sorted(sorted_as[item.key])
        floors = name_floors(items, rendered, options.rule, demote_never)
    elif options.givens_by_cite:
        # by-cite keeps the all-names rule within each item: people of one family in
        # one item are told apart wherever the style's form would show their given
        # names (a long form), unless the cite's own steps asked for more
        for item in items:
            variables = {item.key: [v.replace("_", "-") for v in NAMES if item.reference.get(v)]}
            floors.update(name_floors([item], variables, "all-names", demote_never))
            if item.key in floors:
                state[item.key]["floor_below_default"] = True
    for key, floor in floors.items():
        state[key]["floor"] = floor
        cites.forget(key)
        for (variable, _index), levels in floor.items():
            default, initials = sorted_as[key].get(variable, (FULL, False))
            if (levels[0] if initials else levels[1]) > default:
                registry.resort = True  # type: ignore[attr-defined]  (a sort key now reads otherwise)
    resort = getattr(registry, "sort_again", None)
    if getattr(registry, "resort", False) and resort is not None:
        resort(list(floors))  # (before the year-suffixes, which follow the bibliography's order)
        if reads_citation_number(root.citation):
            cites.memo.clear()  # (a cite that prints its number reads the order)
        items = list(registry.items)
    ids: Mapping[str, str] = getattr(registry, "ids", {})
    left: list[tuple[_NameSteps, list[list[CitationItem]]]] | None = None
    try:
        if options.add_names or options.givens_by_cite:
            last_step = not (options.uses_condition or options.add_year_suffix)
            left = _name_steps(cites, items, options, ids, last_step)
        if options.uses_condition:
            # one more disambiguate="true" condition turned on at a time, for the cites still alike
            if left is not None:
                # after the names steps: every cite of the lists they left, with what they kept (citeproc-js)
                alike = []
                for steps, lists in left:
                    for number, current in enumerate(lists):
                        for item in current:
                            cites.register(item, steps.better)
                        if number == 0 and steps.recheck_first and len(current) <= 2:
                            texts = {cites.registered(item) for item in current}
                            if len(texts) == len(current):
                                continue  # already told apart: no condition
                        alike.append(list(current))
            else:
                alike = _alike(items, cites.registered)
            level = 0
            while alike and level < cites.conditions:
                level += 1
                for item in (item for group in alike for item in group):
                    state[item.key]["condition"] = level
                alike = [group for groups in (_alike(group, cites.registered) for group in alike) for group in groups]
        if options.add_year_suffix:
            order = {key: n for n, key in enumerate(registry.keys)}
            if left is not None and not options.uses_condition:
                for steps, lists in left:
                    steps.year_suffixes(lists, order)
                return
            # cites that print nothing read alike too: citeproc-js gives them year-suffixes,
            # which their bibliography entries show ("Accessed 25 June 2020a")
            for group in _alike(items, cites.registered, keep_empty=True):
                for number, item in enumerate(sorted(group, key=lambda i: order.get(i.key, 0))):
                    item.reference["year_suffix"] = _suffix(number)
                    shapes.forget(item.reference)
    finally:
        for item in items:
            for key in ("position", "near_note", "_names", "_names_seen", "_nameset", "_record", "_conditions_seen"):
                dict.pop(item, key, None)
