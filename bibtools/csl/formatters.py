"""Output formats for the engine: plain text and HTML like citeproc-js writes them.

A formatter is a module-like object citeproc-py calls: ``preformat`` escapes
literal text, and ``Italic``/``Bold``/... wrap already formatted text.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Wrap = Callable[[object], str]


@dataclass(frozen=True)
class Formatter:
    """An output format, with the attribute names citeproc-py looks up on its formatter modules."""

    name: str
    preformat: Wrap
    Italic: Wrap
    Oblique: Wrap
    Bold: Wrap
    Light: Wrap
    Underline: Wrap
    Superscript: Wrap
    Subscript: Wrap
    SmallCaps: Wrap
    NoDecoration: Wrap


def _escape_html(text: object) -> str:
    # citeproc-js writes numeric entities; keep the same so output compares equal
    return str(text).replace("&", "&#38;").replace("<", "&#60;").replace(">", "&#62;")


def _tag(name: str, attributes: str = "") -> type[str]:
    class Wrapped(str):
        tag = name

        def __new__(cls, text: object) -> "Wrapped":
            return str.__new__(cls, f"<{name}{attributes}>{text}</{name}>")

    Wrapped.__name__ = f"Html_{name}"
    return Wrapped


HTML = Formatter(
    name="html",
    preformat=_escape_html,
    Italic=_tag("i"),
    Oblique=_tag("i"),
    Bold=_tag("b"),
    Light=_tag("span", ' style="font-weight:lighter;"'),
    Underline=_tag("span", ' style="text-decoration:underline;"'),
    Superscript=_tag("sup"),
    Subscript=_tag("sub"),
    SmallCaps=_tag("span", ' style="font-variant:small-caps;"'),
    NoDecoration=_tag("span", ' style="font-style:normal;"'),
)

TEXT = Formatter(
    name="text",
    preformat=str,
    Italic=str,
    Oblique=str,
    Bold=str,
    Light=str,
    Underline=str,
    Superscript=str,
    Subscript=str,
    SmallCaps=str,
    NoDecoration=str,
)

FORMATTERS: dict[str, Formatter] = {"html": HTML, "text": TEXT}
