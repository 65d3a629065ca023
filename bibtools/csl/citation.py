"""Citation clusters: positions, cite rendering, collapsing, affixes.

Replaces citeproc-py's ``Layout.render_citation``: cites keep the order given
unless the style sorts them; each cite gets its CSL position (first, subsequent,
ibid, ibid-with-locator, near-note) from the document's history; clusters are
collapsed (citation-number ranges, year, year-suffix) as the style asks.
"""
from __future__ import annotations

import re
from typing import Any, TypedDict

from citeproc import model as cp
from citeproc.string import String, join

from .cptypes import Citation, CitationItem
from .finish import AFFIX_QUOTE_CLOSE, QUOTE_CLOSE, TYPED_CLOSE

_TAG = re.compile(r"<[^>]+>")


class CiteRecord(TypedDict):
    """One cite in the document's history, as positions need it."""

    key: str
    locator: tuple[str, str] | None
    note: int | None
    cluster_size: int


def plain(text: Any) -> str:
    return _TAG.sub("", str(text)) if text is not None else ""


# closing quotes as typed, and as marked while rendering (finish.py)
_CLOSING_QUOTES = "\"'\u201d\u2019\u00bb\u202f\u00a0 " + QUOTE_CLOSE + AFFIX_QUOTE_CLOSE + "".join(TYPED_CLOSE)


def _prefix_ends_sentence(prefix: Any) -> bool:
    """A cite prefix of more than one word that ends a sentence (before any closing
    quotes): a term right after it starts a sentence, as in citeproc-js."""
    text = plain(prefix).rstrip(_CLOSING_QUOTES) if prefix else ""
    return text[-1:] in (":", ".", ";", "!", "?") and " " in plain(prefix).strip()


# a cite's "position" / "near-note" as its caller gave them (citeproc-js's numbers or names)
GIVEN_PREFIX = "_given_"
_POSITION_NAMES = {0: "first", 1: "subsequent", 2: "ibid", 3: "ibid-with-locator"}


def positions(item: CitationItem, previous: CiteRecord | None, history: list[CiteRecord], note_index: int | None, distance: int) -> None:
    """Set ``item['position']`` and ``item['near_note']`` (CSL positions); a position or
    near-note the caller gave wins over the one worked out."""
    _worked_out_positions(item, previous, history, note_index, distance)
    given = dict.get(item, GIVEN_PREFIX + "position")
    if given is not None:
        name = _POSITION_NAMES.get(given, given) if isinstance(given, int) else str(given)
        if name in _POSITION_NAMES.values():
            item["position"] = name
            if name == "first":
                item["near_note"] = False
    near = dict.get(item, GIVEN_PREFIX + "near-note")
    if near is not None:
        item["near_note"] = bool(near)


def _worked_out_positions(item: CitationItem, previous: CiteRecord | None, history: list[CiteRecord], note_index: int | None, distance: int) -> None:
    earlier = [h for h in history if h["key"] == item.key]
    locator = item.get("locator")
    loc = (locator.label, locator.identifier) if locator is not None else None
    if not earlier:
        item["position"] = "first"
        item["near_note"] = False
        return
    position = "subsequent"
    if previous is not None and previous["key"] == item.key:
        if loc is None and previous["locator"] is None:
            position = "ibid"
        elif loc is not None and previous["locator"] != loc:
            position = "ibid-with-locator"
        elif loc is not None and previous["locator"] == loc:
            position = "ibid"
    item["position"] = position
    last = earlier[-1]
    if note_index is not None and last["note"] is not None:
        item["near_note"] = note_index - last["note"] <= distance
    else:
        item["near_note"] = True
    item["first_note"] = earlier[0]["note"]


class _HistoryIndex:
    """The history's records by item key and its cite count by note, kept in step
    with the list (positions looked each cite up in the whole history: quadratic).

    As in citeproc-js, citations in the text (no note number) and citations in notes
    are two sequences: a cite's position is judged among the cites of its own."""

    def __init__(self) -> None:
        self.length = 0
        self.by_key: dict[tuple[bool, str], list[CiteRecord]] = {}
        self.per_note: dict[int | None, int] = {}
        self.last: dict[bool, CiteRecord] = {}  # in notes? -> the last cite recorded there

    def update(self, history: list[CiteRecord]) -> None:
        if len(history) < self.length:  # the history was replaced: index it anew
            self.__init__()  # type: ignore[misc]
        for record in history[self.length:]:
            in_note = bool(record["note"])  # (note 0 is the text, as in citeproc-js)
            self.by_key.setdefault((in_note, record["key"]), []).append(record)
            self.per_note[record["note"]] = self.per_note.get(record["note"], 0) + 1
            self.last[in_note] = record
        self.length = len(history)


