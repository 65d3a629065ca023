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

from ..mappings.pdflatex import typesets_as_command, typesets_raw

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
# BibLaTeX's punctuation commands, as they print (biber and pandoc read them so too). Read
# only: plain LaTeX lacks them, so the writer never picks them for a character.
BIBLATEX_PUNCTUATION: dict[str, str] = {
    "adddot": ".", "addperiod": ".", "addcomma": ",", "addsemicolon": ";", "addcolon": ":",
    "addspace": " ", "addnbspace": "\u00a0", "addthinspace": "\u2009", "addnbthinspace": "\u2009",
    "addabbrvspace": " ", "adddotspace": ". ", "addslash": "/", "nopunct": "", "isdot": "", "@": "",
    "hyphen": "-", "bibrangedash": "\u2013", "bibdatedash": "\u2013",
}
SYMBOLS.update(BIBLATEX_PUNCTUATION)
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
    # BibLaTeX's wrappers print their delimiters around the text
    "mkbibquote": ("\u201c", "\u201d"), "enquote": ("\u201c", "\u201d"), "mkbibparens": ("(", ")"),
    "mkbibbrackets": ("[", "]"),
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
    "mathrm mathit mathbf textlatin".split()
)
# Two-argument commands whose first argument is a language name and the second the text.
LANGUAGE_THEN_TEXT: frozenset[str] = frozenset({"foreignlanguage", "textlang"})
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


# How a group's decoded text joins its parent (the group's "continuation").
_AS_IS, _NOCASE, _WRAP, _ACCENT = 0, 1, 2, 3


class _Frame:
    """One open brace group: its output so far and how it finishes."""

    __slots__ = ("out", "decl_close", "nocase", "closing", "finish", "data")

    def __init__(self, nocase: bool, closing: bool, finish: int = _AS_IS, data: tuple[str, str] | str = "") -> None:
        self.out: list[str] = []
        self.decl_close: list[str] = []
        self.nocase = nocase
        self.closing = closing
        self.finish = finish
        self.data = data

    def result(self) -> str:
        out = self.out
        if self.decl_close:
            out.extend(reversed(self.decl_close))
        inner = "".join(out)
        finish = self.finish
        if finish == _AS_IS:
            return inner
        if finish == _NOCASE:
            return f"{NOCASE_OPEN}{inner}</span>" if inner else ""
        if finish == _WRAP:
            open_, close = self.data
            return f"{open_}{inner}{close}" if inner else ""
        return _accented(inner, str(self.data))


def _accented(base: str, symbol: str) -> str:
    if not base:
        return _BARE_ACCENTS.get(symbol, "")
    # a decoded group may carry tags; accent the first letter of its text
    return _combine(base, ACCENTS[symbol])


