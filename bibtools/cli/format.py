"""``bibtools format``: the reference list of INPUT... in a CSL (or BibTeX) style."""
from __future__ import annotations

import json
import sys

import click

from ..csl.api import ENGINES, StyleError, format_bibliography
from ..csl.cv import GROUP_BY, SORTS
from ..csl.outputs import OUTPUT_NAMES
from . import clipboard
from .common import EXIT_OK, EXIT_PROBLEMS, UsageFailure, read_inputs, report, write_output


@click.command("format")
@click.argument("inputs", nargs=-1, type=click.Path(allow_dash=True))
@click.option("-s", "--style", required=True, help="Style name (apa, ieee, vancouver, ...), alias or .csl path; with --engine pybtex: plain, unsrt, alpha, abbrv.")
@click.option("--output", "output_format", type=click.Choice(OUTPUT_NAMES, case_sensitive=False), default="text", show_default=True, help="Markup of the entries.")
@click.option("--locale", help="Locale such as de-DE or de (default: the style's).")
@click.option("--json", "as_json", is_flag=True, help='A JSON array in bibliography order: {"id", "<output>": entry}.')
@click.option("-o", "--out", "out_path", type=click.Path(allow_dash=True), help="Output file ('-' or omitted: stdout).")
@click.option("--copy", "to_clipboard", is_flag=True, help="Also put the result on the clipboard (HTML and plain text where the platform allows).")
@click.option("--highlight", metavar="NAME", help='Bold this author wherever the style prints the name ("Shalev-Shwartz", "Shai Shalev-Shwartz").')
@click.option("--group-by", type=click.Choice(GROUP_BY), help="Headings by year (newest first) or by type of work.")
@click.option("--sort", type=click.Choice(SORTS), help="Order by date instead of the style's order.")
@click.option("--numbered/--no-numbered", default=None, help="Number the entries, or drop the style's numbers (default: as the style says).")
@click.option("--abbreviations", "abbreviations", type=click.Path(dir_okay=False), metavar="FILE", help='Abbreviation list (JSON, as Zotero/citeproc-js: {"default": {"container-title": {"Long": "Short"}}}) for form="short".')
@click.option("--engine", type=click.Choice(ENGINES), default="csl", show_default=True, help="csl (citeproc-py + bibtools) or pybtex (BibTeX's own styles).")
@click.option("--from", "from_fmt", metavar="FMT", help="Input format (detected when omitted).")
@click.option("--encoding", help="Force the input encoding (detected when omitted).")
@click.option("-v", "--verbose", is_flag=True, help="Also print informational notes.")
def command(inputs, style, output_format, locale, as_json, out_path, to_clipboard, highlight, group_by, sort, numbered, abbreviations, engine, from_fmt, encoding, verbose) -> None:
    """Format the references of INPUT... ('-' is stdin) in STYLE, one entry per line (text)."""
    library = read_inputs(inputs, from_fmt, encoding)
    options = dict(locale=locale, highlight=highlight, group_by=group_by, sort=sort, numbered=numbered, engine=engine, abbreviations=abbreviations)
    try:
        bibliography = format_bibliography(library, style, output=output_format, **options)
    except (StyleError, ValueError) as exc:
        raise UsageFailure(str(exc)) from None
    if as_json:
        text = json.dumps(bibliography.to_json(), ensure_ascii=False, indent=2) + "\n"
    else:
        text = bibliography.render()
    write_output(text, out_path)
    problems = report(library.diagnostics, verbose=verbose) + report(bibliography.problems, verbose=verbose)
    if to_clipboard:
        html = None
        if output_format == "html" and not as_json:
            html = text
        elif clipboard.holds_html_and_text() and not as_json:
            html = format_bibliography(library, style, output="html", **options).render()
        try:
            click.echo(clipboard.copy(text, html), err=True)
        except clipboard.ClipboardUnavailable as exc:
            click.echo(f"warning: {exc}", err=True)
    sys.exit(EXIT_PROBLEMS if problems else EXIT_OK)
