"""bibtools' subclasses of citeproc-py's CSL element classes.

Each class here replaces the citeproc-py class for its CSL element (see
``OVERRIDES``); the style loader binds them to the parsed XML.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from citeproc import model as cp
from lxml import etree
from citeproc.string import String, join

from . import attempts, citation, completeness, dates, emptiness, labels, leadterm, names, numeric, ordinals, pages, richtext, shapes, sorting, suppress, terms, textcase
from . import cptypes
from .cptypes import CitationItem, DateRange
from .finish import GT, LT, MERGE, QUOTE_CLOSE, QUOTE_OPEN
from .seams import install as _install_seams, normalize_seam

_install_seams()


_DIV_CLOSE = "</div>"
_DISPLAY_DIV = re.compile(r'<div class="csl-(?:block|left-margin|right-inline|indent)">')
_LEADING_IN_DIV = re.compile(r'(<div class="csl-(?:block|left-margin|right-inline|indent)">)([ \u00a0.,;:!?])')


class Displayed:
    """``display`` (block, left-margin, right-inline, indent) as citeproc-js's HTML divs."""

    def wrap(self, string: Any) -> Any:
        text = super().wrap(string)  # type: ignore[misc]
        display = self.__dict__.get("_display", False)  # type: ignore[attr-defined]
        if display is False:
            display = self.__dict__["_display"] = self.get("display")  # type: ignore[attr-defined]
        if display and text is not None and text != "" and self.get_formatter().name == "html":  # type: ignore[attr-defined]
            return String(f'<div class="csl-{display}">{text}</div>')
        return text


_PUNCTUATION = ".,;:!?"
# variables citeproc-js renders as numbers when they hold one (then nothing merges after them)
_NUMBER_VARIABLES = frozenset(
    """volume issue number edition chapter-number collection-number number-of-pages
    number-of-volumes citation-number""".split()
)
_PLAIN_NUMBER = re.compile(r"^\d+$")
_DECORATIONS = ("font-style", "font-weight", "font-variant", "text-decoration", "vertical-align")


class MergingSuffix:
    """Where punctuation merges by citeproc-js's table ("Why?" and "." give "Why?"): at an
    element's suffix, at a sibling's prefix and at a group's delimiter, unless what comes
    before is a decorated variable ("<i>Why?</i>." stays) or ends in a number ("9:."). Such
    junctions are marked for finishing (``finish.MERGE``); the rendered text carries
    ``ends_unmerged`` / ``ends_in_number`` for the group that joins it."""

    def wrap(self, string: Any) -> Any:
        if string is None:
            return None
        prefix, suffix = self.get("prefix", ""), self.get("suffix", "")  # type: ignore[attr-defined]
        if prefix:
            string = normalize_seam(prefix, string)
            if prefix[0] in _PUNCTUATION and self._prefix_merges_once():
                prefix = MERGE + prefix
        # what ends in a number (a volume "9") never merges with what follows ("9:." stays)
        in_number = getattr(string, "ends_in_number", False) or self._is_number(string)
        merges = not in_number and self._suffix_merges_once()
        if prefix or suffix:  # (most elements have neither: nothing to join)
            text = prefix + string
            tail = normalize_seam(text, suffix)
            if str(tail)[:1] and str(tail)[0] in _PUNCTUATION and merges:
                tail = MERGE + tail
            out = text + tail
        else:
            out = string
        unmerged = not merges and not (suffix and suffix[-1] in _PUNCTUATION)
        if unmerged or in_number:
            if type(out) is str:
                out = String(out)
            try:  # (read by a group's delimiter and suffix, see MergingDelimiter)
                out.ends_unmerged = unmerged or in_number
                out.ends_in_number = in_number
            except AttributeError:
                pass
        return out

    # (both read the style only, which does not change: answered once per element)
    def _suffix_merges_once(self) -> bool:
        known = self.__dict__.get("_suffix_merging")  # type: ignore[attr-defined]
        if known is None:
            known = self.__dict__["_suffix_merging"] = self._suffix_merges()  # type: ignore[attr-defined]
        return known

    def _prefix_merges_once(self) -> bool:
        known = self.__dict__.get("_prefix_merging")  # type: ignore[attr-defined]
        if known is None:
            known = self.__dict__["_prefix_merging"] = self._prefix_merges()  # type: ignore[attr-defined]
        return known

    def _is_number(self, string: Any) -> bool:
        variable = self.get("variable")  # type: ignore[attr-defined]
        return variable in _NUMBER_VARIABLES and _PLAIN_NUMBER.match(str(string)) is not None

    def _suffix_merges(self) -> bool:
        """Whether this element's end merges with the punctuation after it: yes for what
        holds others and for literal values; for a variable, term or number only when it
        carries no decoration ("<i>Why?</i>." stays, as does "“colon”: colon")."""
        if self.get("quotes") == "true":  # type: ignore[attr-defined]
            return False  # its own quotes: the rules at a closing quote apply
        if not isinstance(self, (cp.Text, cp.Number, cp.Label)) or "macro" in self.attrib or "value" in self.attrib:  # type: ignore[attr-defined]
            return True
        return not any(self.get(name) is not None for name in (*_DECORATIONS, "quotes"))  # type: ignore[attr-defined]


    def _prefix_merges(self) -> bool:
        """citeproc-js moves the prefix's mark to the end of the sibling before: it merges
        with that sibling's suffix, or as that sibling's suffix would (not after a plain
        variable: "Deep?. X")."""
        if any(self.get(name) not in (None, "normal", "none", "baseline") for name in _DECORATIONS):  # type: ignore[attr-defined]
            return False
        node: Any = self
        while True:
            parent = node.getparent()
            if parent is None or parent.get("delimiter"):
                return parent is None
            before = node.getprevious()
            while before is not None and not isinstance(before, cp.CitationStylesElement):
                before = before.getprevious()  # (comments)
            if before is not None:
                if before.get("suffix", "")[-1:] in tuple(_PUNCTUATION):
                    return True  # it merges with that sibling's suffix ("“Why:” and "?" give "“Why?”")
                return not isinstance(before, MergingSuffix) or before._suffix_merges()
            if not isinstance(parent, MergingSuffix):
                return True  # first in a macro or a choose branch: where it lands is not known here
            node = parent


class MergingDelimiter:
    """A group's delimiter merges like a prefix after each child (see ``MergingSuffix``),
    unless that child is a decorated variable ("Deep?" and ". " give "Deep? ", but
    "<i>Deep?</i>. ")."""

    def join(self, strings: Any, default_delimiter: str = "") -> Any:
        delimiter = self.get("delimiter", default_delimiter)  # type: ignore[attr-defined]
        pieces = [s for s in strings if s is not None]
        if not pieces:
            return String("")
        if not (delimiter[:1] and delimiter[0] in _PUNCTUATION):
            return _ending_like(join(pieces, delimiter), pieces[-1])
        out = pieces[0]
        for before, piece in zip(pieces, pieces[1:]):
            glue = delimiter if getattr(before, "ends_unmerged", False) else MERGE + delimiter
            out = out + normalize_seam(out, glue)
            out = out + normalize_seam(out, piece)
        return _ending_like(out, pieces[-1])


def _ending_like(out: Any, last: Any) -> Any:
    """``out`` (which ends with ``last``) keeps the mark of ending in a number."""
    if getattr(last, "ends_in_number", False):
        if type(out) is str:
            out = String(out)
        try:
            out.ends_in_number = out.ends_unmerged = True
        except AttributeError:
            pass
    return out


