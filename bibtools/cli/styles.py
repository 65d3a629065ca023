"""``bibtools styles``: list and search the CSL styles bibtools can use."""
from __future__ import annotations

import json
import sys

import click

from ..csl.styles import list_styles, suggest
from .common import EXIT_OK, EXIT_PROBLEMS


@click.command("styles")
@click.argument("query", nargs=-1)
@click.option("--independent", is_flag=True, help="Only independent styles (no journal aliases).")
@click.option("--json", "as_json", is_flag=True, help="JSON array of {name, title, kind, parent, citation_format, fields}.")
@click.option("--limit", type=int, default=0, help="Show at most this many (0: all).")
def command(query, independent, as_json, limit) -> None:
    """List styles whose name, title, field or citation format match every word of QUERY."""
    text = " ".join(query)
    found = list_styles(text, include_dependent=not independent)
    if limit > 0:
        found = found[:limit]
    if not found:
        hints = suggest(text) if text else []
        more = f"; did you mean {', '.join(hints)}?" if hints else ""
        click.echo(f"no style matches {text!r}{more}", err=True)
        sys.exit(EXIT_PROBLEMS)
    if as_json:
        rows = [
            {"name": s.name, "title": s.title, "kind": s.kind, "parent": s.parent, "citation_format": s.citation_format, "fields": list(s.fields)}
            for s in found
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        width = min(max(len(s.name) for s in found), 48)
        for s in found:
            fmt = s.citation_format or "?"
            parent = f"  (uses {s.parent})" if s.parent else ""
            click.echo(f"{s.name:<{width}}  {fmt:<11}  {s.title}{parent}")
    sys.exit(EXIT_OK)
