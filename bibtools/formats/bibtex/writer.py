"""Writing a ``Library`` as BibTeX (classic dialect) or BibLaTeX.

Layout is fixed so re-running gives byte-identical output: ``@string``
blocks, then ``@preamble`` blocks, then entries (fields in
``FIELD_ORDER``, then the rest in model order, two-space indent, braces,
a trailing comma), then ``@comment`` blocks. Text fields are escaped for
LaTeX, verbatim ones (url, doi, file...) are written as they are.
CSL variables with no field in the dialect are written under their CSL name,
which the reader maps back; what cannot be written at all is reported in
``losses``.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ...diagnostics import Diagnostic, warning
from ...mappings.bibtex import (
    CSL_TO_BIBLATEX_FIELD,
    CSL_TO_BIBLATEX_TYPE,
    CSL_TO_BIBTEX_FIELD,
    CSL_TO_BIBTEX_TYPE,
    CLASSIC_MISC_HOWPUBLISHED,
    BIBLATEX_COMMAND_STANDINS,
    CSL_TO_DATE_FIELD,
    SUBTYPE_TO_CSL,
    CSL_TO_NAME_FIELD,
    FIELD_ORDER,
    IMPLIED_GENRE,
    MASTERS_GENRE_WORDS,
    MONTH_MACROS,
    NAME_FIELDS,
    NUMBER_IS_COLLECTION,
    NUMBER_IS_ISSUE,
    TYPE_TO_CSL,
    PRIORITY_FIELDS,
    VERBATIM_FIELDS,
    is_verbatim,
)
from ...keys import written_key
from .faithful import LABEL_PART, classic_changes, escape_bare_specials, faithful_entry, inherited_only
from ...model import Date, Item, Library, Name
from ...safety import balance_braces, is_dangerous_command, is_tex_source, preamble_commands, safe_field_value
from ...text.bibnames import AND_OTHERS_KEY, format_names
from ...text.dates import MONTH_MACRO_NAMES, format_edtf, simple_year_month
from ...text.latex import latex_to_rich, char_to_latex, escape_text, rich_to_latex, rich_to_text, strip_tags, to_pdflatex, unsupported_chars
from ...variables import ITEM_TYPES, kind_of

_ORDER = {name: i for i, name in enumerate(FIELD_ORDER)}
_FIELD_NAME = re.compile(r"^[^\s=,{}()\"#%'\\]+$")
_ARTICLE_LIKE = frozenset({"article", "periodical", "suppperiodical"})
_THESIS_OR_REPORT = ("thesis", "phdthesis", "mastersthesis", "report", "techreport")


def _label_text(item: Item) -> str:
    for variable in ("title-short", "title"):
        value = item.fields.get(variable)
        if isinstance(value, str) and rich_to_text(value).strip():
            return " ".join(rich_to_text(value).split())
    return item.id


def generated_label_keys(item: Item) -> set[str]:
    """The ``key`` fields the classic writer would add to ``item`` (any escaping), so the
    reader can tell one it added from one the user wrote."""
    if "author" in item.fields or "editor" in item.fields:
        return set()
    text = _label_text(item)
    # as written: escaped in any of the writer's modes, then through the safety net (``key`` is verbatim)
    return {_safe(escape_text(text, math=True, keep_arguments=True, **mode), True)
            for mode in ({}, {"ascii": True}, {"pdflatex": True}, {"tex": False}, {"pdflatex": True, "tex": False})}


def reads_as(etype: str, subtype: str = "") -> str:
    """The CSL type the reader gives an entry type (with its ``entrysubtype``)."""
    narrowed = SUBTYPE_TO_CSL.get((etype, subtype.strip().lower())) if subtype else None
    return narrowed or TYPE_TO_CSL.get(etype) or (etype if etype in ITEM_TYPES else "document")


def _subtype(item: Item) -> str:
    value = item.extra.get("entrysubtype", "")
    return value if isinstance(value, str) else ""


def _entry_type(item: Item, dialect: str) -> str:
    # only a BibTeX type is a BibTeX type: RIS "GEN" or WoS "J" would be written as @gen, @j
    native = (item.origin.native_type or "").lower() if item.origin and item.origin.format in ("bibtex", "biblatex") else ""
    if native and reads_as(native, _subtype(item)) == item.type:
        return native  # @conference stays @conference, @online stays @online (a .bib's own types)
    if item.type == "thesis" and dialect == "bibtex":
        genre = strip_tags(str(item.fields.get("genre", ""))).lower()
        return "mastersthesis" if any(w in genre for w in MASTERS_GENRE_WORDS) else "phdthesis"
    if dialect == "bibtex":  # only the types every .bst defines; the rest is @misc (see CLASSIC_MISC_HOWPUBLISHED)
        return CSL_TO_BIBTEX_TYPE.get(item.type, "misc")
    return CSL_TO_BIBLATEX_TYPE.get(item.type) or "misc"


def _target_field(variable: str, etype: str, dialect: str) -> str:
    """The native field that reads back as ``variable`` for this entry type."""
    table = CSL_TO_BIBTEX_FIELD if dialect == "bibtex" else CSL_TO_BIBLATEX_FIELD
    if variable == "container-title":
        if etype in _ARTICLE_LIKE:
            return "journal" if dialect == "bibtex" else "journaltitle"
        return "booktitle"
    if variable == "publisher":
        if etype in ("thesis", "phdthesis", "mastersthesis"):
            return "school" if dialect == "bibtex" else "institution"
        if etype in ("report", "techreport"):
            return "institution"
        return "publisher"
    if variable == "issue":
        return "number" if etype in NUMBER_IS_ISSUE else "issue"
    if variable == "collection-number":
        return "number" if etype in NUMBER_IS_COLLECTION else "collection-number"
    if variable == "number":
        return "eid" if etype in NUMBER_IS_ISSUE or etype in NUMBER_IS_COLLECTION else "number"
    return table.get(variable, variable)


class _EntryWriter:
    def __init__(self, item: Item, dialect: str, ascii: bool, losses: list[Diagnostic] | None,
                 pdflatex: bool = False) -> None:
        self.item = item
        self.dialect = dialect
        self.ascii = ascii
        self.pdflatex = pdflatex and not ascii  # escape only what pdflatex cannot typeset
        self.losses = losses
        self.out: dict[str, str] = {}  # native field -> LaTeX value (without braces)
        self.sources: dict[str, str] = {}  # native field -> the part it was written from (``native.Part``)
        self.bare: set[str] = set()  # fields written without braces (month macros)
        self.etype = _entry_type(item, dialect)
        self.tex = is_tex_source(item.origin.format if item.origin else None)  # else a backslash is text

    def lose(self, message: str) -> None:
        if self.losses is not None:
            src = self.item.origin.source if self.item.origin else None
            line = self.item.origin.line if self.item.origin else None
            self.losses.append(warning(f"{self.dialect}.loss", message, source=src, line=line, key=self.item.id))

    def esc(self, text: str) -> str:
        return escape_text(text, ascii=self.ascii, math=True, pdflatex=self.pdflatex, tex=self.tex)

    def literal_text(self, text: str) -> str:
        """Plain text from ``latex_to_text`` (numbers, literal dates): an unknown command keeps its argument."""
        return escape_text(text, ascii=self.ascii, pdflatex=self.pdflatex, keep_arguments=True, tex=self.tex)

    def rich(self, text: str) -> str:
        return rich_to_latex(text, ascii=self.ascii, pdflatex=self.pdflatex, tex=self.tex)

    def put(self, name: str, value: str, variable: str) -> None:
        if name in self.out:
            self.lose(f"{variable} has no free field to go to ({name!r} is taken); left out")
            return
        self.out[name] = value
        self.sources[name] = variable

    def build(self) -> dict[str, str]:
        item = self.item
        others = set(item.extra.get(AND_OTHERS_KEY, "").split())
        if item.type != reads_as(self.etype, _subtype(item)):
            self.lose(f"the CSL type {item.type!r} has no {self.dialect} entry type; written as @{self.etype}")
            self.misc_howpublished()
            if self.dialect == "bibtex" and self.etype == "misc" and "entrytype" not in item.extra:
                # classic styles ignore it; the reader restores the type from it
                self.out["entrytype"] = _entry_type(item, "biblatex")
                self.sources["entrytype"] = "type"
        for variable, value in item.fields.items():
            if variable == "citation-key":
                if value != item.id:
                    self.put("citation-key", self.esc(str(value)), variable)
                continue
            if variable == "genre" and IMPLIED_GENRE.get(self.etype) == value:
                continue
            if isinstance(value, list):
                name = CSL_TO_NAME_FIELD.get(variable, variable)
                self.put(name, format_names([n for n in value if isinstance(n, Name)], self.esc, others=variable in others), variable)
            elif isinstance(value, Date):
                self.date(variable, value)
            else:
                name = self.beat_extras(variable, _target_field(variable, self.etype, self.dialect))
                self.put(name, self.text(variable, name, str(value)), variable)
        self.label_key()
        for variable in others:
            if variable not in item.fields:  # "and others" alone
                self.put(CSL_TO_NAME_FIELD.get(variable, variable), "others", variable)
        for name, value in item.extra.items():
            if name == AND_OTHERS_KEY:
                continue
            lname = name.lower()
            if not _FIELD_NAME.match(name):
                self.lose(f"the field name {name!r} is not valid in BibTeX; left out")
                continue
            if lname in self.out:
                self.lose(f"the extra field {name!r} clashes with a mapped field; left out")
                continue
            if is_verbatim(lname, value):
                self.out[lname] = _verbatim(value)
            else:
                self.out[lname] = self.rich(value)
            self.sources[lname] = "extra:" + name
        return self.out

    def label_key(self) -> None:
        """Classic styles sort and label an entry with no author or editor by its ``key`` field
        (plainnat: "to sort, need author, editor, or key"; without it, labels collide and
        more than 100 alike overflow its a, b, c... suffixes): the short title, else the title,
        else the citation key."""
        fields = self.item.fields
        if (self.dialect != "bibtex" or "author" in fields or "editor" in fields or "key" in self.item.extra
                or self.etype in ("xdata", "set")):  # never cited themselves
            return
        self.out["key"] = escape_text(_label_text(self.item), ascii=self.ascii, math=True, pdflatex=self.pdflatex,
                                      keep_arguments=True, tex=self.tex)
        self.sources["key"] = LABEL_PART

    def misc_howpublished(self) -> None:
        """A classic @misc for a type the styles lack says what it is in ``howpublished``
        (what plain.bst prints), unless the item has a medium of its own."""
        if self.dialect != "bibtex" or self.etype != "misc" or "medium" in self.item.fields:
            return
        what = CLASSIC_MISC_HOWPUBLISHED.get(self.item.type)
        if what and "howpublished" not in self.item.extra:
            self.out["howpublished"] = what
            self.sources["howpublished"] = "type"

    def beat_extras(self, variable: str, name: str) -> str:
        """A field the reader will prefer over the competing fields kept in ``extra``."""
        group = PRIORITY_FIELDS.get(variable)
        if not group or variable == "issue":
            return name
        rivals = [group.index(k) for k in self.item.extra if k in group]
        if not rivals or (name in group and group.index(name) < min(rivals) and name not in self.item.extra):
            return name
        return group[0]

    def text(self, variable: str, name: str, value: str) -> str:
        if name in VERBATIM_FIELDS or variable in ("DOI", "URL", "ISBN", "ISSN", "PMID", "PMCID"):
            return _verbatim(value)
        if kind_of(variable) == "number":
            if variable == "page":
                return "--".join(self.esc(p) for p in re.split(r"\s*[-\u2013\u2014]+\s*", value))
            return self.literal_text(value)
        return self.rich(value)

    def date(self, variable: str, date: Date) -> None:
        if variable == "issued":
            if date.literal is not None and not date.parts:  # plain text, as latex_to_text made it
                self.put("year", self.literal_text(date.literal), variable)
                return
            held = {k for k in ("year", "month", "day") if k in self.item.extra}
            if self.dialect == "bibtex":
                simple = simple_year_month(date)
                if simple is not None and not held:
                    year, month, day = simple
                    self.put("year", year, variable)
                    if month is not None:
                        if 1 <= month <= 12:
                            self.put("month", MONTH_MACRO_NAMES[month - 1], variable)
                            self.bare.add("month")
                        else:
                            self.put("month", str(month), variable)
                    if day is not None:
                        self.put("day", str(day), variable)
                    return
            if self.dialect == "bibtex" and date.parts and date.parts[0] and date.parts[0][0] > 0 and "year" not in self.item.extra:
                self.put("year", str(date.parts[0][0]), variable)
            edtf = format_edtf(date)
            if edtf is None:
                self.lose(f"the date in {variable} cannot be written as an ISO/EDTF date; left out")
                return
            self.put("date", edtf, variable)
            if isinstance(date.season, str):
                self.lose(f"the season {date.season!r} of {variable} has no BibTeX form; left out")
            return
        name = CSL_TO_DATE_FIELD.get(variable, variable)
        if date.literal is not None and not date.parts:
            self.put(name, self.literal_text(date.literal), variable)
            return
        edtf = format_edtf(date)
        if edtf is None:
            self.lose(f"the date in {variable} cannot be written; left out")
            return
        self.put(name, edtf, variable)


_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BRACE = re.compile(r"[{}]")
_UNESCAPED_BRACE = re.compile(r"(?<!\\)[{}]")
_COMMAND = re.compile(r"(?<!\\)(?:\\\\)*\\([A-Za-z@]+)")
_dangerous = lru_cache(maxsize=4096)(is_dangerous_command)


def _balanced(value: str, pattern: re.Pattern[str]) -> bool:
    depth = 0
    for m in pattern.finditer(value):
        depth += 1 if m.group() == "{" else -1
        if depth < 0:
            return False
    return depth == 0


def _needs_safety(value: str, defined: frozenset[str] = frozenset()) -> bool:
    """What ``safety.unsafe_reasons`` looks for, checked fast (every written value comes here);
    ``defined``: the control words the library's @preamble defines."""
    if "^^" in value or value.endswith("\\") or _CONTROL_CHARS.search(value) or "\n" in value:
        return True
    if ("{" in value or "}" in value) and not (_balanced(value, _BRACE) and _balanced(value, _UNESCAPED_BRACE)):
        return True
    return "\\" in value and any(_dangerous(m.group(1)) and m.group(1) not in defined for m in _COMMAND.finditer(value))


