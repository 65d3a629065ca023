"""Page ranges (and locators) the CSL way: ``page-range-format`` expanded, minimal,
minimal-two, chicago / chicago-15 / chicago-16, with prefixes ("N110–N115") and
escaped hyphens ("327\\-30" is one page label, not a range)."""
from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .cptypes import Element

# a prefix is letters, possibly after digits ("8n11564-8n1568": note 11564 on page 8)
_RANGE = re.compile(r"^\s*((?:\d+[A-Za-z]+)?[A-Za-z]*)(\d+)\s*[-\u2013]+\s*((?:\d+[A-Za-z]+)?[A-Za-z]*)(\d+)\s*$")
_ESCAPED_HYPHEN = "\ue010"
_ROMAN_RANGE = re.compile(r"^\s*([ivxlcdm]+)\s*[-\u2013]+\s*([ivxlcdm]+)\s*$", re.IGNORECASE)


def _minimal(first: str, last: str, keep: int = 1) -> str:
    if len(first) != len(last):
        return last
    common = 0
    while common < len(first) and first[common] == last[common]:
        common += 1
    common = min(common, len(last) - keep)
    return last[max(common, 0) :]


def _last(first: str, last: str, fmt: str | None) -> str:
    if fmt == "as-is":
        return last
    if not fmt or fmt == "expanded":
        if len(last) < len(first):  # "110-5" means 115
            return first[: len(first) - len(last)] + last
        return last
    if len(last) < len(first):
        last = first[: len(first) - len(last)] + last
    number = int(first)
    if fmt == "minimal":
        return _minimal(first, last)
    if fmt == "minimal-two":
        return _minimal(first, last, 2) if len(last) > 1 else last
    # Chicago: below 100 and round hundreds in full; 101-109 minimal; else two digits
    if number < 100 or number % 100 == 0:
        return last
    if fmt in ("chicago", "chicago-15") and len(first) == 4 and len(_minimal(first, last)) >= 3:
        return last  # 1496-1504: three digits change in a four-digit number
    if number % 100 < 10:
        return _minimal(first, last)
    return _minimal(first, last, 2)


def format_range(text: str, fmt: str | None, delimiter: str, first_only: bool = False) -> str:
    """One value that may hold several ranges ("1-5, 10-12 & 20")."""
    text = text.replace("\\-", _ESCAPED_HYPHEN)
    pieces = re.split(r"(\s*[,&]\s*)", text)
    out = []
    for piece in pieces:
        match = _RANGE.match(piece)
        if not match:
            roman = _ROMAN_RANGE.match(piece)
            if roman and not first_only:
                out.append(f"{roman.group(1)}{delimiter}{roman.group(2)}")
            elif first_only and "-" in piece:
                out.append(piece.split("-")[0].strip())
                break
            else:
                out.append(re.sub(r"(?<=\w)\s*-\s*(?=\w)", "-", piece))
            continue
        prefix1, first, prefix2, last = match.groups()
        if first_only:
            out.append(prefix1 + first)
            break
        if prefix2 and prefix1 != prefix2 or (prefix1 and not prefix2 and len(last) < len(first)):
            out.append(re.sub(r"\s*-\s*", "-", piece.strip()))  # different prefixes: as written
            continue
        if prefix1 and not prefix2:
            out.append(re.sub(r"\s*-\s*", "-", piece.strip()))
            continue
        formatted = _last(first, last, fmt)
        if fmt not in ("expanded", None) and prefix2 == prefix1:
            prefix2 = ""  # a shortened second number drops the shared prefix ("n11564–8")
        out.append(f"{prefix1}{first}{delimiter}{prefix2}{formatted}")
    return "".join(out).replace(_ESCAPED_HYPHEN, "-")


def is_plural(value: str) -> bool:
    """Several numbers ("1-3", "1, 2", "1 & 2", "i-ix"), not an escaped hyphen or "2.0"."""
    value = value.replace("\\-", "")
    return re.search(r"\d+[^\d.]+\d+", value) is not None or _ROMAN_RANGE.match(value) is not None


def localized_ampersand(text: str, element: Element) -> str:
    """"213 & 235" with the locale's symbol for "and" (citeproc-js); cached per style."""
    cache = element.get_root().__dict__
    symbol = cache.get("_and_symbol")
    if symbol is None:
        # (terms come escaped for the output format; the text here is escaped later)
        symbol = cache["_and_symbol"] = html.unescape(str(element.get_single_term("and", "symbol") or "&"))
    if symbol == "&":
        return text
    return re.sub(r"(?<=\w)\s*&\s*(?=\w)", f" {symbol} ", text)
