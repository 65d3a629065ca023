"""``bibtools lint``: report problems in bibliography files; exit 1 on an error-level finding."""
from __future__ import annotations

import json
import sys

import click

from ..lint import RULES, has_errors, lint, lint_bytes
from .common import EXIT_OK, EXIT_PROBLEMS, UsageFailure


@click.command("lint")
@click.argument("inputs", nargs=-1, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--json", "as_json", is_flag=True, help="Print findings as a JSON list.")
@click.option("--select", metavar="RULES", help="Only these rules: ids, id prefixes or names, comma-separated (BT001,BT01,all-caps).")
@click.option("--ignore", metavar="RULES", help="Skip these rules (same syntax as --select).")
@click.option("--from", "from_fmt", metavar="FMT", help="Input format (detected from suffix and content when omitted).")
@click.option("--list-rules", is_flag=True, help="List every rule with its severity and explanation, then exit.")
def command(inputs, as_json, select, ignore, from_fmt, list_rules) -> None:
    """Lint INPUT... together (like one BibTeX run over several .bib files); '-' reads BibTeX from stdin."""
    if list_rules:
        for rule in RULES.values():
            click.echo(f"{rule.id}  {rule.name:<24} {rule.severity.value:<8} {rule.summary}")
        sys.exit(EXIT_OK)
    if not inputs:
        raise UsageFailure("give at least one file to lint")
    if "-" in inputs and len(inputs) > 1:
        raise UsageFailure("'-' (stdin) can only be linted on its own")
    try:
        if inputs == ("-",):
            findings = lint_bytes(sys.stdin.buffer.read(), "<stdin>", select=select, ignore=ignore, fmt=from_fmt or "bibtex")
        else:
            findings = lint(list(inputs), select=select, ignore=ignore, fmt=from_fmt)
    except ValueError as exc:
        raise UsageFailure(str(exc)) from None
    except OSError as exc:
        raise UsageFailure(f"cannot read {exc.filename}: {exc.strerror}") from None
    if as_json:
        click.echo(json.dumps([f.to_json() for f in findings], ensure_ascii=False, indent=1))
    else:
        for finding in findings:
            click.echo(str(finding))
        if findings:
            counts: dict[str, int] = {}
            for f in findings:
                counts[f.severity.value] = counts.get(f.severity.value, 0) + 1
            summary = ", ".join(f"{n} {sev}{'s' if n != 1 else ''}" for sev, n in sorted(counts.items()))
            click.echo(f"{len(findings)} finding{'s' if len(findings) != 1 else ''} ({summary})", err=True)
    sys.exit(EXIT_PROBLEMS if has_errors(findings) else EXIT_OK)
