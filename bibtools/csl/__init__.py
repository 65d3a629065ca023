"""Formatting with CSL styles: the only code that imports citeproc-py."""
