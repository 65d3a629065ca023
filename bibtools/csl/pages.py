"""Page ranges (and locators) the CSL way: ``page-range-format`` expanded, minimal,
minimal-two, chicago / chicago-15 / chicago-16, with prefixes ("N110–N115") and
escaped hyphens ("327\\-30" is one page label, not a range)."""
from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .cptypes import Element

# A page is a prefix (letters, possibly after digits, and the zeros that follow them:
# "8n11564" is note 11564 on page 8, "S0012" is S00 + 12) and a number that may end in
# lowercase letters ("12a"); citeproc-js reads them so.
_PAGE = r"(\d*[A-Za-z]+0*)?(\d+[a-z]*)"
_RANGE = re.compile(rf"^\s*{_PAGE}\s*[-\u2013]+\s*{_PAGE}\s*$")
_LEADING_DIGITS = re.compile(r"\d+")
_ESCAPED_HYPHEN = "\ue010"
_ROMAN_RANGE = re.compile(r"^\s*([ivxlcdm]+)\s*[-\u2013]+\s*([ivxlcdm]+)\s*$", re.IGNORECASE)


def _value(page: str) -> int:
    match = _LEADING_DIGITS.match(page)
    return int(match.group()) if match else 0


def _minimal(first: str, last: str, keep: int) -> str:
    """The digits of ``last`` from the first one that differs, at least ``keep`` of them."""
    if len(first) != len(last):
        return last
    common = 0
    while common < len(first) and first[common] == last[common] and len(last) - common > keep:
        common += 1
    return last[common:]


def _chicago(first: str, last: str, edition: str) -> str:
    """Chicago's rules on the numbers: 101–8, 321–28, 1496–1504 (15th) or 1496–504 (16th)."""
    begin, end = _value(first), _value(last)
    digits = len(str(end))
    if edition == "chicago-16":
        if begin > 100 and begin % 100:
            for power in range(2, digits):
                if begin // 10**power == end // 10**power:
                    return str(end % 10**power)
        return last
    if begin > 100 and begin % 100 and begin // 100 == end // 100:
        return str(end % 100)
    if begin >= 10000:
        for power in range(3, digits):
            if begin // 10**power == end // 10**power:
                return str(end % 10**power)
    return last


def _format_one(prefix: str, first: str, last: str, fmt: str, delimiter: str) -> str:
    """One range whose two ends have the same prefix (or none)."""
    # citeproc-js cannot read "8n1–8n5" back into its two ends: a range whose second end
    # keeps a prefix that starts with a digit stays as typed
    repeated = f"{delimiter}{prefix}" if not prefix[:1].isdigit() else None
    written = f"{prefix}{first}{repeated}{last}" if repeated else f"{prefix}{first}-{prefix}{last}"
    if fmt == "as-is":
        return written
    if len(last) < len(first):  # "110-5" means 110-115
        last = first[: len(first) - len(last)] + last
    if _value(first) >= _value(last):  # "e6-e6", "110-105": not a range to shorten
        return written
    if fmt == "expanded":
        return f"{prefix}{first}{repeated}{last}" if repeated else written
    # the shortened end drops the shared prefix ("W202–8")
    if fmt == "minimal":
        return f"{prefix}{first}{delimiter}{_minimal(first, last, 0)}"
    if fmt == "minimal-two":
        return f"{prefix}{first}{delimiter}{_minimal(first, last, 2)}"
    edition = "chicago-16" if fmt == "chicago-16" else "chicago-15"  # "chicago" is the 15th
    return f"{prefix}{first}{delimiter}{_chicago(first, last, edition)}"


# what separates ranges in one value (a comma or semicolon only before a space: "1-2,3" is one label)
_JOINER = re.compile(r"(,\s+|;\s+|\s*&\s*|\s+and\s+)")
_DASH = re.compile(r"(?<=\S)\s*[-\u2013]+\s*(?=\S)")
_PLAIN_NUMBER = re.compile(r"^(?:\d+|[ivxlcdm]+)$", re.IGNORECASE)


def _not_a_range(piece: str, delimiter: str) -> str:
    """Dashes in a value that is not one range: the range delimiter between two plain
    numbers or roman numerals ("iv–7"), a hyphen elsewhere ("A1-B5", "Suppl 1-5")."""
    parts = _DASH.split(piece)
    if len(parts) == 1:
        return piece
    out = parts[0]
    for left, right in zip(parts, parts[1:]):
        plain = _PLAIN_NUMBER.match(left.strip()) and _PLAIN_NUMBER.match(right.strip())
        out += (delimiter if plain else "-") + right
    return out


def format_range(text: str, fmt: str | None, delimiter: str, first_only: bool = False) -> str:
    """One value that may hold several ranges ("1-5, 10-12 & 20"); ``fmt`` None is as-is."""
    fmt = fmt or "as-is"
    text = text.replace("\\-", _ESCAPED_HYPHEN)
    out = []
    for piece in _JOINER.split(text):
        match = _RANGE.match(piece)
        if first_only:
            if match:
                out.append((match.group(1) or "") + match.group(2))
                break
            if "-" in piece:
                out.append(piece.split("-")[0].strip())
                break
            out.append(piece)
            continue
        if not match:
            out.append(_not_a_range(piece, delimiter))
            continue
        prefix1, first, prefix2, last = (group or "" for group in match.groups())
        if prefix1 != prefix2:  # "A1-B5", "W202-208": two different labels, as written
            out.append(_DASH.sub("-", piece.strip()))
            continue
        out.append(_format_one(prefix1, first, last, fmt, delimiter))
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
