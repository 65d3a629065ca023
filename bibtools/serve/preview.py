"""The live preview: the formatted list, one entry re-rendered after an edit, a citation.

The engine renders HTML once; the plain text is the same markup through the text
renderer (what ``bibtools format`` prints), so the two never disagree.
"""
from __future__ import annotations

import hashlib
import os
import re
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..csl.api import cite, format_bibliography
from ..csl.cv import GROUP_BY
from ..csl.outputs import renderer
from ..csl.styles import resolve_style
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


class ListCache:
    """The last few whole-list previews, so asking again for a list already shown (the
    same records, the same options) costs no rendering.

    The key is everything the list is rendered from: the options, the style's file(s) as
    they are on disk now, and every item in full (its dataclass repr: fields, names, dates,
    key, type, order). An edit, a rename, a paste or a removal changes the key, so a stale
    list is never given back; the price of a miss is one repr per item.
    """

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self._lists: OrderedDict[tuple[Any, ...], tuple[list[dict[str, Any]], list[str]]] = OrderedDict()

    def render_list(self, items: list[Item], options: PreviewOptions) -> tuple[list[dict[str, Any]], list[str]]:
        style = _style_stamp(options.style)
        if style is None:  # not a style we can stamp: render, and let the engine say what is wrong
            return render_list(items, options)
        key = (options, style, hashlib.blake2b(repr(items).encode("utf-8", "surrogatepass")).digest())
        hit = self._lists.get(key)
        if hit is None:
            hit = self._lists[key] = render_list(items, options)
            while len(self._lists) > self.size:
                self._lists.popitem(last=False)
        else:
            self._lists.move_to_end(key)
        entries, problems = hit
        return [dict(e) for e in entries], list(problems)  # the caller adds to its copies


def _style_stamp(spec: str) -> tuple[str, ...] | None:
    """The style's resolution and the content of the files it comes from (a user's
    ``.csl`` can be rewritten between two previews); None if it does not resolve."""
    try:
        resolved = resolve_style(spec)
        paths = {resolved.path} | ({spec} if os.path.isfile(spec) else set())
        digests = tuple(hashlib.blake2b(Path(p).read_bytes()).hexdigest() for p in sorted(paths))
    except (OSError, ValueError, LookupError):
        return None
    return (repr(resolved),) + digests


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
