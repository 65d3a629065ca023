"""LaTeX <-> Unicode and CSL rich text, for BibTeX field values.

Reading (``latex_to_rich``): accents and symbol commands become Unicode,
``\\emph``/``\\textit``/``\\textbf``/``\\textsc``/``\\textsuperscript``/
``\\textsubscript`` (and ``{\\it ...}``-style declarations) become CSL rich
text tags, a brace group at the top level becomes ``<span class="nocase">``
(BibTeX's case protection), a group that starts with a command (``{\\"u}``)
does not (BibTeX's "special character"), and math ``$...$`` is kept verbatim
inside a nocase span. Unknown commands are kept verbatim so they survive a
round trip. Most values hold no backslash, brace, dollar or tilde: those take
a fast path that does no work at all.

Writing (``rich_to_latex``) is the inverse: tags back to commands, nocase
spans back to braces, LaTeX specials escaped, and with ``ascii=True`` every
non-ASCII character as a LaTeX accent or symbol command. The pair is built so
that ``latex_to_rich(rich_to_latex(x)) == x`` for rich text ``x``.
"""
from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache

NOCASE_OPEN = '<span class="nocase">'
SC_OPEN = '<span style="font-variant:small-caps;">'

# \<accent><letter> -> combining mark.
ACCENTS: dict[str, str] = {
    "'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304",
    ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "k": "\u0328",
    "d": "\u0323", "b": "\u0331", "r": "\u030a", "t": "\u0361",
}
# What an accent over nothing (``\\~{}``) prints.
_BARE_ACCENTS: dict[str, str] = {"~": "~", "^": "^", "'": "\u00b4", '"': "\u00a8", "`": "`", "=": "\u00af", ".": "\u02d9"}

# Argument-less commands -> text (the common ones; pylatexenc knows the rest).
SYMBOLS: dict[str, str] = {
    "i": "\u0131", "j": "\u0237", "l": "\u0142", "L": "\u0141", "o": "\u00f8", "O": "\u00d8",
    "ae": "\u00e6", "AE": "\u00c6", "oe": "\u0153", "OE": "\u0152", "aa": "\u00e5", "AA": "\u00c5",
    "ss": "\u00df", "SS": "SS", "dh": "\u00f0", "DH": "\u00d0", "th": "\u00fe", "TH": "\u00de",
    "dj": "\u0111", "DJ": "\u0110", "ng": "\u014b", "NG": "\u014a",
    "textendash": "\u2013", "textemdash": "\u2014", "textquoteright": "\u2019", "textquoteleft": "\u2018",
    "textquotedblleft": "\u201c", "textquotedblright": "\u201d", "guillemotleft": "\u00ab",
    "guillemotright": "\u00bb", "guilsinglleft": "\u2039", "guilsinglright": "\u203a",
    "textasciitilde": "~", "textasciicircum": "^", "textbackslash": "\\", "textbar": "|",
    "textless": "<", "textgreater": ">", "textdollar": "$", "textunderscore": "_", "textbraceleft": "{",
    "textbraceright": "}", "S": "\u00a7", "P": "\u00b6", "copyright": "\u00a9", "textcopyright": "\u00a9",
    "textregistered": "\u00ae", "texttrademark": "\u2122", "ldots": "\u2026", "dots": "\u2026",
    "textellipsis": "\u2026", "textdegree": "\u00b0", "textmu": "\u00b5", "pounds": "\u00a3",
    "textsterling": "\u00a3", "euro": "\u20ac", "texteuro": "\u20ac", "textperiodcentered": "\u00b7",
    "textexclamdown": "\u00a1", "textquestiondown": "\u00bf", "textdagger": "\u2020", "dag": "\u2020",
    "textbullet": "\u2022", "LaTeX": "LaTeX", "TeX": "TeX", "BibTeX": "BibTeX", "LaTeXe": "LaTeX2e",
    "textquotesingle": "'", "textquotedbl": '"', "quad": "\u2003", "qquad": "\u2003\u2003",
    "relax": "", "ignorespaces": "", "protect": "", "nobreak": "", "unskip": "",
    "textcompwordmark": "", "allowbreak": "", "break": "", "newblock": " ", "par": " ",
    "slash": "/", "textslash": "/", "textpm": "\u00b1", "texttimes": "\u00d7", "textdiv": "\u00f7",
}
# Control symbols: \<char> -> text.
CONTROL_SYMBOLS: dict[str, str] = {
    "&": "&", "%": "%", "$": "$", "#": "#", "_": "_", "{": "{", "}": "}", " ": " ", ",": "\u2009",
    "-": "", "/": "", "\\": " ", "@": "", ";": " ", ":": " ", "!": "", ">": " ", "\n": " ",
}
# Commands with one argument that become a rich-text tag.
MARKUP: dict[str, tuple[str, str]] = {
    "emph": ("<i>", "</i>"), "textit": ("<i>", "</i>"), "textsl": ("<i>", "</i>"), "mkbibemph": ("<i>", "</i>"),
    "mkbibitalic": ("<i>", "</i>"), "textbf": ("<b>", "</b>"), "mkbibbold": ("<b>", "</b>"),
    "textsc": (SC_OPEN, "</span>"), "textsuperscript": ("<sup>", "</sup>"), "mkbibsuperscript": ("<sup>", "</sup>"),
    "textsubscript": ("<sub>", "</sub>"), "mkbibsubscript": ("<sub>", "</sub>"),
}
# Declarations (``{\\it text}``) -> tag for the rest of the group.
DECLARATIONS: dict[str, tuple[str, str] | None] = {
    "it": ("<i>", "</i>"), "itshape": ("<i>", "</i>"), "em": ("<i>", "</i>"), "sl": ("<i>", "</i>"),
    "slshape": ("<i>", "</i>"), "bf": ("<b>", "</b>"), "bfseries": ("<b>", "</b>"),
    "sc": (SC_OPEN, "</span>"), "scshape": (SC_OPEN, "</span>"),
    "rm": None, "normalfont": None, "upshape": None, "tt": None, "ttfamily": None, "sf": None,
    "sffamily": None, "mdseries": None, "rmfamily": None, "small": None, "footnotesize": None,
    "large": None, "Large": None, "tiny": None, "normalsize": None,
}
# One-argument commands whose argument is the text.
TRANSPARENT: frozenset[str] = frozenset(
    "textrm textnormal textsf texttt textup textmd mbox hbox text url nolinkurl ensuremath "
    "mathrm mathit mathbf mkbibquote enquote textlatin foreignlanguage".split()
)
# Commands that print nothing, with how many arguments they eat.
SWALLOW: dict[str, int] = {"noopsort": 1, "noop": 1, "nocite": 1, "label": 1, "index": 1, "SortNoop": 1,
                            "sortnoop": 1, "hyphenation": 1, "vphantom": 1, "phantom": 1}

