"""``bibtools serve`` through a plain HTTP client against a live uvicorn: the guard's
refusals, and each route doing what the typed API does for the same input."""
from __future__ import annotations

import re
import subprocess
import sys

import httpx
import pytest
from click.testing import CliRunner

from bibtools.api import load_file, load_string
from bibtools.cli import main
from bibtools.cli.serve import allowed_hosts, is_loopback
from bibtools.serve import TOKEN_HEADER
from conftest import CORPORA, PROJECT
from localserver import LocalServer, point_services_at
from servetools import live, load_page

HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'
BIB = """@article{knuth1984,
  author = {Donald E. Knuth},
  title = {Literate Programming},
  journal = {The Computer Journal},
  year = {1984},
  volume = {27},
  number = {2},
  pages = {97--111},
  doi = {10.1093/comjnl/27.2.97},
}
"""


@pytest.fixture
def server():
    with live(token="launch-token", max_body=4096) as (url, client):
        yield url, client


def test_foreign_host_and_origin_are_refused(server):
    url, client = server
    port = httpx.URL(url).port
    assert client.get("/", headers={"host": f"attacker.example:{port}"}).status_code == 421
    assert client.get("/", headers={"host": f"127.0.0.1.attacker.example:{port}"}).status_code == 421
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"):
        assert client.get("/", headers={"host": host}).status_code == 200
    page = load_page(client)
    for origin in ("http://attacker.example", "null", "http://127.0.0.1.attacker.example"):
        refused = client.post("/api/export", json={"workspace": page.workspace, "format": "bibtex"},
                              headers={TOKEN_HEADER: page.token, "origin": origin})
        assert refused.status_code == 403, origin
    same = client.post("/api/export", json={"workspace": page.workspace, "format": "bibtex"},
                       headers={TOKEN_HEADER: page.token, "origin": url.rstrip("/")})
    assert same.status_code == 200


def test_writes_need_the_launch_token(server):
    _, client = server
    page = load_page(client)
    assert page.token == "launch-token"
    body = {"workspace": page.workspace, "text": BIB}
    assert client.post("/api/paste", json=body).status_code == 403
    assert client.post("/api/paste", json=body, headers={TOKEN_HEADER: "guessed"}).status_code == 403
    assert page.post("/api/paste", text=BIB).status_code == 200


def test_bodies_past_the_limit_are_refused_declared_or_streamed(server):
    _, client = server
    page = load_page(client)
    big = BIB + "%" * 5000
    assert page.post("/api/paste", text=big).status_code == 413

    def chunks():  # no Content-Length: the limit holds while the body streams in
        for _ in range(10):
            yield b"x" * 1000

    streamed = client.post("/api/paste", content=chunks(), headers={TOKEN_HEADER: page.token, "content-type": "application/json"})
    assert streamed.status_code == 413


def test_every_answer_forbids_inline_script_and_the_page_has_none(server):
    _, client = server
    page = load_page(client)
    for response in (client.get("/"), client.get("/static/app.js"), client.get("/api/styles?q=ieee"),
                     client.get("/", headers={"host": "attacker.example"})):
        policy = response.headers["content-security-policy"]
        script = next(part for part in policy.split(";") if part.strip().startswith("script-src")).split()
        assert script == ["script-src", "'self'"]
        assert "frame-ancestors 'none'" in policy
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page.html, re.S)
    assert scripts and all('src="/static/' in attrs and not body.strip() for attrs, body in scripts)
    assert "onclick" not in page.html and "javascript:" not in page.html


def test_hostile_metadata_is_escaped_in_the_preview(server):
    _, client = server
    page = load_page(client)
    data = page.post("/api/paste", text=BIB.replace("Literate Programming", HOSTILE), style="apa").json()
    html = data["entries"][0]["html"]
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "onerror=" in html  # the title shown as text
    assert "<script>window.__pwned = 1</script><img src=x onerror=" in data["entries"][0]["text"]


@pytest.mark.corpus
def test_paste_previews_as_bibtools_format_prints():
    for name, kind in (("reference/xampl.bib", "bibtex"), ("ris/asysd-scopus.ris", "ris")):
        source = CORPORA / name
        with live() as (_, client):
            page = load_page(client)
            data = page.post("/api/paste", text=source.read_text(encoding="utf-8-sig"), style="ieee").json()
            assert data["detected"] == kind
            printed = CliRunner().invoke(main, ["format", "--style", "ieee", str(source)]).stdout
            assert [e["text"] for e in data["entries"]] == printed.splitlines()
            apa = page.post("/api/preview", style="apa").json()
            printed = CliRunner().invoke(main, ["format", "--style", "apa", str(source)]).stdout
            assert [e["text"] for e in apa["entries"]] == printed.splitlines()


