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
    "bibtools.cli.serve",  # imports starlette only when it runs
)


class _LazyGroup(click.Group):
    """Imports a command's module only when that command runs (or help lists them all): a
    `convert` then never loads the CSL engine, lint or dedupe, a quarter of its start-up."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(_COMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in _COMMANDS:
            self.add_command(importlib.import_module(_COMMANDS[cmd_name]).command, cmd_name)
        return super().get_command(ctx, cmd_name)


# The command's name is its module's last component.
_COMMANDS = {module.rsplit(".", 1)[1]: module for module in COMMAND_MODULES}


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="bibtools")
def main() -> None:
    """Bibliographies in, bibliographies and formatted citations out."""