class Decorated:
    """Explicit "normal" decorations switch off an inherited one (HTML only):
    marked here, resolved by ``finish.flip_flop`` where the decoration is active."""

    def font_style(self, text: Any) -> Any:
        style = self.get("font-style")  # type: ignore[attr-defined]
        if style == "normal" and self.get_formatter().name == "html":  # type: ignore[attr-defined]
            return String(f'<span class="nodecor-i">{text}</span>')
        if style == "italic" and not names.is_romanesque(str(text)) and not _LATIN.search(str(text)):
            return text  # CJK text is not set in italics (as citeproc-js does)
        return super().font_style(text)  # type: ignore[misc]

    def font_weight(self, text: Any) -> Any:
        if self.get("font-weight") == "normal" and self.get_formatter().name == "html":  # type: ignore[attr-defined]
            return String(f'<span class="nodecor-b">{text}</span>')
        return super().font_weight(text)  # type: ignore[misc]

    def font_variant(self, text: Any) -> Any:
        if self.get("font-variant") == "normal" and self.get_formatter().name == "html":  # type: ignore[attr-defined]
            return String(f'<span class="nodecor-sc">{text}</span>')
        return super().font_variant(text)  # type: ignore[misc]

    def vertical_align(self, text: Any) -> Any:
        if self.get("vertical-align") == "baseline" and self.get_formatter().name == "html":  # type: ignore[attr-defined]
            return String(f'<span style="baseline">{text}</span>')  # what citeproc-js writes
        return super().vertical_align(text)  # type: ignore[misc]


_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


# The variables citeproc-js reads as multilingual fields (its current list, which the CSL
# test suite follows): on them text-case="title" follows the item's language (its first two
# letters, "en" or not; garbage is not English), or the style's locale when the item has
# none. Elsewhere (a term, a date part, note) it applies whatever the language.
_LANGUAGE_CASED = frozenset(
    """archive archive_collection archive_location archive-place authority collection-title
    container-title country division edition event event-place event-title genre jurisdiction
    medium original-publisher original-publisher-place original-title part-title publisher
    publisher-place reviewed-genre reviewed-title section source title title-short
    volume-title""".split()
)
_LANGUAGE_TAG = re.compile(r"^([A-Za-z]{2})")


class Cased:
    """``text-case`` that respects nocase spans and markup; title case for English only."""

    def case(self, text: Any, language: str | None = None) -> Any:
        text_case = self.get("text-case")
        if not text_case or self.get("macro") is not None:
            # (citeproc-js 2.4.63 drops text-case on a macro call: <text macro="m" text-case="title"/>)
            return text
        if language is None or language == "":
            language = self.get_root().__dict__.get("locale_name", "en")
        match = _LANGUAGE_TAG.match(str(language))
        language = match.group(1).lower() if match else "tlh"  # (citeproc-js: garbage is Klingon)
        english = language == "en" or self.get("variable") not in _LANGUAGE_CASED
        return textcase.apply(text, text_case, english=english, turkic=language in ("tr", "az"))


_LXML_SET = etree.ElementBase.set
_LXML_ATTRIB = etree.ElementBase.attrib


class Cached:
    """Mixin for every element: macros from a dict, ``calls_variable`` computed once.

    citeproc-py answers both with an XPath query per call, which dominated its run time.
    """

    def get_macro(self, name: str) -> cptypes.Macro:
        macros = self.get_root().__dict__.get("macros")
        if macros is None:
            return super().get_macro(name)  # type: ignore[misc]
        return macros[name]

    def get_term(self, name: str, form: str | None = None, fallback_locale: bool = True, zero_padded: bool = False) -> cptypes.Term | None:
        return terms.with_form_fallback(super().get_term, name, form, fallback_locale, zero_padded)  # type: ignore[misc]

    def calls_variable(self) -> bool:
        # (attribute lookups fall back to child elements in citeproc-py: use the dict)
        cached = self.__dict__.get("_calls_variable")
        if cached is None:
            cached = self.__dict__["_calls_variable"] = super().calls_variable()  # type: ignore[misc]
        return cached

    # The tree's shape never changes after ``prepare_style`` and every proxy is kept
    # alive, so what citeproc-py found by walking or querying the tree on each call
    # (the root, the enclosing layout, a locale's date) is found once per element.

    # lxml reads an attribute in C but through a proxy, ten times a dict's cost, and
    # rendering reads attributes constantly: a fixed element's are copied once
    def get(self, key: str, default: Any = None) -> Any:
        attributes = self.__dict__.get("_attributes")
        if attributes is None:
            attributes = self.attrib  # (makes the copy; lxml's mapping where attributes change)
            if self._fixed_attributes:
                # later reads call the copy's own get: no Python call between (``set`` undoes it)
                self.__dict__["get"] = attributes.get
        return attributes.get(key, default)

    @property
    def attrib(self) -> Any:
        """The copy (or, on an element whose attributes change, lxml's own mapping)."""
        attributes = self.__dict__.get("_attributes")
        if attributes is None:
            if not self._fixed_attributes:
                return _LXML_ATTRIB.__get__(self)
            attributes = self.__dict__["_attributes"] = dict(_LXML_ATTRIB.__get__(self))
        return attributes

    def set(self, key: str, value: str) -> None:
        _LXML_SET(self, key, value)
        self.__dict__.pop("_attributes", None)
        self.__dict__.pop("get", None)

    def xpath_search(self, expression: str) -> Any:
        # (citeproc-py's queries are all relative to the element: their answer is fixed too)
        found = self.__dict__.get("_xpath")
        if found is None:
            found = self.__dict__["_xpath"] = {}
        result = found.get(expression)
        if result is None:
            result = found[expression] = super().xpath_search(expression)  # type: ignore[misc]
        return result

    def __getattr__(self, name: str) -> Any:
        # citeproc-py reads a child element as an attribute (``names.substitute``) with a
        # query per read; the child found (or None) is kept as a real attribute
        if name.startswith("__"):
            raise AttributeError(name)
        child = super().__getattr__(name)  # type: ignore[misc]
        self.__dict__[name] = child
        return child

    def get_root(self) -> Any:
        root = self.__dict__.get("_root")
        if root is None:
            root = self.__dict__["_root"] = super().get_root()  # type: ignore[misc]
        return root

    def get_formatter(self) -> Any:
        root = self.get_root()
        return root.style.formatter if isinstance(root, cp.Locale) else root.formatter

    def get_layout(self) -> Any:
        layout = self.__dict__.get("_layout")
        if layout is None:
            layout = self.__dict__["_layout"] = super().get_layout()  # type: ignore[misc]
        return layout

    def get_date(self, form: str) -> Any:
        found = self.__dict__.setdefault("_dates", {})
        date = found.get(form)
        if date is None:
            date = found[form] = super().get_date(form)  # type: ignore[misc]
        return date

    def child_elements(self) -> tuple[tuple[Any, bool], ...]:
        """The element's children, each with whether it is a cs:choose (which takes the
        enclosing delimiter)."""
        kids = self.__dict__.get("_kids")
        if kids is None:
            kids = self.__dict__["_kids"] = tuple((c, isinstance(c, cp.Choose)) for c in self.iterchildren())  # type: ignore[attr-defined]
        return kids

    def render_children(self, item: CitationItem, delimiter: str = "", **kwargs: Any) -> Any:
        """citeproc-py's ``Parent.render_children`` over the children found once."""
        output = []
        for child, choose in self.__dict__.get("_kids") or self.child_elements():
            try:
                text = child.render(item, delimiter=delimiter, **kwargs) if choose else child.render(item, **kwargs)
            except cp.VariableError:
                continue
            if text is not None:
                output.append(text)
        return join(output, delimiter) if output else None

    # attributes are fixed too, except on a locale's date-part (a style copies its own onto it)
    _fixed_attributes = True

    def format(self, string: Any) -> Any:
        """No decoration attribute (most elements): nothing to apply."""
        plain = self.__dict__.get("_undecorated") if self._fixed_attributes else None
        if plain is None:
            attrib = self.attrib  # type: ignore[attr-defined]
            plain = not any(name in attrib for name in _DECORATIONS)
            if self._fixed_attributes:
                self.__dict__["_undecorated"] = plain
        if plain:
            return str(string) if isinstance(string, (int, float)) else string
        return super().format(string)  # type: ignore[misc]


class CallsVariable:
    """Elements that call a variable tell the enclosing group whether it printed
    (``attempts``); what their own substitutes called does not count separately."""

    nests = False  # renders other elements that call variables (cs:names' substitute)

    def calls_own_variable(self) -> bool:
        return True

    def render(self, item: CitationItem, *args: Any, **kwargs: Any) -> Any:
        own = self.__dict__.get("_calls_own_variable")  # type: ignore[attr-defined]
        if own is None:
            own = self.__dict__["_calls_own_variable"] = self.calls_own_variable()  # type: ignore[attr-defined]
        if not own:
            return super().render(item, *args, **kwargs)  # type: ignore[misc]
        start = attempts.begin(item) if self.nests else -1
        text = None
        try:
            text = super().render(item, *args, **kwargs)  # type: ignore[misc]
        finally:
            if start >= 0:
                attempts.end(item, start)
            printed = attempts.printed(text)
            attempts.note(item, printed)
            if printed:
                leadterm.printed(item)
            else:
                completeness.note_called(item, self.get("variable"))
        return text


