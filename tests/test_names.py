import pytest

from bibtools import Name
from bibtools.text.names import fix_caps, parse_name, parse_names, split_names


@pytest.mark.parametrize("text, family, given, particle, suffix", [
    ("Atılım Güneş Baydin", "Baydin", "Atılım Güneş", None, None),
    ("Yuval Noah Harari", "Harari", "Yuval Noah", None, None),
    ("Jan-Willem van de Meent", "Meent", "Jan-Willem", "van de", None),
    ("Hal Daumé III", "Daumé", "Hal", None, "III"),
    ("Li Fei-Fei", "Li", "Fei-Fei", None, None),  # family-first pinyin
    ("Ya-Qin Zhang", "Zhang", "Ya-Qin", None, None),  # given-first: the hyphenated word is the given name
    ("J. Zico Kolter", "Kolter", "J. Zico", None, None),
    ("Sören Mindermann", "Mindermann", "Sören", None, None),
    ("Shai Shalev-Shwartz", "Shalev-Shwartz", "Shai", None, None),
    ("Baydin, Atılım Güneş", "Baydin", "Atılım Güneş", None, None),
    ("van de Meent, Jan-Willem", "Meent", "Jan-Willem", "van de", None),
    ("Daumé, III, Hal", "Daumé", "Hal", None, "III"),
    ("Daumé, Hal, III", "Daumé", "Hal", None, "III"),
    ("Daumé III, Hal", "Daumé", "Hal", None, "III"),
    ("King, Jr, Martin Luther", "King", "Martin Luther", None, "Jr"),
    ("Rockefeller, IV, John D.", "Rockefeller", "John D.", None, "IV"),
    ("Smith, Sr., JOHN", "Smith", "John", None, "Sr."),
    ("Kolter, J.Z.", "Kolter", "J. Z.", None, None),
    ("Kolter, J. Z.", "Kolter", "J. Z.", None, None),
    ("J Z Kolter", "Kolter", "J. Z.", None, None),
    ("Kolter JZ", "Kolter", "J. Z.", None, None),
    ("Martin Luther King Jr.", "King", "Martin Luther", None, "Jr."),
    ("Vincent Van Gogh", "Gogh", "Vincent", "Van", None),
    ("Ludwig van Beethoven", "Beethoven", "Ludwig", "van", None),
])
def test_parse_name(text, family, given, particle, suffix):
    name = parse_name(text)
    assert (name.family, name.given, name.non_dropping_particle, name.suffix) == (family, given, particle, suffix)


def test_single_word_and_braced_names():
    assert parse_name("Plato") == Name(family="Plato")
    assert parse_name("{World Health Organization}") == Name(literal="World Health Organization")


@pytest.mark.parametrize("text, fixed", [
    ("GUMLEY", "Gumley"),
    ("SHALEV-SHWARTZ", "Shalev-Shwartz"),
    ("O'BRIEN", "O'Brien"),
    ("MCDONALD", "McDonald"),
    ("JD", "JD"),  # no vowel: initials, left alone
    ("McDonald", "McDonald"),  # mixed case untouched
    ("JEAN-PAUL", "Jean-Paul"),
])
def test_fix_caps(text, fixed):
    assert fix_caps(text) == fixed


def test_all_caps_family_without_vowels():
    from bibtools.text.names import fix_name_caps
    assert fix_name_caps(Name(family="NG", given="ANDREW")) == Name(family="Ng", given="Andrew")
    assert fix_name_caps(Name(family="GRAY", given="J.D.")) == Name(family="Gray", given="J.D.")


def test_all_caps_free_text_name():
    assert parse_name("GUMLEY, L") == Name(family="Gumley", given="L.")
    assert parse_name("JOHN MCDONALD") == Name(family="McDonald", given="John")
    assert parse_name("ANDREW NG") == Name(family="Ng", given="Andrew")  # all caps: not PubMed "Family INITIALS"
    assert parse_name("NG, ANDREW") == Name(family="Ng", given="Andrew")


@pytest.mark.parametrize("line, expected", [
    ("A B, C D and E F", ["A B", "C D", "E F"]),
    ("A B, C D, and E F", ["A B", "C D", "E F"]),
    ("A B and C D", ["A B", "C D"]),
    ("Baydin, A. G.; Harari, Y. N.", ["Baydin, A. G.", "Harari, Y. N."]),
    ("Hal Daumé, III, Yuval Noah Harari", ["Hal Daumé III", "Yuval Noah Harari"]),
])
def test_split_names(line, expected):
    assert split_names(line) == expected


def test_parse_names_line():
    names = parse_names("Hal Daumé III, Jan-Willem van de Meent and Li Fei-Fei")
    assert [(n.family, n.given) for n in names] == [("Daumé", "Hal"), ("Meent", "Jan-Willem"), ("Li", "Fei-Fei")]
    assert names[1].full_family == "van de Meent"
