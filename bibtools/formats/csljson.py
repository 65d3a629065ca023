"""CSL-JSON, as Zotero, pandoc, citation-js and Manubot exchange it.

Close to the identity: the model is CSL-shaped. Keys that are not CSL
variables are kept in ``Item.extra`` and written back under ``custom``.

Reading is checked against the shapes of the CSL-JSON schema (csl-data.json):
a value of the wrong shape (a ``type`` that is an object, ``date-parts`` that
is a number, a name that is not an object...) is reported with the item's id
and kept in the nearest form the model holds (text, a literal name or date);
the rest of the item is read as usual, and one unreadable item never costs
the file. Ids are kept as written, repeats too (``lint`` reports them); the
commands make keys unique when they read (``keys.resolve_repeated_keys``).
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from ..diagnostics import Diagnostic, error, warning
from ..mappings.csljson import ALIASES as CSL_ALIASES
from ..model import Date, Item, Library, Name, Origin
from ..registry import Format
from ..variables import ITEM_TYPES, NUMBER_VARIABLES, is_variable, kind_of
from . import _jsontext

# Keys only API records carry (Crossref title lists, OpenAlex authorships, S2 paperId).
_API_MARKERS = re.compile(
    r'"(?:title"\s*:\s*\[|paperId|externalIds|publication_year|authorships|\$oid)"?'
)
_RAW_DATE = re.compile(r"^\s*(-?\d{1,4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?\s*$")
_INT_TEXT = re.compile(r"^\s*-?\d+\s*$")

# The parts of a CSL name object: text parts, and flags (schema: string, number or boolean).
_NAME_TEXT = {
    "family": "family", "given": "given", "dropping-particle": "dropping_particle",
    "non-dropping-particle": "non_dropping_particle", "suffix": "suffix", "literal": "literal",
}
_NAME_FLAGS = {"comma-suffix": "comma_suffix", "static-ordering": "static_ordering", "parse-names": None}


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


def _shape(value: Any) -> str:
    """A JSON value's kind, as a reader of the message would name it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _json_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


