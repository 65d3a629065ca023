"""Mapping tables between native formats and the CSL model, kept as data (one module per format)."""
