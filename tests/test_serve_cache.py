"""The serve preview's list cache: asking again for the list already shown renders
nothing, and any change to the records, the options or the style file renders anew
(the answer is always what an uncached render gives for the records as they are now)."""
from __future__ import annotations

import httpx
import pytest

from bibtools.api import load_file
from bibtools.csl.errors import StyleError
from bibtools.model import Name
from bibtools.serve import LiveServer, create_app, preview
from bibtools.serve.preview import ListCache, PreviewOptions
from conftest import CORPORA
from servetools import live, load_page

XAMPL = CORPORA / "reference" / "xampl.bib"

TITLE_STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Titles only</title><id>titles-only</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography><layout><text variable="title" text-case="CASE"/></layout></bibliography>
</style>
"""


@pytest.fixture
def counted(monkeypatch):
    """The list renders the cache asks for, as (style, number of items)."""
    calls: list[tuple[str, int]] = []
    uncached = preview.render_list

    def render_list(items, options):
        calls.append((options.style, len(items)))
        return uncached(items, options)

    monkeypatch.setattr(preview, "render_list", render_list)
    return calls, uncached


@pytest.mark.corpus
def test_a_list_already_shown_is_not_rendered_again_and_any_change_is(counted):
    calls, uncached = counted
    items = list(load_file(XAMPL).items)
    cache = ListCache()
    apa, ieee = PreviewOptions(style="apa"), PreviewOptions(style="ieee")

    def check(options: PreviewOptions, renders: int) -> None:
        before = len(calls)
        assert cache.render_list(items, options) == uncached(items, options)
        assert len(calls) - before == renders, options

    check(apa, 1)
    check(apa, 0)
    check(ieee, 1)  # a style switch renders in the new style
    check(apa, 0)  # and back: the list already shown
    check(PreviewOptions(style="apa", locale="de-DE"), 1)
    check(PreviewOptions(style="apa", highlight="Knuth"), 1)
    check(PreviewOptions(style="apa", group_by="year"), 1)
    items[3].fields["title"] = "An edited title"  # the page's title edit
    check(apa, 1)
    check(ieee, 1)
    items[4].id = "renamed2024"  # a key edit
    check(apa, 1)
    authors = next(i for i in items if i.authors).authors
    authors[0] = Name(family=authors[0].family, given="Zelda")  # a change deep inside a field
    check(apa, 1)
    items.pop(0)  # a record removed
    check(apa, 1)
    items.reverse()  # the same records in another order number differently in IEEE
    check(ieee, 1)
    check(ieee, 0)


@pytest.mark.corpus
def test_the_callers_copies_do_not_reach_the_cache(counted):
    items = list(load_file(XAMPL).items)
    cache = ListCache()
    entries, problems = cache.render_list(items, PreviewOptions(style="ieee"))
    entries[0]["uid"] = "r1"
    entries[1]["html"] = "changed"
    problems.append("changed")
    again, problems_again = cache.render_list(items, PreviewOptions(style="ieee"))
    assert again == preview.ListCache().render_list(items, PreviewOptions(style="ieee"))[0]
    assert "uid" not in again[0] and again[1]["html"] != "changed" and "changed" not in problems_again


@pytest.mark.corpus
def test_a_style_file_rewritten_between_two_previews_is_read_again(tmp_path, counted):
    items = list(load_file(XAMPL).items)
    path = tmp_path / "titles.csl"
    path.write_text(TITLE_STYLE.replace("CASE", "uppercase"), encoding="utf-8")
    options = PreviewOptions(style=str(path))
    cache = ListCache()
    upper, _ = cache.render_list(items, options)
    assert upper[0]["text"] == upper[0]["text"].upper() != upper[0]["text"].lower()
    path.write_text(TITLE_STYLE.replace("CASE", "lowercase"), encoding="utf-8")  # same size, maybe same mtime
    lower, _ = cache.render_list(items, options)
    assert lower == counted[1](items, options)[0]
    assert lower != upper and lower[0]["text"] == upper[0]["text"].lower()


@pytest.mark.corpus
def test_a_style_that_does_not_resolve_gets_the_engines_error_every_time():
    items = list(load_file(XAMPL).items)
    cache = ListCache()
    for _ in range(2):
        with pytest.raises(StyleError, match="no-such-style-anywhere"):
            cache.render_list(items, PreviewOptions(style="no-such-style-anywhere"))


@pytest.mark.corpus
def test_over_http_an_edit_or_a_style_switch_never_shows_a_stale_list():
    app = create_app()
    with LiveServer(app) as url, httpx.Client(base_url=url, timeout=60) as client:
        page = load_page(client)

        def shown(style: str, response: dict) -> list[dict]:
            """The entries answered, checked against an uncached render of the records as they are now."""
            records = app.state.workspaces.get(page.workspace).records
            truth, _ = preview.render_list([r.item for r in records], PreviewOptions(style=style))
            uid_of = {r.item.id: r.uid for r in records}
            assert response["entries"] == [e | {"uid": uid_of[e["key"]]} for e in truth]
            return response["entries"]

        first = shown("apa", page.post("/api/paste", text=XAMPL.read_text(encoding="utf-8"), style="apa").json())
        assert shown("apa", page.post("/api/preview", style="apa").json()) == first
        target = first[2]
        edited = page.post("/api/edit", uid=target["uid"], title="Zebras Considered Last", style="apa").json()
        assert "Zebras Considered Last" in edited["entry"]["text"]
        after = shown("apa", page.post("/api/preview", style="apa").json())
        assert target["text"] not in [e["text"] for e in after]
        ieee = shown("ieee", page.post("/api/preview", style="ieee").json())
        assert any("Zebras Considered Last" in e["text"] for e in ieee)
        assert shown("apa", page.post("/api/preview", style="apa").json()) == after
        page.post("/api/edit", uid=target["uid"], key="zebras2024", style="apa")
        keyed = shown("apa", page.post("/api/preview", style="apa").json())
        assert "zebras2024" in [e["key"] for e in keyed]
        removed = shown("apa", page.post("/api/remove", uid=target["uid"], style="apa").json())
        assert len(removed) == len(first) - 1


@pytest.mark.corpus
def test_pages_share_the_librarys_features_and_a_rewritten_library_is_compared_afresh(tmp_path, monkeypatch):
    import copy

    from bibtools.api import dump
    from bibtools.dedupe import Features
    from bibtools.model import Library

    items = list(load_file(CORPORA / "reference" / "biblatex-examples.bib").items)
    twins = [copy.deepcopy(items[i]) for i in (3, 10)]
    for n, twin in enumerate(twins):
        twin.id = f"pasted{n}"
    pasted = dump(Library(twins), "bibtex")
    library = tmp_path / "library.bib"
    library.write_text(dump(Library(items), "bibtex"), encoding="utf-8")
    computed: list[str] = []
    uncounted = Features.of

    def counted(item):
        computed.append(item.id)
        return uncounted(item)

    monkeypatch.setattr(Features, "of", staticmethod(counted))

    def library_duplicates(records: list[dict]) -> dict[str, list[str]]:
        return {r["key"]: [d for d in r["duplicates"] if "the library's" in d] for r in records}

    with live(library) as (_, client):
        first = load_page(client).post("/api/paste", text=pasted).json()["records"]
        found = library_duplicates(first)
        assert any(repr(items[3].id) in d for d in found["pasted0"]) and any(repr(items[10].id) in d for d in found["pasted1"])
        assert len(computed) == len(items) + len(twins)
        computed.clear()
        other = load_page(client)
        second = other.post("/api/paste", text=pasted).json()["records"]
        assert library_duplicates(second) == library_duplicates(first)
        assert sorted(computed) == ["pasted0", "pasted1"]  # the library's features were the first page's
        kept = [item for i, item in enumerate(items) if i != 3]  # the library loses one twin's original
        library.write_text(dump(Library(kept), "bibtex"), encoding="utf-8")
        third = load_page(client).post("/api/paste", text=pasted).json()["records"]
        assert library_duplicates(third)["pasted0"] == [] and library_duplicates(third)["pasted1"]
        uid = second[0]["uid"]
        edited = other.post("/api/edit", uid=uid, title=second[0]["title"]).json()["record"]  # the older page checks again
        assert not any("the library's" in d for d in edited["duplicates"])


@pytest.mark.corpus
def test_the_commands_warm_up_computes_the_librarys_features_and_changes_no_answer(tmp_path):
    import threading

    library = tmp_path / "library.bib"
    library.write_text(XAMPL.read_text(encoding="utf-8"), encoding="utf-8")
    pasted = (CORPORA / "ris" / "asysd-scopus.ris").read_text(encoding="utf-8-sig")
    answers = []
    for warm_up in (False, True):
        app = create_app(library, warm_up=warm_up)
        if warm_up:
            warming = next(t for t in threading.enumerate() if t.name == "bibtools-serve-warm-up")
            warming.join(timeout=120)
            assert not warming.is_alive()
            # the library's features are ready before the first page asks, and no page was left behind
            assert len(app.state.workspaces.library_features._memo) == len(load_file(library).items)
            assert not app.state.workspaces._spaces
        with LiveServer(app) as url, httpx.Client(base_url=url, timeout=120) as client:
            answers.append(load_page(client).post("/api/paste", text=pasted, style="apa").json())
    assert answers[0] == answers[1] and answers[0]["entries"]


@pytest.mark.corpus
def test_an_edit_reuses_the_blocking_keys_of_the_records_it_did_not_change(monkeypatch):
    from bibtools import dedupe
    from bibtools.serve.workspace import Workspace

    keyed: list[str] = []
    uncounted = dedupe.blocking_keys

    def counted(features):
        keyed.append(features.key)
        return uncounted(features)

    monkeypatch.setattr(dedupe, "blocking_keys", counted)
    import copy

    from bibtools.api import dump
    from bibtools.model import Library

    library = load_file(CORPORA / "reference" / "biblatex-examples.bib")
    original = library.items[10]
    twin = copy.deepcopy(original)
    twin.id, twin.fields["title"] = "twin", "Another Work Entirely on Other Matters"
    space = Workspace("w")
    space.paste(XAMPL.read_text(encoding="utf-8") + dump(Library([twin]), "bibtex"), fetch=None, library=library)
    assert sorted(keyed) == sorted([i.id for i in library.items] + [r.item.id for r in space.records])
    record = next(r for r in space.records if r.item.id == "twin")
    assert not any(repr(original.id) in d for d in record.duplicates)
    record.item.fields["title"] = original.fields["title"]  # the edit makes it the library's entry again
    keyed.clear()
    space.check(library, edited=record)
    assert keyed == ["twin"]
    assert any(repr(original.id) in d for d in record.duplicates)
    # the same duplicates as a first check of these records from scratch
    fresh = Workspace("fresh")
    fresh.records = [type(r)(r.uid, r.item, r.detected) for r in space.records]
    fresh.check(library)
    assert [r.duplicates for r in fresh.records] == [r.duplicates for r in space.records]
