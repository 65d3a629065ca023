"""Built-in formats: one module each, one line here. Order does not matter."""

BUILTIN_FORMATS: tuple[str, ...] = (
    "bibtools.formats.csljson",
    "bibtools.formats.ris",
    "bibtools.formats.wos",
)
