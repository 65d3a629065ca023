"""The lint rules: small functions registered by stable id.

Ids never change meaning; a retired rule's id is not reused. Severity:
``error`` when BibTeX/biber/LaTeX will fail or silently lose data,
``warning`` for data that is wrong but still compiles, ``info`` for advice.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from ..diagnostics import Severity
from . import casing, checks
from .core import RULES, Context, Finding, Record, rule
from .datamodel import (
    CASE_CHANGED_FIELDS,
    NAME_FIELDS,
    PARENT_FIELD_FOR,
    TYPESET_FIELDS,
    known_type,
    required_table,
)
from ..formats.bibtex.braces import imbalance as brace_imbalance
from ..mappings.bibtex import VERBATIM_FIELDS
from ..safety import preamble_commands, untypographic_commands

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO


# BibTeX reader codes that a lint rule reports itself from the raw text (kept out of BT000).
SAME_AS_RULE: dict[str, str] = {
    "bibtex.syntax": "BT013/BT018",
    "bibtex.duplicate-key": "BT002",
    "bibtex.undefined-macro": "BT004",
    "bibtex.duplicate-field": "BT019",
    "bibtex.crossref-missing": "BT005",
    "bibtex.xdata-missing": "BT005",
}


@rule("BT000", "reader-diagnostic", W, "A problem the format reader reported while reading the file.")
def reader_diagnostics(ctx: Context) -> Iterator[Finding]:
    me = RULES["BT000"]
    for unit in ctx.units:
        if unit.library is None:
            continue
        raw_view = unit.raw_bibtex
        for diag in unit.library.diagnostics:
            if diag.severity is Severity.INFO:
                continue
            if raw_view and diag.code in SAME_AS_RULE:
                continue  # lint's own rule reports it, from the same text, with its own id
            yield me.finding(f"{diag.message} ({diag.code})", file=diag.source or unit.file, line=diag.line,
                             key=diag.key, severity=diag.severity)


def _resolve(ctx: Context) -> dict[str, Record]:
    index: dict[str, Record] = {}
    for record in ctx.records():
        index.setdefault(record.key, record)
        index.setdefault(record.key.lower(), record)
    return index


def _parents(record: Record, index: dict[str, Record]) -> list[Record]:
    out: list[Record] = []
    for name in ("crossref", "xdata"):
        fld = record.get(name)
        if fld is None:
            continue
        for target in (t.strip() for t in fld.text.split(",")):
            parent = index.get(target) or index.get(target.lower())
            if parent is not None and parent is not record:
                out.append(parent)
    return out


def _has(record: Record, name: str, parents: list[Record]) -> bool:
    fld = record.get(name)
    if fld is not None and fld.text.strip():
        return True
    for parent in parents:
        for parent_name in PARENT_FIELD_FOR.get(name, (name,)):
            pf = parent.get(parent_name)
            if pf is not None and pf.text.strip():
                return True
    return False


@rule("BT001", "missing-required-field", W, "The entry type requires a field the entry lacks (BibTeX or biblatex data model).")
def missing_required(ctx: Context) -> Iterator[Finding]:
    me = RULES["BT001"]
    index = _resolve(ctx)
    for record in ctx.records():
        requirements = required_table(record.dialect).get(record.type)
        if not requirements:
            continue
        parents = _parents(record, index)
        for alternatives in requirements:
            if any(_has(record, name, parents) for name in alternatives):
                continue
            wanted = " or ".join(alternatives)
            yield me.at(record, f"@{record.type} needs {wanted} ({record.dialect} data model)")


@rule("BT002", "duplicate-key", E, "Two entries share a key; BibTeX and biber keep only one of them.")
def duplicate_keys(ctx: Context) -> Iterator[Finding]:
    me = RULES["BT002"]
    seen: dict[str, Record] = {}
    folded: dict[str, Record] = {}
    for record in ctx.records():
        first = seen.get(record.key)
        if first is not None:
            where = f"{first.file}:{first.line}" if first.file else f"line {first.line}"
            yield me.at(record, f"key {record.key!r} is already used at {where}")
            continue
        seen[record.key] = record
        other = folded.get(record.key.lower())
        if other is not None:
            yield me.at(record, f"key {record.key!r} differs only in case from {other.key!r} (BibTeX treats them as one)",
                        severity=W)
        folded.setdefault(record.key.lower(), record)


@rule("BT003", "likely-duplicate", W, "Two entries probably describe the same work (bibtools.dedupe).")
def likely_duplicates(ctx: Context) -> Iterator[Finding]:
    from .dedupe_adapter import likely_duplicate_findings

    yield from likely_duplicate_findings(ctx, RULES["BT003"])


@rule("BT004", "undefined-string", E, "A value uses an @string macro that no @string defines.")
def undefined_strings(ctx: Context) -> Iterator[Finding]:
    me = RULES["BT004"]
    for unit in ctx.units:
        for macro, fld, record in unit.undefined:
            yield me.finding(f"field {fld.name!r} uses undefined @string {macro!r}", file=record.file,
                             line=fld.line or record.line, key=record.key)


@rule("BT005", "missing-crossref", W, "crossref/xdata names an entry that is not in the inputs.")
def missing_crossref(ctx: Context) -> Iterator[Finding]:
    me = RULES["BT005"]
    index = _resolve(ctx)
    for record in ctx.records():
        for name in ("crossref", "xdata"):
            fld = record.get(name)
            if fld is None or not fld.text.strip():
                continue
            for target in (t.strip() for t in fld.text.split(",")):
                if target and target not in index and target.lower() not in index:
                    yield me.at(record, f"{name} target {target!r} is not defined", name)


def _value_rule(rule_id: str, fields: tuple[str, ...], check: Callable[[str], str | None]) -> Callable[[Context], Iterator[Finding]]:
    def run(ctx: Context) -> Iterator[Finding]:
        me = RULES[rule_id]
        for record in ctx.records():
            for name in fields:
                fld = record.get(name)
                if fld is None or not fld.text.strip():
                    continue
                problem = check(_plain(fld.text) if name not in ("url", "doi") else _unwrap(fld.text))
                if problem:
                    yield me.at(record, problem, name)

    return run


_NOOPSORT = re.compile(r"\\noopsort\s*\{[^{}]*\}")


def _unwrap(text: str) -> str:
    """{{10.1/x}} -> 10.1/x: protecting braces around a whole verbatim value."""
    text = text.strip()
    while len(text) >= 2 and text[0] == "{" and text[-1] == "}" and brace_imbalance(text[1:-1]) is None:
        text = text[1:-1].strip()
    return text


def _plain(text: str) -> str:
    """Drop sort hacks and protecting braces ({\\noopsort{a}}1990 -> 1990) for number-like checks."""
    return _NOOPSORT.sub("", text).replace("{", "").replace("}", "")


rule("BT006", "malformed-doi", W, "doi is not 10.NNNN/suffix (or holds a URL prefix mangled by escaping).")(
    _value_rule("BT006", ("doi",), checks.check_doi))
rule("BT007", "malformed-isbn", W, "isbn has the wrong length or fails its checksum.")(
    _value_rule("BT007", ("isbn",), checks.check_isbn))
rule("BT008", "malformed-issn", W, "issn is not NNNN-NNNC or fails its checksum.")(
    _value_rule("BT008", ("issn", "eissn"), checks.check_issn))
rule("BT009", "malformed-url", W, "url has no scheme or host, contains spaces, or is wrapped in \\url{}.")(
    _value_rule("BT009", ("url",), checks.check_url))
rule("BT010", "malformed-pages", W, "pages is not N, N--M or a list of them, or the range runs backwards.")(
    _value_rule("BT010", ("pages",), checks.check_pages))
rule("BT011", "malformed-month", W, "month is not a month macro, a number 1-12 or a month name.")(
    _value_rule("BT011", ("month",), checks.check_month))


@rule("BT012", "malformed-year", W, "year is not a four-digit year, or a date field is not ISO 8601/EDTF.")
def malformed_year(ctx: Context) -> Iterator[Finding]:
    me = RULES["BT012"]
    for record in ctx.records():
        fld = record.get("year")
        if fld is not None and fld.text.strip():
            problem = checks.check_year(_plain(fld.text))
            if problem:
                yield me.at(record, problem, "year")
        for name in ("date", "urldate", "eventdate", "origdate"):
            fld = record.get(name)
            if fld is not None and fld.text.strip():
                problem = checks.check_date(_plain(fld.text))
                if problem:
                    yield me.at(record, f"{name}: {problem}", name)


@rule("BT013", "unbalanced-braces", E, "Braces do not balance (BibTeX counts \\{ and \\} too); the entry may swallow the next.")
def unbalanced_braces(ctx: Context) -> Iterator[Finding]:
    me = RULES["BT013"]
    for unit in ctx.units:
        yield from (f for f in unit.findings if f.rule == "BT013")
        for record in unit.records:
            for fld in _all_fields(record):
                if fld.parts is None:
                    continue  # not BibTeX, or reported as a syntax error
                for part in fld.parts:
                    if part.kind in ("braced", "quoted") and brace_imbalance(part.text):
                        yield me.at(record, f"field {fld.name!r} has unbalanced braces", line=fld.line)
                        break


def _all_fields(record: Record) -> list:
    return list(record.fields.values()) + record.repeated


_SPECIAL = re.compile(r"(?<!\\)[&%#_]")
_URL_COMMAND = re.compile(r"\\(?:url|href|path|nolinkurl|doi)\s*\{[^{}]*\}")
_MATH = re.compile(r"(?<!\\)\$[^$]*(?<!\\)\$")


@rule("BT014", "unescaped-special", E, "A typeset field holds a bare & % # or _ that LaTeX will choke on; write \\& \\% \\# \\_.")
def unescaped_specials(ctx: Context) -> Iterator[Finding]:
    me = RULES["BT014"]
    for record in ctx.records():
        if record.dialect == "csl":
            continue  # CSL text is plain text; the BibTeX writer escapes it
        for fld in record.fields.values():
            if fld.name not in TYPESET_FIELDS or fld.raw is None:
                continue
            text = _MATH.sub("", _URL_COMMAND.sub("", fld.text))
            found = sorted(set(_SPECIAL.findall(text)))
            if found:
                chars = " ".join(found)
                escaped = " ".join("\\" + c for c in found)
                yield me.at(record, f"field {fld.name!r} has unescaped {chars} (write {escaped})", line=fld.line)


@rule("BT015", "all-caps", W, "A title or name is written in capitals; styles cannot recover its real case.")
def all_caps(ctx: Context) -> Iterator[Finding]:
    me = RULES["BT015"]
    for record in ctx.records():
        for name in CASE_CHANGED_FIELDS:
            fld = record.get(name)
            if fld is not None and casing.is_all_caps(fld.text):
                yield me.at(record, f"{name} is in capitals: {_short(fld.text)!r}", name)
        for name in NAME_FIELDS:
            fld = record.get(name)
            if fld is None:
                continue
            caps = [n.strip() for n in _split_names(fld.text) if casing.caps_name(n)]
            if caps:
                more = f" (and {len(caps) - 1} more)" if len(caps) > 1 else ""
                yield me.at(record, f"{name} name in capitals: {_short(caps[0])!r}{more}", name)


def _split_names(text: str) -> list[str]:
    out, depth, start = [], 0, 0
    for m in re.finditer(r"[{}]|\s+and\s+", text, re.IGNORECASE):  # BibTeX reads AND as and
        tok = m.group()
        if tok == "{":
            depth += 1
        elif tok == "}":
            depth = max(depth - 1, 0)
        elif depth == 0:
            out.append(text[start : m.start()])
            start = m.end()
    out.append(text[start:])
    return out


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


@rule("BT016", "unprotected-capitals", I, "Capitals a sentence-casing style will lower-case (DNA, Bayesian): protect them with braces.")
def unprotected_capitals(ctx: Context) -> Iterator[Finding]:
    me = RULES["BT016"]
    for record in ctx.records():
        if record.dialect == "csl":
            continue
        for name in ("title", "subtitle"):
            fld = record.get(name)
            if fld is None or casing.is_all_caps(fld.text):
                continue
            hits = list(dict.fromkeys(casing.unprotected_capitals(fld.text)))
            if hits:
                shown = ", ".join(hits[:5]) + (", ..." if len(hits) > 5 else "")
                yield me.at(record, f"{name}: {shown} would be lower-cased; protect as {{{hits[0]}}}", name)


@rule("BT017", "empty-field", W, "A field is present but empty.")
def empty_fields(ctx: Context) -> Iterator[Finding]:
    me = RULES["BT017"]
    undefined = {id(fld) for unit in ctx.units for _, fld, _ in unit.undefined}
    for record in ctx.records():
        for fld in _all_fields(record):
            if id(fld) in undefined:
                continue
            if not _plain(fld.text).strip():
                yield me.at(record, f"field {fld.name!r} is empty", line=fld.line)


@rule("BT018", "syntax-error", E, "A block could not be read at all (missing comma, '=' or delimiter).")
def syntax_errors(ctx: Context) -> Iterator[Finding]:
    for unit in ctx.units:
        yield from (f for f in unit.findings if f.rule == "BT018")


@rule("BT019", "duplicate-field", W, "A field appears twice in one entry; BibTeX keeps the first, other tools the last.")
def duplicate_fields(ctx: Context) -> Iterator[Finding]:
    me = RULES["BT019"]
    for record in ctx.records():
        for fld in record.repeated:
            yield me.at(record, f"field {fld.name!r} appears more than once", line=fld.line)


@rule("BT020", "unknown-entry-type", I, "The entry type is in neither the BibTeX nor the biblatex data model; styles treat it as misc.")
def unknown_types(ctx: Context) -> Iterator[Finding]:
    me = RULES["BT020"]
    for record in ctx.records():
        if not known_type(record.type, record.dialect):
            yield me.at(record, f"unknown entry type @{record.type}")


@rule("BT021", "non-typographic-command", W,
      "A field uses a TeX command not known to only typeset (\\input, \\iftrue, an unknown macro); "
      "bibtools writes it as text.")
def non_typographic_commands(ctx: Context) -> Iterator[Finding]:
    me = RULES["BT021"]
    for unit in ctx.units:
        defined = preamble_commands(unit.library.preambles) if unit.library is not None else frozenset()
        for record in unit.records:
            if record.dialect == "csl":
                continue  # CSL text is plain text: its backslashes are written as text anyway
            for fld in _all_fields(record):
                if fld.name in VERBATIM_FIELDS or "\\" not in fld.text:
                    continue
                names = list(dict.fromkeys(untypographic_commands(fld.text, defined)))
                if names:
                    shown = ", ".join("\\" + n for n in names[:5]) + (" ..." if len(names) > 5 else "")
                    yield me.at(record, f"field {fld.name!r} uses {shown}, not known to only typeset; "
                                        "bibtools writes it as text", line=fld.line)
