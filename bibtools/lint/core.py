"""The lint engine's vocabulary: findings, rules, and the record view rules look at.

Rules never see a file format directly. Each input becomes a list of
``Record``s: one per entry, with native (BibTeX-style, lower-case) field
names, the raw field text when the input was BibTeX (so brace and escaping
rules can see what the user typed) and the line of every field.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from ..diagnostics import Severity
from ..model import Library

Dialect = Literal["bibtex", "biblatex", "csl"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem a rule found, located as precisely as the input allows."""

    rule: str  # stable id, e.g. "BT001"
    name: str  # stable slug, e.g. "missing-required-field"
    severity: Severity
    message: str
    file: str | None = None
    line: int | None = None  # 1-based
    key: str | None = None

    def __str__(self) -> str:
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}"
        who = f" [{self.key}]" if self.key else ""
        return f"{where}: {self.rule} {self.severity.value}: {self.message}{who} ({self.name})"

    def to_json(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "name": self.name,
            "severity": self.severity.value,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "key": self.key,
        }


@dataclass(slots=True)
class RecordField:
    """One field of one record.

    ``raw`` is the value exactly as written (BibTeX: with its delimiters and
    ``#`` concatenations; ``None`` for non-BibTeX inputs); ``text`` is the
    value with @string macros expanded and the outer delimiters removed,
    inner braces kept (they are the user's case protection).
    """

    name: str
    text: str
    raw: str | None = None
    line: int | None = None
    parts: list | None = None  # the parsed raw value (raw.ValuePart), when it parsed


@dataclass(slots=True)
class Record:
    key: str
    type: str  # native entry type, lower-case ("article", "online", CSL "article-journal")
    dialect: Dialect
    file: str | None = None
    line: int | None = None
    fields: dict[str, RecordField] = field(default_factory=dict)
    repeated: list[RecordField] = field(default_factory=list)  # second and later copies of a field

    def get(self, name: str) -> RecordField | None:
        return self.fields.get(name)

    def line_of(self, name: str) -> int | None:
        f = self.fields.get(name)
        return f.line if f is not None and f.line is not None else self.line


@dataclass(slots=True)
class Unit:
    """One linted input: its records, the macros in scope, and its reader's view."""

    file: str | None
    records: list[Record] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # found while splitting (raw level)
    library: Library | None = None  # the reader's model, when a reader handles the format
    strings: dict[str, str] = field(default_factory=dict)  # lower-case name -> expanded text
    undefined: list[tuple[str, RecordField, Record]] = field(default_factory=list)
    raw_bibtex: bool = False  # records come from the raw BibTeX text (not from the reader's model)


@dataclass(slots=True)
class Context:
    """Everything one ``lint`` call sees, across all its inputs."""

    units: list[Unit]

    def records(self) -> Iterator[Record]:
        for unit in self.units:
            yield from unit.records

    def keys(self) -> set[str]:
        return {r.key for r in self.records()}


RuleFunc = Callable[[Context], Iterable[Finding]]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    name: str
    severity: Severity
    summary: str  # one line: what it checks and why it matters
    check: RuleFunc

    def finding(self, message: str, *, file: str | None = None, line: int | None = None, key: str | None = None,
                severity: Severity | None = None) -> Finding:
        return Finding(self.id, self.name, severity or self.severity, message, file, line, key)

    def at(self, record: Record, message: str, field_name: str | None = None, *, line: int | None = None,
           severity: Severity | None = None) -> Finding:
        where = line if line is not None else (record.line_of(field_name) if field_name else record.line)
        return self.finding(message, file=record.file, line=where, key=record.key, severity=severity)


RULES: dict[str, Rule] = {}


def rule(rule_id: str, name: str, severity: Severity, summary: str) -> Callable[[RuleFunc], RuleFunc]:
    """Register a rule under a stable id and slug."""

    def register(func: RuleFunc) -> RuleFunc:
        if rule_id in RULES:
            raise ValueError(f"rule id {rule_id} registered twice")
        RULES[rule_id] = Rule(rule_id, name, severity, summary, func)
        return func

    return register


def lookup(token: str) -> Rule | None:
    """A rule by id (``BT001``, case-insensitive) or by name (``missing-required-field``)."""
    token = token.strip()
    rule_ = RULES.get(token.upper())
    if rule_ is not None:
        return rule_
    for candidate in RULES.values():
        if candidate.name == token.lower():
            return candidate
    return None