class _Checker:
    """Reports wrong shapes for one item, with its id, source and line."""

    __slots__ = ("problems", "source", "key", "line")

    def __init__(self, source: str | None, line: int | None) -> None:
        self.problems: list[Diagnostic] = []
        self.source = source
        self.key: str | None = None
        self.line = line

    def warn(self, code: str, message: str) -> None:
        self.problems.append(warning(code, message, source=self.source, key=self.key or None, line=self.line))

    # -- text and numbers --------------------------------------------------------
    def text(self, key: str, value: Any, *, number_ok: bool) -> str | None:
        """A text (or number) variable; ``None`` for JSON null (no value)."""
        if isinstance(value, str):
            return value
        if value is None:
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if not number_ok:
                self.warn("csljson.bad-value", f"{key} should be text, not a number; kept as text")
            return _number_text(value)
        if isinstance(value, list) and value and all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value):
            # Crossref-style ["Title"]: the texts themselves, not their JSON
            self.warn("csljson.bad-value", f"{key} should be text, not a list; kept its {len(value)} text(s)")
            return "; ".join(v if isinstance(v, str) else _number_text(v) for v in value)
        self.warn("csljson.bad-value", f"{key} should be text, not {_shape(value)}; kept as JSON text")
        return _json_text(value)

    # -- names ---------------------------------------------------------------------
    def names(self, key: str, value: Any) -> list[Name] | None:
        if value is None:
            return None
        if isinstance(value, dict):
            value = [value]
        if not isinstance(value, list):
            self.warn("csljson.bad-names", f"{key} is {_shape(value)}, not a list of names; kept as a literal name")
            return [Name(literal=_json_text(value) if not isinstance(value, (int, float)) else _number_text(value))]
        names: list[Name] = []
        for position, entry in enumerate(value, 1):
            if isinstance(entry, dict):
                names.append(self.name(key, position, entry))
            elif isinstance(entry, str):
                names.append(Name(literal=entry))
            elif entry is None:
                self.warn("csljson.bad-names", f"{key} name {position} is null; skipped")
            else:
                self.warn("csljson.bad-names", f"{key} name {position} is {_shape(entry)}, not a name object; kept as a literal name")
                names.append(Name(literal=_number_text(entry) if isinstance(entry, (int, float)) and not isinstance(entry, bool) else _json_text(entry)))
        return names

    def name(self, key: str, position: int, data: dict[str, Any]) -> Name:
        parts: dict[str, Any] = {}
        for part, value in data.items():
            if part in _NAME_TEXT:
                if value is None:
                    continue
                if isinstance(value, str):
                    parts[_NAME_TEXT[part]] = value
                elif isinstance(value, (int, float)) and not isinstance(value, bool):
                    parts[_NAME_TEXT[part]] = _number_text(value)
                else:
                    self.warn("csljson.bad-names", f"{key} name {position}: {part} is {_shape(value)}, not text; kept as JSON text")
                    parts[_NAME_TEXT[part]] = _json_text(value)
            elif part in _NAME_FLAGS:
                attr = _NAME_FLAGS[part]
                if attr is not None:
                    if not isinstance(value, (bool, int, float, str)) and value is not None:
                        self.warn("csljson.bad-names", f"{key} name {position}: {part} is {_shape(value)}; read as false")
                        value = False
                    parts[attr] = bool(value) and value not in ("false", "0")
        return Name(**parts)

    # -- dates ---------------------------------------------------------------------
    def date(self, key: str, value: Any) -> Date | None:
        if value is None:
            return None
        if isinstance(value, str):  # some exporters give a bare string
            return _date_from_raw(value)
        if isinstance(value, int) and not isinstance(value, bool):
            self.warn("csljson.bad-date", f"{key} is a number, not a date object; read as the year {value}")
            return Date(parts=((value,),))
        if isinstance(value, list) and value:
            # bare date-parts ([[2000, 5]]) or one bare date ([2000, 5]) without the object around them
            parts = [p for p in (value if all(isinstance(v, list) for v in value) else [value])]
            if all(all(_as_int(n) is not None for n in p) for p in parts):
                self.warn("csljson.bad-date", f"{key} is a list, not a date object; read as its date-parts")
                return Date(parts=self.date_parts(key, parts))
        if not isinstance(value, dict):
            self.warn("csljson.bad-date", f"{key} is {_shape(value)}, not a date object; kept as a literal date")
            return Date(literal=_json_text(value))
        parts = self.date_parts(key, value.get("date-parts"))
        season = value.get("season")
        if season is not None and not isinstance(season, (int, str)) or isinstance(season, bool):
            self.warn("csljson.bad-date", f"{key}: season is {_shape(season)}, not a number or text; kept as text")
            season = _json_text(season)
        literal = self._date_text(key, "literal", value.get("literal"))
        raw = self._date_text(key, "raw", value.get("raw"))
        date = Date(parts=parts, season=season, circa=_flag(value.get("circa")), literal=literal, raw=raw)
        if not parts and raw and literal is None:
            parsed = _date_from_raw(raw)
            if parsed.parts:
                parsed.season, parsed.circa = date.season, date.circa
                return parsed
        if not parts and literal is None and raw is None and "date-parts" in value and value["date-parts"] not in (None, []):
            date.literal = _json_text(value["date-parts"])  # nothing else holds it: keep what was written
        return date

    def _date_text(self, key: str, part: str, value: Any) -> str | None:
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return _number_text(value)
        self.warn("csljson.bad-date", f"{key}: {part} is {_shape(value)}, not text; kept as JSON text")
        return _json_text(value)

    def date_parts(self, key: str, value: Any) -> tuple[tuple[int, ...], ...]:
        """Schema: a list of one or two lists of one to three integers (or integer text)."""
        if value is None:
            return ()
        if not isinstance(value, list):
            self.warn("csljson.bad-date", f"{key}: date-parts is {_shape(value)}, not a list of [year, month, day] lists")
            return ()
        out: list[tuple[int, ...]] = []
        for dp in value:
            if not isinstance(dp, list):
                self.warn("csljson.bad-date", f"{key}: a date-parts entry is {_shape(dp)}, not a [year, month, day] list; skipped")
                continue
            nums: list[int] = []
            for part in dp:
                number = _as_int(part)
                if number is None:
                    if part is not None:  # null stands for a missing month or day
                        self.warn("csljson.bad-date", f"{key}: date part {_json_text(part)!r} is not a whole number; the date stops before it")
                    break
                nums.append(number)
            if len(nums) > 3:
                self.warn("csljson.bad-date", f"{key}: a date has {len(nums)} parts; kept year, month and day")
                nums = nums[:3]
            if nums:
                out.append(tuple(nums))
        if len(out) > 2:
            self.warn("csljson.bad-date", f"{key}: {len(out)} dates in date-parts; kept the first two as a range")
            out = out[:2]
        return tuple(out)


