"""bibtools' subclasses of citeproc-py's CSL element classes.

Each class here replaces the citeproc-py class for its CSL element (see
``OVERRIDES``); the style loader binds them to the parsed XML.
"""
from __future__ import annotations

from typing import Any

from citeproc import LANGUAGE_NAMES, PRIMARY_DIALECTS
from citeproc import model as cp


class Style(cp.Style):
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


class Locale(cp.Locale):
    pass


def prepare_style(root: Any) -> None:
    """Normalise the parsed style so the element classes can rely on its shape."""


OVERRIDES: dict[str, type] = {
    "style": Style,
    "locale": Locale,
}
