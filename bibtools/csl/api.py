"""Formatted references and citations: the Python API behind ``bibtools format``/``cite``.

``format_bibliography`` gives the reference list, ``cite`` one citation, and a
``Citer`` cites clusters in sequence so position-dependent output (ibid,
subsequent, disambiguation) comes out right. All go through the CSL engine's
HTML and ``outputs`` for the markup asked for.
"""
from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Union

from ..diagnostics import Diagnostic, error, warning
from ..formats.csljson import item_from_csl, item_to_csl
from ..model import Item, Library
from . import cv
from .abbreviations import Abbreviations, AbbreviationsError, AbbreviationsLike, load as load_abbreviations
from .errors import StyleError
from .outputs import OUTPUT_NAMES, renderer
from .pybtex_engine import render_bibliography
from .styles import ResolvedStyle, StyleNotFound, UnknownLocale, resolve_locale, resolve_style

if TYPE_CHECKING:  # the engine (and citeproc-py) loads on first use
    from .engine import CslEngine

ItemsLike = Union[Library, Iterable[Item], Iterable[Mapping[str, Any]]]
CiteLike = Union[str, Mapping[str, Any]]
# a style name, alias or .csl path; or the XML itself
StyleSource = Union[str, os.PathLike[str], bytes]
# CSL-JSON item dicts (JSON values) -> an engine with them registered
EngineFactory = Callable[[list[dict[str, Any]]], "CslEngine"]
ENGINES = ("csl", "pybtex")


class UnknownKey(KeyError):
    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True, slots=True)
class FormattedEntry:
    id: str
    text: str
    group: str | None = None  # the heading it falls under with ``group_by``
    warnings: tuple[str, ...] = ()  # what the style asked for and the entry lacks (also in problems)


class FormattedBibliography(list[FormattedEntry]):
    """The entries in order, plus what went wrong and how to join them into one document."""

    def __init__(self, entries: Iterable[FormattedEntry] = (), *, output: str = "text", problems: Iterable[Diagnostic] = (), style: ResolvedStyle | None = None) -> None:
        super().__init__(entries)
        self.output = output
        self.problems: list[Diagnostic] = list(problems)
        self.style = style

    def render(self) -> str:
        """The whole list as one document in its markup, with group headings."""
        target = renderer(self.output)
        blocks: list[tuple[str, str]] = []
        current: str | None = None
        for entry in self:
            if entry.group is not None and entry.group != current:
                blocks.append(("heading", target.heading(entry.group)))
                current = entry.group
            blocks.append(("entry", entry.text))
        return target.document(blocks)

    def to_json(self) -> list[dict[str, Any]]:
        out = []
        for entry in self:
            obj: dict[str, Any] = {"id": entry.id, self.output: entry.text}
            if entry.group is not None:
                obj["group"] = entry.group
            if entry.warnings:
                obj["warnings"] = list(entry.warnings)
            out.append(obj)
        return out


# -- inputs --------------------------------------------------------------------------

def _as_items(library_or_items: ItemsLike) -> list[Item]:
    items: list[Item] = []
    for index, entry in enumerate(library_or_items):
        if isinstance(entry, Item):
            items.append(entry)
        elif isinstance(entry, Mapping):
            items.append(item_from_csl(dict(entry), index=index)[0])
        else:
            raise TypeError(f"expected Items or CSL-JSON dicts, got {type(entry).__name__}")
    return items


def _csl(item: Item) -> dict[str, Any]:
    data = item_to_csl(item)
    data.pop("custom", None)  # native leftovers mean nothing to a CSL style
    return data


def _resolve(style: StyleSource, locale: str | None) -> tuple[ResolvedStyle | None, StyleSource, str | None]:
    """(resolved style, what the engine loads, locale) or a one-line ``StyleError``."""
    try:
        wanted_locale = resolve_locale(locale) if locale else None
    except UnknownLocale as exc:
        raise StyleError(str(exc)) from None
    if isinstance(style, bytes):
        return None, style, wanted_locale
    try:
        resolved = resolve_style(style)
    except (StyleNotFound, ValueError, OSError) as exc:
        raise StyleError(_one_line(exc)) from None
    if wanted_locale is None and resolved.locale:
        try:
            wanted_locale = resolve_locale(resolved.locale)
        except UnknownLocale:
            wanted_locale = None
    return resolved, resolved.path, wanted_locale


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    first = text.splitlines()[0]
    if isinstance(exc, KeyError) and first.startswith("'") and first.endswith("'"):
        first = first[1:-1]
    return first


