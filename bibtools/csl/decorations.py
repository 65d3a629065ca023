"""Explicit "normal" decorations and ``vertical-align="baseline"`` in HTML, as citeproc-js.

citeproc-py writes nothing for ``font-style="normal"`` (likewise ``font-weight``
and ``font-variant``). citeproc-js sets the text upright when it sits inside
italics and writes nothing otherwise: the text is wrapped in a ``nodecor-<kind>``
marker span that ``finish.flip_flop`` turns into ``font-style:normal`` or drops.
``vertical-align="baseline"`` is written as citeproc-js's ``<span style="baseline">``.
"""
from __future__ import annotations

from typing import Any

from citeproc import model as cp

from .formatters import _tag

_NORMAL = {
    "font-style": _tag("span", ' class="nodecor-i"'),
    "font-weight": _tag("span", ' class="nodecor-b"'),
    "font-variant": _tag("span", ' class="nodecor-sc"'),
}
_BASELINE = _tag("span", ' style="baseline"')


class Decorated:
    """Mixin for every formatted element (before citeproc-py's class in the MRO)."""

    def _normal(self, attribute: str, text: Any) -> Any:
        if self.get(attribute) == "normal" and text and self.get_formatter().name == "html":  # type: ignore[attr-defined]
            return _NORMAL[attribute](text)
        return text

    def font_style(self, text: Any) -> Any:
        return self._normal("font-style", super().font_style(text))  # type: ignore[misc]

    def font_weight(self, text: Any) -> Any:
        return self._normal("font-weight", super().font_weight(text))  # type: ignore[misc]

    def font_variant(self, text: Any) -> Any:
        return self._normal("font-variant", super().font_variant(text))  # type: ignore[misc]

    def vertical_align(self, text: Any) -> Any:
        if self.get("vertical-align") == "baseline" and text and self.get_formatter().name == "html":  # type: ignore[attr-defined]
            return _BASELINE(text)
        return super().vertical_align(text)  # type: ignore[misc]


def decorated(cls: type) -> type:
    """``cls`` with explicit normal decorations written (``cls`` itself if not formatted)."""
    if not issubclass(cls, cp.Formatted) or issubclass(cls, Decorated):
        return cls
    return type(cls.__name__, (Decorated, cls), {"__module__": cls.__module__})
