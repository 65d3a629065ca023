"""Complete incomplete records from Crossref, arXiv, OpenAlex and Semantic Scholar.

For each item: look it up by identifier when it has one (DOI, arXiv id), else
search (authors + title, or authors + the abstract's opening words). Every
candidate is scored (``bibtools.matching``); only a confident match that is
clearly better than the runner-up fills fields. Existing values are kept
unless named in ``overwrite``. Every change names its source, the matched
record's identifier and the confidence, so a user can check it.

A preprint (arXiv id, no publisher DOI) that has since been published gains
the venue and DOI; its arXiv id is kept.
"""
from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from .diagnostics import Diagnostic, info, warning
from .matching import Score, same_work, score
from .model import Date, FieldValue, Item, Library, Name
from .net import sources as src
from .net.cache import Cache
from .net.http import HttpClient
from .net.ids import item_arxiv, item_doi

# What a match may fill; abstracts and keywords are left out (they bloat a bibliography).
FILL_FIELDS: tuple[str, ...] = (
    "title",
    "author",
    "issued",
    "container-title",
    "container-title-short",
    "volume",
    "issue",
    "page",
    "DOI",
    "publisher",
    "ISSN",
    "ISBN",
)
# How a preprint carries its arXiv id; copied from an arXiv candidate when missing.
ARXIV_EXTRA = ("eprint", "archiveprefix", "primaryclass", "eprinttype")
PREPRINT_TYPES = {"article", "document", "manuscript", "report"}
PUBLISHED_TYPES = {"article-journal", "paper-conference", "chapter", "book", "article-magazine"}
NEAR_MISS = 0.15  # below min_confidence by less than this: "ambiguous", not "not found"


@dataclass
class Change:
    key: str
    field: str
    old: str | None
    new: str
    source: str  # service name
    matched: str  # the matched record's identifier (DOI, arXiv id, or the service's id)
    confidence: float

    def __str__(self) -> str:
        was = f" (was {self.old!r})" if self.old else ""
        what = f"{self.field} = {self.new!r}" if self.new else f"{self.field} removed"
        return f"{self.key}: {what}{was} [{self.source} {self.matched}, confidence {self.confidence:.2f}]"


@dataclass
class Outcome:
    """What happened to one item."""

    key: str
    status: str  # "filled" | "found" | "ambiguous" | "not-found" | "offline-miss" | "error" | "skipped" | "not-reached"
    changes: list[Change] = field(default_factory=list)
    source: str | None = None
    matched: str | None = None
    confidence: float | None = None
    runner_up: float | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class Summary:
    found: int = 0
    filled: int = 0
    ambiguous: int = 0
    not_found: int = 0
    offline_misses: int = 0
    errors: int = 0
    skipped: int = 0
    not_reached: int = 0  # not looked up: the run's deadline came first

    def __str__(self) -> str:
        text = f"found {self.found}, filled {self.filled}, ambiguous {self.ambiguous}, not found {self.not_found}"
        for label, count in (("not in cache (offline)", self.offline_misses), ("errors", self.errors), ("skipped", self.skipped),
                             ("not reached", self.not_reached)):
            if count:
                text += f", {label} {count}"
        return text


@dataclass
class EnrichReport:
    outcomes: list[Outcome] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    requests: int = 0
    cache_hits: int = 0

    @property
    def changes(self) -> list[Change]:
        return [c for o in self.outcomes for c in o.changes]

    @property
    def summary(self) -> Summary:
        s = Summary()
        for o in self.outcomes:
            if o.status in ("filled", "found"):
                s.found += 1
                s.filled += o.status == "filled"
            elif o.status == "ambiguous":
                s.ambiguous += 1
            elif o.status == "not-found":
                s.not_found += 1
            elif o.status == "offline-miss":
                s.offline_misses += 1
            elif o.status == "error":
                s.errors += 1
            elif o.status == "not-reached":
                s.not_reached += 1
            else:
                s.skipped += 1
        return s


@dataclass
class _Candidate:
    service: str
    item: Item
    score: Score
    by_id: bool = False

    @property
    def ident(self) -> str:
        return item_doi(self.item) or (f"arXiv:{item_arxiv(self.item)}" if item_arxiv(self.item) else self.item.id)


