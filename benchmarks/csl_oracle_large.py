"""bibtools' CSL engine against citeproc-js on real CSL-JSON from ../shared/corpora.

Selection (deterministic): every record of csl-json/manubot-metaboverse-references.json,
csl-json/manubot-nature-news-references.json and csl-json/bbt-export-fixtures-combined.csl.json,
in file order, ids prefixed by the file so they stay unique; records without a type get\n\"article\"; records whose date ranges have parts of different lengths are left out\n(citeproc-js aborts the whole run on them).
Procedure as in ../shared/oracle/csl/README.md: all refs registered, each cited once alone in
order, then the oracle's clusters.json is not used (its ids are not in this set).

citeproc-js (npm citeproc 2.4.63) is installed on demand into benchmarks/.node/ (git-ignored)
and run by benchmarks/csl_oracle_js.js; it is never used by bibtools itself.

    python benchmarks/csl_oracle_large.py [--styles apa,ieee] [--outputs text,html]
        [--diffs benchmarks/results/csl_oracle_large.json]
    python benchmarks/csl_oracle_large.py --bench [--n 2000]   # ms/reference, both engines
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import citeproc

from bibtools.csl.conformance import ORACLE_STYLES, CslEngine, normalise, style_source

HERE = Path(__file__).resolve().parent
CORPORA = HERE.parent.parent / "shared" / "corpora"
NODE_DIR = HERE / ".node"
LOCALES = Path(citeproc.__file__).parent / "data" / "locales"
FILES = (
    "csl-json/manubot-metaboverse-references.json",
    "csl-json/manubot-nature-news-references.json",
    "csl-json/bbt-export-fixtures-combined.csl.json",
)


def ensure_citeproc_js() -> None:
    if (NODE_DIR / "node_modules" / "citeproc").exists():
        return
    NODE_DIR.mkdir(exist_ok=True)
    (NODE_DIR / "package.json").write_text('{"private": true}\n')
    subprocess.run(["npm", "install", "--no-audit", "--no-fund", "citeproc@2.4.63"], cwd=NODE_DIR, check=True)


def _date_range_mismatch(rec: dict) -> bool:
    for value in rec.values():
        if isinstance(value, dict) and isinstance(value.get("date-parts"), list):
            parts = [p for p in value["date-parts"] if isinstance(p, list)]
            if len(parts) > 1 and len({len(p) for p in parts}) > 1:
                return True
    return False


def load_refs() -> list[dict]:
    refs = []
    for name in FILES:
        tag = Path(name).name.split(".")[0]
        for n, rec in enumerate(json.loads((CORPORA / name).read_text(encoding="utf-8"))):
            rec = dict(rec)
            rec["id"] = f"{tag}:{n}:{rec.get('id', '')}"
            rec.setdefault("type", "article")
            if _date_range_mismatch(rec):  # citeproc-js refuses the whole run on these
                continue
            refs.append(rec)
    return refs


def run_js(style_path: str, lang: str | None, refs: list[dict], outputs: list[str], repeat: int = 0) -> dict:
    job = {"style": style_path, "locales_dir": str(LOCALES), "lang": lang, "refs": refs,
           "clusters": [], "outputs": outputs, "repeat": repeat}
    proc = subprocess.run(["/usr/bin/node", str(HERE / "csl_oracle_js.js")], input=json.dumps(job),
                          capture_output=True, text=True)
    if proc.returncode:
        raise SystemExit(f"citeproc-js failed on {style_path}:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout)


def run_ours(style_path: str, lang: str | None, refs: list[dict], output: str) -> dict:
    engine = CslEngine(style_path, refs, locale=lang, output=output)  # type: ignore[arg-type]
    citations = {}
    for note, ref in enumerate(refs, 1):
        try:
            citations[ref["id"]] = engine.cite([{"id": ref["id"]}], note_index=note)
        except Exception as exc:  # noqa: BLE001 - a benchmark reports, it does not stop
            citations[ref["id"]] = f"<exception {type(exc).__name__}: {exc}>"
    bib = dict(engine.bibliography())
    return {"bibliography": bib, "order": list(bib), "citations": citations}


def compare(styles: list[str], outputs: list[str], diffs_path: Path | None) -> None:
    ensure_citeproc_js()
    refs = load_refs()
    print(f"{len(refs)} references from {len(FILES)} files")
    print(f"{'style':40} {'out':5} {'bibliography':>16} {'citations':>16} order")
    diffs: dict = {}
    for style in styles:
        path, lang = style_source(style)
        js = run_js(path, lang, refs, outputs)
        for output in outputs:
            want = js["formats"][output]
            if want.get("misaligned"):
                print(f"  note: citeproc-js printed {want['n_entries']} entries for {want['n_ids']} ids;"
                      " the ids that printed nothing were found page by page and expect an empty entry", flush=True)
            ours = run_ours(path, lang, refs, output)
            bad_bib = {k: (ours["bibliography"].get(k, ""), v) for k, v in want["bibliography"].items()
                       if normalise(ours["bibliography"].get(k, "")) != normalise(v)}
            bad_cit = {k: (ours["citations"].get(k, ""), v) for k, v in want["citations"].items()
                       if normalise(ours["citations"].get(k, "")) != normalise(v)}
            nb, nc = len(want["bibliography"]), len(want["citations"])
            same_order = ours["order"] == want["order"]
            print(f"{style:40} {output:5} {nb - len(bad_bib):5}/{nb:<5} {100 * (nb - len(bad_bib)) / max(nb, 1):5.1f}%"
                  f" {nc - len(bad_cit):5}/{nc:<5} {100 * (nc - len(bad_cit)) / max(nc, 1):5.1f}% {'same' if same_order else 'differs'}",
                  flush=True)
            diffs[f"{style}/{output}"] = {
                "bibliography": {k: {"bibtools": a, "citeproc-js": b} for k, (a, b) in bad_bib.items()},
                "citations": {k: {"bibtools": a, "citeproc-js": b} for k, (a, b) in bad_cit.items()},
            }
    if diffs_path:
        diffs_path.parent.mkdir(parents=True, exist_ok=True)
        diffs_path.write_text(json.dumps(diffs, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"differing pairs written to {diffs_path}")


def bench(n: int, styles: list[str]) -> None:
    ensure_citeproc_js()
    base = load_refs()
    refs = []
    for i in range(n):  # deterministic: the real set repeated, ids made unique
        rec = dict(base[i % len(base)])
        copy = i // len(base)
        rec["id"] = f"{rec['id']}#{copy}"
        if copy:  # plain repeats would make every cite ambiguous; mark copies apart
            for role in ("author", "editor"):
                if isinstance(rec.get(role), list):
                    rec[role] = [dict(p, family=f"{p['family']}{copy}") if isinstance(p, dict) and "family" in p
                                 else p for p in rec[role]]
            if isinstance(rec.get("title"), str):
                rec["title"] = f"{rec['title']} {copy}"
        refs.append(rec)
    print(f"{n} references ({len(base)} real ones repeated), text output, median of 3")
    for style in styles:
        path, lang = style_source(style)
        js = run_js(path, lang, refs, ["text"], repeat=3)
        times = []
        for _ in range(3):
            t = time.perf_counter()
            run_ours(path, lang, refs, "text")
            times.append((time.perf_counter() - t) * 1000)
        print(f"{style:25} bibtools {statistics.median(times) / n:6.2f} ms/ref   "
              f"citeproc-js {statistics.median(js['ms']) / n:6.2f} ms/ref", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--styles", default=",".join(ORACLE_STYLES))
    ap.add_argument("--outputs", default="text,html")
    ap.add_argument("--diffs", type=Path, default=None)
    ap.add_argument("--bench", action="store_true")
    ap.add_argument("--n", type=int, default=2000)
    a = ap.parse_args()
    if a.bench:
        styles = a.styles.split(",") if a.styles != ",".join(ORACLE_STYLES) else ["apa", "ieee", "chicago-author-date"]
        bench(a.n, styles)
    else:
        compare(a.styles.split(","), a.outputs.split(","), a.diffs)


if __name__ == "__main__":
    sys.exit(main())