class Term(Cached, cp.Term):
    """A term's text, found and preformatted once per output format (locales are shared)."""

    def _text(self, form: str) -> Any:
        formatter = self.get_formatter()
        found = self.__dict__.setdefault("_texts", {})
        text = found.get((form, formatter))
        if text is None:
            child = self.find(f"{{{CSL_NS}}}{form}")
            text = found[(form, formatter)] = formatter.preformat((child.text if child is not None else self.text) or "")
        return String(text)

    @property
    def single(self) -> Any:
        return self._text("single")

    @property
    def multiple(self) -> Any:
        return self._text("multiple")


class Style(Cached, cp.Style):
    """The style root; ``style.set_locales`` gives it its locales."""


class Locale(Cached, cp.Locale):
    def get_term(self, name: str, form: str | None = None, zero_padded: bool = False) -> cptypes.Term:
        """Terms from a dict built once (citeproc-py ran an XPath query per lookup)."""
        index = self.__dict__.get("_terms")
        if index is None:
            index = {}
            terms = self.find(f"{{{CSL_NS}}}terms")
            for term in terms.iterchildren() if terms is not None else ():
                index.setdefault((term.get("name"), term.get("form")), []).append(term)
            self.__dict__["_terms"] = index
        for term in index.get((name, form), ()):
            if zero_padded and term.get("match") in ("whole-number", "last-two-digits"):
                continue
            return term
        raise IndexError(name)


# attributes whose value a style prints as it is (affixes and delimiters)
_TEXT_ATTRIBUTES = (
    "prefix", "suffix", "delimiter", "after-collapse-delimiter", "cite-group-delimiter",
    "year-suffix-delimiter", "sort-separator", "range-delimiter",
)


def prepare_style(root: Style) -> None:
    """Normalise the parsed style so the element classes can rely on its shape.

    All element proxies are kept alive (``root.keepalive``), so per-element
    caches set as Python attributes survive; macros are looked up in a dict.
    """
    for names_element in root.iter(f"{{{CSL_NS}}}names"):
        in_substitute = any(a.tag == f"{{{CSL_NS}}}substitute" for a in names_element.iterancestors())
        if names_element.find(f"{{{CSL_NS}}}name") is None and not in_substitute:
            # an explicit cs:name, so the bibtools name rendering is used (citeproc-py
            # would insert its own default element)
            names_element.insert(0, names_element.makeelement(f"{{{CSL_NS}}}name", {}))
    for term in root.iter(f"{{{CSL_NS}}}term"):
        if term.text is not None and not term.text.strip() and len(term) == 0:
            term.text = ""  # a term left blank on several lines is empty (citeproc-js trims it)
    root.keepalive = list(root.iter())
    for element in root.keepalive:
        for attribute in _TEXT_ATTRIBUTES:
            value = element.get(attribute)
            if value and ("<" in value or ">" in value):
                # angle brackets a style's affixes print are text: escaped when finishing HTML
                element.set(attribute, value.replace("<", LT).replace(">", GT))
    root.macros = {m.get("name"): m for m in root.findall(f"{{{CSL_NS}}}macro")}



CSL_NS = "http://purl.org/net/xbiblio/csl"
# set on an item while disambiguation renders its cite to compare it with others
JUST_LOOKING = "_just_looking"
# the subsequent-author-substitute string waiting for the names a cs:substitute prints
_SUBSTITUTE_PENDING = "_substitute_pending"


class Date(CallsVariable, Decorated, Displayed, MergingSuffix, Cached, cp.Date):
    def is_locale_date(self) -> bool:
        cached = self.__dict__.get("_is_locale_date")
        if cached is None:
            cached = self.__dict__["_is_locale_date"] = super().is_locale_date()
        return cached

    def process(self, item: CitationItem, variable: Any = None, show_parts: Any = None, context: cp.CitationStylesElement | None = None, **kwargs: Any) -> Any:
        name = variable if variable is not None else self.get("variable")
        found = (kwargs.get("sort_options") or {}).get(sorting.DATE_KEYS)
        if found is not None:  # a macro sort key: the date's parts, not its text
            return sorting.collect_date(self, item, name, found)
        if name == "accessed" and dict.get(item, JUST_LOOKING):
            return None  # citeproc-js leaves the accessed date out of the cites it compares
        where = context if context is not None else self
        if not self.is_locale_date():
            if suppress.is_suppressed(where, name):
                return None
            suppress.record(where, name)
        suffix = None
        for_sort = kwargs.get("sort_options") is not None
        if (
            # citeproc-js: the first year printed, of whichever date ("Accessed 25 June 2020a"
            # for an undated page), takes the implicit year-suffix
            name is not None
            and item.reference.get(name) is not None
            and not for_sort
            and not self.is_locale_date()
            and not _renders_year_suffix(self.get_root())
            and not dict.get(item, "_year_suffix_done")
        ):
            suffix = item.reference.get("year_suffix")
            if suffix:
                item["_year_suffix_done"] = True  # only the first year rendered gets it
        date = item.reference.get(name) if suffix else None
        target = dict.get(date, "begin", date) if date is not None else None
        end = dict.get(date, "end") if date is not None else None
        if end is not None and target is not None and dict.get(end, "year") not in (None, dict.get(target, "year")):
            target = end  # a range of years takes the suffix after its last year ("2014–2015a"), as citeproc-js
        if target is not None:
            dict.__setitem__(target, "_year_suffix", suffix)
        try:
            return super().process(item, variable=variable, show_parts=show_parts, context=context, **kwargs)
        finally:
            if target is not None:
                dict.pop(target, "_year_suffix", None)


    def render_date_range(self, date_range: DateRange, show_parts: Sequence[str] | None = None, context: cp.CitationStylesElement | None = None) -> Any:
        marked = dates.mark_range_eras(date_range)
        try:
            return self._render_date_range(date_range, show_parts, context)
        finally:
            if marked:
                dates.unmark_range_eras(date_range)

    def _render_date_range(self, date_range: DateRange, show_parts: Sequence[str] | None, context: cp.CitationStylesElement | None) -> Any:
        # "2000" for spring-winter 2000 printed as a year: only the parts this date prints count
        if dates.same_where_shown(date_range, dates.parts_shown(self, show_parts)):
            return self.render_single_date(date_range.begin, show_parts, dates.range_context(self, context))
        text = dates.season_range(self, date_range, show_parts, dates.range_context(self, context))
        if text is not None:
            return text
        if show_parts is not None and not date_range.end.is_nil():
            shown = set(show_parts)
            if not self.is_locale_date():  # (a style's own date shows the parts it has)
                shown &= {part.get("name") for part in self.iterfind(f"{{{CSL_NS}}}date-part")}
            differing = [p for p in ("year", "month", "day") if dict.get(date_range.begin, p) != dict.get(date_range.end, p)]
            if differing and not shown & set(differing):
                # May-June 2014 shown as its year: one year, not nothing (citeproc-py printed nothing)
                return self.render_single_date(date_range.begin, list(show_parts), context)
        text = super().render_date_range(date_range, show_parts, dates.range_context(self, context))
        text = self._without_begin_suffix(date_range, show_parts, text)
        return dates.range_delimited(self, context, date_range, text)

    def _without_begin_suffix(self, date_range: DateRange, show_parts: Sequence[str] | None, text: Any) -> Any:
        """"January 1–December 31, 1800", not "January 1,–December 31, 1800": the start of a
        range drops the suffix of its last part, as citeproc-js does."""
        if not text or date_range.end.is_nil() or dates.EN_DASH not in str(text):
            return text
        begin, end = date_range.begin, date_range.end
        shared: set[str] = set()
        for name in ("year", "month", "day"):  # the parts both ends share are printed once
            if dict.get(begin, name) is None or dict.get(begin, name) != dict.get(end, name):
                break
            shared.add(name)
        if not shared:
            return text
        shown = set(show_parts or ("year", "month", "day"))
        own = [p for p in self.iterfind(f"{{{CSL_NS}}}date-part") if p.get("name") in shown - shared]
        suffix = (own[-1].get("suffix") or "").rstrip() if own else ""
        if not suffix or suffix + dates.EN_DASH not in str(text):
            return text
        return String(str(text).replace(suffix + dates.EN_DASH, dates.EN_DASH, 1))

    def render_single_date(self, date: cptypes.Date, show_parts: Sequence[str] | None = None, context: dates.DateContext = None) -> Any:
        # a localized date joins its parts with its own delimiter (citeproc-py used the caller's)
        parts = self.parts(date, show_parts, context) if context is not self else self.parts(date, show_parts)
        return self.join(parts) if parts else None


