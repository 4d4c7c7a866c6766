"""The ground floor's reader formats (simlib.formats.words): every figure rounded first and
never shown as "-0", halves rounded to the even digit, shares as percentages, signed changes,
huge numbers, missing values, ranges, changes in words, plurals and dates."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from simlib.formats import words

MISSING_VALUES = [None, math.nan, math.inf, -math.inf]


# --- never "-0" ----------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "decimals", "expected"), [
    (-0.3, 0, "0"), (-0.0, 0, "0"), (-0.49, 0, "0"), (-0.04, 1, "0.0"), (-0.004, 2, "0.00"),
    (169.6, 0, "170"), (-1.6, 0, "-2"), (2.25, 1, "2.2"), (-3.46, 1, "-3.5"),
])
def test_days_and_fixed_round_first_and_never_read_minus_zero(value, decimals, expected):
    assert words.days(value, decimals) == expected
    assert words.fixed(value, decimals) == expected


def test_a_table_cell_of_a_tiny_negative_number_of_days_reads_zero():
    assert words.days(-0.3, missing=words.BLANK) == "0"
    assert words.days(-0.03, 1, missing=words.BLANK) == "0.0"


@pytest.mark.parametrize(("value", "expected"), [
    (0.5, "0"), (-0.5, "0"), (1.5, "2"), (2.5, "2"), (-2.5, "-2"), (-1.5, "-2"), (3.5, "4"),
])
def test_halves_round_to_the_even_digit(value, expected):
    assert words.days(value) == expected
    assert words.whole(value) == expected


def test_one_decimal_rounds_the_float_it_is_given():
    assert words.fixed(0.15, 1) == "0.1"  # 0.15 is stored as 0.1499999...
    assert words.fixed(0.25, 1) == "0.2"  # exactly a half: to the even digit
    assert words.fixed(-0.05, 1) == "-0.1"  # stored as -0.05000000000000000277...


@pytest.mark.parametrize(("value", "decimals", "expected"), [
    (-0.3, 0, "0"), (0.3, 0, "0"), (-0.5, 0, "0"), (0.5, 0, "0"), (12.4, 0, "+12"),
    (-3.2, 0, "-3"), (-0.04, 1, "0.0"), (0.04, 1, "0.0"), (0.26, 1, "+0.3"),
    (-0.26, 1, "-0.3"), (0.001, 2, "0.00"), (0.006, 2, "+0.01"),
])
def test_signed_shows_a_direction_only_when_there_is_one(value, decimals, expected):
    assert words.signed(value, decimals) == expected


@pytest.mark.parametrize(("share", "decimals", "expected"), [
    (0.5017, 0, "50%"), (0.5017, 1, "50.2%"), (0.13, 0, "13%"), (-0.001, 0, "0%"),
    (-0.0004, 1, "0.0%"), (1.0, 0, "100%"), (0.005, 0, "0%"), (0.015, 0, "2%"),
    (2.5, 0, "250%"),
])
def test_percent(share, decimals, expected):
    assert words.percent(share, decimals) == expected


@pytest.mark.parametrize(("share", "expected"), [
    (0.85, "85%"), (0.855, "85.5%"), (0.8504, "85%"), (0.8496, "85%"), (0.12345, "12.3%"),
    (-0.0001, "0%"),
])
def test_percent_with_a_tenth_only_where_it_shows(share, expected):
    assert words.percent(share, None) == expected


@pytest.mark.parametrize(("difference", "expected"), [
    (0.015, "+1.5 points"), (-0.003, "-0.3 points"), (-0.0004, "0.0 points"),
    (0.0, "0.0 points"),
])
def test_points_of_a_share(difference, expected):
    assert words.points(difference) == expected


@pytest.mark.parametrize(("share", "expected"), [
    (0.85, "85%"), (0.996, ">99%"), (0.004, "<1%"), (0.994, "99%"), (0.006, "1%"),
])
def test_chance(share, expected):
    assert words.chance(share) == expected


@pytest.mark.parametrize(("value", "digits", "expected"), [
    (0.041234, 3, "0.0412"), (1.5, 4, "1.5"), (12345.0, 4, "1.234e+04"), (-0.0, 3, "0"),
    (2.0, 3, "2"), (-0.00123, 2, "-0.0012"),
])
def test_significant(value, digits, expected):
    assert words.significant(value, digits) == expected


def test_significant_span():
    assert words.significant_span(0.041234, 0.07331) == "0.0412 to 0.0733"
    assert words.significant_span(2.5, 14.04, 4) == "2.5 to 14.04"
    assert words.significant_span(-0.0, 1.0) == "0 to 1"


# --- huge and sensible numbers -------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    (13.0, "13"), (169.99, "170"), (1234.4, "1,234"), (15.65, "15.7"), (2.545, "2.54"),
    (0.1241, "0.124"), (-0.0001, "-0.0001"), (-0.00000001, "0"), (0, "0"),
    (1e12, "1,000,000,000,000"), (-2.5e9, "-2,500,000,000"),
])
def test_number_has_a_sensible_precision(value, expected):
    assert words.number(value) == expected


def test_huge_numbers_are_written_out():
    assert words.whole(1e15 + 2, commas=True) == "1,000,000,000,000,002"
    assert words.whole(123456789.6) == "123456790"
    assert words.percent(12345.678) == "1234568%"
    assert words.signed(1e9) == "+1000000000"
    assert words.significant(6.02e23, 3) == "6.02e+23"


# --- missing values ------------------------------------------------------------------------


@pytest.mark.parametrize("value", MISSING_VALUES)
def test_a_missing_value_reads_not_available(value):
    for shown in (words.fixed(value), words.days(value), words.whole(value),
                  words.number(value), words.signed(value), words.percent(value),
                  words.significant(value), words.points(value), words.chance(value),
                  words.day_count(value), words.span(value, 3.0), words.span(3.0, value),
                  words.change(value), words.range_change(value, 3.0),
                  words.significant_span(value, 3.0), words.significant_span(3.0, value)):
        assert shown == "n/a"
    assert words.interval(value, 3.0) == "no interval"


@pytest.mark.parametrize("value", MISSING_VALUES)
def test_a_missing_table_cell_reads_a_dash(value):
    assert words.days(value, 1, missing=words.BLANK) == "-"
    assert words.signed(value, 1, missing=words.BLANK) == "-"
    assert words.percent(value, 1, missing=words.BLANK) == "-"
    assert words.bracketed(value, 3.0, missing=words.BLANK) == "-"
    assert words.bracketed(3.0, value, missing=words.BLANK) == "-"


# --- ranges and changes --------------------------------------------------------------------


@pytest.mark.parametrize(("low", "high", "expected"), [
    (168.2, 172.4, "168 to 172"), (-0.4, 0.3, "about 0"), (169.6, 170.4, "about 170"),
    (-1.4, -0.6, "about -1"), (math.nan, 3.0, "n/a"),
])
def test_span_says_a_range_once_when_its_ends_round_alike(low, high, expected):
    assert words.span(low, high) == expected


def test_interval():
    assert words.interval(167.6, 172.4) == "95% CI 168 to 172"


@pytest.mark.parametrize(("low", "high", "decimals", "expected"), [
    (167.6, 172.4, 0, "[168, 172]"), (-0.04, 0.3, 1, "[0.0, 0.3]"), (-3.24, -0.4, 0, "[-3, 0]"),
    (-0.02, -0.01, 1, "[0.0, 0.0]"),
])
def test_bracketed_interval_cells(low, high, decimals, expected):
    assert words.bracketed(low, high, decimals) == expected


@pytest.mark.parametrize(("difference", "low", "high", "expected"), [
    (-0.1, -0.4, 0.3, "no change"),
    (-1.1, -1.4, -0.6, "about 1 day shorter"),
    (-53.2, -56.0, -50.1, "53 days shorter (95% CI 50 to 56)"),
    (14.2, 11.0, 17.3, "14 days longer (95% CI 11 to 17)"),
    (-1.0, -3.2, 1.1, "no clear change (95% CI 3 days shorter to 1 day longer)"),
    (-0.8, -0.9, -0.6, "about 1 day shorter"),
    (-0.3, -1.2, -0.2, "under 1 day shorter (95% CI 0 to 1)"),
    (2.0, None, None, "2 days longer"),
    (-0.2, None, None, "no change"),
])
def test_change_in_words(difference, low, high, expected):
    assert words.change(difference, low, high) == expected


@pytest.mark.parametrize(("low", "high", "expected"), [
    (-37.2, -17.8, "18 to 37 days shorter"), (3.4, 9.1, "3 to 9 days longer"),
    (-5.2, -4.9, "about 5 days shorter"), (-5.1, 2.6, "5 days shorter to 3 days longer"),
    (-0.3, 0.4, "no change"),
])
def test_range_change_in_words(low, high, expected):
    assert words.range_change(low, high) == expected


# --- counts and names ----------------------------------------------------------------------


@pytest.mark.parametrize(("count", "word", "expected"), [
    (1, "day", "1 day"), (2, "day", "2 days"), (1, "notebook", "1 notebook"),
    (0, "change", "0 changes"), (1.5, "week", "1.5 weeks"), (8114, "proposal", "8,114 proposals"),
    (1.0, "credit", "1 credit"), (2, "learner work item", "2 learner work items"),
])
def test_plural(count, word, expected):
    assert words.plural(count, word) == expected


def test_an_exact_plural_shows_the_figure_as_given():
    assert words.plural(127.75, "hour", exact=True) == "127.75 hours"
    assert words.plural(127.75, "hour") == "128 hours"
    assert words.plural(1.0, "credit", exact=True) == "1 credit"
    assert words.plural(100000, "hour", exact=True) == "100000 hours"


def test_day_count_rounds_before_choosing_the_word():
    assert words.day_count(1.2) == "1 day"
    assert words.day_count(0.6) == "1 day"
    assert words.day_count(-0.2) == "0 days"
    assert words.day_count(-1.4) == "-1 day"


def test_amounts_and_multipliers():
    assert words.amount(1, "reviewers") == "1 reviewer"
    assert words.amount(2, "weeks between meetings") == "2 weeks between meetings"
    assert words.amount(1, "weeks between meetings") == "1 week between meetings"
    assert words.times(3) == "3x"
    assert words.times(1.5) == "1.5x"


def test_pathway_names():
    assert words.pathway_words("credit") == "credit-bearing"
    assert words.pathway_title("noncredit") == "Non-credit"
    assert words.pathway_words("badge") == "badge"
    assert words.pathway_title("badge") == "badge"


# --- dates ---------------------------------------------------------------------------------


def test_dates():
    day = dt.date(2026, 11, 6)
    assert words.long_date(day) == "6 November 2026"
    assert words.short_date(day) == "6 Nov 2026"


@pytest.mark.parametrize(("early", "late", "expected"), [
    ((2026, 11, 3), (2026, 11, 20), "3 to 20 November 2026"),
    ((2026, 10, 30), (2026, 11, 20), "30 October to 20 November 2026"),
    ((2026, 12, 20), (2027, 1, 3), "20 December 2026 to 3 January 2027"),
    ((2026, 12, 20), (2026, 12, 20), "20 December 2026"),
])
def test_date_span(early, late, expected):
    assert words.date_span(dt.date(*early), dt.date(*late)) == expected
