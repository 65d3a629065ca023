"""``bibtools merge``: merge records into a bibliography, touching only what changes."""
from __future__ import annotations

import json
import sys

import click

from ..dedupe import MatchConfig
from ..merge import MergeResult, merge
from ..model import Library
from ..textio import atomic_write
from .common import (
    EXIT_OK, EXIT_PROBLEMS, UsageFailure, chosen_engine, engine_option, read_inputs, report, stage_progress, write_output,
)
from .updating import print_diff, run_update


@click.command("merge")
@click.argument("base", type=click.Path(exists=True, dir_okay=False))
@click.argument("inputs", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("-o", "--output", type=click.Path(allow_dash=True), help="Write the merged bibliography here ('-': stdout, the default).")
@click.option("--in-place", is_flag=True, help="Rewrite BASE atomically, keeping the old file as BASE.bak.")
@click.option("--dry-run", is_flag=True, help="Print a unified diff and a summary; write nothing.")
@click.option("--prefer", type=click.Choice(["base", "incoming"]), default="base", show_default=True,
              help="Whose value stays when two records disagree (the other goes to the report).")
@click.option("--json-report", type=click.Path(dir_okay=False), help="Write every decision (matches, filled fields, conflicts, new keys) as JSON.")
@click.option("--join-abstracts", is_flag=True,
              help="Let a meeting abstract match the article of the same title although their DOIs differ.")
@click.option("--from", "from_fmt", metavar="FMT", help="Format of the INPUTs (detected when omitted).")
@engine_option
@click.option("-v", "--verbose", is_flag=True, help="Also print informational notes.")
def command(base, inputs, output, in_place, dry_run, prefer, json_report, join_abstracts, from_fmt, engine, verbose) -> None:
    """Merge INPUT... into BASE: duplicates merged field by field, new records appended.

    A .bib BASE keeps every untouched entry, comment, @string and @preamble
    byte for byte; merged entries are rewritten in the file's own style."""
    if in_place and output:
        raise UsageFailure("give either -o/--output or --in-place, not both")
    incoming = read_inputs(inputs, from_fmt, None)
    merged: list[MergeResult] = []

    def merge_into(library: Library) -> MergeResult:
        chosen = chosen_engine(len(library.items) + len(incoming.items), engine)
        if chosen == "dask":
            raise UsageFailure("merge runs on one machine: --engine memory, duckdb or polars")
        with stage_progress(f"merge ({chosen})") as progress:
            merged.append(merge(library, incoming, prefer=prefer, config=MatchConfig(join_abstracts=join_abstracts),
                                engine=chosen, progress=progress))
        return merged[-1]

    update = run_update(base, merge_into, dry_run=dry_run or not in_place, backup=True)
    result = merged[-1]
    problems = report([*update.diagnostics, *incoming.diagnostics], verbose=verbose)
    summary = result.report.summary()
    if json_report:
        atomic_write(json_report, json.dumps(result.report.to_json(), ensure_ascii=False, indent=1) + "\n")
    if dry_run:
        print_diff(update)
        click.echo(summary)
    elif not in_place:
        write_output(update.new_text, output)
    if not dry_run:
        click.echo(summary, err=True)
    sys.exit(EXIT_PROBLEMS if problems else EXIT_OK)
