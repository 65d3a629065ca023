"""Third-party formats: a distribution declaring the ``bibtools.formats`` entry point group is loaded."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bibtools import registry


@pytest.fixture
def fresh_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "_FORMATS", {})
    monkeypatch.setattr(registry, "_ALIASES", {})
    monkeypatch.setattr(registry, "_LOADED", False)


def _install_plugin(folder: Path, group: str) -> None:
    (folder / "bt_fake_plugin.py").write_text(
        "from bibtools.registry import Format\n"
        "FORMAT = Format(name='fakefmt', description='a test plugin', suffixes=('.fake',),\n"
        "                sniff=lambda text: 1.0 if text.startswith('FAKE') else 0.0,\n"
        "                read=lambda text, **_: __import__('bibtools.model', fromlist=['Library']).Library())\n",
        encoding="utf-8")
    dist = folder / "bt_fake_plugin-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: bt-fake-plugin\nVersion: 1.0\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text(f"[{group}]\nfakefmt = bt_fake_plugin:FORMAT\n", encoding="utf-8")


def test_a_declared_plugin_format_is_found_by_name_and_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               fresh_registry: None) -> None:
    _install_plugin(tmp_path, "bibtools.formats")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert registry.get("fakefmt").description == "a test plugin"
    assert registry.detect("FAKE data", "x.fake").name == "fakefmt"
    assert registry.get("bibtex").name == "bibtex"  # the built-in formats are all still there
    sys.modules.pop("bt_fake_plugin", None)


def test_a_distribution_of_another_group_adds_no_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        fresh_registry: None) -> None:
    _install_plugin(tmp_path, "console_scripts")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(registry.UnknownFormat):
        registry.get("fakefmt")
    assert registry.get("ris").name == "ris"