def _safe(value: str, verbatim: bool, defined: frozenset[str] = frozenset()) -> str:
    """``safety.safe_field_value`` for the values that need it; safe values stay exactly as
    built, so what the reader reads back is what was written."""
    return safe_field_value(value, verbatim=verbatim, defined=defined) if _needs_safety(value, defined) else value


def _verbatim(value: str) -> str:
    if value.count("{") != value.count("}"):
        return value.replace("{", "\\{").replace("}", "\\}")
    return value


def _sort_key(name: str, index: int) -> tuple[int, int]:
    return (_ORDER.get(name, len(_ORDER)), index)


def _faithful(item: Item, dialect: str, normalize: bool) -> bool:
    """Written field by field as read: an entry read from a .bib (either dialect: biber reads
    the classic names, and the classic dialect gets ``classic_changes``), unless the user asked
    for normalised output."""
    return not normalize and item.native is not None and item.native.format in ("bibtex", "biblatex")


def _faithful_lines(item: Item, writer: _EntryWriter, fields: dict[str, str], key: str, ascii: bool,
                    defined: frozenset[str], expand_strings: bool, inline_crossref: bool) -> list[str]:
    assert item.native is not None
    regenerated = {name: (value if name in writer.bare else "{" + _safe(value, is_verbatim(name, value), defined) + "}")
                   for name, value in fields.items()}
    unsafe = set()
    neutralised: dict[str, str] = {}  # lower-case name -> raw with its unsafe TeX made text
    for f in item.native.fields:
        lower = f.name.lower()
        if ascii and not f.raw.isascii() and not is_verbatim(lower, f.raw):
            unsafe.add(lower)  # --ascii asks for LaTeX escapes: the writer knows math and text apart
        elif _needs_safety(_one_line(f.raw), defined):
            fixed = safe_field_value(_one_line(f.raw), verbatim=is_verbatim(lower, f.raw), defined=defined)
            if fixed[:1] == f.raw[:1] and fixed[-1:] == f.raw[-1:] and not _needs_safety(fixed, defined) \
                    and lower not in NAME_FIELDS and _reads_same(_one_line(f.raw), fixed):
                neutralised[lower] = fixed  # only the offending command changes; the rest stays as written
                writer.lose(f"the field {f.name!r} holds TeX that may not run live (see `bibtools lint`); "
                            "written as text")
            else:
                unsafe.add(lower)
                writer.lose(f"the field {f.name!r} holds TeX that may not run live (see `bibtools lint`); "
                            "written as bibtools reads it")
    renames: dict[str, str] = {}
    regenerate: set[str] = set()
    if writer.dialect == "bibtex":
        renames, regenerate, notes = classic_changes(item)
        for note in notes:
            writer.lose(note)
    entry = faithful_entry(item, regenerated, writer.sources, writer.etype, unsafe=unsafe,
                           expand_strings=expand_strings, inline_crossref=inline_crossref,
                           renames=renames, regenerate=regenerate)
    lines = [f"@{entry.entry_type}{{{key},"]
    for name, raw in entry.fields:
        value = raw if name in entry.regenerated else neutralised.get(name.lower(), _one_line(raw))
        if name not in entry.regenerated and not is_verbatim(name.lower(), value):
            value, escaped = escape_bare_specials(value)
            if escaped:
                writer.lose(f"the field {name!r} holds a bare {' '.join(escaped)} that stops LaTeX; written escaped")
        lines.append(f"  {name} = {value},")
    lines.append("}")
    return lines


