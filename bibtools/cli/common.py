"""What the commands share: reading inputs, reporting problems, writing outputs."""
from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence

import click

from .. import registry
from ..api import load_bytes, load_file
from ..diagnostics import Diagnostic, Severity
from ..model import Library
from ..textio import atomic_write

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class UsageFailure(click.UsageError):
    exit_code = EXIT_USAGE


def read_inputs(inputs: Sequence[str], fmt: str | None, encoding: str | None) -> Library:
    """Load and concatenate every input (``-`` is stdin)."""
    library = Library()
    for path in inputs or ("-",):
        try:
            if path == "-":
                part = load_bytes(sys.stdin.buffer.read(), fmt, source="<stdin>", encoding=encoding)
            else:
                part = load_file(path, fmt, encoding=encoding)
        except registry.UnknownFormat as exc:
            raise UsageFailure(str(exc)) from None
        except (OSError, ValueError) as exc:
            raise UsageFailure(f"cannot read {path}: {exc}") from None
        library.extend(part)
    return library


def report(diagnostics: Iterable[Diagnostic], *, verbose: bool = False) -> int:
    """Print problems to stderr; return how many were warnings or errors."""
    count = 0
    for diag in diagnostics:
        if diag.severity is Severity.INFO and not verbose:
            continue
        if diag.severity is not Severity.INFO:
            count += 1
        click.echo(str(diag), err=True)
    return count


def write_output(text: str, output: str | None) -> None:
    """Write to a file atomically, or to stdout for ``-``/``None``."""
    if output in (None, "-"):
        click.echo(text, nl=False)
    else:
        atomic_write(output, text)
