"""Bad scenario files: each gives one line naming the file, the key path and the problem.

Every case writes a small YAML file (a valid base with one thing broken) and checks that
:func:`load_scenario` raises :class:`ScenarioError` whose message is a single line of the form
``FILE: key.path: problem``, e.g. ``my-scenario.yaml: bodies.mc.meets.every_weeks: must be
>= 1, got 0``.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from simlib.errors import ScenarioError
from simlib.scenario import load_scenario

BASE = {
    "name": "base",
    "calendar": {
        "kind": "academic",
        "start": "2025-08-25",
        "terms": [["08-25", "12-19"], ["01-20", "05-15"]],
        "holidays": ["09-01", ["12-20", "01-19"]],
    },
    "horizon_years": 3,
    "warmup_years": 1,
    "demand": {"credit": {"per_year": 8, "mix": {"graduate": 0.4, "undergraduate": 0.6}}},
    "bodies": {
        "department": {"kind": "office", "staff": 1,
                       "review_days": {"dist": "lognormal", "mean": 8, "cv": 0.6}},
        "dean": {"kind": "office", "staff": 1, "review_days": {"dist": "exponential", "mean": 5}},
        "mc": {"kind": "committee", "members": 5, "meets": {"every_weeks": 2, "weekday": "wed"},
               "review_days": {"dist": "gamma", "mean": 6, "cv": 0.5}},
    },
    "pathways": {
        "credit": [
            "department",
            "dean",
            {"body": "mc", "revise": {"p": 0.3, "rework_days": {"dist": "exponential",
                                                                 "mean": 15}}},
            {"body": "dean", "name": "dean_final", "when": {"level": "graduate"}},
        ],
    },
}
DELETE = object()


def changed(*changes: tuple[str, object]) -> Callable[[dict], dict]:
    """A function making a copy of the base with each (dotted.path, value) set or deleted."""

    def apply(data: dict) -> dict:
        data = copy.deepcopy(data)
        for dotted, value in changes:
            *parents, last = dotted.split(".")
            node = data
            for part in parents:
                node = node[int(part)] if isinstance(node, list) else node[part]
            key = int(last) if isinstance(node, list) else last
            if value is DELETE:
                del node[key]
            else:
                node[key] = value
        return data

    return apply


def write(path: Path, content: str | dict) -> Path:
    """Write YAML text, or a mapping as YAML, to ``path``."""
    text = content if isinstance(content, str) else yaml.safe_dump(content, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def load_error(path: Path) -> str:
    """The message of the ScenarioError raised by loading ``path`` (checked to be one line
    starting with the file name)."""
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    message = str(caught.value)
    assert "\n" not in message, message
    assert message.startswith(f"{path}: "), message
    return message


# (id, change to the base, key path that must be named, phrases that must appear)
CASES = [
    ("unknown-key", changed(("bodies.department.stafff", 2)),
     "bodies.department.stafff", ["unknown key", "did you mean 'staff'?"]),
    ("unknown-top-key", changed(("horizon_yaers", 2)),
     "horizon_yaers", ["unknown key", "did you mean 'horizon_years'?"]),
    ("key-from-elsewhere", changed(("bodies.dean.meets", {"every_weeks": 1, "weekday": "mon"})),
     "bodies.dean.meets", ["not allowed here", "remove it"]),
    ("wrong-type", changed(("bodies.department.staff", "two")),
     "bodies.department.staff", ["must be a whole number", "'two'"]),
    ("not-a-list", changed(("pathways.credit", "department")),
     "pathways.credit", ["must be a list"]),
    ("zero-staff", changed(("bodies.department.staff", 0)),
     "bodies.department.staff", ["must be >= 1", "got 0"]),
    ("negative-mean", changed(("bodies.dean.review_days.mean", -3)),
     "bodies.dean.review_days.mean", ["must be >= 0", "got -3"]),
    ("probability-above-1", changed(("pathways.credit.2.revise.p", 1.5)),
     "pathways.credit.2.revise.p", ["must be <= 1", "got 1.5"]),
    ("probability-below-0", changed(("pathways.credit.1", {"body": "dean", "withdraw_p": -0.1})),
     "pathways.credit.1.withdraw_p", ["must be >= 0", "got -0.1"]),
    ("chances-above-1", changed(("pathways.credit.2.withdraw_p", 0.8)),
     "pathways.credit.2", ["withdraw_p (0.8) + revise.p (0.3) must be <= 1"]),
    ("revise-forever", changed(("pathways.credit.2.revise.p", 1)),
     "pathways.credit.2.revise", ["never approves", "max_rounds"]),
    ("unknown-distribution", changed(("bodies.dean.review_days.dist", "weird")),
     "bodies.dean.review_days.dist",
     ["must be one of", "'lognormal'", "'weibull'", "got 'weird'"]),
    ("unknown-body", changed(("pathways.credit.1", "deen")),
     "pathways.credit.1.body", ["unknown body 'deen'", "bodies are: dean, department, mc"]),
    ("unknown-body-in-parallel", changed(("pathways.credit.1", {"parallel": ["dean", "owd"]})),
     "pathways.credit.1.parallel.1.body", ["unknown body 'owd'"]),
    ("parallel-unknown-key", changed(("pathways.credit.1", {"parallel": ["dean", "mc"],
                                                            "nmae": "x"})),
     "pathways.credit.1.nmae", ["unknown key", "did you mean 'name'?"]),
    ("empty-pathway", changed(("pathways.credit", [])),
     "pathways.credit", ["needs at least 1 item", "got 0"]),
    ("demand-unknown-pathway", changed(("demand.noncredit", {"per_year": 5})),
     "demand.noncredit", ["no pathway named 'noncredit'", "pathways are: credit"]),
    ("target-unknown-pathway", changed(("targets", {"credits": {"mean_cycle_days": 170}})),
     "targets.credits", ["no pathway named 'credits'"]),
    ("invalid-date", changed(("calendar.start", "2025-02-30")),
     "calendar.start", ["must be a real date YYYY-MM-DD", "'2025-02-30'"]),
    ("invalid-holiday", changed(("calendar.holidays", ["09-01", "02-30"])),
     "calendar.holidays.1", ["real month-day", "'02-30'"]),
    ("invalid-term-day", changed(("calendar.terms", [["08-25", "13-19"]])),
     "calendar.terms.0.1", ["real month-day", "'13-19'"]),
    ("invalid-weekday", changed(("bodies.mc.meets.weekday", "wednesday")),
     "bodies.mc.meets.weekday", ["must be one of", "'wed'", "got 'wednesday'"]),
    ("uniform-cv-too-large", changed(("bodies.dean.review_days",
                                      {"dist": "uniform", "mean": 5, "cv": 0.8})),
     "bodies.dean.review_days", ["cv of a uniform must be <= 0.577", "got 0.8"]),
    ("lognormal-without-cv", changed(("bodies.department.review_days.cv", DELETE)),
     "bodies.department.review_days", ["lognormal needs a cv"]),
    ("meets-both-rules", changed(("bodies.mc.meets.nth", 1)),
     "bodies.mc.meets", ["exactly one of every_weeks", "nth"]),
    ("meets-neither-rule", changed(("bodies.mc.meets.every_weeks", DELETE)),
     "bodies.mc.meets", ["exactly one of every_weeks", "nth"]),
    ("seasonality-11-weights", changed(("demand.credit.seasonality", [1] * 11)),
     "demand.credit.seasonality", ["needs 12 monthly weights", "got 11"]),
    ("mix-not-1", changed(("demand.credit.mix", {"graduate": 0.5, "undergraduate": 0.6})),
     "demand.credit.mix", ["must add up to 1", "got 1.1"]),
    ("warmup-not-below-horizon", changed(("warmup_years", 3)),
     "warmup_years", ["must be less than horizon_years (3)", "got 3"]),
    ("when-level-not-in-mix", changed(("pathways.credit.3.when.level", "doctoral")),
     "pathways.credit.3.when.level", ["'doctoral' is not a level", "demand.credit.mix"]),
    ("body-without-kind", changed(("bodies.dean.kind", DELETE)),
     "bodies.dean", ["kind is missing", "office or committee"]),
    ("unknown-body-kind", changed(("bodies.dean.kind", "ofice")),
     "bodies.dean", ["kind must be one of", "'office'", "got 'ofice'"]),
    ("required-key-missing", changed(("bodies.mc.review_days", DELETE)),
     "bodies.mc.review_days", ["required key is missing"]),
    # numbers: finite, never yes/no, within a sane bound named in the message
    ("horizon-too-long", changed(("horizon_years", 8000)),
     "horizon_years", ["must be at most 100 years, got 8000"]),
    ("horizon-yes", changed(("horizon_years", True)),
     "horizon_years", ["must be a number, got true", "yes/no"]),
    ("horizon-infinite", changed(("horizon_years", float("inf"))),
     "horizon_years", ["must be a finite number, got inf"]),
    ("horizon-huge-integer", changed(("horizon_years", 10**90)),
     "horizon_years", ["must be at most 100 years, got 1e+90"]),
    ("replications-yes", changed(("replications", True)),
     "replications", ["must be a whole number, got true"]),
    ("demand-too-high", changed(("demand.credit.per_year", 1e9)),
     "demand.credit.per_year", ["must be at most 10000 proposals a year, got 1e+09"]),
    ("demand-nan", changed(("demand.credit.per_year", float("nan"))),
     "demand.credit.per_year", ["must be a finite number, got nan"]),
    ("demand-times-horizon", changed(("demand.credit.per_year", 9000), ("horizon_years", 50)),
     "horizon_years", ["50 years of 9000 proposals a year are 4.5e+05 submissions",
                       "at most 200000"]),
    ("review-mean-too-long", changed(("bodies.dean.review_days.mean", 1e9)),
     "bodies.dean.review_days.mean", ["must be at most 3650 days"]),
    ("review-mean-text", changed(("bodies.dean.review_days.mean", "5")),
     "bodies.dean.review_days.mean", ["must be a number, got '5'"]),
    ("gamma-cv-huge", changed(("bodies.mc.review_days.cv", 1e300)),
     "bodies.mc.review_days", ["cv must be at most 100, got 1e+300"]),
    ("rework-too-long", changed(("pathways.credit.2.revise.rework_days.mean", 1e5)),
     "pathways.credit.2.revise.rework_days.mean", ["must be at most 3650 days"]),
    ("revise-p-yes", changed(("pathways.credit.2.revise.p", True)),
     "pathways.credit.2.revise.p", ["must be a number, got true"]),
    ("staff-too-many", changed(("bodies.dean.staff", 10**6)),
     "bodies.dean.staff", ["must be at most 10000 people, got 1000000"]),
    ("staff-yes", changed(("bodies.dean.staff", True)),
     "bodies.dean.staff", ["must be a whole number, got true"]),
    ("seed-float", changed(("seed", 2.5)), "seed", ["must be a whole number, got 2.5"]),
    # dates within 1900-2999
    ("start-year-9999", changed(("calendar.start", "9999-06-01")),
     "calendar.start", ["must be a date between 1900-01-01 and 2999-12-31, got 9999-06-01"]),
    ("start-year-1", changed(("calendar.start", "0001-01-01")),
     "calendar.start", ["between 1900-01-01 and 2999-12-31, got 0001-01-01"]),
    ("holiday-year-9999", changed(("calendar.holidays", ["9999-12-25"])),
     "calendar.holidays.0", ["between 1900-01-01 and 2999-12-31, got 9999-12-25"]),
    ("holiday-range-too-long", changed(("calendar.holidays", [["2026-01-01", "2028-01-01"]])),
     "calendar.holidays.0", ["at most 366 days, got 731 days"]),
    # nth: one week of the month or a list of them
    ("nth-list-repeated", changed(("bodies.mc.meets", {"nth": [1, 3, 1], "weekday": "mon"})),
     "bodies.mc.meets.nth", ["lists 1 twice; list each week once"]),
    ("nth-list-out-of-range", changed(("bodies.mc.meets", {"nth": [1, 6], "weekday": "mon"})),
     "bodies.mc.meets.nth", ["must be 1-5", "-1 (the last)", "[1, 3]", "got 6"]),
    ("nth-list-empty", changed(("bodies.mc.meets", {"nth": [], "weekday": "mon"})),
     "bodies.mc.meets.nth", ["needs at least one week of the month"]),
    ("nth-zero", changed(("bodies.mc.meets", {"nth": 0, "weekday": "mon"})),
     "bodies.mc.meets.nth", ["must be 1-5", "got 0"]),
]


@pytest.mark.parametrize(("change", "place", "phrases"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_bad_value_is_reported_at_its_key_path(tmp_path, change, place, phrases):
    path = write(tmp_path / "bad.yaml", change(BASE))
    message = load_error(path)
    assert message.startswith(f"{path}: {place}: "), message
    for phrase in phrases:
        assert phrase in message, message


def test_base_is_valid(tmp_path):
    assert load_scenario(write(tmp_path / "base.yaml", BASE)).name == "base"


def test_message_format_of_the_design_example(tmp_path):
    path = write(tmp_path / "x.yaml", changed(("bodies.mc.meets.every_weeks", 0))(BASE))
    assert load_error(path) == f"{path}: bodies.mc.meets.every_weeks: must be >= 1, got 0"


def test_missing_file(tmp_path):
    message = load_error(tmp_path / "nothere.yaml")
    assert "file not found" in message


@pytest.mark.parametrize("text", ["", "# only a comment\n"], ids=["empty", "comment-only"])
def test_empty_file(tmp_path, text):
    assert "file is empty" in load_error(write(tmp_path / "empty.yaml", text))


def test_yaml_syntax_error_gives_line_and_column(tmp_path):
    path = write(tmp_path / "syntax.yaml", "name: x\nbodies: {a: [1, 2}\n")
    message = load_error(path)
    assert "line 2, column" in message and "YAML syntax error" in message


@pytest.mark.parametrize(("text", "kind"), [("- a\n- b\n", "list"), ("hello\n", "str")])
def test_not_a_mapping(tmp_path, text, kind):
    message = load_error(write(tmp_path / "list.yaml", text))
    assert "must be a mapping" in message and f"got a {kind}" in message


def test_duplicate_key_is_an_error_not_a_silent_override(tmp_path):
    text = yaml.safe_dump(BASE, sort_keys=False) + "horizon_years: 9\n"
    message = load_error(write(tmp_path / "twice.yaml", text))
    assert "'horizon_years' is given twice" in message and "line" in message


def test_extends_cycle(tmp_path):
    write(tmp_path / "a.yaml", "extends: b.yaml\n")
    path = write(tmp_path / "b.yaml", "extends: a.yaml\n")
    message = load_error(path)
    assert "extends: cycle b.yaml -> a.yaml -> b.yaml" in message


def test_extends_missing_base(tmp_path):
    message = load_error(write(tmp_path / "whatif.yaml", "extends: nothere.yaml\n"))
    assert "extends: base file" in message and "not found" in message


def test_set_path_that_does_not_exist(tmp_path):
    write(tmp_path / "base.yaml", BASE)
    path = write(tmp_path / "whatif.yaml", "extends: base.yaml\nset:\n  bodies.provost.staff: 2\n")
    message = load_error(path)
    assert "set.bodies.provost.staff: path does not exist" in message
    assert "no 'provost' under bodies (have: department, dean, mc)" in message


def test_set_list_index_out_of_range(tmp_path):
    write(tmp_path / "base.yaml", BASE)
    path = write(tmp_path / "whatif.yaml", "extends: base.yaml\nset:\n  pathways.credit.7: mc\n")
    message = load_error(path)
    assert "set.pathways.credit.7: path does not exist" in message and "0-3" in message


def test_set_bad_value_is_reported_against_the_what_if(tmp_path):
    write(tmp_path / "base.yaml", BASE)
    text = "extends: base.yaml\nset:\n  bodies.mc.meets.every_weeks: 0\n"
    path = write(tmp_path / "weekly.yaml", text)
    assert load_error(path) == f"{path}: bodies.mc.meets.every_weeks: must be >= 1, got 0"


def test_set_without_extends(tmp_path):
    text = yaml.safe_dump(BASE, sort_keys=False) + "set: {horizon_years: 2}\n"
    message = load_error(write(tmp_path / "set.yaml", text))
    assert "set: only a what-if with 'extends" in message


def test_bad_base_is_reported_against_the_base_file(tmp_path):
    base = write(tmp_path / "base.yaml", changed(("bodies.dean.staff", 0))(BASE))
    with pytest.raises(ScenarioError) as caught:
        load_scenario(write(tmp_path / "whatif.yaml", "extends: base.yaml\n"))
    assert str(caught.value) == f"{base}: bodies.dean.staff: must be >= 1, got 0"


def test_bad_override(tmp_path):
    path = write(tmp_path / "base.yaml", BASE)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path, overrides={"bodies.dean.staff": -1})
    assert str(caught.value) == f"{path}: bodies.dean.staff: must be >= 1, got -1"


@pytest.mark.parametrize("nth", [[1, 3], [-1], [5, 2], 5])
def test_nth_accepts_a_list_of_weeks(tmp_path, nth):
    path = write(tmp_path / "nth.yaml",
                 changed(("bodies.mc.meets", {"nth": nth, "weekday": "mon"}))(BASE))
    meets = load_scenario(path).bodies["mc"].meets
    assert meets.nths == (tuple(nth) if isinstance(nth, list) else (nth,))


def test_meetings_can_be_a_list_of_dates(tmp_path):
    path = write(tmp_path / "dates.yaml", changed(
        ("bodies.mc.meets", {"dates": ["2026-10-07", "2026-09-09"]}))(BASE))
    meets = load_scenario(path).bodies["mc"].meets
    assert meets.dates == (dt.date(2026, 9, 9), dt.date(2026, 10, 7))


@pytest.mark.parametrize(("meets", "problem"), [
    ({"dates": []}, "must be a list of meeting dates"),
    ({"dates": ["2026-09-09", "2026-09-09"]}, "lists 2026-09-09 twice"),
    ({"dates": ["2026-09-09"], "weekday": "wed"}, "leave out weekday"),
    ({"dates": ["2026-09-09"], "every_weeks": 2}, "give exactly one of"),
    ({"nth": 1}, "needs a weekday"),
])
def test_a_bad_list_of_meeting_dates_says_what_to_change(tmp_path, meets, problem):
    message = load_error(write(tmp_path / "dates.yaml",
                               changed(("bodies.mc.meets", meets))(BASE)))
    assert "bodies.mc.meets" in message and problem in message and "\n" not in message


def test_a_huge_whole_number_in_the_file_is_refused_without_its_digits(tmp_path):
    text = yaml.safe_dump(BASE, sort_keys=False).replace("horizon_years: 3",
                                                         "horizon_years: " + "9" * 5000)
    message = load_error(write(tmp_path / "digits.yaml", text))
    assert "more than 100 digits is too large" in message and len(message) < 300
