"""The CSL engine: citeproc-py 0.11.1 with bibtools' conformance layer.

``CslEngine`` registers all items first (like citeproc-js ``updateItems``),
cites clusters in sequence (so positions and disambiguation are right) and
renders the bibliography in the style's order.
"""
from __future__ import annotations

import functools
import os
import weakref
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any, Literal, TypedDict

from . import _pin  # noqa: F401  (version check)
from citeproc.source import Citation, CitationItem, Locator, Reference

from ..diagnostics import Diagnostic, error, warning
from . import completeness, sorting
from . import items as item_prep
from .abbreviations import Abbreviations
from .affixes import parse_affix
from .citation import GIVEN_PREFIX, CiteRecord
from .disambiguate import disambiguate
from .finish import Finisher
from .formatters import FORMATTERS, Formatter
from .numbered import reads_citation_number
from .style import CslStyleError, borrow_style

__all__ = ["CslEngine", "CslStyleError"]


NO_PRINTED_FORM = "[CSL STYLE ERROR: reference with no printed form.]"
_CSL = "{http://purl.org/net/xbiblio/csl}"


class Cite(CitationItem):
    """A cite whose reference is looked up once (citeproc-py walked citation ->
    bibliography -> source on every variable access)."""

    @functools.cached_property
    def reference(self) -> Reference:
        # (kept as an instance attribute, read without a call: a CustomDict would put an
        # attribute set the usual way among its items)
        return self.bibliography.source[self.key]

    @property
    def number(self) -> int:
        return self.bibliography.number_of(self.key)

    def is_bad(self) -> bool:
        return self.bibliography.number_of(self.key) == 0


class _Registry:
    """What citeproc-py calls ``bibliography``: the source and the registered keys."""

    def __init__(self, source: dict[str, Reference], formatter: Formatter) -> None:
        self.source = source
        self.formatter = formatter
        self._keys: list[str] = []
        self._numbers: dict[str, int] | None = None
        self.items: list[CitationItem] = []
        self._cites: list[CitationItem] = []
        self.history: list[CiteRecord] = []  # one record per cite rendered, in order
        self.disambiguation: dict[str, dict[str, Any]] = {}  # key -> what disambiguation changed
        self.disambiguation_options: dict[str, bool] = {}  # what of it reaches the bibliography
        self.ids: dict[str, str] = {}  # key -> the item's id (disambiguation orders by id, as citeproc-js)
        self.resort = False  # disambiguation changed what a bibliography sort key reads
        self.sort_again: Callable[[Collection[str]], None] | None = None  # (the keys whose sort values changed)

    # (citeproc-py looked a cite's number up with list.index: quadratic in the list's length)
    @property
    def keys(self) -> list[str]:
        return self._keys

    @keys.setter
    def keys(self, keys: list[str]) -> None:
        self._keys = keys
        self._numbers = None

    def number_of(self, key: str) -> int:
        """The key's 1-based place among the registered keys, 0 when it is not registered."""
        if self._numbers is None:
            self._numbers = {}
            for number, known in enumerate(self._keys, 1):
                self._numbers.setdefault(known, number)
        return self._numbers.get(key, 0)


class BibliographyFormat(TypedDict, total=False):
    """``cs:bibliography``'s whitespace options (empty for a style without a bibliography)."""

    hanging_indent: bool
    second_field_align: str | None
    line_spacing: float
    entry_spacing: float


