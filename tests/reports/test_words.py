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


def _hours(verdict: str, change: float, outside: float = 0.0, reading: str = "",
           per_100: float | None = None) -> dict:
    """A comparison's priced ``hours`` entry with one pathway ``credit``."""
    def item(value: float) -> dict:
        side = "more" if value > 0.5 else "fewer" if value < -0.5 else "no clear change"
        return {"change": value, "ci95": [value - 8.0, value + 8.0],
                "verdict": verdict if value == change else side}
    return {"priced": True, "faculty_per_year": item(change),
            "faculty_outside_terms_per_year": item(outside),
            "trade": {"credit": {"days_saved_per_100_faculty_hours": per_100,
                                 "reading": reading}}}


@pytest.mark.parametrize(("days", "hours", "expected"), [
    (("shorter", -53.0), _hours("more", 310.0, 310.0, "costs_hours_saves_days", 53 / 3.1),
     "Summer: saves 53 days on the credit-bearing mean and costs 310 faculty hours a year "
     "(310 of them outside terms): 17.1 days saved per 100 faculty hours."),
    (("shorter", -53.0), _hours("more", 32.0, 103.0, "costs_hours_saves_days", 53 / 0.32),
     "Summer: saves 53 days on the credit-bearing mean and costs 32 faculty hours a year net "
     "(103 more outside terms, 71 fewer in term): 166 days saved per 100 faculty hours."),
    (("shorter", -12.0), _hours("fewer", -40.0, 0.0, "saves_both"),
     "Summer: saves 12 days on the credit-bearing mean and frees 40 faculty hours a year: "
     "it saves both."),
    (("shorter", -0.03), _hours("fewer", -3.0, 0.0, "saves_both"),
     "Summer: saves under 0.1 days on the credit-bearing mean and frees 3 faculty hours a "
     "year: it saves both."),
    (("no clear change", -0.4), _hours("fewer", -40.0, 0.0, "frees_hours"),
     "Summer: makes no clear change in the credit-bearing mean, and it frees 40 faculty "
     "hours a year."),
    (("longer", 4.5), _hours("more", 12.0, 0.0, "costs_both", -37.5),
     "Summer: adds 4.5 days to the credit-bearing mean and costs 12 faculty hours a year."),
    (("shorter", -12.0), _hours("no clear change", 0.3, 0.0, "no_clear_hours_change"),
     "Summer: saves 12 days on the credit-bearing mean; it makes no clear change in "
     "faculty hours a year (95% CI -8 to +8)."),
])
def test_a_price_sentence_weighs_days_against_faculty_hours(days, hours, expected):
    verdict, difference = days
    row = {"verdict": verdict, "mean_diff_days": difference}
    assert words.price_sentence("Summer", "credit", row, hours) == expected


def test_hours_words_are_empty_when_nothing_is_priced():
    assert words.hours_words({"priced": False, "note": "no body has hours"}) == ""
    summary = {"alternatives": {"a": {"title": "", "pathways": {}, "hours": {"priced": False}}}}
    assert words.price_sentences(summary) == []
