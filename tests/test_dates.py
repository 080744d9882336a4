import datetime as dt

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from azukr.dates import PartialDate, last_weekday

from .strategies import date_texts, partial_dates

D = dt.date


@pytest.mark.parametrize(
    ("text", "precision", "earliest", "latest"),
    [
        ("2022-01-14", "day", D(2022, 1, 14), D(2022, 1, 14)),
        ("2022-03", "month", D(2022, 3, 1), D(2022, 3, 31)),
        ("2024-02", "month", D(2024, 2, 1), D(2024, 2, 29)),
        ("2022", "year", D(2022, 1, 1), D(2022, 12, 31)),
        ("2022-03-13?", "day", D(2022, 3, 13), D(2022, 3, 13)),
        ("2022~", "year", D(2022, 1, 1), D(2022, 12, 31)),
        ("2022-02-24/2025-04", "month", D(2022, 2, 24), D(2025, 4, 30)),
        ("2022-02/..", "month", D(2022, 2, 1), dt.date.max),
        ("/2022-03-17", "day", dt.date.min, D(2022, 3, 17)),
        ("1990/1999", "year", D(1990, 1, 1), D(1999, 12, 31)),
    ],
)
def test_parse_gives_precision_and_bounds(text, precision, earliest, latest):
    date = PartialDate.parse(text)
    assert (date.precision, date.earliest, date.latest, str(date)) == (precision, earliest, latest, text)


@pytest.mark.parametrize(
    "text",
    ["2022-13-01", "2022-02-30", "22-01-01", "2022/2021", "../..", "", "2022-1-5", "2022-03-13??", "march 2022"],
)
def test_invalid_text_raises_value_error_naming_it(text):
    with pytest.raises(ValueError, match="is not a valid date"):
        PartialDate.parse(text)


def test_non_string_is_refused():
    with pytest.raises(ValueError):
        PartialDate.parse(20220114)  # type: ignore[arg-type]


def test_qualifiers_are_kept():
    assert PartialDate.parse("2022-03-13?").uncertain and not PartialDate.parse("2022-03-13?").approximate
    assert PartialDate.parse("2022~").approximate
    both = PartialDate.parse("2022-05%")
    assert both.uncertain and both.approximate


def test_month_precision_overlaps_every_day_of_the_month():
    march = PartialDate.parse("2022-03")
    days = [D(2022, 3, 1) + dt.timedelta(days=n) for n in range(31)]
    assert all(march.could_be(day) for day in days)
    assert not march.could_be(D(2022, 2, 28)) and not march.could_be(D(2022, 4, 1))


def test_coerce_accepts_date_datetime_text_and_partial_date():
    expected = PartialDate.parse("2022-02-27")
    assert PartialDate.coerce(D(2022, 2, 27)) == expected
    assert PartialDate.coerce(dt.datetime(2022, 2, 27, 13, 0)) == expected
    assert PartialDate.coerce("2022-02-27") == expected
    assert PartialDate.coerce(expected) is expected


def test_weekday_is_resolved_from_the_article_date():
    # OC Media, Monday 28 February 2022: "on Sunday" and "On Saturday"
    assert last_weekday("Sunday", before=D(2022, 2, 28)) == D(2022, 2, 27)
    assert last_weekday("saturday", before=D(2022, 2, 28)) == D(2022, 2, 26)
    # strictly before: "on Monday" in a Monday article is a week earlier
    assert last_weekday("Monday", before=D(2022, 2, 28)) == D(2022, 2, 21)
    with pytest.raises(ValueError):
        last_weekday("Sonntag", before=D(2022, 2, 28))


@given(partial_dates())
@example(PartialDate.parse("2022-02/.."))
@example(PartialDate.parse("/2022"))
def test_str_round_trips(date):
    assert PartialDate.parse(str(date)) == date


@given(date_texts)
def test_parse_then_str_is_identity_on_canonical_text(text):
    assert str(PartialDate.parse(text)) == text


@given(partial_dates())
def test_earliest_never_after_latest(date):
    assert date.earliest <= date.latest


@given(partial_dates(), partial_dates())
def test_order_is_total_and_consistent_with_equality(a, b):
    assert (a < b) + (a == b) + (a > b) == 1
    assert (a <= b) == (a < b or a == b)
    assert (a < b) == (b > a)


@given(partial_dates(), partial_dates(), partial_dates())
def test_order_is_transitive(a, b, c):
    x, y, z = sorted([a, b, c])
    assert x <= y <= z and x <= z


@given(partial_dates(), st.dates(D(1975, 1, 1), D(2040, 12, 31)))
def test_could_be_matches_bounds(date, day):
    assert date.could_be(day) == (date.earliest <= day <= date.latest)
