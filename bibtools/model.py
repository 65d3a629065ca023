"""The one citation model every reader produces and every writer consumes.

Vocabulary (used everywhere in bibtools):
- *record*: a format-native thing (a BibTeX entry, a RIS record, a Crossref work);
- *item*: one reference in the model, shaped like a CSL-JSON item;
- *library*: items in order, plus the diagnostics and the file-level blocks
  (``@preamble``, ``@string``, comments) a reader found;
- *csl_json*: only ever the serialised text.

Values by variable kind (see ``variables.kind_of``):
- name variables hold ``list[Name]``;
- date variables hold ``Date``;
- number and text variables hold ``str``. Text is CSL rich text: the tags
  ``<i> <b> <sup> <sub> <span style="font-variant:small-caps;">`` and
  ``<span class="nocase">`` are markup (case-protected spans are nocase),
  everything else is literal. TeX math stays as ``$...$`` inside a nocase span.

Fields that no mapping knows stay in ``Item.extra`` under their native name,
so writers can put them back where the target format can hold them.
An item read from a format that can give it back as written also carries
``Item.native`` (see ``bibtools.native``): never compared, never exported.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields as dc_fields
from typing import TYPE_CHECKING, Any, Union

from .diagnostics import Diagnostic, Severity
from .variables import kind_of

if TYPE_CHECKING:
    from .native import NativeRecord


@dataclass(slots=True)
class Name:
    """A personal name split the CSL way, or a literal (corporate) name."""

    family: str | None = None
    given: str | None = None
    dropping_particle: str | None = None  # "de" in "Jean de La Fontaine" sorted under L
    non_dropping_particle: str | None = None  # "van" in "van Gogh" (kept with family)
    suffix: str | None = None  # "Jr.", "III"
    literal: str | None = None  # "World Health Organization"
    comma_suffix: bool = False
    static_ordering: bool = False

    _CSL_KEYS = {
        "dropping_particle": "dropping-particle",
        "non_dropping_particle": "non-dropping-particle",
        "comma_suffix": "comma-suffix",
        "static_ordering": "static-ordering",
    }

    @property
    def is_literal(self) -> bool:
        return self.literal is not None

    @property
    def full_family(self) -> str:
        """Family name with its non-dropping particle ("van Gogh")."""
        if self.literal is not None:
            return self.literal
        parts = [p for p in (self.non_dropping_particle, self.family) if p]
        return " ".join(parts)

    def to_csl(self) -> dict[str, Any]:
        # spelled out, in field order: a loop over dataclasses.fields() per name was 5% of a large conversion
        out: dict[str, Any] = {}
        if self.family not in _EMPTY:
            out["family"] = self.family
        if self.given not in _EMPTY:
            out["given"] = self.given
        if self.dropping_particle not in _EMPTY:
            out["dropping-particle"] = self.dropping_particle
        if self.non_dropping_particle not in _EMPTY:
            out["non-dropping-particle"] = self.non_dropping_particle
        if self.suffix not in _EMPTY:
            out["suffix"] = self.suffix
        if self.literal not in _EMPTY:
            out["literal"] = self.literal
        if self.comma_suffix not in _EMPTY:
            out["comma-suffix"] = self.comma_suffix
        if self.static_ordering not in _EMPTY:
            out["static-ordering"] = self.static_ordering
        return out

    @classmethod
    def from_csl(cls, data: dict[str, Any]) -> "Name":
        kwargs: dict[str, Any] = {}
        reverse = {v: k for k, v in cls._CSL_KEYS.items()}
        for key, value in data.items():
            attr = reverse.get(key, key)
            if attr in ("comma_suffix", "static_ordering"):
                kwargs[attr] = bool(value)
            elif attr in {"family", "given", "dropping_particle", "non_dropping_particle", "suffix", "literal"}:
                if value is not None:
                    kwargs[attr] = str(value)
        return cls(**kwargs)


_EMPTY = (None, False, "")  # values Name.to_csl leaves out
# Name.to_csl is spelled out; this fails loudly if a field is added without it
assert [f.name for f in dc_fields(Name)] == ["family", "given", "dropping_particle", "non_dropping_particle", "suffix",
                                            "literal", "comma_suffix", "static_ordering"]

DateParts = tuple[int, ...]


@dataclass(slots=True)
class Date:
    """A CSL date: one or two ``date-parts`` (a range), or a literal fallback.

    ``parts`` holds (year[, month[, day]]) tuples; a range has two. Seasons are
    1-4 (spring..winter) or free text; ``circa`` marks approximate dates.
    """

    parts: tuple[DateParts, ...] = ()
    season: int | str | None = None
    circa: bool = False
    literal: str | None = None
    raw: str | None = None

    @property
    def year(self) -> int | None:
        if self.parts and self.parts[0]:
            return self.parts[0][0]
        return None

    def to_csl(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.parts:
            out["date-parts"] = [list(p) for p in self.parts]
        if self.season is not None:
            out["season"] = self.season
        if self.circa:
            out["circa"] = True
        if self.literal is not None:
            out["literal"] = self.literal
        if self.raw is not None and not self.parts:
            out["raw"] = self.raw
        return out


FieldValue = Union[str, list[Name], Date]


@dataclass(slots=True)
class Origin:
    """Where an item came from, for diagnostics and faithful round trips."""

    format: str
    source: str | None = None
    line: int | None = None
    native_type: str | None = None  # e.g. "conference" for a BibTeX @conference
    # The number a source list printed before it ("[12]", "12."): a place in that list,
    # not record data (CSL's citation-number is assigned by the processor), so no writer sees it.
    list_number: str | None = None


@dataclass(slots=True)
class Item:
    """One reference: a CSL type, CSL variables, and the fields no mapping knows."""

    id: str
    type: str = "document"
    fields: dict[str, FieldValue] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)
    origin: Origin | None = None
    native: NativeRecord | None = field(default=None, compare=False, repr=False)

    def get(self, variable: str, default: Any = None) -> Any:
        return self.fields.get(variable, default)

    def __getitem__(self, variable: str) -> FieldValue:
        return self.fields[variable]

    def __setitem__(self, variable: str, value: FieldValue) -> None:
        self.fields[variable] = value

    def __contains__(self, variable: object) -> bool:
        return variable in self.fields

    @property
    def title(self) -> str | None:
        value = self.fields.get("title")
        return value if isinstance(value, str) else None

    @property
    def authors(self) -> list[Name]:
        value = self.fields.get("author")
        return value if isinstance(value, list) else []

    @property
    def issued(self) -> Date | None:
        value = self.fields.get("issued")
        return value if isinstance(value, Date) else None

    @property
    def year(self) -> int | None:
        issued = self.issued
        return issued.year if issued else None


class Library:
    """Items in order, looked up by key, plus what the reader found around them."""

    def __init__(
        self,
        items: Iterable[Item] = (),
        diagnostics: Iterable[Diagnostic] = (),
        *,
        preambles: Iterable[str] = (),
        strings: dict[str, str] | None = None,
        comments: Iterable[str] = (),
    ) -> None:
        self.items: list[Item] = list(items)
        self.diagnostics: list[Diagnostic] = list(diagnostics)
        self.preambles: list[str] = list(preambles)
        self.strings: dict[str, str] = dict(strings or {})
        self.comments: list[str] = list(comments)
        # @string definitions as written (name -> raw value expression), for faithful writes
        self.string_sources: dict[str, str] = {}
        self._index: dict[str, Item] | None = None

    # -- collection protocol -------------------------------------------------
    def __iter__(self) -> Iterator[Item]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __contains__(self, key: object) -> bool:
        return key in self._key_index()

    def __getitem__(self, key: str) -> Item:
        return self._key_index()[key]

    def get(self, key: str, default: Item | None = None) -> Item | None:
        return self._key_index().get(key, default)

    def keys(self) -> list[str]:
        return [item.id for item in self.items]

    def _key_index(self) -> dict[str, Item]:
        if self._index is None or len(self._index) > len(self.items):
            index: dict[str, Item] = {}
            for item in self.items:
                index.setdefault(item.id, item)  # first of duplicate keys wins lookups
            self._index = index
        return self._index

    # -- building --------------------------------------------------------------
    def add(self, item: Item) -> None:
        self.items.append(item)
        self._index = None

    def extend(self, other: "Library") -> None:
        """Append another library's items, blocks and diagnostics (concatenation)."""
        self.items.extend(other.items)
        self.diagnostics.extend(other.diagnostics)
        self.preambles.extend(other.preambles)
        for name, value in other.strings.items():
            self.strings.setdefault(name, value)
        for name, raw in other.string_sources.items():
            self.string_sources.setdefault(name, raw)
        self.comments.extend(other.comments)
        self._index = None

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def problems(self) -> list[Diagnostic]:
        """Warnings and errors (what a user should look at)."""
        return [d for d in self.diagnostics if d.severity is not Severity.INFO]

    def __repr__(self) -> str:
        return f"Library({len(self.items)} items, {len(self.diagnostics)} diagnostics)"


def value_kind_ok(variable: str, value: object) -> bool:
    """Whether ``value`` has the shape the model promises for ``variable``."""
    kind = kind_of(variable)
    if kind == "name":
        return isinstance(value, list) and all(isinstance(n, Name) for n in value)
    if kind == "date":
        return isinstance(value, Date)
    return isinstance(value, str)
