"""Loading a CSL style safely, with bibtools' element classes.

The XML is parsed without entity expansion, DTD loading or network access; a
style with a DTD (billion laughs, external entities) is refused. Elements are
bound to citeproc-py's classes, overridden by the subclasses in ``elements``.
"""
from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any
from types import SimpleNamespace

from lxml import etree

from . import _pin  # noqa: F401  (version check)
from citeproc import LANGUAGE_NAMES, LOCALES_PATH, PRIMARY_DIALECTS
from citeproc import model as cp

from . import elements
from .formatters import Formatter

CSL_NS = "http://purl.org/net/xbiblio/csl"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class CslStyleError(Exception):
    """The style cannot be loaded or parsed (the message is one line)."""


def _element_classes() -> dict[str, type]:
    classes = {
        cls.__name__.replace("_", "-").lower(): cls for cls in cp.CitationStylesElement.__subclasses__()
    }
    classes.update(elements.OVERRIDES)
    return classes


def _make_parser() -> etree.XMLParser:
    parser = etree.XMLParser(
        remove_comments=True,
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
    )
    lookup = etree.ElementNamespaceClassLookup()
    namespace = lookup.get_namespace(CSL_NS)
    namespace[None] = cp.CitationStylesElement
    namespace.update(_element_classes())
    parser.set_element_class_lookup(lookup)
    return parser


_PARSER = _make_parser()


def parse_xml(data: bytes, what: str) -> cp.CitationStylesElement:
    try:
        tree = etree.fromstring(data, _PARSER).getroottree()
    except etree.XMLSyntaxError as exc:
        raise CslStyleError(f"{what} is not well-formed XML: {exc}") from None
    if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
        raise CslStyleError(f"{what} declares a DTD or entities, which CSL styles never need; refused")
    return tree.getroot()


def read_style_bytes(style: str | os.PathLike[str] | bytes) -> tuple[bytes, str]:
    if isinstance(style, bytes):
        return style, "the style"
    text = os.fspath(style)
    if isinstance(text, str) and text.lstrip().startswith("<"):
        return text.encode("utf-8"), "the style"
    path = Path(text)
    try:
        return path.read_bytes(), f"style {path}"
    except OSError as exc:
        raise CslStyleError(f"cannot read style {path}: {exc.strerror or exc}") from None


def resolve_locale(locale: str | None) -> str | None:
    """A bundled locale name for ``locale`` ('de' -> 'de-DE'), or None."""
    if not locale:
        return None
    if locale in LANGUAGE_NAMES:
        return locale
    for name in LANGUAGE_NAMES:
        if name.lower() == locale.lower().replace("_", "-"):
            return name
    language = locale.split("-")[0].split("_")[0].lower()
    return PRIMARY_DIALECTS.get(language)


_LOCALE_CACHE: dict[tuple[str, str], elements.Locale] = {}


def load_locale(name: str, formatter: Formatter) -> elements.Locale:
    """A bundled locale, parsed once per output format and shared by engines
    (read-only; its terms are preformatted for that output)."""
    key = (name, formatter.name)
    root = _LOCALE_CACHE.get(key)
    if root is None:
        data = Path(LOCALES_PATH, f"locales-{name}.xml").read_bytes()
        root = parse_xml(data, f"locale {name}")
        root.style = SimpleNamespace(formatter=formatter)
        _LOCALE_CACHE[key] = root
    return root


def set_locales(root: elements.Style, wanted: str, notes: list[str]) -> None:
    """The locales ``root`` searches for terms, in CSL order: in-style ones, then bundled files, en-US last."""
    root.locales = []
    language = wanted.split("-")[0]

    def add_inline(lang: str | None) -> None:
        for loc in root.findall(f"{{{root.nsmap['cs']}}}locale"):
            if loc.get(XML_LANG) == lang:
                loc.style = root
                root.locales.append(loc)

    add_inline(wanted)
    if language != wanted:
        add_inline(language)
    add_inline(None)
    resolved = resolve_locale(wanted)
    if resolved is None:
        notes.append(f"unknown locale {wanted!r}; using en-US")
    added: list[str] = []
    for name in (resolved, PRIMARY_DIALECTS.get(language) if resolved else None, "en-US"):
        if name and name in LANGUAGE_NAMES and name not in added:
            root.locales.append(load_locale(name, root.formatter))
            added.append(name)
    root.locale_name = resolved or "en-US"


def load_style(style: str | os.PathLike[str] | bytes, locale: str | None, formatter: Formatter) -> tuple[elements.Style, list[str]]:
    """The style root (an ``elements.Style``) with its locales set; and notes on the locale."""
    data, what = read_style_bytes(style)
    return _load(data, what, locale, formatter)


# Parsed styles kept for the next engine. A root is lent to one engine at a time (rendering
# sets state on its elements for the entry at hand) and given back when that engine is gone;
# what its elements learnt of the style (attributes, options, conditions) is kept with it,
# which is most of the cost of a short list. Keyed by the style's bytes, locale and output.
_POOL_KEYS = 16
_POOL_PER_KEY = 2
_pool: OrderedDict[tuple[Any, ...], list[tuple[elements.Style, list[str]]]] = OrderedDict()
_pool_lock = threading.Lock()


def borrow_style(
    style: str | os.PathLike[str] | bytes, locale: str | None, formatter: Formatter
) -> tuple[elements.Style, list[str], Callable[[], None]]:
    """A style root no one else uses, its locale notes, and the function that gives it back."""
    data, what = read_style_bytes(style)
    key = (hashlib.blake2b(data, digest_size=16).digest(), locale, formatter.name, id(formatter))
    with _pool_lock:
        free = _pool.get(key)
        lent = free.pop() if free else None
    root, notes = lent if lent is not None else _load(data, what, locale, formatter)

    def give_back() -> None:
        with _pool_lock:
            free = _pool.setdefault(key, [])
            _pool.move_to_end(key)
            if len(free) < _POOL_PER_KEY:
                free.append((root, notes))
            while len(_pool) > _POOL_KEYS:
                _pool.popitem(last=False)

    return root, list(notes), give_back


def _load(data: bytes, what: str, locale: str | None, formatter: Formatter) -> tuple[elements.Style, list[str]]:
    root = parse_xml(data, what)
    if not isinstance(root, cp.Style):
        raise CslStyleError(f"{what} is not a CSL style (root element is {etree.QName(root).localname!r})")
    if root.citation is None and root.bibliography is None:
        raise CslStyleError(f"{what} has neither a citation nor a bibliography")
    notes: list[str] = []
    wanted = locale or root.get("default-locale") or "en-US"
    root.formatter = formatter
    set_locales(root, wanted, notes)
    elements.prepare_style(root)
    return root, notes