class _Decoder:
    """One pass over a value; ``pos`` moves forward only.

    Groups nest on an explicit stack of frames, not on Python's call stack, so
    any depth of ``{`` (hostile or pasted) decodes without a RecursionError.
    """

    __slots__ = ("s", "pos", "n", "stack")

    def __init__(self, s: str) -> None:
        self.s = s
        self.pos = 0
        self.n = len(s)
        self.stack: list[_Frame] = []

    # A run of text up to the next special character, with TeX ligatures applied.
    def _text(self, end: int) -> str:
        chunk = self.s[self.pos:end]
        self.pos = end
        if "-" in chunk or "`" in chunk or "'" in chunk or "~" in chunk:
            chunk = _LIGATURES.sub(lambda m: _LIGATURE_TEXT[m.group()], chunk)
        return chunk

    def _close(self) -> None:
        """Finish the innermost group and hand its text to the enclosing one."""
        done = self.stack.pop()
        self.stack[-1].out.append(done.result())

    def decode(self) -> str:
        """Decode the whole value (stray ``}`` print nothing; unclosed groups end at the end)."""
        stack = self.stack
        stack.append(_Frame(False, False))
        s = self.s
        while self.pos < self.n:
            frame = stack[-1]
            out = frame.out
            m = _TOKEN.search(s, self.pos)
            if m is None:
                out.append(self._text(self.n))
                break
            if m.start() > self.pos:
                out.append(self._text(m.start()))
            tok = m.group()
            if tok == "}":
                self.pos = m.end()
                if frame.closing:
                    self._close()
                continue  # a stray closing brace prints nothing (as in BibTeX's purify)
            if tok == "{":
                self.pos = m.end()
                self._open_group(frame.nocase)
                continue
            if tok == "$":
                out.append(self._math(frame.nocase))
                continue
            self.pos = m.end()
            word, symbol = m.group(1), m.group(2)
            if word is not None:
                if word in DECLARATIONS:
                    tag = DECLARATIONS[word]
                    if tag:
                        out.append(tag[0])
                        frame.decl_close.append(tag[1])
                    continue
                text = self._command(word, m.group(), frame.nocase)
                if text is not None:
                    out.append(text)
            elif symbol is not None:
                if symbol in ACCENTS:
                    text = self._accent(symbol)
                    if text is not None:
                        out.append(text)
                elif symbol in CONTROL_SYMBOLS:
                    out.append(CONTROL_SYMBOLS[symbol])
                else:
                    out.append("\\" + symbol)
            else:  # a backslash at the very end
                out.append("\\")
        while len(stack) > 1:
            self._close()
        return stack.pop().result()

    def _open_group(self, nocase: bool) -> None:
        # BibTeX: a group opening with a command is a "special character", not protected.
        if self.pos < self.n and self.s[self.pos] == "\\" or nocase:
            self.stack.append(_Frame(nocase, True))
        else:
            self.stack.append(_Frame(True, True, _NOCASE))

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

    def _argument(self, nocase: bool, finish: int, data: tuple[str, str] | str = "") -> str | None:
        """A command argument: a braced group (decoded, not case-protected) or one character.

        A braced argument opens a frame that ``finish`` completes when it closes
        (``None`` is returned); anything else is finished and returned at once.
        """
        while self.pos < self.n and self.s[self.pos] in " \t\n":
            self.pos += 1
        if self.pos >= self.n:
            value = ""
        else:
            ch = self.s[self.pos]
            if ch == "{":
                self.pos += 1
                self.stack.append(_Frame(nocase, True, finish, data))
                return None
            if ch == "\\":
                m = _TOKEN.match(self.s, self.pos)
                assert m is not None
                self.pos = m.end()
                if m.group(1) is not None:
                    word = m.group(1)
                    value = SYMBOLS.get(word, _pylatexenc_symbols().get(word, "\\" + word))
                else:
                    value = CONTROL_SYMBOLS.get(m.group(2) or "", m.group(2) or "")
            else:
                self.pos += 1
                value = ch
        frame = _Frame(nocase, True, finish, data)
        frame.out.append(value)
        return frame.result()

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

    def _accent(self, symbol: str) -> str | None:
        return self._argument(True, _ACCENT, symbol)

    def _command(self, word: str, written: str, nocase: bool) -> str | None:
        """The text of ``\\word``, or ``None`` when it opened a group that will supply it."""
        if word in ACCENTS and len(word) == 1:
            return self._accent(word)
        if word in SYMBOLS:
            return SYMBOLS[word]
        if word in MARKUP:
            return self._argument(nocase, _WRAP, MARKUP[word])
        if word in LANGUAGE_THEN_TEXT and self._peek_group():
            self._raw_argument()  # \\foreignlanguage{polish}{Przełęcki}: the language name prints nothing
            return self._argument(nocase, _AS_IS) if self._peek_group() else ""
        if word in TRANSPARENT:
            return self._argument(nocase, _AS_IS) if self._peek_group() else ""
        if word == "ElsevierGlyph":  # Elsevier's exports: \\ElsevierGlyph{2014} is U+2014
            code = self._raw_argument()
            try:
                return chr(int(code, 16))
            except ValueError:
                return ""
        if word == "href":
            self._raw_argument()
            return self._argument(nocase, _AS_IS)
        if word in SWALLOW:
            for _ in range(SWALLOW[word]):
                self._raw_argument()
            return ""
        if word in ("begin", "end"):  # environments used as declarations: {\\begin{it}..}
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
    out = _Decoder(value).decode()
    if "  " in out or out[:1] == " " or out[-1:] == " ":  # commands that print nothing leave gaps
        out = _SPACES.sub(" ", out).strip()
    return unicodedata.normalize("NFC", out) if not out.isascii() else out


def strip_tags(rich: str) -> str:
    return _TAGS.sub("", rich) if "<" in rich else rich


_KEPT_COMMAND_GROUP = re.compile(r'(\\[A-Za-z@]+)<span class="nocase">([^<]*)</span>')


def latex_to_text(value: str) -> str:
    """LaTeX field text -> plain Unicode (no markup, no case protection).

    A command kept as written keeps its braced argument (``\\bibstring{number}``), which
    would otherwise run into it (``\\bibstringnumber``)."""
    if not needs_decoding(value):
        return _nfc(value)
    return rich_to_text(latex_to_rich(value))


def rich_to_text(rich: str) -> str:
    """CSL rich text -> plain text; a kept command keeps its braced argument."""
    if "\\" in rich and "<" in rich:
        rich = _KEPT_COMMAND_GROUP.sub(r"\1{\2}", rich)
    return strip_tags(rich)


# --------------------------------------------------------------------------- writing

_TAG_TO_LATEX: dict[str, str] = {"<i>": "\\textit{", "<b>": "\\textbf{", "<sup>": "\\textsuperscript{",
                                 "<sub>": "\\textsubscript{"}
_SPECIAL_OUT = re.compile(r"\\(?:[A-Za-z@]+)?|[{}&%#_$~^\u00a0]|-(?=-)|`(?=`)|'(?=')")
# Plain text made by ``latex_to_text`` keeps an unknown command's argument: ``\\bibstring{number}``.
_SPECIAL_OUT_ARG = re.compile(r"\\[A-Za-z@]+\{[^{}\\]*\}|" + _SPECIAL_OUT.pattern)
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
        or word in LANGUAGE_THEN_TEXT
        or word in ("begin", "end", "href", "ElsevierGlyph") or (len(word) == 1 and word in ACCENTS) or word in _pylatexenc_symbols()
    )


