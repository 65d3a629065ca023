"""What the API JSON readers (Crossref, OpenAlex, Semantic Scholar) share.

Not a format: a few tolerant helpers for JSON documents, JSON Lines, recorded
HTTP responses (``{"response": ...}`` wrappers) and dates.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from ..diagnostics import Diagnostic, error
from ..model import Date

JsonObj = dict[str, Any]


def load_documents(text: str, fmt: str, source: str | None) -> tuple[list[tuple[Any, int | None]], list[Diagnostic]]:
    """One JSON document, or JSON Lines (one object per line), with line numbers for JSONL."""
    stripped = text.lstrip("\ufeff")
    try:
        return [(json.loads(stripped), None)], []
    except json.JSONDecodeError as exc:
        whole_error = exc
    docs: list[tuple[Any, int | None]] = []
    problems: list[Diagnostic] = []
    lines = stripped.splitlines()
    if len([ln for ln in lines if ln.strip()]) < 2:
        problems.append(error(f"{fmt}.syntax", f"not valid JSON: {whole_error.msg}", source=source, line=whole_error.lineno))
        return [], problems
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            docs.append((json.loads(line), number))
        except json.JSONDecodeError as exc:
            problems.append(error(f"{fmt}.syntax", f"line is not valid JSON: {exc.msg}; skipped", source=source, line=number))
    return docs, problems


def iter_records(data: Any, is_record: Callable[[JsonObj], bool], list_keys: tuple[str, ...]) -> Iterator[JsonObj]:
    """Records inside API envelopes: lists, ``message``/``results``/``data``, recorded responses."""
    if isinstance(data, list):
        for element in data:
            yield from iter_records(element, is_record, list_keys)
        return
    if not isinstance(data, dict):
        return
    if is_record(data):
        yield data
        return
    for key in ("response", "message", "body", *list_keys):
        if key in data and isinstance(data[key], (dict, list)):
            yield from iter_records(data[key], is_record, list_keys)
            return


def date_parts(value: Any) -> tuple[tuple[int, ...], ...]:
    """The integer ``date-parts`` of a Crossref/CSL date object (nulls and junk dropped)."""
    parts: list[tuple[int, ...]] = []
    for dp in as_list(value.get("date-parts")) if isinstance(value, dict) else []:
        nums: list[int] = []
        for part in dp if isinstance(dp, list) else []:
            try:
                nums.append(int(part))
            except (TypeError, ValueError):
                break
        if nums:
            parts.append(tuple(nums))
    return tuple(parts)


def date_from_parts(value: Any) -> Date | None:
    """Crossref/CSL ``{"date-parts": [[y, m, d]]}`` -> ``Date``, or None when it holds no date."""
    parts = date_parts(value)
    return Date(parts=parts) if parts else None


_ISO_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


def date_from_iso(value: Any) -> Date | None:
    """"2023-02-13", "2023-02-13T10:00:00Z", "2023" or an int year -> ``Date``."""
    if isinstance(value, int) and not isinstance(value, bool):
        return Date(parts=((value,),))
    if not isinstance(value, str):
        return None
    m = _ISO_DATE.match(value)
    if not m:
        return None
    parts = tuple(int(g) for g in m.groups() if g)
    if len(parts) > 1 and not 1 <= parts[1] <= 12:
        parts = parts[:1]
    elif len(parts) > 2 and not 1 <= parts[2] <= 31:
        parts = parts[:2]
    return Date(parts=(parts,))


def as_obj(value: Any) -> JsonObj:
    """``value`` if it is a JSON object, else an empty one (API fields are often null)."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    """``value`` as a list: a list as it is, one string or object as a list of one, anything else
    (null, a number, ``true``) as none. API fields declared as arrays are not always arrays."""
    if isinstance(value, list):
        return value
    if isinstance(value, (str, dict)):
        return [value]
    return []


def first_text(value: Any) -> str | None:
    """A string, or the first non-empty string of a list."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list):
        for element in value:
            if isinstance(element, str) and element.strip():
                return element.strip()
    return None


def json_sniff_head(text: str) -> str | None:
    """The start of a JSON/JSONL text, or ``None`` when it is not JSON-shaped."""
    head = text.lstrip("\ufeff \t\r\n")
    return head[:65536] if head.startswith(("[", "{")) else None
