"""Every answer carries its price: the run's hours block, and the comparison's paired change
in hours a year (common random numbers: a change of prices alone leaves every event as it
was, so the change is exactly the base's hours of what was repriced) with what the days
saved cost per 100 faculty hours."""

from __future__ import annotations

import numpy as np
import pytest
from support.scenarios import DESK, TINY, small_scenario, uncertain_office

from simlib import answers, compare, replicate
from simlib.experiments.price import NO_CLEAR_HOURS, PER_100, trade
from simlib.experiments.results import UNPRICED
from simlib.metrics.pooled import hours_frame
from simlib.scenario import validate_scenario

QUICK = {"jobs": 1, "progress": False}
PRICES = {"bodies.board.hours": {"per_meeting": 2.0, "per_item": 0.5, "per_review": 0.25},
          "bodies.desk.hours": {"per_review": 1.0}}
HOURS_KEYS = {"faculty_per_year", "faculty_outside_terms_per_year", "staff_per_year",
              "total_per_year"}
# the keys of a run's JSON and of a comparison's pathway row before hours were priced
RUN_KEYS = {"scenario", "title", "replications", "seed", "warmup_days", "horizon_days",
            "simlib_version", "pathways", "bodies", "sla"}
ROW_KEYS = {"base_mean_days", "alt_mean_days", "mean_diff_days", "ci95", "base_p90_days",
            "alt_p90_days", "p90_diff_days", "p90_ci95", "verdict"}


@pytest.fixture(scope="module")
def tiny():
    return validate_scenario(TINY, "<tiny>")


@pytest.fixture(scope="module")
def priced(tiny):
    return tiny.variant(PRICES, name="priced")


def test_a_run_of_a_priced_scenario_has_every_hours_key(priced):
    hours = replicate(priced, 3, **QUICK).to_dict()["hours"]
    assert hours["priced"] is True
    assert HOURS_KEYS | {"per_approved", "bodies", "priced"} == set(hours)
    assert set(hours["bodies"]) == {"desk", "board"}
    for figure in (*(hours[key] for key in HOURS_KEYS), hours["per_approved"],
                   *(item[part] for item in hours["bodies"].values()
                     for part in ("in_term", "outside_terms"))):
        assert set(figure) == {"mean", "ci95"}
        assert figure["ci95"][0] <= figure["mean"] <= figure["ci95"][1]
    assert hours["faculty_per_year"]["mean"] > 0 and hours["staff_per_year"]["mean"] > 0


def test_a_run_without_hours_keeps_its_keys_and_says_nothing_is_priced(tiny):
    result = replicate(tiny, 2, **QUICK).to_dict()
    assert set(result) == RUN_KEYS | {"hours"}
    assert result["hours"] == {"priced": False, "note": UNPRICED}


@pytest.mark.parametrize("price", ["per_meeting", "per_item"])
def test_doubling_a_price_adds_exactly_the_base_hours_it_prices(priced, price):
    """Twice the hours per meeting (or per item): under common random numbers every event
    is the same, so each replication's extra faculty hours are the base's hours of that
    kind alone, and the paired CI covers their mean."""
    doubled = priced.variant({f"bodies.board.hours.{price}": 2 * PRICES["bodies.board.hours"]
                              [price]}, name="doubled")
    alone = priced.variant({"bodies.board.hours": {price: PRICES["bodies.board.hours"][price]},
                            "bodies.desk.hours.per_review": 0.0}, name="alone")
    result = compare(priced, [doubled], replications=6, seed=4, **QUICK)
    own = replicate(alone, 6, 4, **QUICK)
    frames = [hours_frame(side.summaries, side.scenario)
              for side in (result.base, result.alternatives[0], own)]
    np.testing.assert_allclose(frames[1]["faculty"] - frames[0]["faculty"], frames[2]["faculty"])
    hours = result.to_dict()["alternatives"]["doubled"]["hours"]
    faculty, expected = hours["faculty_per_year"], frames[2]["faculty"].mean()
    assert faculty["change"] == pytest.approx(expected)
    assert faculty["ci95"][0] <= expected + 1e-9 and expected - 1e-9 <= faculty["ci95"][1]
    assert faculty["verdict"] == "more"
    assert hours["staff_per_year"]["change"] == 0.0
    assert hours["total_per_year"]["change"] == pytest.approx(faculty["change"])


