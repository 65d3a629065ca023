"""Pure string helpers shared by formats: LaTeX <-> Unicode, names, dates, identifiers."""