def _history_index(registry: Any, history: list[CiteRecord]) -> _HistoryIndex:
    index = getattr(registry, "_history_index", None)
    if index is None:
        index = _HistoryIndex()
        registry._history_index = index
    index.update(history)
    return index


class CitationLayout:
    """Mixin for ``Layout``: what happens to a cluster."""

    def _render_cite(self, item: CitationItem) -> Any:
        self.repressed = {}  # type: ignore[attr-defined]
        item["_names_seen"] = False
        item["_nameset"] = 0  # (names.py numbers the namesets rendered)
        item["_conditions_seen"] = 0  # (disambiguate="true" conditions evaluated)
        item["_year_suffix_done"] = False
        # terms rendered, in order: a note that starts with one is capitalized (_starts_with_term)
        item["_terms"] = [] if self.get_root().get("class") == "note" else None  # type: ignore[attr-defined]
        if dict.get(item, "suppress_author"):
            item["suppress_names"] = True
        text = self.render_children(item)  # type: ignore[attr-defined]
        if dict.get(item, "author_only"):
            names = dict.get(item, "_names")
            return String(names) if names else None
        return text

    def render_citation(self, citation: Citation, callback: Any) -> Any:
        registry = citation.bibliography
        section = self.getparent()  # type: ignore[attr-defined]
        good = [c for c in citation.cites if not c.is_bad()]
        bad = [c for c in citation.cites if c.is_bad()]
        if section.sort is not None and len(good) > 1:
            good = section.sort.sort(good, self)
        history: list[CiteRecord] = registry.history
        note = getattr(citation, "note_index", None)
        distance = int(section.get("near-note-distance", "5"))
        # positions: the previous cite is the one before in this cluster, else the
        # previous cluster if it held exactly one cite
        previous = None
        recorded = _history_index(registry, history)
        in_note = bool(note)
        last = recorded.last.get(in_note)
        if last is not None and last["cluster_size"] == 1:
            previous = last
            last_note = previous["note"]
            if last_note is not None and last_note != note:
                # across notes, ibid needs a note that held nothing but that cite
                if recorded.per_note.get(last_note, 0) > 1:
                    previous = None
        entries: list[tuple[CitationItem, CiteRecord]] = []
        for index, item in enumerate(good):
            prev = previous if index == 0 else entries[-1][1]
            # (only the item's own records matter to positions)
            earlier = recorded.by_key.get((in_note, item.key), []) + [record for _, record in entries if record["key"] == item.key]
            positions(item, prev, earlier, note, distance)
            locator = item.get("locator")
            record: CiteRecord = {
                "key": item.key,
                "locator": (locator.label, locator.identifier) if locator is not None else None,
                "note": note,
                "cluster_size": len(good),
            }
            entries.append((item, record))
        rendered: list[tuple[Any, Any]] = []
        for item, _record in entries:
            try:
                text = self._render_cite(item)
            except cp.VariableError:
                text = None
            if (
                text
                and (not rendered and not item.get("prefix") or _prefix_ends_sentence(item.get("prefix")))
                and self.get_root().get("class") == "note"  # type: ignore[attr-defined]
                and (
                    dict.get(item, "position", "").startswith("ibid")
                    and plain(text).lower().startswith(str(self.get_single_term(name="ibid")).lower() or "\0")  # type: ignore[attr-defined]
                    or _starts_with_term(item, text)
                )
            ):
                text = _capitalize_first(text)
            rendered.append((item, text if text and plain(text).strip() else None))
        if rendered and not any(text for _, text in rendered):
            # what citeproc-js prints for a cluster the style renders as nothing
            rendered = [(rendered[0][0], String("[CSL STYLE ERROR: reference with no printed form.]"))]
        for _item, record in entries:
            history.append(record)
        pieces = self._collapse(rendered, section)
        out = []
        for piece in pieces:
            out.append(piece)
        for item in bad:
            out.append(callback(item) or f"{item.key}?")
        if not out:
            return None
        text = out[0]
        for index in range(1, len(out)):
            text = text + out[index]
        if good and all(dict.get(item, "author_only") for item in good):
            return text  # "Doe" for a narrative citation: no layout affixes
        return self.format(self.wrap(text))  # type: ignore[attr-defined]

    # -- collapsing -----------------------------------------------------
    def _affixed(self, item: Any, text: Any) -> Any:
        prefix = item.get("prefix") or ""
        suffix = item.get("suffix") or ""
        if not text:
            return text
        if prefix and not str(prefix).endswith(" ") and plain(prefix)[-1:].isalnum():
            prefix = prefix + " "
        if suffix and plain(suffix)[:1].isalnum():
            suffix = " " + suffix
        return prefix + text + suffix

    def _collapse(self, rendered: list[tuple[Any, Any]], section: Any) -> list[Any]:
        delimiter = self.get("delimiter", "")  # type: ignore[attr-defined]
        collapse = section.get("collapse")
        items = [(item, text) for item, text in rendered if text]
        if not items:
            return []
        if collapse == "citation-number":
            return self._collapse_numbers(items, delimiter, section)
        if collapse in ("year", "year-suffix", "year-suffix-ranged") or section.get("cite-group-delimiter"):
            items = _group_by_names(items)
        if collapse in ("year", "year-suffix", "year-suffix-ranged"):
            return self._collapse_years(items, delimiter, section, collapse)
        if section.get("cite-group-delimiter"):
            return self._collapse_years(items, delimiter, section, "none")
        out: list[Any] = []
        for number, (item, text) in enumerate(items):
            if number and not _prefix_punctuated(item):
                out.append(String(_delimiter_after(items[number - 1][0], delimiter)))
            out.append(self._affixed(item, text))
        return out

    def _collapse_numbers(self, items: list[tuple[Any, Any]], delimiter: str, section: Any) -> list[Any]:
        runs: list[list[tuple[Any, Any]]] = []
        for item, text in items:
            plain_affixes = not item.get("prefix") and not item.get("suffix") and item.get("locator") is None
            if (
                runs
                and plain_affixes
                and runs[-1][-1][0].get("_collapsible")
                and runs[-1][-1][0].number + 1 == item.number
            ):
                runs[-1].append((item, text))
            else:
                runs.append([(item, text)])
            item["_collapsible"] = plain_affixes
        out: list[Any] = []
        after = section.get("after-collapse-delimiter", delimiter)
        for number, run in enumerate(runs):
            if number:
                out.append(String(after if len(runs[number - 1]) >= 3 else delimiter))
            if len(run) >= 3:
                dash = self.unicode_character("EN DASH")  # type: ignore[attr-defined]
                out.append(run[0][1] + dash + run[-1][1])
            else:
                for index, (item, text) in enumerate(run):
                    if index:
                        out.append(String(delimiter))
                    out.append(self._affixed(item, text))
        return out

    def _collapse_years(self, items: list[tuple[Any, Any]], delimiter: str, section: Any, collapse: str) -> list[Any]:
        groups: list[list[tuple[Any, Any]]] = []
        for item, text in items:
            names = item.get("_names") or ""  # (cites that print no names group together too)
            if groups and (groups[-1][0][0].get("_names") or "") == names and not item.get("prefix"):
                groups[-1].append((item, text))
            else:
                groups.append([(item, text)])
        # collapsed cites join with ", " in in-text styles, with the layout's delimiter in note styles (citeproc-js)
        in_text = self.get_root().get("class") == "in-text"  # type: ignore[attr-defined]
        cite_group_delimiter = section.get("cite-group-delimiter", ", " if in_text else delimiter)
        after = section.get("after-collapse-delimiter", delimiter)
        suffix_delimiter = section.get("year-suffix-delimiter", section.get("cite-group-delimiter", delimiter))
        out: list[Any] = []
        for number, group in enumerate(groups):
            if number:
                out.append(String(_group_delimiter(groups[number - 1], delimiter, section, collapse)))
            first_item, first_text = group[0]
            out.append(self._affixed(first_item, first_text))
            run_start, run_head = len(out), first_item  # bare year-suffixes after a full cite
            for index in range(1, len(group)):
                item, _ = group[index]
                prev_item = group[index - 1][0]
                short = None
                if collapse != "year" and item.get("locator") is None and prev_item.get("locator") is None:
                    suffix = item.reference.get("year_suffix")
                    if suffix and _year_of(item) == _year_of(prev_item) and prev_item.reference.get("year_suffix"):
                        short = String(str(suffix))
                if short is not None:
                    out.append(String(suffix_delimiter))
                    out.append(short)
                    continue
                if collapse == "year-suffix-ranged":
                    _range_suffixes(out, run_start, run_head)
                    run_start = len(out)
                item["suppress_names"] = collapse != "none"
                try:
                    text = self._render_cite(item)
                except cp.VariableError:
                    text = None
                item["suppress_names"] = False
                if text:
                    # after a run of year-suffixes or a cite with a locator: the after-collapse delimiter
                    ended_run = collapse.startswith("year-suffix") and index > 1 and _suffix_run(group[index - 2][0], prev_item)
                    glue = after if collapse != "none" and (prev_item.get("locator") is not None or ended_run) else cite_group_delimiter
                    out.append(String(glue))
                    out.append(self._affixed(item, text))
                    run_start, run_head = len(out), item
            if collapse == "year-suffix-ranged":
                _range_suffixes(out, run_start, run_head)
        return out


