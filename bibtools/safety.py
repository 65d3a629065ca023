"""Keep untrusted metadata from becoming TeX that runs.

Titles and names from APIs, listings or other people's files end up inside
``.bib`` files that LaTeX reads. Three things must never survive a write:

- a brace that closes the field or entry early (BibTeX counts ``\\{`` and
  ``\\}`` as braces too, so escaping with a backslash is not enough);
- a line starting with ``@`` (bibtexparser and others restart there, so a
  value could smuggle in a whole new entry);
- control sequences that are not known to only typeset: an allow-list
  (``mappings/tex_commands.py``, the LaTeX decoder's own tables, and what the
  file's ``@preamble`` defines) decides, never a list of known-bad words, so
  ``\\filedump``, ``\\iftrue`` or a word nobody has heard of is written as
  text; TeX's ``^^5c`` notation is broken up too.

``escape_latex_text`` turns plain text into LaTeX that prints that text;
``neutralise_tex`` makes an existing LaTeX value (say, math copied from a
BibTeX source) inert; ``unsafe_reasons`` says what is wrong with a value.
All are pure functions, so the BibTeX writer can call them per field.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from .mappings.tex_commands import DEFINING_COMMANDS, TYPOGRAPHIC_COMMANDS
from .registry import lookup

# Plain-text character -> LaTeX that prints it, brace-balanced and backslash-free in BibTeX's eyes.
_TEXT_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "$": r"\$",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
}
_TEXT_SPECIAL = re.compile(r"[\\{}&%#_$^~]")
# Line breaks of every kind, and other control characters TeX or a splitter may act on.
_VERTICAL = re.compile(r"[\r\n\v\f\x85\u2028\u2029]+")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")

# Control words that read or write files, run programs, or change how TeX reads what follows:
# never live, even where a @preamble redefines them.
DANGEROUS_COMMANDS = frozenset({
    "input", "include", "includeonly", "InputIfFileExists", "IfFileExists", "openin", "openout", "read",
    "readline", "write", "immediate", "closeout", "closein", "special", "pdfobj", "pdffiledump",
    "catcode", "lccode", "uccode", "sfcode", "mathcode", "delcode", "endlinechar", "newlinechar", "escapechar",
    "def", "edef", "gdef", "xdef", "let", "futurelet", "expandafter", "csname", "endcsname", "noexpand",
    "newcommand", "renewcommand", "providecommand", "DeclareRobustCommand", "newenvironment",
    "renewenvironment", "makeatletter", "makeatother", "usepackage", "RequirePackage", "documentclass",
    "loop", "repeat", "everypar", "everymath", "everyhbox", "everyvbox", "everyjob", "everyeof", "output",
    "scantokens", "directlua", "latelua", "luaexec", "luadirect", "ShellEscape", "pdfshellescape",
    "shipout", "end", "dump", "batchmode", "nonstopmode", "scrollmode", "errorstopmode",
    "afterassignment", "aftergroup", "uppercase", "lowercase", "string", "meaning", "jobname",
})
_CONTROL_WORD = re.compile(r"\\([A-Za-z@]+)|\\(.)", re.DOTALL)


def escape_latex_text(text: str) -> str:
    """Plain text -> LaTeX that typesets exactly that text and can run nothing.

    Line breaks become spaces (BibTeX reads them as spaces anyway) so no
    value line can start with ``@``; other control characters are dropped.
    """
    flat = _CONTROL.sub("", _VERTICAL.sub(" ", text))
    return _TEXT_SPECIAL.sub(lambda m: _TEXT_ESCAPES[m.group()], flat)


def is_tex_source(origin_format: str | None) -> bool:
    """Whether an item's text may carry LaTeX commands (``Format.tex_text``; an item built in
    code, with no origin, may). From any other format (CSL-JSON, RIS, APIs...) a backslash is text."""
    if origin_format is None:
        return True
    found = lookup(origin_format)
    return found is not None and found.tex_text


_NOT_TYPOGRAPHIC = frozenset({"begin", "end"})  # \\end alone ends the TeX run


@lru_cache(maxsize=8192)
def _typographic(name: str) -> bool:
    from .text.latex import is_known_command  # the decoder's tables: accents, symbols, markup

    if name in _NOT_TYPOGRAPHIC or name in DANGEROUS_COMMANDS:
        return False
    return name in TYPOGRAPHIC_COMMANDS or is_known_command(name)


def is_typographic_command(name: str, defined: frozenset[str] = frozenset()) -> bool:
    """Whether control word ``\\name`` only typesets: allow-listed, or defined by the file's @preamble."""
    return _typographic(name) or (name in defined and name not in DANGEROUS_COMMANDS)


