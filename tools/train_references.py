"""Train the reference-string labeller shipped as bibtools/formats/references/model.crfsuite.

    PYTHONPATH=. python tools/train_references.py [--synthetic 6000] [--hand-weight 2] [--out PATH]

The defaults make the shipped model (about 4 minutes of CPU: 2 to render, 2 to train).

Inputs (all under ../shared/corpora, beside the project root):
  refstrings/anystyle-core.xml, refstrings/anystyle-good.xml  hand-labelled (BSD-2)
  and, with --synthetic N, N references rendered by bibtools' CSL formatter (46 styles, 9 locales)
  from the corpora's records (CSL-JSON, Crossref, BibTeX) and labelled from the variables that
  produced each piece (bibtools/formats/references/synthetic.py). The records of
  ../shared/oracle/csl/refs.json (rendered by citeproc-js for the benchmark) are left out.
anystyle's gold.xml is the evaluation set (benchmarks/bench_references.py): never an input here.
The inputs and parameters are written beside the model (model.json), so a model says how it was made.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from pathlib import Path

import pycrfsuite

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bibtools.formats.references.dataset import read_anystyle  # noqa: E402
from bibtools.formats.references.features import sequence_features  # noqa: E402
from bibtools.formats.references.labeller import MODEL_PATH  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora"
HAND_LABELLED = ("refstrings/anystyle-core.xml", "refstrings/anystyle-good.xml")
PARAMS = {"c1": 0.1, "c2": 0.01, "max_iterations": 150, "feature.possible_transitions": True}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def _benchmark_titles() -> set[str]:
    """Titles of the records the benchmark renders with citeproc-js: never rendered for training."""
    import re

    path = ROOT.parent / "shared" / "oracle" / "csl" / "refs.json"
    if not path.exists():
        return set()
    return {re.sub(r"\W+", "", str(r.get("title", "")).lower()) for r in json.loads(path.read_text())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--synthetic", type=int, default=6000, help="rendered references to add (0: none)")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--hand-weight", type=int, default=2,
                        help="times each hand-labelled reference is given (weighs them against rendered ones)")
    args = parser.parse_args()
    started = time.perf_counter()
    inputs: dict[str, str] = {}
    sequences = []
    for name in HAND_LABELLED:
        path = CORPORA / name
        sequences.extend(read_anystyle(path) * args.hand_weight)
        inputs[name] = _digest(path)
    if args.synthetic:
        from bibtools.formats.references.synthetic import rendered_sequences

        made, used = rendered_sequences(CORPORA, args.synthetic, random.Random(args.seed),
                                        exclude_titles=_benchmark_titles())
        sequences.extend(made)
        inputs.update(used)
    trainer = pycrfsuite.Trainer(verbose=False)
    for tokens, labels in sequences:
        trainer.append(sequence_features(tokens), labels)
    trainer.set_params(PARAMS)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(args.out))
    meta = {"inputs": inputs, "sequences": len(sequences), "synthetic": args.synthetic, "seed": args.seed,
            "hand_weight": args.hand_weight,
            "params": PARAMS, "model_sha256": _digest(args.out)[:16]}
    args.out.with_suffix(".json").write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n")
    print(f"{len(sequences)} sequences, {time.perf_counter() - started:.0f} s, "
          f"{args.out.stat().st_size / 1e6:.1f} MB -> {args.out}")


if __name__ == "__main__":
    main()
