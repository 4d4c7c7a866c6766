"""Plain words and readable tables for reports: source marks, missing values, the baseline
summary against the run's numbers, labelled tables, comparisons, the recorded calibration,
sensitivity, sweeps and demand growth."""

from __future__ import annotations

import math
import re
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
import yaml
from support.scenarios import exponential, office, small_scenario

from simlib import compare, load_scenario, replicate, sensitivity
from simlib.answers import (
    ComparisonAnswer,
    GrowthAnswer,
    RunAnswer,
    SensitivityAnswer,
    SweepAnswer,
)
from simlib.experiments.studies import demand_growth, sweep
from simlib.formats.words import change, days, interval
from simlib.metrics.calendar import BREAKDOWN_COLUMNS
from simlib.reports import assumptions, staffing, today, whatifs
from simlib.reports import growth as growth_page
from simlib.reports import words as words_module
from simlib.reports.console import comparison_text
from simlib.reports.words import BREAKDOWN_WORDS, comparison_sentences, with_sentences
from simlib.scenario import note_words

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
TITLES = {"credit": "Credit-bearing", "noncredit": "Non-credit"}
QUICK = {"jobs": 1, "progress": False}


@pytest.fixture(scope="module")
def base():
    return load_scenario(SCENARIOS / "baseline.yaml")


@pytest.fixture(scope="module")
def recorded():
    """scenarios/baseline.yaml as plain data, read without simlib."""
    return yaml.safe_load((SCENARIOS / "baseline.yaml").read_text())


@pytest.fixture(scope="module")
def results(base):
    return replicate(base, 3, **QUICK)


@pytest.fixture(scope="module")
def comparison(base):
    """Weekly MC meetings and a faster OWD (both shorter), a slower OWD (longer)."""
    changes = {"mc-weekly": ("MC meets weekly", {"bodies.mc.meets.every_weeks": 1}),
               "owd-fast": ("OWD checks in a day", {"bodies.owd.review_days.mean": 1}),
               "owd-slow": ("OWD checks in 8 days", {"bodies.owd.review_days.mean": 8})}
    alternatives = [base.variant({"title": title, **change}, name=name)
                    for name, (title, change) in changes.items()]
    return compare(base, alternatives, replications=3, **QUICK)


def bullets(markdown: str) -> list[str]:
    """The list items of a Markdown summary, without their "- "."""
    return [line[2:] for line in markdown.splitlines() if line.startswith("- ")]


def line_about(markdown: str, start: str) -> str:
    """The one list item of ``markdown`` that starts with ``start``."""
    found = [line for line in bullets(markdown) if line.startswith(start)]
    assert len(found) == 1, (start, markdown)
    return found[0]


def assert_labelled(table: pd.DataFrame, names: list[str]) -> None:
    """The table is indexed by its label columns (named ``names``), one row per label."""
    assert not isinstance(table.index, pd.RangeIndex)
    assert list(table.index.names) == names
    assert table.index.is_unique
    assert not set(names) & set(table.columns)


# --- small words -----------------------------------------------------------------------


@pytest.mark.parametrize("note, expected", [
    ("A: chair sign-off", "chair sign-off"),
    ("D: policy page", "policy page"),
    ("D/A: submissions a year", "submissions a year"),
    ("A: rework: 1-3 weeks", "rework: 1-3 weeks"),  # only the first mark
    ("B: not a source mark", "B: not a source mark"),
    ("Note: A: kept", "Note: A: kept"),
    ("A:no space", "A:no space"),
    ("plain words", "plain words"),
    ("", ""),
])
def test_note_words_strips_only_source_marks(note, expected):
    assert note_words(note) == expected


@pytest.mark.parametrize("value", [math.nan, None, math.inf])
def test_missing_days_read_as_not_available(value):
    assert days(value) == "n/a"
    assert interval(value, 3.0) == "no interval"
    assert interval(3.0, value) == "no interval"


def test_days_and_interval_round_to_whole_days():
    assert days(169.6) == "170"
    assert days(0.2) == "0"
    text = interval(167.6, 172.4)
    assert re.findall(r"\d+", text.replace("95%", "")) == ["168", "172"]


# --- the baseline ----------------------------------------------------------------------