def _group_delimiter(previous: list[tuple[Any, Any]], delimiter: str, section: Any, collapse: str) -> str:
    """Between two cites of different names (citeproc-js): the after-collapse delimiter follows
    a collapsed group or a cite with a locator, and even an uncollapsed cite unless only
    year-suffixes collapse; the layout delimiter otherwise."""
    after = section.get("after-collapse-delimiter")
    if after is None:
        return delimiter
    if len(previous) > 1 or previous[-1][0].get("locator") is not None or collapse != "year-suffix":
        return after
    return delimiter


def _range_suffixes(out: list[Any], start: int, head: Any) -> None:
    """year-suffix-ranged: three or more consecutive suffixes become "a–c" (in place)."""
    # out[start:] holds delimiter/suffix pairs; the cite before them ends in its own suffix
    pairs = [(out[i], str(out[i + 1])) for i in range(start, len(out) - 1, 2)]
    if not pairs or any(len(suffix) != 1 for _, suffix in pairs):
        return
    letters = [str(head.reference.get("year_suffix") or "")] if head is not None else []
    if letters and len(letters[0]) != 1:
        letters = []
    has_head = bool(letters)  # the head's own suffix starts the first run (already printed)
    letters += [suffix for _, suffix in pairs]
    runs: list[list[str]] = []
    for letter in letters:
        if runs and ord(letter) == ord(runs[-1][-1]) + 1:
            runs[-1].append(letter)
        else:
            runs.append([letter])
    delimiter = pairs[0][0]
    rebuilt: list[Any] = []
    for number, run in enumerate(runs):
        shown = run[1:] if number == 0 and has_head else run
        if len(run) >= 3:
            rebuilt += ([] if number == 0 and has_head else [delimiter, String(run[0])])
            rebuilt += [String("\u2013"), String(run[-1])]
        else:
            for letter in shown:
                rebuilt += [delimiter, String(letter)]
    out[start:] = rebuilt


