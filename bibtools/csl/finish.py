"""Output finishing: typographic rules applied to a rendered citation or entry.

Quotes are only marked while rendering (``QUOTE_OPEN``/``QUOTE_CLOSE``, both for
``quotes="true"`` and for quotes typed in the data); finishing moves periods and
commas inside them when the locale says so, then writes the locale's outer or
inner quotes by nesting depth (flip-flop). In HTML, italics inside italics
become upright (``font-style:normal``), likewise bold and small caps.
"""
from __future__ import annotations

import re
from typing import Protocol

QUOTE_OPEN = "\ue000"
QUOTE_CLOSE = "\ue001"
# a closing quote typed in a cite's prefix or suffix: punctuation is not moved across it
AFFIX_QUOTE_CLOSE = "\ue006"
# angle brackets typed in number variables or a style's affixes, escaped only when finishing HTML
LT, GT = "\ue007", "\ue008"
# typographic quotes typed in the data: kept as typed at the top level, flipped inside quotes
TYPED_OPEN = {"\ue002": "“", "\ue004": "‘"}
TYPED_CLOSE = {"\ue003": "”", "\ue005": "’"}
_QUOTE_MARK = re.compile("[" + QUOTE_OPEN + QUOTE_CLOSE + AFFIX_QUOTE_CLOSE + "".join(TYPED_OPEN) + "".join(TYPED_CLOSE) + "]")
_SUPERSCRIPTS = {}
_SUPER_RANGES = ((0x00A0, 0x0300), (0x1D2C, 0x1D6B), (0x2070, 0x20A0), (0x2120, 0x2123), (0x3192, 0x31A0))
for _start, _end in _SUPER_RANGES:
    for _code in range(_start, _end):
        _decomposition = __import__("unicodedata").decomposition(chr(_code))
        if _decomposition.startswith("<super> "):  # "℠" is "<super> 0053 004D"
            _SUPERSCRIPTS[chr(_code)] = "".join(chr(int(c, 16)) for c in _decomposition.split()[1:])
# modifier letters citeproc-js also writes as superscripts (no <super> decomposition)
_SUPERSCRIPTS.update({"\u02c0": "\u0294", "\u02c1": "\u0295", "\u06e5": "\u0648", "\u06e6": "\u064a"})
_SUPERSCRIPT_RUN = re.compile("[" + "".join(_SUPERSCRIPTS) + "]")
# Between two punctuation marks typed in one field (or after a quote closed in it), so
# that "HOGWILD!: A" and "'baby'?" stay as typed: citeproc-js merges punctuation only
# where a field meets the style's affixes and delimiters. Removed when finishing.
DATA_JOIN = "\ue011"
# before the suffix of an element that holds others (see elements.MergingSuffix): the only
# place where punctuation merges outside quotes ("Why?" + "." -> "Why?"); removed when finishing
MERGE = "\ue013"
# before the first word of an ASCII-quoted phrase whose case citeproc-js keeps as typed in
# title case ("two 'action' sports"); removed when finishing
KEEP_CASE = "\ue012"
_CLOSES = f"{QUOTE_CLOSE}\ue003\ue005"
# a closing quote (with any closing tags around it) and the punctuation after it
_QUOTE_JUNCTION = re.compile(
    rf"([.,;:!?])?((?:</[a-z]+>)*[{_CLOSES}](?:[{_CLOSES}]|</[a-z]+>)*)((?:{MERGE}?[.,;:!?])*)"
)
_LEADING_CLOSE_TAGS = re.compile(r"(?:</[a-z]+>)*")
_DOUBLED_ACROSS_TAGS = re.compile(rf"([.,;:!?])((?:</[a-z]+>)+){MERGE}?\1")
# at a merging junction a repeated mark is dropped ("survey." and ". https" give "survey. https")
_DOUBLED_AT_MERGE = re.compile(rf"([.,;:!?])((?:</[a-z]+>)*){MERGE}\1")
# at a merging suffix, a period or colon after stronger punctuation is dropped ("Why?." -> "Why?")
_SWALLOWED = re.compile(rf"([;!?:])((?:</[a-z]+>)*){MERGE}[.:]")
# and an exclamation or question mark replaces a colon or semicolon before it ("a:! b" -> "a! b")
_REPLACES_WEAK = re.compile(rf"[:;]((?:</[a-z]+>)*){MERGE}([!?])(?=\s|$|<|[{_CLOSES}])")


