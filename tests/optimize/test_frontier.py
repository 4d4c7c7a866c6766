"""The frontier of days against faculty hours (``mcsim optimize --pareto``) end to end.

The board: a desk, then a three-member committee priced in hours, on a continuous calendar.
Meeting every 1, 2, 4 or 12 weeks trades days for meeting hours (fewer weeks between
meetings: more meetings, shorter waits); a second decision doubles every price of the board
("dear"), the same runs at twice the hours. So the frontier is the four rhythms at the
ordinary price, each dear configuration is dominated by its ordinary twin, and the knee is
every 4 weeks with a wide margin (scaled, 4 weeks lies about 0.38 inside the chord, 2 weeks
about 0.31), the same under any seed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from support.frontier import HOURS, board_spec, write_board
from support.scenarios import committee, exponential, office, uncertain_office, write_scenario

from simlib.answers import frontier as answer_frontier
from simlib.cli.main import main
from simlib.errors import ScenarioError
from simlib.experiments.results import replicate
from simlib.metrics.summary import hours_per_year
from simlib.optimize import dominates, frontier, load_study
from simlib.scenario import load_scenario

SHIPPED = Path(__file__).resolve().parents[2] / "scenarios" / "specs" / "governance.yaml"


@pytest.fixture(scope="module")
def board(tmp_path_factory):
    return load_study(write_board(tmp_path_factory.mktemp("board")))


@pytest.fixture(scope="module")
def found(board):
    return frontier(board, jobs=2)


def labels(points) -> list[str]:
    return [point.configuration.label for point in points]


def test_no_frontier_point_is_dominated_by_any_evaluated_point(found):
    axes = found.axes
    values = {point: [point.evidence(axis).point for axis in axes] for point in found.points}
    for point in found.front:
        assert not any(dominates(values[other], values[point]) for other in found.points)
    for point in found.excluded:
        assert dominates(values[found.dominator(point)], values[point])
        assert found.dominator(point) in found.front


def test_the_frontier_is_the_rhythms_at_the_ordinary_price(found):
    assert labels(found.front) == [f"rhythm=every {weeks} weeks, price=as is"
                                   for weeks in (12, 4, 2, 1)]  # fewest hours first
    for point in found.excluded:  # the same runs at twice the price: its twin dominates it
        twin = found.dominator(point)
        assert dict(twin.configuration.choices) == {**dict(point.configuration.choices),
                                                    "price": "as is"}
        assert twin.days.point == point.days.point
        assert point.faculty_hours.point == pytest.approx(2 * twin.faculty_hours.point)


def test_more_meetings_cost_hours_and_save_days(found):
    front = found.front
    hours = [point.faculty_hours.point for point in front]
    days = [point.days.point for point in front]
    assert hours == sorted(hours) and days == sorted(days, reverse=True)


def test_the_knee_is_every_four_weeks_under_another_seed(board, found):
    other = frontier(board, seed=8, jobs=2)
    assert found.knee.configuration.label == "rhythm=every 4 weeks, price=as is"
    assert other.knee.configuration.index == found.knee.configuration.index
    assert other.seed == 8 and other.points[0].days.point != found.points[0].days.point


def test_hours_are_hours_per_year_of_each_replication(board, found):
    point = found.points[2]  # every week, as is
    results = replicate(point.configuration.scenario, 20, 7, jobs=1, progress=False)
    faculty = [hours_per_year(summary, results.scenario)["faculty"]
               for summary in results.summaries]
    assert point.faculty_hours.point == pytest.approx(sum(faculty) / len(faculty))
    assert point.faculty_hours.replications == 20


def test_levers_rank_the_changes_from_today(found):
    kinds = {(lever.decision, lever.option): lever for lever in found.levers}
    assert set(kinds) == {("rhythm", "every 1 weeks"), ("rhythm", "every 4 weeks"),
                          ("rhythm", "every 12 weeks"), ("price", "dear")}
    weekly = kinds[("rhythm", "every 1 weeks")]
    assert weekly.kind == "buys" and found.best_buy is weekly and found.levers[0] is weekly
    today = found.today
    assert weekly.days_saved.point == pytest.approx(today.days.point - weekly.point.days.point)
    assert weekly.days_per_hour == pytest.approx(
        weekly.days_saved.point / (weekly.point.faculty_hours.point
                                   - today.faculty_hours.point))
    assert kinds[("price", "dear")].kind == "no_gain"  # the same days, more hours
    assert kinds[("rhythm", "every 12 weeks")].kind == "no_gain"


def test_outside_terms_is_a_third_axis(board, found):
    both = frontier(board, outside_terms=True, jobs=2)
    assert both.axes == ("days", "faculty_hours", "faculty_hours_outside_terms")
    # a continuous calendar has no terms: the third axis is 0 everywhere and changes nothing
    assert all(point.outside_hours.point == 0 for point in both.points)
    assert labels(both.front) == labels(found.front)


def test_a_scenario_without_hours_says_so(tmp_path):
    path = write_board(tmp_path)
    write_scenario(tmp_path, name="board", seed=5, horizon_years=2, warmup_years=0.5,
                   per_year=40, bodies={"desk": office(1, exponential(1)),
                                        "board": committee(3, 1, 1)})
    data = board_spec(changes=board_spec()["changes"][:1], replications=4)
    path.write_text(yaml.safe_dump(data))
    found = frontier(load_study(path), jobs=1)
    assert not found.priced
    assert labels(found.front) == ["rhythm=every 1 weeks"]  # 0 hours: the fastest beats all


# --- what we don't know -------------------------------------------------------------------


def test_frontier_points_carry_their_range_over_the_posterior_draws(tmp_path):
    data = uncertain_office()
    data["bodies"]["board"] = committee(2, 2, 1, hours=HOURS)
    write_scenario(tmp_path, **{key: value for key, value in data.items()
                                if key not in ("calibration",)},
                   posterior=data["calibration"]["posterior"])
    spec = board_spec(base="office.yaml", changes=board_spec()["changes"][:1], replications=6)
    spec["target"]["metric"] = "p90"
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec))
    study = load_study(path)
    assert all(config.scenario.calibration.posterior.count == 12
               for config in study.configurations)  # kept, as a what-if keeps them
    answer = answer_frontier(study, uncertainty=True, draws=5, draw_replications=2, jobs=2)
    summary = answer.to_dict()
    assert summary["uncertainty"]["draws"] == 5
    assert summary["uncertainty"]["replications_per_draw"] == 2
    for point, item in zip(answer.frontier.front, summary["frontier"], strict=True):
        for axis in ("days", "faculty_hours"):
            figure = answer.figure(point, axis)
            assert item[axis]["range95"] == pytest.approx(list(figure.range95))
            low, high = figure.range95
            assert low < high  # (the value is at the scenario's own numbers, not drawn)
    # the desk's review time is drawn: the days' range is wider than their CI
    days = answer.figure(answer.frontier.front[0], "days")
    assert days.range95[1] - days.range95[0] > days.ci95[1] - days.ci95[0]
    excluded = summary["excluded"]
    assert all("range95" not in item["days"] for item in excluded)


def test_the_draws_the_help_promises_are_the_draws_run(tmp_path, capsys):
    data = uncertain_office()
    data["bodies"]["board"] = committee(2, 2, 1, hours=HOURS)
    write_scenario(tmp_path, **{key: value for key, value in data.items()
                                if key != "calibration"},
                   posterior=data["calibration"]["posterior"])
    spec = board_spec(base="office.yaml", changes=board_spec()["changes"][:1], replications=3)
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec))
    assert main(["optimize", "--help"]) == 0
    promised = " ".join(capsys.readouterr().out.split())
    assert "run N posterior draws (default 40, with 4 replications each" in promised
    assert main(["optimize", str(path), "--pareto", "--uncertainty", "--jobs", "2",
                 "--format", "json"]) == 0
    settings = json.loads(capsys.readouterr().out)["uncertainty"]
    # the default 40, cut to the 12 draws the scenario has
    assert (settings["draws"], settings["replications_per_draw"]) == (12, 4)


def test_an_option_that_sets_a_drawn_number_drops_its_draws(tmp_path):
    data = uncertain_office()
    write_scenario(tmp_path, **{key: value for key, value in data.items()
                                if key != "calibration"},
                   posterior=data["calibration"]["posterior"])
    spec = board_spec(base="office.yaml", changes=[
        {"name": "desk", "path": "bodies.desk.review_days.mean",
         "options": [{"value": 3}, {"value": 1}]}])
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec))
    study = load_study(path)
    assert all(config.scenario.calibration is None or config.scenario.calibration.posterior
               is None for config in study.configurations)


# --- spec and command line ---------------------------------------------------------------


@pytest.mark.parametrize(("change", "expected"), [
    ({"changes": [{"name": "x", "options": [{"set": {}, "cost": 1}, {"set": {"seed": 2}}]}]},
     "changes.0.options.1.cost: required key is missing (costs are all or none)"),
    ({"changes": [{"name": "x", "options": [{"set": {}, "cost": 1}]}]},
     "cost_unit: required key is missing (costs are all or none)"),
    ({"cost_unit": "hours"}, "cost_unit: no option gives a cost; remove cost_unit"),
    ({"frontier": {"outside_term": True}},
     "frontier.outside_term: unknown key; did you mean 'outside_terms'?"),
    ({"frontier": None}, "changes.0.options.0.cost: required key is missing"),
])
def test_spec_errors_about_costs_and_the_frontier_block(tmp_path, change, expected):
    path = write_board(tmp_path, board_spec(**change))
    with pytest.raises(ScenarioError) as raised:
        load_study(path)
    assert str(raised.value) == f"{path}: {expected}"


def test_cli_json_reports_the_frontier_dominators_and_knee(tmp_path, capsys):
    path = write_board(tmp_path, board_spec(replications=6))
    assert main(["optimize", str(path), "--pareto", "--jobs", "1", "--format", "json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["axes"] == ["days", "faculty_hours"] and summary["replications"] == 6
    assert len(summary["frontier"]) + len(summary["excluded"]) == summary["configurations"] == 8
    knee = summary["knee"]
    assert knee["knee"] and knee in summary["frontier"]
    for item in summary["frontier"]:
        assert item["on_frontier"] and item["dominated_by"] is None
        low, high = item["days"]["ci95"]
        assert low <= item["days"]["value"] <= high
    for item in summary["excluded"]:
        assert item["dominated_by"]["price"] == "as is" and item["configuration"]["price"] == "dear"
    assert summary["levers"][0]["kind"] == "buys"


def test_cli_text_names_the_knee_and_the_best_buy(tmp_path, capsys):
    path = write_board(tmp_path, board_spec(replications=6))
    assert main(["optimize", str(path), "--pareto", "--jobs", "1", "--outside-terms"]) == 0
    out = capsys.readouterr().out
    assert "Knee: every 4 weeks: mean " in out
    assert "Most days per faculty hour: every 1 weeks, " in out
    assert "outside terms [95% CI]" in out
    assert "Excluded (4), each with the frontier configuration that dominates it" in out


@pytest.mark.parametrize(("argv", "expected"), [
    (["--uncertainty"], "mcsim: --outside-terms and --uncertainty need --pareto"),
    (["--pareto", "--draws", "4"], "mcsim: --draws needs --uncertainty"),
    ([], "its options give no costs (a frontier spec): run mcsim optimize SPEC --pareto"),
])
def test_cli_refuses_what_does_not_go_together(tmp_path, capsys, argv, expected):
    path = write_board(tmp_path)
    assert main(["optimize", str(path), "--jobs", "1", *argv]) == 2
    err = capsys.readouterr().err
    assert expected in err and err.count("\n") == 1


# --- the shipped spec -----------------------------------------------------------------------


def test_the_shipped_governance_spec_validates():
    study = load_study(SHIPPED)
    spec = study.spec
    assert len(study.configurations) == 2 * 2 * 2 * 2 * 5
    assert spec.frontier is not None and not spec.has_costs
    assert [decision.name for decision in spec.changes] == [
        "mc_rhythm", "mc_evote", "pr_consent", "senate_review", "summer"]
    unchanged = {"name", "calibration"}
    today = study.configurations[0].scenario.model_dump(exclude=unchanged)
    assert today == study.base.model_dump(exclude=unchanged)  # the first options are today's
    last = study.configurations[-1].scenario
    assert last.summer_authority.for_ == ("grad_council", "ug_education", "fs_program_review")
    assert last.bodies["mc"].evote is not None and last.bodies["fs_program_review"].consent


def test_each_lever_of_the_shipped_spec_is_its_what_if():
    """One option changed from today's alone gives the shipped what-if it names."""
    study = load_study(SHIPPED)
    unchanged = {"name", "title", "description", "calibration"}
    checked = 0
    for point in study.configurations[1:]:
        changed = [(name, option) for (name, option), (_, first) in
                   zip(point.choices, study.configurations[0].choices, strict=True)
                   if option != first]
        if len(changed) != 1:
            continue
        decision = next(d for d in study.spec.changes if d.name == changed[0][0])
        option = next(o for o in decision.options if o.label == changed[0][1])
        if option.what_if is None:
            continue
        what_if = load_scenario(SHIPPED.parent / option.what_if)
        assert point.scenario.model_dump(exclude=unchanged) == what_if.model_dump(
            exclude=unchanged), option.what_if
        checked += 1
    assert checked == 7
