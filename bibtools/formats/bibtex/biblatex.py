"""BibLaTeX: the same reader as BibTeX, and the BibLaTeX writing dialect
(date, journaltitle, location, institution, EDTF dates)."""
from __future__ import annotations

from .dialect import dialect_format
from .reader import sniff_biblatex

FORMAT = dialect_format(
    "biblatex",
    "BibLaTeX (date, journaltitle, location, institution; EDTF dates)",
    suffixes=(".biblatex",),
    sniff=sniff_biblatex,
    options={"ascii": "LaTeX-escape non-ASCII characters (default: UTF-8)",
             "utf8": "keep all Unicode (what BibLaTeX output always does)"},
)