def test_a_key_edit_re_renders_that_entry_in_its_place():
    two = BIB + BIB.replace("knuth1984", "dijkstra1968").replace("Donald E. Knuth", "Edsger W. Dijkstra").replace(
        "Literate Programming", "Go To Statement Considered Harmful").replace("1984", "1968")
    with live() as (_, client):
        page = load_page(client)
        data = page.post("/api/paste", text=two, style="ieee").json()
        second = data["entries"][1]
        assert second["text"].startswith("[2]")
        edited = page.post("/api/edit", uid=second["uid"], key="dijkstra68", style="ieee").json()
        assert edited["record"]["key"] == "dijkstra68"
        assert edited["entry"]["text"] == second["text"]  # same words, same number
        retitled = page.post("/api/edit", uid=second["uid"], title="Goto Considered", style="ieee").json()
        assert retitled["entry"]["text"].startswith("[2]") and "Goto Considered" in retitled["entry"]["text"]
        taken = page.post("/api/edit", uid=second["uid"], key="knuth1984", style="ieee")
        assert taken.status_code == 400 and "already" in taken.json()["error"]
        assert page.post("/api/edit", uid=second["uid"], key="two words", style="ieee").status_code == 400
        bib = page.post("/api/export", format="bibtex").json()["text"]
        assert "@article{dijkstra68," in bib.lower() and "Goto Considered" in bib
        assert load_string(bib, "bibtex").keys() == ["knuth1984", "dijkstra68"]


def test_exports_and_download_are_the_writers_output():
    from bibtools.api import dump

    with live() as (_, client):
        page = load_page(client)
        page.post("/api/paste", text=BIB)
        expected = load_string(BIB)
        for fmt in ("bibtex", "biblatex", "csljson", "ris"):
            assert page.post("/api/export", format=fmt).json()["text"] == dump(expected, fmt)
        download = client.get("/api/download", params={"workspace": page.workspace, "format": "ris"})
        assert download.headers["content-disposition"].startswith("attachment;")
        assert download.text == dump(expected, "ris")
        assert page.post("/api/export", format="docx").status_code == 400


def test_merge_shows_the_diff_writes_on_confirm_and_refuses_a_changed_file(tmp_path):
    library = tmp_path / "library.bib"
    original = "% my library\n" + BIB
    library.write_text(original, encoding="utf-8")
    incoming = BIB.replace("knuth1984", "ritchie1974").replace("Donald E. Knuth", "Dennis M. Ritchie and Ken Thompson").replace(
        "Literate Programming", "The UNIX Time-Sharing System").replace("The Computer Journal", "Communications of the ACM").replace(
        "10.1093/comjnl/27.2.97", "10.1145/361011.361061")
    with live(library) as (_, client):
        page, other_tab = load_page(client), load_page(client)
        page.post("/api/paste", text=incoming)
        preview = page.post("/api/merge", fingerprint=page.fingerprint).json()
        assert "+@article{ritchie1974," in preview["diff"].lower() and not preview["written"]
        assert library.read_text(encoding="utf-8") == original
        done = page.post("/api/merge", fingerprint=page.fingerprint, confirm=True).json()
        assert done["written"] and done["fingerprint"] != page.fingerprint
        assert load_file(library).keys() == ["knuth1984", "ritchie1974"]
        assert library.read_text(encoding="utf-8").startswith(original)  # untouched text kept byte for byte
        assert (tmp_path / "library.bib.bak").read_text(encoding="utf-8") == original
        # the other tab saw the file before that merge: refused, nothing written
        other_tab.post("/api/paste", text=BIB.replace("knuth1984", "knuth84b"))
        after = library.read_bytes()
        refused = other_tab.post("/api/merge", fingerprint=other_tab.fingerprint, confirm=True).json()
        assert "changed since this page loaded" in refused["refused"]
        assert library.read_bytes() == after


def test_likely_duplicates_of_the_library_and_lint_findings_are_reported(tmp_path):
    library = tmp_path / "library.bib"
    library.write_text(BIB, encoding="utf-8")
    pasted = BIB.replace("knuth1984", "Knuth:LP").replace("  pages = {97--111},\n", "") + "@book{nojournal, title = {Only a Title}}\n"
    with live(library) as (_, client):
        records = load_page(client).post("/api/paste", text=pasted).json()["records"]
    by_key = {r["key"]: r for r in records}
    assert any("library's 'knuth1984'" in d for d in by_key["Knuth:LP"]["duplicates"])
    assert any(f["rule"] == "BT001" for f in by_key["nojournal"]["findings"])  # @book without author, publisher, year


