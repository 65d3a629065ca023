"""``bibtools convert``: any readable format to any writable one."""
from __future__ import annotations

import sys

import click

from .. import registry
from ..api import dump
from .common import EXIT_OK, EXIT_PROBLEMS, UsageFailure, read_inputs, report, write_output


@click.command("convert")
@click.argument("inputs", nargs=-1, type=click.Path(allow_dash=True))
@click.option("--from", "from_fmt", metavar="FMT", help="Input format (detected from suffix and content when omitted).")
@click.option("--to", "to_fmt", metavar="FMT", help="Output format: bibtex, biblatex, csljson, ...")
@click.option("-o", "--output", type=click.Path(allow_dash=True), help="Output file ('-' or omitted: stdout).")
@click.option("--encoding", help="Force the input encoding (detected when omitted).")
@click.option("--ascii", "ascii_only", is_flag=True, help="BibTeX/BibLaTeX: LaTeX-escape non-ASCII characters.")
@click.option("--report", "want_report", is_flag=True, help="List, per entry, what the target format could not hold.")
@click.option("-v", "--verbose", is_flag=True, help="Also print informational notes (detected encodings...).")
def command(inputs, from_fmt, to_fmt, output, encoding, ascii_only, want_report, verbose) -> None:
    """Convert INPUT... (concatenated; '-' is stdin) to another format."""
    try:
        target = registry.get(to_fmt) if to_fmt else (registry.detect(None, output) if output and output != "-" else None)
    except registry.UnknownFormat as exc:
        raise UsageFailure(str(exc)) from None
    if target is None:
        raise UsageFailure("name the output format with --to (or give -o FILE with a known suffix)")
    if target.write is None:
        raise UsageFailure(f"format {target.name!r} cannot be written")
    if from_fmt:
        try:
            registry.get(from_fmt)
        except registry.UnknownFormat as exc:
            raise UsageFailure(str(exc)) from None
    library = read_inputs(inputs, from_fmt, encoding)
    options: dict[str, object] = {}
    losses: list = []
    if target.name in ("bibtex", "biblatex"):
        options["ascii"] = ascii_only
    options["losses"] = losses
    text = dump(library, target.name, **options)
    write_output(text, output)
    problems = report(library.diagnostics, verbose=verbose)
    if want_report:
        for loss in losses:
            click.echo(str(loss), err=True)
    sys.exit(EXIT_PROBLEMS if problems else EXIT_OK)
