"""One BibTeX/BibLaTeX entry <-> one ``Item``, driven by ``mappings.bibtex``.

Reading rules, in order:
1. name lists (``author``, ``editor``, ...) -> lists of ``Name``;
2. titles joined with their subtitle/addon fields;
3. fields competing for one CSL variable (``journaltitle``/``journal``/
   ``booktitle``...) - the first present wins, the rest stay in ``extra``;
4. dates: ``date`` (EDTF) wins over ``year``/``month``/``day``, which are
   dropped when they agree with it and kept in ``extra`` when not;
5. one-to-one fields; a field named like a CSL variable maps to it (that is
   how the writer stores CSL variables BibTeX has no field for);
6. everything else -> ``extra`` (LaTeX-decoded unless verbatim).
Text variables hold CSL rich text; numbers and names hold plain text;
verbatim fields (url, doi, file, eprint...) are never decoded.
"""
from __future__ import annotations

import re

from ...diagnostics import Diagnostic, warning
from ...mappings.bibtex import (
    DATE_FIELDS,
    GENRE_KEYS,
    IMPLIED_GENRE,
    NAME_FIELDS,
    NUMBER_IS_COLLECTION,
    NUMBER_IS_ISSUE,
    PRIORITY_FIELDS,
    SIMPLE_FIELDS,
    SUBTITLES,
    SUBTYPE_TO_CSL,
    TYPE_TO_CSL,
    VERBATIM_FIELDS,
    is_verbatim,
)
from ...model import Date, FieldValue, Item, Origin
from ...text.bibnames import AND_OTHERS_KEY, split_names
from ...text.dates import from_year_month, parse_edtf, parse_month
from ...text.latex import latex_to_rich, latex_to_text
from .writer import generated_label_keys
from ...variables import ALL_VARIABLES, ITEM_TYPES, kind_of

_PAGE_DASH = re.compile(r"\s*[-\u2010-\u2015\u2212]+\s*")


def date_text(value: str) -> str:
    """Date fields are not prose: ``~`` is EDTF's circa, not a tie."""
    return latex_to_text(value) if "\\" in value else value.replace("{", "").replace("}", "")


_CSL_BY_LOWER: dict[str, str] = {v.lower(): v for v in ALL_VARIABLES}
_TITLE_END = (".", "?", "!", ":", ";")


def _join_title(main: str, sub: str | None) -> str:
    if not sub:
        return main
    return f"{main} {sub}" if main.rstrip().endswith(_TITLE_END) else f"{main}: {sub}"


def unwrap_braces(value: str) -> str:
    """``{10.1016/x}`` (Web of Science's ``DOI = {{...}}``) -> ``10.1016/x``: a code value has no case to protect."""
    while len(value) > 1 and value[0] == "{" and value[-1] == "}" and _outer_group_ends_last(value):
        value = value[1:-1].strip()
    return value


def _outer_group_ends_last(value: str) -> bool:
    depth = 0
    for i, c in enumerate(value):
        depth += c == "{"
        depth -= c == "}"
        if depth == 0:
            return i == len(value) - 1
    return False


def decode_value(variable: str, native: str, value: str) -> FieldValue:
    """A native value -> the model's shape for ``variable``."""
    if native in VERBATIM_FIELDS or variable in ("DOI", "URL", "ISBN", "ISSN", "PMID", "PMCID"):
        return unwrap_braces(value)
    kind = kind_of(variable)
    if kind == "date":
        return parse_edtf(date_text(value))
    if kind == "number":
        if variable == "page":
            return _PAGE_DASH.sub("-", latex_to_text(value.replace("--", "-")))
        return latex_to_text(value)
    return latex_to_rich(value)