def _reads_same(raw: str, fixed: str) -> bool:
    """Whether neutralising a value in place leaves what bibtools reads from it (so the command
    read as text stays text); where the reader made something else of it (``\\begin{x}``), the
    value is written as bibtools reads it instead."""
    if not (raw[:1] == "{" and raw[-1:] == "}" or raw[:1] == '"' and raw[-1:] == '"'):
        return False
    return latex_to_rich(raw[1:-1]) == latex_to_rich(fixed[1:-1])


def _one_line(raw: str) -> str:
    """A raw value with its white space runs collapsed, as BibTeX reads it."""
    return " ".join(raw.split()) if ("\n" in raw or "  " in raw or "\t" in raw or "\r" in raw) else raw


def format_entry(item: Item, *, dialect: str = "bibtex", ascii: bool = False, losses: list[Diagnostic] | None = None,
                 utf8: bool = False, taken: dict[str, str] | None = None, defined: frozenset[str] = frozenset(),
                 normalize: bool = False, expand_strings: bool = False, inline_crossref: bool = False) -> str:
    """One entry. An entry read from a .bib in this dialect is written as read, except for what
    the command changed (``faithful``), unless ``normalize``. Otherwise it is generated from the
    model: the classic dialect writes what pdflatex cannot typeset as UTF-8 as LaTeX commands
    (``mappings.pdflatex``) unless ``utf8``; ``ascii`` escapes every non-ASCII character."""
    writer = _EntryWriter(item, dialect, ascii, losses, pdflatex=dialect == "bibtex" and not utf8)
    fields = writer.build()
    key, why = written_key(item)  # the one rule for what a .bib key may hold (keys.py)
    if why:
        writer.lose(why)
    if taken is not None:  # lower-case key -> the first key written with it
        # BibTeX compares keys ignoring case: smith2020 after Smith2020 is "Repeated entry"
        first = taken.setdefault(key.lower(), key)
        if first != key:
            writer.lose(f"the key {key!r} differs from the key {first!r} only in case; BibTeX will skip it "
                        "as a repeated entry (rename one of them)")
    if writer.pdflatex and unsupported_chars(key):
        writer.lose(f"the key {key!r} holds characters pdflatex cannot typeset ({unsupported_chars(key)}): "
                    "\\cite of it fails unless the document declares them; kept as it is")
    if ascii and not key.isascii():
        writer.lose(f"the key {key!r} is not ASCII; kept as it is")
    if _faithful(item, dialect, normalize):
        lines = _faithful_lines(item, writer, fields, key, ascii, defined, expand_strings, inline_crossref)
        bad = "".join(dict.fromkeys(unsupported_chars("".join(lines[1:])))) if writer.pdflatex else ""
        if bad:  # the user's own text: reported, not rewritten (--normalize writes LaTeX commands)
            writer.lose(f"pdflatex (inputenc utf8) cannot typeset {bad} ({', '.join(f'U+{ord(c):04X}' for c in bad[:3])}"
                        f"{'...' if len(bad) > 3 else ''}); kept as written (`--normalize` writes LaTeX commands "
                        "where LaTeX has them; biblatex with xelatex/lualatex typesets it as it is)")
        return "\n".join(lines) + "\n"
    if not inline_crossref and item.native is not None and item.native.inherited:
        skip = inherited_only(item)  # a child stays a child: what it inherits is the parent's to write
        fields = {name: value for name, value in fields.items() if writer.sources.get(name) not in skip}
    names = [n for _, n in sorted((_sort_key(n, i), n) for i, n in enumerate(fields))]
    if ascii and not all(v.isascii() for v in fields.values()):
        writer.lose("some characters have no exact LaTeX command; kept as UTF-8")
    elif writer.pdflatex:
        bad = "".join(dict.fromkeys("".join(unsupported_chars(v) for v in fields.values())))
        if bad:
            writer.lose(f"pdflatex (inputenc utf8) cannot typeset {bad} ({', '.join(f'U+{ord(c):04X}' for c in bad[:3])}"
                        f"{'...' if len(bad) > 3 else ''}) and LaTeX has no command for it; kept as UTF-8 "
                        "(load a font encoding or CJK package for it, or use biblatex with xelatex/lualatex)")
    lines = [f"@{writer.etype}{{{key},"]
    for name in names:
        value = fields[name]
        if name in writer.bare:
            lines.append(f"  {name} = {value},")
        else:  # the safety net: nothing in a value may close the entry or run TeX
            lines.append(f"  {name} = {{{_safe(value, is_verbatim(name, value), defined)}}},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _ascii_raw(text: str, ascii: bool, pdflatex: bool = False) -> str:
    if text.isascii():
        return text
    if ascii:
        return "".join(c if c.isascii() else char_to_latex(c) for c in text)
    return to_pdflatex(text) if pdflatex else text


_BIBLATEX_COMMAND = re.compile(r"\\(" + "|".join(sorted(BIBLATEX_COMMAND_STANDINS, key=len, reverse=True)) + r")(?![A-Za-z@])")


def _standins(entry: str, preambles: list[str]) -> list[str]:
    """A ``@preamble`` defining the BibLaTeX commands an entry uses, for classic styles
    (``\\providecommand`` twice is harmless)."""
    used = {m.group(1) for m in _BIBLATEX_COMMAND.finditer(entry)} if "\\" in entry else set()
    if not used:
        return []
    body = " ".join(BIBLATEX_COMMAND_STANDINS[c] for c in sorted(used))
    return [f'@preamble{{"{body}"}}\n']


_STANDIN_VALUES = frozenset(BIBLATEX_COMMAND_STANDINS.values())


def _is_standins(preamble: str) -> bool:
    """A ``@preamble`` this writer made (read back from its own output): made again per entry."""
    body = preamble.strip()
    if not (body.startswith('"') and body.endswith('"')):
        return False
    pieces = re.split(r" (?=\\providecommand)", body[1:-1])
    return all(p in _STANDIN_VALUES for p in pieces)


# Options both dialects take (``registry.Format.options``; the CLI's convert offers them).
WRITE_OPTIONS: dict[str, str] = {
    "normalize": "write every entry from the model, not as read from its .bib",
    "expand_strings": "write @string macro references as their values",
    "inline_crossref": "write inherited crossref/xdata fields into the child",
}


def write_bibtex(library: Library, *, dialect: str = "bibtex", ascii: bool = False,
                 losses: list[Diagnostic] | None = None, utf8: bool = False,
                 defined: frozenset[str] | None = None, normalize: bool = False, expand_strings: bool = False,
                 inline_crossref: bool = False, **_: Any) -> str:
    """The whole library as one .bib text (see the module docstring for the layout).

    ``defined``: control words defined by @preamble blocks that are not in ``library`` (a
    streamed write passes the file's), on top of those in ``library.preambles``.

    Classic BibTeX writes the characters pdflatex cannot typeset as LaTeX commands unless
    ``utf8``; BibLaTeX (biber reads UTF-8) keeps Unicode; ``ascii`` escapes all of it."""
    pdflatex = dialect == "bibtex" and not utf8
    parts: list[str] = []
    defined = preamble_commands(library.preambles) | (defined or frozenset())  # xampl.bib's \noopsort stays live
    for name, value in library.strings.items():
        if name.lower() in MONTH_MACROS and value == MONTH_MACROS[name.lower()]:
            continue
        raw = library.string_sources.get(name)
        if raw is not None and not normalize and not _needs_safety(_one_line(raw), defined) and (raw.isascii() or not ascii):
            raw, escaped = escape_bare_specials(_one_line(raw))
            if escaped and losses is not None:
                losses.append(warning(f"{dialect}.loss", f"the @string {name!r} holds a bare {' '.join(escaped)} that "
                                      "stops LaTeX; written escaped"))
            parts.append(f"@string{{{name} = {raw}}}\n")
            continue  # as written: a macro may be defined by other macros
        parts.append(f"@string{{{name} = {{{safe_field_value(_ascii_raw(value, ascii, pdflatex))}}}}}\n")
    for value in library.preambles:
        if dialect == "bibtex" and _is_standins(value):
            continue
        parts.append(f"@preamble{{{_ascii_raw(value, ascii, pdflatex)}}}\n")
    taken: dict[str, str] = {}
    entries = [format_entry(item, dialect=dialect, ascii=ascii, losses=losses, utf8=utf8, taken=taken,
                            defined=defined, normalize=normalize, expand_strings=expand_strings,
                            inline_crossref=inline_crossref)
               for item in library.items]
    for entry in entries:
        if dialect == "bibtex":  # next to its entry, so a streamed write (entry by entry) is the same
            parts.extend(_standins(entry, library.preambles))
        parts.append(entry)
    for comment in library.comments:
        parts.append(f"@comment{{{balance_braces(comment)}}}\n")
    return "\n".join(parts)
