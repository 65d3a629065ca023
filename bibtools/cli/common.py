"""What the commands share: reading inputs, reporting problems, writing outputs."""
from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any
from contextlib import contextmanager

import click

from .. import registry
from ..api import load_bytes, load_file
from ..diagnostics import Diagnostic, Severity
from ..keys import resolve_repeated_keys
from ..model import Library
from ..passes import DEFAULT_PASSES
from ..passes import run as run_passes
from ..textio import atomic_write

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class UsageFailure(click.UsageError):
    exit_code = EXIT_USAGE


KEY_PASS = "bibtools.keys.assign_missing_keys"


def read_inputs(inputs: Sequence[str], fmt: str | None, encoding: str | None, *, generate_keys: bool = True,
                each: Callable[[Library], None] | None = None) -> Library:
    """Load and concatenate every input (``-`` is stdin).

    Keyless items (RIS, ...) are named once all inputs are in, so keys
    generated for two files never collide; a key used twice (within a file
    or across files) is made unique first, so no command writes two entries
    with one key. ``each`` sees every input's library as its reader made it, before the join.
    """
    library = Library()
    passes = [p for p in DEFAULT_PASSES if p != KEY_PASS]
    for path in inputs or ("-",):
        try:
            if path == "-":
                part = load_bytes(sys.stdin.buffer.read(), fmt, source="<stdin>", encoding=encoding, passes=passes)
            else:
                part = load_file(path, fmt, encoding=encoding, passes=passes)
        except registry.UnknownFormat as exc:
            raise UsageFailure(str(exc)) from None
        except (OSError, ValueError) as exc:
            raise UsageFailure(f"cannot read {path}: {exc}") from None
        if each is not None:
            each(part)
        library.extend(part)
    resolve_repeated_keys(library)
    if generate_keys and KEY_PASS in DEFAULT_PASSES:
        run_passes(library, [KEY_PASS])
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


PROGRESS_MIN = 4  # a bar for runs of more than a few records


@contextmanager
def progress_bar(
    total: int, label: str, *, min_total: int = PROGRESS_MIN, delay: float = 0.0, in_bytes: bool = False
) -> Iterator[Callable[[int, int, str], None] | None]:
    """A rich progress bar on stderr, or ``None`` (no bar) in pipes, CI and short runs.

    The callback takes ``(done, total, what)``. The bar appears only when
    stderr is a terminal and ``total`` reaches ``min_total``; with ``delay``
    it appears only once the run has lasted that many seconds (quick runs
    stay quiet). ``in_bytes`` shows sizes instead of counts.
    """
    if total < min_total or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn, DownloadColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn,
    )

    count = DownloadColumn() if in_bytes else MofNCompleteColumn()
    bar = Progress(TextColumn("{task.description}"), BarColumn(), count, TimeElapsedColumn(), TimeRemainingColumn(),
                   console=Console(stderr=True), transient=True)
    task = bar.add_task(label, total=total)
    started = time.monotonic()
    shown = False

    def advance(done: int, _total: int, what: str = "") -> None:
        nonlocal shown
        if not shown:
            if time.monotonic() - started < delay:
                return
            bar.start()
            shown = True
        bar.update(task, completed=done, description=f"{label} {what}".rstrip())

    try:
        yield advance
    finally:
        if shown:
            bar.stop()


@contextmanager
def stage_progress(label: str) -> Iterator[Callable[[str, int, int | None], None] | None]:
    """One rich bar per stage of a long job (dedupe's features, blocks, pairs, scores, groups) on
    stderr when it is a terminal, else ``None``. The callback takes ``(stage, done, total or None)``."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   console=Console(stderr=True))
    tasks: dict[str, Any] = {}

    def advance(stage: str, done: int, total: int | None) -> None:
        if stage not in tasks:
            tasks[stage] = bar.add_task(f"{label}: {stage}", total=total)
        bar.update(tasks[stage], completed=done, total=total)

    bar.start()
    try:
        yield advance
    finally:
        bar.stop()


def engine_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--engine``: which dedupe engine (by default chosen by the number of records)."""
    from ..dedupe_engines import ENGINES

    return click.option(
        "--engine", type=click.Choice(["auto", *ENGINES]), default="auto", show_default=True,
        help="Dedupe engine: the in-memory matcher, or the columnar path (DuckDB or Polars, for 10^5-10^6 records;"
             " pip install 'bibtools[scale]'). All give the same groups; auto picks by size.",
    )(command)


def chosen_engine(n_records: int, engine: str) -> str:
    """The engine to run, or a usage failure saying what to install."""
    from ..dedupe_engines import EngineUnavailable, choose

    try:
        return choose(n_records, engine)
    except EngineUnavailable as exc:
        raise UsageFailure(str(exc)) from None
