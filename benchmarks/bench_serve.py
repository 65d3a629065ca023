"""``bibtools serve`` speed: a 1,000-entry paste parsed and previewed, and one edit.

    python benchmarks/bench_serve.py [--entries 1000] [--style apa] [--repeat 3]

Serves the app on a free port of 127.0.0.1 (a real uvicorn), pastes the first
``--entries`` entries of ``../shared/corpora/large/cdl-bibliography.bib`` (a real
lab bibliography) through ``/api/paste`` with the preview in ``--style``, then
re-renders the preview alone (the list already shown: a cache hit), edits one title
(the page's typing path) and previews the edited list (a full render). Prints
the wall time of each request, the median of ``--repeat`` rounds, and where the
paste's time goes (reading, lint + duplicates, formatting) measured on the API.
Only the first round's paste pays what a fresh process pays once (imports, the style
parsed); ``--warm-up`` serves the app as ``bibtools serve`` does, which pays that in a
thread at launch (the paste is sent as soon as the page is loaded: what the warm-up
has not done yet is waited for). Compare the first rounds of two runs, with and without.
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "tests"))

from bibtools.api import load_string  # noqa: E402
from bibtools.serve.preview import PreviewOptions, render_list  # noqa: E402
from bibtools.serve.workspace import Workspace  # noqa: E402
from servetools import live, load_page  # noqa: E402

CORPUS = PROJECT.parent / "shared" / "corpora" / "large" / "cdl-bibliography.bib"


def first_entries(n: int) -> str:
    blocks = re.split(r"(?m)^(?=@)", CORPUS.read_text(encoding="utf-8"))
    entries = [b for b in blocks if b.lstrip().lower().startswith("@") and not b.lstrip().lower().startswith(("@string", "@comment", "@preamble"))]
    return "".join(entries[:n])


def timed(fn):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--style", default="apa")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--warm-up", action="store_true", help="serve the app as the command does (warm_up=True)")
    args = parser.parse_args()
    text = first_entries(args.entries)
    rows: dict[str, list[float]] = {"paste+preview (HTTP)": [], "preview alone (HTTP)": [], "one edit (HTTP)": [],
                                    "preview after an edit (HTTP)": [],
                                    "read (API)": [], "lint+duplicates (API)": [], "format (API)": []}
    for _ in range(args.repeat):
        # a fresh server each round: its preview cache would answer a second paste of the same text
        with live(warm_up=args.warm_up) as (_, client):
            client.timeout = 600
            page = load_page(client)
            seconds, response = timed(lambda: page.post("/api/paste", text=text, style=args.style))
            data = response.json()
            assert len(data["entries"]) == args.entries, (len(data["entries"]), data.get("error"))
            rows["paste+preview (HTTP)"].append(seconds)
            rows["preview alone (HTTP)"].append(timed(lambda: page.post("/api/preview", style=args.style))[0])
            uid = data["entries"][args.entries // 2]["uid"]
            rows["one edit (HTTP)"].append(timed(lambda: page.post("/api/edit", uid=uid, title="An edited title", style=args.style))[0])
            rows["preview after an edit (HTTP)"].append(timed(lambda: page.post("/api/preview", style=args.style))[0])
    for _ in range(args.repeat):
        rows["read (API)"].append(timed(lambda: load_string(text))[0])
        space = Workspace("bench")
        space.paste(text, fetch=None, library=None)  # reads and checks
        rows["lint+duplicates (API)"].append(timed(lambda: space.check(None))[0])
        rows["format (API)"].append(timed(lambda: render_list([r.item for r in space.records], PreviewOptions(style=args.style)))[0])
    print(f"{args.entries} entries of {CORPUS.name}, style {args.style}, median of {args.repeat}:")
    for name, values in rows.items():
        print(f"  {name:<30} {statistics.median(values):7.3f} s   (runs: {', '.join(f'{v:.2f}' for v in values)})")


if __name__ == "__main__":
    main()
