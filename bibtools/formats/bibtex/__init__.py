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

from functools import partial

from typing import Any

from ...model import Library
from ...registry import Format
from .editor import apply_merge
from .reader import RawEntry, item_from_entry, read, read_entries, resolve_inheritance, sniff, sniff_biblatex, split_blocks
from .lintview import lint_records
from .streaming import BibBatchReader, BibItemWriter
from .writer import WRITE_OPTIONS, write_bibtex


def write(library: Library, **options: Any) -> str:
    return write_bibtex(library, dialect="bibtex", **options)


__all__ = ["item_from_entry", "read", "write", "sniff", "sniff_biblatex", "read_entries", "resolve_inheritance", "split_blocks", "RawEntry"]

FORMAT = Format(
    name="bibtex",
    description="BibTeX (classic dialect: year/month, journal, address, school)",
    suffixes=(".bib", ".bibtex"),
    sniff=sniff,
    read=read,
    write=write,
    aliases=("bib",),
    options={"ascii": "LaTeX-escape every non-ASCII character",
             "utf8": "keep all Unicode (default: characters pdflatex cannot typeset become LaTeX commands)",
             **WRITE_OPTIONS},
    edit=partial(apply_merge, format="bibtex"),
    iter_read=partial(BibBatchReader, dialect="bibtex"),
    item_writer=partial(BibItemWriter, write),
    raw_records=lint_records,
    tex_text=True,
    user_keys=True,
    writes_as_read=True,
)