def merge_pair(left: str, right: str) -> str:
    """Two punctuation marks that meet, as citeproc-js merges them: a repeated mark once,
    "?" or "!" absorb a following "." or ":", and replace a ":" or ";" before them,
    ":" and ";" absorb a "." (";" a ":" too); any other pair stays ("?," ".," ":,")."""
    if left == right:
        return left
    if left in "!?" and right in ".:":
        return left
    if left in ":;" and right in "!?":
        return right
    if left == ":" and right == "." or left == ";" and right in ".:":
        return left
    return left + right
_HTML_TAG = re.compile(r"<(/?)(i|b|span)((?:\s[^>]*)?)>")
_FLIPS = {
    "i": ("<i>", "</i>", '<span style="font-style:normal;">'),
    "b": ("<b>", "</b>", '<span style="font-weight:normal;">'),
    "sc": ('<span style="font-variant:small-caps;">', "</span>", '<span style="font-variant:normal;">'),
}


def _into_quote(match: re.Match[str]) -> str:
    """Punctuation in quote (US English): a following "." "," "!" "?" moves inside and
    merges with the quote's last mark ("?," stays); ";" and ":" stay outside, once, unless
    they are the suffix of an element holding the quote ("“Deep?”" and ":" give "“Deep?”",
    "“Deep.:”", "“Deep:”")."""
    inside, run, after = match.group(1) or "", match.group(2), match.group(3)
    merging = after.startswith(MERGE)
    after = after.replace(MERGE, "")
    # No mark of its own before the quote: the moved one goes just inside the quote, after the
    # tags that close there ("<i>urbis</i>." in quotes gives "<i>urbis</i>.”", as citeproc-js).
    tags = "" if inside else _LEADING_CLOSE_TAGS.match(run).group()
    taken = 0
    for mark in after:
        if mark in ";:" and not merging:
            if inside[-1:] == mark:
                taken += 1
                continue
            break
        inside = inside[:-1] + merge_pair(inside[-1], mark) if inside else mark
        taken += 1
    return tags + inside + run[len(tags):] + after[taken:]


def _out_of_quote(match: re.Match[str]) -> str:
    """Punctuation outside quotes (British English...): the suffix of an element holding
    the quote merges into the quote's last mark when they make one mark ("‘Deep?’" and
    "." give "‘Deep?’"); then a quote's last "," ";" ":" moves out and merges with what
    follows; after "." "!" "?" only a repeated mark is dropped."""
    inside, run, after = match.group(1) or "", match.group(2), match.group(3)
    if after.startswith(MERGE):
        after = after.replace(MERGE, "")
        while inside and after and len(merge_pair(inside, after[0])) == 1:
            inside, after = merge_pair(inside, after[0]), after[1:]
    after = after.replace(MERGE, "")
    if inside in (",", ";", ":"):
        outside = inside
        for mark in after:
            outside = outside[:-1] + merge_pair(outside[-1], mark)
        return run + outside
    if inside and after[:1] == inside:
        after = after[1:]
    return inside + run + after


class LocaleSource(Protocol):
    """What the finisher reads from a style root (an ``elements.Style``)."""

    def get_locale_option(self, name: str) -> object: ...

    def get_single_term(self, name: str) -> object: ...


