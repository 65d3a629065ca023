"""Hypothesis strategies for hostile bibliography input in every format we read."""
from __future__ import annotations

import json

from hypothesis import strategies as st

# Characters that matter to BibTeX/LaTeX/RIS/JSON parsers, mixed into ordinary text.
SPECIALS = '{}@"#%\\,=()~^$&_\n\r\t\x00\u2028\ufeff-'
text_chars = st.one_of(
    st.sampled_from(list(SPECIALS)),
    st.characters(blacklist_categories=("Cs",)),
    st.sampled_from(list("abcXYZ 019é中")),
)
hostile_text = st.text(text_chars, max_size=60)
identifier = st.text(st.sampled_from(list("abcdefghijklmnopqrstuvwxyzABC0123456789_-:./")), min_size=0, max_size=12)

ENTRY_TYPES = ["article", "book", "inproceedings", "misc", "online", "string", "preamble", "comment", "", "ARTICLE", "x y"]
FIELD_NAMES = ["title", "author", "editor", "year", "month", "pages", "doi", "isbn", "issn", "url", "crossref",
               "journal", "date", "note", "booktitle", "", "title title", "x+y"]


@st.composite
def bibtex_value(draw) -> str:
    kind = draw(st.sampled_from(["braced", "quoted", "number", "macro", "concat", "raw"]))
    body = draw(hostile_text)
    if kind == "braced":
        return "{" + body + "}"
    if kind == "quoted":
        return '"' + body + '"'
    if kind == "number":
        return str(draw(st.integers(min_value=-10, max_value=10**12)))
    if kind == "macro":
        return draw(identifier)
    if kind == "concat":
        return " # ".join(draw(st.lists(st.sampled_from(["jan", "{a}", '"b"', "undefinedmacro", "12"]), min_size=1, max_size=4)))
    return body


@st.composite
def bibtex_entry(draw) -> str:
    etype = draw(st.sampled_from(ENTRY_TYPES))
    open_, close = draw(st.sampled_from([("{", "}"), ("(", ")"), ("{", ""), ("", "}"), ("{", ")")]))
    key = draw(identifier)
    fields = draw(st.lists(st.tuples(st.sampled_from(FIELD_NAMES), bibtex_value()), max_size=6))
    sep = draw(st.sampled_from([",\n  ", ", ", ",", "\n"]))
    body = sep.join(f"{name} = {value}" for name, value in fields)
    trailing = draw(st.sampled_from(["", ",", ",,", "\n"]))
    return f"@{etype}{open_}{key}{sep if fields else ''}{body}{trailing}{close}"


@st.composite
def bibtex_file(draw) -> str:
    parts = draw(st.lists(st.one_of(bibtex_entry(), hostile_text, st.just("@string{jan = {Janvier}}")), max_size=5))
    return draw(st.sampled_from(["\n", "\n\n", "", "\r\n"])).join(parts)


json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), hostile_text)
json_values = st.recursive(json_scalars, lambda kids: st.one_of(st.lists(kids, max_size=4),
                                                               st.dictionaries(hostile_text, kids, max_size=4)),
                           max_leaves=8)
CSL_KEYS = ["id", "type", "title", "author", "editor", "issued", "accessed", "DOI", "ISBN", "URL", "page", "volume",
            "container-title", "citation-key", "custom", "note"]


@st.composite
def csl_item(draw) -> dict:
    item: dict = {}
    for key in draw(st.lists(st.sampled_from(CSL_KEYS), max_size=8, unique=True)):
        if key in ("author", "editor"):
            item[key] = draw(st.one_of(json_values, st.lists(st.fixed_dictionaries(
                {}, optional={"family": hostile_text, "given": hostile_text, "literal": hostile_text,
                              "non-dropping-particle": hostile_text}), max_size=4)))
        elif key in ("issued", "accessed"):
            item[key] = draw(st.one_of(json_values, st.fixed_dictionaries(
                {}, optional={"date-parts": st.lists(st.lists(st.one_of(st.integers(), hostile_text), max_size=4), max_size=3),
                              "raw": hostile_text, "literal": hostile_text, "season": json_scalars, "circa": json_scalars})))
        elif key == "type":
            item[key] = draw(st.one_of(st.sampled_from(["article-journal", "book", "chapter", "webpage", "nonsense"]), json_values))
        else:
            item[key] = draw(json_values)
    return item