_VERBATIM_NEEDS = re.compile(r"[\\{}$~]|--|``|''")
_LIGATURES = re.compile(r"---|--|``|''|~")
_LIGATURE_TEXT = {"---": "\u2014", "--": "\u2013", "``": "\u201c", "''": "\u201d", "~": "\u00a0"}
_TOKEN = re.compile(r"\\(?:([A-Za-z@]+)\*?[ \t\n]*|(.)|$)|[{}$]", re.S)
_SPACES = re.compile(r" {2,}")
_TAGS = re.compile(r'</?(?:i|b|sup|sub)>|<span (?:class="nocase"|style="font-variant:\s*small-caps;?")>|</span>')


@lru_cache(maxsize=1)
def _pylatexenc_symbols() -> dict[str, str]:
    """Argument-less macros pylatexenc can print, for commands our table lacks."""
    try:
        from pylatexenc import latex2text
    except ImportError:  # pragma: no cover - pylatexenc is a dependency
        return {}
    out: dict[str, str] = {}
    for spec in latex2text.get_default_latex_context_db().iter_macro_specs():
        repl = getattr(spec, "simplify_repl", None)
        # "<cit.>"-style placeholders would read as markup and lose the argument: not text
        if isinstance(repl, str) and "%" not in repl and repl.strip() and "<" not in repl and ">" not in repl:
            out[spec.macroname] = repl
    return out


def _combine(base: str, mark: str) -> str:
    if not base:
        return mark
    if base in ("\u0131", "\u0237"):  # accented dotless i/j are plain accented i/j
        base = "i" if base == "\u0131" else "j"
    return unicodedata.normalize("NFC", base[0] + mark) + base[1:]


