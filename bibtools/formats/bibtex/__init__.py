"""BibTeX and BibLaTeX: everything bibtools knows about ``.bib`` text lives in this package.

- ``reader``: text -> blocks -> evaluated entries -> ``Item`` (inheritance resolved);
- ``fields``: one entry's fields <-> one ``Item``, driven by ``mappings.bibtex``;
- ``writer``: ``Library`` -> .bib text in either dialect;
- ``editor``: minimal-diff edits of an existing .bib file in its own style;
- ``streaming``: a file read batch by batch, entries written one by one;
- ``biblatex``: the BibLaTeX dialect's ``Format`` (same reader, BibLaTeX writer).

This module is the classic BibTeX dialect's ``Format``.
"""
from __future__ import annotations

from .dialect import dialect_format
from .reader import RawEntry, item_from_entry, read, read_entries, resolve_inheritance, sniff, sniff_biblatex, split_blocks

FORMAT = dialect_format(
    "bibtex",
    "BibTeX (classic dialect: year/month, journal, address, school)",
    suffixes=(".bib", ".bibtex"),
    sniff=sniff,
    aliases=("bib",),
    options={"ascii": "LaTeX-escape every non-ASCII character",
             "utf8": "keep all Unicode (default: characters pdflatex cannot typeset become LaTeX commands)"},
)
write = FORMAT.write

__all__ = ["item_from_entry", "read", "write", "sniff", "sniff_biblatex", "read_entries", "resolve_inheritance", "split_blocks", "RawEntry"]
