"""How much of a .bib survives a same-dialect round trip through bibtools (issue 12).

For each file: read it as bibtools reads it (dialect sniffed from the content),
write it in that same dialect, then split input and output with bibtexparser's
splitter and compare entry by entry, field by field: each input field must come
back under its own name (case ignored) with the same value text once white
space is collapsed. Counted: entries, fields, fields lost or changed, entries
affected, and fields the writer added (the classic ``key`` label).

    python tools/bib_fidelity.py [FILE_OR_DIR...]   (default: corpora reference/ and large/)

Escapes the writer makes on purpose (a bare ``&``, ``%`` or ``#`` that stops
LaTeX, reported as a loss) are compared after the same escape.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"


_UNSAFE = re.compile(r"the field '([^']+)' holds TeX that may not run live")


@dataclass
class Fidelity:
    path: str
    dialect: str = ""
    entries: int = 0
    fields: int = 0
    lost: list[tuple[str, str, str, str]] = field(default_factory=list)  # key, field, was, now
    added: int = 0
    commented: int = 0  # "% name = ..." lines inside an entry, reported by the reader and left out
    neutralised: int = 0  # values with TeX the allow-list does not let run live: made text, reported
    missing_entries: list[str] = field(default_factory=list)

    @property
    def entries_affected(self) -> int:
        return len({key for key, *_ in self.lost} | set(self.missing_entries))


def _text(raw: str) -> str:
    try:
        from bibtools.formats.bibtex.faithful import escape_bare_specials
    except ImportError:  # measuring a version from before faithful writes
        def escape_bare_specials(text: str) -> tuple[str, str]:
            return text, ""

    return " ".join(escape_bare_specials(" ".join(raw.split()))[0].split())


def _neutralised(name: str, raw: str) -> str:
    from bibtools.mappings.bibtex import is_verbatim
    from bibtools.safety import safe_field_value

    return safe_field_value(" ".join(raw.split()), verbatim=is_verbatim(name.lower(), raw))


def _entries(text: str) -> list[tuple[str, list[tuple[str, str]]]]:
    from bibtexparser import model as bm

    from bibtools.formats.bibtex.reader import split_blocks

    out = []
    for block in split_blocks(text).blocks:
        if isinstance(block, (bm.DuplicateBlockKeyBlock, bm.DuplicateFieldKeyBlock)):
            block = block.ignore_error_block
        if isinstance(block, bm.Entry):
            out.append((block.key.strip(), [(f.key.strip(), f.value.strip()) for f in block.fields]))
    return out


def measure(path: Path) -> Fidelity:
    import bibtools
    from bibtools import registry
    from bibtools.textio import decode

    text = decode(path.read_bytes(), source=str(path)).text
    from bibtools.formats.bibtex.reader import sniff_biblatex

    fmt = registry.detect(text, str(path))
    # the file's own dialect: BibLaTeX where it uses BibLaTeX's fields or types
    dialect = "biblatex" if fmt.name in ("bibtex", "biblatex") and sniff_biblatex(text) else fmt.name
    library = bibtools.load_string(text, fmt.name, source=str(path))
    losses: list = []
    written = bibtools.dump(library, dialect, losses=losses)
    unsafe = {(d.key, m.group(1).lower()) for d in losses if (m := _UNSAFE.match(d.message))}
    result = Fidelity(str(path), dialect)
    before, after = _entries(text), _entries(written)
    by_key: dict[str, list[list[tuple[str, str]]]] = {}
    for key, fields in after:
        by_key.setdefault(key, []).append(fields)
    for key, fields in before:
        result.entries += 1
        result.fields += len(fields)
        if not by_key.get(key):
            result.missing_entries.append(key)
            continue
        out = by_key[key].pop(0)
        remaining = list(out)
        for name, raw in fields:
            if name.startswith("%"):
                # a commented-out field: BibTeX has no comments inside an entry and stops at it
                # ("missing a field name"); the reader reports it and leaves it out
                result.commented += 1
                continue
            match = next((i for i, (n, _) in enumerate(remaining) if n.lower() == name.lower()), None)
            if match is None:
                result.lost.append((key, name, raw, ""))
                continue
            now = remaining.pop(match)[1]
            if _text(now) != _text(raw):
                if _text(now) == _text(_neutralised(name, raw)) or (key, name.lower()) in unsafe:
                    result.neutralised += 1
                else:
                    result.lost.append((key, name, raw, now))
        result.added += len(remaining)
    return result


def corpus_files() -> list[Path]:
    return sorted([*(CORPORA / "reference").glob("*.bib"), *(CORPORA / "large").glob("*.bib")])


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or corpus_files()
    files = [p for a in paths for p in (sorted(a.rglob("*.bib")) if a.is_dir() else [a])]
    totals = Fidelity("total")
    for path in files:
        r = measure(path)
        print(f"{path.name:45} {r.dialect:9} {r.entries:6} entries {r.fields:7} fields  "
              f"{len(r.lost):5} lost/changed in {r.entries_affected:4} entries  {len(r.missing_entries)} entries missing  "
              f"{r.added} added  {r.neutralised} neutralised  {r.commented} commented out")
        for key, name, was, now in r.lost[:3]:
            print(f"    {key}: {name} = {was[:70]!r} -> {now[:70]!r}")
        totals.entries += r.entries
        totals.fields += r.fields
        totals.lost += r.lost
        totals.missing_entries += r.missing_entries
        totals.added += r.added
        totals.neutralised += r.neutralised
        totals.commented += r.commented
    gone = [x for x in totals.lost if not x[3]]
    print(f"  of which not back under their own name: {len(gone)} fields in {len({x[0] for x in gone})} entries")
    print(f"TOTAL {totals.entries} entries, {totals.fields} fields: {len(totals.lost)} fields lost or changed in "
          f"{totals.entries_affected} entries, {len(totals.missing_entries)} entries missing, {totals.added} fields added, "
          f"{totals.neutralised} values with TeX not allowed live made text (reported), "
          f"{totals.commented} commented-out fields left out (reported)")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main(sys.argv[1:]))
