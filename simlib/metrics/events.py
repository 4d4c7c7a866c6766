"""Metrics: pure functions of an events DataFrame (several replications) and its scenario.

The events frame has the columns of :data:`simlib.engine.eventlog.COLUMNS`. Times and durations are
calendar days. Warm-up is a filter: proposals submitted before ``scenario.warmup_days`` are
left out of every per-proposal metric (cycle times, step times, SLA). Time-based metrics
(utilization, work in progress, queue lengths) use every event, clipped to the period they
describe. The metrics that need the bodies' calendar (body load, the time breakdown with its
closed days) are in :mod:`simlib.metrics.calendar`.

Every function is vectorised (numpy / pandas); none loops over events in Python.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simlib.engine.bodies import body_class
from simlib.engine.calendar import calendar_date
from simlib.engine.eventlog import DECISIONS
from simlib.scenario import Scenario
from simlib.statistics import ratio_interval

OUTCOMES = ("approved", "withdrawn", "in_progress")
# The journey after approval, per proposal (days; NaN where not reached): approval to the
# badge going live, submission to the first offering's start, submission to the first badges
# issued. The steps that mark them: :func:`milestone_steps`.
MILESTONES = ("badge_days", "offering_days", "first_badge_days")
TIME_COLUMNS = ("queue_wait_days", "review_days", "meeting_wait_days", "rework_days")


def replication_count(events: pd.DataFrame, replications: int | None = None) -> int:
    """The number of replications: ``replications`` if given, else those in ``events``
    (at least 1, so rates never divide by zero)."""
    if replications is not None:
        return replications
    return max(1, int(events["replication"].nunique()))


def step_labels(scenario: Scenario) -> pd.DataFrame:
    """One row per pathway step as named in the event log: pathway, step, body, sla_days
    (NaN when the step has none), position (0 = first item of the pathway).

    A body visited twice in one pathway is labelled ``"name (2)"`` the second time, as the
    model does. The steps after approval (``after_approval``) follow their pathway's, with
    ``after_approval`` True.
    """
    rows = []
    for pathway in scenario.pathways:
        approval = len(scenario.pathways[pathway])
        for position, item in enumerate(scenario.journey(pathway)):
            for label, step in item:
                sla_days = np.nan if step.sla_days is None else step.sla_days
                rows.append((pathway, label, step.body, sla_days, position,
                             position >= approval))
    return pd.DataFrame(rows, columns=["pathway", "step", "body", "sla_days", "position",
                                       "after_approval"])


def milestone_steps(scenario: Scenario) -> dict[str, dict[str, str]]:
    """Per pathway with steps after approval: the step label whose approval puts the badge
    live (``badge_live``), the one whose start is the first offering's (``offering``) and
    the last step, whose approval issues the first badges (``issued``)."""
    result = {}
    for pathway in scenario.after_approval:
        if pathway not in scenario.pathways:
            continue
        after = scenario.after_steps(pathway)
        marks = {}
        for label, step in after:
            if step.marks == "badge_live":
                marks["badge_live"] = label
            if step.starts is not None:
                marks["offering"] = label
        marks["issued"] = after[-1][0]
        result[pathway] = marks
    return result


def milestones(events: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Per (replication, proposal) that reached one: the time (day) its badge went live
    (the last approval of the ``badge_live`` step), its first offering started (the first
    start of the ``offering`` step) and its first badges were issued (the last step's
    approval), NaN where not reached: columns replication, proposal, badge_live, offering,
    issued."""
    columns = ["badge_live", "offering", "issued"]
    frames = []
    for pathway, marks in milestone_steps(scenario).items():
        mine = events[events["pathway"] == pathway]
        for name, kind, keep in (("badge_live", "approve", "last"),
                                 ("offering", "start", "first"), ("issued", "approve", "last")):
            if name not in marks:
                continue
            rows = mine[(mine["step"] == marks[name]) & (mine["kind"] == kind)]
            rows = rows.drop_duplicates(["replication", "proposal"], keep=keep)
            frames.append(rows[["replication", "proposal", "time"]].assign(milestone=name))
    if not frames:
        return pd.DataFrame(columns=["replication", "proposal", *columns])
    long = pd.concat(frames)
    wide = long.pivot_table(index=["replication", "proposal"], columns="milestone",
                            values="time", aggfunc="first")
    return wide.reindex(columns=columns).reset_index().rename_axis(columns=None)


