"""bibtools' subclasses of citeproc-py's CSL element classes.

Each class here replaces the citeproc-py class for its CSL element (see
``OVERRIDES``); the style loader binds them to the parsed XML.
"""
from __future__ import annotations

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


_EXPLICIT: dict[str, type] = {
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
