"""``bibtools enrich`` and ``bibtools add`` on the command line, against a local server."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from bibtools.api import load_file
from bibtools.cli import main
from conftest import CORPORA
from enrich_world import TRUE_PAPERS, World, build_papers, read_listing, serve_recorded_arxiv, serve_recorded_crossref
from localserver import LocalServer, Reply, point_services_at
from test_enrich import LISTING


@pytest.fixture
def server(monkeypatch, tmp_path):
    srv = LocalServer()
    point_services_at(srv, monkeypatch, tmp_path / "cache")
    monkeypatch.setenv("BIBTOOLS_MAILTO", "tests@example.org")
    for service in ("CROSSREF", "ARXIV", "OPENALEX", "S2"):
        monkeypatch.setenv(f"BIBTOOLS_{service}_RATE", "0")  # no pacing against our own server
    yield srv
    srv.stop()


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.corpus
def test_enrich_cli_fills_listing_then_costs_nothing_then_works_offline(server, tmp_path):
    world = World(server, build_papers(read_listing(LISTING)))
    world.serve_papers()
    source = tmp_path / "listing.bib"  # a .bib made from the listing page, as a user would
    made = run("convert", str(LISTING), "--from", "listing", "--to", "bibtex", "-o", str(source))
    assert made.exit_code in (0, 1), made.output  # 1: the page's records lack titles and years, and it says so
    assert "title" not in source.read_text(encoding="utf-8")
    out = tmp_path / "out.bib"

    result = run("enrich", str(source), "-o", str(out), "--sources", "crossref")
    assert result.exit_code == 0, result.output
    assert "found 9, filled 9, ambiguous 0, not found 0 (9 requests, 0 from cache)" in result.stderr
    label = load_file(source).items[7].id
    assert f"{label}: title = 'When Hardness of Approximation Meets Hardness of Learning' [crossref 10.5555/true.8, confidence" in result.stderr
    done = load_file(out)
    assert [i.title for i in done] == [t[0] for t in TRUE_PAPERS]
    assert [i.year for i in done] == [t[1] for t in TRUE_PAPERS]
    assert [i.get("DOI") for i in done] == [f"10.5555/true.{n}" for n in range(1, 10)]
    assert [i.get("container-title") for i in done] == [t[3] for t in TRUE_PAPERS]
    # papers that gained a proceedings title became @inproceedings (the .bib said @article, a guess)
    assert [i.type for i in done][4:8] == ["paper-conference", "paper-conference", "paper-conference", "article-journal"]
    assert "@inproceedings{" + done.items[6].id in out.read_text(encoding="utf-8").replace("@InProceedings{", "@inproceedings{")
    assert [i.id for i in done] == [i.id for i in load_file(source)]  # keys untouched
    assert all(i.get("abstract") for i in done)  # nothing lost on the way
    first = server.count()
    assert all(h.get("User-Agent", "").endswith("mailto:tests@example.org)") for _, _, h in server.requests)

    again = run("enrich", str(source), "-o", str(tmp_path / "again.bib"), "--sources", "crossref")
    assert "(0 requests, 9 from cache)" in again.stderr
    assert server.count() == first

    server.stop()
    offline = run("enrich", str(source), "-o", str(tmp_path / "offline.bib"), "--offline")
    assert offline.exit_code == 0, offline.output
    assert (tmp_path / "offline.bib").read_text(encoding="utf-8") == out.read_text(encoding="utf-8")


def test_enrich_cli_offline_miss_is_reported_not_fatal(server, tmp_path):
    source = tmp_path / "one.json"
    source.write_text(json.dumps([{"id": "x", "type": "article-journal", "DOI": "10.5555/nothing-cached"}]), encoding="utf-8")
    server.stop()
    result = run("enrich", str(source), "--offline", "--dry-run", "-v")
    assert result.exit_code == 0, result.output
    assert "not in cache (offline) 1" in result.stderr
    assert result.stdout == ""  # a dry run writes nothing


def test_enrich_cli_in_place_and_dry_run(server, tmp_path):
    work = {"DOI": "10.5555/x.1", "type": "journal-article", "title": ["A Title"], "author": [{"given": "A", "family": "Bee"}], "issued": {"date-parts": [[2001]]}}
    server.routes["/works/10.5555/x.1"] = Reply(200, json.dumps({"status": "ok", "message-type": "work", "message": work}))
    path = tmp_path / "b.json"
    original = json.dumps([{"id": "k", "type": "article-journal", "DOI": "10.5555/x.1"}])
    path.write_text(original, encoding="utf-8")
    dry = run("enrich", str(path), "--dry-run", "--sources", "crossref")
    assert "k: title = 'A Title'" in dry.stderr and path.read_text(encoding="utf-8") == original
    wet = run("enrich", str(path), "--in-place", "--sources", "crossref")
    assert wet.exit_code == 0
    assert load_file(path)["k"].title == "A Title"


def test_enrich_cli_usage_errors(server, tmp_path):
    path = tmp_path / "b.json"
    path.write_text("[]", encoding="utf-8")
    assert run("enrich", str(path), "--sources", "crossref,bogus").exit_code == 2
    assert run("enrich", str(path), "-o", "x.json", "--in-place").exit_code == 2


@pytest.mark.corpus
def test_add_by_doi_arxiv_and_urls(server, tmp_path):
    known = serve_recorded_crossref(server, CORPORA)
    serve_recorded_arxiv(server, CORPORA)
    target = tmp_path / "refs.json"
    result = run(
        "add", "https://doi.org/10.1371/journal.pone.0033693", "arXiv:1605.08386v1", "https://arxiv.org/abs/astro-ph/0601001",
        "10.5555/unknown", "not-an-id", "--to", str(target),
    )
    assert result.exit_code == 1  # two of five could not be added, and that is reported
    assert "not-an-id" in result.stderr and "10.5555/unknown" in result.stderr
    lib = load_file(target)
    assert len(lib) == 3
    titles = [i.title for i in lib]
    assert titles[1] == "Heat-bath random walks with Markov bases"
    assert titles[2].startswith("Frequency of Hot Jupiters")
    assert lib.items[0].get("DOI").lower() == "10.1371/journal.pone.0033693"
    assert lib.keys()[1] == "stanley2016Heat"
    # adding the same paper again does not duplicate it
    again = run("add", "10.1371/journal.pone.0033693", "--to", str(target))
    assert "already there as" in again.stderr and len(load_file(target)) == 3


def test_progress_bar_only_on_a_terminal_and_for_more_than_a_few_records(monkeypatch):
    import io
    import sys

    from bibtools.cli.enrich import progress_bar

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stderr", io.StringIO())
    with progress_bar(50, "enrich") as advance:
        assert advance is None
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with progress_bar(3, "enrich") as advance:
        assert advance is None
    with progress_bar(50, "enrich") as advance:
        assert advance is not None
        for n in range(1, 51):
            advance(n, 50, f"key{n}")
    assert "50/50" in terminal.getvalue()


def test_overwrite_takes_bibtex_or_csl_names():
    from bibtools.cli.enrich import overwrite_fields

    assert overwrite_fields("journal, year,DOI,container-title") == ["container-title", "issued", "DOI", "container-title"]


HAND_WRITTEN = """% my bibliography, kept by hand
@string{jmlr = "Journal of Machine Learning Research"}