def is_dangerous_command(name: str, defined: frozenset[str] = frozenset()) -> bool:
    """Whether control word ``\\name`` must not run: anything not known to be typographic."""
    return not is_typographic_command(name, defined)


_DEFINITION = re.compile(r"\\(?:%s)\s*\{?\s*\\([A-Za-z@]+)" % "|".join(DEFINING_COMMANDS))


def preamble_commands(preambles: Iterable[str]) -> frozenset[str]:
    """The control words a file's ``@preamble`` blocks define (``\\newcommand{\\noopsort}``)."""
    return frozenset(m.group(1) for text in preambles for m in _DEFINITION.finditer(text))


def untypographic_commands(value: str, defined: frozenset[str] = frozenset()) -> list[str]:
    """The live control words of a LaTeX value that the allow-list does not pass, in order."""
    return [m.group(1) for m in _CONTROL_WORD.finditer(value)
            if m.group(1) is not None and not _escaped_backslash(value, m.start())
            and not is_typographic_command(m.group(1), defined)]


_TOKEN = re.compile(r"\\[A-Za-z@]+|\\.|\\$|\^\^|[{}$%]|[^\\{}$%^]+|\^", re.DOTALL)


def neutralise_tex(latex: str, *, keep_lines: bool = False, defined: frozenset[str] = frozenset()) -> str:
    """Make LaTeX markup from an untrusted source inert but keep harmless markup.

    Control words not known to be typographic lose their backslash's power (``\\input`` ->
    ``\\textbackslash{}input``), ``^^`` notation is broken up, a bare ``%``
    is escaped, escaped braces become brace-free commands (``\\{`` ->
    ``\\textbraceleft{}``: BibTeX counts ``\\{`` as a brace, bibtexparser does
    not, and both must agree where the value ends), and braces that do not
    pair up are replaced the same way. Line breaks become spaces, or with
    ``keep_lines`` stay (paragraph breaks in abstracts) except before an ``@``.
    """
    flat = _CONTROL.sub("", latex)
    if keep_lines:
        flat = re.sub(r"\r\n?|[\v\f\x85\u2028\u2029]", "\n", flat)
        flat = re.sub(r"[ \t]*\n\s*(?=@)", " ", flat)  # no line may start with '@' (a new entry to a splitter)
    else:
        flat = _VERTICAL.sub(" ", flat)
    out: list[str] = []
    in_math = False
    # escaped braces are only rewritten where BibTeX and bibtexparser would pair them differently
    braces_agree = _depth_problem(flat, skip_escaped=False) is None and _depth_problem(flat, skip_escaped=True) is None
    for m in _TOKEN.finditer(flat):
        tok = m.group()
        if tok.startswith("\\") and len(tok) > 1 and (tok[1].isalpha() or tok[1] == "@"):
            out.append(r"\textbackslash{}" + tok[1:] if is_dangerous_command(tok[1:], defined) else tok)
        elif tok in ("\\{", "\\}") and not braces_agree:
            if in_math:
                out.append(r"\lbrace{}" if tok == "\\{" else r"\rbrace{}")
            else:
                out.append(r"\textbraceleft{}" if tok == "\\{" else r"\textbraceright{}")
        elif tok == "\\":
            out.append(r"\textbackslash{}")  # a lone trailing backslash would escape the closing brace
        elif tok == "^^":
            out.append(r"\textasciicircum{}\textasciicircum{}")
        elif tok == "%":
            out.append(r"\%")
        elif tok == "$":
            in_math = not in_math
            out.append(tok)
        else:
            out.append(tok)
    # bibtexparser takes any brace right after a backslash as escaped, BibTeX does not: after a
    # line break (\\) a space keeps them agreeing, and the value must not end in a backslash.
    text = re.sub(r"(?<=\\\\)(?=[{}]|$)", " ", balance_braces("".join(out)))
    return text