def _renders_year_suffix(root: cp.Style) -> bool:
    cached = root.__dict__.get("_renders_year_suffix")
    if cached is None:
        cached = root.__dict__["_renders_year_suffix"] = bool(
            root.xpath(".//cs:text[@variable='year-suffix']", namespaces={"cs": CSL_NS})
        )
    return cached


class Date_Part(Decorated, Cased, Cached, cp.Date_Part):
    _fixed_attributes = False  # (see ``render``)

    def render(self, date: Any, context: cp.CitationStylesElement | None = None) -> Any:
        # citeproc-py copies the calling style's date-part attributes onto this element
        # (a locale's, shared between engines); instead, while it renders, its attributes
        # are read from a copy holding them, merged once per calling context
        self.__dict__["_attributes"] = dict(self._merged_with(context))
        try:
            return super().render(date, context)
        finally:
            del self.__dict__["_attributes"]

    def _merged_with(self, context: Any) -> dict[str, str]:
        # (kept on the calling element: a locale outlives the styles that use it)
        known = (context if context is not None else self).__dict__.setdefault("_date_part_attributes", {})
        merged = known.get(self)
        if merged is None:
            merged = dict(_LXML_ATTRIB.__get__(self))
            if context is not None:
                overrides = context.xpath_search(f'./cs:date-part[@name="{merged.get("name")}"]')
                if overrides:
                    merged.update(_LXML_ATTRIB.__get__(overrides[0]))
            known[self] = merged
        return merged

    def process(self, date: Any, context: cp.CitationStylesElement | None = None) -> Any:
        text = super().process(date, context)
        if self.get("name") == "year" and self.get("form", "long") == "long" and text is not None:
            text = dates.long_year(context if context is not None else self, date)
        if self.get("name") == "day" and self.get("form") == "ordinal" and str(text) != str(dict.get(date, "day")):
            month = dict.get(date, "month")
            gender = ordinals.term_gender(self, f"month-{month:02}") if isinstance(month, int) else None
            text = ordinals.ordinal(dict.get(date, "day"), context if context is not None else self, gender)
        if self.get("name") == "year" and dict.get(date, "_year_suffix"):
            text = str(text) + dict.get(date, "_year_suffix")
        return text


class Substitute(Cached, cp.Substitute):
    """The first child that renders wins; the variables it used are not printed again."""

    def render(self, item: CitationItem, context: cp.CitationStylesElement | None = None, **kwargs: Any) -> Any:
        names_element = self.getparent()
        where = context if context is not None else self
        for child in self.iterchildren():
            if isinstance(child, cp.Text) and "term" in child.attrib:
                # a term ends the substitution even when the locale leaves it empty (citeproc-js)
                return child.render(item, context=context) or None
            recorder = suppress.start_recording(where)
            try:
                if isinstance(child, (cp.Names, cp.Choose)):
                    kwargs["names_context"] = names_element
                    text = child.render(item, context=context, **kwargs)
                else:
                    kwargs.pop("names_context", None)
                    text = child.render(item, context=context, **kwargs)
            except cp.VariableError:
                text = None
            finally:
                used = suppress.stop_recording(where, recorder)
            if text:
                suppress.suppress(where, used)
                return text
        return None


def _printed_children(element: Any, item: CitationItem, delimiter: str, keep_empty: bool, **kwargs: Any) -> list[Any] | None:
    """What a group's children print, or None when the group is suppressed: it called
    variables (on the branches taken) and none of them rendered (as citeproc-js does).
    Either way the enclosing group learns whether this one printed (``attempts``)."""
    known_here = element.__dict__.get("_printing")
    if known_here is None:  # (what the style fixes, found once: the emptiness plan, the children, the replays)
        known_here = element.__dict__["_printing"] = (_emptiness_plan(element), element.child_elements(), {})
    plan, kids, fails = known_here
    context = kwargs.get("context")
    sort_options = kwargs.get("sort_options")
    where = element if context is None else context
    recording = suppress.recording(where)
    if (
        plan is not None
        and emptiness.cannot_print(plan, item)
        and sort_options is None  # (a sort key collects dates as it goes)
        and not (plan.essential and completeness.active(item))  # (their absence is reported)
        and not recording
    ):
        attempts.note(item, False)  # called, nothing printed: what rendering it would say
        return None
    shape = shape_key(item)
    if shape is not None and dict.get(item, "_terms") is None:
        # known from the item's shape to print nothing: what rendering it would leave behind
        # (in a sort key, or while a cs:substitute records, groups are walked, not skipped)
        key = (shape, completeness.active(item), sort_options is not None or recording)
        known = fails.get(key, False)
        if known is False:
            known = _walk_fails(element, item, key[1], key[2])
            if len(fails) < shapes.MEMO_MOST:
                fails[key] = known
        if known is not None:
            outcome, called, dated = known
            for variable in called:
                completeness.note_called(item, variable)
            if dated and not (sort_options is not None and sorting.DATE_KEYS in sort_options):
                # (a cs:substitute notes the dates called: the suppression of what it prints;
                # a date sort key collects the dates instead, nothing for one the item lacks)
                for variable in dated:
                    suppress.record(where, variable)
            attempts.note(item, outcome)
            return None
    output = []
    start = attempts.begin(item)
    lead = leadterm.save(item)
    try:
        for child, choose in kids:
            try:
                if choose:
                    text = child.render(item, delimiter=delimiter, **kwargs)
                else:
                    text = child.render(item, **kwargs)
            except cp.VariableError:
                continue
            if text is not None and (keep_empty or text != ""):
                output.append(text)
    finally:
        outcome = attempts.end(item, start)
    if output and outcome is not False:
        attempts.note(item, True)  # printed, if only terms: the enclosing group counts it as printed
        return output
    attempts.note(item, outcome)
    leadterm.restore(item, lead)
    return None


def _emptiness_plan(element: Any) -> emptiness.Plan | None:
    """The group's or macro's emptiness plan, found once."""
    plan = element.__dict__.get("_emptiness", False)
    if plan is False:
        plan = element.__dict__["_emptiness"] = emptiness.plan_of(element)
    return plan


class Macro(Cached, cp.Macro):
    def render(self, item: CitationItem, context: cp.CitationStylesElement | None = None, sort_options: Any = None) -> Any:
        """A macro is an implicit group (see ``_printed_children``)."""
        output = _printed_children(self, item, "", False, context=context, sort_options=sort_options)
        return join(output) if output is not None else None


class Group(Decorated, Displayed, MergingSuffix, MergingDelimiter, Cached, cp.Group):
    def render(self, item: CitationItem, *args: Any, **kwargs: Any) -> Any:
        # a group with no attribute but its delimiter (most groups) has nothing to format or
        # wrap: what it joined is what it prints (the layers between would return it as it is)
        plain = self.__dict__.get("_plain")
        if plain is None:
            plain = self.__dict__["_plain"] = set(self.attrib) <= {"delimiter"}
        if args or not plain:
            return super().render(item, *args, **kwargs)
        text = self.process(item, **kwargs)
        return text if text else None

    def process(self, item: CitationItem, context: cp.CitationStylesElement | None = None, **kwargs: Any) -> Any:
        """Suppressed when the variables it called (on the branches taken) are all empty."""
        output = _printed_children(self, item, self.get("delimiter", ""), True, context=context, **kwargs)
        if output is None:
            raise cp.VariableError
        return self.join(output)