def test_baseline_summary_states_each_mean_and_documented_target(recorded, results):
    documented = recorded["targets"]
    text = today.summary(RunAnswer(results))
    assert text.startswith("## Summary")
    for pathway, title in TITLES.items():
        line = line_about(text, f"**{title}")
        numbers = re.findall(r"\d+(?:\.\d+)?", line)
        mean = results.pathways.loc[pathway, "cycle_days_mean"]
        assert numbers[0] == str(round(mean)), (line, mean)
        assert str(documented[pathway]["mean_cycle_days"]) in numbers, line
    assert f"{results.replications} simulated runs" in text


def test_tables_are_indexed_by_their_labels(results, base):
    cycles = today.cycle_table(RunAnswer(results))
    assert_labelled(cycles, ["Pathway"])
    assert list(cycles.index) == list(TITLES.values())
    assert_labelled(today.sla_table(RunAnswer(results)), ["Body"])
    assert list(today.sla_table(RunAnswer(results)).index) == [base.bodies["mc"].label]
    assert_labelled(today.breakdown_table(RunAnswer(results)), ["Pathway", "Step"])
    assert_labelled(today.calibration_table(SimpleNamespace(scenario=base)), ["What"])


def test_cycle_table_counts_and_rounds_the_run(recorded, results):
    cycles = today.cycle_table(RunAnswer(results))
    for pathway, title in TITLES.items():
        row, numbers = cycles.loc[title], results.pathways.loc[pathway]
        assert row["Approved proposals"] == numbers["approved"]
        assert row["Mean days"] == str(round(numbers["cycle_days_mean"]))
        assert row["P90 days"] == str(round(numbers["cycle_days_p90"]))
        documented = recorded["targets"][pathway]["mean_cycle_days"]
        assert float(row["Documented mean"]) == documented


def test_breakdown_adds_up_to_the_mean_cycle_time(results):
    table = today.breakdown_table(RunAnswer(results))
    parts = [column for column in table.columns if column != "total"]
    assert len(parts) == 5
    assert ((table[parts].sum(axis=1) - table["total"]).abs() <= 0.05 * 6).all()
    for pathway, title in TITLES.items():
        steps = table.loc[title]
        mean = results.pathways.loc[pathway, "cycle_days_mean"]
        assert abs(steps["total"].sum() - mean) <= 0.05 * len(steps), (pathway, mean)


def _read_back(text: str) -> float:
    """A table's number or percentage as a number (percentages as fractions)."""
    return float(text[:-1]) / 100 if text.endswith("%") else float(text.replace(",", ""))


def test_calibration_table_lists_the_recorded_fit(recorded, base):
    notes = {item["path"]: item["note"].split(": ", 1)[1] for item in recorded["assumptions"]}
    fit = recorded["calibration"]["fit"]
    table = today.calibration_table(SimpleNamespace(scenario=base))
    assert len(table) == len(fit["parameters"]) + len(fit["targets"])
    for path, item in fit["parameters"].items():
        label, source = words_module.without_source(notes[path])
        row = table.loc[label]
        assert "(" not in label and row["Source of the range"] == (source or "assumed")
        assert _read_back(row["Documented or prior"]) == pytest.approx(item["prior"], rel=5e-3)
        assert _read_back(row["Calibrated"]) == pytest.approx(item["fitted"], rel=5e-3)
        ends = [_read_back(end) for end in row["Range"].split(" to ")]
        assert ends == pytest.approx([item["low"], item["high"]])
        if path.endswith(".p"):  # chances read as percentages, not 0.1241
            assert row["Calibrated"].endswith("%") and row["Range"].endswith("%")
    for target in fit["targets"].values():
        shown = [text for text in table["Calibrated"] if "95% CI" in text]
        near = 0.5 if target["target"] > 1 else 0.0005  # whole days; shares to 0.1%
        assert any(_read_back(text.split()[0]) == pytest.approx(target["simulated"], abs=near)
                   for text in shown)
    for text in table["Calibrated"]:  # targets: whole days or percentages, no 169.99
        if "95% CI" in text:
            assert not re.search(r"\d\.\d\d", text), text


def test_calibration_table_is_empty_for_a_what_if():
    weekly = load_scenario(SCENARIOS / "mc-weekly.yaml")
    table = today.calibration_table(SimpleNamespace(scenario=weekly))
    assert table.empty and "Calibrated" in table.columns


# --- comparisons -----------------------------------------------------------------------