class _Decoder:
    """One pass over a value; ``pos`` moves forward only."""

    __slots__ = ("s", "pos", "n")

    def __init__(self, s: str) -> None:
        self.s = s
        self.pos = 0
        self.n = len(s)

    # A run of text up to the next special character, with TeX ligatures applied.
    def _text(self, end: int) -> str:
        chunk = self.s[self.pos:end]
        self.pos = end
        if "-" in chunk or "`" in chunk or "'" in chunk or "~" in chunk:
            chunk = _LIGATURES.sub(lambda m: _LIGATURE_TEXT[m.group()], chunk)
        return chunk

    def sequence(self, nocase: bool, closing: bool) -> str:
        """Decode until the ``}`` closing the current group (consumed) or the end."""
        out: list[str] = []
        decl_close: list[str] = []
        while self.pos < self.n:
            m = _TOKEN.search(self.s, self.pos)
            if m is None:
                out.append(self._text(self.n))
                break
            if m.start() > self.pos:
                out.append(self._text(m.start()))
            tok = m.group()
            if tok == "}":
                self.pos = m.end()
                if closing:
                    break
                continue  # a stray closing brace prints nothing (as in BibTeX's purify)
            if tok == "{":
                self.pos = m.end()
                out.append(self._group(nocase))
                continue
            if tok == "$":
                out.append(self._math(nocase))
                continue
            self.pos = m.end()
            word, symbol = m.group(1), m.group(2)
            if word is not None:
                if word in DECLARATIONS:
                    tag = DECLARATIONS[word]
                    if tag:
                        out.append(tag[0])
                        decl_close.append(tag[1])
                    continue
                out.append(self._command(word, m.group(), nocase))
            elif symbol is not None:
                if symbol in ACCENTS:
                    out.append(self._accent(symbol))
                elif symbol in CONTROL_SYMBOLS:
                    out.append(CONTROL_SYMBOLS[symbol])
                else:
                    out.append("\\" + symbol)
            else:  # a backslash at the very end
                out.append("\\")
        out.extend(reversed(decl_close))
        return "".join(out)

    def _group(self, nocase: bool) -> str:
        # BibTeX: a group opening with a command is a "special character", not protected.
        if self.pos < self.n and self.s[self.pos] == "\\" or nocase:
            return self.sequence(nocase, True)
        inner = self.sequence(True, True)
        return f"{NOCASE_OPEN}{inner}</span>" if inner else ""

    def _math(self, nocase: bool) -> str:
        start = self.pos
        delim = "$$" if self.s.startswith("$$", start) else "$"
        i = start + len(delim)
        while True:
            j = self.s.find(delim, i)
            if j < 0:  # unbalanced: a literal dollar
                self.pos = start + 1
                return "$"
            if self.s[j - 1] != "\\":
                break
            i = j + 1
        self.pos = j + len(delim)
        math = self.s[start:self.pos]
        return math if nocase else f"{NOCASE_OPEN}{math}</span>"

    def _argument(self, nocase: bool = True) -> str:
        """A command argument: a braced group (decoded, not case-protected) or one character."""
        while self.pos < self.n and self.s[self.pos] in " \t\n":
            self.pos += 1
        if self.pos >= self.n:
            return ""
        ch = self.s[self.pos]
        if ch == "{":
            self.pos += 1
            return self.sequence(nocase, True)
        if ch == "\\":
            m = _TOKEN.match(self.s, self.pos)
            assert m is not None
            self.pos = m.end()
            if m.group(1) is not None:
                word = m.group(1)
                return SYMBOLS.get(word, _pylatexenc_symbols().get(word, "\\" + word))
            return CONTROL_SYMBOLS.get(m.group(2) or "", m.group(2) or "")
        self.pos += 1
        return ch

    def _raw_argument(self) -> str:
        """A braced argument as written (for \\href's URL)."""
        while self.pos < self.n and self.s[self.pos] in " \t\n":
            self.pos += 1
        if self.pos >= self.n:
            return ""
        if self.s[self.pos] != "{":  # a one-token argument
            m = _TOKEN.match(self.s, self.pos)
            self.pos = m.end() if m else self.pos + 1
            return self.s[self.pos - 1:self.pos] if not m else m.group()
        depth, i = 0, self.pos
        while i < self.n:
            c = self.s[i]
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
                if depth == 0:
                    break
            i += 1
        raw = self.s[self.pos + 1:i]
        self.pos = min(i + 1, self.n)
        return raw

    def _accent(self, symbol: str) -> str:
        base = self._argument()
        if not base:
            return _BARE_ACCENTS.get(symbol, "")
        # a decoded group may carry tags; accent the first letter of its text
        return _combine(base, ACCENTS[symbol])

    def _command(self, word: str, written: str, nocase: bool) -> str:
        if word in ACCENTS and len(word) == 1:
            return self._accent(word)
        if word in SYMBOLS:
            return SYMBOLS[word]
        if word in MARKUP:
            open_, close = MARKUP[word]
            inner = self._argument(nocase)
            return f"{open_}{inner}{close}" if inner else ""
        if word in TRANSPARENT:
            return self._argument(nocase) if self._peek_group() else ""
        if word == "ElsevierGlyph":  # Elsevier's exports: \ElsevierGlyph{2014} is U+2014
            code = self._raw_argument()
            try:
                return chr(int(code, 16))
            except ValueError:
                return ""
        if word == "href":
            self._raw_argument()
            return self._argument(nocase)
        if word in SWALLOW:
            for _ in range(SWALLOW[word]):
                self._raw_argument()
            return ""
        if word in ("begin", "end"):  # environments used as declarations: {\begin{it}..}
            env = self._raw_argument()
            tag = DECLARATIONS.get(env)
            if tag:
                return tag[0] if word == "begin" else tag[1]
            return ""
        known = _pylatexenc_symbols().get(word)
        if known is not None:
            return known
        # Unknown: keep it as written, with one space if it swallowed any.
        return "\\" + word + (" " if written[-1:].isspace() else "")

    def _peek_group(self) -> bool:
        i = self.pos
        while i < self.n and self.s[i] in " \t\n":
            i += 1
        return i < self.n and self.s[i] == "{"


