"""Readers never raise on bad input: they return what they can plus diagnostics."""
import json

from hypothesis import given, settings, strategies as st

import bibtools

READERS = ("listing", "crossref", "arxiv", "openalex", "semanticscholar")

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["DOI", "title", "type", "author", "issued", "message", "items", "results", "data",
                         "paperId", "id", "authorships", "page", "article-number", "abstract", "family", "given",
                         "date-parts", "name", "journal", "externalIds", "biblio", "primary_location", "source"]),
        children, max_size=6),
    max_leaves=25,
)


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=400))
def test_any_text_reads_without_raising(text):
    for name in READERS:
        lib = bibtools.load_string(text, name)
        assert isinstance(lib.items, list)


@settings(max_examples=80, deadline=None)
@given(json_values)
def test_any_json_shape_reads_without_raising(value):
    text = json.dumps(value)
    for name in ("crossref", "openalex", "semanticscholar"):
        lib = bibtools.load_string(text, name)
        bibtools.dump(lib, "csljson")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([
    "<entry>", "</entry>", "<id>http://arxiv.org/abs/2101.00001v2</id>", "<title>T $x$</title>",
    "<author><name>A B</name></author>", "<published>2021-13-45</published>", "<summary/>", "&amp;", "<arxiv:doi>x</arxiv:doi>",
]), max_size=12))
def test_any_feed_fragment_reads_without_raising(parts):
    feed = ('<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">'
            + "".join(parts) + "</feed>")
    lib = bibtools.load_string(feed, "arxiv")
    bibtools.dump(lib, "csljson")
