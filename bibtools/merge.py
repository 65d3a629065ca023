"""Merging one library into another without losing anything.

``merge(base, incoming)`` matches every incoming item against the base (and
against the other incoming items) with ``dedupe``, then merges matches field
by field:

- a field the target lacks is filled;
- equal values are left alone;
- list fields (keywords, ``ids``) are united, order kept;
- different values: the preferred side's value stays, the other goes to the
  report, so every incoming value ends up in the result or in the report;
- a preprint merged with its published version takes the published venue,
  DOI, pages and date whatever side is preferred, and keeps the arXiv id.

Base keys never change. An absorbed incoming key is recorded in the target's
BibLaTeX ``ids`` field (``Item.extra["ids"]``) so ``\\cite`` commands using
it still resolve. Unmatched incoming items are appended; a key that would
collide is replaced by a fresh one (and reported).
"""
from __future__ import annotations

import copy
import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from .dedupe import DEFAULT_CONFIG, Features, Match, MatchConfig, compare_features, normalize_title
from .dedupe_engines import find_duplicates_of_features
from .model import Date, FieldValue, Item, Library, Name
from .keys import unique_key

__all__ = ["FieldNote", "MergeReport", "MergeResult", "merge", "merge_items", "render_value"]

Prefer = Literal["base", "incoming"]

#: fields holding lists, united instead of conflicting (CSL variables and native names, lower case)
LIST_FIELDS = frozenset({"keyword", "keywords", "ids", "keywords-plus", "groups", "mrnumber"})
#: what a published version brings over its preprint, whichever side is preferred
PUBLISHED_WINS = frozenset(
    {"container-title", "container-title-short", "DOI", "volume", "issue", "page", "publisher",
     "publisher-place", "issued", "ISSN", "collection-title"}
)
#: fields holding the item's own key (readers copy it there)
KEY_FIELDS = frozenset({"citation-key"})
TYPE_FIELD = "type"  # the item type is reported like a field under this name


@dataclass(frozen=True)
class FieldNote:
    """One field decision: ``kind`` is filled, conflict, united or published (a published
    version's value replaced the preprint's). ``value`` is what went into the result,
    ``other`` the value that did not (conflicts and published), or the vaguer date a
    more precise one replaced (filled)."""

    key: str  # key of the entry in the result
    field: str  # CSL variable, "type", or "extra:<native name>"
    kind: str
    source: str  # key of the incoming item the decision came from
    value: str
    other: str | None = None
    cosmetic: bool = False  # the two differ only in case, spacing or punctuation

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"key": self.key, "field": self.field, "kind": self.kind, "source": self.source, "value": self.value}
        if self.other is not None:
            out["other"] = self.other
        if self.cosmetic:
            out["cosmetic"] = True
        return out


@dataclass
class MergeReport:
    matched: list[tuple[str, str, float]] = field(default_factory=list)  # (incoming key, result key, score)
    notes: list[FieldNote] = field(default_factory=list)
    new: list[tuple[str, str]] = field(default_factory=list)  # (incoming key, key in the result)

    @property
    def conflicts(self) -> list[FieldNote]:
        return [n for n in self.notes if n.kind in ("conflict", "published")]

    @property
    def filled(self) -> list[FieldNote]:
        return [n for n in self.notes if n.kind in ("filled", "united")]

    @property
    def renamed(self) -> list[tuple[str, str]]:
        return [(old, new) for old, new in self.new if old != new]

    def summary(self) -> str:
        real = [c for c in self.conflicts if not c.cosmetic]
        return (
            f"{len(self.matched)} matched, {len(self.filled)} fields merged, "
            f"{len(self.conflicts)} conflicts ({len(real)} not just case or spacing), "
            f"{len(self.new)} new ({len(self.renamed)} with a fresh key)"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "summary": self.summary(),
            "matched": [{"incoming": a, "into": b, "score": round(s, 4)} for a, b, s in self.matched],
            "new": [{"incoming": a, "key": b} for a, b in self.new],
            "fields": [n.to_json() for n in self.notes],
        }


@dataclass
class MergeResult:
    library: Library
    report: MergeReport
    changed: list[str] = field(default_factory=list)  # base keys whose entries changed
    added: list[str] = field(default_factory=list)  # keys of appended items, in order


# -- values ------------------------------------------------------------------------------