def _nfc(value: str) -> str:
    if value.isascii() or unicodedata.is_normalized("NFC", value):
        return value
    return unicodedata.normalize("NFC", value)


def needs_decoding(value: str) -> bool:
    return _VERBATIM_NEEDS.search(value) is not None


def latex_to_rich(value: str) -> str:
    """LaTeX field text -> CSL rich text (Unicode, tags, nocase spans, math kept)."""
    if not needs_decoding(value):
        return _nfc(value)
    out = _Decoder(value).sequence(False, False)
    if "  " in out or out[:1] == " " or out[-1:] == " ":  # commands that print nothing leave gaps
        out = _SPACES.sub(" ", out).strip()
    return unicodedata.normalize("NFC", out) if not out.isascii() else out


def strip_tags(rich: str) -> str:
    return _TAGS.sub("", rich) if "<" in rich else rich


def latex_to_text(value: str) -> str:
    """LaTeX field text -> plain Unicode (no markup, no case protection)."""
    if not needs_decoding(value):
        return _nfc(value)
    return strip_tags(latex_to_rich(value))


# --------------------------------------------------------------------------- writing

_TAG_TO_LATEX: dict[str, str] = {"<i>": "\\textit{", "<b>": "\\textbf{", "<sup>": "\\textsuperscript{",
                                 "<sub>": "\\textsubscript{"}
_SPECIAL_OUT = re.compile(r"\\(?:[A-Za-z@]+)?|[{}&%#_$~^\u00a0]|-(?=-)|`(?=`)|'(?=')")
# Literal braces as commands: BibTeX counts "\{" as a brace, so an unbalanced one would break the file.
_SPECIAL_MAP = {"{": "\\textbraceleft{}", "}": "\\textbraceright{}", "&": "\\&", "%": "\\%", "#": "\\#", "_": "\\_", "$": "\\$",
                "~": "\\textasciitilde{}", "^": "\\textasciicircum{}", "\u00a0": "~", "-": "-{}", "`": "`{}",
                "'": "'{}", "\\": "\\textbackslash{}"}
_MATH_IN = re.compile(r"(\$\$?)(?:\\.|[^$\\])+?\1", re.S)
_ASCII_DASHES = {"\u2013": "--", "\u2014": "---", "\u201c": "``", "\u201d": "''"}


def is_known_command(word: str) -> bool:
    """Whether the reader interprets ``\\word`` (rather than keeping it as written)."""
    return (
        word in SYMBOLS or word in MARKUP or word in DECLARATIONS or word in TRANSPARENT or word in SWALLOW
        or word in ("begin", "end", "href", "ElsevierGlyph") or (len(word) == 1 and word in ACCENTS) or word in _pylatexenc_symbols()
    )


def _escape_one(m: re.Match[str]) -> str:
    tok = m.group()
    if tok[0] == "\\" and len(tok) > 1:
        # an unknown command is kept as written, so it round-trips; a known one is literal text
        return "\\textbackslash{}" + tok[1:] if is_known_command(tok[1:]) else tok
    return _SPECIAL_MAP[tok]


def _escape_plain(m: re.Match[str]) -> str:
    tok = m.group()
    return "\\textbackslash{}" + tok[1:] if tok[0] == "\\" else _SPECIAL_MAP[tok]


