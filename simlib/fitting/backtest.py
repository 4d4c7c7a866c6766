"""Backtest: does a (fitted) scenario reproduce an office's record?

The record (a :class:`~simlib.records.history.History`) gives each proposal's cycle time,
from its first arrival (its submission) to the approval at its pathway's last step.
Withdrawn proposals are counted apart (they are not approval times). Proposals still open
on the export date ``as_of`` have taken at least ``as_of - first arrival`` days: the
recorded median, P90 and CDF are Kaplan-Meier estimates that count them so
(:mod:`simlib.fitting.survival`).

The tests that compare whole distributions (two-sample KS, Wasserstein distance, the share
inside the simulated 5-95% band) and the recorded mean use the **settled cohort**: the
proposals submitted at least the simulated P99 cycle time before ``as_of``, whose outcome is
known for all but about one in a hundred. Comparing all completed proposals instead would
leave out the slow ones still open, and make a right model look too slow. (A Kaplan-Meier
mean would be restricted to the longest time seen whenever that one is still open.)

The simulated side is ``simlib.replicate(scenario, ...)``: per pathway the cycle days of the
approved proposals submitted after warm-up (the run drains, so none is cut off), per step
the time per visit, arrival to decision. Days are calendar days.

The outcomes are compared too: each recorded proposal, at its age on ``as_of`` (days since
its submission), is approved, withdrawn or still open; the model gives each the chances of
the three at that age (the share of its simulated proposals approved, or withdrawn, within
that many days), and the recorded counts are tested against them
(:func:`~simlib.statistics.outcome_test`). An all-withdrawn record is then caught even
where no approval time can be compared.

The verdict vouches only with evidence: with fewer than :data:`MIN_FINISHED` recorded
proposals finished (approved or withdrawn) there is none, and it says why; otherwise the
model reproduces the record only when every comparison it makes passes (each step's time,
each pathway's outcomes and its cycle times).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from simlib.engine.randomness import generator
from simlib.errors import InputError
from simlib.experiments.results import Results, replicate
from simlib.fitting.survival import KaplanMeier, kaplan_meier
from simlib.formats.jsonout import json_ready
from simlib.metrics.events import step_labels
from simlib.records.history import History
from simlib.scenario import Scenario, labelled_steps
from simlib.statistics import outcome_test, t_interval

SIGNIFICANCE = 0.05  # family-wise: split over the pathways (KS, outcomes) and the steps
SETTLED_SHARE = 0.99  # the settled cohort: submitted this quantile of the simulated time ago
BAND = (0.05, 0.95)
MIN_FINISHED = 10  # recorded proposals approved or withdrawn that a verdict needs
OUTCOMES = ("approved", "withdrawn", "open")
OUTCOME_DRAWS = 2000  # Monte Carlo draws of the outcome test
STEP_COLUMNS = ("pathway", "step", "body", "recorded_visits", "recorded_mean_days",
                "simulated_visits", "simulated_mean_days", "difference_days", "noise_days",
                "beyond_noise")


# --- the record ----------------------------------------------------------------------------


def last_steps(scenario: Scenario) -> dict[str, set[str]]:
    """Per pathway, the step names of its last item (approval there ends a proposal)."""
    return {name: {label for label, _ in labelled_steps(items)[-1]}
            for name, items in scenario.pathways.items()}


def recorded_proposals(history: History, scenario: Scenario) -> pd.DataFrame:
    """One row per recorded proposal: proposal, pathway, submitted (first arrival), outcome
    (``approved``, ``withdrawn`` or ``open``) and days (to its approval or withdrawal, or
    so far at ``as_of`` when open; calendar days)."""
    visits = history.visits
    last = last_steps(scenario)
    at_end = np.array([step in last.get(pathway, ()) for pathway, step in
                       zip(visits["pathway"], visits["step"], strict=True)], dtype=bool)
    approved = visits[at_end & (visits["decision"] == "approve")]
    withdrawn = visits[visits["decision"] == "withdraw"]
    grouped = visits.groupby("proposal", sort=False)
    table = pd.DataFrame({"pathway": grouped["pathway"].first(),
                          "submitted": grouped["arrived"].min()})
    table["approved_on"] = approved.groupby("proposal")["decided"].max()
    table["withdrawn_on"] = withdrawn.groupby("proposal")["decided"].min()
    table["outcome"] = np.select(
        [table["withdrawn_on"].notna(), table["approved_on"].notna()],
        ["withdrawn", "approved"], "open")
    ended = table["withdrawn_on"].fillna(table["approved_on"])
    ended = ended.fillna(pd.Timestamp(history.as_of))
    table["days"] = (ended - table["submitted"]).dt.days.astype(float)
    return table.reset_index()[["proposal", "pathway", "submitted", "outcome", "days"]]


def recorded_step_times(history: History) -> pd.DataFrame:
    """Per (pathway, step) of the record: visits (decided ones), mean_days and se_days
    (days from arrival to decision; standard error of the mean, NaN under 2 visits)."""
    done = history.visits[history.visits["decided"].notna()]
    frame = done.assign(days=(done["decided"] - done["arrived"]).dt.days.astype(float))
    grouped = frame.groupby(["pathway", "step"])["days"]
    table = grouped.agg(visits="count", mean_days="mean", sd="std")
    table["se_days"] = table["sd"] / np.sqrt(table["visits"])
    return table.drop(columns="sd")


# --- the model -----------------------------------------------------------------------------


def simulated_step_times(results: Results) -> pd.DataFrame:
    """Per (pathway, step) of the scenario: visits (all replications), mean_days (days per
    visit, arrival to decision: queue + review + meeting wait) and se_days (the standard
    error of that mean, from its spread between replications; NaN under 2 replications)."""
    labels = step_labels(results.scenario)
    sums = np.array([rep.step_sums[:, :3].sum(axis=1) for rep in results.summaries])
    numbers = np.array([rep.step_numbers[:, 0] for rep in results.summaries], dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        pooled = sums.sum(axis=0) / numbers.sum(axis=0)
        each = np.where(numbers > 0, sums / np.where(numbers > 0, numbers, 1), np.nan)
        spread = np.nanstd(each, axis=0, ddof=1) if len(each) > 1 else np.full(len(labels),
                                                                                np.nan)
        se = spread / np.sqrt(np.maximum((numbers > 0).sum(axis=0), 1))
    visits = sum(rep.step_counts[:, 0] for rep in results.summaries)
    index = pd.MultiIndex.from_frame(labels[["pathway", "step"]])
    return pd.DataFrame({"body": labels["body"].to_numpy(), "visits": visits,
                         "mean_days": pooled, "se_days": se}, index=index)


# --- comparing -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PathwayBacktest:
    """One pathway, recorded against simulated (days): ``recorded`` and ``simulated`` dicts
    of counts and statistics, the Wasserstein distance (days), the KS statistic and p-value
    and the share of the settled cohort inside the simulated 5-95% band."""

    pathway: str
    recorded: dict
    simulated: dict
    wasserstein_days: float
    ks_statistic: float
    ks_p_value: float
    inside_band_share: float
    recorded_km: KaplanMeier | None = field(repr=False, compare=False)
    settled_days: np.ndarray = field(repr=False, compare=False)
    simulated_days: np.ndarray = field(repr=False, compare=False)
    outcomes: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """The JSON of one pathway (days; NaN as None)."""
        return json_ready({
            "recorded": self.recorded, "simulated": self.simulated,
            "wasserstein_days": self.wasserstein_days,
            "ks": {"statistic": self.ks_statistic, "p_value": self.ks_p_value},
            "inside_band_share": self.inside_band_share,
            "outcomes": self.outcomes,
        })


def _quantile_entry(km: KaplanMeier | None, share: float) -> tuple[float, list[float]]:
    if km is None:
        return float("nan"), [float("nan"), float("nan")]
    return km.quantile(share), list(km.quantile_interval(share))


def _withdrawn_share(approved: int, withdrawn: int) -> float:
    ended = approved + withdrawn
    return withdrawn / ended if ended else float("nan")


def _recorded(rows: pd.DataFrame, as_of: dt.date, settle_days: float) -> tuple:
    """The recorded side of a pathway: its dict, the KM estimate and the settled days."""
    counts = rows["outcome"].value_counts()
    approved = rows.loc[rows["outcome"] == "approved", "days"].to_numpy()
    still_open = rows.loc[rows["outcome"] == "open", "days"].to_numpy()
    km = kaplan_meier(approved, still_open) if len(approved) else None
    cutoff = pd.Timestamp(as_of) - pd.Timedelta(days=float(np.nan_to_num(settle_days)))
    cohort = rows[rows["submitted"] <= cutoff]
    settled = cohort.loc[cohort["outcome"] == "approved", "days"].to_numpy()
    median, median_ci = _quantile_entry(km, 0.5)
    p90, p90_ci = _quantile_entry(km, 0.9)
    cohort_counts = cohort["outcome"].value_counts()
    recorded = {
        "n": len(rows), "completed": int(counts.get("approved", 0)),
        "open": int(counts.get("open", 0)), "withdrawn": int(counts.get("withdrawn", 0)),
        "mean": float(settled.mean()) if len(settled) else float("nan"),
        "mean_ci95": list(t_interval(settled)),  # 95%, NaN under 2 values
        "median": median, "median_ci95": median_ci, "p90": p90, "p90_ci95": p90_ci,
        "km_restricted": bool(km.restricted) if km else False,
        "settled": {"submitted_by": cutoff.date().isoformat(), "n": len(cohort),
                    "completed": len(settled), "open": int(cohort_counts.get("open", 0))},
        "withdrawn_share": _withdrawn_share(int(cohort_counts.get("approved", 0)),
                                            int(cohort_counts.get("withdrawn", 0))),
    }
    return recorded, km, settled


def _simulated(results: Results, pathway: str) -> tuple[dict, np.ndarray]:
    table = results.proposals[results.proposals["pathway"] == pathway]
    days = table.loc[table["outcome"] == "approved", "cycle_days"].to_numpy(dtype=float)
    counts = table["outcome"].value_counts()
    quantiles = (np.quantile(days, [0.5, 0.9, *BAND]) if len(days)
                 else np.full(4, np.nan))
    simulated = {
        "n": len(table), "completed": len(days), "withdrawn": int(counts.get("withdrawn", 0)),
        "mean": float(days.mean()) if len(days) else float("nan"),
        "median": quantiles[0], "p90": quantiles[1], "band": list(quantiles[2:]),
        "withdrawn_share": _withdrawn_share(len(days), int(counts.get("withdrawn", 0))),
    }
    return simulated, days


def outcome_chances(table: pd.DataFrame, ages: np.ndarray) -> np.ndarray:
    """Per age (days), the model's chances (ages x :data:`OUTCOMES`) that a proposal of
    that age is approved, withdrawn or still open: the shares of the simulated proposals
    ``table`` (columns outcome, ended_days) that ended so within that many days."""
    chances = []
    for outcome in OUTCOMES[:2]:
        ended = np.sort(table.loc[table["outcome"] == outcome, "ended_days"].to_numpy(float))
        chances.append(np.searchsorted(ended, ages, side="right") / max(len(table), 1))
    return np.column_stack([*chances, np.clip(1.0 - chances[0] - chances[1], 0.0, 1.0)])


def compare_outcomes(results: Results, rows: pd.DataFrame, pathway: str,
                     as_of: dt.date) -> dict:
    """The recorded outcome counts of a pathway's proposals ``rows`` against the model's
    expected counts at their ages on ``as_of``, and the test's p-value (NaN without a
    simulated proposal)."""
    table = results.proposals[results.proposals["pathway"] == pathway]
    recorded = {name: int((rows["outcome"] == name).sum()) for name in OUTCOMES}
    if table.empty:
        return {"recorded": recorded, "expected": None, "p_value": float("nan")}
    ages = (pd.Timestamp(as_of) - rows["submitted"]).dt.days.to_numpy(float)
    rng = generator(results.seed or 0, 0, f"backtest.outcomes.{pathway}")
    expected, p_value = outcome_test(np.array(list(recorded.values())),
                                     outcome_chances(table, ages), rng, OUTCOME_DRAWS)
    return {"recorded": recorded,
            "expected": {name: float(value) for name, value in zip(OUTCOMES, expected,
                                                                  strict=True)},
            "p_value": p_value}


def compare_pathway(results: Results, rows: pd.DataFrame, pathway: str,
                    as_of: dt.date) -> PathwayBacktest:
    """:class:`PathwayBacktest` of ``pathway`` from the simulated ``results`` and the
    recorded proposals ``rows`` of that pathway (see :func:`recorded_proposals`)."""
    simulated, sim_days = _simulated(results, pathway)
    settle = np.quantile(sim_days, SETTLED_SHARE) if len(sim_days) else np.nan
    recorded, km, settled = _recorded(rows, as_of, settle)
    if len(settled) and len(sim_days):
        ks = stats.ks_2samp(settled, sim_days)
        distance, statistic, p_value = (stats.wasserstein_distance(settled, sim_days),
                                        float(ks.statistic), float(ks.pvalue))
        low, high = simulated["band"]
        inside = float(np.mean((settled >= low) & (settled <= high)))
    else:
        distance = statistic = p_value = inside = float("nan")
    return PathwayBacktest(pathway, recorded, simulated, float(distance), statistic,
                           p_value, inside, km, settled, sim_days,
                           compare_outcomes(results, rows, pathway, as_of))


def compare_steps(recorded: pd.DataFrame, simulated: pd.DataFrame) -> pd.DataFrame:
    """Per step of the scenario (:data:`STEP_COLUMNS`): recorded and simulated mean days per
    visit, their difference (simulated - recorded; days), the noise (the half-width, days, of
    a family-wise 95% interval of the difference over the steps both sides have) and whether
    the difference is beyond it. Steps the record never decided have NaN noise."""
    table = simulated.merge(recorded, how="left", left_index=True, right_index=True,
                            suffixes=("_sim", "_rec"))
    se = np.sqrt(table["se_days_rec"] ** 2 + table["se_days_sim"].fillna(0.0) ** 2)
    judged = int(se.notna().sum())
    z = stats.norm.ppf(1 - SIGNIFICANCE / (2 * max(judged, 1)))
    result = pd.DataFrame({
        "body": table["body"],
        "recorded_visits": table["visits_rec"].fillna(0).astype(int),
        "recorded_mean_days": table["mean_days_rec"],
        "simulated_visits": table["visits_sim"].astype(int),
        "simulated_mean_days": table["mean_days_sim"],
    })
    result["difference_days"] = result["simulated_mean_days"] - result["recorded_mean_days"]
    result["noise_days"] = z * se
    result["beyond_noise"] = (result["difference_days"].abs() > result["noise_days"]).fillna(
        False).astype(bool)
    return result.reset_index()[list(STEP_COLUMNS)]


# --- the verdict ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """Whether the model reproduces the record, and by which comparison (``kind``).

    ``reproduces`` None (``kind`` "evidence"): no verdict, too few recorded proposals have
    finished (``finished`` of them, ``needed`` needed: :data:`MIN_FINISHED`). True (``kind``
    "all"): every step's difference is within its noise, and every pathway's outcomes and
    cycle times (KS) are kept at the family-wise 5% level. False: ``kind`` "step", the
    worst step beyond its noise (``pathway``, ``step``, ``body``; ``days`` its difference,
    simulated - recorded mean days per visit); else "outcomes", the pathway whose
    approved, withdrawn and open counts the model's chances at their ages reject (smallest
    p-value); else "cycle", the pathway whose KS test rejects (``days``: simulated -
    recorded mean cycle days)."""

    reproduces: bool | None
    pathway: str | None = None
    step: str | None = None
    body: str | None = None
    days: float | None = None
    kind: str = ""
    finished: int | None = None
    needed: int = MIN_FINISHED

    def to_dict(self) -> dict:
        """The JSON of the verdict (without its sentence, which the reports add)."""
        return json_ready({"reproduces": self.reproduces, "kind": self.kind,
                           "pathway": self.pathway, "step": self.step, "body": self.body,
                           "days": self.days, "finished": self.finished,
                           "needed": self.needed})


def verdict(pathways: dict[str, PathwayBacktest], steps: pd.DataFrame) -> Verdict:
    """The :class:`Verdict` from the pathways' comparisons and the step table."""
    finished = sum(item.recorded["completed"] + item.recorded["withdrawn"]
                   for item in pathways.values())
    if finished < MIN_FINISHED:
        return Verdict(None, kind="evidence", finished=finished)
    beyond = steps[steps["beyond_noise"]]
    if len(beyond):
        worst = beyond.loc[beyond["difference_days"].abs().idxmax()]
        return Verdict(False, worst["pathway"], worst["step"], worst["body"],
                       float(worst["difference_days"]), "step", finished)
    level = SIGNIFICANCE / max(len(pathways), 1)
    missed = [item for item in pathways.values()
              if item.outcomes.get("p_value", 1.0) < level]
    if missed:
        worst = min(missed, key=lambda item: item.outcomes["p_value"])
        return Verdict(False, worst.pathway, kind="outcomes", finished=finished)
    rejected = [item for item in pathways.values() if item.ks_p_value < level]
    if not rejected:
        return Verdict(True, kind="all", finished=finished)
    worst = min(rejected, key=lambda item: item.ks_p_value)
    return Verdict(False, worst.pathway, None, None,
                   worst.simulated["mean"] - worst.recorded["mean"], "cycle", finished)


