"""JATS / HTML / MathML fragments (Crossref titles and abstracts) -> CSL rich text.

The model's rich text keeps ``<i> <b> <sup> <sub>`` and the small-caps span;
other tags are dropped with their text kept, paragraphs are separated by a
blank line, MathML becomes TeX math in ``$...$``, entities are decoded. The
parser is a tolerant tag tokenizer (API metadata is often not well-formed XML),
never an XML parser, so no entity is ever expanded from a DTD.

LaTeX in free text (arXiv abstracts, copied listings) goes through
``from_latex`` - the one place that decides how LaTeX is handled.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

_TAG = re.compile(r"<(/?)([A-Za-z][\w:.-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*?)(/?)>")
_WS = re.compile(r"\s+")
_ESCAPED_TAG = re.compile(r"&lt;/?(?:jats:|mml:)?(?:i|em|b|strong|p|sub|sup|italic|bold|sc|math)\b", re.IGNORECASE)
_SMALL_CAPS = '<span style="font-variant:small-caps;">'

_INLINE = {
    "i": "i", "italic": "i", "em": "i", "emph": "i",
    "b": "b", "bold": "b", "strong": "b",
    "sup": "sup", "sub": "sub",
}
_SMALL_CAPS_TAGS = frozenset({"sc", "smallcaps", "small-caps"})
_BLOCKS = frozenset({"p", "para", "sec", "div", "list-item", "abstract", "trans-abstract", "br"})
_DROP = frozenset({"xref", "object-id", "label", "fn", "ref", "table-wrap", "fig", "graphic", "inline-graphic"})
_VOID = frozenset({"br", "hr", "img", "inline-graphic", "graphic", "mspace", "mprescripts", "none"})
# Real JATS/MathML nests a few dozen levels; deeper tags are dropped (their text kept) so
# the recursive renderers below stay far from Python's recursion limit on hostile input.
MAX_DEPTH = 64


@dataclass
class _Node:
    tag: str  # local name, lower case; "" for the root
    attrs: str = ""
    children: list["_Node | str"] = field(default_factory=list)


def _local(name: str) -> str:
    return name.rsplit(":", 1)[-1].lower()


def _parse(text: str) -> _Node:
    """Tags to a tree; stray closing tags are ignored, unclosed ones closed at the end."""
    root = _Node("")
    stack = [root]
    pos = 0
    for m in _TAG.finditer(text):
        if m.start() > pos:
            stack[-1].children.append(text[pos : m.start()])
        pos = m.end()
        closing, name, attrs, selfclose = m.group(1), _local(m.group(2)), m.group(3), m.group(4)
        if closing:
            for depth in range(len(stack) - 1, 0, -1):
                if stack[depth].tag == name:
                    del stack[depth:]
                    break
            continue
        if len(stack) > MAX_DEPTH:
            continue  # too deep: the tag is dropped, its text stays in the enclosing element
        node = _Node(name, attrs)
        stack[-1].children.append(node)
        if not selfclose and name not in _VOID:
            stack.append(node)
    if pos < len(text):
        stack[-1].children.append(text[pos:])
    return root


def _text_of(node: _Node | str) -> str:
    if isinstance(node, str):
        return html.unescape(node)
    return "".join(_text_of(c) for c in node.children)


# --- MathML -> TeX ------------------------------------------------------------

def _math_children(node: _Node) -> list[_Node]:
    return [c for c in node.children if isinstance(c, _Node)]


def _tex(node: _Node | str) -> str:
    if isinstance(node, str):
        return html.unescape(node).strip()
    kids = _math_children(node)
    args = [_tex(k) for k in kids]
    tag = node.tag
    if tag in ("mi", "mn", "mo", "mtext", "ms"):
        return _text_of(node).strip()
    if tag == "msup" and len(args) >= 2:
        return f"{args[0]}^{{{args[1]}}}"
    if tag == "msub" and len(args) >= 2:
        return f"{args[0]}_{{{args[1]}}}"
    if tag == "msubsup" and len(args) >= 3:
        return f"{args[0]}_{{{args[1]}}}^{{{args[2]}}}"
    if tag == "mfrac" and len(args) >= 2:
        return f"\\frac{{{args[0]}}}{{{args[1]}}}"
    if tag == "msqrt":
        return f"\\sqrt{{{''.join(args)}}}"
    if tag == "mroot" and len(args) >= 2:
        return f"\\sqrt[{args[1]}]{{{args[0]}}}"
    if tag in ("mover", "munder") and len(args) >= 2:
        return f"{args[0]}^{{{args[1]}}}" if tag == "mover" else f"{args[0]}_{{{args[1]}}}"
    if tag == "annotation" or tag == "annotation-xml":
        return ""
    if not kids:
        return _text_of(node).strip()
    return "".join(args)


# --- rendering ----------------------------------------------------------------

def _render(node: _Node, out: list[str]) -> None:
    for child in node.children:
        if isinstance(child, str):
            out.append(html.unescape(child))
            continue
        tag = child.tag
        if tag == "math":
            tex = _tex(child)
            if tex:
                out.append(f"${tex}$")
        elif tag == "tex-math":
            out.append(_text_of(child).strip())
        elif tag in ("inline-formula", "disp-formula", "alternatives"):
            # Prefer MathML (or TeX) once, not both renderings of the same formula.
            math = next((c for c in _math_children(child) if c.tag in ("math", "tex-math")), None)
            _render(_Node("", children=[math]) if math else child, out)
        elif tag in _DROP:
            continue
        elif tag in _INLINE:
            out.append(f"<{_INLINE[tag]}>")
            _render(child, out)
            out.append(f"</{_INLINE[tag]}>")
        elif tag in _SMALL_CAPS_TAGS or (tag == "span" and "small-caps" in child.attrs):
            out.append(_SMALL_CAPS)
            _render(child, out)
            out.append("</span>")
        elif tag == "title":
            heading = _WS.sub(" ", _text_of(child)).strip()
            if heading and heading.rstrip(":").lower() not in ("abstract", "summary", "graphical abstract"):
                out.append(f"\n\n{heading}\n\n")  # a section heading inside an abstract
        elif tag in _BLOCKS:
            out.append("\n\n")
            _render(child, out)
            out.append("\n\n")
        else:
            _render(child, out)


def _tidy(text: str) -> str:
    paragraphs = [_WS.sub(" ", p).strip() for p in text.split("\n\n")]
    text = "\n\n".join(p for p in paragraphs if p)
    return re.sub(r"<(i|b|sup|sub)>(\s*)</\1>", r"\2", text)


def markup_to_rich(text: str) -> str:
    """JATS/HTML/MathML text -> CSL rich text; plain text only gets whitespace tidied."""
    if "<" not in text and "&" not in text:
        return _WS.sub(" ", text).strip() if "\n\n" not in text else _tidy(text)
    if _ESCAPED_TAG.search(text):  # markup escaped twice by the depositor: "&lt;em&gt;"
        text = text.replace("&lt;", "<").replace("&gt;", ">")
    out: list[str] = []
    _render(_parse(text), out)
    return _tidy("".join(out))


def from_latex(text: str) -> str:
    """LaTeX-bearing free text (arXiv summaries, listing abstracts) -> rich text.

    Paragraphs are kept (blank-line separated), other whitespace collapsed, then
    ``text.latex.latex_to_rich`` decodes the LaTeX (markup to tags, math kept as
    ``$...$`` in a nocase span). This is the only LaTeX hook in the API/listing readers.
    """
    from .latex import latex_to_rich  # imported here: most reads never need it

    paragraphs = (_WS.sub(" ", p).strip() for p in re.split(r"\n\s*\n", text.strip()))
    return "\n\n".join(latex_to_rich(p) for p in paragraphs if p)
