"""Finding styles: names, aliases, dependent styles, paths, search, locales."""
from __future__ import annotations

from pathlib import Path

import citeproc
import pytest
from lxml import etree

from bibtools.csl import styles
from bibtools.csl.styles import StyleNotFound, UnknownLocale, list_styles, resolve_locale, resolve_style, suggest


@pytest.mark.parametrize(
    ("alias", "target"),
    [
        ("vancouver", "nlm-citation-sequence"),
        ("chicago-note-bibliography", "chicago-shortened-notes-bibliography"),
        ("chicago-fullnote-bibliography", "chicago-notes-bibliography"),
        ("harvard1", "harvard-cite-them-right"),
        ("mla", "modern-language-association"),
        ("chicago", "chicago-author-date"),
        ("APA", "apa"),
        ("ieee.csl", "ieee"),
    ],
)
def test_aliases_and_renamed_styles(alias: str, target: str) -> None:
    resolved = resolve_style(alias)
    assert resolved.name == target
    assert Path(resolved.path).name == f"{target}.csl"
    assert Path(resolved.path).is_file()


def test_dependent_style_uses_parent_with_its_own_locale() -> None:
    resolved = resolve_style("nature-digest")  # a dependent of nature, in British English
    assert resolved.name == "nature"
    assert resolved.locale == "en-GB"
    assert resolved.title == "Nature Digest"
    assert resolved.via == ("nature-digest",)


def test_project_style_is_found_by_name_and_alias() -> None:
    assert resolve_style("cv-compact").path == str(styles.project_styles_dir() / "cv-compact.csl")
    assert resolve_style("cv").name == "cv-compact"


def test_project_style_is_valid_csl() -> None:
    schema = etree.RelaxNG(etree.parse(citeproc.SCHEMA_PATH))
    doc = etree.parse(str(styles.project_styles_dir() / "cv-compact.csl"))
    assert schema.validate(doc), schema.error_log


def test_top_level_styles_folder_is_the_packaged_one() -> None:
    top = Path(__file__).resolve().parents[1] / "styles"
    assert (top / "aliases.json").is_file() and (top / "cv-compact.csl").is_file()
    assert top.resolve() == styles.project_styles_dir().resolve()


def test_style_by_path_and_dependent_file(tmp_path: Path) -> None:
    own = tmp_path / "mine.csl"
    own.write_bytes(Path(resolve_style("apa").path).read_bytes())
    assert resolve_style(str(own)).path == str(own)
    dependent = tmp_path / "my-journal.csl"
    dependent.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0" default-locale="de-DE">'
        "<info><title>My Journal</title><id>x</id>"
        '<link href="http://www.zotero.org/styles/apa" rel="independent-parent"/></info></style>',
        encoding="utf-8",
    )
    resolved = resolve_style(str(dependent))
    assert (resolved.name, resolved.locale, resolved.title) == ("apa", "de-DE", "My Journal")
    with pytest.raises(StyleNotFound, match="no style file"):
        resolve_style(str(tmp_path / "absent.csl"))


def test_unknown_name_suggests_the_closest() -> None:
    with pytest.raises(StyleNotFound) as info:
        resolve_style("apa7")
    assert "unknown style 'apa7'" in str(info.value)
    assert info.value.suggestions[0] == "apa"
    assert "\n" not in str(info.value)
    assert "ieee" in suggest("ieeee")
    assert "nature" in suggest("natur")


def test_search_matches_title_field_and_format() -> None:
    found = list_styles("nature")
    assert found[0].name == "nature"  # the exact name first
    physics_numeric = list_styles("physics numeric")
    assert physics_numeric and all(
        "physics" in (s.name + s.title + " ".join(s.fields)).lower() and s.citation_format == "numeric" for s in physics_numeric
    )
    independent = list_styles("chicago", include_dependent=False)
    assert independent and all(s.kind != "dependent" for s in independent)
    assert {s.kind for s in list_styles("")} == {"independent", "dependent", "project"}
    assert len([s for s in list_styles("") if s.kind == "independent"]) >= 2800


def test_index_is_built_once_per_process() -> None:
    assert styles.style_index() is styles.style_index()


def test_metadata_parser_does_not_expand_entities(tmp_path: Path) -> None:
    evil = tmp_path / "evil.csl"
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    evil.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE style [<!ENTITY x SYSTEM "file://{secret}">]>\n'
        '<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0"><info><title>&x;</title><id>e</id></info></style>',
        encoding="utf-8",
    )
    info = styles.read_info(evil)
    assert "TOP SECRET" not in info.title


@pytest.mark.parametrize(
    ("code", "expected"),
    [("de", "de-DE"), ("de-DE", "de-DE"), ("de_de", "de-DE"), ("en-GB", "en-GB"), ("pt", "pt-PT"), ("de-LU", "de-DE"), (None, None)],
)
def test_locale_fallback(code: str | None, expected: str | None) -> None:
    assert resolve_locale(code) == expected


def test_unknown_locale_is_an_error() -> None:
    with pytest.raises(UnknownLocale, match="unknown locale 'xx'"):
        resolve_locale("xx")
