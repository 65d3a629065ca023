"""``bibtools add``: fetch papers by DOI or arXiv id into a bibliography."""
from __future__ import annotations

import sys

import click

from .. import registry
from ..api import dump
from ..model import Library
from .common import EXIT_OK, EXIT_PROBLEMS, UsageFailure, report, write_output
from .enrich import TIMEOUT_HELP, make_client
from .updating import update_errors


@click.command("add")
@click.argument("identifiers", nargs=-1, required=True, metavar="ID...")
@click.option("--to", "target", type=click.Path(dir_okay=False), help="Bibliography to add to (created when missing); else print the records.")
@click.option("--format", "fmt", metavar="FMT", help="Format to write (default: the --to file's, else bibtex).")
@click.option("--offline", is_flag=True, help="Answer from the cache only.")
@click.option("--mailto", metavar="ADDR", help="Contact address for the services (else BIBTOOLS_MAILTO).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=None, help=TIMEOUT_HELP)
def command(identifiers, target, fmt, offline, mailto, timeout) -> None:
    """Add papers by DOI, arXiv id, or their URLs (doi.org, arxiv.org/abs)."""
    try:
        if fmt:
            out_format = registry.get(fmt)
        elif target:
            out_format = registry.detect(None, target)
        else:
            out_format = registry.get("bibtex") if "bibtex" in {f.name for f in registry.formats()} else registry.get("csljson")
    except registry.UnknownFormat as exc:
        raise UsageFailure(str(exc)) from None
    with make_client(offline, mailto, timeout) as client:
        if target:
            from ..add import add_to_file

            with update_errors(target):
                result, update = add_to_file(target, identifiers, client=client, format=out_format.name)
            problems = report(update.diagnostics)
        else:
            from ..add import add_identifiers

            result, problems = add_identifiers(identifiers, Library(), client=client), 0
    for item in result.added:
        click.echo(f"added {item.id}: {item.title or '(no title)'}", err=True)
    for item, key in result.already:
        click.echo(f"already there as {key}: {item.title or item.id}", err=True)
    problems += report(result.diagnostics)
    if not target:
        write_output(dump(Library(result.added), out_format.name), None)
    sys.exit(EXIT_PROBLEMS if problems else EXIT_OK)
