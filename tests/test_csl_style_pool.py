"""A parsed style is lent to the next engine: that engine prints what a fresh parse prints."""
from __future__ import annotations

import json

import pytest

from bibtools.csl import CslEngine, style as style_module
from bibtools.csl.styles import resolve_style

from conftest import FIXTURES

ITEMS = json.loads((FIXTURES / "csl_sorting" / "items.json").read_text(encoding="utf-8"))
STYLES = ["apa", "ieee", "chicago-author-date", "chicago-fullnote-bibliography", "modern-language-association", "nature"]


def _render(style: str, items: list[dict], output: str) -> tuple[list[str], list[tuple[str, str]], int]:
    engine = CslEngine(resolve_style(style).path, items, output=output)  # type: ignore[arg-type]
    cites = [engine.cite([{"id": item["id"], "locator": "12"}], note_index=n) for n, item in enumerate(items, 1)]
    cites.append(engine.cite([{"id": items[0]["id"]}], note_index=len(items) + 1))  # a subsequent cite
    return cites, engine.bibliography(), id(engine.root)


@pytest.mark.parametrize("output", ["text", "html"])
@pytest.mark.parametrize("style", STYLES)
def test_a_lent_style_prints_what_a_fresh_parse_prints(style: str, output: str) -> None:
    first, second = ITEMS[:12], ITEMS[12:] + ITEMS[:3]
    style_module._pool.clear()
    *fresh, fresh_root = _render(style, second, output)
    style_module._pool.clear()
    *_, used_root = _render(style, first, output)  # renders other items, then gives the root back
    *again, lent_root = _render(style, second, output)
    assert lent_root == used_root != fresh_root  # the same parsed style, taken up again
    assert again == fresh


def test_a_style_in_use_is_not_lent_twice() -> None:
    style_module._pool.clear()
    path = resolve_style("apa").path
    one = CslEngine(path, ITEMS[:2], output="text")
    two = CslEngine(path, ITEMS[:2], output="text")
    assert one.root is not two.root
    root = one.root
    del one  # its engine gone, the root is free again
    three = CslEngine(path, ITEMS[:2], output="text")
    assert three.root is root and two.root is not root
