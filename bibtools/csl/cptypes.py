"""citeproc-py's classes that bibtools' annotations name, imported in this one module.

citeproc-py ships no type information, so to mypy these are ``Any``; to a reader
they say which citeproc-py object a function takes or returns.
"""
from __future__ import annotations

from citeproc.model import CitationStylesElement as Element
from citeproc.model import Macro, Term
from citeproc.model import Style as StyleRoot
from citeproc.source import Citation, CitationItem, Date, DateRange, Reference

__all__ = ["Citation", "CitationItem", "Date", "DateRange", "Element", "Macro", "Reference", "StyleRoot", "Term"]
