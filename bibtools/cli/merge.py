"""``bibtools merge``: merge records into a bibliography, touching only what changes."""
from __future__ import annotations

import codecs
import difflib
import json
import sys
from pathlib import Path

import click

from .. import registry
from ..api import dump, load_string
from ..formats.bibtex.editor import apply_merge
from ..merge import merge
from ..textio import atomic_write, read_text
from .common import EXIT_OK, EXIT_PROBLEMS, UsageFailure, read_inputs, report

_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@click.command("merge")
@click.argument("base", type=click.Path(exists=True, dir_okay=False))
@click.argument("inputs", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("-o", "--output", type=click.Path(allow_dash=True), help="Write the merged bibliography here ('-': stdout, the default).")
@click.option("--in-place", is_flag=True, help="Rewrite BASE atomically, keeping the old file as BASE.bak.")
@click.option("--dry-run", is_flag=True, help="Print a unified diff and a summary; write nothing.")
@click.option("--prefer", type=click.Choice(["base", "incoming"]), default="base", show_default=True,
              help="Whose value stays when two records disagree (the other goes to the report).")
@click.option("--json-report", type=click.Path(dir_okay=False), help="Write every decision (matches, filled fields, conflicts, new keys) as JSON.")
@click.option("--from", "from_fmt", metavar="FMT", help="Format of the INPUTs (detected when omitted).")
@click.option("-v", "--verbose", is_flag=True, help="Also print informational notes.")
def command(base, inputs, output, in_place, dry_run, prefer, json_report, from_fmt, verbose) -> None:
    """Merge INPUT... into BASE: duplicates merged field by field, new records appended.

    A .bib BASE keeps every untouched entry, comment, @string and @preamble
    byte for byte; merged entries are rewritten in the file's own style."""
    if in_place and output:
        raise UsageFailure("give either -o/--output or --in-place, not both")
    raw = Path(base).read_bytes()
    decoded = read_text(base)
    try:
        fmt = registry.detect(decoded.text, base)
    except registry.UnknownFormat as exc:
        raise UsageFailure(str(exc)) from None
    if fmt.write is None:
        raise UsageFailure(f"format {fmt.name!r} cannot be written, so {base} cannot be merged into")
    base_lib = load_string(decoded.text, fmt.name, source=base)
    incoming = read_inputs(inputs, from_fmt, None)
    result = merge(base_lib, incoming, prefer=prefer)
    if fmt.name in ("bibtex", "biblatex"):
        try:
            text = apply_merge(decoded.text, base_lib, result, format=fmt.name)
        except ValueError as exc:  # an entry to update is malformed in the file
            raise UsageFailure(f"{base}: {exc}") from None
    else:
        text = dump(result.library, fmt.name)
    problems = report([*base_lib.diagnostics, *incoming.diagnostics], verbose=verbose)
    summary = result.report.summary()
    if json_report:
        atomic_write(json_report, json.dumps(result.report.to_json(), ensure_ascii=False, indent=1) + "\n")
    if dry_run:
        diff = difflib.unified_diff(
            decoded.text.splitlines(keepends=True), text.splitlines(keepends=True), fromfile=base, tofile=base + " (merged)"
        )
        for line in diff:
            click.echo(line if line.endswith("\n") else line + "\n", nl=False)
        click.echo(summary)
        sys.exit(EXIT_PROBLEMS if problems else EXIT_OK)
    if in_place:
        if text != decoded.text:
            bom = "\ufeff" if raw.startswith(_BOMS) else ""
            atomic_write(base, bom + text, encoding=decoded.encoding, backup=True)
    elif output in (None, "-"):
        click.echo(text, nl=False)
    else:
        atomic_write(output, text)
    click.echo(summary, err=True)
    sys.exit(EXIT_PROBLEMS if problems else EXIT_OK)
