"""BibLaTeX/EDTF dates and BibTeX year+month, to and from the model's ``Date``.

BibLaTeX's ``date`` fields take ISO 8601 with EDTF level 0/1 extensions:
ranges ``2020-05/2021-01`` (a season in a range is CSL-JSON's month 13-16), open ranges ``2020/..`` (or ``2020/``), circa
``2019~`` (also ``?`` and ``%``), unspecified digits ``199X`` (read as the
range they stand for: 1990/1999), seasons as months 21-24. An open end is
stored as ``(0,)``, the convention citeproc-js uses for "no end".
Classic BibTeX has ``year`` + ``month`` (a macro ``jan``, a name, or a
number) and sometimes ``day``.
"""
from __future__ import annotations

import re

from ..model import Date

MONTH_NAMES: dict[str, int] = {}
for _i, _names in enumerate((
    ("january", "jan", "janvier", "januar", "enero", "gennaio", "jän", "jänner"),
    ("february", "feb", "février", "fevrier", "februar", "febrero", "febbraio"),
    ("march", "mar", "mars", "märz", "marz", "marzo"),
    ("april", "apr", "avril", "abril", "aprile"),
    ("may", "mai", "mayo", "maggio"),
    ("june", "jun", "juin", "juni", "junio", "giugno"),
    ("july", "jul", "juillet", "juli", "julio", "luglio"),
    ("august", "aug", "août", "aout", "agosto"),
    ("september", "sep", "sept", "septembre", "septiembre", "settembre"),
    ("october", "oct", "octobre", "oktober", "okt", "octubre", "ottobre"),
    ("november", "nov", "novembre", "noviembre"),
    ("december", "dec", "décembre", "decembre", "dezember", "dez", "diciembre", "dicembre"),
), start=1):
    for _n in _names:
        MONTH_NAMES[_n] = _i
MONTH_MACRO_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
SEASONS: dict[str, int] = {"spring": 1, "summer": 2, "autumn": 3, "fall": 3, "winter": 4}

_EDTF_POINT = re.compile(r"^(-?\d{4}|\d{1,3}|\d{2}XX|\d{3}X|\d{4})(?:-(\d{1,2}|XX))?(?:-(\d{1,2}|XX))?"
                         r"(?:T[\d:.]+(?:Z|[+-]\d\d:?\d\d)?)?([~?%]?)$", re.I)


def _point(text: str) -> tuple[tuple[tuple[int, ...], ...], bool, int | None] | None:
    """One EDTF point -> (parts, approximate, season); parts is 1 tuple, or 2 for ``199X``."""
    m = _EDTF_POINT.match(text.strip())
    if not m:
        return None
    year_s, month_s, day_s, flag = m.groups()
    approximate = bool(flag)
    if "x" in year_s.lower():
        low = int(year_s.upper().replace("X", "0"))
        high = int(year_s.upper().replace("X", "9"))
        return ((low,), (high,)), approximate, None
    year = int(year_s)
    season = None
    parts: list[int] = [year]
    if month_s and month_s.upper() != "XX":
        month = int(month_s)
        if 21 <= month <= 24:
            season = month - 20
        elif 1 <= month <= 12:
            parts.append(month)
            if day_s and day_s.upper() != "XX":
                day = int(day_s)
                if not 1 <= day <= 31:
                    return None
                parts.append(day)
        else:
            return None
    return (tuple(parts),), approximate, season


def parse_edtf(text: str) -> Date:
    """A BibLaTeX ``date`` value -> ``Date`` (a literal when it is not a date)."""
    raw = text.strip()
    if not raw:
        return Date(literal="")
    if "/" in raw:
        start_s, _, end_s = raw.partition("/")
        _Point = tuple[tuple[tuple[int, ...], ...], bool, int | None]
        open_end: _Point = (((0,),), False, None)
        start: _Point | None = _point(start_s) if start_s.strip() not in ("", "..") else open_end
        end: _Point | None = open_end if end_s.strip() in ("", "..") else _point(end_s)
        if start is None or end is None:
            return Date(literal=raw)
        first, last = start[0][0], end[0][-1]
        # a season inside a range has no ``season`` slot: CSL-JSON's months 13-16 hold it
        if start[2] is not None:
            first = first[:1] + (12 + start[2],)
        if end[2] is not None:
            last = last[:1] + (12 + end[2],)
        return Date(parts=(first, last), circa=start[1] or end[1])
    point = _point(raw)
    if point is None:
        return Date(literal=raw)
    parts, approximate, season = point
    return Date(parts=parts, circa=approximate, season=season)


