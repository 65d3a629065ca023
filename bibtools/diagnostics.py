"""Problems found while reading or writing, as data.

Readers never raise on bad input: they keep what they can and return a
``Diagnostic`` per problem, with the file and line a user needs to fix it.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem, located. ``code`` is stable (e.g. ``bibtex.unbalanced``)."""

    severity: Severity
    code: str
    message: str
    source: str | None = None  # file path or "<stdin>"/"<string>"
    line: int | None = None  # 1-based
    key: str | None = None  # entry key, when the problem belongs to one entry

    def __str__(self) -> str:
        where = self.source or "<input>"
        if self.line is not None:
            where += f":{self.line}"
        who = f" [{self.key}]" if self.key else ""
        return f"{where}: {self.severity.value}: {self.message}{who} ({self.code})"


def error(code: str, message: str, **kw: object) -> Diagnostic:
    return Diagnostic(Severity.ERROR, code, message, **kw)  # type: ignore[arg-type]


def warning(code: str, message: str, **kw: object) -> Diagnostic:
    return Diagnostic(Severity.WARNING, code, message, **kw)  # type: ignore[arg-type]


def info(code: str, message: str, **kw: object) -> Diagnostic:
    return Diagnostic(Severity.INFO, code, message, **kw)  # type: ignore[arg-type]
