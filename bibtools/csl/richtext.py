"""CSL rich text in item fields -> citeproc-py string segments.

Item text may hold ``<i> <b> <sup> <sub> <span style="font-variant:small-caps;">``
and ``<span class="nocase">``. Literal text is escaped for the output format,
markup becomes the output format's markup, and case-protected text becomes a
``NoCase`` segment that text-case leaves alone.
"""
from __future__ import annotations

import re
from typing import Any

from citeproc.string import MixedString, NoCase, String

from .finish import DATA_JOIN, KEEP_CASE, QUOTE_CLOSE, QUOTE_OPEN
from .formatters import Formatter

_TAG = re.compile(
    r'<(/?)(i|b|sup|sub|sc|span)(\s+(?:class|style)\s*=\s*"[^"]*")?\s*>', re.IGNORECASE
)


class Markup(NoCase):
    """An output-format tag: never case-changed, never split into words."""

    def lower(self) -> "Markup":
        return self

    def upper(self) -> "Markup":
        return self

    def replace(self, *args: Any, **kwargs: Any) -> "Markup":
        return self


# text-case leaves these alone (citeproc-js): nocase spans, small caps, super- and subscripts
_IMPLICIT_NOCASE = ("nocase", "smallcaps", "sup", "sub")
_HTML_OPEN = {
    "i": "<i>",
    "b": "<b>",
    "sup": "<sup>",
    "sub": "<sub>",
    "smallcaps": '<span style="font-variant:small-caps;">',
}
_HTML_CLOSE = {"i": "</i>", "b": "</b>", "sup": "</sup>", "sub": "</sub>", "smallcaps": "</span>"}


_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")


def _apostrophes(match: re.Match[str]) -> str:
    return "\u2019" * len(match.group())


def typographic_apostrophe(text: str) -> str:
    """Apostrophes in a name part: "O'Brien", "d'", and a leading "'t" (Dutch particle)."""
    text = _LONE_APOSTROPHE.sub(_apostrophes, _APOSTROPHE.sub("\u2019", text))
    return _LEADING_APOSTROPHE.sub("\u2019", text) if text.startswith("'") else text


# a quote pair does not close after a space ('"Positive Obligations "' stays as typed)
_QUOTED = (
    re.compile(r'(?<![\w])"([^"<>]*[^"<>\s])"'),
    re.compile(r"(?<![\w])'([^'<>]*[^'<>\s])'(?!\w)"),
)


def _quoted(match: re.Match[str], text: str) -> str:
    """An ASCII quote pair as quote markers. citeproc-js keeps the case of the quoted
    phrase's first word in title case when the quote opens right after a character other
    than a space ("(", ":"), when a single quote closes before a space ("two 'action'
    sports"), or when a double quote opens the text and closes before a space."""
    before = text[match.start() - 1] if match.start() else ""
    after = text[match.end()] if match.end() < len(text) else ""
    closes_before_space = after.isspace()
    if match.group(0).startswith("'"):
        keep = bool(before) and not before.isspace() or closes_before_space
    else:
        keep = bool(before) and not before.isspace() or not before and closes_before_space
    return QUOTE_OPEN + (KEEP_CASE if keep else "") + match.group(1) + QUOTE_CLOSE


_TYPED = (
    (re.compile(r"“([^“”]+)”"), "\ue002", "\ue003"),
    (re.compile(r"(?<!\w)‘([^‘’]+)’(?!\w)"), "\ue004", "\ue005"),
)
_LEADING_APOSTROPHE = re.compile(r"^'(?=\w)")
_LONE_APOSTROPHE = re.compile(r"(?<=\w)'+")  # a run after a letter: all apostrophes
_YEAR_APOSTROPHE = re.compile(r"(?<!\w)'(?=\d\d\b)")


# punctuation typed next to punctuation (or after a closing quote) in one field
_TYPED_PUNCTUATION_PAIR = re.compile(rf"(?<=[.,;:!?{QUOTE_CLOSE}\ue003\ue005])(?=[.,;:!?])")


