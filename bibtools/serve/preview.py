"""The live preview: the formatted list, one entry re-rendered after an edit, a citation.

The engine renders HTML once; the plain text is the same markup through the text
renderer (what ``bibtools format`` prints), so the two never disagree.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..csl.api import cite, format_bibliography
from ..csl.cv import GROUP_BY
from ..csl.outputs import renderer
from ..model import Item

_TEXT = renderer("text")
_MARGIN = re.compile(r'<span class="csl-left-margin">.*?</span>', re.S)


@dataclass(frozen=True)
class PreviewOptions:
    style: str = "apa"
    locale: str | None = None
    highlight: str | None = None
    group_by: str | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "PreviewOptions":
        def text(name: str) -> str | None:
            value = data.get(name)
            return value.strip() or None if isinstance(value, str) else None

        group_by = text("group_by")
        if group_by is not None and group_by not in GROUP_BY:
            raise ValueError(f"unknown grouping {group_by!r}")
        return cls(style=text("style") or "apa", locale=text("locale"), highlight=text("highlight"), group_by=group_by)

    def formatting(self) -> dict[str, Any]:
        return {"locale": self.locale, "highlight": self.highlight, "group_by": self.group_by}


def entry_json(key: str, html: str, group: str | None = None) -> dict[str, Any]:
    return {"key": key, "html": html, "text": _TEXT.render(html), "group": group}


def render_list(items: list[Item], options: PreviewOptions) -> tuple[list[dict[str, Any]], list[str]]:
    """Every entry in the style's order (HTML and text), and the problems the engine reported."""
    if not items:
        return [], []
    bibliography = format_bibliography(items, options.style, output="html", **options.formatting())
    return [entry_json(e.id, e.text, e.group) for e in bibliography], [str(p) for p in bibliography.problems]


def render_one(item: Item, options: PreviewOptions, previous_html: str | None) -> dict[str, Any]:
    """``item`` alone in the style: an edit re-renders its entry, not the list. Its place in
    the list (a numeric style's number) is the one the whole list gave it."""
    bibliography = format_bibliography([item], options.style, output="html", locale=options.locale, highlight=options.highlight)
    html = bibliography[0].text if bibliography else ""
    old_margin = _MARGIN.search(previous_html or "")
    if old_margin is not None:
        html = _MARGIN.sub(lambda _: old_margin.group(0), html, count=1)
    return entry_json(item.id, html)


def render_citation(items: list[Item], options: PreviewOptions, keys: list[str], locator: str | None, label: str | None) -> dict[str, str]:
    html = cite(items, options.style, keys, locator=locator, label=label, locale=options.locale, output="html")
    return {"html": html, "text": _TEXT.render(html)}
