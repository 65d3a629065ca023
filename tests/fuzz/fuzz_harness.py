"""What every fuzz case checks: no uncaught exception, no hang, located problems.

``BIBTOOLS_FUZZ_EXAMPLES`` raises the number of examples per property for
long local runs (CI keeps the default so the whole suite stays well under
90 seconds on two cores).
"""
from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import TypeVar

from hypothesis import HealthCheck, settings

from bibtools import registry
from bibtools.api import load_bytes
from bibtools.diagnostics import Severity
from bibtools.lint import lint_bytes
from bibtools.model import Library, value_kind_ok

EXAMPLES = int(os.environ.get("BIBTOOLS_FUZZ_EXAMPLES", "40"))
CASE_SECONDS = float(os.environ.get("BIBTOOLS_FUZZ_CASE_SECONDS", "10"))

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=timedelta(seconds=CASE_SECONDS),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    derandomize=os.environ.get("BIBTOOLS_FUZZ_RANDOM") is None,  # CI: the same cases every run
    database=None,
)

T = TypeVar("T")


class Hang(BaseException):
    """Not an ``Exception``: code under test that catches ``Exception`` must not swallow it."""


@contextmanager
def time_limit(seconds: float = CASE_SECONDS) -> Iterator[None]:
    """Fail the case (instead of hanging CI) when it burns more than ``seconds`` of CPU.

    CPU time, not wall time: a loaded CI machine must not fail a case that is
    merely waiting for a core, while a runaway loop still trips the alarm.
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "ITIMER_PROF"):
        yield
        return

    def expire(signum, frame):  # noqa: ARG001
        raise Hang(f"case used more than {seconds} s of CPU")

    previous = signal.signal(signal.SIGPROF, expire)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def bounded(func: Callable[[], T], seconds: float = CASE_SECONDS) -> T:
    with time_limit(seconds):
        return func()


def readable_formats(*names: str) -> list[str]:
    """The named formats this build can read (readers land one by one)."""
    have = {f.name for f in registry.formats() if f.read is not None}
    return [n for n in names if n in have]


def line_count(text: str) -> int:
    """Lines as the most generous reader counts them (lone CR and U+2028 end lines for splitlines)."""
    return max(text.count("\n"), len(text.splitlines())) + 1


def check_library(library: Library, text: str, source: str) -> None:
    """Model invariants and located diagnostics after reading hostile input."""
    assert isinstance(library, Library)
    lines = line_count(text)
    for diag in library.diagnostics:
        assert diag.code and diag.message, diag
        if diag.severity is not Severity.INFO:
            assert diag.source == source, f"diagnostic without its file: {diag}"
        assert diag.line is None or 1 <= diag.line <= lines + 1, f"line out of range ({lines} lines): {diag}"
    for item in library.items:
        assert isinstance(item.id, str)
        for variable, value in item.fields.items():
            assert value_kind_ok(variable, value), f"{item.id}: {variable} has the wrong shape: {value!r}"


def read_and_lint(data: bytes, source: str, fmt: str | None = None) -> tuple[Library | None, list]:
    """Read with the format's reader (when there is one) and lint; both must return, never raise."""
    text = data.decode("utf-8", errors="replace")
    library = None
    try:
        library = bounded(lambda: load_bytes(data, fmt, source=source))
    except registry.UnknownFormat:
        library = None  # detection may fairly give up on noise; that is a clean, typed refusal
    if library is not None:
        check_library(library, library_text(data), source)
    findings = bounded(lambda: lint_bytes(data, source, fmt=fmt))
    lines = line_count(library_text(data))
    for f in findings:
        assert f.file == source, f
        assert f.line is None or 1 <= f.line <= lines + 1, f"finding line out of range ({lines}): {f}"
    del text
    return library, findings


def library_text(data: bytes) -> str:
    from bibtools.textio import decode

    return decode(data).text
