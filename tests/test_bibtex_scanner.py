"""The scanner splits .bib text into the very blocks bibtexparser's splitter gives.

bibtexparser stays what defines a correct split (issue 14), so every check
compares block by block against ``Splitter(text).split()``: class, raw text,
start line; for entries key, type and fields (key, value, start line) in
order; for strings key and value; for failures the abort reason. The
scanner's mark-by-mark model (its fast path off) is compared as well, so
both of its halves are held to the splitter.

Deliberate differences: none.
"""
from __future__ import annotations

import logging
import random
from pathlib import Path
from typing import Any

import bibtexparser.model as bm
import pytest
from bibtexparser.splitter import Splitter

from bibtools.formats.bibtex.scanner import _scan_marks_only, scan

CORPORA = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"


def _signature(block: bm.Block) -> list[Any]:
    sig: list[Any] = [type(block).__name__, block.raw, block.start_line]
    entry = block.ignore_error_block if isinstance(block, bm.DuplicateFieldKeyBlock) else block
    if isinstance(entry, bm.Entry):
        sig += [entry.key, entry.entry_type, [(f.key, f.value, f.start_line) for f in entry.fields]]
    if isinstance(block, bm.DuplicateFieldKeyBlock):
        sig.append(sorted(block.duplicate_keys))
    if isinstance(block, bm.String):
        sig += [block.key, block.value]
    if isinstance(block, (bm.ExplicitComment, bm.ImplicitComment)):
        sig.append(block.comment)
    if isinstance(block, bm.Preamble):
        sig.append(block.value)
    if isinstance(block, bm.ParsingFailedBlock) and not isinstance(block, bm.DuplicateFieldKeyBlock):
        sig.append(getattr(block.error, "abort_reason", str(block.error)))
    return sig


def _splitter(text: str) -> list[list[Any]]:
    logging.disable(logging.WARNING)  # the splitter logs every failed block
    try:
        return [_signature(b) for b in Splitter(text).split().blocks]
    finally:
        logging.disable(logging.NOTSET)


def _line_of(text: str, pos: int) -> int:
    """The splitter's line at ``pos`` of the padded text: newlines not after a backslash, minus the pad."""
    padded = "\n" + text
    return padded.count("\n", 0, pos) - padded.count("\\\n", 0, pos) - 1


def _check(text: str, *, check_end_lines: bool = True) -> int:
    """Assert both scanner paths give the splitter's blocks, with consistent offsets; return the block count."""
    expected = _splitter(text)
    for split in (scan, _scan_marks_only):
        blocks = split(text).blocks
        got = [_signature(b) for b in blocks]
        for i, (want, have) in enumerate(zip(expected, got)):
            assert have == want, f"{split.__name__}: block {i} differs"
        assert len(got) == len(expected), f"{split.__name__}: {len(got)} blocks, splitter {len(expected)}"
        for block in blocks:
            meta = block.parser_metadata
            assert text[meta["start"] : meta["end"]] == block.raw
            if check_end_lines:
                last = max(meta["end"], meta["start"] + 1)  # padded index of the raw's last character
                assert meta["end_line"] == _line_of(text, last)
    return len(expected)


HAND_MADE = {
    "empty": "",
    "only text": "just some words\n\n and more ",
    "plain": "@article{k1,\n  title = {A {Nested} Title},\n  year = 2020,\n}\n",
    "no trailing newline": "@book{k, title={T}}",
    "key only": "@misc{lonely}\n",
    "key and comma only": "@misc{lonely,}\n",
    "parentheses": '@article(k2, title = "Has ) inside", note = {x)y})\n@string(s = "a)b")\n',
    "comment": "@comment{anything {goes} here, even = signs}\n@Comment(paren (comment))\n",
    "comment prefix word": "@commentary{x, a = b}\n",
    "preamble": '@preamble{"\\newcommand{\\x}{y}"}\n@PREAMBLE( "a" # "b" )\n',
    "string": '@string{jan = "January"}\n@STRING{ acm = {ACM {Press}} }\n@string{broken}\n',
    "text between": "intro\n@article{a, x = 1}\nbetween the entries\n\n@article{b, y = 2}\ntrailer\n",
    "unbalanced open": "@article{a,\n  title = {Open {brace},\n  year = 2000\n}\n@article{b, x = 1}\n",
    "unbalanced close": "@article{a,\n  title = {Closed}},\n  year = 2000\n}\n",
    "missing comma": "@article{a,\n  title = {T}\n  year = 2000\n}\n",
    "missing comma after key": "@article{a\n  title = {T}}\n",
    "missing equals": "@article{a,\n  title {T},\n}\n",
    "dangling key": "@article{a,\n  title = {T},\n  year\n}\n",
    "at inside value": "@inproceedings{a,\n  booktitle = {LeQua @ {CLEF}},\n  email = {me@example.org},\n}\n",
    "at at line start in value": "@article{a,\n  title = {Broken\n@book{b, x = 1}\n",
    "at in quotes at line start": '@article{a,\n  title = "Broken\n  @misc{b, x = 1}\n',
    "quote in braces": '@article{a, title = {The "quoted" word}, note = "a {"} b"}\n',
    "escaped quote in quotes": '@article{a, title = "He said \\"hi\\"", x = "{"}"}',
    "quote brace escape at end": '@article{a, title = "{"}',
    "deep nesting": "@article{a, title = {" + "{" * 12 + "deep" + "}" * 12 + "}}\n",
    "escaped braces": "@article{a, title = {50\\% \\{not a group\\} done}, b = x\\,y}\n",
    "backslash newline": "@article{a,\n  title = {line one \\\n line two},\n  year = 1\n}\n@article{b, x = 1}\n",
    "crlf": "@article{a,\r\n  title = {T},\r\n  year = 2000\r\n}\r\n\r\n@book{b,\r\n  x = {y}\r\n}\r\n",
    "duplicate fields": "@article{a, title = {T}, title = {U}, year = 1, year = 2}\n",
    "duplicate keys": "@article{a, x = 1}\n@article{a, x = 2}\n@string{s = 1}\n@string{s = 2}\n",
    "concatenation": '@article{a, title = "A" # jan # {B}, month = jan}\n',
    "space before brace": "@article  {a, x = 1}\n@book\t(b, y = 2)\n",
    "no type": "@{a, x = 1}\n",
    "eof inside entry": "@article{a,\n  title = {never closed",
    "eof inside comment": "@comment{never closed",
    "eof after equals": "@string{s = ",
    "field end at paren in brace entry": "@article{a, x = (1), y = {)}}\n",
    "brace at depth zero in paren entry": "@article(a, x = 1}, y = 2)\n",
    "unicode": "@article{ключ, title = {Über straße — ☃}, author = {Zoë}}\n",
    "at not a block": "@ no block here\n@@article{a, x = 1}\n",
    "block start mid line": "text @article{a, x = 1} more @book{b, y = 2}\n",
    "equals in value": "@misc{a, url = {http://x.org/?a=b&c=d}, note = a=b}\n",
    "comma in quotes": '@misc{a, note = "one, two", x = {a, b}}\n',
    "entry in comment": "@comment{\n@article{a, x = 1}\n}\n",
    "whitespace lines": "   \n\t\n@misc{a, x=1}\n \n",
}