class Finisher:
    """The locale's quotes and punctuation-in-quote rule, applied to finished text."""

    def __init__(self, root: LocaleSource, html: bool = False) -> None:
        option = root.get_locale_option("punctuation-in-quote") or "false"
        self.punctuation_in_quote = str(option).lower() == "true"
        self.html = html
        self.outer = (str(root.get_single_term("open-quote")) or "“", str(root.get_single_term("close-quote")) or "”")
        self.inner = (
            str(root.get_single_term("open-inner-quote")) or "‘",
            str(root.get_single_term("close-inner-quote")) or "’",
        )

    def __call__(self, text: str) -> str:
        if "</" in text:
            text = _DOUBLED_ACROSS_TAGS.sub(r"\1\2", text)
        if MERGE in text:
            text = _DOUBLED_AT_MERGE.sub(r"\1\2", text)
            text = _SWALLOWED.sub(r"\1\2", text)
            text = _REPLACES_WEAK.sub(r"\1\2", text)
        if self.html and _SUPERSCRIPT_RUN.search(text):
            text = _SUPERSCRIPT_RUN.sub(lambda m: f"<sup>{_SUPERSCRIPTS[m.group()]}</sup>", text)
        if QUOTE_CLOSE in text or "\ue003" in text or "\ue005" in text or AFFIX_QUOTE_CLOSE in text:
            junction = _into_quote if self.punctuation_in_quote else _out_of_quote
            text = _QUOTE_JUNCTION.sub(junction, text)
            text = self._quotes(text)
        if DATA_JOIN in text or KEEP_CASE in text or MERGE in text:
            text = text.replace(DATA_JOIN, "").replace(KEEP_CASE, "").replace(MERGE, "")
        if LT in text or GT in text:
            text = text.replace(LT, "&#60;" if self.html else "<").replace(GT, "&#62;" if self.html else ">")
        if self.html and text.count("<") > 1:
            text = flip_flop(text)
        elif "nodecor" in text:
            text = re.sub(r'<span class="nodecor[^"]*">', "", text)
        return text

    def _quotes(self, text: str) -> str:
        """Quote marks by depth (outer, inner, outer...); only the marks are visited."""
        depth = 0

        def mark(match: re.Match[str]) -> str:
            nonlocal depth
            ch = match.group()
            if ch == QUOTE_OPEN:
                depth += 1
                return self.outer[0] if depth % 2 else self.inner[0]
            if ch == QUOTE_CLOSE or ch == AFFIX_QUOTE_CLOSE:
                if depth == 0:
                    return ""
                depth -= 1
                return self.outer[1] if (depth + 1) % 2 else self.inner[1]
            if ch in TYPED_OPEN:
                depth += 1
                return TYPED_OPEN[ch] if depth == 1 else (self.inner[0] if (depth - 1) % 2 else self.outer[0])
            depth = max(depth - 1, 0)
            return TYPED_CLOSE[ch] if depth == 0 else (self.inner[1] if depth % 2 else self.outer[1])

        return _QUOTE_MARK.sub(mark, text)


def flip_flop(html: str) -> str:
    """Nested italics/bold/small caps are set back to normal inside their own kind."""
    active = {"i": False, "b": False, "sc": False}
    stack: list[tuple[str, bool, bool]] = []  # (kind, flipped, previous state)
    out: list[str] = []
    pos = 0
    for match in _HTML_TAG.finditer(html):
        out.append(html[pos : match.start()])
        pos = match.end()
        closing, tag, attrs = match.group(1), match.group(2), match.group(3) or ""
        kind = tag if tag in ("i", "b") else ("sc" if "small-caps" in attrs else "span")
        if not closing and "nodecor" in attrs:
            # undo the decoration active here (nothing to undo: no tag)
            only = attrs.split("nodecor-", 1)[1].split('"')[0] if "nodecor-" in attrs else None
            undo = [k for k in ("i", "b", "sc") if active[k] and (only is None or k == only)]
            opening = "".join(_FLIPS[k][2] for k in undo)
            stack.append(("nodecor", bool(undo), False))
            stack[-1] = ("nodecor:" + ",".join(undo), bool(undo), False)
            for k in undo:
                active[k] = False
            out.append(opening)
            continue
        if not closing:
            if kind == "span":
                stack.append(("span", False, False))
                out.append(match.group(0))
                continue
            was = active[kind]
            stack.append((kind, was, was))
            active[kind] = not was
            out.append(_FLIPS[kind][2] if was else match.group(0))
            continue
        # a closing tag: </i> and </b> close their kind, </span> the innermost span
        wanted = {"i": ("i",), "b": ("b",)}.get(tag, ("span", "sc", "nodecor"))
        for index in range(len(stack) - 1, -1, -1):
            if stack[index][0].split(":")[0] in wanted:
                kind, flipped, previous = stack.pop(index)
                if kind.startswith("nodecor"):
                    undone = [k for k in kind.split(":", 1)[1].split(",") if k] if ":" in kind else []
                    for k in undone:
                        active[k] = True
                    out.append("</span>" * len(undone))
                    break
                if kind != "span":
                    active[kind] = previous
                out.append("</span>" if flipped else (_FLIPS[kind][1] if kind != "span" else "</span>"))
                break
        else:
            out.append(match.group(0))
    out.append(html[pos:])
    return "".join(out)