@Article{ hard,
    Title  = "When hardness of approximation meets hardness of learning",
    Author = "Malach, Eran and Shalev-Shwartz, Shai",
}

@misc{untouched,   title={Something {Else}}, note = {odd   spacing stays}}
"""


def _work_answer(work):
    return Reply(200, json.dumps({"status": "ok", "message-type": "work-list", "message": {"items": [work]}}))


def test_in_place_enrich_edits_only_what_changed(server, tmp_path):
    server.routes["/works"] = _work_answer({
        "DOI": "10.5555/jmlr.23", "type": "journal-article", "title": ["When Hardness of Approximation Meets Hardness of Learning"],
        "author": [{"given": "Eran", "family": "Malach"}, {"given": "Shai", "family": "Shalev-Shwartz"}],
        "issued": {"date-parts": [[2022]]}, "container-title": ["Journal of Machine Learning Research"], "volume": "23",
    })
    path = tmp_path / "mine.bib"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    result = run("enrich", str(path), "--in-place", "--sources", "crossref")
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    assert text.startswith('% my bibliography, kept by hand\n@string{jmlr = "Journal of Machine Learning Research"}\n')
    assert '    Title  = "When hardness of approximation meets hardness of learning",' in text  # kept as written
    assert "@misc{untouched,   title={Something {Else}}, note = {odd   spacing stays}}" in text
    entry = load_file(path)["hard"]
    assert entry.year == 2022 and entry.get("DOI") == "10.5555/jmlr.23" and entry.get("volume") == "23"
    assert entry.get("container-title") == "Journal of Machine Learning Research"


def test_add_to_a_bib_appends_without_rewriting_it(server, tmp_path):
    server.routes["/works/10.5555/jmlr.23"] = Reply(200, json.dumps({"status": "ok", "message-type": "work", "message": {
        "DOI": "10.5555/jmlr.23", "type": "journal-article", "title": ["A Different Paper Entirely"],
        "author": [{"given": "Ada", "family": "Lovelace"}], "issued": {"date-parts": [[1843]]}}}))
    path = tmp_path / "mine.bib"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    result = run("add", "https://doi.org/10.5555/jmlr.23", "--to", str(path))
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    assert text.startswith(HAND_WRITTEN.rstrip("\n"))
    lib = load_file(path)
    assert lib.keys() == ["hard", "untouched", "lovelace1843Different"]


def test_add_without_target_prints_the_records(server, tmp_path):
    server.routes["/works/10.5555/x.1"] = Reply(200, json.dumps({"status": "ok", "message-type": "work", "message": {
        "DOI": "10.5555/x.1", "type": "journal-article", "title": ["A Title"], "author": [{"given": "A", "family": "Bee"}],
        "issued": {"date-parts": [[2001]]}, "container-title": ["Journal of Tests"]}}))
    result = run("add", "doi:10.5555/x.1")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("@article{bee2001Title,")
    assert "journal = {Journal of Tests}" in result.stdout and "doi = {10.5555/x.1}" in result.stdout


@pytest.mark.corpus
def test_a_pasted_reference_list_is_parsed_then_enriched_through_a_pipe(server, tmp_path):
    """`bibtools convert refs.txt --to bibtex | bibtools enrich -`: the parsed records find their DOIs
    through the usual matching, and what the parser read is never overwritten."""
    from bibtools import Date, Item, Name
    from bibtools.csl.api import format_bibliography

    papers = build_papers(read_listing(LISTING))
    World(server, papers).serve_papers()
    true = [p for p in papers if not p.wrong]
    items = [Item(id=f"p{n}", type="paper-conference" if p.venue else "article",
                  fields={"title": p.title, "issued": Date(parts=((p.year,),)),
                          "author": [Name(family=f, given=g) for g, f in p.authors],
                          **({"container-title": p.venue} if p.venue else {})})
             for n, p in enumerate(true)]
    refs = tmp_path / "refs.txt"
    refs.write_text("\n\n".join(e.text for e in format_bibliography(items, "apa")), encoding="utf-8")
    parsed = run("convert", str(refs), "--to", "bibtex")
    assert parsed.exit_code in (0, 1), parsed.output
    enriched = CliRunner().invoke(main, ["enrich", "-", "--from", "bibtex", "--sources", "crossref"], input=parsed.stdout)
    assert enriched.exit_code == 0, enriched.output
    before = load_bytes_bib(parsed.stdout, tmp_path / "before.bib")
    after = load_bytes_bib(enriched.stdout, tmp_path / "after.bib")
    assert [i.id for i in after] == [i.id for i in before]
    by_title = {p.title.casefold(): p for p in true}
    for was, now in zip(before, after):
        paper = by_title[str(was.title).casefold()]  # the parser read every title right
        assert now.get("DOI") == paper.doi
        for variable in ("title", "author", "issued", "container-title"):
            assert now.fields.get(variable) == was.fields.get(variable) or variable not in was.fields
    assert f"found {len(true)}, filled {len(true)}, ambiguous 0, not found 0" in enriched.stderr


def load_bytes_bib(text: str, path):
    path.write_text(text, encoding="utf-8")
    return load_file(path)
