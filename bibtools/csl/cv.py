"""Publication lists for a CV or a lab page: highlight one author, group, sort.

Highlighting works on the engine's input and output, not on the style: each
name that matches gets a private-use marker after its family name (so sorting
and disambiguation see the same name everywhere), and after rendering the name
as the style printed it (with its given name or initials, in either order) is
wrapped in ``<b>``. Markers left anywhere else are removed.
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from typing import Any

from anyascii import anyascii

from ..model import Item, Name
from ..variables import NAME_VARIABLES

MARK = "\U000F0000"  # plane-15 private use: never in real data, survives case changes; the engine uses U+E000/E001 itself

# Group headings for --group-by type, in the order a CV lists them (data, not code).
TYPE_GROUPS: tuple[tuple[str, frozenset[str]], ...] = (
    ("Journal articles", frozenset({"article-journal", "article-magazine", "article-newspaper", "review", "review-book"})),
    ("Conference papers", frozenset({"paper-conference", "speech", "event"})),
    ("Books", frozenset({"book", "classic", "collection"})),
    ("Book chapters", frozenset({"chapter", "entry", "entry-dictionary", "entry-encyclopedia"})),
    ("Theses", frozenset({"thesis"})),
    ("Reports", frozenset({"report", "standard", "pamphlet"})),
    ("Preprints", frozenset({"article", "manuscript"})),
    ("Patents", frozenset({"patent"})),
    ("Software and data", frozenset({"software", "dataset"})),
    ("Web pages and posts", frozenset({"webpage", "post", "post-weblog"})),
)
OTHER_GROUP = "Other"
NO_DATE_GROUP = "No date"
GROUP_BY = ("year", "type")
SORTS = ("newest", "oldest")


def _fold(text: str) -> str:
    return anyascii(text).casefold().strip()


def name_matches(name: Name, query: str) -> bool:
    """Whether ``name`` is the person ``query`` names: "Family", "Given Family" or "Family, Given"."""
    q = query.strip()
    if not q:
        return False
    if name.literal is not None:
        return _fold(name.literal) == _fold(q)
    family = _fold(name.full_family)
    bare_family = _fold(name.family or "")
    if _fold(q) in (family, bare_family):
        return True
    if "," in q:
        q_family, q_given = (p.strip() for p in q.split(",", 1))
    else:
        words = q.split()
        q_family, q_given = words[-1], " ".join(words[:-1])
    if _fold(q_family) not in (family, bare_family):
        return False
    given = _fold(name.given or "")
    q_given_f = _fold(q_given).rstrip(".")
    return not q_given_f or given.startswith(q_given_f) or given[:1] == q_given_f[:1]


def mark_names(csl_items: Iterable[dict[str, Any]], items: Iterable[Item], query: str) -> tuple[list[str], list[str]]:
    """Append ``MARK`` to the family name of every matching name in the CSL-JSON dicts.

    Returns the given names and particles of the marked people, to find the
    whole name as printed later.
    """
    givens: set[str] = set()
    particles: set[str] = set()
    for data, item in zip(csl_items, items):
        for variable in NAME_VARIABLES:
            names = item.fields.get(variable)
            if not isinstance(names, list):
                continue
            for index, name in enumerate(names):
                if not isinstance(name, Name) or not name_matches(name, query):
                    continue
                target = data[variable][index]
                if "literal" in target:
                    target["literal"] = f"{target['literal']}{MARK}"
                elif target.get("family"):
                    target["family"] = f"{target['family']}{MARK}"
                    givens.update(g for g in (name.given,) if g)
                    particles.update(p for p in (name.non_dropping_particle, name.dropping_particle) if p)
    return sorted(givens, key=len, reverse=True), sorted(particles, key=len, reverse=True)


_WS = r"(?:\s|&#160;|&nbsp;)"


def _given_pattern(given: str) -> str:
    """A given name as styles print it: in full, or as initials with or without periods/spaces."""
    words = [w for w in re.split(r"[\s\-]+", given.strip()) if w]
    parts = [rf"(?:{re.escape(html.escape(w, quote=False))}|{re.escape(w[0])}\.?)" for w in words]
    return r"(?:\s|&#160;|-)*".join(parts)


def bold_marked(engine_html: str, givens: Iterable[str] = (), particles: Iterable[str] = ()) -> str:
    """Wrap each marked name (with its given name and particle, either side) in ``<b>``; drop the markers."""
    if MARK not in engine_html:
        return engine_html
    given_alts = "|".join(_given_pattern(g) for g in givens if g.strip())
    given = rf"(?:{given_alts})(?!\w)" if given_alts else r"(?!x)x"
    particle_alts = "|".join(re.escape(p) for p in particles)
    particle = rf"(?:(?:{particle_alts}){_WS}+)?" if particle_alts else ""
    pattern = re.compile(
        rf"(?:(?<![\w.]){given}{_WS}+)?"  # "S. Shalev-Shwartz"
        rf"(?P<open><span[^>]*>)?"  # a small-caps or similar span around the family name
        rf"{particle}[^\s<>,;(\[]*{MARK}"
        rf"(?(open)</span>)"
        rf"(?:,?{_WS}+{given})?"  # "Shalev-Shwartz, S." / "Shalev-Shwartz S"
    )

    def repl(m: re.Match[str]) -> str:
        return "<b>" + m.group(0).replace(MARK, "") + "</b>"

    return pattern.sub(repl, engine_html).replace(MARK, "")


def strip_marks(text: str) -> str:
    return text.replace(MARK, "")


def group_of(item: Item, group_by: str) -> str:
    if group_by == "year":
        year = item.year
        return str(year) if year is not None else NO_DATE_GROUP
    if group_by == "type":
        for heading, types in TYPE_GROUPS:
            if item.type in types:
                return heading
        return OTHER_GROUP
    raise ValueError(f"unknown grouping {group_by!r} (known: {', '.join(GROUP_BY)})")


def group_rank(group: str, group_by: str, sort: str | None = None) -> tuple[int, int | str]:
    """Years newest first (oldest first with ``sort="oldest"``; no date last); types in ``TYPE_GROUPS`` order."""
    if group_by == "year":
        if group == NO_DATE_GROUP:
            return (1, 0)
        return (0, int(group) if sort == "oldest" else -int(group))
    order = [heading for heading, _ in TYPE_GROUPS] + [OTHER_GROUP]
    return (0, order.index(group)) if group in order else (1, group)


def date_key(item: Item) -> tuple[int, int, int]:
    """(year, month, day) of ``issued``; undated items sort as oldest."""
    issued = item.issued
    if issued is None or not issued.parts:
        return (-10**6, 0, 0)
    first = tuple(issued.parts[0]) + (0, 0)
    return (int(first[0]), int(first[1]), int(first[2]))


def sort_items(items: list[Item], sort: str) -> list[Item]:
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r} (known: {', '.join(SORTS)})")
    return sorted(items, key=date_key, reverse=(sort == "newest"))


def by_id(items: Iterable[Item]) -> Mapping[str, Item]:
    out: dict[str, Item] = {}
    for item in items:
        out.setdefault(item.id, item)
    return out