def test_a_copy_changes_no_hours_and_divides_by_nothing(priced):
    copy = priced.variant({}, name="copy")
    entry = compare(priced, [copy], replications=4, **QUICK).to_dict()["alternatives"]["copy"]
    for key in HOURS_KEYS:
        assert entry["hours"][key]["change"] == 0.0
        assert entry["hours"][key]["ci95"] == [0.0, 0.0]
        assert entry["hours"][key]["verdict"] == "no clear change"
    assert entry["hours"]["trade"]["p"] == {PER_100: None, "reading": NO_CLEAR_HOURS}


def test_a_comparison_without_hours_keeps_its_keys(tiny):
    faster = tiny.variant({"bodies.desk.review_days.mean": 1.0}, name="faster")
    result = compare(tiny, [faster], replications=3, **QUICK)
    entry = result.to_dict()["alternatives"]["faster"]
    assert entry["hours"] == {"priced": False, "note": UNPRICED}
    assert set(entry["pathways"]["p"]) == ROW_KEYS
    assert "hours" not in set(result.summary()["section"])
    assert answers.compare(tiny, [faster], 3, **QUICK).hours_change("faster", "faculty") is None


def test_pricing_the_what_ifs_work_alone_prices_the_comparison(tiny, priced):
    entry = compare(tiny, [priced], replications=3, **QUICK).to_dict()["alternatives"]
    faculty = entry["priced"]["hours"]["faculty_per_year"]
    assert faculty["base"] == 0.0 and faculty["change"] == faculty["alt"] > 0


FACULTY = {"more": {"verdict": "more", "change": 200.0},
           "fewer": {"verdict": "fewer", "change": -40.0},
           "unclear": {"verdict": "no clear change", "change": 0.3}}


@pytest.mark.parametrize(("faculty", "days", "reading", "per_100"), [
    ("more", ("shorter", -50.0), "costs_hours_saves_days", 25.0),
    ("more", ("longer", 10.0), "costs_both", -5.0),
    ("more", ("no clear change", -1.0), "costs_hours", 0.5),
    ("fewer", ("shorter", -12.0), "saves_both", None),
    ("fewer", ("longer", 3.0), "frees_hours_costs_days", None),
    ("fewer", ("no clear change", 0.0), "frees_hours", None),
    ("unclear", ("shorter", -12.0), NO_CLEAR_HOURS, None),
])
def test_the_trade_divides_only_by_hours_clearly_added(faculty, days, reading, per_100):
    verdict, difference = days
    found = trade({"verdict": verdict, "mean_diff_days": difference}, FACULTY[faculty])
    assert found["reading"] == reading
    assert found[PER_100] == (None if per_100 is None else pytest.approx(per_100))


@pytest.fixture(scope="module")
def office():
    return small_scenario(**uncertain_office()).variant(PRICES)


def test_the_change_in_hours_has_its_range_over_the_draws(office):
    dearer = office.variant({DESK: 1.0, "bodies.board.hours.per_meeting": 4.0}, name="dearer")
    answer = answers.compare(office, [dearer], 4, 5, uncertainty=True, draws=4,
                             draw_replications=2, **QUICK)
    item = answer.to_dict()["alternatives"]["dearer"]["hours"]["faculty_per_year"]
    figure = answer.hours_change("dearer", "faculty")
    assert item["change"] == pytest.approx(figure.value)
    assert item["predictive95"] == pytest.approx(list(figure.range95))
    assert item["p_fewer"] == pytest.approx(figure.p_below_zero) and figure.p_below_zero < 0.5
    drawn = answers.compare(office, [dearer], 2, 5, uncertainty=True, draws=4, **QUICK)
    item = drawn.to_dict()["alternatives"]["dearer"]["hours"]["faculty_per_year"]
    figure = drawn.hours_change("dearer", "faculty")
    assert (item["change"], *item["predictive95"]) == pytest.approx(
        (figure.value, *figure.range95))


def test_a_run_over_the_draws_gives_each_hours_figure_its_range(office):
    answer = answers.run(office, 4, 5, uncertainty=True, draws=4, draw_replications=2, **QUICK)
    hours = answer.to_dict()["hours"]
    assert hours["faculty_per_year"]["predictive95"] == pytest.approx(
        list(answer.hours("faculty").range95))
    assert hours["bodies"]["desk"]["in_term"]["predictive95"] == pytest.approx(
        list(answer.hours("desk.in_term").range95))
    drawn = answers.run(office, 2, 5, uncertainty=True, draws=4, **QUICK).to_dict()["hours"]
    assert set(drawn["per_approved"]) == {"mean", "ci95", "predictive95"}
