"""``lint()``: inputs -> units (raw BibTeX view and/or the reader's model) -> findings."""
from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from typing import Any

from .. import registry
from ..api import input_verdict, load_string
from ..diagnostics import Diagnostic, Severity
from ..model import Date, Item, Library, Name
from ..textio import decode
from . import rules as _rules  # noqa: F401  (registers the rules)
from .core import RULES, Context, Finding, Record, RecordField, Rule, Unit

Input = str | os.PathLike[str] | Library


def select_rules(select: Iterable[str] | str | None = None, ignore: Iterable[str] | str | None = None) -> list[Rule]:
    """Rules to run. Tokens are ids (``BT001``), id prefixes (``BT01``) or names; unknown ones raise ``ValueError``."""
    chosen = [r for r in RULES.values() if select is None or _matches(r, _tokens(select))]
    if ignore is not None:
        dropped = _tokens(ignore)
        chosen = [r for r in chosen if not _matches(r, dropped)]
    return sorted(chosen, key=lambda r: r.id)


def _tokens(spec: Iterable[str] | str) -> list[str]:
    raw = [spec] if isinstance(spec, str) else list(spec)
    tokens = [t.strip() for chunk in raw for t in chunk.split(",") if t.strip()]
    for token in tokens:
        if not any(_matches(r, [token]) for r in RULES.values()):
            raise ValueError(f"unknown lint rule {token!r} (see 'bibtools lint --list-rules')")
    return tokens


def _matches(rule: Rule, tokens: list[str]) -> bool:
    return any(rule.id.startswith(t.upper()) or rule.name == t.lower() for t in tokens)


def _format_of(text: str, path: str | None, fmt: str | None) -> registry.Format | None:
    try:
        return registry.get(fmt) if fmt else registry.detect(text, path)
    except registry.UnknownFormat:
        return None


def unit_for_file(path: str | os.PathLike[str], *, fmt: str | None = None, strings: dict[str, str] | None = None) -> Unit:
    data = Path(path).read_bytes()
    return unit_for_bytes(data, str(path), fmt=fmt, strings=strings)


def unit_for_bytes(data: bytes, source: str, *, fmt: str | None = None, strings: dict[str, str] | None = None) -> Unit:
    decoded = decode(data, source=source)
    text = decoded.text
    found = _format_of(text, source, fmt)
    reuse: dict[str, Any] = {}
    if found is not None and found.raw_records is not None:  # the format's raw view (one split, shared)
        unit, reuse = found.raw_records(text, source, strings)
    else:
        unit = Unit(file=source, strings=dict(strings or {}))
    unit.library = _read_model(text, decoded.diagnostics, source, found.name if found else fmt, unit, reuse)
    if not unit.records and unit.library is not None and not unit.raw_bibtex:
        unit.records = records_from_library(unit.library, source)
    return unit


def _read_model(text: str, decoding: list[Diagnostic], source: str, fmt: str | None, unit: Unit,
                reuse: dict[str, Any]) -> Library | None:
    try:
        library = load_string(text, fmt, source=source, **reuse)
    except registry.UnknownFormat:
        return None  # no reader for this format in this build: the raw view is all there is
    except RecursionError:
        unit.findings.append(Finding("BT000", "reader-diagnostic", Severity.ERROR,
                                     "the reader ran out of stack (input nested too deeply)", source))
        return None
    except Exception as exc:  # a reader bug must not take the lint run down with it
        unit.findings.append(Finding("BT000", "reader-diagnostic", Severity.ERROR,
                                     f"the reader failed on this input: {type(exc).__name__}: {exc}", source))
        return None
    library.diagnostics[:0] = decoding
    library.diagnostics.extend(input_verdict(text, len(library), library.diagnostics, source))
    return library


_NOCASE = re.compile(r'<span class="nocase">(.*?)</span>', re.DOTALL)
_TAG = re.compile(r"</?(?:i|b|sup|sub|span)(?:\s[^>]*)?>")

# CSL variable -> the field name the shared rules look at.
_CSL_TO_FIELD = {"DOI": "doi", "ISBN": "isbn", "ISSN": "issn", "URL": "url", "page": "pages", "issued": "date"}