class Names(CallsVariable, Decorated, Displayed, MergingSuffix, Cached, cp.Names):
    nests = True

    def get_parent_delimiter(self, context: cp.CitationStylesElement | None = None) -> Any:
        section = names.section_of(context if context is not None else self)
        return section.get_option("names-delimiter") if section is not None else ""

    def substitute(self) -> Any:
        if "_substitute" not in self.__dict__:
            self.__dict__["_substitute"] = self.find(f"{{{CSL_NS}}}substitute")
        return self.__dict__["_substitute"]

    def process(self, item: CitationItem, names_context: Any = None, context: cp.CitationStylesElement | None = None, **kwargs: Any) -> Any:
        where = context if context is not None else self
        variables = [v for v in self.get("variable", "").split() if not suppress.is_suppressed(where, v)]
        if not variables:
            raise cp.VariableError
        if names_context is not None and self.name is not None:
            names_context = self  # its own cs:name wins over the one it substitutes for
        original = self.get("variable")
        if len(variables) == len(original.split()):
            return self._process_names(item, names_context, context, where, **kwargs)
        self.set("variable", " ".join(variables))  # (what citeproc-py's rendering reads)
        try:
            return self._process_names(item, names_context, context, where, **kwargs)
        finally:
            self.set("variable", original)

    def _process_names(self, item: CitationItem, names_context: Any, context: Any, where: Any, **kwargs: Any) -> Any:
        in_citation = _in_citation(where)
        first = not dict.get(item, "_names_seen", True) and kwargs.get("sort_options") is None
        if first:
            item["_names_seen"] = True
            if in_citation and dict.get(item, "suppress_names"):
                return None
            if not in_citation and dict.get(item, "substitute_names") is not None:
                item["_names"] = None
                return self._substituted(item, names_context, context, where, **kwargs)
        pending = dict.get(item, _SUBSTITUTE_PENDING)
        if pending is not None and self._own_roles(item):
            # the names a cs:substitute printed for the first names element
            item[_SUBSTITUTE_PENDING] = None
            return self._with_label(String(pending), item, names_context, where, **kwargs)
        if first and not in_citation:
            item["_name_data"] = []  # the names shown (see render_bibliography)
        try:
            if kwargs.get("sort_options") is not None:
                text = self._sort_key(item, names_context, context, **kwargs)
            elif self.substitute() is None and not any(role in item.reference for role in self.get("variable").split()):
                raise cp.VariableError  # (what citeproc-py ends in, by way of an unbound name)
            else:
                text = super().process(item, names_context=names_context, context=context, **kwargs)
        finally:
            shown = dict.pop(item, "_name_data", None) if first and not in_citation else None
        if first:
            item["_names"] = str(text) if text is not None else None
            item["_names_shown"] = tuple(shown) if shown else None
        if text:
            for variable in self.get("variable").split():
                if item.reference.get(variable.replace("-", "_")):
                    suppress.record_printed(where, variable)
        return text


    def _own_roles(self, item: CitationItem) -> list[str]:
        return [v for v in self.get("variable", "").split() if item.reference.get(v.replace("-", "_"))]

    def _substituted(self, item: CitationItem, names_context: Any, context: Any, where: Any, **kwargs: Any) -> Any:
        """subsequent-author-substitute (complete-all), as citeproc-js: the names the entry
        shares with the one before become the substitute string, their label stays; when a
        cs:substitute prints the names, what it used is suppressed as usual."""
        replacement = item["substitute_names"]
        if self._own_roles(item):
            return self._with_label(String(replacement), item, names_context if names_context is not None else self, where, **kwargs)
        state = suppress.snapshot(where)
        item[_SUBSTITUTE_PENDING] = replacement
        try:
            text = super().process(item, names_context=names_context, context=context, **kwargs)
        except cp.VariableError:
            text = None
        finally:
            consumed = dict.pop(item, _SUBSTITUTE_PENDING, None) is None
        if consumed:
            return text
        suppress.restore(where, state)  # (no names printed: the whole substitute is replaced)
        return String(replacement) or None

    def _with_label(self, text: Any, item: CitationItem, names_context: Any, where: Any, **kwargs: Any) -> Any:
        roles = self._own_roles(item)
        for role in roles:
            suppress.record_printed(where, role)
        label_element = getattr(names_context, "label", None)
        if label_element is None or not roles:
            return text or None
        role = roles[-1]
        reference = item.reference
        if set(roles) == {"editor", "translator"} and reference.get("editor") == reference.get("translator"):
            role = "editortranslator"
        plural = len(reference.get(roles[-1].replace("-", "_")) or ()) > 1
        kwargs.pop("names_context", None)
        label = label_element.render(item, role, plural, **kwargs)
        if label is None:
            return text or None
        # (an empty substitute string still leaves the label, as in citeproc-js)
        return label + text if label_element is names_context.getchildren()[0] else text + label

    def _sort_key(self, item: CitationItem, names_context: Any, context: Any, **kwargs: Any) -> Any:
        """Names for a sort key: the names only, without labels or affixes."""
        holder = names_context if names_context is not None else self
        name_element = holder.name
        parts = []
        for role in self.get("variable").split():
            if item.reference.get(role.replace("-", "_")):
                if name_element is None:
                    return super().process(item, names_context=names_context, context=context, **kwargs)
                rendered = name_element.process(item, role, context=context, sort_options=kwargs.get("sort_options"))
                if rendered:
                    parts.append(str(rendered))
        if parts:
            return String("; ".join(parts))
        substitute = self.substitute()
        if substitute is not None:
            return substitute.render(item, context=context, **kwargs)
        raise cp.VariableError

def _in_citation(element: cp.CitationStylesElement) -> bool:
    section = names.section_of(element)
    return section is not None and section.tag == f"{{{CSL_NS}}}citation"


class If(Cached, cp.If):
    # the tests an attribute asks for, in citeproc-py's order (disambiguate last: it counts)
    _TESTS = (
        ("type", "_type"), ("variable", "_variable"), ("is-numeric", "_is_numeric"),
        ("is-uncertain-date", "_is_uncertain_date"), ("locator", "_locator"),
    )

    def render(self, item: CitationItem, context: cp.CitationStylesElement | None = None, delimiter: str = "", **kwargs: Any) -> Any:
        if not self.passes(item, context):
            raise cp.ConditionFailed
        return self.render_children(item, context=context, delimiter=delimiter, **kwargs)

    def passes(self, item: CitationItem, context: cp.CitationStylesElement | None) -> bool:
        plan = self.__dict__.get("_plan")
        if plan is None:  # (which tests and how they combine: read from the attributes once)
            attrib = self.attrib
            tests = tuple(getattr(self, method) for name, method in self._TESTS if name in attrib)
            plan = self.__dict__["_plan"] = (tests, "position" in attrib, "disambiguate" in attrib, self.get("match", "all"))
        tests, position, disambiguate, match = plan
        results: list[bool] = []
        for test in tests:
            results += test(item)
        if position:
            results += self._positions(item, context)
        if disambiguate:
            # disambiguation turns on the first n conditions a cite evaluates (n = its level)
            state = _disambiguation(item, context if context is not None else self)
            level = int(state.get("condition") or 0) if state else 0
            seen = dict.get(item, "_conditions_seen", 0)
            item["_conditions_seen"] = seen + 1
            results.append((seen < level) == (self.get("disambiguate") == "true"))
        if match == "any":
            return any(results)
        if match == "none":
            return not any(results)
        return all(results)

    def decided_by_shape(self, item: CitationItem) -> bool:
        """Whether the result is the same for every item of this one's shape (``shape_key``)."""
        plan = self.__dict__.get("_decided")
        if plan is None:
            plan = self.__dict__["_decided"] = _decided(self)
        never, locator, values = plan
        if never or (locator and dict.get(item, "locator") is not None):
            return False
        reference = item.reference
        return not any(name in reference for name in values)

    def _type(self, item: CitationItem) -> list[bool]:
        wanted = self.__dict__.get("_types")
        if wanted is None:
            wanted = self.__dict__["_types"] = [t.lower() for t in self.get("type").split()]
        kind = dict.get(item.reference, "type")
        return [t == kind for t in wanted]

    def _variable(self, item: CitationItem) -> list[bool]:
        wanted = self.__dict__.get("_variables")
        if wanted is None:
            wanted = self.__dict__["_variables"] = [v.replace("-", "_") for v in self.get("variable").split()]
        out = []
        for name in wanted:
            if name == "locator":
                out.append(dict.get(item, "locator") is not None)
            elif name in ("citation_number", "first_reference_note_number"):
                out.append(True)
            else:
                out.append(_has_value(dict.get(item.reference, name)))
        return out

    def _is_numeric(self, item: CitationItem) -> list[bool]:
        out = []
        for variable in self.get("is-numeric").split():
            if variable == "locator":
                locator = dict.get(item, "locator")
                value = locator.identifier if locator is not None else None
            else:
                value = item.reference.get(variable.replace("-", "_"))
            out.append(value is not None and numeric.is_numeric(value, variable))
        return out

    def _positions(self, item: CitationItem, context: cp.CitationStylesElement | None) -> list[bool]:
        if not _in_citation(context if context is not None else self):
            return [False for _ in self.get("position").split()]
        position = dict.get(item, "position", "first")
        out = []
        for wanted in self.get("position").split():
            if wanted == "first":
                out.append(position == "first")
            elif wanted == "subsequent":
                out.append(position != "first")
            elif wanted == "ibid":
                out.append(position in ("ibid", "ibid-with-locator"))
            elif wanted == "ibid-with-locator":
                out.append(position == "ibid-with-locator")
            elif wanted == "near-note":
                out.append(position != "first" and bool(dict.get(item, "near_note")))
            else:
                out.append(False)
        return out