def _suffix_run(before: Any, item: Any) -> bool:
    """``item`` was written as a bare year-suffix after ``before`` ("2000a,b")."""
    return bool(
        before.get("locator") is None and item.get("locator") is None and item.reference.get("year_suffix")
        and before.reference.get("year_suffix") and _year_of(item) == _year_of(before)
    )


def _prefix_punctuated(item: Any) -> bool:
    """A prefix that starts with punctuation (", cited in") replaces the delimiter."""
    return plain(item.get("prefix") or "")[:1] in (",", ";", ".", ":")


def _delimiter_after(item: Any, delimiter: str) -> str:
    """A cite suffix ending in punctuation ("is one source,") stands for the delimiter's."""
    if plain(item.get("suffix") or "")[-1:] in (",", ";", ".", ":", "!", "?"):
        return delimiter.lstrip(",;.:")
    return delimiter


def _group_by_names(items: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """Cite grouping: cites by the same names move up to the first of them."""
    order: list[str] = []
    groups: dict[str, list[tuple[Any, Any]]] = {}
    for position, (item, text) in enumerate(items):
        names = dict.get(item, "_names") or f"\0{position}"
        if names not in groups:
            groups[names] = []
            order.append(names)
        groups[names].append((item, text))
    return [entry for names in order for entry in groups[names]]


def _starts_with_term(item: Any, text: Any, leading: str = "") -> bool:
    """The cite begins with a term of the style ("and", "ibid."), after any of the
    ``leading`` characters: citeproc-js capitalizes it at the start of a note."""
    terms = dict.get(item, "_terms") or []
    prefix = plain(item.get("prefix") or "").strip()
    if prefix and " " not in prefix:
        return False  # a one-word prefix ("Nocapsafter.") is taken for an abbreviation
    start = plain(text).lstrip().lstrip(leading)
    return bool(terms) and bool(plain(terms[0]).strip()) and start.startswith(plain(terms[0]).strip())


def _capitalize_first(text: Any, leading: str = "") -> Any:
    """A note that starts with a term ("ibid.") starts with a capital."""
    raw = str(text)
    index = 0
    while index < len(raw) and (raw[index] == "<" or raw[index] in leading):
        index = raw.find(">", index) + 1 or len(raw) if raw[index] == "<" else index + 1
    if index < len(raw) and raw[index].islower():
        return String(raw[:index] + raw[index].upper() + raw[index + 1 :])
    return text


def _year_of(item: Any) -> Any:
    date = item.reference.get("issued")
    if date is None:
        return None
    begin = dict.get(date, "begin") or date
    return dict.get(begin, "year")
