"""``bibtools keys``: give citation keys from a pattern; write the library back."""
from __future__ import annotations

import sys

import click

from .. import registry
from ..keys import DEFAULT_PATTERN, KeyPatternError, assign_keys, parse_pattern
from ..model import Library
from ..passes import DEFAULT_PASSES
from ..api import input_verdict
from .common import EXIT_OK, EXIT_PROBLEMS, KEY_PASS, UsageFailure, read_inputs, report, write_output
from .updating import run_update, same_file

NO_KEY_PASS = [p for p in DEFAULT_PASSES if p != KEY_PASS]

@click.command("keys")
@click.argument("input_path", metavar="INPUT", type=click.Path(allow_dash=True))
@click.option("--pattern", "-p", default=DEFAULT_PATTERN, show_default=True, help="Key pattern, e.g. '[auth][year]' or '[authors2][shorttitle:2]'.")
@click.option("--rekey", is_flag=True, help="Replace existing keys too (default: only items without a key get one).")
@click.option("--from", "from_fmt", metavar="FMT", help="Input format (detected when omitted).")
@click.option("--to", "to_fmt", metavar="FMT", help="Output format (default: the input's).")
@click.option("-o", "--output", type=click.Path(allow_dash=True), help="Output file ('-' or omitted: stdout).")
@click.option("--encoding", help="Force the input encoding (detected when omitted).")
@click.option("-v", "--verbose", is_flag=True, help="List every renamed key on stderr.")
def command(input_path, pattern, rekey, from_fmt, to_fmt, output, encoding, verbose) -> None:
    """Give INPUT's entries citation keys from a pattern, and write it out."""
    try:
        parse_pattern(pattern)
    except KeyPatternError as exc:
        raise UsageFailure(str(exc)) from None
    # Keyless items get --pattern's keys, not the default pattern's: no key pass on load.
    renamed: dict[str, str] = {}
    before: list[str] = []

    def give_keys(library: Library) -> None:
        before.extend(item.id for item in library)
        renamed.update(assign_keys(library, pattern, rekey=rekey))

    in_place = input_path != "-" and not to_fmt and same_file(input_path, output)
    if input_path == "-":
        library = read_inputs([input_path], from_fmt, encoding, generate_keys=False)
        give_keys(library)
        input_fmt, text, extra = from_fmt or next((item.origin.format for item in library if item.origin), ""), None, []
    else:  # a file: only the keys change (a .bib keeps everything else byte for byte)
        update = run_update(input_path, give_keys, dry_run=not in_place, backup=False, format=from_fmt, encoding=encoding, passes=NO_KEY_PASS)
        library, input_fmt, text, extra = update.library, update.format, update.new_text, update.diagnostics[len(update.library.diagnostics):]
        extra = [*extra, *input_verdict(update.old_text, len(library), library.diagnostics, input_path)]
    try:
        target = registry.get(to_fmt or input_fmt) if (to_fmt or input_fmt) else None
    except registry.UnknownFormat as exc:
        raise UsageFailure(str(exc)) from None
    if target is None or target.write is None:
        raise UsageFailure("name a writable output format with --to")
    if text is None or target.name != input_fmt:
        text = target.write(library, losses=[])
    if not in_place:
        write_output(text, output)
    problems = report([*library.diagnostics, *extra], verbose=verbose)
    if verbose:
        for old, new in zip(before, library.keys()):
            if old != new:
                click.echo(f"{old or '(no key)'} -> {new}", err=True)
    elif renamed or any(not k for k in before):
        named = sum(1 for k in before if not k)
        click.echo(f"{named} key(s) generated, {len(renamed)} renamed", err=True)
    sys.exit(EXIT_PROBLEMS if problems else EXIT_OK)
