"""Which control words the BibTeX writer's allow-list neutralises in real .bib files.

``python tests/tex_census.py [DIR]`` prints, per command, how often it is
written as text across every .bib under DIR (default ``../shared/corpora``);
``census`` is what ``tests/test_tex_allowlist.py`` asserts on.
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from bibtools.formats.bibtex.writer import _EntryWriter
from bibtools.lint.engine import unit_for_file
from bibtools.mappings.bibtex import VERBATIM_FIELDS
from bibtools.safety import preamble_commands, untypographic_commands


def _values(path: Path, regenerated: bool) -> tuple[list[str], frozenset[str]]:
    """Every field value of one file as written (raw, macros expanded) or as the writer regenerates it."""
    unit = unit_for_file(path)
    defined = preamble_commands(unit.library.preambles) if unit.library is not None else frozenset()
    if regenerated:
        items = unit.library.items if unit.library is not None else []
        return [v for item in items for v in _EntryWriter(item, "bibtex", False, None).build().values()], defined
    return [f.text for r in unit.records for f in r.fields.values() if f.name not in VERBATIM_FIELDS], defined


def census(paths: list[Path], *, regenerated: bool = False) -> tuple[Counter[str], Counter[str]]:
    """(occurrences per neutralised command, files per neutralised command) over the files' field
    values as written in them, or (``regenerated``) as the writer rebuilds them from the model."""
    counts: Counter[str] = Counter()
    files: Counter[str] = Counter()
    for path in paths:
        values, defined = _values(path, regenerated)
        seen: set[str] = set()
        for value in values:
            for name in untypographic_commands(value, defined):
                counts[name] += 1
                seen.add(name)
        files.update(seen)
    return counts, files


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    root = Path(args[0]) if args else Path(__file__).resolve().parents[2] / "shared" / "corpora"
    paths = sorted(root.rglob("*.bib"))
    regenerated = "--regenerated" in sys.argv
    counts, files = census(paths, regenerated=regenerated)
    print(f"{len(paths)} files, {len(counts)} distinct commands, {sum(counts.values())} occurrences neutralised")
    for name, n in counts.most_common():
        print(f"  \\{name}: {n} ({files[name]} files)")


if __name__ == "__main__":
    main()