def test_comparison_summary_names_the_largest_clear_cut_and_the_slower(comparison):
    data = comparison.to_dict()["alternatives"]
    text = whatifs.summary(ComparisonAnswer(comparison))
    assert text.startswith("## Summary")
    for pathway, title in TITLES.items():
        rows = {entry["title"]: entry["pathways"][pathway] for entry in data.values()}
        shorter = {name: row["mean_diff_days"] for name, row in rows.items()
                   if row["ci95"][1] < 0}
        longer = sorted(name for name, row in rows.items() if row["ci95"][0] > 0)
        if shorter:
            best = min(shorter, key=shorter.get)
            line = line_about(text, f"**{best}**")
            assert f" {title.lower()} " in line
            assert str(round(-shorter[best])) in re.findall(r"\d+", line)
        else:
            assert f"No change clearly shortens the {title.lower()} mean." in bullets(text)
        if longer:
            slower = line_about(text, f"Slower for {title.lower()}")
            assert sorted(name for name in rows if name in slower) == longer
    credit = {entry["title"]: entry["pathways"]["credit"]["mean_diff_days"]
              for entry in data.values()}
    assert min(credit, key=credit.get) == "MC meets weekly"
    assert "OWD checks in 8 days" in line_about(text, "Slower for credit-bearing")


def test_comparison_sentences_one_per_alternative_and_pathway(comparison):
    # The baseline's bodies have hours: each what-if and pathway also gets a sentence on its
    # days against its hours, after the sentences on days.
    everything = bullets(whatifs.sentences(ComparisonAnswer(comparison)))
    lines, prices = everything[:3 * 2], everything[3 * 2:]
    assert len(prices) == 3 * 2 and all("hours" in line for line in prices)
    assert everything == comparison_sentences(comparison)
    data = with_sentences(comparison.to_dict())
    assert lines == [row["sentence"] for entry in data["alternatives"].values()
                     for row in entry["pathways"].values()]
    titles = [alt.scenario.title for alt in comparison.alternatives]
    assert [line.split(":")[0] for line in lines] == [t for t in titles for _ in range(2)]


def test_a_comparison_without_hours_says_nothing_of_them():
    """The scenarios' bodies have no hours: no price in the bottom line, the summary or the
    text, and no rows in the price table."""
    plain = small_scenario(seed=3)
    faster = plain.variant({"bodies.desk.review_days.mean": 1.0}, name="faster")
    answer = ComparisonAnswer(compare(plain, [faster], replications=3, **QUICK))
    assert "hours" not in " ".join(whatifs.bottom_line(answer).lines)
    assert "hours" not in whatifs.summary(answer)
    assert whatifs.price_table(answer).empty
    assert "person-hours" not in comparison_text(answer)


def test_comparison_table_is_labelled_by_change_and_pathway(comparison):
    table = whatifs.comparison_table(ComparisonAnswer(comparison))
    assert_labelled(table, ["Change", "Pathway"])
    assert len(table) == 6
    row = table.loc[("OWD checks in 8 days", "Credit-bearing")]
    difference = comparison.to_dict()["alternatives"]["owd-slow"]["pathways"]["credit"]
    change = row["Change in the mean (95% CI)"]
    assert change.startswith(f"{round(difference['mean_diff_days'])} days longer (95% CI ")


@pytest.fixture(scope="module")
def tiny():
    """An untitled one-office scenario: one pathway, an M/M/1 desk at a third of its load."""
    return small_scenario(seed=3, per_year=40, bodies={"desk": office(1, exponential(3))},
                          pathways=["desk"])


def desk_changes(base, means: dict) -> list:
    """Variants of ``base`` named by ``means`` keys, each with that mean desk review time."""
    return [base.variant({"bodies.desk.review_days.mean": mean}, name=name)
            for name, mean in means.items()]


def test_comparison_summary_names_untitled_changes(tiny):
    changes = desk_changes(tiny, {"faster": 1, "slower": 6})  # both clear with 4 runs
    text = whatifs.summary(ComparisonAnswer(compare(tiny, changes, replications=4, **QUICK)))
    assert line_about(text, "**faster** cuts the p mean")
    assert line_about(text, "Slower for p").endswith(": slower.")


def test_comparison_summary_counts_every_change(tiny):
    titled = tiny.variant({"title": "Tiny office"})
    changes = desk_changes(titled, {"desk-1": 1, "desk-4": 4, "desk-6": 6})
    text = whatifs.summary(ComparisonAnswer(compare(titled, changes, replications=2, **QUICK)))
    assert bullets(text)[0].startswith("3 ")


