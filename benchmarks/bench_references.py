"""Reference-string parsing (``--from references``): field F1 and speed.

    PYTHONPATH=. python benchmarks/bench_references.py --gold PATH/TO/anystyle/res/parser/gold.xml

1. anystyle's gold set (1,669 hand-labelled references; not in the repo: pass its path). Each
   gold reference's text is parsed by the shipped reader; the expected record is made from the
   gold segments by the same segment-to-variable step, so the figure measures the labelling as
   records show it. Field-level micro F1 over title, authors (the family names in order),
   date (the year), container-title, volume, pages, publisher, per field; a field counts as right
   when equal after lower-casing and dropping everything but letters and digits. Figures for
   all of it and for the references not found verbatim in the training files (anystyle's own
   training files share some strings with its gold set).
2. citeproc-js renderings of the 26 CSL-JSON records of ../shared/oracle/csl in 13 styles,
   against the records themselves (the same fields), per style.
3. references per second, one core, labelling and record building (the model already loaded).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bibtools.formats.references import parse_references  # noqa: E402
from bibtools.formats.references.dataset import read_segments, segments_to_sequence  # noqa: E402
from bibtools.formats.references.fields import build_item  # noqa: E402
from bibtools.formats.references.labeller import Segment, label  # noqa: E402
from bibtools.formats.references.text import normalize  # noqa: E402
from bibtools.model import Date, Item  # noqa: E402

FIELDS = ("title", "authors", "date", "container-title", "volume", "pages", "publisher")
CORPORA = ROOT.parent / "shared" / "corpora"
ORACLE = ROOT.parent / "shared" / "oracle" / "csl"
_NOT_ALNUM = re.compile(r"[\W_]+")
_MARKUP = re.compile(r"<[^>]+>")
_LIST_NUMBER = re.compile(r"^\s*(?:\[\d+\]|\(\d+\)|\d+\.(?!\d))")


def _norm(value: object) -> str:
    return _NOT_ALNUM.sub("", str(value).lower())


def field_values(item: Item) -> dict[str, str]:
    out: dict[str, str] = {}
    names = [n.family or n.literal or "" for n in item.authors]
    if names:
        out["authors"] = "|".join(_norm(_MARKUP.sub("", n)) for n in names)
    issued = item.fields.get("issued")
    if isinstance(issued, Date) and issued.year:
        out["date"] = str(issued.year)
    for field, variable in (("title", "title"), ("container-title", "container-title"), ("volume", "volume"),
                            ("pages", "page"), ("publisher", "publisher")):
        if variable in item.fields:
            out[field] = _norm(_MARKUP.sub("", str(item.fields[variable])))
    return {k: v for k, v in out.items() if v}


class Score:
    def __init__(self) -> None:
        self.counts = {f: [0, 0, 0] for f in FIELDS}  # tp, fp, fn

    def add(self, expected: dict[str, str], found: dict[str, str]) -> None:
        for f in FIELDS:
            e, p = expected.get(f), found.get(f)
            if e is not None and p == e:
                self.counts[f][0] += 1
                continue
            if p is not None:
                self.counts[f][1] += 1
            if e is not None:
                self.counts[f][2] += 1

    @staticmethod
    def _f1(tp: int, fp: int, fn: int) -> float:
        return 2 * tp / (2 * tp + fp + fn) if tp else 0.0

    def per_field(self) -> dict[str, float]:
        return {f: self._f1(*c) for f, c in self.counts.items()}

    def micro(self) -> float:
        return self._f1(*(sum(c[i] for c in self.counts.values()) for i in range(3)))


def _parse_one(text: str) -> Item:
    item = Item(id="")
    build_item(label(text).segments, item)
    return item


def gold_benchmark(gold: Path) -> tuple[Score, Score, list[str]]:
    training = set()
    for name in ("anystyle-core.xml", "anystyle-good.xml"):
        for segments in read_segments(CORPORA / "refstrings" / name):
            training.add(" ".join(normalize(t).strip() for _, t in segments if t.strip()))
    everything, unseen = Score(), Score()
    texts = []
    for segments in read_segments(gold):
        tokens, labels = segments_to_sequence(segments)
        text = " ".join(normalize(t).strip() for _, t in segments if t.strip())  # as written
        texts.append(text)
        expected_item = Item(id="")
        gold_segments = []
        for i, (token, lab) in enumerate(zip(tokens, labels)):
            if i and labels[i - 1] == lab:
                gold_segments[-1] = Segment(lab, gold_segments[-1].text + " " + token, 1.0)
            else:
                gold_segments.append(Segment(lab, token, 1.0))
        build_item(gold_segments, expected_item)
        expected, found = field_values(expected_item), field_values(_parse_one(text))
        everything.add(expected, found)
        if text not in training:
            unseen.add(expected, found)
    return everything, unseen, texts


def shown_values(record: Item, text: str) -> dict[str, str]:
    """What a rendered string can tell of ``record``: its fields that the style printed."""
    shown = _norm(text)
    # A number is shown only as a number of its own, and not as the list's "[12]" / "12.":
    # a volume "1" is not shown by "[12]" or by pages "318-362".
    numbers = set(re.findall(r"\d+", _LIST_NUMBER.sub("", text)))
    values = field_values(record)
    # Text other variables print: a publisher "IEEE" is not shown by "2016 IEEE Conference ..." nor
    # "arXiv" by the DOI "10.48550/arXiv.1502.05767", "World Health Organization" not by the author alone.
    printed = [values.get(f, "") for f in ("title", "container-title", "publisher")]
    printed += [_norm(_MARKUP.sub("", str(record.fields.get(v, ""))))
                for v in ("collection-title", "DOI", "URL", "number", "event-title")]
    literals = [_norm(n.literal) for n in record.authors if n.literal]
    out = {}
    for field, value in values.items():
        if field == "authors":
            kept = []
            families = value.split("|")
            for family in families:
                if family not in shown:
                    break  # names after "et al." are not in the string
                kept.append(family)
            if kept and len(kept) < len(families) and "…" in text and families[-1] in shown.rsplit(kept[-1], 1)[-1]:
                kept.append(families[-1])  # APA: the first 19, "…", and the last
            if kept:
                out[field] = "|".join(kept)
        elif field == "pages":
            first = re.split(r"[-–]", str(record.fields.get("page", "")))[0]
            if first and _norm(first) in shown:
                out[field] = value
        elif value.isdigit():
            if value in numbers:
                out[field] = value
        elif _outside(shown, value, printed).count(value) > literals.count(value):
            out[field] = value
    short = record.fields.get("container-title-short")
    if "container-title" not in out and isinstance(short, str) and _norm(short) in shown:
        out["container-title"] = _norm(short)
    return out


def _outside(shown: str, value: str, printed: list[str]) -> str:
    """``shown`` without one printing of each longer text that holds ``value``."""
    for other in sorted((p for p in printed if value in p and len(p) > len(value)), key=len, reverse=True):
        shown = shown.replace(other, " ", 1)
    return shown


def oracle_benchmark(errors: list[str] | None = None) -> tuple[Score, dict[str, Score]]:
    """Scores overall and per style; each wrong field appended to ``errors`` when given."""
    from bibtools.formats.csljson import read as read_csljson

    records = {item.id: item for item in read_csljson((ORACLE / "refs.json").read_text())}
    overall, per_style = Score(), {}
    for path in sorted(ORACLE.glob("*.citeproc-js.json")):
        style = path.name.removesuffix(".citeproc-js.json")
        bibliography = json.loads(path.read_text())["formats"]["text"]["bibliography"]
        score = per_style[style] = Score()
        for key, text in bibliography.items():
            if key not in records:
                continue
            parsed = parse_references(text)
            found = field_values(parsed.items[0]) if parsed.items else {}
            expected = shown_values(records[key], text)
            score.add(expected, found)
            overall.add(expected, found)
            if errors is not None:
                wrong = [f for f in FIELDS if expected.get(f) != found.get(f)]
                if wrong:
                    errors.append(f"{style} {key} ({records[key].type}): {text}")
                    errors.extend(f"    {f}: expected {expected.get(f)!r}, found {found.get(f)!r}" for f in wrong)
    return overall, per_style


def _table(title: str, score: Score) -> str:
    cells = " ".join(f"{f}={v:.3f}" for f, v in score.per_field().items())
    return f"{title}: micro F1 {score.micro():.3f}  ({cells})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gold", type=Path, required=True, help="anystyle's res/parser/gold.xml")
    parser.add_argument("--show-errors", action="store_true",
                        help="list every wrong field of the citeproc-js part (style, record, string, field)")
    args = parser.parse_args()
    everything, unseen, texts = gold_benchmark(args.gold)
    print(_table(f"gold, all {sum(everything.counts['title'][i] for i in (0, 2))} titled refs", everything))
    print(_table("gold, refs not in the training files", unseen))
    errors: list[str] | None = [] if args.show_errors else None
    overall, per_style = oracle_benchmark(errors)
    print(_table("citeproc-js, 13 styles", overall))
    for style, score in per_style.items():
        print(_table(f"  {style:40s}", score))
    if errors:
        print("\n".join(errors))
    started = time.process_time()
    for text in texts:
        _parse_one(text)
    took = time.process_time() - started
    print(f"speed: {len(texts) / took:.0f} references/s (CPU time, one core; {len(texts)} refs in {took:.2f} s)")


if __name__ == "__main__":
    main()