def _absent(text: Any, item: CitationItem, variable: str, context: Any) -> bool:
    """Whether citeproc-py's ``Text._variable`` would fail its lookup of ``variable``
    (not repressed, neither it nor its short form that the element asks for is set)."""
    reference = item.reference
    if variable.replace("-", "_") in reference:
        return False
    if text.get("form") == "short" and (variable + "-short").replace("-", "_") in reference:
        return False
    repressed = context.get_layout().repressed
    return not (text.tag in repressed and variable in repressed[text.tag])


_has_value = shapes.has_value


class Else_If(If):
    pass


class Choose(Cached, cp.Choose):
    def render(self, item: CitationItem, context: cp.CitationStylesElement | None = None, delimiter: str = "", **kwargs: Any) -> Any:
        kids, start, taken = self.resolve(item, context)
        if taken:
            return kids[start][0].render_children(item, context=context, delimiter=delimiter, **kwargs)
        # (a failed branch used to raise ConditionFailed, caught here: the test is asked instead)
        for child, _ in kids[start:]:
            if isinstance(child, If):
                if child.passes(item, context):
                    return child.render_children(item, context=context, delimiter=delimiter, **kwargs)
                continue
            try:
                return child.render(item, context=context, delimiter=delimiter, **kwargs)
            except cp.ConditionFailed:
                continue
        return None

    def resolve(self, item: CitationItem, context: Any) -> tuple[tuple[tuple[Any, bool], ...], int, bool]:
        """(children, n, taken): the leading cs:if / cs:else-if whose tests the item's
        shape decides are asked once per shape (``shape_key``); ``taken``: the n-th
        branch is taken; else the choice goes on from the n-th child."""
        by_shape = self.__dict__.get("_by_shape")
        if by_shape is None:
            by_shape = self.__dict__["_by_shape"] = {}
        kids = self.__dict__.get("_kids") or self.child_elements()
        key = shape_key(item)
        known = by_shape.get(key) if key is not None else None
        if known is None:
            known = (len(kids), False)
            for n, (child, _) in enumerate(kids):
                if not isinstance(child, If) or not child.decided_by_shape(item):
                    known = (n, False)
                    break
                if child.passes(item, context):
                    known = (n, True)
                    break
            if key is not None and len(by_shape) < shapes.MEMO_MOST:
                by_shape[key] = known
        return kids, known[0], known[1]


def shape_key(item: CitationItem) -> int | None:
    """The item's shape and whether the cite has a locator, as one number (None: not numbered)."""
    reference = item.reference
    shape = reference.__dict__.get(shapes.KEY, False)
    if shape is False:
        shape = shapes.shape_of(reference)
    if shape is None:
        return None
    return shape * 2 + (dict.get(item, "locator") is not None)


def _decided(test: If) -> tuple[bool, bool, tuple[str, ...]]:
    """What decides a condition's result besides the item's shape: (never decided,
    reads the cite's locator, variables whose value it reads). Without a locator a
    locator test fails, and a value test of a variable the item lacks does too."""
    attrib = test.attrib
    if set(attrib) - {"type", "variable", "match", "locator", "is-numeric", "is-uncertain-date"}:
        return True, False, ()  # position, disambiguate (which counts), anything unknown
    if not set(attrib) & {"type", "variable", "locator", "is-numeric", "is-uncertain-date"}:
        return True, False, ()
    tested = attrib.get("is-numeric", "").split() + attrib.get("is-uncertain-date", "").split()
    locator = "locator" in attrib or "locator" in attrib.get("variable", "").split() or "locator" in tested
    return False, locator, tuple(v.replace("-", "_") for v in tested if v != "locator")


# -- what prints nothing, known from the item's shape ---------------------------------
#
# A large style calls many macros that print nothing for any one item: a choose takes no
# branch for its type, or the branch taken calls only variables the item lacks. For a
# macro or group whose every element on the way is of that kind, rendering it for another
# item of the same shape does the same: nothing printed, the same variables called in
# vain (``attempts``, ``completeness``). That is worked out once per shape, from the
# style, and what rendering would leave behind is replayed.

# (outcome for the parent group, essential variables called, dates called)
Fails = tuple[bool | None, tuple[str, ...], tuple[str, ...]]
_UNSURE_VARIABLES = frozenset({"locator", "citation-number", "first-reference-note-number", "year-suffix"})


def _walk_fails(element: Any, item: CitationItem, checking: bool, walked: bool) -> Fails | None:
    """For a group or macro whose emptiness check let it through: its summary when it
    certainly prints nothing for items of ``item``'s shape, else None (not known)."""
    flags: list[bool] = []
    called: list[str] = []
    dated: list[str] = []
    for child, _ in element.child_elements():
        if not _child_fails(child, item, (checking, walked), flags, called, dated):
            return None
    return (False if flags else None), tuple(called), tuple(dated)


def _nested_fails(element: Any, item: CitationItem, checking: bool, walked: bool) -> Fails | None:
    """A group or macro inside: its emptiness check, then its children."""
    plan = _emptiness_plan(element)
    if plan is not None:
        if plan.names:
            return None  # (whether its names were seen is not known from the shape)
        # (as _printed_children: not in a sort key, nor while a cs:substitute records)
        if not walked and emptiness.cannot_print(plan, item) and not (plan.essential and checking):
            return False, (), ()
    return _walk_fails(element, item, checking, walked)


def _child_fails(child: Any, item: CitationItem, mode: tuple[bool, bool], flags: list[bool], called: list[str], dated: list[str]) -> bool:
    """Whether ``child`` certainly prints nothing (noting what it calls), from the style
    and the item's shape alone."""
    reference = item.reference
    if isinstance(child, Choose):
        kids, n, taken = child.resolve(item, None)
        if n == len(kids):
            return True  # no branch
        branch = kids[n][0]
        if not taken and not isinstance(branch, cp.Else):
            return False  # a test the shape does not decide comes first
        return all(_child_fails(kid, item, mode, flags, called, dated) for kid, _ in branch.child_elements())
    if isinstance(child, (Macro, Group)) or (isinstance(child, Text) and "macro" in child.attrib and "variable" not in child.attrib):
        inner = _nested_fails(child._called_macro() if isinstance(child, Text) else child, item, *mode)
        if inner is None:
            return False
        if inner[0] is not None:
            flags.append(inner[0])
        called.extend(inner[1])
        dated.extend(inner[2])
        return True
    if isinstance(child, Text):
        variable = child.get("variable")
        attrib = child.attrib
        if variable is None or "value" in attrib or "term" in attrib or variable in _UNSURE_VARIABLES or variable.startswith("page"):
            return False
        if variable.replace("-", "_") in reference:
            return False
        if child.get("form") == "short" and (variable + "-short").replace("-", "_") in reference:
            return False
        flags.append(False)  # called, nothing printed
        if variable in completeness.ESSENTIAL:
            called.append(variable)
        return True
    if isinstance(child, Date) and not child.is_locale_date():
        variable = child.get("variable")
        if variable is None or variable.replace("-", "_") in reference:
            return False
        flags.append(False)  # (a date the item lacks: called, nothing printed)
        if variable in completeness.ESSENTIAL:
            called.append(variable)
        dated.append(variable)
        return True
    if isinstance(child, Label):
        variable = child.get("variable")
        # (a label whose variable the item lacks prints nothing and calls nothing)
        return variable is not None and variable not in _UNSURE_VARIABLES and variable.replace("-", "_") not in reference
    return False  # names, numbers, terms, dates the item has: not known from the shape