@pytest.mark.parametrize("name", sorted(HAND_MADE))
def test_hand_made_case_splits_as_bibtexparser(name: str) -> None:
    assert _check(HAND_MADE[name]) >= (0 if not HAND_MADE[name].strip() else 1)


def test_offsets_and_end_lines_of_a_small_file() -> None:
    text = "% intro\n@article{a,\n  title = {T},\n}\n\n@book{b, x = 1}"
    first, second, third = scan(text).blocks
    assert isinstance(first, bm.ImplicitComment) and first.parser_metadata == {"start": 0, "end": 7, "end_line": 0}
    assert (second.start_line, second.parser_metadata["end_line"]) == (1, 3)
    assert text[second.parser_metadata["start"] : second.parser_metadata["end"]].startswith("@article{a,")
    assert third.parser_metadata["end"] == len(text) and third.parser_metadata["end_line"] == 5


_BASE = (
    "@string{acm = {ACM}}\n"
    "@inproceedings{DBLP:conf/aaai/X18,\n"
    "  author    = {Ann Smith and\n               Bob Jones},\n"
    "  title     = {On {BibTeX} \"Parsing\" at 50\\%},\n"
    "  booktitle = acm # { Proceedings},\n"
    '  note      = "see {x}, p. 3",\n'
    "  year      = {2018},\n"
    "}\n"
    "Some text between.\n"
    "@article(paren, journal = {J}, pages = \"1--2\")\n"
    "@comment{kept}\n"
    "@misc{last, howpublished = {\\url{http://a.b/c?d=e}}}\n"
)
_PIECES = ["{", "}", '"', ",", "=", "@", "\n", "(", ")", "\\", "@article{", "@comment{", '{"}', " ", "#", "\r\n"]


def _mutations(base: str, count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        text = base
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(text) + 1)
            action = rng.random()
            if action < 0.45:
                text = text[:at] + rng.choice(_PIECES) + text[at:]
            elif action < 0.8:
                text = text[:at] + text[at + rng.randint(1, 3) :]
            else:
                other = rng.randrange(len(text) + 1)
                text = text[:at] + text[min(at, other) : max(at, other)][:40] + text[at:]
        texts.append(text)
    return texts


def test_random_mutations_split_as_bibtexparser() -> None:
    texts = _mutations(_BASE, 400, seed=14)
    assert sum(_check(t) for t in texts) > 400
    assert len(set(texts)) > 350  # the mutations really differ


def _corpus_files() -> list[Path]:
    return sorted(CORPORA.rglob("*.bib")) if CORPORA.is_dir() else []


@pytest.mark.corpus
@pytest.mark.slow
def test_every_corpus_file_splits_as_bibtexparser() -> None:
    files = _corpus_files()
    assert len(files) > 200
    blocks = 0
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            # End lines are checked on the hand-made cases; counting them here would be quadratic.
            blocks += _check(text, check_end_lines=False)
        except AssertionError as e:
            raise AssertionError(f"{path}: {e}") from e
    assert blocks > 50_000


@pytest.mark.corpus
def test_mutated_corpus_entries_split_as_bibtexparser() -> None:
    files = [p for p in _corpus_files() if p.stat().st_size < 200_000]
    rng = random.Random(1414)
    texts = []
    for path in rng.sample(files, min(20, len(files))):
        text = path.read_text(encoding="utf-8", errors="replace")
        starts = [i for i in range(len(text)) if text.startswith("\n@", i)][:50]
        if len(starts) < 2:
            continue
        i = rng.randrange(len(starts) - 1)
        texts += _mutations(text[starts[i] : starts[i + 1] + 1], 10, seed=rng.randrange(10**6))
    assert len(texts) >= 50
    for text in texts:
        _check(text)
