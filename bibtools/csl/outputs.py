"""From the engine's HTML to the markup a user pastes: text, HTML, Markdown, RTF, LaTeX.

The engine renders HTML (its richest output). ``parse_html`` turns that into a
small tree of styled spans; one small class per target renders the tree,
escaping text for where it goes. Tags the engine has no business emitting (a
``<script>`` that slipped through unescaped) are kept as *text*, never markup.
"""
from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import ClassVar, Union

# Style kinds the tree knows; every renderer handles each of them.
ITALIC, BOLD, SMALLCAPS, SUPER, SUB = "i", "b", "sc", "sup", "sub"
ROMAN, UNBOLD, UNDERLINE, LINK = "roman", "unbold", "u", "a"
MARGIN, INLINE, BLOCK, INDENT = "margin", "inline", "block", "indent"

# A URL runs to the next white space: DOIs hold <, >, " and braces (SICI:
# 10.1002/(SICI)1097-4636(199706)35:4<517::AID-JBM13>3.0.CO;2-8). What ends a
# sentence, or closes a bracket the URL did not open, is left outside (``_url_end``).
_URL = re.compile(r"(?:https?|ftp)://\S+")
_PAIRS = {")": "(", "]": "[", ">": "<", "}": "{"}


def _url_end(candidate: str) -> int:
    """Length of the URL in ``candidate`` once trailing punctuation it does not own is cut."""
    end = len(candidate)
    while end:
        last = candidate[end - 1]
        if last in ".,;:!?'":
            end -= 1
        elif last in _PAIRS and candidate.count(_PAIRS[last], 0, end) < candidate.count(last, 0, end):
            end -= 1
        elif last == '"' and candidate.count('"', 0, end) % 2:
            end -= 1
        else:
            break
    return end


def link_target(url: str, unsafe: str) -> str:
    """``url`` with the characters the target syntax cannot hold percent-encoded (never dropped or cut)."""
    return "".join(f"%{ord(c):02X}" if c in unsafe or ord(c) < 32 or c == " " else c for c in url)


@dataclass
class Span:
    kind: str | None  # None: a transparent group
    children: list[Union["Span", str]] = field(default_factory=list)
    href: str | None = None

    def plain(self) -> str:
        return "".join(c if isinstance(c, str) else c.plain() for c in self.children)