def entry_to_item(
    etype: str,
    key: str,
    native: dict[str, str],
    *,
    source: str | None = None,
    line: int | None = None,
    format_name: str = "bibtex",
) -> tuple[Item, list[Diagnostic]]:
    problems: list[Diagnostic] = []
    csl_type = TYPE_TO_CSL.get(etype)
    if csl_type is None:
        csl_type = etype if etype in ITEM_TYPES else "document"
    # a blank field says nothing; the reader never gives one, so first check at C speed
    left = dict(native) if all(map(str.strip, native.values())) else {k: v for k, v in native.items() if v.strip()}
    hinted = left.get("entrytype", "").strip().lower() if etype == "misc" else ""
    if hinted in TYPE_TO_CSL:  # the classic writer's @misc for a type classic styles lack
        csl_type, etype = TYPE_TO_CSL[hinted], hinted
        del left["entrytype"]
    csl_type = SUBTYPE_TO_CSL.get((etype, left.get("entrysubtype", "").strip().lower()), csl_type)
    item = Item(id=key, type=csl_type, origin=Origin(format_name, source, line, etype))
    fields = item.fields

    # 1. names
    others: list[str] = []
    for name_field, variable in NAME_FIELDS.items():
        if name_field in left:
            names, and_others = split_names(left.pop(name_field))
            if names or and_others:
                fields[variable] = names
            if and_others:
                others.append(variable)

    # 2-3. titles and competing fields
    if "title" in left:
        fields["title"] = latex_to_rich(_join_title(left.pop("title"), left.pop("subtitle", None)))
    for variable, candidates in PRIORITY_FIELDS.items():
        if variable == "issue":
            continue
        for native_name in candidates:
            if native_name in left and variable not in fields:
                value = left.pop(native_name)
                if native_name in SUBTITLES:
                    value = _join_title(value, left.pop(SUBTITLES[native_name], None))
                fields[variable] = latex_to_rich(value)
    if "number" in left:
        if etype in NUMBER_IS_ISSUE:
            fields["issue"] = decode_value("issue", "number", left.pop("number"))
        elif etype in NUMBER_IS_COLLECTION:
            fields["collection-number"] = decode_value("collection-number", "number", left.pop("number"))
        else:
            fields["number"] = decode_value("number", "number", left.pop("number"))
    if "issue" in left and "issue" not in fields:
        fields["issue"] = decode_value("issue", "issue", left.pop("issue"))

    # 4. dates
    _read_dates(left, fields, problems, source, line, key)

    # genre: a BibLaTeX localisation key reads as words; @phdthesis implies one
    if "type" in left:
        raw_type = left.pop("type")
        fields["genre"] = latex_to_rich(GENRE_KEYS.get(raw_type.strip().lower(), raw_type))
    elif etype in IMPLIED_GENRE:
        fields["genre"] = IMPLIED_GENRE[etype]

    # 5. one-to-one and CSL-named fields
    for name in list(left):
        target = SIMPLE_FIELDS.get(name) or _CSL_BY_LOWER.get(name)
        if target is None or target in fields:
            continue
        variable = target
        value = left.pop(name)
        if kind_of(variable) == "name":
            names, and_others = split_names(value)
            fields[variable] = names
            if and_others:
                others.append(variable)
        else:
            fields[variable] = decode_value(variable, name, value)

    # 6. the rest, under native names
    for name, value in left.items():
        item.extra[name] = value if is_verbatim(name, value) else latex_to_rich(value)
    if others:
        item.extra[AND_OTHERS_KEY] = " ".join(others)
    if "key" in item.extra and item.extra["key"] in generated_label_keys(item):
        del item.extra["key"]  # the label the classic writer adds to an entry with no author or editor
    return item, problems


def _read_dates(left: dict[str, str], fields: dict[str, FieldValue], problems: list[Diagnostic],
                source: str | None, line: int | None, key: str) -> None:
    for name, variable in DATE_FIELDS.items():
        if name in left and variable not in fields:
            date = parse_edtf(date_text(left.pop(name)))
            if date.literal is not None and name == "date":
                problems.append(warning("bibtex.bad-date", f"the date {date.literal!r} is not an ISO 8601/EDTF date; kept as text",
                                        source=source, line=line, key=key))
            fields[variable] = date
    year = date_text(left["year"]) if "year" in left else None
    month = latex_to_text(left["month"]) if "month" in left else None
    day = date_text(left["day"]) if "day" in left else None
    if year is None:
        return
    ym, understood = from_year_month(year, month, day)
    if ym is not None and ym.literal is not None and "-" in year:  # an ISO date in the year field
        iso = parse_edtf(year)
        if iso.parts and month is None and day is None:
            ym, understood = iso, True
    issued = fields.get("issued")
    if isinstance(issued, Date):
        # ``date`` wins; year/month/day that agree with it are redundant, others are kept
        start = issued.parts[0] if issued.parts else ()
        if start and year.strip().lstrip("-").isdigit() and int(year) == start[0]:
            left.pop("year")
            if month is not None and len(start) > 1 and parse_month(month) == (start[1], None):
                left.pop("month")
                if day is not None and len(start) > 2 and day.strip().isdigit() and int(day) == start[2]:
                    left.pop("day")
        return
    if ym is None:
        return
    left.pop("year")
    if understood:
        left.pop("month", None)
        left.pop("day", None)
    else:
        # keep the month/day we could not read; the year alone is the date
        ym = Date(parts=((ym.parts[0][0],),)) if ym.parts else ym
    fields["issued"] = ym
