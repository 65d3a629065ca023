"""Formatting with CSL styles: the only code that imports citeproc-py."""
from .engine import CslEngine, CslStyleError

__all__ = ["CslEngine", "CslStyleError"]
