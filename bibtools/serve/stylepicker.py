"""The style picker's search: every installed style, the ones most people use first."""
from __future__ import annotations

from typing import Any

from ..csl.styles import aliases, list_styles, style_index

# The styles people ask for most, in that order (names as citation-style-language spells them).
POPULAR = (
    "apa", "ieee", "modern-language-association", "chicago-author-date", "chicago-notes-bibliography",
    "harvard-cite-them-right", "nlm-citation-sequence", "american-medical-association", "nature",
    "american-chemical-society", "elsevier-harvard", "springer-basic-author-date", "association-for-computing-machinery",
    "american-sociological-association", "american-political-science-association", "cell", "science", "the-lancet",
    "bmj", "plos", "din-1505-2", "iso690-author-date-en",
)


def search_styles(query: str = "", limit: int = 60) -> list[dict[str, Any]]:
    """Styles matching every word of ``query`` (an alias such as ``mla`` finds its style),
    popular ones first, then as ``bibtools styles`` orders them."""
    index = style_index()
    query = query.strip()
    found = list_styles(query) if query else [index[n] for n in POPULAR if n in index]
    aliased = aliases().get(query.lower())
    if aliased in index and all(info.name != aliased for info in found):
        found.insert(0, index[aliased])
    rank = {name: n for n, name in enumerate(POPULAR)}
    exact = query.lower()
    found.sort(key=lambda info: (info.name != exact and info.name != aliased, rank.get(info.name, len(rank))))
    return [{"name": info.name, "title": info.title, "format": info.citation_format or ""} for info in found[:limit]]
