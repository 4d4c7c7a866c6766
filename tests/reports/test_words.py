"""The one set of reader words every report page uses (simlib.reports.words): numbers at a
sensible precision, never "-0", ranges whose ends round alike said once, changes in words,
percentages, plurals, step names and assumption notes without their sources."""

from __future__ import annotations

import math

import pytest

from simlib.reports import words


@pytest.mark.parametrize(("value", "expected"), [
    (-0.4, "0"), (-0.0, "0"), (0.49, "0"), (169.6, "170"), (-1.6, "-2"), (None, "n/a"),
    (math.nan, "n/a"), (math.inf, "n/a"),
])
def test_whole_never_reads_minus_zero(value, expected):
    assert words.whole(value) == expected
    assert words.days(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (13.0, "13"), (169.99, "170"), (1234.4, "1,234"), (15.65, "15.7"), (2.545, "2.54"),
    (0.1241, "0.124"), (-0.0001, "-0.0001"), (-0.00000001, "0"), (0, "0"), (math.nan, "n/a"),
])
def test_number_has_a_sensible_precision(value, expected):
    assert words.number(value) == expected


@pytest.mark.parametrize(("value", "decimals", "expected"), [
    (-0.3, 0, "0"), (0.3, 0, "0"), (12.4, 0, "+12"), (-3.2, 0, "-3"), (-0.04, 1, "0.0"),
    (0.26, 1, "+0.3"),
])
def test_signed_has_no_signed_zero(value, decimals, expected):
    assert words.signed(value, decimals) == expected


@pytest.mark.parametrize(("low", "high", "expected"), [
    (168.2, 172.4, "168 to 172"), (-0.4, 0.3, "about 0"), (169.6, 170.4, "about 170"),
    (-1.4, -0.6, "about -1"), (math.nan, 3.0, "n/a"),
])
def test_span_says_a_range_once_when_its_ends_round_alike(low, high, expected):
    assert words.span(low, high) == expected


def test_interval():
    assert words.interval(167.6, 172.4) == "95% CI 168 to 172"
    assert words.interval(None, 3.0) == "no interval"


@pytest.mark.parametrize(("difference", "low", "high", "expected"), [
    (-0.1, -0.4, 0.3, "no change"),
    (-1.1, -1.4, -0.6, "about 1 day shorter"),
    (-53.2, -56.0, -50.1, "53 days shorter (95% CI 50 to 56)"),
    (14.2, 11.0, 17.3, "14 days longer (95% CI 11 to 17)"),
    (-1.0, -3.2, 1.1, "no clear change (95% CI 3 days shorter to 1 day longer)"),
    (-0.8, -0.9, -0.6, "about 1 day shorter"),
    (-0.3, -1.2, -0.2, "under 1 day shorter (95% CI 0 to 1)"),
    (2.0, None, None, "2 days longer"),
    (0.2, None, None, "no change"),
    (None, None, None, "n/a"),
])
def test_change_in_words(difference, low, high, expected):
    assert words.change(difference, low, high) == expected


@pytest.mark.parametrize(("count", "word", "expected"), [
    (1, "day", "1 day"), (2, "day", "2 days"), (1, "notebook", "1 notebook"),
    (6, "notebook", "6 notebooks"), (0, "change", "0 changes"), (1.5, "week", "1.5 weeks"),
    (8114, "proposal", "8,114 proposals"),
])
def test_plural(count, word, expected):
    assert words.plural(count, word) == expected


def test_day_count_rounds_before_choosing_the_word():
    assert words.day_count(1.2) == "1 day"
    assert words.day_count(0.6) == "1 day"
    assert words.day_count(170.2) == "170 days"
    assert words.day_count(-0.2) == "0 days"


@pytest.mark.parametrize(("share", "decimals", "expected"), [
    (0.5017, 0, "50%"), (0.5017, 1, "50.2%"), (0.13, 0, "13%"), (-0.001, 0, "0%"),
    (None, 0, "n/a"),
])
def test_percent(share, decimals, expected):
    assert words.percent(share, decimals) == expected


def test_assumption_values_read_chances_as_percentages():
    assert words.assumption_value("pathways.credit.mc.revise.p", 0.3) == "30%"
    assert words.assumption_value("bodies.owd.review_days.mean", 2.545) == "2.54"


def test_step_words_one_name_for_a_repeated_body():
    label = "Office of Workforce Development"
    assert words.step_words(label, "owd_final", "owd") == f"{label} (final)"
    assert words.step_words(label, "owd", "owd") == label
    assert words.step_words("Dean", "second_look", "dean") == "Dean (second look)"


@pytest.mark.parametrize(("note", "expected"), [
    ("credit rework after MC, days (sources.md: 1-3 weeks)",
     ("credit rework after MC, days", "sources.md: 1-3 weeks")),
    ("OWD check, working days", ("OWD check, working days", "")),
    ("(only brackets)", ("(only brackets)", "")),
])
def test_without_source_splits_off_the_bracketed_source(note, expected):
    assert words.without_source(note) == expected