def test_style_search_puts_popular_styles_first():
    with live() as (_, client):
        first = client.get("/api/styles").json()["styles"]
        assert [s["name"] for s in first[:2]] == ["apa", "ieee"]
        assert client.get("/api/styles", params={"q": "ieee"}).json()["styles"][0]["name"] == "ieee"
        assert client.get("/api/styles", params={"q": "mla"}).json()["styles"][0]["name"] == "modern-language-association"
        page = load_page(client)
        page.post("/api/paste", text=BIB)
        assert page.post("/api/preview", style="no-such-style").status_code == 400


@pytest.mark.corpus
def test_dois_and_arxiv_ids_are_looked_up_with_the_cache_and_marked_offline(monkeypatch, tmp_path):
    from enrich_world import serve_recorded_arxiv, serve_recorded_crossref

    fake = LocalServer()
    point_services_at(fake, monkeypatch, tmp_path / "cache")
    for service in ("CROSSREF", "ARXIV", "OPENALEX", "S2"):
        monkeypatch.setenv(f"BIBTOOLS_{service}_RATE", "0")
    try:
        serve_recorded_crossref(fake, CORPORA)
        serve_recorded_arxiv(fake, CORPORA)
        ids = "https://doi.org/10.1371/journal.pone.0033693\narXiv:1605.08386v1\n"
        with live() as (_, client):
            data = load_page(client).post("/api/paste", text=ids).json()
        assert data["detected"] == "arxiv/doi" and not data["offline"]
        assert [r["key"] for r in data["records"]][1] == "stanley2016Heat"
        asked = fake.count()
        with live(offline=True) as (_, client):  # the same ids again: from the cache, no request
            page = load_page(client)
            assert 'id="offline"' in page.html
            again = page.post("/api/paste", text=ids).json()
            missing = page.post("/api/paste", text="10.5555/never-seen").json()
        assert again["offline"] and len(again["records"]) == 2 and fake.count() == asked
        assert missing["added"] == 0 and any("10.5555/never-seen" in m for m in missing["messages"])
    finally:
        fake.stop()


def test_serve_is_registered_lazily_and_says_how_to_install_its_dependencies():
    code = ("import sys; from click.testing import CliRunner; from bibtools.cli import main; "
            "r = CliRunner().invoke(main, ['--help']); assert 'serve' in r.output; "
            "CliRunner().invoke(main, ['styles', 'ieee']); assert 'starlette' not in sys.modules, 'imported'; "
            "sys.modules['starlette'] = None; r = CliRunner().invoke(main, ['serve']); "
            "print(r.exit_code, r.stderr)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT, timeout=120,
                         env={"PYTHONPATH": str(PROJECT), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("2 ") and "pip install 'bibtools[serve]'" in out.stdout


def test_only_loopback_is_quiet_and_a_named_host_is_allowed():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")
    assert "192.168.1.5" in allowed_hosts("192.168.1.5") and "attacker.example" not in allowed_hosts("192.168.1.5")


def test_the_command_serves_the_page_on_a_free_port_until_stopped(tmp_path):
    library = tmp_path / "mine.bib"
    library.write_text(BIB, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "bibtools", "serve", str(library), "--port", "0"], cwd=PROJECT,
                            env={"PYTHONPATH": str(PROJECT), "PATH": "/usr/bin:/bin"}, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stderr.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/", line).group(0)
        page = httpx.get(url, timeout=30)
        assert page.status_code == 200 and "mine.bib" in page.text and "(1 entries)" in page.text
        assert httpx.get(url, headers={"host": "rebound.example"}, timeout=30).status_code == 421
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        proc.stderr.close()


def test_a_pasted_reference_list_is_read_as_records():
    refs = (
        '[1] Y. LeCun, Y. Bengio, and G. Hinton, "Deep learning," Nature, vol. 521, no. 7553, pp. 436-444, 2015.\n'
        "[2] K. He, X. Zhang, S. Ren, and J. Sun, \"Deep residual learning for image recognition,\" in Proc. CVPR, "
        "2016, pp. 770-778.\n"
    )
    with live() as (_, client):
        page = load_page(client)
        data = page.post("/api/paste", text=refs, style="apa").json()
        assert data["detected"] == "references"
        texts = [e["text"] for e in data["entries"]]
        assert len(texts) == 2
        assert any(t.startswith("LeCun, Y., Bengio, Y., & Hinton, G. (2015). Deep learning. Nature, 521(7553), 436–444.")
                   for t in texts), texts