@lru_cache(maxsize=4096)
def char_to_latex(ch: str) -> str:
    """One non-ASCII character as LaTeX (accent or symbol command), or itself if none reads back exactly."""
    enc = _char_to_latex(ch)
    if enc != ch and latex_to_text(enc) != unicodedata.normalize("NFC", ch):
        return ch  # an approximation (pylatexenc's "'" for U+02BC) would change the text
    return enc


def _char_to_latex(ch: str) -> str:
    if ch in _ASCII_DASHES:
        return _ASCII_DASHES[ch]
    rev = _reverse_symbols()
    if ch in rev:
        return "{\\" + rev[ch] + "}"
    decomposed = unicodedata.normalize("NFD", ch)
    if len(decomposed) > 1 and decomposed[0].isascii():
        out = decomposed[0]
        for mark in decomposed[1:]:
            cmd = _reverse_accents().get(mark)
            if cmd is None:
                break
            out = "\\" + cmd + "{" + out + "}"
        else:
            return "{" + out + "}"
    try:
        from pylatexenc.latexencode import unicode_to_latex

        logging.getLogger("pylatexenc.latexencode").setLevel(logging.ERROR)
        enc = unicode_to_latex(ch, non_ascii_only=True)
    except Exception:  # pragma: no cover
        return ch
    if enc.isascii() and enc != ch:
        return enc if enc.startswith("{") or not enc.startswith("\\") else "{" + enc + "}"
    return ch


@lru_cache(maxsize=1)
def _reverse_symbols() -> dict[str, str]:
    rev: dict[str, str] = {}
    for name, text in SYMBOLS.items():
        if len(text) == 1 and not text.isascii() and text not in rev and text not in _ASCII_DASHES:
            rev[text] = name
    return rev


@lru_cache(maxsize=1)
def _reverse_accents() -> dict[str, str]:
    return {mark: cmd for cmd, mark in ACCENTS.items()}


def escape_text(text: str, *, ascii: bool = False, math: bool = False, tex: bool = True) -> str:
    """Plain text -> LaTeX: specials escaped, ``\\command`` sequences kept, non-ASCII optional.

    With ``math`` (inside a nocase span) ``$...$`` is written verbatim. With ``tex=False``
    (text from a plain-text source) every backslash is text, never a command.
    """
    if math and tex and "$" in text:
        parts: list[str] = []
        last = 0
        for m in _MATH_IN.finditer(text):
            parts.append(escape_text(text[last:m.start()], ascii=ascii))
            parts.append(m.group())
            last = m.end()
        parts.append(escape_text(text[last:], ascii=ascii))
        return "".join(parts)
    out = _SPECIAL_OUT.sub(_escape_one if tex else _escape_plain, text)
    if ascii and not out.isascii():
        out = "".join(c if c.isascii() else char_to_latex(c) for c in out)
    return out


_RICH_SPLIT = re.compile(r'(</?(?:i|b|sup|sub)>|<span (?:class="nocase"|style="font-variant:\s*small-caps;?")>|</span>)')


def rich_to_latex(rich: str, *, ascii: bool = False, tex: bool = True) -> str:
    """CSL rich text -> LaTeX field text (the inverse of ``latex_to_rich``); ``tex`` as for ``escape_text``."""
    if "<" not in rich:
        return escape_text(rich, ascii=ascii, tex=tex)
    out: list[str] = []
    stack: list[str] = []  # closing tag names
    opened_at: list[int] = []  # index in ``out`` of each open nocase brace
    nocase_depth = 0
    for piece in _RICH_SPLIT.split(rich):
        if not piece:
            continue
        if piece in _TAG_TO_LATEX:
            out.append(_TAG_TO_LATEX[piece])
            stack.append(piece[1:-1])
        elif piece.startswith("<span"):
            if "nocase" in piece:
                opened_at.append(len(out))
                out.append("{")
                stack.append("nocase")
                nocase_depth += 1
            else:
                out.append("\\textsc{")
                stack.append("sc")
        elif piece.startswith("</"):
            name = piece[2:-1]
            expected = stack[-1] if stack else None
            if expected is not None and (expected == name or (name == "span" and expected in ("nocase", "sc"))):
                stack.pop()
                if expected == "nocase":
                    nocase_depth -= 1
                    start = opened_at.pop()
                    # "{\\cmd..." would read back as a special character, not a protected span
                    if "".join(out[start + 1:start + 3]).startswith("\\"):
                        out[start] = "{{}"
                out.append("}")
            else:  # a stray closing tag is text
                out.append(escape_text(piece, ascii=ascii, tex=tex))
        else:
            out.append(escape_text(piece, ascii=ascii, math=nocase_depth > 0, tex=tex))
    out.extend("}" for _ in stack)
    return "".join(out)