def _engine(source: StyleSource, csl_items: list[dict[str, Any]], locale: str | None, label: str, abbreviations: Abbreviations | None = None) -> CslEngine:
    from .engine import CslEngine, CslStyleError

    try:
        return CslEngine(source, csl_items, locale=locale, output="html", abbreviations=abbreviations)
    except (CslStyleError, ValueError, LookupError, OSError, SyntaxError) as exc:  # lxml's XMLSyntaxError is a SyntaxError
        message = _one_line(exc)
        if label in message:  # the engine already named the style
            raise StyleError(message) from None
        raise StyleError(f"cannot load style {label}: {message}") from None


def _label(style: StyleSource, resolved: ResolvedStyle | None) -> str:
    if resolved is not None:
        return resolved.name if not resolved.via else f"{resolved.via[0]} ({resolved.name})"
    return "<inline XML>" if isinstance(style, bytes) else str(style)


# -- bibliography --------------------------------------------------------------------

def format_bibliography(
    library_or_items: ItemsLike,
    style: str | os.PathLike[str] | bytes,
    *,
    locale: str | None = None,
    output: str = "text",
    highlight: str | None = None,
    group_by: str | None = None,
    sort: str | None = None,
    numbered: bool | None = None,
    engine: str = "csl",
    abbreviations: AbbreviationsLike | None = None,
) -> FormattedBibliography:
    """The reference list of ``library_or_items`` in ``style``, one ``FormattedEntry`` per item.

    ``style`` is a style name, alias, ``.csl`` path or XML bytes (``engine="pybtex"``:
    plain, unsrt, alpha or abbrv). An entry the engine cannot render is left out and
    reported in ``.problems`` with its key; a style that cannot be loaded raises
    ``StyleError``. ``highlight`` bolds one author; ``group_by`` ("year"/"type") adds
    headings; ``sort`` ("newest"/"oldest") overrides the style's order; ``numbered``
    adds (True) or removes (False) entry numbers. ``abbreviations`` (a JSON file or its
    parsed content, ``{"default": {"container-title": {"Long": "Short"}}}``) gives the short
    forms styles print with ``form="short"`` (``AbbreviationsError`` if unreadable).
    """
    target = renderer(output)
    if group_by is not None and group_by not in cv.GROUP_BY:
        raise ValueError(f"unknown grouping {group_by!r} (known: {', '.join(cv.GROUP_BY)})")
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r} (known: {', '.join(ENGINES)})")
    abbrevs = load_abbreviations(abbreviations) if abbreviations is not None else None
    items = _as_items(library_or_items)
    if sort is not None:  # registration order decides numbering in unsorted (numeric) styles
        items = cv.sort_items(items, sort)
    csl_items = [_csl(item) for item in items]
    givens: list[str] = []
    particles: list[str] = []
    if highlight:
        givens, particles = cv.mark_names(csl_items, items, highlight)
    problems: list[Diagnostic] = []
    entry_warnings: dict[str, list[str]] = {}
    resolved: ResolvedStyle | None = None
    if engine == "pybtex":
        if not isinstance(style, str):
            raise StyleError("the pybtex engine takes a style name: plain, unsrt, alpha or abbrv")
        rendered, pyb_problems = render_bibliography(items, style, csl_items=csl_items)
        problems.extend(pyb_problems)
    else:
        resolved, source, wanted_locale = _resolve(style, locale)
        eng = _engine(source, csl_items, wanted_locale, _label(style, resolved), abbrevs)
        rendered = _bibliography_or_notes(eng, csl_items, problems, lambda one: _engine(source, one, wanted_locale, _label(style, resolved), abbrevs))
        problems.extend(eng.problems)
        entry_warnings = eng.entry_warnings
    by_id = cv.by_id(items)
    if sort is not None:  # stable: equal dates keep the style's order
        undated = cv.date_key(Item(id=""))
        rendered.sort(key=lambda pair: cv.date_key(by_id[pair[0]]) if pair[0] in by_id else undated, reverse=(sort == "newest"))
    groups: dict[str, str] = {}
    if group_by is not None:
        for item_id, _ in rendered:
            item = by_id.get(item_id)
            groups[item_id] = cv.group_of(item, group_by) if item is not None else cv.OTHER_GROUP
        order = {item_id: n for n, (item_id, _) in enumerate(rendered)}
        rendered.sort(key=lambda pair: (cv.group_rank(groups[pair[0]], group_by, sort), order[pair[0]]))
    entries: list[FormattedEntry] = []
    for number, (item_id, engine_html) in enumerate(rendered, start=1):
        if highlight:
            engine_html = cv.bold_marked(engine_html, givens, particles)
        engine_html = cv.strip_marks(engine_html)
        # only ``numbered`` asks whether the entry carries a number (a text render per entry)
        has_margin = numbered is not None and _has_number(engine_html)
        if numbered is False and has_margin:
            engine_html = _MARGIN.sub("", engine_html)
        text = target.render(engine_html)
        if numbered and not has_margin:
            text = target.number(number) + text
        entries.append(FormattedEntry(item_id, text, groups.get(item_id), tuple(entry_warnings.get(item_id, ()))))
    where = f"style {style}" if engine == "pybtex" else f"style {_label(style, resolved)}"
    located = [p if p.source else dataclasses.replace(p, source=where) for p in _dedupe(problems)]
    return FormattedBibliography(entries, output=target.name, problems=located, style=resolved)