@dataclass
class Enricher:
    """Settings for a run; ``enrich_item`` does one item, ``run`` a library."""

    client: HttpClient
    sources: Sequence[str] = src.ALL_SOURCES
    min_confidence: float = 0.9
    margin: float = 0.1  # the winner must beat the best *other* paper by this much
    overwrite: frozenset[str] = frozenset()
    rows: int = 5

    # -- asking ----------------------------------------------------------------
    def _collect(self, lookup: src.Lookup | None, record: Item, out: list[_Candidate], problems: list[str], by_id: bool) -> None:
        if lookup is None:
            return
        if lookup.status in ("offline-miss", "error"):
            problems.append(f"{lookup.status}: {lookup.message}")
        for cand in lookup.items:
            out.append(_Candidate(lookup.service, cand, self._score(record, cand, by_id), by_id))

    def _score(self, record: Item, cand: Item, by_id: bool) -> Score:
        result = score(record, cand)
        if by_id:
            # The identifier names the record; only a clearly different title casts doubt on it.
            title = result.evidence.get("title")
            if title is None or title >= 0.7:
                return Score(1.0, result.evidence, "matched by identifier")
        return result

    def _choose(self, cands: list[_Candidate]) -> tuple[_Candidate | None, float | None, bool]:
        """The confident winner (or None), the runner-up's score, and whether it was close."""
        if not cands:
            return None, None, False
        ranked = sorted(cands, key=lambda c: (c.score.confidence, bool(item_doi(c.item))), reverse=True)
        best = ranked[0]
        rivals = [c for c in ranked[1:] if not same_work(best.item, c.item)]
        runner = rivals[0].score.confidence if rivals else None
        clear = runner is None or best.score.confidence - runner >= self.margin
        if best.score.confidence >= self.min_confidence and clear:
            return best, runner, False
        near = best.score.confidence >= self.min_confidence - NEAR_MISS
        return None, runner, near

    # -- one item ----------------------------------------------------------------
    def enrich_item(self, item: Item, label: str | None = None) -> Outcome:
        outcome = Outcome(label or item.id, "not-found")
        doi, arxiv = item_doi(item), item_arxiv(item)
        cands: list[_Candidate] = []
        problems: list[str] = []
        if doi or arxiv:
            for service in self.sources:
                self._collect(src.by_identifier(self.client, service, doi=doi, arxiv=arxiv), item, cands, problems, True)
                if any(c.score.confidence >= 1.0 for c in cands):
                    break
        winner, runner, near = self._choose(cands)
        if winner is None:
            query = src.query_for(item)
            if query is None and not (doi or arxiv):
                outcome.status = "skipped"
                outcome.notes.append("no identifier, and too little (authors with a title or an abstract) to search with")
                return outcome
            if query is not None:
                for service in self.sources:
                    self._collect(src.search(self.client, service, query, self.rows), item, cands, problems, False)
                    winner, runner, near = self._choose(cands)
                    if winner is not None:
                        break
        outcome.notes.extend(problems)
        if winner is None:
            best = max(cands, key=lambda c: c.score.confidence, default=None)
            if best is not None:
                outcome.confidence, outcome.runner_up = best.score.confidence, runner
                outcome.notes.append(f"best candidate {best.ident} from {best.service}: {best.score.describe()}")
            if near:
                outcome.status = "ambiguous"
            elif problems and not cands:
                outcome.status = "offline-miss" if all(p.startswith("offline-miss") for p in problems) else "error"
            return outcome
        outcome.status = "found"
        outcome.source, outcome.matched = winner.service, winner.ident
        outcome.confidence, outcome.runner_up = winner.score.confidence, runner
        published = self._published_version(item, winner)  # before filling: a filled DOI hides the preprint
        outcome.changes = self._fill(item, winner, label=outcome.key)
        if published is not None:
            outcome.changes += self._fill(item, published, preprint_upgrade=True, label=outcome.key)
        if outcome.changes:
            outcome.status = "filled"
        return outcome

    def _published_version(self, item: Item, matched: _Candidate) -> _Candidate | None:
        """For a preprint: the published record, via the DOI arXiv knows or a Crossref search."""
        if matched.service != "arxiv" and item_doi(matched.item):
            return None  # the match is the published record itself
        if item_doi(item) and item_doi(item) != item_doi(matched.item):
            return None  # the record already names its publisher DOI
        if not (item_arxiv(item) or item_arxiv(matched.item)):
            return None
        probe = copy.deepcopy(item)
        for var in ("title", "author"):
            if var not in probe.fields and var in matched.item.fields:
                probe.fields[var] = matched.item.fields[var]
        probe.fields.pop("issued", None)  # a preprint's year says little about when it was published
        found: list[_Candidate] = []
        problems: list[str] = []
        doi = item_doi(matched.item)
        if doi and "crossref" in self.sources:
            self._collect(src.crossref_work(self.client, doi), probe, found, problems, True)
        elif "crossref" in self.sources and probe.title:
            query = src.query_for(probe)
            if query is not None:
                self._collect(src.crossref_search(self.client, query, self.rows), probe, found, problems, False)
            found = [c for c in found if c.item.type in PUBLISHED_TYPES and item_doi(c.item)]
        winner, _, _ = self._choose(found)
        return winner

    # -- filling -----------------------------------------------------------------
    def _fill(self, item: Item, cand: _Candidate, *, preprint_upgrade: bool = False, label: str | None = None) -> list[Change]:
        changes: list[Change] = []
        label = label or item.id

        def record(var: str, old: FieldValue | None, new: FieldValue) -> None:
            changes.append(Change(label, var, _show(old) if old else None, _show(new), cand.service, cand.ident, cand.score.confidence))

        source = cand.item
        arxiv_before = item_arxiv(item)
        for var in FILL_FIELDS:
            new = source.fields.get(var)
            if new in (None, "", []):
                continue
            old = item.fields.get(var)
            if var == "DOI" and old and not item_doi(item) and item_doi(source):
                # the record's DOI is arXiv's DataCite DOI: keep the arXiv id, take the publisher's DOI
                self._keep_arxiv(item, arxiv_before, record)
            elif old not in (None, "", []) and var not in self.overwrite:
                continue
            if var == "DOI" and not item_doi(source) and preprint_upgrade:
                continue
            if old is not None and _show(old) == _show(new):
                continue
            item.fields[var] = copy.deepcopy(new)
            record(var, old, new)
        if not arxiv_before and item_arxiv(source) and cand.service == "arxiv":
            for key in ARXIV_EXTRA:
                if key in source.extra and key not in item.extra:
                    item.extra[key] = source.extra[key]
                    changes.append(Change(label, key, None, source.extra[key], cand.service, cand.ident, cand.score.confidence))
            if not item_arxiv(item):  # the reader keeps the id in fields (number/URL): copy those
                for var in ("number", "URL"):
                    if var in source.fields and var not in item.fields:
                        item.fields[var] = source.fields[var]
                        record(var, None, source.fields[var])
        new_type = source.type
        gained_venue = any(c.field == "container-title" for c in changes)
        if new_type and new_type != item.type and (
            item.type == "document"
            or "type" in self.overwrite
            # a record that gains a journal or proceedings is no longer a preprint / untyped article
            or ((preprint_upgrade or gained_venue) and item.type in PREPRINT_TYPES and new_type in PUBLISHED_TYPES)
            # the venue and the type go together: a conference name is no journal (@article -> @inproceedings)
            or (gained_venue and item.type in PUBLISHED_TYPES and new_type in PUBLISHED_TYPES)
        ):
            changes.append(Change(label, "type", item.type, new_type, cand.service, cand.ident, cand.score.confidence))
            item.type = new_type
            if new_type in PUBLISHED_TYPES:
                self._drop_preprint_fields(item, source, record, arxiv_before or item_arxiv(item))
        return changes

    def _drop_preprint_fields(self, item: Item, source: Item, record: Callable[[str, FieldValue | None, FieldValue], None], arxiv: str | None) -> None:
        """A published record is not published by arXiv, nor numbered "arXiv:...": those fields
        described the preprint. The arXiv id stays (``eprint``/``archiveprefix``)."""
        if arxiv and not item.extra.get("eprint"):
            item.extra["eprint"] = arxiv
            item.extra.setdefault("archiveprefix", "arXiv")
            record("eprint", None, arxiv)
        publisher = item.fields.get("publisher")
        if isinstance(publisher, str) and publisher.strip().lower() == "arxiv":
            replacement = source.fields.get("publisher")
            if isinstance(replacement, str) and replacement.strip().lower() != "arxiv":
                item.fields["publisher"] = replacement
                record("publisher", publisher, replacement)
            else:
                del item.fields["publisher"]
                record("publisher", publisher, "")
        number = item.fields.get("number")
        if isinstance(number, str) and number.lower().startswith("arxiv:"):
            del item.fields["number"]
            record("number", number, "")

    @staticmethod
    def _keep_arxiv(item: Item, arxiv: str | None, record: Callable[[str, FieldValue | None, FieldValue], None]) -> None:
        if not arxiv or item.extra.get("eprint"):
            return
        item.extra["eprint"] = arxiv
        item.extra.setdefault("archiveprefix", "arXiv")
        record("eprint", None, arxiv)

    # -- a library -----------------------------------------------------------------
    def run(self, library: Library, *, progress: Callable[[int, int, str], None] | None = None) -> EnrichReport:
        report = EnrichReport()
        start_requests, start_hits = self.client.stats.requests, self.client.stats.cache_hits
        total = len(library.items)
        for index, item in enumerate(library.items):
            label = item.id or f"record {index + 1}"
            if self.client.time_is_up():  # the input stays as it was for every record left
                outcome = Outcome(label, "not-reached", notes=["the run's time limit (--timeout) was reached"])
            else:
                outcome = self.enrich_item(item, label)
            report.outcomes.append(outcome)
            report.diagnostics.extend(_diagnostics_for(outcome))
            if progress is not None:
                progress(index + 1, total, item.id)
        report.requests = self.client.stats.requests - start_requests
        report.cache_hits = self.client.stats.cache_hits - start_hits
        unreached = [o for o in report.outcomes if o.status in ("not-reached", "error")]
        if unreached:
            why = "; ".join(f"{service}: {reason}" for service, reason in self.client.unreached.items()) \
                or "the run's time limit (--timeout) was reached"
            report.diagnostics.append(warning(
                "enrich.not-reached", f"{len(unreached)} of {total} records not looked up: {why}"))
        return report


