import pytest

import bibtools
from bibtools.model import Date, Item, Library, Name, Origin


def _item(**fields):
    return Item(id="k", type="article-journal", fields=dict(fields))


def _written(item, dialect="bibtex", **options):
    return bibtools.dump(Library([item]), dialect, **options)


def test_text_fields_are_escaped_but_urls_and_dois_are_not():
    item = _item(title="Profit & Loss: 50% of #1 my_var", URL="https://ex.org/a_b%20c?x=1&y=2#frag",
                 DOI="10.1000/a_b%c", note="cost $5")
    text = _written(item)
    assert r"title = {Profit \& Loss: 50\% of \#1 my\_var}," in text
    assert "url = {https://ex.org/a_b%20c?x=1&y=2#frag}," in text
    assert "doi = {10.1000/a_b%c}," in text
    assert r"note = {cost \$5}," in text
    back = bibtools.load_string(text, "bibtex")["k"]
    assert back["URL"] == item["URL"] and back["DOI"] == item["DOI"] and back.title == item.title


def test_dialects_choose_their_fields():
    item = Item(id="k", type="article-journal", fields={
        "title": "T", "container-title": "J", "publisher-place": "Paris", "issued": Date(parts=((2020, 5),))})
    classic = _written(item, "bibtex")
    assert "journal = {J}," in classic and "address = {Paris}," in classic
    assert "year = {2020}," in classic and "month = may," in classic
    modern = _written(item, "biblatex")
    assert "journaltitle = {J}," in modern and "location = {Paris}," in modern and "date = {2020-05}," in modern
    thesis = Item(id="t", type="thesis", fields={"title": "T", "publisher": "Leiden University", "genre": "Master's thesis"})
    assert _written(thesis, "bibtex").startswith("@mastersthesis{t,")
    assert "school = {Leiden University}," in _written(thesis, "bibtex")
    assert "institution = {Leiden University}," in _written(thesis, "biblatex")


def test_native_type_is_kept_when_it_means_the_same():
    item = Item(id="k", type="paper-conference", fields={"title": "T"}, origin=Origin("bibtex", None, 1, "conference"))
    assert _written(item).startswith("@conference{k,")
    item.type = "article-journal"  # changed since reading: the native type no longer fits
    assert _written(item).startswith("@article{k,")


def test_ascii_option_escapes_non_ascii():
    item = _item(title="Über Gödel", author=[Name(family="Łukasiewicz", given="Jan")])
    text = _written(item, ascii=True)
    assert text.isascii()
    assert r'title = {{\"{U}}ber G{\"{o}}del},' in text
    back = bibtools.load_string(text, "bibtex")["k"]
    assert back.title == "Über Gödel" and back.authors == [Name(family="Łukasiewicz", given="Jan")]
    assert "Über Gödel" in _written(item)  # UTF-8 by default


def test_unmapped_csl_variables_are_written_and_read_back():
    item = _item(title="T", **{"collection-editor": [Name(family="Roe", given="R.")], "original-date": Date(parts=((1900,),)),
                               "submitted": Date(parts=((2020, 1, 2),)), "dimensions": "10 cm"})
    losses = []
    text = _written(item, "biblatex", losses=losses)
    assert "collection-editor = {Roe, R.}," in text and "submitted = {2020-01-02}," in text
    back = bibtools.load_string(text, "bibtex")["k"]
    for var in ("collection-editor", "original-date", "submitted", "dimensions"):
        assert back[var] == item[var]
    assert losses == []


def test_losses_are_reported_per_item():
    item = Item(id="bad key", type="map", fields={"title": "T"}, extra={"weird name": "x"})
    losses = []
    text = _written(item, "biblatex", losses=losses)
    assert text.startswith("@misc{bad_key,")
    messages = " | ".join(d.message for d in losses)
    assert "'map'" in messages and "'bad key'" in messages and "'weird name'" in messages
    assert all(d.key == "bad key" for d in losses)


def test_file_blocks_and_and_others_are_written_back(fixtures):
    lib = bibtools.load(str(fixtures / "features.bib"))
    text = bibtools.dump(lib, "bibtex")
    # @string definitions stay as written, macro references and all (issue 12); --normalize expands them
    assert text.startswith('@string{acm = "ACM"}\n\n@string{procs = "Proceedings of the " # acm # " Symposium"}\n\n@preamble{')
    assert bibtools.dump(lib, "bibtex", normalize=True).startswith(
        '@string{acm = {ACM}}\n\n@string{procs = {Proceedings of the ACM Symposium}}\n\n@preamble{')
    assert "title = procs # \" 2001\"," in text  # a macro reference is written back as one
    assert "author = {Smith, John and others}," in text
    assert text.rstrip().endswith("@comment{jabref-meta: databaseType:biblatex;}")
    assert "mynote = {Kept \\& written back}," in text


@pytest.mark.parametrize("dialect", ["bibtex", "biblatex"])
def test_rewriting_is_byte_identical(fixtures, dialect):
    lib = bibtools.load(str(fixtures / "features.bib"))
    first = bibtools.dump(lib, dialect)
    second = bibtools.dump(bibtools.load_string(first, "bibtex"), dialect)
    assert first == second
    assert bibtools.dump(lib, dialect) == first
