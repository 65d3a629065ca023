"""CSL-JSON, as Zotero, pandoc, citation-js and Manubot exchange it.

Close to the identity: the model is CSL-shaped. Keys that are not CSL
variables are kept in ``Item.extra`` and written back under ``custom``.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from ..diagnostics import Diagnostic, error, warning
from ._apijson import date_parts
from ..model import Date, Item, Library, Name, Origin
from ..registry import Format
from ..variables import ITEM_TYPES, is_variable, kind_of
from . import _jsontext

# Keys only API records carry (Crossref title lists, OpenAlex authorships, S2 paperId).
_API_MARKERS = re.compile(
    r'"(?:title"\s*:\s*\[|paperId|externalIds|publication_year|authorships|\$oid)"?'
)
_RAW_DATE = re.compile(r"^\s*(-?\d{1,4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?\s*$")


def sniff(text: str) -> float:
    head = text.lstrip("\ufeff \t\r\n")[:2000]
    if not head.startswith(("[", "{")):
        return 0.0
    score = 0.3
    if re.search(r'"(type|title|author|issued|container-title)"\s*:', head):
        score = 0.9
    if '"message"' in head or '"DOI"' in head and '"message-type"' in head:
        score = 0.2  # a Crossref response, not CSL-JSON
    if _API_MARKERS.search(head):
        score = min(score, 0.2)  # Crossref/OpenAlex/Semantic Scholar records, not CSL-JSON
    return score


def _date_from_csl(value: Any) -> Date | None:
    if isinstance(value, str):  # some exporters give a bare string
        return _date_from_raw(value)
    if not isinstance(value, dict):
        return None
    parts = date_parts(value)
    date = Date(
        parts=parts,
        season=value.get("season"),
        circa=bool(value.get("circa")),
        literal=value.get("literal"),
        raw=value.get("raw"),
    )
    if not parts and date.raw and date.literal is None:
        parsed = _date_from_raw(date.raw)
        if parsed.parts:
            parsed.season, parsed.circa = date.season, date.circa
            return parsed
    return date


def _date_from_raw(raw: str) -> Date:
    pieces = [p for p in re.split(r"/", raw.strip()) if p] or [raw]
    parts: list[tuple[int, ...]] = []
    for piece in pieces:
        m = _RAW_DATE.match(piece)
        if not m:
            return Date(raw=raw)
        parts.append(tuple(int(g) for g in m.groups() if g))
    return Date(parts=tuple(parts), raw=raw)


def item_from_csl(data: dict[str, Any], *, source: str | None = None, index: int = 0) -> tuple[Item, list[Diagnostic]]:
    """One CSL-JSON object to an ``Item`` (lenient: wrong shapes are reported, not fatal)."""
    problems: list[Diagnostic] = []
    raw_id = data.get("id", data.get("citation-key"))
    item_id = str(raw_id) if raw_id not in (None, "") else ""  # the key pass names it
    if raw_id in (None, ""):
        problems.append(warning("csljson.no-id", f"item {index + 1} has no id; a key will be generated", source=source))
    item_type = data.get("type") or "document"
    if item_type not in ITEM_TYPES:
        problems.append(warning("csljson.unknown-type", f"unknown CSL type {item_type!r}; kept as given", source=source, key=item_id))
    item = Item(id=item_id, type=str(item_type), origin=Origin("csljson", source, None, None))
    for key, value in data.items():
        if key in ("id", "type"):
            continue
        if key == "custom" and isinstance(value, dict):
            for ckey, cvalue in value.items():
                item.extra[ckey] = cvalue if isinstance(cvalue, str) else json.dumps(cvalue, ensure_ascii=False)
            continue
        if not is_variable(key):
            item.extra[key] = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            continue
        kind = kind_of(key)
        if kind == "name":
            if isinstance(value, dict):
                value = [value]
            if not isinstance(value, list):
                problems.append(warning("csljson.bad-names", f"{key} is not a list of names; kept as literal", source=source, key=item_id))
                value = [{"literal": str(value)}]
            names = []
            for n in value:
                if isinstance(n, dict):
                    names.append(Name.from_csl(n))
                elif isinstance(n, str):
                    names.append(Name(literal=n))
            item.fields[key] = names
        elif kind == "date":
            date = _date_from_csl(value)
            if date is None:
                problems.append(warning("csljson.bad-date", f"{key} is not a date; kept as literal", source=source, key=item_id))
                date = Date(literal=str(value))
            item.fields[key] = date
        else:
            if isinstance(value, (list, dict)):
                problems.append(warning("csljson.bad-value", f"{key} should be text; kept as JSON text", source=source, key=item_id))
                value = json.dumps(value, ensure_ascii=False)
            elif isinstance(value, bool) or value is None:
                continue
            item.fields[key] = str(value)
    return item, problems


def item_to_csl(item: Item) -> dict[str, Any]:
    out: dict[str, Any] = {"id": item.id, "type": item.type}
    for key, value in item.fields.items():
        if isinstance(value, Date):
            out[key] = value.to_csl()
        elif isinstance(value, list):
            out[key] = [n.to_csl() for n in value]
        else:
            out[key] = value
    if item.extra:
        out["custom"] = dict(item.extra)
    return out


def read(text: str, *, source: str | None = None, **_: Any) -> Library:
    library = Library()
    stripped = text.lstrip("\ufeff")
    if not stripped.strip():
        library.diagnostics.append(warning("csljson.empty", "the file is empty", source=source))
        return library
    try:
        data = json.loads(stripped)
    except json.JSONDecodeError as exc:
        library.diagnostics.append(error("csljson.syntax", f"not valid JSON: {exc.msg} (column {exc.colno})", source=source, line=exc.lineno))
        return library
    except RecursionError:  # hostile nesting ([[[[...]]]]) must not escape the reader
        library.diagnostics.append(error("csljson.too-deep", "JSON nested too deeply to read", source=source, line=1))
        return library
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        data = data["items"]
    elif isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        library.diagnostics.append(error("csljson.shape", f"expected a list of CSL items, got a JSON {type(data).__name__}", source=source))
        return library
    for index, obj in enumerate(data):
        if not isinstance(obj, dict):
            library.diagnostics.append(
                error("csljson.shape", f"item {index + 1} is a JSON {type(obj).__name__}, not an object; skipped", source=source)
            )
            continue
        item, problems = item_from_csl(obj, source=source, index=index)
        library.add(item)
        library.diagnostics.extend(problems)
    return library


def write(library: Library, *, indent: int | None = 2, **_: Any) -> str:
    if type(indent) is not int or indent < 0:
        return json.dumps([item_to_csl(item) for item in library], ensure_ascii=False, indent=indent) + "\n"
    return write_items(library, indent=indent)


def write_items(items: Iterable[Item], *, indent: int = 2) -> str:
    """The array text ``write`` gives, built item by item (``stream`` writes the same pieces)."""
    parts = [item_json(item, indent) for item in items]
    if not parts:
        return "[]\n"
    pad = " " * indent
    return "[\n" + pad + (",\n" + pad).join(parts) + "\n]\n"


def item_json(item: Item, indent: int = 2) -> str:
    """One item as it appears inside the indented array (its first line unindented)."""
    return _jsontext.dumps(item_to_csl(item), indent, 1)


FORMAT = Format(
    name="csljson",
    description="CSL-JSON (Zotero, pandoc, citation-js, Manubot)",
    suffixes=(".json", ".csl.json", ".csljson"),
    sniff=sniff,
    read=read,
    write=write,
    aliases=("csl-json", "csl", "json"),
)