def _number_text(value: int | float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _as_int(part: Any) -> int | None:
    if isinstance(part, bool):
        return None
    if isinstance(part, int):
        return part
    if isinstance(part, float) and part.is_integer():
        return int(part)
    if isinstance(part, str) and _INT_TEXT.match(part):
        return int(part)
    return None


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() not in ("", "false", "0", "no")
    return bool(value) if isinstance(value, (bool, int, float)) else False


def _date_from_csl(value: Any) -> Date | None:
    """A CSL date value -> ``Date`` (wrong shapes give ``None`` or a literal, unreported)."""
    return _Checker(None, None).date("date", value)


def _date_from_raw(raw: str) -> Date:
    pieces = [p for p in re.split(r"/", raw.strip()) if p] or [raw]
    parts: list[tuple[int, ...]] = []
    for piece in pieces:
        m = _RAW_DATE.match(piece)
        if not m:
            return Date(raw=raw)
        parts.append(tuple(int(g) for g in m.groups() if g))
    return Date(parts=tuple(parts), raw=raw)


def item_from_csl(
    data: dict[str, Any], *, source: str | None = None, index: int = 0, line: int | None = None
) -> tuple[Item, list[Diagnostic]]:
    """One CSL-JSON object to an ``Item`` (lenient: wrong shapes are reported, not fatal)."""
    check = _Checker(source, line)
    raw_id = data.get("id", data.get("citation-key"))
    if raw_id in (None, ""):
        item_id = ""  # the key pass names it
        check.warn("csljson.no-id", f"item {index + 1} has no id; a key will be generated")
    elif isinstance(raw_id, str):
        item_id = raw_id
    elif isinstance(raw_id, (int, float)) and not isinstance(raw_id, bool):
        item_id = _number_text(raw_id)
    else:
        item_id = ""
        check.warn("csljson.bad-id", f"item {index + 1} has an id that is {_shape(raw_id)}, not text or a number; a key will be generated")
    check.key = item_id
    item_type = data.get("type")
    if item_type in (None, ""):
        item_type = "document"
    elif not isinstance(item_type, str):
        check.warn("csljson.bad-type", f"type is {_shape(item_type)}, not text; read as \"document\"")
        item_type = "document"
    elif item_type not in ITEM_TYPES:
        check.warn("csljson.unknown-type", f"unknown CSL type {item_type!r}; kept as given")
    item = Item(id=item_id, type=item_type, origin=Origin("csljson", source, line, None))
    for key, value in data.items():
        if key == "type" or key == "id" and (item_id or raw_id in (None, "")):
            continue
        if key == "custom" and isinstance(value, dict):
            for ckey, cvalue in value.items():
                item.extra[ckey] = _json_text(cvalue)
            continue
        if key in CSL_ALIASES and isinstance(value, str) and value and not data.get(CSL_ALIASES[key]):
            key = CSL_ALIASES[key]  # "journalAbbreviation" is container-title-short
        if not is_variable(key):
            item.extra[key] = _json_text(value)  # a wrong-shaped id lands here too: nothing lost
            continue
        kind = kind_of(key)
        converted: Any
        if kind == "name":
            converted = check.names(key, value)
        elif kind == "date":
            converted = check.date(key, value)
        else:
            if isinstance(value, bool):
                check.warn("csljson.bad-value", f"{key} is a boolean, not text; kept as text")
                value = "true" if value else "false"
            converted = check.text(key, value, number_ok=key in NUMBER_VARIABLES)
        if converted is not None:
            item.fields[key] = converted
    return item, check.problems


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


_WS = re.compile(r"[ \t\r\n]*")


def _array_elements(text: str) -> Iterator[tuple[Any, int]]:
    """The elements of a top-level JSON array with their offsets, one at a time.

    Raises ``json.JSONDecodeError`` where the text stops being JSON; what came
    before it has already been yielded, so a damaged file keeps its good items.
    """
    decoder = json.JSONDecoder()
    pos = _WS.match(text, 1).end()  # type: ignore[union-attr]
    if text.startswith("]", pos):
        end = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
        if end != len(text):
            raise json.JSONDecodeError("Extra data", text, end)
        return
    while True:
        value, end = decoder.raw_decode(text, pos)
        yield value, pos
        pos = _WS.match(text, end).end()  # type: ignore[union-attr]
        if text.startswith(",", pos):
            pos = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
            continue
        if text.startswith("]", pos):
            end = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
            if end != len(text):
                raise json.JSONDecodeError("Extra data", text, end)
            return
        raise json.JSONDecodeError("Expecting ',' delimiter", text, pos)


class _Lines:
    """Offset -> 1-based line, counting forward only (items come in order)."""

    def __init__(self, text: str) -> None:
        self.text, self.pos, self.line = text, 0, 1

    def at(self, offset: int) -> int:
        self.line += self.text.count("\n", self.pos, offset)
        self.pos = offset
        return self.line


def read(text: str, *, source: str | None = None, **_: Any) -> Library:
    library = Library()
    stripped = text.lstrip("\ufeff")
    body = stripped.lstrip(" \t\r\n")
    if not body:
        library.diagnostics.append(warning("csljson.empty", "the file is empty", source=source))
        return library
    lines = _Lines(stripped)
    lead = len(stripped) - len(body)
    elements: list[tuple[Any, int | None]] = []
    try:
        if body.startswith("["):
            for value, offset in _array_elements(body):
                elements.append((value, lines.at(lead + offset)))
        else:
            data = json.loads(body)
            if isinstance(data, dict) and isinstance(data.get("items"), list):
                elements = [(obj, None) for obj in data["items"]]
            elif isinstance(data, dict):
                elements = [(data, lines.at(lead))]
            else:
                library.diagnostics.append(error(
                    "csljson.shape", f"expected a list of CSL items, got a JSON {type(data).__name__}", source=source))
                return library
    except json.JSONDecodeError as exc:
        kept = f"; the {len(elements)} item(s) before it were read" if elements else ""
        library.diagnostics.append(error(
            "csljson.syntax", f"not valid JSON: {exc.msg} (column {exc.colno}){kept}", source=source,
            line=stripped.count("\n", 0, lead + exc.pos) + 1))
    except ValueError as exc:  # e.g. an integer of more digits than Python converts
        library.diagnostics.append(error("csljson.syntax", f"not readable JSON: {exc}", source=source))
    except RecursionError:  # hostile nesting ([[[[...]]]]) must not escape the reader
        library.diagnostics.append(error("csljson.too-deep", "JSON nested too deeply to read", source=source, line=1))
    _add_items(library, elements, source)
    return library


def _add_items(library: Library, elements: list[tuple[Any, int | None]], source: str | None) -> None:
    for index, (obj, line) in enumerate(elements):
        if not isinstance(obj, dict):
            library.diagnostics.append(error(
                "csljson.shape", f"item {index + 1} is a JSON {type(obj).__name__}, not an object; skipped",
                source=source, line=line))
            continue
        try:
            item, problems = item_from_csl(obj, source=source, index=index, line=line)
        except RecursionError:
            library.diagnostics.append(error(
                "csljson.too-deep", f"item {index + 1} is nested too deeply to read; skipped", source=source, line=line))
            continue
        library.add(item)
        library.diagnostics.extend(problems)


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
    text = _item_text(item, indent)
    return text if text is not None else _jsontext.dumps(item_to_csl(item), indent, 1)


# (attribute, '"key": ') of a name's text parts, in the order Name.to_csl writes them
_NAME_PARTS = tuple((attr, _jsontext.encode_string(key) + ": ") for key, attr in _NAME_TEXT.items())


_SET_APART = {"id", "type", "custom"}  # a field of these names overwrites item_to_csl's own key


def _item_text(item: Item, indent: int) -> str | None:
    """``_jsontext.dumps(item_to_csl(item), indent, 1)`` written from the item itself: no dict per
    item and name on the way (a fifth of a large conversion). None for what it does not know
    (a non-text id, a name flag), which then takes the general way."""
    if type(item.id) is not str or type(item.type) is not str or _SET_APART & item.fields.keys():
        return None
    encode = _jsontext.encode_string
    step = " " * indent
    p2, p3, p4 = step * 2, step * 3, step * 4
    field_break, name_break, part_break = ",\n" + p2, ",\n" + p3, ",\n" + p4
    out = ["{\n", p2, '"id": ', encode(item.id), field_break, '"type": ', encode(item.type)]
    for key, value in item.fields.items():
        kind = type(value)
        out.append(field_break)
        out.append(encode(key))
        if kind is str:
            out.append(": ")
            out.append(encode(value))
        elif kind is list:
            if not value:
                out.append(": []")
                continue
            out.append(": [\n" + p3)
            first = True
            for name in value:
                if type(name) is not Name or name.comma_suffix or name.static_ordering:
                    return None
                if not first:
                    out.append(name_break)
                first = False
                parts = []
                for attr, label in _NAME_PARTS:
                    text = getattr(name, attr)
                    if text is None or text == "":
                        continue
                    if type(text) is not str:
                        return None
                    parts.append(label + encode(text))
                out.append("{\n" + p4 + part_break.join(parts) + "\n" + p3 + "}" if parts else "{}")
            out.append("\n" + p2 + "]")
        elif kind is Date:
            out.append(": ")
            out.append(_jsontext.dumps(value.to_csl(), indent, 2))
        else:
            return None
    if item.extra:
        out.append(field_break)
        out.append('"custom": ')
        out.append(_jsontext.dumps(dict(item.extra), indent, 2))
    out.append("\n" + step + "}")
    return "".join(out)


class ItemWriter:
    """``Format.item_writer``: the array ``write`` gives, one item at a time."""

    def __init__(self, out: IO[str], options: dict[str, Any], file_blocks: Callable[[], Library | None]) -> None:
        indent = options.get("indent", 2)
        if type(indent) is not int or indent < 0:
            from ..textstream import NotStreamable

            raise NotStreamable("CSL-JSON with this indent is written whole")
        self.out, self.pad, self.indent, self.count = out, " " * indent, indent, 0

    def item(self, item: Item) -> None:
        self.out.write(("[\n" if self.count == 0 else ",\n") + self.pad + item_json(item, self.indent))
        self.count += 1

    def comments(self, comments: list[str]) -> None:
        pass  # CSL-JSON has no place for them

    def finish(self) -> None:
        self.out.write("\n]\n" if self.count else "[]\n")


FORMAT = Format(
    name="csljson",
    description="CSL-JSON (Zotero, pandoc, citation-js, Manubot)",
    suffixes=(".json", ".csl.json", ".csljson"),
    sniff=sniff,
    read=read,
    write=write,
    aliases=("csl-json", "csl", "json"),
    item_writer=ItemWriter,
)
