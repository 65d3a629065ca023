"""The seam rule reading only edge characters gives citeproc-py's answers."""
from __future__ import annotations

import random

import citeproc.string as cps
from citeproc.string import MixedString, NoCase, String

from bibtools.csl import seams
from bibtools.csl.formatters import HTML

PIECES = ["", " ", ".", ",", "a", "Why?", " x", ". ", "..", ": ", "?", "<i>", "end."]


def _random_piece(rng: random.Random, depth: int = 0):  # type: ignore[no-untyped-def]
    kind = rng.randrange(6 if depth < 3 else 4)
    text = rng.choice(PIECES)
    if kind == 0:
        return text
    if kind == 1:
        return String(text)
    if kind == 2:
        return NoCase(text)
    if kind == 3:
        return HTML.Italic(text)  # a str subclass that renders with tags
    return MixedString([_random_piece(rng, depth + 1) for _ in range(rng.randrange(4))])


def test_seam_rule_matches_citeproc_py_on_random_rich_strings() -> None:
    rng = random.Random(7)
    stripped = 0
    for _ in range(20000):
        left, other = _random_piece(rng), _random_piece(rng)
        ours, theirs = seams.normalize_seam(left, other), seams._ORIGINAL(left, other)
        assert type(ours) is type(theirs) and str(ours) == str(theirs), (left, other)
        stripped += ours is not other
    assert stripped > 1000  # the strip branches were exercised, not only the pass-through


def test_edges_of_nested_mixed_strings_skip_empty_parts() -> None:
    rich = MixedString([String(""), MixedString([String(""), String("Deep?")]), MixedString([])])
    assert seams.last_char(rich) == "?" and seams.first_char(rich) == "D"
    assert seams.normalize_seam(rich, "?") == ""  # "?" after "Deep?" is dropped
    assert str(seams.normalize_seam(String("a "), MixedString([String(""), String(" b")]))) == " b"  # citeproc-py's quirk kept


def test_citeproc_py_concatenation_uses_the_installed_rule() -> None:
    import bibtools.csl.elements  # noqa: F401  (installs it)

    assert cps.normalize_seam is seams.normalize_seam
    assert str(String("Why?") + "?" + String(" ") + " x") == "Why? x"


def test_concatenation_matches_citeproc_py_on_random_rich_strings() -> None:
    import bibtools.csl.elements  # noqa: F401  (installs it)

    assert MixedString.__add__ is seams.concatenate
    rng = random.Random(11)
    for _ in range(20000):
        left = MixedString([_random_piece(rng) for _ in range(rng.randrange(1, 4))])
        other = rng.choice([_random_piece(rng), "", "x", ", ", 3])
        ours, theirs = seams.concatenate(left, other), seams._ORIGINAL_ADD(left, other)
        assert type(ours) is type(theirs) and list(map(type, ours)) == list(map(type, theirs)), (left, other)
        assert [str(p) for p in ours] == [str(p) for p in theirs], (left, other)
