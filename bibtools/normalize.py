"""The normalisation pass, run after every read (see ``passes.DEFAULT_PASSES``).

Cleans identifiers and page ranges in place, reports what cannot be right
(bad checksums, text that is no DOI), and never invents a missing field.

arXiv ids: CSL has no arXiv variable. The model keeps them the way BibTeX
does, in ``Item.extra``: ``eprint`` (the id, "2302.06354" or
"astro-ph/0601001", version kept when the source gave one) with
``archiveprefix`` = "arXiv". They are found in ``eprint`` fields, arXiv DOIs
(10.48550/arXiv.X), arXiv URLs (abs/pdf) and ``number`` "arXiv:X"; an existing
``eprint`` always wins.

Cheap by design: per item a handful of dict look-ups, and each helper runs only
on the fields that are present (24k-entry files go through this on every load).
"""
from __future__ import annotations

from functools import lru_cache

from .diagnostics import warning
from .model import Item, Library
from .text.ids import (
    compact_isbn,
    find_arxiv_id,
    find_issns,
    isbn_valid,
    issn_valid,
    normalize_doi,
    normalize_issn,
    normalize_pages,
    normalize_pmcid,
    normalize_pmid,
    parse_arxiv_id,
)

_SPLIT_TABLE = str.maketrans({";": ",", "\n": ",", "/": ","})


def normalize(library: Library) -> None:
    """Normalise every item of ``library`` in place; append warnings to its diagnostics."""
    problems = library.diagnostics
    for item in library.items:
        fields = item.fields
        if not fields and not item.extra:
            continue
        messages: list[tuple[str, str]] = []
        if "DOI" in fields:
            _doi(item, messages)
        if "page" in fields:
            page = fields["page"]
            if isinstance(page, str):
                fields["page"] = normalize_pages(page)
        if "ISBN" in fields:
            _isbn(item, messages)
        if "ISSN" in fields:
            _issn(item, messages)
        if "PMID" in fields:
            _simple(item, "PMID", normalize_pmid, messages)
        if "PMCID" in fields:
            _simple(item, "PMCID", normalize_pmcid, messages)
        _arxiv(item)
        for code, message in messages:
            origin = item.origin
            problems.append(
                warning(code, message, source=origin.source if origin else None, line=origin.line if origin else None, key=item.id or None)
            )


def _doi(item: Item, messages: list[tuple[str, str]]) -> None:
    raw = item.fields["DOI"]
    if not isinstance(raw, str):
        return
    if raw[:3] == "10." and "/" in raw and raw.islower() and " " not in raw and raw[-1] != ".":
        return  # already clean: the common case, skipped cheaply
    doi = normalize_doi(raw)
    if doi is None:
        messages.append(("normalize.bad-doi", f"DOI {raw!r} does not look like a DOI; kept as it is"))
    else:
        item.fields["DOI"] = doi


def _isbn(item: Item, messages: list[tuple[str, str]]) -> None:
    raw = item.fields["ISBN"]
    if not isinstance(raw, str):
        return
    value, bad = _clean_isbn(raw)
    item.fields["ISBN"] = value
    messages.extend(("normalize.bad-isbn", f"ISBN {piece!r} fails its checksum; kept as it is") for piece in bad)


@lru_cache(maxsize=4096)
def _clean_isbn(raw: str) -> tuple[str, tuple[str, ...]]:
    """(cleaned list, pieces that fail their checksum); cached: books repeat across a library."""
    bad: list[str] = []
    cleaned: list[str] = []
    for piece in raw.translate(_SPLIT_TABLE).split(","):
        if not piece.strip():
            continue
        # "978-3-16-148410-0 (pbk)": keep the qualifier out of the number.
        head = compact_isbn(piece.split("(")[0])
        if isbn_valid(head):
            cleaned.append(head)
            continue
        words = [compact_isbn(w) for w in piece.split()]
        if len(words) > 1 and all(isbn_valid(w) for w in words):  # "978-... 978-..."
            cleaned.extend(words)
        else:
            bad.append(piece.strip())
            cleaned.append(piece.strip())
    return (", ".join(dict.fromkeys(cleaned)) if cleaned else raw), tuple(bad)


def _issn(item: Item, messages: list[tuple[str, str]]) -> None:
    raw = item.fields["ISSN"]
    if not isinstance(raw, str):
        return
    value, bad = _clean_issn(raw)
    item.fields["ISSN"] = value
    messages.extend(("normalize.bad-issn", f"ISSN {piece!r} fails its checksum; kept as it is") for piece in bad)


@lru_cache(maxsize=4096)
def _clean_issn(raw: str) -> tuple[str, tuple[str, ...]]:
    """(cleaned list, pieces that fail their checksum); cached: journals repeat across a library."""
    bad: list[str] = []
    cleaned: list[str] = []
    for chunk in raw.translate(_SPLIT_TABLE).split(","):
        # "0028 0836" is one ISSN; "0028-0836 1476-4687" is two; "(print)" is a label, not an ISSN.
        pieces = [chunk] if normalize_issn(chunk) else (find_issns(chunk) or chunk.split())
        for piece in pieces:
            if not piece.strip():
                continue
            issn = normalize_issn(piece)
            if issn is None or not issn_valid(issn):
                bad.append(piece.strip())
                cleaned.append(piece.strip())
            else:
                cleaned.append(issn)
    return (", ".join(dict.fromkeys(cleaned)) if cleaned else raw), tuple(bad)


def _simple(item: Item, variable: str, fix, messages: list[tuple[str, str]]) -> None:  # type: ignore[no-untyped-def]
    raw = item.fields[variable]
    if not isinstance(raw, str):
        return
    value = fix(raw)
    if value is None:
        messages.append((f"normalize.bad-{variable.lower()}", f"{variable} {raw!r} is not a valid {variable}; kept as it is"))
    else:
        item.fields[variable] = value


def _arxiv(item: Item) -> None:
    extra = item.extra
    eprint = extra.get("eprint")
    if eprint is not None:
        prefix = (extra.get("archiveprefix") or extra.get("eprinttype") or "").lower()
        if prefix in ("", "arxiv"):
            found = parse_arxiv_id(eprint) or (find_arxiv_id(eprint) if prefix == "arxiv" else None)
            if found is not None:
                extra["eprint"] = str(found)
                if not prefix:
                    extra["archiveprefix"] = "arXiv"
        return
    fields = item.fields
    found = None
    doi = fields.get("DOI")
    if isinstance(doi, str) and doi.startswith("10.48550/"):
        found = find_arxiv_id(doi)
    if found is None:
        url = fields.get("URL")
        if isinstance(url, str) and "arxiv.org/" in url:
            found = find_arxiv_id(url)
    if found is None:
        number = fields.get("number")
        if isinstance(number, str) and number[:6].lower() == "arxiv:":
            found = find_arxiv_id(number)
    if found is not None:
        extra["eprint"] = str(found)
        extra["archiveprefix"] = "arXiv"