_STYLE_KINDS = (
    ("font-variant:small-caps", SMALLCAPS),
    ("font-style:italic", ITALIC),
    ("font-style:oblique", ITALIC),
    ("font-style:normal", ROMAN),
    ("font-weight:bold", BOLD),
    ("font-weight:normal", UNBOLD),
    ("text-decoration:underline", UNDERLINE),
    ("vertical-align:sup", SUPER),
    ("vertical-align:sub", SUB),
)
_TAG_KINDS = {"i": ITALIC, "em": ITALIC, "b": BOLD, "strong": BOLD, "sup": SUPER, "sub": SUB, "u": UNDERLINE}
_DIV_KINDS = {"csl-left-margin": MARGIN, "csl-right-inline": INLINE, "csl-block": BLOCK, "csl-indent": INDENT}
_VOID = {"br", "wbr"}
# A reference nests a dozen spans; deeper ones (a title of 20,000 nested <i>) are flattened,
# their text kept, so the recursive renderers stay far from Python's recursion limit.
MAX_DEPTH = 64


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Span(None)
        self.stack: list[tuple[str, Span]] = [("", self.root)]
        self.flattened: dict[str, int] = {}  # tag -> open tags dropped for depth, not yet closed

    def _open(self, tag: str, span: Span) -> None:
        self.stack[-1][1].children.append(span)
        self.stack.append((tag, span))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        opens = tag in _TAG_KINDS or tag in ("span", "div") or (tag == "a" and bool(a.get("href")))
        if opens and len(self.stack) > MAX_DEPTH:
            self.flattened[tag] = self.flattened.get(tag, 0) + 1
            return
        if tag in _TAG_KINDS:
            self._open(tag, Span(_TAG_KINDS[tag]))
        elif tag == "span":
            style = a.get("style", "").replace(" ", "").lower()
            kinds = [k for marker, k in _STYLE_KINDS if marker in style]
            outer = Span(kinds[0] if kinds else None)
            self._open(tag, outer)
            inner = outer
            for extra in kinds[1:]:  # several properties on one span nest
                nested = Span(extra)
                inner.children.append(nested)
                inner = nested
            if inner is not outer:
                self.stack[-1] = (tag, inner)
        elif tag == "div":
            classes = a.get("class", "").split()
            kind = next((_DIV_KINDS[c] for c in classes if c in _DIV_KINDS), None)
            self._open(tag, Span(kind))
        elif tag == "a" and a.get("href"):
            self._open(tag, Span(LINK, href=a["href"]))
        elif tag in _VOID:
            self.stack[-1][1].children.append(" ")
        else:  # not markup the engine emits: keep it visible, as text
            self.stack[-1][1].children.append(self.get_starttag_text() or f"<{tag}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            self.stack[-1][1].children.append(" ")
        else:
            self.stack[-1][1].children.append(self.get_starttag_text() or f"<{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        if self.flattened.get(tag):  # the innermost tags were dropped for depth: so are their ends
            self.flattened[tag] -= 1
            return
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return
        if tag not in _VOID:
            self.stack[-1][1].children.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.stack[-1][1].children.append(data)


def parse_html(fragment: str) -> Span:
    """The engine's HTML for one entry or citation -> a tree of styled spans."""
    builder = _TreeBuilder()
    builder.feed(fragment)
    builder.close()
    return builder.root


def _split_urls(text: str) -> list[tuple[str, bool]]:
    """Text cut into (piece, is_url) so URLs are never escaped into something else."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for m in _URL.finditer(text):
        if m.start() < pos:
            continue
        end = m.start() + _url_end(m.group(0))
        if m.start() > pos:
            out.append((text[pos : m.start()], False))
        out.append((text[m.start():end], True))
        pos = end
    if pos < len(text):
        out.append((text[pos:], False))
    return out


class Renderer:
    """One markup target. Subclasses say how text is escaped and spans are wrapped."""

    name: ClassVar[str] = ""
    suffix: ClassVar[str] = ".txt"
    entry_separator: ClassVar[str] = "\n"

    def escape(self, text: str) -> str:
        return text

    def url(self, url: str) -> str:
        return self.escape(url)

    def wrap(self, kind: str, inner: str, span: Span) -> str:
        return inner

    # -- tree walking ----------------------------------------------------------
    def text(self, text: str) -> str:
        return "".join(self.url(p) if is_url else self.escape(p) for p, is_url in _split_urls(text))

    def render_span(self, span: Span) -> str:
        parts: list[str] = []
        children = span.children
        for index, child in enumerate(children):
            if isinstance(child, str):
                parts.append(self.text(child))
                continue
            inner = self.render_span(child)
            if child.kind == MARGIN:
                parts.append(self.wrap(MARGIN, inner.strip(), child))
                follows = children[index + 1] if index + 1 < len(children) else None
                if follows is not None and not (isinstance(follows, str) and follows[:1].isspace()):
                    parts.append(" ")  # "[1] Y. LeCun": the margin and the entry never run together
            elif child.kind is None:
                parts.append(inner)
            elif not inner.strip() and child.kind not in (MARGIN, INLINE):
                parts.append(inner)
            else:
                parts.append(self.wrap(child.kind, inner, child))
        return "".join(parts)

    def render(self, engine_html: str) -> str:
        """One entry or citation, from the engine's HTML to this markup (outer whitespace trimmed)."""
        return _squeeze(self.render_span(parse_html(engine_html.strip()))).strip()

    # -- documents -----------------------------------------------------------
    def number(self, n: int) -> str:
        return self.escape(f"{n}. ")

    def heading(self, title: str) -> str:
        return self.escape(title)

    def document(self, blocks: Sequence[tuple[str, str]]) -> str:
        """Join ("heading"|"entry", rendered) blocks into one pasteable document."""
        lines: list[str] = []
        for kind, text in blocks:
            if kind == "heading" and lines:
                lines.append("")
            lines.append(text)
            if kind == "heading":
                lines.append("")
        return "\n".join(lines) + ("\n" if lines else "")


def _squeeze(text: str) -> str:
    return re.sub(r"[ \t]*\n[ \t\n]*", " ", text)


class TextRenderer(Renderer):
    name = "text"
    suffix = ".txt"

    def heading(self, title: str) -> str:
        return title


class HtmlRenderer(Renderer):
    name = "html"
    suffix = ".html"
    _TAGS: ClassVar[dict[str, tuple[str, str]]] = {
        ITALIC: ("<i>", "</i>"),
        BOLD: ("<b>", "</b>"),
        SMALLCAPS: ('<span style="font-variant:small-caps;">', "</span>"),
        SUPER: ("<sup>", "</sup>"),
        SUB: ("<sub>", "</sub>"),
        ROMAN: ('<span style="font-style:normal;">', "</span>"),
        UNBOLD: ('<span style="font-weight:normal;">', "</span>"),
        UNDERLINE: ('<span style="text-decoration:underline;">', "</span>"),
        MARGIN: ('<span class="csl-left-margin">', "</span>"),
        INLINE: ('<span class="csl-right-inline">', "</span>"),
        BLOCK: ('<span class="csl-block">', "</span>"),
        INDENT: ('<span class="csl-indent">', "</span>"),
    }

    def escape(self, text: str) -> str:
        return html.escape(text, quote=False)

    _HREF_UNSAFE = '<>"{}|\\^`'

    def url(self, url: str) -> str:
        quoted = html.escape(link_target(url, self._HREF_UNSAFE), quote=True)
        return f'<a href="{quoted}">{html.escape(url, quote=False)}</a>'

    def wrap(self, kind: str, inner: str, span: Span) -> str:
        if kind == LINK:
            if inner.startswith("<a "):  # the URL in the text already became a link
                return inner
            return f'<a href="{html.escape(link_target(span.href or "", self._HREF_UNSAFE), quote=True)}">{inner}</a>'
        start, end = self._TAGS.get(kind, ("", ""))
        return f"{start}{inner}{end}"

    def heading(self, title: str) -> str:
        return f"<h2>{self.escape(title)}</h2>"

    def document(self, blocks: Sequence[tuple[str, str]]) -> str:
        lines = ['<div class="csl-bib-body">']
        for kind, text in blocks:
            lines.append(f"  {text}" if kind == "heading" else f'  <div class="csl-entry">{text}</div>')
        lines.append("</div>")
        return "\n".join(lines) + "\n"


class MarkdownRenderer(Renderer):
    name = "markdown"
    suffix = ".md"
    _SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~])")
    _MARKS: ClassVar[dict[str, tuple[str, str]]] = {
        ITALIC: ("*", "*"),
        BOLD: ("**", "**"),
        SMALLCAPS: ('<span style="font-variant:small-caps;">', "</span>"),  # Markdown has none: inline HTML
        SUPER: ("<sup>", "</sup>"),
        SUB: ("<sub>", "</sub>"),
    }

    def escape(self, text: str) -> str:
        return self._SPECIAL.sub(r"\\\1", text)

    def url(self, url: str) -> str:
        return f"<{link_target(url, '<>')}>"  # an autolink: verbatim, but it cannot hold < > or spaces

    def wrap(self, kind: str, inner: str, span: Span) -> str:
        if kind == LINK and span.href:
            if inner.startswith("<") and inner.endswith(">"):  # already an autolink
                return inner
            return f"[{inner}](<{link_target(span.href, '<>')}>)"
        start, end = self._MARKS.get(kind, ("", ""))
        if not start:
            return inner
        # "* x*" is not emphasis in Markdown: keep the spaces outside the markers
        lead = inner[: len(inner) - len(inner.lstrip())]
        trail = inner[len(inner.rstrip()) :]
        return f"{lead}{start}{inner.strip()}{end}{trail}"

    def render(self, engine_html: str) -> str:
        out = super().render(engine_html)
        # "1. Smith" or "- Smith" at the start would become a Markdown list item
        return re.sub(r"^(\d+)\.(\s)", r"\1\\.\2", re.sub(r"^([-+])(\s)", r"\\\1\2", out))

    def number(self, n: int) -> str:
        return f"{n}\\. "

    def heading(self, title: str) -> str:
        return f"## {self.escape(title)}"

    def document(self, blocks: Sequence[tuple[str, str]]) -> str:
        return "\n\n".join(text for _, text in blocks) + ("\n" if blocks else "")