def parse_month(text: str) -> tuple[int | None, int | None]:
    """A BibTeX ``month`` value -> (month, day); (None, None) when not understood."""
    t = text.strip().strip(".").lower()
    if not t:
        return None, None
    if t.isdigit():
        n = int(t)
        return (n, None) if 1 <= n <= 12 else (None, None)
    m = re.match(r"^([^\W\d_]+)\.?[\s~]*(\d{1,2})?(?:st|nd|rd|th)?$", t)
    if m and m.group(1) in MONTH_NAMES:
        return MONTH_NAMES[m.group(1)], int(m.group(2)) if m.group(2) else None
    m = re.match(r"^(\d{1,2})\.?[\s~]+([^\W\d_]+)\.?$", t)
    if m and m.group(2) in MONTH_NAMES:
        return MONTH_NAMES[m.group(2)], int(m.group(1))
    return None, None


def from_year_month(year: str | None, month: str | None = None, day: str | None = None) -> tuple[Date | None, bool]:
    """BibTeX year/month/day -> (Date, whether month and day were both understood)."""
    if not year or not year.strip():
        return None, month is None and day is None
    y = year.strip()
    m_year = re.match(r"^(-?\d{1,4})$", y)
    if not m_year:
        ranged = re.match(r"^(\d{4})\s*(?:--?|\u2013|/)\s*(\d{4})$", y)
        if ranged:
            return Date(parts=((int(ranged.group(1)),), (int(ranged.group(2)),))), month is None and day is None
        return Date(literal=y), month is None and day is None
    parts: list[int] = [int(m_year.group(1))]
    understood = True
    season = None
    if month is not None:
        mon, mday = parse_month(month)
        if mon is None and month.strip().lower() in SEASONS:
            season = SEASONS[month.strip().lower()]
        elif mon is None:
            understood = False
        else:
            parts.append(mon)
            if mday is not None and day is None:
                parts.append(mday)
            elif mday is not None:
                understood = False
    if day is not None:
        if len(parts) == 2 and day.strip().isdigit() and 1 <= int(day) <= 31:
            parts.append(int(day))
        else:
            understood = False
    return Date(parts=(tuple(parts),), season=season), understood


# --------------------------------------------------------------------------- writing

def _fmt_point(part: tuple[int, ...]) -> str:
    if not part or part == (0,):
        return ".."
    out = f"{part[0]:04d}" if part[0] >= 0 else f"-{-part[0]:04d}"
    if len(part) > 1 and 13 <= part[1] <= 16:  # CSL-JSON's season months -> EDTF's 21-24
        return out + f"-{part[1] + 8}"
    if len(part) > 1:
        out += f"-{part[1]:02d}"
    if len(part) > 2:
        out += f"-{part[2]:02d}"
    return out


def is_edtf_representable(date: Date) -> bool:
    return bool(date.parts) and date.literal is None


def format_edtf(date: Date) -> str | None:
    """``Date`` -> BibLaTeX ``date`` text, or None when only a literal can hold it."""
    if not date.parts:
        return None
    first = _fmt_point(date.parts[0])
    if date.season is not None and len(date.parts[0]) == 1 and isinstance(date.season, int) and 1 <= date.season <= 4:
        first += f"-{20 + date.season}"
    if date.circa:
        first += "~"
    if len(date.parts) > 1:
        return f"{first}/{_fmt_point(date.parts[1])}"
    return first


def simple_year_month(date: Date) -> tuple[str, int | None, int | None] | None:
    """(year, month, day) when classic ``year``/``month``/``day`` fields hold ``date`` exactly."""
    if date.literal is not None or len(date.parts) != 1 or date.circa or not date.parts[0]:
        return None
    if date.season is not None:
        return None
    p = date.parts[0]
    if p[0] < 0:
        return None
    return str(p[0]), (p[1] if len(p) > 1 else None), (p[2] if len(p) > 2 else None)