@st.composite
def csl_json_text(draw) -> str:
    shape = draw(st.sampled_from(["list", "object", "garbage", "truncated"]))
    items = draw(st.lists(csl_item(), max_size=4))
    if shape == "object":
        return json.dumps(items[0] if items else {})
    text = json.dumps(items)
    if shape == "truncated" and text:
        return text[: draw(st.integers(min_value=0, max_value=len(text)))]
    if shape == "garbage":
        return json.dumps(draw(json_values))
    return text


RIS_TAGS = ["TY", "AU", "A1", "TI", "T1", "PY", "Y1", "DA", "DO", "SN", "UR", "SP", "EP", "JO", "KW", "ER", "XX", "", "T"]


@st.composite
def ris_text(draw) -> str:
    lines = []
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        lines.append(f"TY  - {draw(st.sampled_from(['JOUR', 'BOOK', 'CHAP', 'GEN', 'NONSENSE', '']))}")
        for _ in range(draw(st.integers(min_value=0, max_value=6))):
            tag = draw(st.sampled_from(RIS_TAGS))
            sep = draw(st.sampled_from(["  - ", " - ", "  -", "- ", ""]))
            lines.append(f"{tag}{sep}{draw(hostile_text)}")
        if draw(st.booleans()):
            lines.append("ER  - ")
    return draw(st.sampled_from(["\n", "\r\n"])).join(lines)


@st.composite
def listing_text(draw) -> str:
    """An author page as copied: banner noise, author lines, abstracts, 'Via' lines."""
    lines = [draw(hostile_text)]
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        names = draw(st.lists(st.text(st.sampled_from(list("ABCDEFGHIJKLMNOPabcdefghij .,-'é")), max_size=20), max_size=5))
        lines.append(", ".join(names))
        lines.append(draw(hostile_text))
        lines.append(draw(st.sampled_from(["Via arXiv", "Via Crossref", "Via", "via nothing", ""])))
    return "\n".join(lines)


@st.composite
def crossref_text(draw) -> str:
    """A Crossref /works answer (single or list) with hostile values in the usual places."""
    def work() -> dict:
        out: dict = {}
        for key in draw(st.lists(st.sampled_from(["DOI", "type", "title", "author", "container-title", "issued",
                                                  "page", "ISSN", "ISBN", "URL", "abstract", "editor", "published-print"]),
                                 max_size=8, unique=True)):
            if key in ("title", "container-title", "ISSN", "ISBN"):
                out[key] = draw(st.one_of(st.lists(hostile_text, max_size=3), json_values))
            elif key in ("author", "editor"):
                out[key] = draw(st.one_of(st.lists(st.fixed_dictionaries({}, optional={
                    "given": hostile_text, "family": hostile_text, "name": hostile_text, "ORCID": hostile_text}), max_size=3),
                    json_values))
            elif key in ("issued", "published-print"):
                out[key] = draw(st.one_of(st.fixed_dictionaries({"date-parts": st.lists(st.lists(
                    st.one_of(st.integers(), st.none(), hostile_text), max_size=3), max_size=2)}), json_values))
            else:
                out[key] = draw(st.one_of(hostile_text, json_values))
        return out

    if draw(st.booleans()):
        body = {"status": "ok", "message-type": "work", "message": work()}
    else:
        body = {"status": "ok", "message-type": "work-list", "message": {"items": [work() for _ in range(draw(st.integers(0, 3)))]}}
    return json.dumps(body)


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@st.composite
def arxiv_text(draw) -> str:
    entries = []
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        raw = draw(st.booleans())  # raw: hostile text dropped into the XML unescaped (malformed XML)
        esc = (lambda t: t) if raw else _xml_escape
        entries.append(
            "<entry><id>" + esc(draw(st.sampled_from(["http://arxiv.org/abs/1234.5678v2", "http://arxiv.org/abs/hep-th/9901001",
                                                     "", "abc"]))) + "</id>"
            + "<title>" + esc(draw(hostile_text)) + "</title>"
            + "".join("<author><name>" + esc(draw(hostile_text)) + "</name></author>" for _ in range(draw(st.integers(0, 3))))
            + "<published>" + esc(draw(st.sampled_from(["2020-01-01T00:00:00Z", "nonsense", ""]))) + "</published>"
            + "<summary>" + esc(draw(hostile_text)) + "</summary></entry>")
    return '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">' + "".join(entries) + "</feed>"