def _disambiguation(item: CitationItem, element: cp.CitationStylesElement) -> Any:
    # (the disambiguate condition also holds in the bibliography)
    try:
        registry = item.bibliography
    except Exception:
        return None
    return getattr(registry, "disambiguation", {}).get(item.key)


class Layout(Decorated, MergingSuffix, Cached, citation.CitationLayout, cp.Layout):
    def _render_list(self, children: list[Any], item: CitationItem) -> Any:
        output = []
        for child in children:
            try:
                text = child.render(item, delimiter="") if isinstance(child, cp.Choose) else child.render(item)
            except cp.VariableError:
                continue
            if text is not None:
                output.append(text)
        return join(output) if output else None

    def _wrap_entry(self, rest: Any, html: bool) -> Any:
        """The layout's affixes and formatting around an entry; an entry that ends in a
        display div takes the layout suffix inside it (as citeproc-js, whose suffix goes
        to the entry's last piece)."""
        if rest is None:
            return None
        text = str(rest)
        if html and self.get("suffix") and text.endswith(_DIV_CLOSE) and _DISPLAY_DIV.search(text):
            entry = self.format(self.wrap(String(text[: -len(_DIV_CLOSE)]))) + _DIV_CLOSE
        else:
            entry = self.format(self.wrap(rest))
        leading = _LEADING_IN_DIV.match(str(entry)) if html else None
        if leading:
            # a space or mark opening the entry's first display div moves out of it
            # (citeproc-js migrates a first prefix's lead character up an undecorated group)
            entry = String(leading.group(2) + leading.group(1) + str(entry)[leading.end():])
        return entry

    def render_bibliography(self, citation_items: list[CitationItem], on_error: Any = None) -> list[Any]:
        """Entries; with ``second-field-align`` the first field goes in a left margin.

        ``on_error(item, exc)`` is called for an entry that cannot be rendered
        (its place in the list is None); without it the exception propagates.
        """
        section = self.getparent()
        align = section.get("second-field-align")
        substitute = section.get("subsequent-author-substitute")
        children = list(self.iterchildren())
        html = self.get_formatter().name == "html"
        out = []
        previous_names = None
        for item in citation_items:
            self.repressed = {}
            item["_names_seen"] = False
            item["_nameset"] = item["_conditions_seen"] = 0
            item["_year_suffix_done"] = False
            completeness.start(item)
            leadterm.start(item)
            try:
                if not align or len(children) < 2:
                    first, rest = None, self._render_list(children, item)
                else:
                    first = self._render_list(children[:1], item)
                    rest = self._render_list(children[1:], item)
            except Exception as exc:
                completeness.stop(item)
                leadterm.stop(item)
                if on_error is None:
                    raise
                on_error(item, exc)
                out.append(None)
                continue
            item["_missing"] = completeness.stop(item)
            leading = leadterm.stop(item)
            # the same names (as data where they are names, else as printed: a substituted title)
            names = (dict.get(item, "_names_shown") or dict.get(item, "_names")) if dict.get(item, "_names") else None
            if substitute is not None and names and names == previous_names:
                # render again with the repeated names replaced (rule complete-all)
                self.repressed = {}
                item["_names_seen"] = False
                item["_nameset"] = item["_conditions_seen"] = 0
                item["_year_suffix_done"] = False
                item["substitute_names"] = substitute
                leadterm.start(item)
                try:
                    if first is None:
                        rest = self._render_list(children, item)
                    else:
                        first = self._render_list(children[:1], item)
                        rest = self._render_list(children[1:], item)
                finally:
                    item["substitute_names"] = None
                    leading = leadterm.stop(item)
            previous_names = names
            if first is None:
                entry = self._wrap_entry(rest, html)
                if entry is not None and leading:
                    entry = String(leadterm.capitalize(str(entry), leading))
                out.append(entry)
                continue
            prefix, suffix = self.get("prefix", ""), self.get("suffix", "")
            left = self.format(prefix + first) if first is not None else ""
            if left and leading:
                left = String(leadterm.capitalize(str(left), leading))
            right = self.format(rest + normalize_seam(rest, suffix)) if rest is not None else ""
            right = String(str(right).rstrip())
            if html:
                out.append(f'<div class="csl-left-margin">{left}</div><div class="csl-right-inline">{right}</div>')
            else:
                out.append(f"{left} {right}" if left and right else f"{left}{right}")
        return out


_RANGED_NUMBERS = frozenset({"issue", "volume", "number", "collection-number", "chapter-number", "number-of-pages"})
_NUMBER_RANGE = re.compile(r"^\s*\d+\s*-\s*\d+\s*$")


class PageRanges:
    """Mixin for Text and Number: page ranges and locators through ``pages``."""

    def _with_labelled_ranges(self, value: str, variable: str) -> Any:
        pieces: list[Any] = []
        for piece in value.split(","):
            ranged = labels.labelled_range(piece, self)
            if ranged is not None:
                pieces.append(String(self.preformat(ranged)))  # type: ignore[attr-defined]
            else:
                pieces.append(super()._process(piece.strip().replace("\\-", "-"), variable))  # type: ignore[misc]
        return join(pieces, ", ")

    def _process(self, value: Any, variable: str) -> Any:
        if not (variable.startswith("page") or variable == "locator"):
            if ". " in str(value) and "," in str(value):  # "7, p. 3-8": a labelled range inside
                return self._with_labelled_ranges(str(value), variable)
            return super()._process(str(value).replace("\\-", "-"), variable)  # type: ignore[misc]
        delimiter = str(self.get_single_term(name="page-range-delimiter") or "") or "\u2013"  # type: ignore[attr-defined]
        fmt = self.get_root().get("page-range-format")  # type: ignore[attr-defined]
        if variable == "locator":
            fmt = fmt or "as-is"
        text = pages.format_range(str(value), fmt or "as-is", delimiter, first_only=variable == "page-first")
        if "&" in text:
            text = pages.localized_ampersand(text, self)
        return String(self.preformat(text))  # type: ignore[attr-defined]


