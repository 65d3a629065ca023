"""Rule hits per corpus folder: ``python benchmarks/lint_summary.py [CORPORA_DIR] [--json]``.

Lints every file under ``../shared/corpora`` that some reader accepts (its
format is detected), one file at a time, and prints, per top-level folder,
the files linted, the findings per rule and the time taken. Files no
reader accepts are counted as skipped; a lint crash is printed and counted.
"""
from __future__ import annotations

import json
import sys
import time
import traceback
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bibtools import registry  # noqa: E402
from bibtools.lint import RULES, lint  # noqa: E402
from bibtools.textio import decode  # noqa: E402

SKIP_NAMES = {"README.md", "LICENSE", "LICENSE.txt", "COPYING"}


def accepted(path: Path) -> bool:
    """Whether some reader takes this file (detection by suffix and content)."""
    try:
        text = decode(path.read_bytes()[:65536]).text
        fmt = registry.detect(text, str(path))
    except (registry.UnknownFormat, OSError):
        return False
    return fmt.read is not None


def corpus_files(corpora: Path) -> list[Path]:
    return sorted(p for p in corpora.rglob("*") if p.is_file() and p.name not in SKIP_NAMES)


def summarise(corpora: Path, *, out=sys.stdout) -> dict[str, dict]:
    folders: dict[str, dict] = defaultdict(lambda: {"files": 0, "skipped": 0, "crashed": 0, "seconds": 0.0,
                                                     "hits": Counter()})
    for path in corpus_files(corpora):
        rel = path.relative_to(corpora)
        folder = rel.parts[0] if len(rel.parts) > 1 else "."
        entry = folders[folder]
        if not accepted(path):
            entry["skipped"] += 1
            continue
        started = time.perf_counter()
        try:
            findings = lint(path)
        except Exception:  # reported, and counted: the corpus test fails on any
            entry["crashed"] += 1
            print(f"CRASH {rel}\n{traceback.format_exc()}", file=sys.stderr)
            continue
        finally:
            entry["seconds"] += time.perf_counter() - started
        entry["files"] += 1
        entry["hits"].update(f.rule for f in findings)
    return folders


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    corpora = Path(args[0]) if args else ROOT.parent / "shared" / "corpora"
    folders = summarise(corpora)
    if "--json" in sys.argv:
        print(json.dumps({k: {**v, "hits": dict(v["hits"])} for k, v in folders.items()}, indent=1))
        return
    rules = sorted(RULES)
    print("| folder | files | skipped | s | " + " | ".join(rules) + " |")
    print("|---" * (4 + len(rules)) + "|")
    total: Counter = Counter()
    for name in sorted(folders):
        v = folders[name]
        total.update(v["hits"])
        cells = " | ".join(str(v["hits"].get(r, "")) for r in rules)
        print(f"| {name} | {v['files']} | {v['skipped']} | {v['seconds']:.1f} | {cells} |")
    print(f"| total | {sum(v['files'] for v in folders.values())} | {sum(v['skipped'] for v in folders.values())} | "
          f"{sum(v['seconds'] for v in folders.values()):.1f} | " + " | ".join(str(total.get(r, "")) for r in rules) + " |")
    crashed = sum(v["crashed"] for v in folders.values())
    if crashed:
        print(f"{crashed} files crashed the linter", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