_MARGIN = re.compile(r'<div class="csl-left-margin">.*?</div>', re.S)
_OWN_NUMBER = re.compile(r"^(?:\[\d+\]|\(\d+\)|\d+\.)\s")  # "1. ", "[1] ", "(1) ": the style numbers its entries inline
_PLAIN = renderer("text")


def _has_number(engine_html: str) -> bool:
    """Whether the entry prints its number: a left margin, or a "1. " the style writes inline."""
    return "csl-left-margin" in engine_html or bool(_OWN_NUMBER.match(_PLAIN.render(engine_html)))


def _dedupe(problems: list[Diagnostic]) -> list[Diagnostic]:
    seen: set[Diagnostic] = set()
    out = []
    for p in problems:
        if p not in seen:
            seen.add(p)
            out.append(p)
    return out


def _bibliography_or_notes(eng: CslEngine, csl_items: list[dict[str, Any]], problems: list[Diagnostic], engine_for: EngineFactory) -> list[tuple[str, str]]:
    """The engine's bibliography; for a style without one, each item's first (full) note.

    Should the engine fail on the list as a whole (it catches per-entry errors
    itself), each item is rendered alone so only the culprit is lost.
    """
    if eng.has_bibliography:
        try:
            return list(eng.bibliography())
        except Exception as exc:
            problems.append(warning("csl.render", f"the bibliography failed as a whole ({type(exc).__name__}: {exc}); entries rendered one by one, in input order"))
            return _one_by_one(csl_items, problems, engine_for)
    problems.append(warning("csl.no-bibliography", "the style has no bibliography; each entry is its first citation"))
    out = []
    for note, data in enumerate(csl_items, start=1):
        text = eng.cite([{"id": data["id"]}], note_index=note if eng.is_note_style else None)
        if text:
            out.append((str(data["id"]), text))
    return out


def _one_by_one(csl_items: list[dict[str, Any]], problems: list[Diagnostic], engine_for: EngineFactory) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for data in csl_items:
        try:
            single = engine_for([data])
            out.extend(single.bibliography())
            problems.extend(single.problems)
        except Exception as exc:  # this item is the one the engine cannot render
            problems.append(error("csl.render", f"cannot render this entry: {type(exc).__name__}: {exc}", key=str(data.get("id"))))
    return out


# -- citations -----------------------------------------------------------------------

# "p. 12" -> ("page", "12"): the CSL locator labels and the abbreviations people type.
LOCATOR_LABELS: dict[str, str] = {
    "p": "page", "pp": "page", "page": "page", "pages": "page", "pg": "page", "s": "page", "seite": "page",
    "ch": "chapter", "chap": "chapter", "chapter": "chapter", "chapters": "chapter",
    "sec": "section", "section": "section", "§": "section", "§§": "section",
    "vol": "volume", "vols": "volume", "volume": "volume",
    "fig": "figure", "figs": "figure", "figure": "figure",
    "para": "paragraph", "paras": "paragraph", "paragraph": "paragraph", "¶": "paragraph",
    "n": "note", "nn": "note", "note": "note", "l": "line", "ll": "line", "line": "line",
    "col": "column", "column": "column", "no": "issue", "op": "opus", "b": "book", "bk": "book",
    "book": "book", "pt": "part", "part": "part", "v": "verse", "vv": "verse", "verse": "verse",
    "fol": "folio", "folio": "folio", "t": "table", "tab": "table", "table": "table",
    "eq": "equation", "equation": "equation", "app": "appendix", "appendix": "appendix",
    "art": "article-locator", "supp": "supplement", "timestamp": "timestamp",
    "s.v": "sub-verbo", "sv": "sub-verbo", "r": "rule", "algorithm": "algorithm", "alg": "algorithm",
}
_LOCATOR = re.compile(r"^\s*([^\d\s.]+(?:\.[^\d\s.]+)*)\.?\s*(\S.*)$")


