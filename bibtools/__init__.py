"""bibtools: one citation model; BibTeX/BibLaTeX, CSL-JSON, RIS and API readers;
CSL formatting; safe merges.

The public API lives here; everything the CLI does, a script can do with it.
"""
from .api import dump, load, load_bytes, load_file, load_string, save
from .diagnostics import Diagnostic, Severity
from .keys import DEFAULT_PATTERN, KeyPatternError, assign_keys, generate_key
from .model import Date, Item, Library, Name, Origin
from .registry import Format, UnknownFormat

__version__ = "0.1.0"

__all__ = [
    "Finding",
    "lint_bibliography",
    "DEFAULT_PATTERN",
    "KeyPatternError",
    "assign_keys",
    "generate_key",
    "Citer",
    "FormattedEntry",
    "StyleError",
    "cite",
    "format_bibliography",
    "DedupeResult",
    "Match",
    "MatchConfig",
    "MergeReport",
    "MergeResult",
    "compare",
    "find_duplicates",
    "merge",
    "Date",
    "Diagnostic",
    "EnrichReport",
    "Format",
    "Item",
    "Library",
    "Name",
    "Origin",
    "Severity",
    "UnknownFormat",
    "StreamReport",
    "convert_file",
    "stream_items",
    "dump",
    "enrich_library",
    "load",
    "load_bytes",
    "load_file",
    "load_string",
    "save",
    "ReferenceLibrary",
    "parse_references",
    "StyleGuess",
    "Restyled",
    "guess_style",
    "restyle",
    "UpdateError",
    "UpdateResult",
    "update_file",
]


_LAZY = {"enrich_library": ("enrich", "enrich"), "EnrichReport": ("enrich", "EnrichReport")}
# formatting loads citeproc-py only when used
_LAZY.update({name: ("csl.api", name) for name in ("Citer", "FormattedEntry", "StyleError", "cite", "format_bibliography")})
# dedupe and lint load when used too: ``import bibtools`` stays cheap for small files and hooks
_LAZY.update({name: ("dedupe", name) for name in ("DedupeResult", "Match", "MatchConfig", "compare", "find_duplicates")})
_LAZY.update({"Finding": ("lint", "Finding"), "lint_bibliography": ("lint", "lint")})
_LAZY.update({name: ("merge", name) for name in ("MergeReport", "MergeResult", "merge")})
_LAZY.update({name: ("stream", name) for name in ("StreamReport", "convert_file", "stream_items")})
# the reference-string labeller (and its CRF model) loads only when used
_LAZY.update({name: ("formats.references", name) for name in ("ReferenceLibrary", "parse_references")})
_LAZY.update({name: ("formats.references.restyle", name) for name in ("StyleGuess", "Restyled", "guess_style", "restyle")})
_LAZY.update({name: ("update", name) for name in ("UpdateError", "UpdateResult", "update_file")})


def __getattr__(name: str):  # the network stack (httpx) loads only when enrichment is used
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(f".{module}", __name__), attr)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
