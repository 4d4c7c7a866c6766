"""Report wording (simlib.reports.words): assumption values, step names and assumption notes
without their sources; the generic formats are tested in tests/formats."""

from __future__ import annotations

import pytest

from simlib.reports import words


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