class CslEngine:
    def __init__(
        self,
        style: str | os.PathLike[str] | bytes,
        items: Sequence[Mapping[str, Any]],
        *,
        locale: str | None = None,
        output: Literal["text", "html"] = "html",
        abbreviations: Abbreviations | None = None,
    ) -> None:
        if output not in FORMATTERS:
            raise ValueError(f"unknown output {output!r}; expected one of {sorted(FORMATTERS)}")
        self.output = output
        self.problems: list[Diagnostic] = []
        self.entry_warnings: dict[str, list[str]] = {}  # id -> what the last bibliography() noted
        self.formatter = FORMATTERS[output]
        self.root, notes, give_back = borrow_style(style, locale, self.formatter)
        weakref.finalize(self, give_back)  # (the next engine of this style takes it up parsed)
        for note in notes:
            self.problems.append(warning("csl.locale", note))
        self.is_note_style = self.root.get("class") == "note"
        self.has_bibliography = self.root.bibliography is not None
        self._finish = Finisher(self.root, html=output == "html")

        self._key_of: dict[str, str] = {}  # item id -> internal key
        self._id_of: dict[str, str] = {}
        source: dict[str, Reference] = {}
        self.ids: list[str] = []  # registered item ids, in input order
        for position, data in enumerate(items, 1):
            item_id = str(data.get("id")) if data.get("id") not in (None, "") else f"#{position}"
            if item_id in self._key_of:
                # citeproc-js registers items by id: the later data replaces the earlier
                self.problems.append(warning("csl.duplicate-id", f"item id {item_id!r} appears twice; the last is used", key=item_id))
                try:
                    source[self._key_of[item_id]] = item_prep.convert_item(data, self._key_of[item_id], self.formatter, abbreviations)
                except Exception as exc:
                    self.problems.append(error("csl.item", f"cannot read item for formatting: {exc}", key=item_id))
                continue
            key = item_id.lower()
            while key in self._id_of:
                key += "\x00"
            try:
                source[key] = item_prep.convert_item(data, key, self.formatter, abbreviations)
            except Exception as exc:  # one bad item must not stop the others
                self.problems.append(error("csl.item", f"cannot read item for formatting: {exc}", key=item_id))
                continue
            self._key_of[item_id] = key
            self._id_of[key] = item_id
            self.ids.append(item_id)
        self._registry = _Registry(source, self.formatter)
        self._registry.ids = dict(self._id_of)
        self._registry.keys = list(source)
        register = Citation([Cite(k) for k in source])
        register.bibliography = self._registry
        self._registry.items = list(register.cites)
        if self.has_bibliography:
            self._sort_bibliography()
            # (disambiguation sorts again when the sort keys' names take given names it adds)
            self._registry.sort_again = self._sort_bibliography
        try:
            disambiguate(self.root, self._registry)
        except Exception as exc:  # a style the disambiguation cannot handle still renders
            self.problems.append(warning("csl.disambiguation", f"disambiguation skipped: {type(exc).__name__}: {exc}"))
        for item in self._registry.items:
            dict.pop(item, "_seen_names", None)
        self._sort_memo = {}  # (only disambiguation's second sort reads it)
        self._registry.sort_again = None  # (a bound method: the engine would outlive its last use)

    def _sort_bibliography(self, changed: Collection[str] | None = None) -> None:
        """Sort the registry; ``changed``: the keys of the items whose sort values may
        differ from the last sort (None: the first sort, nothing kept before it)."""
        reg = self._registry
        for item in reg.items:
            item["_seen_names"] = {}  # the name variables the sort keys render (see disambiguate)
        if changed is None:
            self._sort_memo: dict[tuple[int, str], Any] = {}
        else:
            stale = set(changed)
            self._sort_memo = {k: v for k, v in self._sort_memo.items() if k[1] not in stale}
        sort = self.root.bibliography.find(f"{_CSL}sort")
        try:
            if sort is not None:
                reg.items = sorting.sort_items(sort, reg.items, self.root.bibliography.layout, self._sort_memo)
        except Exception as exc:
            self.problems.append(error("csl.sort", f"cannot sort the bibliography: {exc}"))
        reg.keys = [item.key for item in reg.items]

    @property
    def registered_ids(self) -> list[str]:
        """The item ids in the registry's order: the bibliography's when the style sorts one
        (citeproc-js's ``registry.reflist``), else as given."""
        return [self._id_of[item.key] for item in self._registry.items]

    def disambiguation_settings(self) -> dict[str, tuple[Any, ...]]:
        """Per item id, what disambiguation settled (names shown, given-name levels,
        the disambiguate condition, the year-suffix): for telling which items it changed."""
        out: dict[str, tuple[Any, ...]] = {}
        for key, item_id in self._id_of.items():
            config = self._registry.disambiguation.get(key) or {}
            out[item_id] = (
                sorted(config.get("names", {}).items()),
                sorted(config.get("givens", {}).items()),
                config.get("condition") or 0,
                self._registry.source[key].get("year_suffix"),
            )
        return out

    # -- citations -------------------------------------------------------
    def cite(self, cites: Sequence[Mapping[str, Any]], *, note_index: int | None = None) -> str:
        if self.root.citation is None:
            raise CslStyleError("the style has no citation layout")
        cite_items = []
        for cite in cites:
            item_id = str(cite.get("id", ""))
            key = self._key_of.get(item_id, item_id.lower())
            extra: dict[str, Any] = {}
            if cite.get("locator") not in (None, ""):
                label = str(cite.get("label") or "page")
                label = {"sub-verbo": "sub verbo"}.get(label, label)
                extra["locator"] = Locator(label, str(cite["locator"]).strip())
            for affix in ("prefix", "suffix"):
                if cite.get(affix):
                    extra[affix] = parse_affix(cite[affix], self.formatter)
            cite_items.append(Cite(key, **extra))  # (locator, prefix, suffix: what CitationItem takes)
            cite_items[-1].key = key
            if cite.get("suppress-author"):
                cite_items[-1]["suppress_author"] = True
            if cite.get("author-only"):
                cite_items[-1]["author_only"] = True
            for given in ("position", "near-note"):  # set by the caller (citeproc-js citation items)
                if cite.get(given) is not None:
                    cite_items[-1][GIVEN_PREFIX + given] = cite[given]
        citation = Citation(cite_items)
        citation.bibliography = self._registry
        citation.note_index = note_index

        def missing(item: CitationItem) -> str:
            self.problems.append(warning("csl.unknown-id", f"cited id {self._id_of.get(item.key, item.key)!r} is not among the items", key=item.key))
            return f"{self._id_of.get(item.key, item.key)}?"

        try:
            out = self.root.citation.render(citation, self._registry._cites, missing)
        except Exception as exc:
            ids = ", ".join(str(c.get("id")) for c in cites)
            self.problems.append(error("csl.render", f"cannot render the citation of {ids}: {type(exc).__name__}: {exc}"))
            return ""
        return self._finish(str(out)) if out is not None else ""

    # -- bibliography ----------------------------------------------------
    def bibliography(self) -> list[tuple[str, str]]:
        if not self.has_bibliography:
            return []
        layout = self.root.bibliography.layout
        items = self._registry.items
        failures: set[str] = set()

        def failed(item: CitationItem, exc: Exception) -> None:
            failures.add(item.key)
            self.problems.append(
                error("csl.render", f"cannot render this entry: {type(exc).__name__}: {exc}", key=self._id_of[item.key])
            )

        try:
            entries = layout.render_bibliography(items, on_error=failed)
        except Exception as exc:
            self.problems.append(error("csl.render", f"cannot render the bibliography: {type(exc).__name__}: {exc}"))
            return []
        out: list[tuple[str, str]] = []
        self.entry_warnings = {}
        for item, entry in zip(items, entries):
            item_id = self._id_of[item.key]
            missing = dict.get(item, "_missing") or []
            text = self._finish(str(entry)) if entry is not None else ""
            if item.key not in failures and not text.strip():
                note = "the style prints nothing for this entry" + (f" (no {', '.join(missing)})" if missing else "")
                if self._cites_show_numbers():
                    # citeproc-js keeps the place of the entry in a numbered list, with an error text
                    self.problems.append(warning("csl.empty-entry", note, key=item_id))
                    out.append((item_id, f"{len(out) + 1}. {NO_PRINTED_FORM}"))
                    continue
                # citeproc-js leaves such an entry out; say so rather than print an empty line
                self.problems.append(warning("csl.empty-entry", note + "; left out", key=item_id))
                continue
            if missing:
                note = completeness.message(missing)
                self.entry_warnings[item_id] = [note]
                self.problems.append(warning("csl.incomplete", note, key=item_id))
            if entry is not None:
                out.append((item_id, text))
        return out

    def _cites_show_numbers(self) -> bool:
        """Whether the citations print citation-number (directly or through macros):
        citeproc-js's numeric update mode."""
        known = self.__dict__.get("_shows_numbers")
        if known is None:
            known = self.__dict__["_shows_numbers"] = reads_citation_number(self.root.citation)
        return known

    # -- layout of the whole list ---------------------------------------
    @property
    def bibliography_format(self) -> BibliographyFormat:
        """The bibliography's whitespace options (CSL ``cs:bibliography`` attributes)."""
        section = self.root.bibliography
        if section is None:
            return {}

        def number(name: str, default: float) -> float:
            try:
                return float(section.get(name, default))
            except ValueError:
                return default

        return {
            "hanging_indent": section.get("hanging-indent", "false") == "true",
            "second_field_align": section.get("second-field-align"),
            "line_spacing": number("line-spacing", 1),
            "entry_spacing": number("entry-spacing", 1),
        }

    def bibliography_html(self) -> str:
        """The bibliography as one HTML block (citeproc-js's ``csl-bib-body``/``csl-entry``
        markup) with inline styles for hanging indent, line and entry spacing."""
        fmt = self.bibliography_format
        entry_style = []
        if fmt.get("hanging_indent"):
            entry_style.append("padding-left: 2em; text-indent: -2em;")
        if fmt.get("line_spacing", 1) != 1:
            entry_style.append(f"line-height: {fmt['line_spacing']:g};")
        if fmt.get("entry_spacing", 1) > 0:
            entry_style.append(f"margin-bottom: {fmt['entry_spacing']:g}em;")
        style = f' style="{" ".join(entry_style)}"' if entry_style else ""
        entries = self.bibliography()
        if self.output != "html":
            return "\n".join(text for _, text in entries)
        head = ""
        if fmt.get("second_field_align"):
            head = (
                "<style>.csl-left-margin{float:left;padding-right:0.5em;}"
                ".csl-right-inline{margin-left:2.5em;}</style>\n"
            )
        body = "".join(f'  <div class="csl-entry"{style}>{text}</div>\n' for _, text in entries)
        return f'{head}<div class="csl-bib-body">\n{body}</div>'
