"""BibLaTeX: the same reader as BibTeX, and the BibLaTeX writing dialect
(date, journaltitle, location, institution, EDTF dates)."""
from __future__ import annotations

from functools import partial
from typing import Any

from ...model import Library
from ...registry import Format
from . import reader as bibtex
from .editor import apply_merge
from .lintview import lint_records
from .streaming import BibBatchReader, BibItemWriter
from .writer import WRITE_OPTIONS, write_bibtex


def read(text: str, *, source: str | None = None, **options: Any) -> Library:
    options.pop("format_name", None)
    return bibtex.read(text, source=source, format_name="biblatex", **options)


def write(library: Library, **options: Any) -> str:
    options.pop("dialect", None)
    return write_bibtex(library, dialect="biblatex", **options)


FORMAT = Format(
    name="biblatex",
    description="BibLaTeX (date, journaltitle, location, institution; EDTF dates)",
    suffixes=(".biblatex",),
    sniff=bibtex.sniff_biblatex,
    read=read,
    write=write,
    options={"ascii": "LaTeX-escape non-ASCII characters (default: UTF-8)",
             "utf8": "keep all Unicode (what BibLaTeX output always does)",
             **WRITE_OPTIONS},
    edit=partial(apply_merge, format="biblatex"),
    iter_read=partial(BibBatchReader, dialect="biblatex"),
    item_writer=partial(BibItemWriter, write),
    raw_records=lint_records,
    tex_text=True,
    user_keys=True,
    writes_as_read=True,
)