def render_value(value: Any) -> str:
    """A value as one line of text, for reports and comparisons."""
    if isinstance(value, list):
        return " and ".join(render_name(n) if isinstance(n, Name) else str(n) for n in value)
    if isinstance(value, Date):
        if value.parts:
            text = "/".join("-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(part)) for part in value.parts)
        else:
            text = value.literal or value.raw or ""
        if value.season is not None:
            text += f" (season {value.season})"
        if value.circa:
            text = "ca. " + text
        return text
    return str(value)


def render_name(name: Name) -> str:
    if name.literal is not None:
        return "{" + name.literal + "}"
    parts = [p for p in (name.dropping_particle, name.non_dropping_particle, name.family) if p]
    text = " ".join(parts)
    if name.suffix:
        text += ", " + name.suffix
    if name.given:
        text += ", " + name.given
    return text


def _cosmetic(a: str, b: str) -> bool:
    """Only case, accents, markup or punctuation differ."""
    return normalize_title(a) == normalize_title(b)


def _split_list(value: str) -> list[str]:
    sep = ";" if ";" in value else ","
    return [v.strip() for v in value.split(sep) if v.strip()]


def _unite(kept: str, other: str) -> str | None:
    """``kept`` with the elements of ``other`` it lacks appended, or None when nothing is new."""
    mine = _split_list(kept)
    seen = {v.casefold() for v in mine}
    extra = [v for v in _split_list(other) if v.casefold() not in seen]
    if not extra:
        return None
    sep = "; " if ";" in kept else ", "
    return sep.join(mine + list(dict.fromkeys(extra)))


def _refines(precise: Date, vague: Date) -> bool:
    """``precise`` says all ``vague`` says (a single date, same year...) and more (month, day)."""
    if len(precise.parts) != 1 or len(vague.parts) != 1 or vague.literal or vague.season or precise.literal:
        return False
    long_, short = precise.parts[0], vague.parts[0]
    return len(long_) > len(short) and long_[: len(short)] == short


def _identical(a: Item, b: Item) -> bool:
    return a.type == b.type and a.fields == b.fields and a.extra == b.extra


def _arxiv_kept(target: Item, features: Features) -> None:
    """Keep a preprint's arXiv id when its DOI is replaced by the published one."""
    arxiv = features.ids.get("arxiv")
    if not arxiv:
        return
    lower = {k.lower() for k in target.extra}
    if "eprint" not in lower:
        target.extra["eprint"] = arxiv
        if "eprinttype" not in lower and "archiveprefix" not in lower:
            target.extra["eprinttype"] = "arxiv"


# -- merging two items ----------------------------------------------------------------------


def merge_items(
    target: Item,
    other: Item,
    *,
    prefer: Prefer = "base",
    target_preprint: bool = False,
    other_preprint: bool = False,
    notes: list[FieldNote] | None = None,
) -> bool:
    """Merge ``other`` into ``target`` in place; return whether ``target`` changed.

    ``target`` is the base side. Every decision is appended to ``notes``.
    """
    out = notes if notes is not None else []
    changed = False
    published_over = target_preprint and not other_preprint
    stays_published = other_preprint and not target_preprint

    def note(fieldname: str, kind: str, value: str, other_value: str | None = None) -> None:
        cosmetic = other_value is not None and _cosmetic(value, other_value)
        out.append(FieldNote(target.id, fieldname, kind, other.id, value, other_value, cosmetic))

    # the item type behaves like a field
    if other.type != target.type:
        take_other = (published_over or prefer == "incoming") and not stays_published
        if target.type == "document" and other.type != "document":
            take_other = True  # "document" is what readers use when they know nothing
        if take_other:
            note(TYPE_FIELD, "published" if published_over else "conflict", other.type, target.type)
            target.type = other.type
            changed = True
        else:
            note(TYPE_FIELD, "conflict", target.type, other.type)

    for name, value in other.fields.items():
        if name in KEY_FIELDS:
            continue  # keys are the merge's business: kept, or recorded in ids
        mine = target.fields.get(name)
        if mine is None or mine == "" or mine == []:
            target.fields[name] = copy.deepcopy(value)
            note(name, "filled", render_value(value))
            changed = True
            continue
        if mine == value:
            continue
        if isinstance(mine, Date) and isinstance(value, Date) and _refines(value, mine):
            target.fields[name] = copy.deepcopy(value)  # same date, more precise: nothing is lost
            note(name, "filled", render_value(value), render_value(mine))
            changed = True
            continue
        if name in LIST_FIELDS and isinstance(mine, str) and isinstance(value, str):
            united = _unite(mine, value)
            if united is not None:
                target.fields[name] = united
                note(name, "united", united)
                changed = True
            continue
        take_other = prefer == "incoming"
        if name in PUBLISHED_WINS and (published_over or stays_published):
            take_other = published_over
        if take_other:
            target.fields[name] = copy.deepcopy(value)
            note(name, "published" if published_over and name in PUBLISHED_WINS else "conflict",
                 render_value(value), render_value(mine))
            changed = True
        else:
            note(name, "conflict", render_value(mine), render_value(value))

    for name, value in other.extra.items():
        mine_key = next((k for k in target.extra if k.lower() == name.lower()), None)
        label = f"extra:{name}"
        if mine_key is None or not target.extra[mine_key]:
            target.extra[mine_key or name] = value
            note(label, "filled", value)
            changed = True
            continue
        mine = target.extra[mine_key]
        if mine == value:
            continue
        if name.lower() in LIST_FIELDS:
            united = _unite(mine, value)
            if united is not None:
                target.extra[mine_key] = united
                note(label, "united", united)
                changed = True
            continue
        if prefer == "incoming":
            target.extra[mine_key] = value
            note(label, "conflict", value, mine)
            changed = True
        else:
            note(label, "conflict", mine, value)
    return changed


# -- merging libraries ------------------------------------------------------------------------


def _default_key_maker() -> Callable[[Item], str] | None:
    try:  # the citation-key generator, when present
        from .keys import generate_key  # type: ignore[attr-defined]
    except ImportError:
        return None
    return generate_key  # type: ignore[no-any-return]


def _aliases(item: Item) -> list[str]:
    raw = next((v for k, v in item.extra.items() if k.lower() == "ids"), "")
    return _split_list(raw) if raw else []


def _fresh_key(item: Item, used: set[str], maker: Callable[[Item], str] | None) -> str:
    stem = ""
    if maker is not None:
        try:
            stem = maker(item) or ""
        except Exception:  # a key generator failing on odd data must not sink a merge
            stem = ""
    return unique_key(stem or item.id or "item", used)


def merge(
    base: Library,
    incoming: Library,
    prefer: Prefer = "base",
    *,
    config: MatchConfig = DEFAULT_CONFIG,
    key_maker: Callable[[Item], str] | None = None,
    engine: str | None = None,
    progress: Callable[[str, int, int | None], None] | None = None,
) -> MergeResult:
    """Merge ``incoming`` into a copy of ``base``; neither argument is changed.

    Incoming items are matched against the base and against each other
    (``dedupe.find_duplicates``); an incoming item whose key names a base item
    it matches always merges into that one (so merging a file with itself
    changes nothing). ``prefer`` decides conflicting values. ``key_maker``
    proposes keys for appended items whose own key is taken (default: the
    citation-key generator, else the old key plus a letter). ``engine`` forces a
    dedupe engine (``dedupe_engines.ENGINES``; by default chosen by size; every
    engine gives the same groups); ``progress`` follows its stages.
    """
    if prefer not in ("base", "incoming"):
        raise ValueError(f"prefer must be 'base' or 'incoming', not {prefer!r}")
    maker = key_maker or _default_key_maker()
    items = [copy.deepcopy(item) for item in base.items]
    result = Library(items, list(base.diagnostics), preambles=base.preambles, strings=base.strings, comments=base.comments)
    report = MergeReport()
    n_base = len(items)
    incoming_items = list(incoming.items)
    feats = [Features.of(item) for item in base.items] + [Features.of(item) for item in incoming_items]
    groups = find_duplicates_of_features(feats, config, engine, progress=progress).groups
    group_of: dict[int, list[int]] = {i: g for g in groups for i in g}

    used: set[str] = set()
    for item in items:
        used.add(item.id)
        used.update(_aliases(item))
    by_key: dict[str, list[int]] = {}
    for i, item in enumerate(base.items):
        by_key.setdefault(item.id, []).append(i)

    placed: dict[int, int] = {}  # index in feats -> index in result items
    changed: set[int] = set()
    added: list[str] = []
    preprint = {i: feats[i].preprint for i in range(n_base)}  # by index in the result

    for j, item in enumerate(incoming_items):
        fj = n_base + j
        target, score = _choose_target(fj, item, base, feats, group_of.get(fj, []), by_key, placed, n_base, config)
        if target is None:
            new_item = copy.deepcopy(item)
            key = item.id if item.id and item.id not in used else _fresh_key(item, used, maker)
            new_item.id = key
            if "citation-key" in new_item.fields:
                new_item.fields["citation-key"] = key
            used.add(key)
            items.append(new_item)
            placed[fj] = len(items) - 1
            preprint[len(items) - 1] = feats[fj].preprint
            report.new.append((item.id, key))
            added.append(key)
            continue
        t_index = placed.get(target, target)
        placed[fj] = t_index
        t_item = items[t_index]
        report.matched.append((item.id, t_item.id, score))
        t_pre = preprint[t_index]
        before_merge = Features.of(t_item) if t_pre and not feats[fj].preprint else None
        did = merge_items(t_item, item, prefer=prefer, target_preprint=t_pre,
                          other_preprint=feats[fj].preprint, notes=report.notes)
        if before_merge is not None:
            _arxiv_kept(t_item, before_merge)
            preprint[t_index] = False
        if item.id and item.id != t_item.id and item.id not in used:
            aliases = _aliases(t_item)
            ids_key = next((k for k in t_item.extra if k.lower() == "ids"), "ids")
            t_item.extra[ids_key] = ", ".join(aliases + [item.id])
            report.notes.append(FieldNote(t_item.id, f"extra:{ids_key}", "united", item.id, t_item.extra[ids_key]))
            used.add(item.id)
            did = True
        if did and t_index < n_base:
            changed.add(t_index)
    result.items = items
    result._index = None
    return MergeResult(
        result,
        report,
        # an entry touched by several incoming records can end as it began: not a change
        changed=[items[i].id for i in sorted(changed) if items[i] != base.items[i]],
        added=added,
    )


def _nothing_contradicts(verdict: Match, a: Features, b: Features, config: MatchConfig) -> bool:
    """Same key, and the evidence only lacks (too little to match on), never disagrees.

    A file's own RIS or CSL-JSON export comes back with its keys but with less
    in it (a minimal entry without a title); the key then decides, unless titles,
    authors, years, identifiers or pages say these are different works.
    """
    ev = verdict.evidence
    if ev.get("vetoes") or ev.get("conflicts"):
        return False
    gap = ev.get("year_distance")
    if gap is not None and gap > config.max_year_gap:
        return False
    if a.title and b.title and ev.get("title_similarity", 0.0) < config.title_threshold:
        return False
    overlap = ev.get("author_overlap")
    return overlap is None or overlap >= config.min_author_overlap


def _choose_target(
    fj: int,
    item: Item,
    base: Library,
    feats: list[Features],
    group: list[int],
    by_key: dict[str, list[int]],
    placed: dict[int, int],
    n_base: int,
    config: MatchConfig,
) -> tuple[int | None, float]:
    """Index (in ``feats``) of what ``item`` merges into, and the score; None when it is new."""
    best: tuple[float, int] | None = None
    for i in by_key.get(item.id, []):  # the same key and the same work: surely that entry
        if _identical(base.items[i], item):
            return i, 1.0
        verdict = compare_features(feats[i], feats[fj], config)
        if not verdict.same and feats[i].type != feats[fj].type:
            # the same key: a type the other format could not hold (RIS has no "periodical") is no veto
            verdict = compare_features(feats[i], dataclasses.replace(feats[fj], type=feats[i].type), config)
        if (verdict.same or _nothing_contradicts(verdict, feats[i], feats[fj], config)) and (best is None or verdict.score > best[0]):
            best = (verdict.score, i)
    if best is not None:
        return best[1], best[0]
    # no direct match: join the group through its base members, else through earlier incoming ones
    members = [i for i in group if i < n_base] or [i for i in group if n_base <= i < fj and i in placed]
    for i in members:
        score = compare_features(feats[i], feats[fj], config).score
        if best is None or score > best[0]:
            best = (score, i)
    if best is not None:
        return best[1], best[0]
    return None, 0.0
