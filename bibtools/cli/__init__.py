"""The ``bibtools`` command: a thin layer over the Python API.

Exit codes: 0 clean; 1 input problems were reported (output was still
written) or a check failed; 2 usage errors (bad option, unknown format,
unreadable file).
"""
from __future__ import annotations

import importlib

import click

from .. import __version__

# One line per command module; each defines a click command named ``command``.
COMMAND_MODULES: tuple[str, ...] = (
    "bibtools.cli.convert",
    "bibtools.cli.keys",
    "bibtools.cli.lint",
    "bibtools.cli.enrich",
    "bibtools.cli.add",
    "bibtools.cli.format",
    "bibtools.cli.cite",
    "bibtools.cli.styles",
    "bibtools.cli.dedupe",
    "bibtools.cli.merge",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="bibtools")
def main() -> None:
    """Bibliographies in, bibliographies and formatted citations out."""


for _module in COMMAND_MODULES:
    main.add_command(importlib.import_module(_module).command)