def parse_locator(text: str) -> tuple[str, str]:
    """``"p. 12"`` -> ``("page", "12")``; a bare ``"12"`` is a page."""
    m = _LOCATOR.match(text)
    if m:
        label = LOCATOR_LABELS.get(m.group(1).lower().rstrip("."))
        if label:
            return label, m.group(2).strip()
    return "page", text.strip()


def _cite_dict(cite: CiteLike) -> dict[str, Any]:
    if isinstance(cite, str):
        return {"id": cite}
    data = dict(cite)
    if "locator" in data and data.get("locator") and not data.get("label"):
        data["label"], data["locator"] = parse_locator(str(data["locator"]))
    return data


class Citer:
    """Cites clusters in sequence against one registered set of items.

    For note styles each cluster is its own footnote unless ``note_index`` says
    otherwise, so ibid and subsequent forms follow the order of the calls.
    """

    def __init__(self, library_or_items: ItemsLike, style: str | os.PathLike[str] | bytes, *, locale: str | None = None, output: str = "text", abbreviations: AbbreviationsLike | None = None) -> None:
        self.renderer = renderer(output)
        abbrevs = load_abbreviations(abbreviations) if abbreviations is not None else None
        self.items = _as_items(library_or_items)
        self.resolved, source, wanted_locale = _resolve(style, locale)
        self._engine = _engine(source, [_csl(i) for i in self.items], wanted_locale, _label(style, self.resolved), abbrevs)
        self._known = {item.id for item in self.items}
        self._note = 0

    @property
    def problems(self) -> list[Diagnostic]:
        return list(self._engine.problems)

    @property
    def is_note_style(self) -> bool:
        return bool(self._engine.is_note_style)

    def cite(self, cites: CiteLike | Sequence[CiteLike], *, note_index: int | None = None) -> str:
        """One citation cluster (a key, a cite dict, or a list of them) in the output markup."""
        if isinstance(cites, (str, Mapping)):
            cites = [cites]
        cluster = [_cite_dict(c) for c in cites]
        missing = [str(c.get("id")) for c in cluster if str(c.get("id")) not in self._known]
        if missing:
            raise UnknownKey(f"no item with key {', '.join(repr(m) for m in missing)}")
        self._note = note_index if note_index is not None else self._note + 1
        engine_html = self._engine.cite(cluster, note_index=self._note if self.is_note_style else note_index)
        return self.renderer.render(cv.strip_marks(engine_html))

    def bibliography(self) -> list[FormattedEntry]:
        return [FormattedEntry(i, self.renderer.render(h)) for i, h in self._engine.bibliography()]


def cite(
    library_or_items: ItemsLike,
    style: str | os.PathLike[str] | bytes,
    keys: str | Sequence[str],
    *,
    locator: str | None = None,
    label: str | None = None,
    prefix: str | None = None,
    suffix: str | None = None,
    locale: str | None = None,
    output: str = "text",
    abbreviations: AbbreviationsLike | None = None,
) -> str:
    """The in-text citation of one cluster; locator, prefix and suffix apply to its first cite."""
    if isinstance(keys, str):
        keys = [keys]
    cluster: list[dict[str, Any]] = [{"id": k} for k in keys]
    if cluster:
        if locator:
            cluster[0]["label"], cluster[0]["locator"] = (label, locator) if label else parse_locator(locator)
        if prefix:
            cluster[0]["prefix"] = prefix
        if suffix:
            cluster[-1]["suffix"] = suffix
    return Citer(library_or_items, style, locale=locale, output=output, abbreviations=abbreviations).cite(cluster)


__all__ = [
    "Abbreviations",
    "AbbreviationsError",
    "Citer",
    "FormattedBibliography",
    "FormattedEntry",
    "LOCATOR_LABELS",
    "OUTPUT_NAMES",
    "StyleError",
    "UnknownKey",
    "cite",
    "format_bibliography",
    "parse_locator",
]
