"""Rendering one name variable (``cs:name``) the CSL 1.0.2 way.

Replaces citeproc-py's ``Name.process``: ``initialize="false"``, hyphenated and
particle names, CJK names (family then given, no space), name-as-sort-order with
particle demotion, suffixes, et-al and et-al-use-last, the delimiters before
"and" and "et al.", and the hooks disambiguation uses (more names, fuller given names).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from citeproc import model as cp
from citeproc.string import String, join

from .cptypes import CitationItem
from .initials import initialize_given, initialize_marked
from .items import BlankName
from .particles import JOINERS as PARTICLE_JOINERS

CSL_NS = "http://purl.org/net/xbiblio/csl"
_INHERITED_DEFAULTS = {
    "and": None,
    "delimiter-precedes-et-al": "contextual",
    "delimiter-precedes-last": "contextual",
    "et-al-min": None,
    "et-al-use-first": None,
    "et-al-subsequent-min": None,
    "et-al-subsequent-use-first": None,
    "et-al-use-last": "false",
    "initialize": "true",
    "initialize-with": None,
    "initialize-with-hyphen": "true",
    "name-as-sort-order": None,
    "sort-separator": ", ",
    "form": "long",
    "delimiter": ", ",
}


@lru_cache(maxsize=1 << 16)
def is_romanesque(text: str) -> bool:
    """Latin, Greek, Cyrillic, Hebrew, Arabic... : names written with spaces and initials."""
    for ch in text:
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            if name.startswith(("CJK", "HIRAGANA", "KATAKANA", "HANGUL")):
                return False
    return True


_SPACED_SCRIPTS = ("LATIN", "GREEK", "CYRILLIC", "HEBREW", "ARABIC", "THAI")
_TAG = re.compile(r"<[^>]*>")


def spaced_term(term: Any) -> bool:
    """Whether an "and" or "et al." term is set off by spaces: it is when it starts with a
    letter of a script written with spaces (or "&"); "等" and "と" are not, nor is the Hebrew
    vav, which is written onto the next word (citeproc-js)."""
    text = _TAG.sub("", str(term)).lstrip()
    if not text:
        return True
    first = text[0]
    if first == "&" or first in "\u200c\u200d\u200e" or "\u202a" <= first <= "\u202e":
        return True
    if first == "\u05d5":  # HEBREW LETTER VAV
        return False
    return first.isalpha() and unicodedata.name(first, "").startswith(_SPACED_SCRIPTS)


def section_of(element: cp.CitationStylesElement) -> cp.CitationStylesElement | None:
    """The cs:citation or cs:bibliography an element renders for (None in a macro)."""
    cached = element.__dict__.get("_section", False)
    if cached is not False:
        return cached
    node = element
    while node is not None and node.tag not in (f"{{{CSL_NS}}}citation", f"{{{CSL_NS}}}bibliography"):
        node = node.getparent()
    element.__dict__["_section"] = node
    return node


_NAME_PARTS = ("family", "given", "non-dropping-particle", "dropping-particle", "suffix")
def _glued(particle: Any) -> bool:
    """A particle ending in an apostrophe, a hyphen or a space joins the next part with no space."""
    return str(particle)[-1:] in PARTICLE_JOINERS or str(particle)[-1:] == " "


def _decorated(part: Any, text: Any) -> Any:
    """A name-part's formatting and text-case, without its affixes (they go round the
    whole group the part leads: citeproc-js formats each particle on its own)."""
    if part is None or not text:
        return text
    return part.format(part.case(text))


def _affixed(part: Any, text: Any) -> Any:
    if part is None or not text:
        return text
    return part.wrap(text)


def _spaced(parts: list[Any]) -> Any:
    """The non-empty parts joined by spaces."""
    present = [p for p in parts if p]
    return join(present, " ") if present else None


def _particle_then(particle: Any, text: Any, raw: Any) -> Any:
    """A (formatted) particle before ``text``: no space after a glued one ("al-One",
    "d’Aubignac"), as the ``raw`` particle tells."""
    if not particle or not text:
        return particle or text
    return particle + ("" if _glued(raw) else " ") + text


class Name(cp.Name):
    def render(self, *args: Any, **kwargs: Any) -> Any:
        text = self.process(*args, **kwargs)
        if isinstance(text, int):
            return text
        return self.markup(text)

    def option(self, name: str, context: Any, sort_options: Any) -> Any:
        if sort_options and name in sort_options:
            return sort_options[name]
        section = section_of(context if context is not None else self)
        # (the style's attributes do not change: each option is looked up once per section)
        known = self.__dict__.setdefault("_options", {})
        key = (name, section.tag if section is not None else None)
        if key not in known:
            known[key] = self._inherited_option(name, section)
        return known[key]

    def _inherited_option(self, name: str, section: Any) -> Any:
        value = self.get(name)
        if value is not None:
            return value
        inherit = "name-" + name if name in ("form", "delimiter") else name
        for holder in (section, self.get_root()):
            if holder is not None and holder.get(inherit) is not None:
                return holder.get(inherit)
        return _INHERITED_DEFAULTS.get(name)

    def et_al_term(self) -> Any:
        sibling = self.getnext()
        while sibling is not None and not isinstance(sibling, cp.Et_Al):
            sibling = sibling.getnext()
        if sibling is not None:
            return sibling.render()
        return self.get_single_term(name="et-al")

    def _name_parts(self, given: Any, family: Any) -> tuple[Any, Any]:
        for part in self.findall(f"{{{CSL_NS}}}name-part"):
            given, family = part.format_part(given, family)
        return given, family

    def _part(self, which: str) -> Any:
        """The cs:name-part for "given" or "family" (looked up once per element)."""
        key = "_part_" + which
        if key not in self.__dict__:
            self.__dict__[key] = self.find(f"{{{CSL_NS}}}name-part[@name='{which}']")
        return self.__dict__[key]

    def format_one(self, name: Any, inverted: bool, form: str, opts: dict[str, Any], expand: int = 0) -> Any:
        """One name. ``expand`` (disambiguation): 1 = initials even in short form, 2 = full given.
        The family name-part formats the family name and the non-dropping particle, the given
        one the given name and the dropping particle, each on its own; their affixes go round
        the group each leads (as in citeproc-js)."""
        given, family, dp, ndp, suffix = name.parts()
        family_part, given_part = self._part("family"), self._part("given")
        if "literal" in name:  # an institution takes the family name's formatting (citeproc-js)
            return _decorated(family_part, family)
        if not family:
            return given or ""  # a mononym given as "given" only ("Banksy")
        romanesque = is_romanesque(str(family) + str(given or ""))
        if form == "short" and expand == 0:
            if not romanesque:
                return self._name_parts(None, family)[1]
            return _affixed(family_part, _particle_then(_decorated(family_part, ndp), _decorated(family_part, family), ndp))
        if given and opts["initialize-with"] is not None and romanesque and expand < 2:
            given = initialize_marked(given, opts["initialize-with"], opts["initialize"] != "false", opts["initialize-with-hyphen"] == "true")
        if form == "short":  # expanded by disambiguation: initials or full given name
            inverted = False
        if not romanesque:
            given_text, family_text = self._name_parts(given, family)
            return join([p for p in (family_text, given_text) if p], "")
        raw_ndp, raw_dp = ndp, dp
        fam, ndp = _decorated(family_part, family), _decorated(family_part, ndp)
        giv, dp = _decorated(given_part, given), _decorated(given_part, dp)
        if inverted:
            if opts["demote"] == "display-and-sort":
                first = _affixed(family_part, fam)
                second = _affixed(given_part, _spaced([_spaced([giv, dp]), ndp]))
            else:
                first = _affixed(family_part, _particle_then(ndp, fam, raw_ndp))
                second = _affixed(given_part, _spaced([giv, dp]))
            return join([p for p in (first, second, suffix) if p], opts["sort-separator"])
        if dp and not ndp and str(raw_dp)[-1:] in PARTICLE_JOINERS:
            fam, dp = dp + fam, None  # "d’Aubignac": the particle's apostrophe joins it to the name
        family_group = _spaced([dp, _particle_then(ndp, fam, raw_ndp)])
        if suffix:
            family_group = join([family_group, suffix], ", " if name.get("comma-suffix") else " ")
        return _spaced([_affixed(given_part, giv), _affixed(family_part, family_group)])

    def process(self, item: CitationItem, variable: str, context: cp.CitationStylesElement | None = None, sort_options: Any = None, **kwargs: Any) -> Any:
        def opt(name: str) -> Any:
            return self.option(name, context, sort_options)

        opts = {k: opt(k) for k in ("initialize", "initialize-with", "initialize-with-hyphen", "sort-separator")}
        opts["demote"] = (sort_options or {}).get("demote-non-dropping-particle") or self.get_root().get(
            "demote-non-dropping-particle", "display-and-sort"
        )
        form = opt("form")
        names = list(item.reference.get(variable.replace("-", "_"), []))
        if not names:
            return None
        seen = dict.get(item, "_seen_names")
        if seen is not None:  # (the bibliography's sort keys: disambiguation counts their names too)
            initials = opt("initialize-with") is not None
            seen[variable] = (0 if opt("form") == "short" else 1 if initials else 2, initials)
        et_al_min, et_al_first = opt("et-al-min"), opt("et-al-use-first")
        section = section_of(context if context is not None else self)
        in_citation = section is not None and section.tag == f"{{{CSL_NS}}}citation" and sort_options is None
        config = _disambiguation_config(item, in_citation, sort_options is not None)
        subsequent = in_citation and dict.get(item, "position", "first") != "first"
        if subsequent and opt("et-al-subsequent-min") is not None:
            et_al_min = opt("et-al-subsequent-min")
            et_al_first = opt("et-al-subsequent-use-first") or et_al_first
        # et al. needs both attributes (a style's et-al-min alone truncates nothing, as in citeproc-js)
        et_al_min = int(et_al_min) if et_al_min not in (None, "") and et_al_first not in (None, "") else 0
        et_al_first = int(et_al_first) if et_al_first not in (None, "") else 1
        nameset = -1
        if sort_options is None:  # namesets are numbered in rendering order, as disambiguation counts them
            nameset = dict.get(item, "_nameset", 0)
            item["_nameset"] = nameset + 1
        count = et_al_first
        wanted = config.get("names", {}).get(nameset) if config else None
        if wanted is not None and wanted > et_al_first:  # names added by disambiguation
            count = wanted
        truncated = bool(et_al_min) and len(names) >= et_al_min and len(names) > count
        shown = names[:count] if truncated else names
        slots = len(shown)  # what et al. and disambiguation count: blank names hold a place
        places = [i for i, n in enumerate(shown) if not isinstance(n, BlankName)]
        if len(places) < slots:
            shown = [shown[i] for i in places]
        default_level = 0 if form == "short" else 1 if opts["initialize-with"] is not None else 2
        counts = dict.get(item, "_shown_counts")
        if counts is not None and nameset >= 0:
            counts[nameset] = slots
        record = dict.get(item, "_record")
        if record is not None and nameset >= 0:
            record.append({
                "variable": variable,
                "total": len(names),
                "shown": slots,
                "default": default_level,
                "initialize": opts["initialize-with"] is not None,
                "given": [bool(n.get("given")) and "literal" not in n for n in names],
            })
        shown_data = dict.get(item, "_name_data")
        if shown_data is not None and not in_citation and sort_options is None:
            # subsequent-author-substitute compares the names shown, not their rendering (citeproc-js)
            # (a literal name counts as the family name it stands for)
            shown_data.extend(
                "\x1f".join(str(n.get("literal") or n.get("family") or "") if part == "family" else str(n.get(part) or "") for part in _NAME_PARTS)
                for n in shown
            )
        if form == "count":
            return len(shown)
        if not shown:
            return None  # et-al-use-first="0": no names, so no "et al." either
        use_last = truncated and opt("et-al-use-last") == "true" and len(names) - len(shown) >= 2
        sort_order = opt("name-as-sort-order")
        givens = config.get("givens", {}) if config else {}
        floors = config.get("floor", {}) if config else {}
        below_default = bool(config.get("floor_below_default")) if config else False
        rendered = []
        for position, name in enumerate(shown):
            index = places[position]  # the name's place in the list (disambiguation counts by it)
            inverted = sort_order == "all" or (sort_order == "first" and position == 0)
            floor = floors.get((variable, index))
            level = givens.get((nameset, index), 0)
            if floor is not None and (not below_default or level < default_level):
                # the given-name rules over the document (or, by-cite, the item): (level with initials, without)
                level = max(level, floor[0] if opts["initialize-with"] is not None else floor[1])
            rendered.append(self.format_one(name, inverted and form != "short", form, opts, level))
        delimiter = opt("delimiter")
        and_mode = opt("and")
        and_term = None
        if and_mode == "text":
            and_term = self.get_single_term(name="and")
        elif and_mode == "symbol":
            and_term = self.preformat("&")

        def precedes(option: str, count: int) -> bool:
            mode = opt(option)
            before_index = count - 1 if option == "delimiter-precedes-et-al" else count - 2
            # (as citeproc-js marks them: a literal name counts as inverted only in first place)
            inverted = form != "short" and (
                (sort_order in ("all", "first") and before_index == 0)
                or (sort_order == "all" and "literal" not in shown[before_index])
            )
            if option == "delimiter-precedes-last" and "literal" in shown[count - 1]:
                # citeproc-js joins a last literal (institutional) name by count alone, with a
                # delimiter after an inverted personal name too ("Goodman, Bryce, & Seth Flaxman")
                if count >= 3:
                    return True
                return mode == "after-inverted-name" and inverted and "literal" not in shown[before_index]
            if mode == "always":
                return True
            if mode == "never":
                return False
            if mode == "after-inverted-name":
                return inverted
            return count >= 2 if option == "delimiter-precedes-et-al" else count >= 3

        if use_last:
            ellipsis = self.unicode_character("horizontal ellipsis")
            last = self.format_one(names[-1], sort_order == "all" and form != "short", form, opts)
            return join(rendered, delimiter) + delimiter + ellipsis + " " + last
        if truncated:
            et_al = None if opt("sort-key") else self.et_al_term()  # (sort keys leave "et al." out)
            if not et_al:
                return join(rendered, delimiter)
            glue = delimiter if precedes("delimiter-precedes-et-al", len(rendered)) else " "
            if glue == " " and not spaced_term(et_al):
                glue = ""  # "Zither等" (a delimiter other than a space stays: "Yoda, 等")
            return join(rendered, delimiter) + glue + et_al
        if and_term is not None and len(rendered) > 1:
            head = join(rendered[:-1], delimiter)
            glue = delimiter if precedes("delimiter-precedes-last", len(rendered)) else " "
            if not spaced_term(and_term):  # written onto the names ("תפוחו תפוז"), as citeproc-js,
                # which keeps a delimiter before it only for two names and "always"
                always = opt("delimiter-precedes-last") == "always" and len(rendered) == 2
                return head + (delimiter if always else "") + and_term + rendered[-1]
            return head + glue + and_term + " " + rendered[-1]
        return join(rendered, delimiter)


def _disambiguation_config(item: CitationItem, in_citation: bool, sorting: bool) -> dict[str, Any]:
    """What disambiguation settled for this item (names shown, given-name levels by
    (nameset, index), global floors by (variable, index)). Citations use all of it;
    bibliography entries what citeproc-js carries over, and only where the style adds
    given names: those given names, and the names added if it adds names too."""
    try:
        registry = item.bibliography
        config = registry.disambiguation.get(item.key)
    except Exception:
        return {}
    if not config or in_citation:
        return config or {}
    if sorting:  # sort keys show the given names the document-wide rules ask for, as citeproc-js's do
        return {"floor": config.get("floor", {}), "floor_below_default": config.get("floor_below_default")}
    options = getattr(registry, "disambiguation_options", {})
    if not options.get("add_givenname"):
        return {}
    return {
        "names": config.get("names", {}) if options.get("add_names") else {},
        "givens": config.get("givens", {}),
        "floor": config.get("floor", {}),
        "floor_below_default": config.get("floor_below_default"),
    }
