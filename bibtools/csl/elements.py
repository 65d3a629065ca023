"""bibtools' subclasses of citeproc-py's CSL element classes.

Each class here replaces the citeproc-py class for its CSL element (see
``OVERRIDES``); the style loader binds them to the parsed XML.
"""
from __future__ import annotations

import re
import unicodedata
from functools import cmp_to_key
from typing import Any

from citeproc import LANGUAGE_NAMES, PRIMARY_DIALECTS
from citeproc import model as cp
from citeproc.string import String, join, normalize_seam

from .finish import QUOTE_CLOSE, QUOTE_OPEN


class Cached:
    """Mixin for every element: macros from a dict, ``calls_variable`` computed once.

    citeproc-py answers both with an XPath query per call, which dominated its run time.
    """

    def get_macro(self, name: str) -> Any:
        macros = self.get_root().__dict__.get("macros")
        if macros is None:
            return super().get_macro(name)  # type: ignore[misc]
        return macros[name]

    def calls_variable(self) -> bool:
        # (attribute lookups fall back to child elements in citeproc-py: use the dict)
        cached = self.__dict__.get("_calls_variable")
        if cached is None:
            cached = self.__dict__["_calls_variable"] = super().calls_variable()  # type: ignore[misc]
        return cached


class Style(Cached, cp.Style):
    def set_locales(self, wanted: str, notes: list[str]) -> None:
        """Locales searched for terms, in CSL order: in-style ones, then bundled files, en-US last."""
        from .style import XML_LANG, load_locale, resolve_locale

        self.locales = []
        language = wanted.split("-")[0]

        def add_inline(lang: str | None) -> None:
            for loc in self.findall(f"{{{self.nsmap['cs']}}}locale"):
                if loc.get(XML_LANG) == lang:
                    self.locales.append(loc)

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
                self.locales.append(load_locale(name))
                added.append(name)
        for loc in self.locales:
            loc.style = self
        self.locale_name = resolved or "en-US"



class Locale(Cached, cp.Locale):
    pass


def prepare_style(root: Any) -> None:
    """Normalise the parsed style so the element classes can rely on its shape.

    All element proxies are kept alive (``root.keepalive``), so per-element
    caches set as Python attributes survive; macros are looked up in a dict.
    """
    root.keepalive = list(root.iter())
    root.macros = {m.get("name"): m for m in root.findall(f"{{{CSL_NS}}}macro")}
    for loc in root.locales:
        if loc.getroottree() is not root.getroottree():
            loc.keepalive = list(loc.iter())


CSL_NS = "http://purl.org/net/xbiblio/csl"


class Layout(Cached, cp.Layout):
    def _render_list(self, children: list[Any], item: Any) -> Any:
        output = []
        for child in children:
            try:
                text = child.render(item, delimiter="") if isinstance(child, cp.Choose) else child.render(item)
            except cp.VariableError:
                continue
            if text is not None:
                output.append(text)
        return join(output) if output else None

    def render_bibliography(self, citation_items: list[Any]) -> list[Any]:
        """Entries; with ``second-field-align`` the first field goes in a left margin."""
        align = self.getparent().get("second-field-align")
        children = list(self.iterchildren())
        html = self.get_formatter().name == "html"
        out = []
        for item in citation_items:
            self.repressed = {}
            if not align or len(children) < 2:
                out.append(self.format(self.wrap(self._render_list(children, item))))
                continue
            first = self._render_list(children[:1], item)
            rest = self._render_list(children[1:], item)
            prefix, suffix = self.get("prefix", ""), self.get("suffix", "")
            left = self.format(prefix + first) if first is not None else ""
            right = self.format(rest + normalize_seam(rest, suffix)) if rest is not None else ""
            if html:
                out.append(f'<div class="csl-left-margin">{left}</div><div class="csl-right-inline">{right}</div>')
            else:
                out.append(f"{left} {right}" if left and right else f"{left}{right}")
        return out


class Text(Cached, cp.Text):
    def quote(self, string: Any) -> Any:
        if self.get("quotes", "false").lower() != "true":
            return string
        open_quote = self.get_single_term(name="open-quote")
        close_quote = self.get_single_term(name="close-quote")
        return String(QUOTE_OPEN) + open_quote + string + close_quote + String(QUOTE_CLOSE)


def _collation_key(value: Any) -> str:
    """Case- and accent-insensitive text for comparing sort keys, like a locale collation."""
    text = _MARKUP.sub("", str(value))
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.strip(" \"'“”‘’[(").casefold()


_MARKUP = re.compile(r"<[^>]+>|[\ue000\ue001]")


class Sort(Cached, cp.Sort):
    def sort(self, items: list[Any], context: Any) -> list[Any]:
        keys = list(self.findall(f"{{{CSL_NS}}}key"))
        columns = [key.sort_keys(items, context) for key in keys]
        descending = [key.get("sort", "ascending").lower() == "descending" for key in keys]

        def compare(a: int, b: int) -> int:
            for column, desc in zip(columns, descending):
                left, right = column[a], column[b]
                left = None if left in (None, "") else left
                right = None if right in (None, "") else right
                if left is None or right is None:
                    if left is None and right is None:
                        continue
                    return 1 if left is None else -1  # empty values last, either direction
                if isinstance(left, int) and isinstance(right, int):
                    lk: Any = left
                    rk: Any = right
                else:
                    lk, rk = _collation_key(left), _collation_key(right)
                    if lk.isdigit() and rk.isdigit():
                        lk, rk = int(lk), int(rk)
                result = (lk > rk) - (lk < rk)
                if result:
                    return -result if desc else result
            return (a > b) - (a < b)  # stable: registration order

        order = sorted(range(len(items)), key=cmp_to_key(compare))
        return [items[i] for i in order]


class Key(Cached, cp.Key):
    def sort_keys(self, items: list[Any], context: Any) -> list[Any]:
        if "macro" not in self.attrib:
            return super().sort_keys(items, context)
        demote = self.get_root().get("demote-non-dropping-particle", "display-and-sort")
        sort_options: dict[str, Any] = {"name-as-sort-order": "all"}
        # particles are demoted for sorting unless the style says "never"
        sort_options["demote-non-dropping-particle"] = "never" if demote == "never" else "display-and-sort"
        for option in ("names-min", "names-use-first", "names-use-last"):
            if option in self.attrib:
                sort_options[option.replace("names", "et-al")] = self.get(option)
        macro = self.get_macro(self.get("macro"))
        layout = context.get_layout()
        keys = []
        for item in items:
            layout.repressed = {}
            keys.append(macro.render(item, context=context, sort_options=sort_options))
        return keys


_EXPLICIT: dict[str, type] = {
    "sort": Sort,
    "key": Key,
    "text": Text,
    "layout": Layout,
    "style": Style,
    "locale": Locale,
}


def _all_classes() -> dict[str, type]:
    out: dict[str, type] = {}
    for cls in cp.CitationStylesElement.__subclasses__():
        tag = cls.__name__.replace("_", "-").lower()
        out[tag] = _EXPLICIT.get(tag) or type(cls.__name__, (Cached, cls), {"__module__": __name__})
    return out


OVERRIDES = _all_classes()