def body_labels(scenario: Scenario) -> pd.Series:
    """Each body's label, or its name when it has none (index: body, scenario order)."""
    labels = {name: spec.label or name for name, spec in scenario.bodies.items()}
    return pd.Series(labels, name="body_label", dtype=object).rename_axis("body")


# --- proposals and cycle times ---------------------------------------------------------


def _proposal_keys(events: pd.DataFrame, width: int) -> np.ndarray:
    """One int64 per (replication, proposal): replication * width + proposal."""
    replication = events["replication"].to_numpy(dtype=np.int64)
    return replication * width + events["proposal"].to_numpy(dtype=np.int64)


def after_warmup(events: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """The events of proposals submitted at or after ``scenario.warmup_days``."""
    if events.empty:
        return events
    width = int(events["proposal"].max()) + 1
    kinds = events["kind"].to_numpy()
    times = events["time"].to_numpy(dtype=float)
    keys = _proposal_keys(events, width)
    kept = keys[(kinds == "submit") & (times >= scenario.warmup_days)]
    return events[np.isin(keys, kept)]


def proposals(events: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """One row per proposal submitted after warm-up.

    Columns: replication, proposal, pathway, level, submitted (day), outcome (approved,
    withdrawn or in_progress when the run ended first), finished (day; NaN if in progress),
    cycle_days (finished - submitted, approved proposals only; else NaN) and the
    :data:`MILESTONES` (days; NaN where not reached).
    """
    kinds = events["kind"]
    submits = events.loc[kinds == "submit", ["replication", "proposal", "pathway", "level", "time"]]
    submits = submits[submits["time"] >= scenario.warmup_days].rename(columns={"time": "submitted"})
    ends = events.loc[kinds.isin(["approved", "withdrawn"])]
    ends = ends[["replication", "proposal", "kind", "time"]]
    ends = ends.rename(columns={"kind": "outcome", "time": "finished"})
    frame = submits.merge(ends, on=["replication", "proposal"], how="left")
    frame["outcome"] = frame["outcome"].fillna("in_progress").astype(object)
    approved = (frame["outcome"] == "approved").to_numpy()
    frame["cycle_days"] = np.where(approved, frame["finished"] - frame["submitted"], np.nan)
    reached = frame[["replication", "proposal"]].merge(
        milestones(events, scenario), on=["replication", "proposal"], how="left")
    frame["badge_days"] = reached["badge_live"].to_numpy(dtype=float) - frame["finished"]
    frame["offering_days"] = reached["offering"].to_numpy(dtype=float) - frame["submitted"]
    frame["first_badge_days"] = reached["issued"].to_numpy(dtype=float) - frame["submitted"]
    frame = frame.astype({"submitted": float, "finished": float, "cycle_days": float})
    return frame.sort_values(["replication", "proposal"], ignore_index=True)



def cycle_summary(
    events: pd.DataFrame, scenario: Scenario, replications: int | None = None
) -> pd.DataFrame:
    """Per pathway (index, scenario order): time from submission to approval, in days.

    Columns: approved, withdrawn, in_progress (counts after warm-up, all replications);
    cycle_days_mean, cycle_days_median, cycle_days_p90 (pooled over replications);
    cycle_days_ci95_low / _high (around the pooled mean, from the spread between
    replications: :func:`ratio_interval`; NaN with fewer than 2 replications);
    approvals_per_year (approved per 365 days of the post-warm-up horizon, averaged over
    replications); for each of the :data:`MILESTONES` (the journey after approval) the
    same five statistics (``badge_days_mean`` ...) over the proposals that reached it and
    their count (``badge_days_count``), NaN (count 0) for a pathway without steps after
    approval.
    """
    return cycle_table(proposals(events, scenario), scenario,
                       replication_count(events, replications))


def window_years(scenario: Scenario) -> float:
    """Years (of 365 days) in the window [warmup_days, horizon_days] metrics keep."""
    return (scenario.horizon_days - scenario.warmup_days) / 365.0


def cycle_table(table: pd.DataFrame, scenario: Scenario, count: int) -> pd.DataFrame:
    """:func:`cycle_summary` from a :func:`proposals` table (columns replication, pathway,
    outcome, cycle_days at least; ordered by replication and proposal) of ``count``
    replications."""
    pathways = pd.Index(list(scenario.pathways), name="pathway")
    counts = table.groupby(["pathway", "outcome"]).size().unstack(fill_value=0)
    result = counts.reindex(index=pathways, columns=list(OUTCOMES), fill_value=0)
    approved = table[table["outcome"] == "approved"]
    result = result.join(_days_statistics(approved, "cycle_days", count))
    result["approvals_per_year"] = result["approved"] / (count * window_years(scenario))
    for name in MILESTONES if name_in(table, MILESTONES) else ():
        reached = approved[approved[name].notna()]
        statistics = _days_statistics(reached, name, count)
        statistics[f"{name}_count"] = reached.groupby("pathway").size()
        result = result.join(statistics)
        result[f"{name}_count"] = result[f"{name}_count"].fillna(0).astype(int)
    return result


# The whole journey from submission (days since the proposal was submitted): approval, the
# badge live (approval + badge_days), the first offering's start, the first badges issued.
JOURNEY = ("cycle_days", "badge_live_days", "offering_days", "first_badge_days")
JOURNEY_QUANTILES = {"p10": 0.1, "median": 0.5, "p90": 0.9}


def journey_table(table: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """The whole journey of the approved proposals of a :func:`proposals` table (columns
    pathway, outcome, cycle_days and the :data:`MILESTONES`): one row per (pathway, milestone
    of :data:`JOURNEY` that some proposal reached), in scenario and journey order, with the
    proposals that reached it (``count``) and the P10, median and P90 of their days from
    submission to it (pooled over replications)."""
    approved = table[table["outcome"] == "approved"]
    since = pd.DataFrame({"pathway": approved["pathway"], "cycle_days": approved["cycle_days"]})
    if name_in(approved, MILESTONES):
        since["badge_live_days"] = approved["cycle_days"] + approved["badge_days"]
        since["offering_days"] = approved["offering_days"]
        since["first_badge_days"] = approved["first_badge_days"]
    rows = []
    for pathway in scenario.pathways:
        days = since[since["pathway"] == pathway]
        for milestone in (name for name in JOURNEY if name in since.columns):
            reached = days[milestone].dropna().to_numpy(dtype=float)
            if reached.size:
                rows.append((pathway, milestone, reached.size,
                             *np.quantile(reached, list(JOURNEY_QUANTILES.values()))))
    return pd.DataFrame(rows, columns=["pathway", "milestone", "count",
                                       *JOURNEY_QUANTILES])


def name_in(table: pd.DataFrame, names: tuple[str, ...]) -> bool:
    """True when ``table`` has every column of ``names``."""
    return all(name in table.columns for name in names)


def _days_statistics(table: pd.DataFrame, column: str, count: int) -> pd.DataFrame:
    """Per pathway: the mean, median and P90 of ``column`` (days) pooled over the rows of
    ``table``, and the 95% CI of the mean from the spread between ``count`` replications
    (:func:`ratio_interval`), as columns ``<column>_mean``, ``_median``, ``_p90``,
    ``_ci95_low``, ``_ci95_high``."""
    grouped = table.groupby("pathway")[column]
    per_replication = table.groupby(["pathway", "replication"])[column].agg(["sum", "count"])
    interval = ratio_interval(per_replication, "pathway", count)
    return pd.DataFrame({
        f"{column}_mean": grouped.mean(), f"{column}_median": grouped.median(),
        f"{column}_p90": grouped.quantile(0.9),
        f"{column}_ci95_low": interval["low"], f"{column}_ci95_high": interval["high"],
    })


# --- visits: one row per round of a proposal at a step --------------------------------


def _visit_keys(events: pd.DataFrame) -> np.ndarray:
    """One int64 per (replication, proposal, step, round), leaving room for round + 1."""
    width = int(events["proposal"].max()) + 1
    step_codes, step_names = pd.factorize(events["step"])
    rounds = events["round"].to_numpy(dtype=np.int64)
    round_width = int(rounds.max()) + 2
    keys = _proposal_keys(events, width) * len(step_names) + step_codes
    return keys * round_width + rounds


def _times_at(events: pd.DataFrame, keys: np.ndarray, kinds: tuple, at: np.ndarray) -> np.ndarray:
    """The time of the event of one of ``kinds`` with each visit key in ``at`` (NaN if none)."""
    mask = events["kind"].isin(kinds).to_numpy()
    series = pd.Series(events["time"].to_numpy(dtype=float)[mask], index=keys[mask])
    return series.reindex(at).to_numpy()


def visits(events: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """One row per round of a proposal at a step (after warm-up), times in days.

    Columns: replication, proposal, pathway, level, step, body, round, arrive, start, finish,
    decided, decision (approve/revise/withdraw; NaN if still open), and durations
    queue_wait_days (start - arrive), review_days (finish - start), meeting_wait_days
    (decided - finish; 0 at offices), rework_days (next arrive at the step - decided, for
    revisions only; NaN otherwise or when the run ended first).
    """
    kept = after_warmup(events, scenario)
    kept = kept[kept["step"].astype(str) != ""]
    if kept.empty:
        return _empty_visits()
    keys = _visit_keys(kept)
    arrive_mask = (kept["kind"] == "arrive").to_numpy()
    frame = kept.loc[arrive_mask, ["replication", "proposal", "pathway", "level", "step",
                                   "body", "round", "time"]].rename(columns={"time": "arrive"})
    at = keys[arrive_mask]
    frame["start"] = _times_at(kept, keys, ("start",), at)
    frame["finish"] = _times_at(kept, keys, ("finish",), at)
    frame["decided"] = _times_at(kept, keys, DECISIONS, at)
    decision_mask = kept["kind"].isin(DECISIONS).to_numpy()
    decisions = pd.Series(kept["kind"].to_numpy()[decision_mask], index=keys[decision_mask])
    frame["decision"] = decisions.reindex(at).to_numpy()
    next_arrive = _times_at(kept, keys, ("arrive",), at + 1)
    frame["queue_wait_days"] = frame["start"] - frame["arrive"]
    frame["review_days"] = frame["finish"] - frame["start"]
    frame["meeting_wait_days"] = frame["decided"] - frame["finish"]
    revised = (frame["decision"] == "revise").to_numpy()
    frame["rework_days"] = np.where(revised, next_arrive - frame["decided"].to_numpy(), np.nan)
    return frame.reset_index(drop=True)


def _empty_visits() -> pd.DataFrame:
    columns = ["replication", "proposal", "pathway", "level", "step", "body", "round", "arrive",
               "start", "finish", "decided", "decision", *TIME_COLUMNS]
    return pd.DataFrame({name: pd.Series(dtype=float) for name in columns})


def _aggregate_visits(table: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Counts and mean durations (days) of visits grouped by ``by``."""
    table = table.assign(
        revised=(table["decision"] == "revise").astype(int),
        withdrew=(table["decision"] == "withdraw").astype(int),
    )
    grouped = table.groupby(by, sort=False)
    result = grouped.agg(
        visits=("arrive", "size"), revisions=("revised", "sum"), withdrawals=("withdrew", "sum")
    )
    means = grouped[list(TIME_COLUMNS)].mean()
    return result.join(means)


def step_times(events: pd.DataFrame, scenario: Scenario, by: str = "body") -> pd.DataFrame:
    """Where the time goes, after warm-up, in mean days per visit round.

    ``by="body"``: one row per body (index, scenario order); ``by="step"``: one row per
    (pathway, step) with its body. Columns: visits (rounds arrived), revisions, withdrawals
    (counts over all replications); queue_wait_days, review_days, meeting_wait_days (means per
    round), rework_days (mean per revision: time with the proposer).
    """
    return visit_summary(visits(events, scenario), scenario, by)


def visit_summary(table: pd.DataFrame, scenario: Scenario, by: str = "body") -> pd.DataFrame:
    """:func:`step_times` from a :func:`visits` table (to reuse one table for several
    metrics)."""
    if by == "body":
        result = _aggregate_visits(table, ["body"])
        order = pd.Index(list(scenario.bodies), name="body")
        result = result.reindex(order)
    elif by == "step":
        result = _aggregate_visits(table, ["pathway", "step"])
        labels = step_labels(scenario).set_index(["pathway", "step"])
        result = result.reindex(labels.index)
        result.insert(0, "body", labels["body"])
    else:
        raise ValueError(f"by must be 'body' or 'step', got {by!r}")
    counts = ["visits", "revisions", "withdrawals"]
    result[counts] = result[counts].fillna(0).astype(int)
    return result


# --- time-based metrics ----------------------------------------------------------------


def capacities(scenario: Scenario) -> pd.Series:
    """Reviewers per body: office staff or committee members (index: body), as the body
    class of each kind counts them (:meth:`~simlib.engine.bodies.OfficeBody.capacity`)."""
    values = {name: body_class(spec).capacity(spec) for name, spec in scenario.bodies.items()}
    return pd.Series(values, name="capacity", dtype=int).rename_axis("body")


def utilization(
    events: pd.DataFrame, scenario: Scenario, replications: int | None = None
) -> pd.DataFrame:
    """Per body (index): reviewer-busy share of the post-warm-up horizon.

    Busy time is the calendar days between each review's start and finish (over weekends
    too; less the time a review after approval was paused), clipped to [warmup_days,
    horizon_days], from every proposal. Columns: kind, capacity (reviewers), busy_days
    (summed over replications), utilization (busy_days / (capacity x (horizon_days -
    warmup_days) x replications), a share in [0, 1]).
    """
    low, high = scenario.warmup_days, scenario.horizon_days
    reviews = events[events["kind"].isin(["start", "finish", "pause", "resume"])]
    busy = pd.Series(0.0, index=pd.Index(list(scenario.bodies), name="body"))
    if not reviews.empty:
        # +end -begin per stretch of work, a stretch still open at the end ending at high
        kinds = reviews["kind"].to_numpy()
        ends = np.isin(kinds, ("finish", "pause"))
        sign = np.where(ends, 1.0, -1.0)
        times = np.clip(reviews["time"].to_numpy(dtype=float), low, high)
        bodies = reviews["body"].to_numpy()
        per_body = pd.Series(sign * (times - high)).groupby(bodies).sum()
        busy = busy.add(per_body, fill_value=0.0).reindex(busy.index)
    return usage_frame(busy, scenario, replication_count(events, replications))


def usage_frame(busy: pd.Series, scenario: Scenario, count: int) -> pd.DataFrame:
    """:func:`utilization` from the busy days per body (index: body, scenario order) summed
    over ``count`` replications."""
    low, high = scenario.warmup_days, scenario.horizon_days
    capacity = capacities(scenario)
    kinds = pd.Series({name: body_class(spec).kind for name, spec in scenario.bodies.items()})
    return pd.DataFrame({
        "kind": kinds,
        "capacity": capacity,
        "busy_days": busy,
        # a body without shared capacity (the proposer) has no utilization: NaN
        "utilization": busy / (capacity.where(capacity > 0) * (high - low) * count),
    }).rename_axis("body")


def sla(events: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Per body with an SLA (steps with ``sla_days``): share of first responses in time.

    A first response is the round-0 decision at the step; its time is the decision time
    minus the round-0 arrival (days). Proposals still waiting when the run ended are left
    out. One row per (body, sla_days); columns: body, sla_days, steps ("pathway/step",
    comma separated), decisions (count after warm-up, all replications), met, share_met.
    """
    return sla_from_visits(visits(events, scenario), scenario)


def sla_from_visits(table: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """:func:`sla` from a :func:`visits` table."""
    labels = step_labels(scenario).dropna(subset=["sla_days"])
    columns = ["body", "sla_days", "steps", "decisions", "met", "share_met"]
    if labels.empty:
        return pd.DataFrame(columns=columns)
    first = table[(table["round"] == 0) & table["decided"].notna()]
    first = first.merge(labels[["pathway", "step", "sla_days"]], on=["pathway", "step"])
    first = first.assign(met=(first["decided"] - first["arrive"]) <= first["sla_days"])
    counts = first.groupby(["body", "sla_days"]).agg(
        decisions=("met", "size"), met=("met", "sum")
    )
    labels = labels.assign(name=labels["pathway"] + "/" + labels["step"])
    steps = labels.groupby(["body", "sla_days"], sort=False)["name"].agg(", ".join)
    result = steps.rename("steps").to_frame().join(counts)
    result[["decisions", "met"]] = result[["decisions", "met"]].fillna(0).astype(int)
    with np.errstate(invalid="ignore", divide="ignore"):
        result["share_met"] = result["met"] / result["decisions"].replace(0, np.nan)
    return result.reset_index()[columns]


def wip(
    events: pd.DataFrame, scenario: Scenario, freq_days: float = 7.0,
    replications: int | None = None,
) -> pd.DataFrame:
    """Work in progress: proposals submitted and not yet approved or withdrawn, per pathway,
    at times 0, ``freq_days``, ... up to ``horizon_days`` (days), mean over replications.

    Uses every proposal (the warm-up period is included, to show the ramp-up). Tidy
    columns: time (days), date, pathway, wip (mean count).
    """
    return _count_inside(
        events, scenario, ("pathway", list(scenario.pathways)),
        (("submit",), ("approved", "withdrawn")), freq_days, replications,
    ).rename(columns={"count": "wip"})


def queue_length(
    events: pd.DataFrame, scenario: Scenario, freq_days: float = 7.0,
    replications: int | None = None,
) -> pd.DataFrame:
    """Proposals waiting at each body: arrived at one of its steps and not yet decided there
    (waiting for a reviewer, under review or waiting for a meeting; not while the proposer
    reworks), at times 0, ``freq_days``, ... up to ``horizon_days`` (days), mean over
    replications.

    Uses every proposal, like :func:`wip`. Tidy columns: time (days), date, body,
    body_label, waiting (mean count).
    """
    result = _count_inside(
        events, scenario, ("body", list(scenario.bodies)), (("arrive",), DECISIONS),
        freq_days, replications,
    ).rename(columns={"count": "waiting"})
    result.insert(3, "body_label", result["body"].map(body_labels(scenario)))
    return result


def _count_inside(
    events: pd.DataFrame, scenario: Scenario, groups: tuple[str, list[str]],
    kinds: tuple[tuple[str, ...], tuple[str, ...]], freq_days: float,
    replications: int | None,
) -> pd.DataFrame:
    """How many entered (an event of ``kinds[0]``) and have not left (``kinds[1]``) at times
    0, ``freq_days``, ... ``horizon_days``, per value of column ``groups[0]`` (listed in
    ``groups[1]``), mean over replications. Columns: time, date, the group column, count."""
    column, names = groups
    grid = np.arange(0.0, scenario.horizon_days + 1e-9, freq_days)
    count = replication_count(events, replications)
    entered = events[events["kind"].isin(kinds[0])]
    left = events[events["kind"].isin(kinds[1])]
    frames = []
    for name in names:
        entries = np.sort(entered.loc[entered[column] == name, "time"].to_numpy(dtype=float))
        exits = np.sort(left.loc[left[column] == name, "time"].to_numpy(dtype=float))
        inside = np.searchsorted(entries, grid, "right") - np.searchsorted(exits, grid, "right")
        frames.append(pd.DataFrame({"time": grid, column: name, "count": inside / count}))
    result = pd.concat(frames, ignore_index=True)
    dates = calendar_date(scenario.calendar.start, result["time"].to_numpy())
    result.insert(1, "date", pd.to_datetime(dates).as_unit("us"))
    return result

