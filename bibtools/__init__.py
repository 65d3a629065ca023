"""bibtools: one citation model; BibTeX/BibLaTeX, CSL-JSON, RIS and API readers;
CSL formatting; safe merges.

The public API lives here; everything the CLI does, a script can do with it.
"""
from .api import dump, load, load_bytes, load_file, load_string, save
from .csl.api import Citer, FormattedEntry, StyleError, cite, format_bibliography
from .diagnostics import Diagnostic, Severity
from .model import Date, Item, Library, Name, Origin
from .registry import Format, UnknownFormat

__version__ = "0.1.0"

__all__ = [
    "Citer",
    "FormattedEntry",
    "StyleError",
    "cite",
    "format_bibliography",
    "Date",
    "Diagnostic",
    "Format",
    "Item",
    "Library",
    "Name",
    "Origin",
    "Severity",
    "UnknownFormat",
    "dump",
    "load",
    "load_bytes",
    "load_file",
    "load_string",
    "save",
]
