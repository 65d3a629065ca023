import pytest

from bibtools.model import Date
from bibtools.text.dates import format_edtf, from_year_month, parse_edtf, parse_month


@pytest.mark.parametrize("text, date", [
    ("2020", Date(parts=((2020,),))),
    ("2020-05-17", Date(parts=((2020, 5, 17),))),
    ("2020-05/2021-01", Date(parts=((2020, 5), (2021, 1)))),
    ("2019~", Date(parts=((2019,),), circa=True)),
    ("2019?", Date(parts=((2019,),), circa=True)),
    ("199X", Date(parts=((1990,), (1999,)))),
    ("2020/..", Date(parts=((2020,), (0,)))),
    ("2020/", Date(parts=((2020,), (0,)))),
    ("2020-22", Date(parts=((2020,),), season=2)),
    ("2015-21/2016-22", Date(parts=((2015, 13), (2016, 14)))),
    ("-0044-03-15", Date(parts=((-44, 3, 15),))),
    ("sometime", Date(literal="sometime")),
])
def test_edtf(text, date):
    assert parse_edtf(text) == date


@pytest.mark.parametrize("text", ["2020", "2020-05-17", "2020-05/2021-01", "2019~", "2020/..", "2020-22", "2015-21/2016-22"])
def test_edtf_round_trip(text):
    assert format_edtf(parse_edtf(text)) == text


@pytest.mark.parametrize("month, expected", [
    ("January", (1, None)), ("jan", (1, None)), ("Feb.", (2, None)), ("12", (12, None)),
    ("May 15", (5, 15)), ("15 May", (5, 15)), ("août", (8, None)), ("13", (None, None)), ("Frimaire", (None, None)),
])
def test_bibtex_months(month, expected):
    assert parse_month(month) == expected


def test_year_month_day():
    assert from_year_month("2017", "August") == (Date(parts=((2017, 8),)), True)
    assert from_year_month("2016", "12", "13") == (Date(parts=((2016, 12, 13),)), True)
    assert from_year_month("2016", "Frimaire") == (Date(parts=((2016,),)), False)
    assert from_year_month("1999--2000") == (Date(parts=((1999,), (2000,))), True)
    assert from_year_month("13th Century") == (Date(literal="13th Century"), True)
