import pytest

from bibtools.model import Name
from bibtools.text.bibnames import format_names, split_names
from bibtools.text.latex import escape_text


def names(value):
    return split_names(value)[0]


@pytest.mark.parametrize("value, expected", [
    ("Donald E. Knuth", Name(family="Knuth", given="Donald E.")),
    ("Knuth, Donald E.", Name(family="Knuth", given="Donald E.")),
    ("von Last, Jr, First", Name(family="Last", given="First", non_dropping_particle="von", suffix="Jr")),
    ("Ludwig van Beethoven", Name(family="Beethoven", given="Ludwig", non_dropping_particle="van")),
    ("Jean de La Fontaine", Name(family="La Fontaine", given="Jean", non_dropping_particle="de")),
    ("van de Meent, Jan-Willem", Name(family="Meent", given="Jan-Willem", non_dropping_particle="van de")),
    ("{World Health Organization}", Name(literal="World Health Organization")),
    ("Hermann {von Helmholtz}", Name(family="von Helmholtz", given="Hermann")),
    (r"Baydin, At{\i}l{\i}m G{\"u}ne{\c s}", Name(family="Baydin", given="Atılım Güneş")),
    (r"{\'E}mile Zola", Name(family="Zola", given="Émile")),
    ("family=Gogh, given=Vincent, prefix=van", Name(family="Gogh", given="Vincent", non_dropping_particle="van")),
])
def test_one_name(value, expected):
    assert names(value) == [expected]


def test_list_splitting_follows_bibtex():
    assert [n.family for n in names("A, B AND C, D and {E and F}")] == ["A", "C", None]
    assert names("{E and F}")[0].literal == "E and F"
    assert [n.family for n in names(r"A\begin{center} and \end{center}B")] == ["A and B"]
    listed, others = split_names("Doe, J. and Roe, R. and others")
    assert [n.family for n in listed] == ["Doe", "Roe"] and others


@pytest.mark.parametrize("value", [
    "von Last, Jr, First",
    "{World Health Organization} and Doe, Jane and others",
    "de La Fontaine, Jean",
    "{de la Fuente}, Juan",
    "Garcia Marquez,",
    "Brandt, {and Oliver}",
    "{'t Hooft}, G. W.",
])
def test_formatting_reads_back_the_same(value):
    parsed, others = split_names(value)
    written = format_names(parsed, escape_text, others=others)
    assert split_names(written) == (parsed, others)


def test_formatter_protects_what_bibtex_would_split():
    assert format_names([Name(family="de la Fuente", given="Juan")], escape_text) == "{de la Fuente}, Juan"
    assert format_names([Name(literal="Smith & Sons")], escape_text) == r"{Smith \& Sons}"
    assert format_names([Name(family="Gogh", given="Vincent", non_dropping_particle="van")], escape_text) == "van Gogh, Vincent"
