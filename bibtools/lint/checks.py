"""Pure validators for identifier and number fields.

Each returns ``None`` when the value is fine, else a short sentence saying
what is wrong (used verbatim in findings).
"""
from __future__ import annotations

import datetime
import re
from urllib.parse import urlsplit

_DOI = re.compile(r"^10\.\d{4,9}/\S+$|^10/[a-z0-9]+$")  # full DOI or a shortDOI (10/abcd)
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_SPLIT_IDS = re.compile(r"\s*(?:[,;]|\s\s+|\band\b)\s*")


def check_doi(value: str) -> str | None:
    doi = _DOI_PREFIX.sub("", value.strip())
    if "\\" in doi:
        return f"DOI {value!r} contains a backslash (DOI fields are verbatim: write '_' not '\\_')"
    if re.search(r"\s", doi):
        return f"DOI {value!r} contains whitespace"
    if not _DOI.match(doi):
        return f"{value!r} is not a DOI (expected 10.<registrant>/<suffix>)"
    return None


def isbn_checksum_ok(digits: str) -> bool:
    if len(digits) == 10:
        total = sum((10 - i) * (10 if c in "Xx" else int(c)) for i, c in enumerate(digits))
        return total % 11 == 0
    if len(digits) == 13:
        total = sum((1 if i % 2 == 0 else 3) * int(c) for i, c in enumerate(digits))
        return total % 10 == 0
    return False


def check_isbn(value: str) -> str | None:
    for token in _split_ids(value):
        compact = re.sub(r"[\s\-‐‑–]", "", token)
        compact = re.sub(r"^ISBN(?:-1[03])?:?", "", compact, flags=re.IGNORECASE)
        if not re.fullmatch(r"\d{9}[\dXx]|\d{13}", compact):
            return f"{token!r} is not an ISBN (10 or 13 digits)"
        if len(compact) == 13 and not compact.startswith(("978", "979")):
            return f"ISBN {token!r} must start with 978 or 979"
        if not isbn_checksum_ok(compact):
            return f"ISBN {token!r} fails its checksum"
    return None


def issn_checksum_ok(compact: str) -> bool:
    total = sum((8 - i) * int(c) for i, c in enumerate(compact[:7]))
    check = (11 - total % 11) % 11
    expected = "X" if check == 10 else str(check)
    return compact[7].upper() == expected


def check_issn(value: str) -> str | None:
    for token in _split_ids(value):
        compact = re.sub(r"^(?:e?ISSN):?\s*", "", token.strip(), flags=re.IGNORECASE)
        compact = re.sub(r"[\s\-‐‑–]", "", compact)
        if not re.fullmatch(r"\d{7}[\dXx]", compact):
            return f"{token!r} is not an ISSN (NNNN-NNNC)"
        if not issn_checksum_ok(compact):
            return f"ISSN {token!r} fails its checksum"
    return None


def _split_ids(value: str) -> list[str]:
    return [t for t in _SPLIT_IDS.split(value.strip()) if t]


_URL_SCHEMES = frozenset({"http", "https", "ftp", "ftps", "sftp", "file", "doi", "urn", "mailto"})


def check_url(value: str) -> str | None:
    url = value.strip()
    if url.startswith("\\url{") and url.endswith("}"):
        return f"URL {value!r} is wrapped in \\url{{}} (the field is already verbatim)"
    if re.search(r"\s", url):
        return f"URL {value!r} contains whitespace"
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        return f"URL {value!r} cannot be parsed ({exc})"
    scheme = parts.scheme.lower()
    if not scheme:
        return f"URL {value!r} has no scheme (http://, https://, ...)"
    if scheme not in _URL_SCHEMES:
        return f"URL {value!r} has an unexpected scheme {scheme!r}"
    if scheme in ("http", "https", "ftp", "ftps", "sftp") and not parts.netloc:
        return f"URL {value!r} has no host"
    return None


_PAGE = r"(?:[A-Za-z]{0,4}\d+[A-Za-z]?|[ivxlcdmIVXLCDM]+)"
_PAGE_RANGE = re.compile(rf"^\s*({_PAGE})\s*(?:(?:--?-?|–|—|‐|‑)\s*({_PAGE}))?\s*\+?\s*$")


def check_pages(value: str) -> str | None:
    text = value.strip()
    if not text:
        return None  # empty fields have their own rule
    for piece in re.split(r"\s*[,;]\s*", text):
        m = _PAGE_RANGE.match(piece)
        if not m:
            return f"page range {value!r} is not N, N--M or a list of them"
        start, end = m.group(1), m.group(2)
        if end and start.isdigit() and end.isdigit() and int(end) < int(start):
            if len(end) < len(start):
                return f"page range {value!r} is abbreviated (write {start}--{start[: len(start) - len(end)]}{end})"
            return f"page range {value!r} ends before it starts"
    return None


MONTH_NAMES = {
    name: i + 1
    for i, names in enumerate([
        ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
        ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
        ("october", "oct"), ("november", "nov"), ("december", "dec"),
    ])
    for name in names
}


def month_number(token: str) -> int | None:
    token = token.strip().rstrip(".").lower()
    if token.isdigit():
        number = int(token)
        return number if 1 <= number <= 12 else None
    return MONTH_NAMES.get(token)


def check_month(value: str) -> str | None:
    # BibTeX prints the month as given: a day before or after it ("10~" # jan, "AUG 1", "October~13--15,") is fine.
    text = re.sub(r"^\d{1,2}(?:~|\s+)(?=[A-Za-z])", "", value.strip())
    text = re.sub(r"(?<=[A-Za-z.])(?:~|\s+)\d{1,2}(?:\s*--?\s*\d{1,2})?,?$", "", text)
    pieces = re.split(r"\s*(?:--?|–|/|,|\band\b)\s*", text)
    if 1 <= len(pieces) <= 3 and all(month_number(p) for p in pieces):
        return None
    return f"month {value!r} is not a month (use a macro like jan, or 1-12)"


def check_year(value: str, *, now: int | None = None) -> str | None:
    text = value.strip()
    latest = (now or datetime.date.today().year) + 5
    m = re.fullmatch(r"(\d{4})(?:\s*(?:--?|–|/)\s*(\d{4}))?", text)
    if not m:
        return f"year {value!r} is not a four-digit year"
    for group in m.groups():
        if group and int(group) > latest:
            return f"year {value!r} is in the future"
    return None


_EDTF_DAY = r"(?:-?\d{4}|\d{2}XX|\d{3}X)(?:-(?:0[1-9]|1[0-2]|2[1-4]|XX)(?:-(?:0[1-9]|[12]\d|3[01]|XX))?)?[?~%]?"
_EDTF_TIME = r"(?:T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?"
_DATE = re.compile(rf"^(?:{_EDTF_DAY}{_EDTF_TIME})?(?:/(?:{_EDTF_DAY}{_EDTF_TIME}|\.\.)?)?$")


def check_date(value: str) -> str | None:
    """biblatex ``date``: ISO 8601 / EDTF level 1 (YYYY, YYYY-MM, YYYY-MM-DD, ranges with '/')."""
    text = value.strip()
    if not text or text == "/":
        return f"date {value!r} is not an ISO 8601 date"
    if not _DATE.match(text):
        return f"date {value!r} is not an ISO 8601 date (YYYY, YYYY-MM, YYYY-MM-DD or a range A/B)"
    return None