class Text(CallsVariable, Decorated, Displayed, MergingSuffix, PageRanges, Cased, Cached, cp.Text):
    def calls_own_variable(self) -> bool:
        return "variable" in self.attrib and self.get("variable") not in self.generated_variables

    def render(self, item: CitationItem, *args: Any, **kwargs: Any) -> Any:
        # a plain macro call (<text macro="m"/>, the most common element of a style) prints
        # the macro's text as it is: no affix, case, decoration or quotes applies, and it
        # calls no variable of its own, so none of the layers between has anything to do
        plain = self.__dict__.get("_plain_macro")
        if plain is None:
            plain = self.__dict__["_plain_macro"] = set(self.attrib) == {"macro"}
        if args or not plain or kwargs.get("sort_options") is not None:
            return super().render(item, *args, **kwargs)
        context = kwargs.get("context")
        text = self._called_macro().render(item, context if context is not None else self)
        return text if text else None

    def strip_periods(self, string: Any) -> Any:
        # a citation number arrives as an int, which has no periods (citeproc-py calls .replace on it)
        return string if isinstance(string, int) else super().strip_periods(string)

    def _source(self) -> tuple[bool, str, bool, str]:
        """What the element prints from, read once from its attributes: whether it has a
        value, what ``_text_and_language`` reads (variable, macro, term or value, in
        citeproc-py's order), whether it has a term, and the style's default language."""
        source = self.__dict__.get("_source_kind")
        if source is None:
            attrib = self.attrib
            reads = next((name for name in ("variable", "macro", "term") if name in attrib), "value")
            default = self.get_root().get("default-locale", "en")[:2]
            source = self.__dict__["_source_kind"] = ("value" in attrib, reads, "term" in attrib, default)
        return source

    def _called_macro(self) -> cptypes.Macro:
        """The macro this element calls, looked up once."""
        macro = self.__dict__.get("_macro")
        if macro is None:
            macro = self.__dict__["_macro"] = self.get_macro(self.get("macro"))
        return macro

    def process(self, item: CitationItem, context: cp.CitationStylesElement | None = None, **kwargs: Any) -> Any:
        has_value, reads, has_term, _ = self._source()
        if has_value:  # a literal in the style is rich text too
            text, language = self._text_and_language(item, context)
            if self.get("value"):
                leadterm.printed(item)
            return richtext.parse(self.get("value"), self.get_formatter()), language
        if reads == "macro" and kwargs.get("sort_options") is not None:
            # a macro called from a sort key renders as a sort key too (citeproc-py dropped the options)
            return sorting.render_macro(self._called_macro(), item, context if context is not None else self, kwargs["sort_options"]), None
        result = self._text_and_language(item, context)
        if has_term and result[0]:
            terms = dict.get(item, "_terms")
            if terms is not None:  # (a note may start with this term: it is then capitalized)
                terms.append(str(result[0]))
            leadterm.term(item, str(result[0]))
        return result

    def _text_and_language(self, item: CitationItem, context: cp.CitationStylesElement | None) -> tuple[Any, str]:
        """citeproc-py's ``Text.process`` without its two exceptions per call for an item
        that has no language (most have none)."""
        if context is None:
            context = self
        _, reads, _, default = self._source()
        language = dict.get(item.reference, "language")
        language = language[:2] if language is not None else default
        if reads == "variable":
            return self._variable(item, context), language
        if reads == "macro":
            return self._called_macro().render(item, context), language
        if reads == "term":
            return self._term(item), language
        return String(self.preformat(self.get("value", ""))), language

    def _variable(self, item: CitationItem, context: cp.CitationStylesElement | None) -> Any:
        variable = self.get("variable")
        if suppress.is_suppressed(context, variable):
            return None
        if variable == "first-reference-note-number":
            note = dict.get(item, "first_note") if _in_citation(context) else None
            return String(str(note)) if note is not None else None
        if variable == "locator":
            locator = dict.get(item, "locator")
            if locator is None:
                return None
            if locator.label not in ("page", None):
                identifier = pages.format_range(str(locator.identifier), "as-is", "\u2013")
                if '"' in identifier or "'" in identifier:
                    # quotes typed in a locator (s.v. "gargoyle") are quotes, as in a field
                    identifier = richtext.mark_quotes(identifier)
                return String(self.preformat(identifier))
            return self._process(locator.identifier, "page")
        if not variable.startswith("page") and variable != "citation-number" and _absent(self, item, variable, context):
            raise cp.VariableError  # (what citeproc-py raises, without its KeyError first)
        text = super()._variable(item, context)
        if variable in _RANGED_NUMBERS and isinstance(text, str) and _NUMBER_RANGE.match(text):
            text = String(re.sub(r"\s*-\s*", "\u2013", str(text)))  # "3-4" is a range: en dash (citeproc-js)
        if text not in (None, ""):
            suppress.record(context, variable)
            if variable == "citation-label" and not dict.get(item, "_year_suffix_done"):
                suffix = item.reference.get("year_suffix")
                if suffix and not _renders_year_suffix(self.get_root()):
                    item["_year_suffix_done"] = True
                    text = text + String(suffix)
        return text

    def markup(self, text: Any, language: Any) -> Any:
        """citeproc-py's order (strip periods, case, format, quote, affixes), each step
        taken only when the element's attributes ask for it (read once)."""
        if not text:
            return None
        steps = self.__dict__.get("_markup_steps")
        if steps is None:
            steps = self.__dict__["_markup_steps"] = (
                self.get("strip-periods", "false").lower() == "true",
                self.get("text-case") is not None,
                self.get("quotes", "false").lower() == "true",
            )
        strip, cased, quoted = steps
        if strip:
            text = self.strip_periods(text)
        if cased:
            text = self.case(text, language)
        text = self.format(text)
        return self.wrap(self.quote(text) if quoted else text)

    def quote(self, string: Any) -> Any:
        if self.get("quotes", "false").lower() != "true":
            return string
        # the quote marks themselves are chosen when finishing (outer or inner by depth)
        return String(QUOTE_OPEN) + string + String(QUOTE_CLOSE)


class Sort(Cached, cp.Sort):
    def sort(self, items: list[CitationItem], context: cp.CitationStylesElement) -> list[CitationItem]:
        return sorting.sort_items(self, items, context)


class Key(Cached, cp.Key):
    def sort_keys(self, items: list[CitationItem], context: cp.CitationStylesElement) -> list[Any]:
        demote = self.get_root().get("demote-non-dropping-particle", "display-and-sort")
        # no "and" or "et al." in a sort key ("Colaresi, Rasler" before "Colaresi and Thompson")
        sort_options: dict[str, Any] = {"name-as-sort-order": "all", "and": None, "sort-key": True}
        # particles are demoted for sorting unless the style says "never"
        sort_options["demote-non-dropping-particle"] = "never" if demote == "never" else "display-and-sort"
        for option in ("names-min", "names-use-first", "names-use-last"):
            if option in self.attrib:
                sort_options[option.replace("names", "et-al")] = self.get(option)
        return sorting.key_values(self, items, context, sort_options)


class Name(Cached, names.Name):
    pass


class Number(CallsVariable, Decorated, Displayed, MergingSuffix, PageRanges, Cased, Cached, ordinals.Ordinal, cp.Number):
    pass


class Label(Decorated, MergingSuffix, Cased, Cached, cp.Label):
    def process(self, item: CitationItem, variable: Any = None, plural: Any = None, context: cp.CitationStylesElement | None = None, **kwargs: Any) -> Any:
        name = variable if variable is not None else self.get("variable")
        if variable is None and name == "locator" and dict.get(item, "locator") is None:
            return None
        locator = dict.get(item, "locator") if name == "locator" else None
        if locator is not None and labels.self_labelled(str(locator.identifier), self):
            return None
        if variable is None and name and name != "locator" and item.reference.get(name.replace("-", "_")) in (None, ""):
            return None
        if locator is not None and " " in str(locator.label):
            # the label is kept as citeproc-py's locator conditions read it ("sub verbo");
            # the locale's term is named with a hyphen ("sub-verbo")
            variable = str(locator.label).replace(" ", "-")
        return super().process(item, variable=variable, plural=plural, context=context, **kwargs)

    def _is_plural(self, item: CitationItem) -> bool:
        variable = self.get("variable")
        if variable == "locator":
            locator = dict.get(item, "locator")
            return locator is not None and pages.is_plural(str(locator.identifier))
        value = item.reference.get(variable.replace("-", "_"))
        if value is None:
            return False
        if variable.startswith("number-of"):
            try:
                return int(str(value)) > 1
            except ValueError:
                return False
        return pages.is_plural(str(value))


_EXPLICIT: dict[str, type] = {
    "number": Number,
    "label": Label,
    "macro": Macro,
    "substitute": Substitute,
    "date": Date,
    "date-part": Date_Part,
    "names": Names,
    "group": Group,
    "if": If,
    "else-if": Else_If,
    "choose": Choose,
    "name": Name,
    "sort": Sort,
    "key": Key,
    "text": Text,
    "layout": Layout,
    "style": Style,
    "locale": Locale,
    "term": Term,
}


def _all_classes() -> dict[str, type]:
    out: dict[str, type] = {}
    for cls in cp.CitationStylesElement.__subclasses__():
        tag = cls.__name__.replace("_", "-").lower()
        mixins: tuple[type, ...] = (Cased, Cached) if issubclass(cls, cp.TextCased) else (Cached,)
        if issubclass(cls, cp.Affixed):
            mixins = (Displayed, MergingSuffix, MergingDelimiter, *mixins) if cls is cp.Group else (Displayed, *mixins)
        if issubclass(cls, cp.Formatted):
            mixins = (Decorated, *mixins)
        out[tag] = _EXPLICIT.get(tag) or type(cls.__name__, (*mixins, cls), {"__module__": __name__})
    return out


OVERRIDES = _all_classes()