def _csl_text(value: str) -> str:
    """CSL rich text as the rules read BibTeX: nocase spans become braces, other markup goes."""
    return _TAG.sub("", _NOCASE.sub(lambda m: "{" + m.group(1) + "}", value))


def _date_text(date: Date) -> str:
    if date.parts:
        return "/".join("-".join(f"{p:04d}" if i == 0 else f"{p:02d}" for i, p in enumerate(part)) for part in date.parts)
    return date.raw or ""


def _names_text(names: list[Name]) -> str:
    out = []
    for name in names:
        if name.literal is not None:
            out.append("{" + name.literal + "}")
        else:
            out.append(", ".join(p for p in (name.full_family, name.given) if p))
    return " and ".join(out)


def records_from_library(library: Library, source: str | None = None) -> list[Record]:
    """The lint view of model items (CSL-JSON, RIS, API records, or any ``Library``)."""
    records = []
    for item in library.items:
        records.append(record_from_item(item, source))
    return records


def record_from_item(item: Item, source: str | None = None) -> Record:
    origin = item.origin
    record = Record(key=item.id, type=item.type, dialect="csl", file=(origin.source if origin else None) or source,
                    line=origin.line if origin else None)
    for variable, value in item.fields.items():
        name = _CSL_TO_FIELD.get(variable, variable.lower())
        if isinstance(value, Date):
            if value.literal is not None and not value.parts:
                continue  # a literal date is free text by design
            text = _date_text(value)
        elif isinstance(value, list):
            text = _names_text(value)
        else:
            text = _csl_text(str(value))
        record.fields[name] = RecordField(name, text, None, record.line)
    return record


def build_context(inputs: Input | Sequence[Input], *, fmt: str | None = None) -> Context:
    items: Sequence[Input] = [inputs] if isinstance(inputs, (str, os.PathLike, Library)) else inputs
    units: list[Unit] = []
    strings: dict[str, str] = {}
    for entry in items:
        if isinstance(entry, Library):
            unit = Unit(file=None, library=entry, strings=dict(strings))
            unit.records = records_from_library(entry)
        else:
            unit = unit_for_file(entry, fmt=fmt, strings=strings)
        strings = unit.strings  # later files see earlier @strings, as BibTeX does
        units.append(unit)
    return Context(units)


def lint(
    inputs: Input | Sequence[Input],
    select: Iterable[str] | str | None = None,
    ignore: Iterable[str] | str | None = None,
    *,
    fmt: str | None = None,
) -> list[Finding]:
    """Lint files (paths) or ``Library`` objects; returns findings sorted by file and line.

    Several inputs are linted together, like one BibTeX run over several .bib
    files: @strings carry forward, duplicate keys and crossrefs span files.
    """
    chosen = select_rules(select, ignore)
    ctx = build_context(inputs, fmt=fmt)
    order = {u.file: i for i, u in enumerate(ctx.units)}
    findings: list[Finding] = []
    for rule_ in chosen:
        findings.extend(rule_.check(ctx))
    if any(r.id == "BT000" for r in chosen):  # lint's own reader failures
        findings.extend(f for u in ctx.units for f in u.findings if f.rule == "BT000")
    findings.sort(key=lambda f: (order.get(f.file, len(order)), f.line or 0, f.rule))
    return findings


def lint_bytes(
    data: bytes | str,
    source: str = "<string>",
    select: Iterable[str] | str | None = None,
    ignore: Iterable[str] | str | None = None,
    *,
    fmt: str | None = None,
) -> list[Finding]:
    """Lint one input held in memory (``source`` names it in findings and picks the format by suffix)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    chosen = select_rules(select, ignore)
    ctx = Context([unit_for_bytes(raw, source, fmt=fmt)])
    findings = [f for rule_ in chosen for f in rule_.check(ctx)]
    if any(r.id == "BT000" for r in chosen):
        findings.extend(f for f in ctx.units[0].findings if f.rule == "BT000")
    findings.sort(key=lambda f: (f.line or 0, f.rule))
    return findings


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)
