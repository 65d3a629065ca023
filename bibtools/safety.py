"""Keep untrusted metadata from becoming TeX that runs.

Titles and names from APIs, listings or other people's files end up inside
``.bib`` files that LaTeX reads. Three things must never survive a write:

- a brace that closes the field or entry early (BibTeX counts ``\\{`` and
  ``\\}`` as braces too, so escaping with a backslash is not enough);
- a line starting with ``@`` (bibtexparser and others restart there, so a
  value could smuggle in a whole new entry);
- control sequences that do I/O or redefine TeX (``\\input``, ``\\write18``,
  ``\\catcode``, ``\\def`` ...), including through TeX's ``^^5c`` notation.

``escape_latex_text`` turns plain text into LaTeX that prints that text;
``neutralise_tex`` makes an existing LaTeX value (say, math copied from a
BibTeX source) inert; ``unsafe_reasons`` says what is wrong with a value.
All are pure functions, so the BibTeX writer can call them per field.
"""
from __future__ import annotations

import re

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

# Control words that read or write files, run programs, or change how TeX reads what follows.
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


_DANGEROUS_PARTS = ("input", "include", "write", "catcode", "openin", "openout", "shell", "lua", "csname", "def")


def is_dangerous_command(name: str) -> bool:
    """Whether control word ``\\name`` can read or write files, run programs or rewire TeX."""
    plain = name.strip("@").lower()
    return name in DANGEROUS_COMMANDS or plain in {c.lower() for c in DANGEROUS_COMMANDS} or any(
        part in plain for part in _DANGEROUS_PARTS)


def neutralise_tex(latex: str, *, keep_lines: bool = False) -> str:
    """Make LaTeX markup from an untrusted source inert but keep harmless markup.

    Dangerous control words lose their backslash's power (``\\input`` ->
    ``\\textbackslash{}input``), ``^^`` notation is broken up, a bare ``%``
    is escaped, and braces that do not pair up are replaced by the commands
    that print them, so the value cannot close its field. Line breaks become
    spaces, or with ``keep_lines`` stay (paragraph breaks in abstracts) with
    any line that starts with ``@`` guarded as ``{@}``.
    """
    flat = _CONTROL.sub("", latex)
    if keep_lines:
        flat = re.sub(r"\r\n?|[\v\f\x85\u2028\u2029]", "\n", flat)
        flat = re.sub(r"(?m)^(\s*)@", r"\1{@}", flat)
    else:
        flat = _VERTICAL.sub(" ", flat)
    flat = flat.replace("^^", r"\textasciicircum{}\textasciicircum{}")
    flat = re.sub(r"(?<!\\)((?:\\\\)*)%", r"\1\\%", flat)  # a bare % would comment out what follows

    def control(m: re.Match[str]) -> str:
        word = m.group(1)
        if word is not None and is_dangerous_command(word):
            return r"\textbackslash{}" + word
        return m.group()

    flat = _CONTROL_WORD.sub(control, flat)
    return balance_braces(flat)


def safe_field_value(value: str, *, verbatim: bool = False) -> str:
    """The last step before a value goes between a .bib field's braces.

    Text fields go through ``neutralise_tex`` (paragraph breaks kept);
    verbatim fields (url, doi, file) keep their characters - a URL's ``%``
    and ``#`` are not touched - but lose line breaks and unpaired braces.
    """
    if verbatim:
        return balance_braces(_CONTROL.sub("", _VERTICAL.sub(" ", value)))
    return neutralise_tex(value, keep_lines=True)


def balance_braces(latex: str) -> str:
    """Replace every ``{``/``}`` without a partner (as BibTeX counts them) by a printing command."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for i, ch in enumerate(latex):
        if ch == "{":
            stack.append(i)
        elif ch == "}" and stack:
            pairs[stack.pop()] = i
    matched = set(pairs) | set(pairs.values())
    out: list[str] = []
    for i, ch in enumerate(latex):
        if ch in "{}" and i not in matched:
            backslash = bool(out) and out[-1].endswith("\\") and not out[-1].endswith("\\\\")
            if backslash:
                out[-1] = out[-1][:-1]
            out.append(r"\textbraceleft{}" if ch == "{" else r"\textbraceright{}")
        else:
            out.append(ch)
    return "".join(out)


def unsafe_reasons(value: str) -> list[str]:
    """Why a BibTeX field value (the text between its outer braces) is unsafe; empty when safe."""
    reasons: list[str] = []
    depth = 0
    for ch in value:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                reasons.append("a '}' closes the field early")
                break
    if depth > 0:
        reasons.append("a '{' is never closed")
    if re.search(r"(?m)^\s*@", value) and _VERTICAL.search(value):
        reasons.append("a line starts with '@' (a new entry to many parsers)")
    if "^^" in value:
        reasons.append("TeX '^^' character notation")
    for m in _CONTROL_WORD.finditer(value):
        if m.group(1) is not None and is_dangerous_command(m.group(1)) and not _escaped_backslash(value, m.start()):
            reasons.append(f"control sequence \\{m.group(1)}")
    return reasons


def _escaped_backslash(value: str, start: int) -> bool:
    """Whether the backslash at ``start`` is the second half of ``\\\\`` (a line break, not a command)."""
    run = 0
    i = start - 1
    while i >= 0 and value[i] == "\\":
        run += 1
        i -= 1
    return run % 2 == 1


def is_safe_bibtex_value(value: str) -> bool:
    return not unsafe_reasons(value)
