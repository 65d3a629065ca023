"""``bibtools enrich``: fill missing titles, years, venues, DOIs from web services."""
from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from .. import registry
from ..api import dump
from ..mappings.bibtex import FIELD_TO_CSL
from ..model import Library
from ..net import ALL_SOURCES
from ..variables import is_variable
from .common import EXIT_OK, EXIT_PROBLEMS, UsageFailure, progress_bar, read_inputs, report, write_output
from .updating import run_update

if TYPE_CHECKING:  # the network stack loads only when the command runs
    from ..enrich import EnrichReport
    from ..net.http import HttpClient


def split_list(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def overwrite_fields(value: str | None) -> list[str]:
    """--overwrite takes CSL variables (and ``type``) or BibTeX/BibLaTeX field names."""
    return [name if is_variable(name) or name == "type" else FIELD_TO_CSL.get(name.lower(), name) for name in split_list(value)]


def make_client(offline: bool, mailto: str | None, timeout: float | None) -> HttpClient:
    """``timeout`` is the whole run's deadline; each request has its own fixed ones besides."""
    from ..net.cache import Cache
    from ..net.http import HttpClient

    return HttpClient(mailto=mailto, cache=Cache(), offline=offline, run_deadline=timeout)


TIMEOUT_HELP = ("Seconds for the whole run: records not looked up by then are left as they are and counted "
                "(each request also ends by itself: 5 s to connect, 8 s of silence, 60 s in all).")


def print_report(result: "EnrichReport", *, verbose: bool) -> None:
    for outcome in result.outcomes:
        for change in outcome.changes:
            click.echo(str(change), err=True)
        if verbose and not outcome.changes:
            detail = "; ".join(outcome.notes)
            click.echo(f"{outcome.key}: {outcome.status}" + (f" ({detail})" if detail else ""), err=True)
    click.echo(f"enrich: {result.summary} ({result.requests} requests, {result.cache_hits} from cache)", err=True)


@click.command("enrich")
@click.argument("input_path", metavar="INPUT", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("-o", "--output", type=click.Path(allow_dash=True), help="Write the completed bibliography here ('-': stdout, the default).")
@click.option("--in-place", is_flag=True, help="Rewrite INPUT (atomically).")
@click.option("--from", "from_fmt", metavar="FMT", help="Input format (detected when omitted).")
@click.option("--to", "to_fmt", metavar="FMT", help="Output format (default: the input's, or the -o suffix's).")
@click.option("--sources", default=",".join(ALL_SOURCES), show_default=True, help="Services to ask, in order.")
@click.option("--dry-run", is_flag=True, help="List the changes; write nothing.")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.9, show_default=True, help="How sure a match must be to fill fields.")
@click.option("--overwrite", metavar="FIELDS", help="Comma-separated fields a match may replace, CSL or BibTeX names (default: fill empty fields only).")
@click.option("--offline", is_flag=True, help="Answer from the cache only; report what is not cached.")
@click.option("--mailto", metavar="ADDR", help="Contact address for the services' polite pools (else BIBTOOLS_MAILTO).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=None, help=TIMEOUT_HELP)
@click.option("-v", "--verbose", is_flag=True, help="Also say what happened to records that did not change.")
def command(input_path, output, in_place, from_fmt, to_fmt, sources, dry_run, min_confidence, overwrite, offline, mailto, timeout, verbose) -> None:
    """Complete INPUT's records from Crossref, arXiv, OpenAlex and Semantic Scholar."""
    if in_place and output:
        raise UsageFailure("give -o OUT or --in-place, not both")
    if in_place and input_path == "-":
        raise UsageFailure("--in-place needs a file, not stdin")
    chosen = split_list(sources)
    unknown = [s for s in chosen if s not in ALL_SOURCES]
    if unknown or not chosen:
        raise UsageFailure(f"unknown source(s) {', '.join(unknown) or '(none given)'}; known: {', '.join(ALL_SOURCES)}")
    if in_place and to_fmt:
        raise UsageFailure("--in-place rewrites INPUT in its own format; to convert, write with -o OUT --to FMT")
    try:
        target_path = input_path if in_place else output
        if to_fmt:
            target = registry.get(to_fmt)
        elif target_path not in (None, "-") and (target_path != input_path or not from_fmt):
            target = registry.detect(None, target_path)
        else:
            target = registry.get(from_fmt) if from_fmt else registry.detect(None, input_path if input_path != "-" else None)
    except registry.UnknownFormat as exc:
        raise UsageFailure(f"{exc}; name the output format with --to") from None
    if target.write is None:
        raise UsageFailure(f"format {target.name!r} cannot be written; name another with --to")
    from ..enrich import enrich

    reports: list[EnrichReport] = []
    problems: list[int] = []

    def enrich_in_place(library: Library) -> None:
        problems.append(report(library.diagnostics))
        with make_client(offline, mailto, timeout) as client, progress_bar(len(library), "enrich") as advance:
            reports.append(enrich(
                library, client=client, sources=chosen, min_confidence=min_confidence, overwrite=overwrite_fields(overwrite),
                dry_run=dry_run, progress=advance,
            ))

    if input_path == "-":
        library = read_inputs([input_path], from_fmt, None)
        enrich_in_place(library)
        text = dump(library, target.name)
    else:  # the file's own update path: a .bib is edited with a minimal diff
        update = run_update(input_path, enrich_in_place, dry_run=dry_run or not in_place, backup=False, format=from_fmt)
        text = update.new_text if update.format == target.name else dump(update.library, target.name)
        problems.append(report(update.diagnostics[len(update.library.diagnostics):]))  # the write's own
    result = reports[-1]
    print_report(result, verbose=verbose)
    problems.append(report(result.diagnostics))
    if not dry_run and not in_place:
        write_output(text, output)
    sys.exit(EXIT_PROBLEMS if sum(problems) else EXIT_OK)
