"""What the commands that change a file share: ``bibtools.update_file`` with its
failures turned into the CLI's messages and exit codes, and the dry-run diff."""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from .. import registry
from ..textio import WriteConflict
from ..update import Change, UpdateError, UpdateResult, update_file
from .common import UsageFailure


def run_update(path: str, change: Change, **options: Any) -> UpdateResult:
    """``update_file(path, change, **options)`` with ``update_errors``."""
    with update_errors(path):
        return update_file(path, change, **options)


@contextmanager
def update_errors(path: str) -> Iterator[None]:
    """A file that cannot be updated safely is a usage error (exit 2), another writer
    in the way a failure (exit 1); either way nothing was written."""
    try:
        yield
    except WriteConflict as exc:
        raise click.ClickException(str(exc)) from None
    except registry.UnknownFormat as exc:
        raise UsageFailure(str(exc)) from None
    except UpdateError as exc:
        raise UsageFailure(str(exc)) from None
    except (OSError, ValueError) as exc:
        raise UsageFailure(f"cannot update {path}: {exc}") from None


def print_diff(result: UpdateResult) -> None:
    click.echo(result.diff(), nl=False)


def same_file(a: str | None, b: str | None) -> bool:
    """``a`` and ``b`` name one existing file (stdout and missing files never do)."""
    if not a or not b or "-" in (a, b):
        return False
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