def _escape_one(m: re.Match[str]) -> str:
    tok = m.group()
    if tok[-1] == "}" and tok[0] == "\\":  # \\word{arg}: an unknown command keeps its argument as written
        word, _, arg = tok[1:-1].partition("{")
        if is_known_command(word):
            return "\\textbackslash{}" + word + "\\textbraceleft{}" + _SPECIAL_OUT.sub(_escape_one, arg) + "\\textbraceright{}"
        return tok
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
        if name in BIBLATEX_PUNCTUATION:
            continue
        if len(text) == 1 and not text.isascii() and text not in rev and text not in _ASCII_DASHES:
            rev[text] = name
    return rev


@lru_cache(maxsize=1)
def _reverse_accents() -> dict[str, str]:
    return {mark: cmd for cmd, mark in ACCENTS.items()}


# A character with the combining marks that follow it (NFC leaves some: "i" + U+0307).
_CLUSTER = re.compile(r"[^\x00-\x7f][\u0300-\u036f]*|[\x00-\x7f][\u0300-\u036f]+")


def _for_pdflatex(cluster: str) -> str:
    """A non-ASCII character (cluster) as pdflatex can typeset it: UTF-8 where ``inputenc``
    handles it, else the measured command form, else as it is (``unsupported_chars`` lists those)."""
    if len(cluster) == 1:
        if typesets_raw(cluster):
            return cluster
        return char_to_latex(cluster) if typesets_as_command(cluster) else cluster
    enc = char_to_latex(cluster)  # base + combining marks -> nested accent commands, when exact
    return enc if enc.isascii() else cluster


def _math_char(ch: str) -> str:
    """A non-ASCII character inside ``$...$``: math mode takes no text accents or UTF-8 letters,
    so a math command where there is one, else the character in an ``\\mbox``."""
    enc = char_to_latex(ch) if typesets_as_command(ch) else ch
    if enc.startswith("{\\ensuremath{"):
        return enc
    return "\\mbox{" + (ch if typesets_raw(ch) else enc) + "}"


def _math_for_pdflatex(math: str) -> str:
    return "".join(c if c.isascii() else _math_char(c) for c in math)


def to_pdflatex(text: str) -> str:
    """Every character pdflatex cannot typeset as UTF-8 written as the LaTeX command it can typeset."""
    if text.isascii():
        return text
    return _CLUSTER.sub(lambda m: _for_pdflatex(m.group()), text)


def unsupported_chars(text: str) -> str:
    """The characters of LaTeX ``text`` that pdflatex (inputenc utf8, T1) cannot typeset."""
    if text.isascii():
        return ""
    return "".join(dict.fromkeys(c for c in text if not typesets_raw(c)))


def escape_text(text: str, *, ascii: bool = False, math: bool = False, pdflatex: bool = False,
                keep_arguments: bool = False, tex: bool = True) -> str:
    """Plain text -> LaTeX: specials escaped, ``\\command`` sequences kept, non-ASCII optional.

    With ``math`` (inside a nocase span) ``$...$`` is written verbatim. ``ascii`` writes
    every non-ASCII character as a command where one reads back exactly; ``pdflatex``
    only those pdflatex cannot typeset as UTF-8 (see ``mappings.pdflatex``). With ``tex=False``
    (text from a plain-text source) every backslash is text, never a command.
    """
    if math and tex and "$" in text:
        parts: list[str] = []
        last = 0
        for m in _MATH_IN.finditer(text):
            parts.append(escape_text(text[last:m.start()], ascii=ascii, pdflatex=pdflatex))
            parts.append(_math_for_pdflatex(m.group()) if pdflatex and not m.group().isascii() else m.group())
            last = m.end()
        parts.append(escape_text(text[last:], ascii=ascii, pdflatex=pdflatex))
        return "".join(parts)
    out = (_SPECIAL_OUT_ARG if keep_arguments and tex else _SPECIAL_OUT).sub(_escape_one if tex else _escape_plain, text)
    if ascii and not out.isascii():
        out = "".join(c if c.isascii() else char_to_latex(c) for c in out)
    elif pdflatex and not out.isascii():
        out = to_pdflatex(out)
    return out


_RICH_SPLIT = re.compile(r'(</?(?:i|b|sup|sub)>|<span (?:class="nocase"|style="font-variant:\s*small-caps;?")>|</span>)')


def rich_to_latex(rich: str, *, ascii: bool = False, pdflatex: bool = False, tex: bool = True) -> str:
    """CSL rich text -> LaTeX field text (the inverse of ``latex_to_rich``); ``tex`` as for ``escape_text``."""
    if "<" not in rich:
        return escape_text(rich, ascii=ascii, pdflatex=pdflatex, tex=tex)
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
                out.append(escape_text(piece, ascii=ascii, pdflatex=pdflatex, tex=tex))
        else:
            out.append(escape_text(piece, ascii=ascii, math=nocase_depth > 0, pdflatex=pdflatex, tex=tex))
    out.extend("}" for _ in stack)
    return "".join(out)