class RtfRenderer(Renderer):
    name = "rtf"
    suffix = ".rtf"
    _GROUPS: ClassVar[dict[str, str]] = {
        ITALIC: r"\i",
        BOLD: r"\b",
        SMALLCAPS: r"\scaps",
        SUPER: r"\super",
        SUB: r"\sub",
        ROMAN: r"\i0",
        UNBOLD: r"\b0",
        UNDERLINE: r"\ul",
    }

    def escape(self, text: str) -> str:
        out = []
        for ch in text:
            code = ord(ch)
            if ch in "\\{}":
                out.append("\\" + ch)
            elif ch == "\t":
                out.append(r"\tab ")
            elif code < 128:
                out.append(ch)
            else:
                for unit in _utf16_units(ch):  # RTF's \u takes a signed 16-bit number
                    out.append(f"\\u{unit - 65536 if unit > 32767 else unit}?")
        return "".join(out)

    def wrap(self, kind: str, inner: str, span: Span) -> str:
        control = self._GROUPS.get(kind)
        return f"{{{control} {inner}}}" if control else inner

    def heading(self, title: str) -> str:
        return f"{{\\b {self.escape(title)}}}"

    def document(self, blocks: Sequence[tuple[str, str]]) -> str:
        body = "\n".join(f"{text}\\par" for _, text in blocks)
        return "{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Times New Roman;}}\\f0\\fs24\n" + body + "\n}\n"


