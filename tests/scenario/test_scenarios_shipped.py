"""The shipped scenario files: they load, what-ifs are pure diffs, and the baseline is plausible.

The plausibility checks simulate a few dozen replications with a fixed seed and compare
confidence intervals (never a hard-coded simulated value) with the documented targets.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pytest
import yaml
from scipy import stats

from simlib.engine.eventlog import EventLog
from simlib.engine.model import simulate
from simlib.scenario import Parallel, Scenario, load_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
SCENARIO_FILES = sorted(SCENARIOS.glob("*.yaml"))
BASELINE = SCENARIOS / "baseline.yaml"
WHAT_IF_KEYS = {"extends", "name", "title", "description", "set", "scale"}
REQUIRED_WHAT_IFS = (
    "mc-weekly", "owd-second-reviewer", "parallel-senate-review", "summer-meetings",
    "presubmission-consult", "demand-3x", "mc-evote", "consent-minor", "fast-track-minor",
    "delegate-revisions", "summer-authority",
)
DOCUMENTED_TARGETS = {"credit": 170.0, "noncredit": 45.0}
PLAUSIBLE_SHARE = 0.30  # simulated means must lie within 30% of the documented figures
REPLICATIONS = 40  # for the plausibility of the baseline
PAIRED_REPLICATIONS = 20  # for paired what-if comparisons (the first 20 of the same seeds)
SEED = 2025


def _raw(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


WHAT_IF_FILES = [path for path in SCENARIO_FILES if "extends" in _raw(path)]


def mean_cycle_days(log: EventLog, warmup_days: float) -> dict[str, float]:
    """Mean days from ``submit`` to ``approved`` per pathway, for proposals submitted after
    the warm-up."""
    frame = log.to_frame()
    submitted = frame[frame["kind"] == "submit"].set_index("proposal")
    approved = frame[frame["kind"] == "approved"].set_index("proposal")["time"]
    submitted = submitted[submitted["time"] >= warmup_days]
    cycle = (approved.reindex(submitted.index) - submitted["time"]).dropna()
    return cycle.groupby(submitted.loc[cycle.index, "pathway"]).mean().to_dict()


@functools.cache
def replication_means(name: str, replications: int) -> dict[str, np.ndarray]:
    """Per-pathway mean cycle days (one per replication 0..replications-1, seed SEED) of a
    shipped scenario."""
    if name == "baseline" and replications < REPLICATIONS:
        return {pathway: means[:replications]
                for pathway, means in replication_means(name, REPLICATIONS).items()}
    scenario = load_scenario(SCENARIOS / f"{name}.yaml")
    rows = [mean_cycle_days(simulate(scenario, SEED, rep), scenario.warmup_days)
            for rep in range(replications)]
    return {pathway: np.array([row[pathway] for row in rows]) for pathway in rows[0]}


def paired_credit_difference(name: str) -> np.ndarray:
    """What-if minus baseline credit mean cycle days, replication by replication (CRN)."""
    variant = replication_means(name, PAIRED_REPLICATIONS)["credit"]
    return variant - replication_means("baseline", PAIRED_REPLICATIONS)["credit"]


def ci95(values: np.ndarray) -> tuple[float, float]:
    """Student-t 95% confidence interval of the mean of ``values``."""
    half = stats.t.ppf(0.975, len(values) - 1) * values.std(ddof=1) / np.sqrt(len(values))
    return values.mean() - half, values.mean() + half


# --- every file ------------------------------------------------------------------------


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda path: path.name)
def test_scenario_file_validates(path: Path) -> None:
    scenario = load_scenario(path)
    assert isinstance(scenario, Scenario)
    assert scenario.name == path.stem
    assert scenario.title


def test_required_what_ifs_are_shipped() -> None:
    names = {path.stem for path in WHAT_IF_FILES}
    assert set(REQUIRED_WHAT_IFS) <= names
    assert len(WHAT_IF_FILES) >= 6


@pytest.mark.parametrize("path", WHAT_IF_FILES, ids=lambda path: path.name)
def test_what_if_is_a_small_diff(path: Path) -> None:
    raw = _raw(path)
    assert set(raw) <= WHAT_IF_KEYS, f"unexpected keys: {sorted(set(raw) - WHAT_IF_KEYS)}"
    assert raw["extends"] == "baseline.yaml"
    assert raw.get("set") or raw.get("scale"), "a what-if must change something"
    assert load_scenario(path) != load_scenario(BASELINE)


# --- what-ifs change what they promise -------------------------------------------------


def _revise_p(scenario: Scenario) -> dict[tuple[str, str], float]:
    """Revision probability of every (pathway, body) visit, including parallel branches."""
    found = {}
    for pathway, items in scenario.pathways.items():
        for item in items:
            for step in item.parallel if isinstance(item, Parallel) else (item,):
                if step.revise is not None:
                    found[(pathway, step.body)] = step.revise.p
    return found


def test_presubmission_consult_halves_every_revision_probability() -> None:
    base = _revise_p(load_scenario(BASELINE))
    consult = _revise_p(load_scenario(SCENARIOS / "presubmission-consult.yaml"))
    assert consult.keys() == base.keys()
    for key, p in base.items():
        assert consult[key] == pytest.approx(p / 2), key


def test_parallel_senate_review_keeps_conditions_and_revisions() -> None:
    base = load_scenario(BASELINE)
    variant = load_scenario(SCENARIOS / "parallel-senate-review.yaml")
    groups = [item for item in variant.pathways["credit"] if isinstance(item, Parallel)]
    assert len(groups) == 1
    by_body = {step.body: step for step in base.pathways["credit"]}
    branches = {step.body: step for step in groups[0].parallel}
    assert set(branches) == {"grad_council", "ug_education", "fs_program_review"}
    for body, branch in branches.items():
        assert branch.when == by_body[body].when
        assert branch.revise == by_body[body].revise
    assert variant.pathways["noncredit"] == base.pathways["noncredit"]


def test_summer_meetings_opens_every_committee() -> None:
    scenario = load_scenario(SCENARIOS / "summer-meetings.yaml")
    committees = [body for body in scenario.bodies.values() if body.kind == "committee"]
    assert committees
    assert all(body.meets.outside_terms for body in committees)


def test_demand_3x_triples_every_pathway() -> None:
    base = load_scenario(BASELINE)
    variant = load_scenario(SCENARIOS / "demand-3x.yaml")
    for pathway, demand in base.demand.items():
        assert variant.demand[pathway].per_year == pytest.approx(3 * demand.per_year)
        assert variant.demand[pathway].mix == demand.mix


def _without_sizes_and_hours(scenario: Scenario) -> Scenario:
    """``scenario`` with no drawn attributes and no hours on any body."""
    changes = {f"demand.{pathway}.attributes": {} for pathway in scenario.demand}
    changes.update({f"bodies.{name}.hours": {} for name in scenario.bodies})
    return scenario.variant(changes)


def test_sizes_and_hours_leave_the_baseline_as_it_was() -> None:
    """The baseline draws a size for every proposal and prices every body's work, yet no
    step of it tests the size and hours move no date: its log is the one it would be
    without them (sizes draw from streams of their own)."""
    base = load_scenario(BASELINE)
    assert all(demand.attributes for demand in base.demand.values())
    assert all(body.hours.per_review > 0 for body in base.bodies.values()
               if body.kind != "proposer")
    bare = _without_sizes_and_hours(base)
    assert bare != base
    for replication in range(2):
        with_them, without = simulate(base, SEED, replication), simulate(bare, SEED, replication)
        assert with_them.rows == without.rows
        assert with_them.work == without.work


# --- baseline targets and plausibility ---------------------------------------------------


def test_baseline_documents_its_targets() -> None:
    scenario = load_scenario(BASELINE)
    for pathway, days in DOCUMENTED_TARGETS.items():
        target = scenario.targets[pathway]
        assert target.mean_cycle_days == days
        assert target.source


@pytest.mark.parametrize("pathway", sorted(DOCUMENTED_TARGETS))
def test_baseline_mean_is_plausible(pathway: str) -> None:
    target = load_scenario(BASELINE).targets[pathway].mean_cycle_days
    low, high = ci95(replication_means("baseline", REPLICATIONS)[pathway])
    assert (1 - PLAUSIBLE_SHARE) * target <= low <= high <= (1 + PLAUSIBLE_SHARE) * target, (
        f"{pathway}: 95% CI [{low:.1f}, {high:.1f}] days vs documented {target:g} days"
    )


@pytest.mark.slow
def test_mc_weekly_lowers_credit_mean() -> None:
    low, high = ci95(paired_credit_difference("mc-weekly"))
    assert high < 0, f"paired difference CI [{low:.1f}, {high:.1f}] days"


@pytest.mark.slow
def test_demand_3x_does_not_lower_credit_mean() -> None:
    low, high = ci95(paired_credit_difference("demand-3x"))
    assert high > 0, f"paired difference CI [{low:.1f}, {high:.1f}] days"


def test_parallel_senate_review_leaves_the_other_credit_steps_as_in_the_baseline() -> None:
    base = load_scenario(BASELINE).pathways["credit"]
    variant = load_scenario(SCENARIOS / "parallel-senate-review.yaml").pathways["credit"]
    unchanged = [item for item in variant if not isinstance(item, Parallel)]
    replaced = {"grad_council", "ug_education", "fs_program_review"}
    assert unchanged == [item for item in base if item.body not in replaced]


def test_a_what_if_sets_one_use_of_an_anchored_block(tmp_path) -> None:
    """The baseline's badge steps and sizes are YAML anchors shared by both pathways; a
    what-if that sets one pathway's value leaves the other's alone."""
    whatif = tmp_path / "one.yaml"
    whatif.write_text(f"extends: {BASELINE}\nname: one\nset:\n"
                      "  after_approval.noncredit.bulk_issue.review_days.mean: 9\n"
                      "  demand.credit.attributes.size: {minor: 0.5, major: 0.5}\n")
    changed = load_scenario(whatif)
    assert changed.value_at("after_approval.noncredit.bulk_issue.review_days.mean") == 9
    assert changed.value_at("after_approval.credit.bulk_issue.review_days.mean") == 2
    assert changed.demand["noncredit"].attributes["size"]["minor"] == 0.3
