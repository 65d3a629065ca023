"""The lint view of a .bib file (``Format.raw_records``): ``Record``s that keep each field's raw text.

The blocks are the reader's own (``reader.split_blocks``, one split for lint
and reader alike), whose fields hold each value exactly as written
(delimiters, ``#`` concatenation, macro names): what the raw-level rules need.
Here each value is parsed into its parts, @string macros are expanded in file
order, and whatever cannot be parsed becomes a finding with its line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bibtexparser import model as bp

from ...diagnostics import Severity
from ...lint.core import Finding, Record, RecordField, Unit
from ...mappings.bibtex import BIBLATEX_ONLY_FIELDS, BIBLATEX_ONLY_TYPES, MONTH_MACROS
from .braces import closing_brace, closing_quote, imbalance
from .reader import split_blocks

_NUMBER = re.compile(r"\d+")
_MACRO = re.compile(r"[^\s#\"{}(),=%]+")


@dataclass(slots=True)
class ValuePart:
    kind: str  # "braced", "quoted", "number", "macro"
    text: str  # inside the delimiters


class ValueSyntaxError(ValueError):
    pass


class UnbalancedValue(ValueSyntaxError):
    """The value's braces do not pair up (a BibTeX error of its own, BT013)."""


def parse_value(raw: str) -> list[ValuePart]:
    """Split a raw BibTeX value (``{A} # b # "c" # 12``) into its parts."""
    parts: list[ValuePart] = []
    i, n = 0, len(raw)
    expect_part = True
    while i < n:
        ch = raw[i]
        if ch.isspace():
            i += 1
            continue
        if not expect_part:
            if ch != "#":
                raise ValueSyntaxError(f"expected '#' or the end of the value, found {raw[i:i + 12]!r}")
            expect_part = True
            i += 1
            continue
        if ch == "{":
            end = _matching_brace(raw, i)
            parts.append(ValuePart("braced", raw[i + 1 : end]))
            i = end + 1
        elif ch == '"':
            end = _closing_quote(raw, i)
            parts.append(ValuePart("quoted", raw[i + 1 : end]))
            i = end + 1
        else:
            m = _NUMBER.match(raw, i)
            if m and (m.end() == n or not _MACRO.match(raw, m.end())):
                parts.append(ValuePart("number", m.group()))
                i = m.end()
            else:
                m = _MACRO.match(raw, i)
                if not m:
                    raise ValueSyntaxError(f"unexpected {ch!r} in the value")
                parts.append(ValuePart("macro", m.group()))
                i = m.end()
        expect_part = False
    if expect_part and parts:
        raise ValueSyntaxError("the value ends with '#'")
    return parts


def _matching_brace(raw: str, start: int) -> int:
    end = closing_brace(raw, start)
    if end < 0:
        raise UnbalancedValue("a '{' in the value is never closed")
    return end


def _closing_quote(raw: str, start: int) -> int:
    end = closing_quote(raw, start)
    if end >= 0:
        return end
    if imbalance(raw[start + 1:]) is not None:
        raise UnbalancedValue("braces inside the quoted value do not pair up")
    raise ValueSyntaxError("a '\"' in the value is never closed")


def _finding(rule: str, name: str, severity: Severity, message: str, file: str | None, line: int | None,
             key: str | None = None) -> Finding:
    return Finding(rule, name, severity, message, file, line, key)


def _line(block_line: int | None) -> int | None:
    return None if block_line is None else block_line + 1  # the splitter counts from 0


def lint_records(text: str, file: str | None, strings: dict[str, str] | None = None) -> tuple[Unit, dict[str, Any]]:
    """Records, @string macros and syntax findings for one BibTeX/BibLaTeX text, and the reader
    options that let the reader take the same split (``blocks``) instead of splitting again.

    ``strings`` carries macros defined by earlier inputs (BibTeX reads several
    .bib files as one stream); the unit's ``strings`` holds them plus this file's.
    """
    unit = Unit(file=file, strings=dict(strings or {}), raw_bibtex=True)
    try:
        split = split_blocks(text)
    except Exception as exc:  # the splitter flags its own internal errors by raising
        unit.findings.append(_finding("BT018", "syntax-error", Severity.ERROR,
                                      f"the BibTeX splitter gave up on this file: {exc}", file, None))
        return unit, {}
    for block in split.blocks:
        _take_block(block, unit)
    unit.findings.sort(key=lambda f: (f.line or 0))
    return unit, {"split": split}


