"""``bibtools cite``: the in-text citation of KEY... (one cluster), or of every reference."""
from __future__ import annotations

import json
import sys

import click

from ..csl.api import Citer, StyleError, UnknownKey, parse_locator
from ..csl.outputs import OUTPUT_NAMES
from .common import EXIT_OK, EXIT_PROBLEMS, UsageFailure, read_inputs, report, write_output


@click.command("cite")
@click.argument("input_path", metavar="INPUT", type=click.Path(allow_dash=True))
@click.argument("keys", nargs=-1)
@click.option("-s", "--style", required=True, help="Style name, alias or .csl path.")
@click.option("--locator", help='Where in the work: "p. 12", "ch. 3", "sec. 2.1" (a bare number is a page).')
@click.option("--prefix", help='Text before the first cite ("see ").')
@click.option("--suffix", help="Text after the last cite.")
@click.option("--all", "cite_all", is_flag=True, help="Cite every reference alone, in input order (one line each).")
@click.option("--output", "output_format", type=click.Choice(OUTPUT_NAMES, case_sensitive=False), default="text", show_default=True)
@click.option("--locale", help="Locale such as de-DE or de (default: the style's).")
@click.option("--abbreviations", "abbreviations", type=click.Path(dir_okay=False), metavar="FILE", help='Abbreviation list (JSON, as Zotero/citeproc-js) for form="short".')
@click.option("--json", "as_json", is_flag=True, help='JSON: {"ids", "text"} for a cluster; with --all an array of {"id", "text"}.')
@click.option("-o", "--out", "out_path", type=click.Path(allow_dash=True), help="Output file ('-' or omitted: stdout).")
@click.option("--from", "from_fmt", metavar="FMT", help="Input format (detected when omitted).")
@click.option("--encoding", help="Force the input encoding (detected when omitted).")
@click.option("-v", "--verbose", is_flag=True, help="Also print informational notes.")
def command(input_path, keys, style, locator, prefix, suffix, cite_all, output_format, locale, abbreviations, as_json, out_path, from_fmt, encoding, verbose) -> None:
    """Cite KEY... from INPUT in STYLE, as one citation cluster."""
    if cite_all and keys:
        raise UsageFailure("give KEYs or --all, not both")
    if not cite_all and not keys:
        raise UsageFailure("name at least one KEY to cite (or --all)")
    library = read_inputs([input_path], from_fmt, encoding)
    try:
        citer = Citer(library, style, locale=locale, output=output_format, abbreviations=abbreviations)
    except (StyleError, ValueError) as exc:
        raise UsageFailure(str(exc)) from None
    try:
        if cite_all:
            results = [{"id": key, "text": citer.cite([key])} for key in library.keys()]
            if as_json:
                text = json.dumps(results, ensure_ascii=False, indent=2) + "\n"
            else:
                text = "".join(r["text"] + "\n" for r in results)
        else:
            cluster: list[dict[str, str]] = [{"id": key} for key in keys]
            if locator:
                cluster[0]["label"], cluster[0]["locator"] = parse_locator(locator)
            if prefix:
                cluster[0]["prefix"] = prefix
            if suffix:
                cluster[-1]["suffix"] = suffix
            cited = citer.cite(cluster)
            text = json.dumps({"ids": list(keys), "text": cited}, ensure_ascii=False, indent=2) + "\n" if as_json else cited + "\n"
    except UnknownKey as exc:
        raise UsageFailure(f"{exc} in {input_path}") from None
    write_output(text, out_path)
    problems = report(library.diagnostics, verbose=verbose) + report(citer.problems, verbose=verbose)
    sys.exit(EXIT_PROBLEMS if problems else EXIT_OK)
