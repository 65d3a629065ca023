"""Built-in formats: one module each, one line here. Order does not matter."""

BUILTIN_FORMATS: tuple[str, ...] = (
    "bibtools.formats.csljson",
    "bibtools.formats.bibtex",
    "bibtools.formats.bibtex.biblatex",
    "bibtools.formats.crossref",
    "bibtools.formats.arxiv",
    "bibtools.formats.listing",
    "bibtools.formats.openalex",
    "bibtools.formats.semanticscholar",
    "bibtools.formats.ris",
    "bibtools.formats.wos",
    "bibtools.formats.references",
)