@dataclass(frozen=True, eq=False)
class Backtest:
    """A scenario's runs against an office's record: per pathway a :class:`PathwayBacktest`,
    per step the table of :func:`compare_steps`, and the :class:`Verdict`."""

    results: Results = field(repr=False)
    history: History = field(repr=False)
    pathways: dict[str, PathwayBacktest]
    steps: pd.DataFrame = field(repr=False)
    verdict: Verdict

    def to_dict(self) -> dict:
        """The JSON of the backtest (days; NaN as None): scenario, history, as_of,
        replications, seed, pathways, steps and verdict."""
        return json_ready({
            "scenario": self.results.scenario.name,
            "history": self.history.source,
            "as_of": self.history.as_of.isoformat(),
            "replications": self.results.replications,
            "seed": self.results.seed,
            "pathways": {name: item.to_dict() for name, item in self.pathways.items()},
            "steps": self.steps.to_dict(orient="records"),
            "verdict": self.verdict.to_dict(),
        })


def backtest_results(results: Results, history: History) -> Backtest:
    """The :class:`Backtest` of simulated ``results`` against the record ``history``
    (pathways of the scenario that the record has). InputError when it has none."""
    scenario = results.scenario
    proposals = recorded_proposals(history, scenario)
    pathways = {name: compare_pathway(results, proposals[proposals["pathway"] == name],
                                      name, history.as_of)
                for name in scenario.pathways if (proposals["pathway"] == name).any()}
    if not pathways:
        raise InputError(
            f"{history.source or 'the record'}: no proposal of the scenario's pathways "
            f"({', '.join(scenario.pathways)}) to compare; give the record of the office "
            f"{scenario.name} models")
    steps = compare_steps(recorded_step_times(history), simulated_step_times(results))
    steps = steps[steps["pathway"].isin(list(pathways))].reset_index(drop=True)
    return Backtest(results, history, pathways, steps, verdict(pathways, steps))


def backtest(scenario: Scenario, history: History, replications: int | None = None,
             seed: int | None = None, jobs: int | None = None) -> Backtest:
    """Replicate ``scenario`` (``simlib.replicate``: the scenario's count and seed unless
    given) and compare it with the record ``history``: a :class:`Backtest`."""
    results = replicate(scenario, replications, seed, jobs=jobs, progress=False)
    return backtest_results(results, history)
