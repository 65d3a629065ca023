"""``bibtools dedupe``: groups of records that are the same work."""
from __future__ import annotations

import json
import sys

import click

from ..dedupe import Match, MatchConfig, explain
from ..dedupe_engines import find_duplicates_streaming
from .common import EXIT_OK, EXIT_PROBLEMS, chosen_engine, engine_option, read_inputs, report, stage_progress


@click.command("dedupe")
@click.argument("inputs", nargs=-1, type=click.Path(allow_dash=True))
@click.option("--explain", "show_evidence", is_flag=True, help="Show the evidence for every matched pair.")
@click.option("--json", "as_json", is_flag=True,
              help='Print {"groups": [[key, ...]], "pairs": [{"a", "b", "score", "evidence"}], "shared_dois": [{"doi", "keys"}],'
                   ' "ambiguous": [{"key", "fits"}]}.')
@click.option("--join-abstracts", is_flag=True,
              help="Let a meeting abstract match the article of the same title although their DOIs differ.")
@click.option("--from", "from_fmt", metavar="FMT", help="Input format (detected from suffix and content when omitted).")
@click.option("--encoding", help="Force the input encoding (detected when omitted).")
@engine_option
@click.option("-v", "--verbose", is_flag=True, help="Also print input problems and notes.")
def command(inputs, show_evidence, as_json, join_abstracts, from_fmt, encoding, engine, verbose) -> None:
    """Find duplicate records in INPUT... (read together). Exit 1 when there are any."""
    library = read_inputs(inputs, from_fmt, encoding)
    # an input with nothing in it is said even without -v: the user must act
    unusable = [d for d in library.diagnostics if d.code.startswith("input.")]
    report(library.diagnostics if verbose else unusable, verbose=verbose)
    items = library.items
    engine = chosen_engine(len(items), engine)
    with stage_progress(f"dedupe ({engine})") as progress:
        result = find_duplicates_streaming(items, MatchConfig(join_abstracts=join_abstracts), engine, progress=progress)
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=1))
    else:
        pairs_by_group: dict[int, list] = {}
        member = {i: n for n, group in enumerate(result.groups) for i in group}
        for pair in result.pairs:
            pairs_by_group.setdefault(member[pair.index_a], []).append(pair)
        for n, group in enumerate(result.groups, 1):
            click.echo(f"group {n}:")
            for i in group:
                item = items[i]
                where = ""
                if item.origin is not None and item.origin.source:
                    where = f"  ({item.origin.source}{':' + str(item.origin.line) if item.origin.line else ''})"
                click.echo(f"  {item.id}: {item.title or '(no title)'}{' ' + str(item.year) if item.year else ''}{where}")
            if show_evidence:
                for pair in pairs_by_group.get(n - 1, []):
                    click.echo(f"  {pair.a} ~ {pair.b}: " + explain(Match(pair.score, True, pair.evidence)).replace("\n", "\n    "))
        for doi, members in result.shared_dois.items():
            keys = ", ".join(items[i].id for i in members[:5]) + (", ..." if len(members) > 5 else "")
            click.echo(f"note: DOI {doi} is shared by {len(members)} records with clearly different titles ({keys}): "
                       "not taken as an identity (a supplement's or a volume's DOI?)", err=True)
        for i, fits in result.ambiguous.items():
            click.echo(f"note: {items[i].id} fits {', '.join(items[k].id for k in fits)}, which are not one work,"
                       " equally well: joined to none of them", err=True)
        click.echo(f"{len(result.groups)} groups of duplicates among {len(items)} records", err=True)
    sys.exit(EXIT_PROBLEMS if result.groups or unusable else EXIT_OK)
