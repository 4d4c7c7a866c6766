"""Dotted key paths: what-if `set` by step name, `value_at`, and assumption checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from simlib.errors import ScenarioError
from simlib.formats.keypaths import apply_set, value_at
from simlib.scenario import load_scenario

BASELINE = Path(__file__).resolve().parents[2] / "scenarios" / "baseline.yaml"
PATHWAY = {"p": ["a", {"body": "b", "revise": {"p": 0.2, "rework_days": 5}}, "a"]}


def test_a_step_is_addressed_by_its_body_name_or_its_index():
    by_name = apply_set({"pathways": PATHWAY}, {"pathways.p.b.revise.p": 0.4}, "x.yaml")
    by_index = apply_set({"pathways": PATHWAY}, {"pathways.p.1.revise.p": 0.4}, "x.yaml")
    assert by_name == by_index
    assert by_name["pathways"]["p"][1]["revise"]["p"] == 0.4
    assert PATHWAY["p"][1]["revise"]["p"] == 0.2  # the input is not changed


def test_an_ambiguous_step_name_is_an_error_listing_the_names():
    with pytest.raises(ScenarioError) as caught:
        apply_set({"pathways": PATHWAY}, {"pathways.p.a.withdraw_p": 0.1}, "x.yaml")
    message = str(caught.value)
    assert message.startswith("x.yaml: set.pathways.p.a.withdraw_p: path does not exist")
    assert "index 0-2" in message and "(a, b, a)" in message


def test_value_at_reads_what_set_writes():
    data = apply_set({"pathways": PATHWAY}, {"pathways.p.b.revise.rework_days": 9}, "x.yaml")
    assert value_at(data, "pathways.p.b.revise.rework_days") == 9
    with pytest.raises(KeyError):
        value_at(data, "pathways.q")


def test_baseline_steps_by_name_match_the_policy_order():
    scenario = load_scenario(BASELINE)
    assert scenario.value_at("pathways.credit.mc.sla_days") == 14
    assert scenario.value_at("pathways.noncredit.owd_final.body") == "owd"


@pytest.mark.parametrize(
    ("assumption", "expected"),
    [
        ({"path": "pathways.credit.mcx.revise.p", "low": 0.1, "high": 0.5}, "does not exist"),
        ({"path": "bodies.owd", "low": 0.1, "high": 0.5}, "is not a number, got dict"),
        ({"path": "bodies.owd.staff", "low": 3, "high": 2}, "low must be below high"),
    ],
)
def test_bad_assumptions_are_one_line_errors(assumption, expected):
    with pytest.raises(ScenarioError) as caught:
        load_scenario(BASELINE, {"assumptions": [assumption]})
    message = str(caught.value)
    assert message.startswith(f"{BASELINE}: assumptions.0") and expected in message
    assert "\n" not in message


def test_the_baseline_assumptions_name_numbers_inside_their_ranges():
    scenario = load_scenario(BASELINE)
    assert len(scenario.assumptions) >= 10
    for assumption in scenario.assumptions:
        assert assumption.low <= scenario.value_at(assumption.path) <= assumption.high


def test_a_what_if_keeps_the_inherited_assumptions_whose_paths_still_exist(tmp_path):
    base = tmp_path / "base.yaml"
    base.write_text(BASELINE.read_text(encoding="utf-8"), encoding="utf-8")
    what_if = tmp_path / "what-if.yaml"
    what_if.write_text(
        "extends: base.yaml\nset:\n  pathways.credit: [department, dean, owd]\n"
        "  demand.credit.per_year: 100\n",
        encoding="utf-8",
    )
    inherited = {a.path for a in load_scenario(base).assumptions}
    kept = {a.path for a in load_scenario(what_if).assumptions}
    assert "pathways.credit.mc.revise.p" in inherited - kept  # the step is gone
    assert "demand.credit.per_year" in kept  # moved outside its range, still uncertain
    assert {p for p in inherited if not p.startswith("pathways.credit.")} <= kept


def test_a_variant_that_replaces_a_pathway_drops_the_assumptions_about_its_steps():
    scenario = load_scenario(BASELINE)
    variant = scenario.variant({"pathways.credit": ["department", "dean", "owd"]})
    paths = {a.path for a in variant.assumptions}
    assert not any(p.startswith("pathways.credit.") for p in paths)
    assert "bodies.owd.review_days.mean" in paths
    assert len(scenario.assumptions) > len(variant.assumptions)


def test_null_removes_a_step_and_scale_multiplies_a_number(tmp_path):
    base = tmp_path / "base.yaml"
    base.write_text(BASELINE.read_text(encoding="utf-8"), encoding="utf-8")
    what_if = tmp_path / "what-if.yaml"
    what_if.write_text(
        "extends: base.yaml\nset:\n  pathways.credit.dean: null\n"
        "scale:\n  demand.credit.per_year: 3\n  pathways.credit.mc.revise.p: 0.5\n",
        encoding="utf-8",
    )
    original, changed = load_scenario(base), load_scenario(what_if)
    assert [s.label for s in changed.pathways["credit"]] == [
        s.label for s in original.pathways["credit"] if s.label != "dean"
    ]
    assert changed.demand["credit"].per_year == 3 * original.demand["credit"].per_year
    assert changed.value_at("pathways.credit.mc.revise.p") == pytest.approx(
        original.value_at("pathways.credit.mc.revise.p") / 2
    )


def test_scale_of_a_missing_path_or_a_text_is_a_one_line_error(tmp_path):
    base = tmp_path / "base.yaml"
    base.write_text(BASELINE.read_text(encoding="utf-8"), encoding="utf-8")
    for line, expected in [
        ("demand.credit.per_yer: 2", "scale.demand.credit.per_yer: path does not exist"),
        ("bodies.owd.label: 2", "must be numbers"),
    ]:
        what_if = tmp_path / "what-if.yaml"
        what_if.write_text(f"extends: base.yaml\nscale:\n  {line}\n", encoding="utf-8")
        with pytest.raises(ScenarioError) as caught:
            load_scenario(what_if)
        assert str(caught.value).startswith(f"{what_if}: ") and expected in str(caught.value)