def mark_quotes(text: str) -> str:
    """Quotes typed in the data become quote marks chosen when finishing (flip-flop);
    punctuation typed together is kept together (finishing merges only at junctions)."""
    text = _mark_quotes(text)
    if any(ch in text for ch in ".,;:!?"):
        text = _TYPED_PUNCTUATION_PAIR.sub(DATA_JOIN, text)
    return text


def _mark_quotes(text: str) -> str:
    if '"' in text or "'" in text:
        for pattern in _QUOTED:
            text = pattern.sub(lambda m: _quoted(m, m.string), text)
        text = _LONE_APOSTROPHE.sub(_apostrophes, text)  # "his' Years"
        # a single quote left unpaired is an apostrophe too ("d ' eau"), as in citeproc-js
        text = text.replace("'", "\u2019")
    if "“" in text or "‘" in text:
        for pattern, opening, closing in _TYPED:
            text = pattern.sub(lambda m: opening + m.group(1) + closing, text)
    return text


def parse(value: object, formatter: Formatter) -> MixedString | String:
    """Turn an item's text value into segments for ``formatter`` (TEXT or HTML)."""
    text = str(value)
    if "'" in text:
        text = _APOSTROPHE.sub("\u2019", text)  # O'Brien -> O’Brien, like citeproc-js
        text = _YEAR_APOSTROPHE.sub("\u2019", text)  # ETFA '09
    if "<" not in text:
        return String(formatter.preformat(mark_quotes(text)))
    # quote pairs may enclose markup ("<i>Title</i>"): mark them with the tags masked
    tags: list[str] = []

    def mask(match: re.Match[str]) -> str:
        tags.append(match.group(0))
        return chr(0xE100 + len(tags) - 1)

    masked = mark_quotes(_TAG.sub(mask, text))
    text = re.sub("[\ue100-\ue8ff]", lambda m: tags[ord(m.group()) - 0xE100], masked)
    html = formatter.name == "html"
    out = MixedString()
    stack: list[str] = []  # what each open <span>/<i>/... is
    nocase_depth = 0
    pos = 0

    def emit(chunk: str) -> None:
        nonlocal out
        if not chunk:
            return
        seg = formatter.preformat(chunk)
        out = out + (NoCase(seg) if nocase_depth else String(seg))

    for match in _TAG.finditer(text):
        emit(text[pos : match.start()])
        pos = match.end()
        closing, tag, attrs = match.group(1), match.group(2).lower(), (match.group(3) or "").lower()
        if not closing:
            if tag == "span" and "nodecor" in attrs:
                kind = "nodecor"
                nocase_depth += 1
                if html:
                    out = out + Markup('<span class="nodecor">')
            elif tag == "span" and "nocase" in attrs:
                kind = "nocase"
            elif tag == "span" and "small-caps" in attrs:
                kind = "smallcaps"
            elif tag == "span":
                kind = "plain"
            elif tag == "sc":
                kind = "smallcaps"
            else:
                kind = tag
            stack.append(kind)
            if kind in _IMPLICIT_NOCASE:
                nocase_depth += 1
            if kind in _HTML_OPEN and html:
                out = out + Markup(_HTML_OPEN[kind])
        else:
            if tag in ("span", "sc"):
                kind = stack.pop() if stack and stack[-1] in ("nocase", "nodecor", "smallcaps", "plain") else "plain"
                if kind == "nodecor":
                    nocase_depth -= 1
                    if html:
                        out = out + Markup("</span>")
                    continue
            elif tag in stack:
                while stack and stack[-1] != tag:
                    stack.pop()
                kind = stack.pop()
            else:
                emit(match.group(0))
                continue
            if kind in _IMPLICIT_NOCASE:
                nocase_depth -= 1
            if kind in _HTML_CLOSE and html:
                out = out + Markup(_HTML_CLOSE[kind])
    emit(text[pos:])
    if not out:
        return String("")
    return out
