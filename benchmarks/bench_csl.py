"""Formatting speed: bibtools' CSL engine against citeproc-py 0.11.1 alone.

Same input for both: the 26 oracle references in the 13 oracle styles; each
reference is cited once and the bibliography is rendered (HTML). Prints the
time per reference for both and the ratio (the target is <= 1.5x).

    python benchmarks/bench_csl.py [--repeat N]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter  # noqa: E402
from citeproc.source.json import CiteProcJSON  # noqa: E402

from bibtools.csl.conformance import ORACLE_STYLES, style_source  # noqa: E402
from bibtools.csl.engine import CslEngine  # noqa: E402

ORACLE = PROJECT.parent / "shared" / "oracle" / "csl"


def citeproc_alone(path: str, refs: list[dict]) -> None:
    style = CitationStylesStyle(path, validate=False)
    bib = CitationStylesBibliography(style, CiteProcJSON(refs), formatter.html)
    citations = [Citation([CitationItem(ref["id"])]) for ref in refs]
    for citation in citations:
        bib.register(citation)
    bib.sort()
    for citation in citations:
        try:
            bib.cite(citation, lambda item: None)
        except Exception:
            pass
    try:
        bib.bibliography()
    except Exception:
        pass


def bibtools_engine(path: str, refs: list[dict], locale: str | None) -> None:
    engine = CslEngine(path, refs, locale=locale, output="html")
    for number, ref in enumerate(refs, 1):
        engine.cite([{"id": ref["id"]}], note_index=number)
    engine.bibliography()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    refs = json.loads((ORACLE / "refs.json").read_text(encoding="utf-8"))
    warnings.simplefilter("ignore")
    totals = {"citeproc-py": 0.0, "bibtools": 0.0}
    print(f"{'style':40} {'citeproc-py ms/ref':>18} {'bibtools ms/ref':>16} {'ratio':>6}")
    for name in ORACLE_STYLES:
        path, locale = style_source(name)
        best = {}
        for label, run in (("citeproc-py", lambda: citeproc_alone(path, refs)), ("bibtools", lambda: bibtools_engine(path, refs, locale))):
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                run()
                times.append(time.perf_counter() - start)
            best[label] = min(times)
            totals[label] += best[label]
        per = {k: 1000 * v / len(refs) for k, v in best.items()}
        print(f"{name:40} {per['citeproc-py']:18.2f} {per['bibtools']:16.2f} {best['bibtools'] / best['citeproc-py']:6.2f}")
    n = len(refs) * len(ORACLE_STYLES)
    print(
        f"{'all':40} {1000 * totals['citeproc-py'] / n:18.2f} {1000 * totals['bibtools'] / n:16.2f} "
        f"{totals['bibtools'] / totals['citeproc-py']:6.2f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