def _utf16_units(ch: str) -> list[int]:
    data = ch.encode("utf-16-be")
    return [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data), 2)]


class LatexRenderer(Renderer):
    name = "latex"
    suffix = ".tex"
    _ESCAPES: ClassVar[dict[str, str]] = {
        "\\": r"\textbackslash{}",
        "{": r"\{",
        "}": r"\}",
        "$": r"\$",
        "&": r"\&",
        "#": r"\#",
        "%": r"\%",
        "_": r"\_",
        "^": r"\textasciicircum{}",
        "~": r"\textasciitilde{}",
        "<": r"\textless{}",
        ">": r"\textgreater{}",
        "\u00a0": "~",
    }
    _COMMANDS: ClassVar[dict[str, str]] = {
        ITALIC: r"\textit",
        BOLD: r"\textbf",
        SMALLCAPS: r"\textsc",
        SUPER: r"\textsuperscript",
        SUB: r"\textsubscript",
        ROMAN: r"\textup",
        UNBOLD: r"\textmd",
        UNDERLINE: r"\underline",
    }

    def escape(self, text: str) -> str:
        return "".join(self._ESCAPES.get(ch, ch) for ch in text)

    # \url and \href take their argument almost verbatim: braces (which need not balance in a
    # URL) and backslashes are percent-encoded, % and # escaped as hyperref wants.
    @staticmethod
    def _tex_url(url: str) -> str:
        return link_target(url, "{}\\").replace("%", r"\%").replace("#", r"\#")

    def url(self, url: str) -> str:
        return r"\url{" + self._tex_url(url) + "}"

    def wrap(self, kind: str, inner: str, span: Span) -> str:
        if kind == LINK:
            if inner.startswith("\\url{"):
                return inner
            href = self._tex_url(span.href or "")
            return rf"\href{{{href}}}{{{inner}}}"
        command = self._COMMANDS.get(kind)
        return f"{command}{{{inner}}}" if command else inner

    def heading(self, title: str) -> str:
        return rf"\subsection*{{{self.escape(title)}}}"

    def document(self, blocks: Sequence[tuple[str, str]]) -> str:
        return "\n\n".join(text for _, text in blocks) + ("\n" if blocks else "")


RENDERERS: dict[str, type[Renderer]] = {
    cls.name: cls for cls in (TextRenderer, HtmlRenderer, MarkdownRenderer, RtfRenderer, LatexRenderer)
}
OUTPUT_NAMES: tuple[str, ...] = tuple(RENDERERS)


def renderer(name: str) -> Renderer:
    try:
        return RENDERERS[name.lower()]()
    except KeyError:
        raise ValueError(f"unknown output {name!r} (known: {', '.join(RENDERERS)})") from None


def convert(engine_html: str, output: str) -> str:
    """One entry or citation from the engine's HTML to ``output`` markup."""
    return renderer(output).render(engine_html)


__all__ = ["OUTPUT_NAMES", "RENDERERS", "Renderer", "Span", "convert", "parse_html", "renderer"]