def _take_block(block: bp.Block, unit: Unit) -> None:
    file = unit.file
    if isinstance(block, bp.DuplicateBlockKeyBlock):
        block = block.ignore_error_block  # duplicates are a rule's business, not a syntax error
    if isinstance(block, bp.DuplicateFieldKeyBlock):
        block = block.ignore_error_block
    if isinstance(block, bp.String):
        _take_string(block, unit)
    elif isinstance(block, bp.Entry):
        unit.records.append(_record(block, unit))
    elif isinstance(block, bp.ParsingFailedBlock):
        _failed(block, unit)


def _take_string(block: bp.String, unit: Unit) -> None:
    line = _line(block.start_line)
    name = block.key.strip().lower()
    try:
        parts = parse_value(block.value)
    except ValueSyntaxError as exc:
        unit.findings.append(_finding("BT018", "syntax-error", Severity.ERROR,
                                      f"@string {block.key!r}: {exc}", unit.file, line))
        return
    text, undefined = expand(parts, unit.strings)
    for macro in undefined:
        holder = Record(key=f"@string{{{block.key}}}", type="string", dialect="bibtex", file=unit.file, line=line)
        unit.undefined.append((macro, RecordField(name, text, block.value, line), holder))
    unit.strings[name] = text


def expand(parts: list[ValuePart], strings: dict[str, str]) -> tuple[str, list[str]]:
    """The value's text with macros expanded, and the macros nobody defined."""
    out: list[str] = []
    undefined: list[str] = []
    for part in parts:
        if part.kind != "macro":
            out.append(part.text)
            continue
        name = part.text.lower()
        if name in strings:
            out.append(strings[name])
        elif name in MONTH_MACROS:
            out.append(MONTH_MACROS[name])
        else:
            undefined.append(part.text)
    return "".join(out), undefined


def _record(entry: bp.Entry, unit: Unit) -> Record:
    entry_type = entry.entry_type.strip().lower()
    record = Record(key=entry.key.strip(), type=entry_type, dialect="bibtex", file=unit.file, line=_line(entry.start_line))
    biblatex = entry_type in BIBLATEX_ONLY_TYPES
    for fld in entry.fields:
        name = fld.key.strip().lower()
        line = _line(fld.start_line)
        raw = fld.value
        parsed: list[ValuePart] | None
        try:
            parts = parsed = parse_value(raw)
        except UnbalancedValue as exc:
            unit.findings.append(_finding("BT013", "unbalanced-braces", Severity.ERROR, f"field {name!r}: {exc}",
                                          unit.file, line, record.key))
            parts, parsed = [ValuePart("braced", raw.strip().strip('{}"'))], None
        except ValueSyntaxError as exc:
            unit.findings.append(_finding("BT018", "syntax-error", Severity.ERROR, f"field {name!r}: {exc}",
                                          unit.file, line, record.key))
            parts, parsed = [ValuePart("braced", raw.strip().strip('{}"'))], None
        text, undefined = expand(parts, unit.strings)
        value = RecordField(name, text, raw, line, parsed)
        for macro in undefined:
            unit.undefined.append((macro, value, record))
        if name in record.fields:
            record.repeated.append(value)
        else:
            record.fields[name] = value
        biblatex = biblatex or name in BIBLATEX_ONLY_FIELDS
    if biblatex:
        record.dialect = "biblatex"
    return record


def _failed(block: bp.ParsingFailedBlock, unit: Unit) -> None:
    raw = block.raw or ""
    line = _line(block.start_line)
    head = re.match(r"@\s*(\w*)\s*[{(]\s*([^,\s]*)", raw)
    key = head.group(2) if head and head.group(2) else None
    reason = " ".join((getattr(block.error, "abort_reason", None) or str(block.error)).split())
    ran_on = "Unexpected block start" in reason or "end of file" in reason  # the block never closed
    imbalance_at = imbalance(raw) if ran_on else None
    if imbalance_at is not None:
        offset, depth = imbalance_at
        at = (line or 1) + raw.count("\n", 0, offset)
        what = "a '}' closes nothing" if depth < 0 else "a '{' is never closed"
        unit.findings.append(_finding("BT013", "unbalanced-braces", Severity.ERROR,
                                      f"{what}; the entry could not be read", unit.file, at, key))
        return
    unit.findings.append(_finding("BT018", "syntax-error", Severity.ERROR,
                                  f"this block could not be read: {reason}", unit.file, line, key))