# --- sensitivity -----------------------------------------------------------------------


def test_sensitivity_summary_names_the_largest_swing_first(base):
    notes = {"bodies.owd.review_days.mean": "OWD check, working days",
             "bodies.mc.review_days.mean": "MC member reading, working days"}
    study = sensitivity(base, 2, assumptions=list(notes), **QUICK)
    table = study.summary()
    text = assumptions.summary(SensitivityAnswer(study))
    assert text.startswith("## Summary")
    for pathway, title in TITLES.items():
        rows = table[table["pathway"] == pathway]
        largest = rows.loc[rows["swing_mean"].abs().idxmax(), "assumption"]
        other = next(path for path in notes if path != largest)
        line = line_about(text, f"**{title}**")
        assert 0 < line.index(notes[largest]) < line.index(notes[other]), line
        assert "A: " not in line
    readable = assumptions.swing_table(SensitivityAnswer(study))
    assert_labelled(readable, ["Pathway", "Assumption"])
    assert set(readable.index.get_level_values("Assumption")) == set(notes.values())


# --- sweeps and demand growth ------------------------------------------------------------


def test_sweep_words_and_table(base):
    study = sweep(base, "bodies.owd.staff", [1, 2], replications=2, **QUICK)
    text = staffing.summary(SweepAnswer(study, 3.0))
    assert text.startswith("## Summary") and base.bodies["owd"].label in text
    table = staffing.sweep_table(SweepAnswer(study, 3.0))
    assert_labelled(table, ["Demand", "Reviewers", "Pathway"])
    assert len(table) == 2 * 2
    assert table.loc[("1x", "1", "Credit-bearing"), "Change from the step before"] == ""
    rows = study.table
    row = rows[(rows["capacity"] == 2) & (rows["pathway"] == "credit")].iloc[0]
    saved = table.loc[("1x", "2", "Credit-bearing"), "Change from the step before"]
    assert saved == change(-row["gain_days"], -row["gain_ci95_high"], -row["gain_ci95_low"])
    assert "-0" not in saved and saved.endswith((")", "no change", "shorter", "longer"))


def test_growth_words_and_load_table(base):
    study = demand_growth(base, [1, 2], replications=2, **QUICK)
    text = growth_page.summary(GrowthAnswer(study))
    assert text.startswith("## Summary")
    loads = growth_page.load_table(GrowthAnswer(study))
    assert list(loads.columns) == ["1x", "2x"]
    for row in study.load.itertuples():
        shown = loads.loc[row.body_label, f"{row.demand:g}x"]
        assert shown == f"{round(100 * row.load)}%"  # a percentage, not 13.0
    at_two = study.load[study.load["demand"] == 2.0]
    busiest = at_two.loc[at_two["load"].idxmax(), "body_label"]
    filling = study.first_to_fill()
    named = filling["body_label"].iloc[0] if len(filling) else busiest
    assert named in text


def test_breakdown_words_name_every_breakdown_column_in_order():
    assert tuple(BREAKDOWN_WORDS) == BREAKDOWN_COLUMNS


def test_changes_table_lists_every_change_of_every_what_if(base):
    weekly = load_scenario(SCENARIOS / "mc-weekly.yaml")
    growth = load_scenario(SCENARIOS / "demand-3x.yaml")
    fewer = base.variant({"bodies.dean.staff": 2, "pathways.credit.mc.revise.p": 0.15,
                          "title": "fewer-deans"},
                         name="fewer-deans")
    result = compare(base, [weekly, growth, fewer], replications=2, **QUICK)
    table = whatifs.changes_table(ComparisonAnswer(result))
    assert_labelled(table, ["What-if", "Setting"])
    rows = {(what, setting): (row["Today"], row["In the what-if"])
            for (what, setting), row in table.iterrows()}
    assert rows[(weekly.title, "bodies.mc.meets.every_weeks")] == ("2", "1")
    assert rows[("fewer-deans", "bodies.dean.staff")] == (
        str(base.bodies["dean"].staff), "2")  # a cut in capacity is never silent
    assert rows[("fewer-deans", "pathways.credit.mc.revise.p")][1] == "15%"
    stress = f"{growth.title} (stress test)"
    assert rows[(stress, "demand.credit.per_year")] == ("8", "24")
    assert len(table) == sum(len(items) for items in result.changes.values())