def safe_field_value(value: str, *, verbatim: bool = False, defined: frozenset[str] = frozenset()) -> str:
    """The last step before a value goes between a .bib field's braces.

    Text fields go through ``neutralise_tex`` (paragraph breaks kept).
    Verbatim fields (url, doi, file) keep their characters - a URL's ``%``
    and ``#`` are not touched - but lose line breaks; where something unsafe
    remains it is percent-encoded, which is what it means in a URL: the
    backslash of a dangerous control word (``%5C``), ``^^`` and braces that
    do not pair up the same way for BibTeX and bibtexparser (``%7B``).
    """
    if not verbatim:
        return neutralise_tex(value, keep_lines=True, defined=defined)
    flat = _CONTROL.sub("", _VERTICAL.sub(" ", value))
    flat = _CONTROL_WORD.sub(
        lambda m: "%5C" + m.group(1) if m.group(1) and is_dangerous_command(m.group(1), defined) else m.group(), flat)
    flat = flat.replace("^^", "%5E%5E")  # TeX's ^^ notation, where a URL is read as a macro argument
    if not unsafe_reasons(flat, defined):
        return flat  # braces that pair up the same way for BibTeX and bibtexparser stay as written
    flat = re.sub(r"\\(?=[{}]|$)", "%5C", flat)  # a backslash before a brace or the end means nothing in a URL
    return balance_braces(flat, left="%7B", right="%7D")


def balance_braces(latex: str, *, left: str = r"\textbraceleft{}", right: str = r"\textbraceright{}") -> str:
    """Replace every ``{``/``}`` without a partner (counting them as BibTeX does) by ``left``/``right``."""
    if "{" not in latex and "}" not in latex:
        return latex
    pairs: set[int] = set()
    stack: list[int] = []
    for i, ch in enumerate(latex):
        if ch == "{":
            stack.append(i)
        elif ch == "}" and stack:
            pairs.add(stack.pop())
            pairs.add(i)
    if len(pairs) == latex.count("{") + latex.count("}"):
        return latex
    return "".join((left if ch == "{" else right) if ch in "{}" and i not in pairs else ch for i, ch in enumerate(latex))


def _depth_problem(value: str, *, skip_escaped: bool) -> str | None:
    """With ``skip_escaped``, a brace right after a backslash is ignored (bibtexparser's rule)."""
    depth = 0
    for i, ch in enumerate(value):
        if skip_escaped and i and value[i - 1] == "\\":
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                return "a '}' closes the field early"
    return "a '{' is never closed" if depth > 0 else None


def unsafe_reasons(value: str, defined: frozenset[str] = frozenset()) -> list[str]:
    """Why a BibTeX field value (the text between its outer braces) is unsafe; empty when safe."""
    reasons: list[str] = []
    bibtex_view = _depth_problem(value, skip_escaped=False)  # BibTeX counts \{ and \} too
    splitter_view = _depth_problem(value, skip_escaped=True)  # bibtexparser and most tools skip them
    if bibtex_view:
        reasons.append(bibtex_view + " (as BibTeX counts braces)")
    if splitter_view:
        reasons.append(splitter_view + " (as bibtexparser counts braces)")
    if re.search(r"(?m)^\s*@", value) and _VERTICAL.search(value):
        reasons.append("a line starts with '@' (a new entry to many parsers)")
    if "^^" in value:
        reasons.append("TeX '^^' character notation")
    if value.endswith("\\"):
        reasons.append("a trailing backslash hides the closing brace from bibtexparser")
    for name in untypographic_commands(value, defined):
        reasons.append(f"control sequence \\{name} (not known to be typographic)")
    return reasons


def _escaped_backslash(value: str, start: int) -> bool:
    """Whether the backslash at ``start`` is the second half of ``\\\\`` (a line break, not a command)."""
    run = 0
    i = start - 1
    while i >= 0 and value[i] == "\\":
        run += 1
        i -= 1
    return run % 2 == 1


def is_safe_bibtex_value(value: str, defined: frozenset[str] = frozenset()) -> bool:
    return not unsafe_reasons(value, defined)
