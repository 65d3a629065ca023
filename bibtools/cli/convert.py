"""``bibtools convert``: any readable format to any writable one."""
from __future__ import annotations

import os
import sys

import click

from .. import registry
from ..api import dump
from .common import EXIT_OK, EXIT_PROBLEMS, UsageFailure, progress_bar, read_inputs, report, write_output


@click.command("convert")
@click.argument("inputs", nargs=-1, type=click.Path(allow_dash=True))
@click.option("--from", "from_fmt", metavar="FMT", help="Input format (detected from suffix and content when omitted).")
@click.option("--to", "to_fmt", metavar="FMT", help="Output format: bibtex, biblatex, csljson, ...")
@click.option("-o", "--output", type=click.Path(allow_dash=True), help="Output file ('-' or omitted: stdout).")
@click.option("--encoding", help="Force the input encoding (detected when omitted).")
@click.option("--ascii", "ascii_only", is_flag=True, help="BibTeX/BibLaTeX: LaTeX-escape non-ASCII characters.")
@click.option("--utf8", "keep_utf8", is_flag=True, help="BibTeX: keep all Unicode (default: what pdflatex cannot typeset becomes LaTeX).")
@click.option("--normalize", is_flag=True,
              help="BibTeX/BibLaTeX from a .bib: write every entry from the model (names 'Last, First', TeX accents as "
                   "Unicode or LaTeX, macros expanded) instead of as it was written.")
@click.option("--expand-strings", is_flag=True, help="BibTeX/BibLaTeX: write @string macro references as their values.")
@click.option("--inline-crossref", is_flag=True,
              help="BibTeX/BibLaTeX: write the fields a crossref/xdata child inherits into the child.")
@click.option("--report", "want_report", is_flag=True, help="List, per entry, what the target format could not hold.")
@click.option("--explain", is_flag=True,
              help="Formatted reference lists: name the style the list was printed in, print each record again in it "
                   "and show where that differs from the pasted text (stderr); the variables it differs in count as less sure.")
@click.option("--no-stream", is_flag=True, help="Read the whole input before writing (by default one BibTeX/RIS file streams).")
@click.option("-v", "--verbose", is_flag=True, help="Also print informational notes (detected encodings...).")
def command(inputs, from_fmt, to_fmt, output, encoding, ascii_only, keep_utf8, normalize, expand_strings, inline_crossref,
            want_report, verbose, no_stream, explain) -> None:
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
    options: dict[str, object] = {}
    asked = {"ascii": ascii_only, "utf8": keep_utf8, "normalize": normalize, "expand_strings": expand_strings,
             "inline_crossref": inline_crossref}
    for name, value in asked.items():  # each format declares the options it takes
        if name in target.options:
            options[name] = value
        elif value:
            raise UsageFailure(f"--{name.replace('_', '-')} does not apply to {target.name}")
    if len(inputs) == 1 and inputs[0] != "-" and not no_stream and not explain:
        problems, losses = _convert_one_file(inputs[0], from_fmt, encoding, target, output, options, verbose)
    else:
        explained: list[int] = []
        library = read_inputs(inputs, from_fmt, encoding, each=(lambda part: explained.append(_explain(part))) if explain else None)
        if explain and not any(explained):
            raise UsageFailure("--explain reads formatted reference lists (give --from refs if one was not detected)")
        losses = []
        options["losses"] = losses
        text = dump(library, target.name, **options)
        write_output(text, output)
        problems = report(library.diagnostics, verbose=verbose)
    if want_report:
        for loss in losses:
            click.echo(str(loss), err=True)
    sys.exit(EXIT_PROBLEMS if problems else EXIT_OK)


def _explain(library) -> int:
    """Print ``--explain``'s report for one input read as a reference list; how many records it had."""
    from ..formats.references import ReferenceLibrary

    if not isinstance(library, ReferenceLibrary) or not library.items:
        return 0
    from ..formats.references.restyle import explanation, restyle

    guess, restyled = restyle(library)
    source = library.items[0].origin.source if library.items[0].origin else None
    for line in explanation(guess, restyled, library.items, source):
        click.echo(line, err=True)
    return len(library.items)


def _convert_one_file(path, from_fmt, encoding, target, output, options, verbose) -> tuple[int, list]:
    """One file: streamed when it can be (``bibtools.stream``), with a progress bar on a terminal."""
    from ..stream import convert_file

    try:
        size = os.path.getsize(path)
    except OSError as exc:
        raise UsageFailure(f"cannot read {path}: {exc}") from None
    with progress_bar(size, "convert", min_total=1, delay=2.0, in_bytes=True) as advance:
        try:
            result = convert_file(path, output, target.name, format=from_fmt, encoding=encoding,
                                  progress=(lambda done, total: advance(done, total, "")) if advance else None, **options)
        except registry.UnknownFormat as exc:
            raise UsageFailure(str(exc)) from None
        except (OSError, ValueError) as exc:
            raise UsageFailure(f"cannot read {path}: {exc}") from None
    if verbose:
        how = "streamed" if result.streamed else f"read whole ({result.reason})"
        click.echo(f"{path}: {result.items} item(s), {how}", err=True)
    return report(result.diagnostics, verbose=verbose), result.losses