def _show(value: FieldValue | None) -> str:
    """A change's value as a person reads it."""
    if value is None:
        return ""
    if isinstance(value, Date):
        if value.parts:
            return "/".join("-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(part)) for part in value.parts)
        return value.literal or value.raw or ""
    if isinstance(value, list):
        return "; ".join(_name_text(n) for n in value if isinstance(n, Name))
    return str(value)


def _name_text(name: Name) -> str:
    if name.literal:
        return name.literal
    return ", ".join(p for p in (name.full_family, name.given) if p)


def _diagnostics_for(outcome: Outcome) -> list[Diagnostic]:
    if outcome.status == "ambiguous":
        return [warning("enrich.ambiguous", "no candidate was clearly the right one; " + "; ".join(outcome.notes), key=outcome.key)]
    if outcome.status == "offline-miss":
        return [info("enrich.offline-miss", "offline and not in the cache", key=outcome.key)]
    if outcome.status == "error":
        return [warning("enrich.error", "; ".join(outcome.notes) or "lookup failed", key=outcome.key)]
    return []


def enrich(
    library: Library,
    *,
    client: HttpClient | None = None,
    sources: Iterable[str] = src.ALL_SOURCES,
    min_confidence: float = 0.9,
    margin: float = 0.1,
    overwrite: Iterable[str] = (),
    offline: bool = False,
    mailto: str | None = None,
    dry_run: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
) -> EnrichReport:
    """Fill missing fields of ``library``'s items in place (on copies with ``dry_run``).

    Without a ``client``, one is made with the on-disk cache, ``offline`` and ``mailto``.
    """
    chosen = [s for s in sources if s in src.ALL_SOURCES]
    unknown = [s for s in sources if s not in src.ALL_SOURCES]
    if unknown:
        raise ValueError(f"unknown source(s): {', '.join(unknown)} (known: {', '.join(src.ALL_SOURCES)})")
    own = client is None
    if client is None:
        client = HttpClient(mailto=mailto, cache=Cache(), offline=offline)
    try:
        enricher = Enricher(client, chosen, min_confidence, margin, frozenset(overwrite))
        target = Library([copy.deepcopy(i) for i in library.items]) if dry_run else library
        return enricher.run(target, progress=progress)
    finally:
        if own:
            client.close()


def fetch(identifiers: Iterable[str], *, client: HttpClient, sources: Sequence[str] = src.ALL_SOURCES) -> tuple[list[Item], list[Diagnostic]]:
    """The records for DOIs / arXiv ids (or their URLs), for ``bibtools add``.

    An arXiv id is fetched from arXiv and, when arXiv knows the published DOI,
    completed from Crossref the way ``enrich`` completes a preprint.
    """
    from .net.ids import classify

    items: list[Item] = []
    problems: list[Diagnostic] = []
    enricher = Enricher(client, [s for s in sources if s in src.ALL_SOURCES])
    for raw in identifiers:
        kind = classify(raw)
        if kind is None:
            problems.append(warning("add.not-an-identifier", f"{raw!r} is neither a DOI nor an arXiv id"))
            continue
        which, ident = kind
        order = ("crossref", "openalex", "s2") if which == "doi" else ("arxiv", "s2")
        found: Item | None = None
        last = ""
        for service in order:
            lookup = src.by_identifier(client, service, doi=ident if which == "doi" else None, arxiv=ident if which == "arxiv" else None)
            if lookup is None:
                continue
            problems.extend(d for d in lookup.diagnostics if d.severity.value != "info")
            if lookup.items:
                found = lookup.items[0]
                if which == "arxiv":
                    cand = _Candidate(service, found, Score(1.0), True)
                    upgrade = enricher._published_version(found, cand)
                    if upgrade is not None:
                        enricher._fill(found, upgrade, preprint_upgrade=True)
                break
            last = f"{lookup.status}: {lookup.message}".rstrip(": ")
        if found is None:
            problems.append(warning("add.not-found", f"{raw}: no record found ({last or 'no service asked'})"))
            continue
        items.append(found)
    return items, problems
