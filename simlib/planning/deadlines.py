"""The deadline planner: "to launch on date L, by when must we submit?"

For candidate submission dates before the launch, the planner estimates the probability that
a proposal submitted that day is approved before the launch date, given the other proposals
in the pipeline and the calendar (a proposal submitted in May meets the summer recess; one
submitted in September does not).

The dates, for each launch on its own: first every Monday over the 18 months before the
launch; then **every calendar day** within :data:`REFINE_DAYS` days of the
latest weekly date that is safe (a second run of the same replications with probes on those
days), so the answer does not depend on the weekday of the launch or where the weekly grid
starts. Each launch is its own simulation whose calendar starts from that launch alone, so
``mcsim plan`` for one launch and a :func:`deadline_study` that includes it give the same
date for the same seed and replications.

How: each replication simulates the pipeline's usual proposals (the background) and, on
every candidate date, a few *probe* proposals of the chosen pathway and level
(:mod:`simlib.planning.probes`). The calendar is moved so that the pipeline has run for the
scenario's warm-up (at least a year) before the first candidate date, and proposals keep
arriving until a year after the launch.
"""

from __future__ import annotations

import concurrent.futures as cf
import dataclasses
import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd

from simlib.defaults import PLAN_CONFIDENCE, defaults
from simlib.engine.model import Probe
from simlib.errors import PlanError
from simlib.experiments.runner import check_replications, run, run_settings
from simlib.experiments.uncertainty import Draws, draw_scenarios, scenario_draws
from simlib.formats.jsonout import json_ready
from simlib.metrics.events import milestone_steps
from simlib.planning.over_draws import DrawLeads, over_the_draws
from simlib.planning.probes import latest_index, non_increasing, tracked_approvals
from simlib.scenario import Scenario
from simlib.statistics import clustered_share

SUBMIT_HOUR = 0.375  # probes are submitted at 9:00 in the morning
GRID_DAYS = 7  # first pass: one candidate submission date a week, on Mondays
ANCHOR = dt.date(2001, 1, 1)  # a Monday: the weekly dates are ANCHOR + 7k
MONTHS = 18  # ... over the 18 months before the launch (to approval; see UNTIL)
REFINE_DAYS = 13  # second pass: every day this close to the first pass's latest safe date
COPIES = 4  # probes per candidate date and replication
MIN_WARMUP_DAYS = 365  # the pipeline runs at least a year before the first candidate date
TAIL_DAYS = 365  # proposals keep arriving a year after the launch
MAX_LEAD_YEARS = 8  # the calendar starts at most this long before the first candidate date
# What a plan plans for: approval (the default), the badge going live, or the first badges
# issued (the journey after approval), and the months of candidate dates before the launch.
UNTIL = {"approval": MONTHS, "badge": 24, "first-badge": 36}
MILESTONE_OF = {"badge": "badge_live", "first-badge": "issued"}  # metrics.milestone_steps
AS_GIVEN = Draws(({},), "none: a plan without --uncertainty runs the scenario as it is")
EARLIEST, LATEST = dt.date(1950, 1, 1), dt.date(2200, 12, 31)  # dates the planner accepts


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day of the month ``months`` earlier (the month's last day when shorter)."""
    month = day.month - 1 - months
    year, month = day.year + month // 12, month % 12 + 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def check_date(day: dt.date, what: str) -> dt.date:
    """``day`` if the planner can plan with it (between :data:`EARLIEST` and
    :data:`LATEST`); else PlanError naming ``what`` and the range."""
    if not EARLIEST <= day <= LATEST:
        raise PlanError(f"{what} {day.isoformat()} is out of range; give a date between "
                        f"{EARLIEST.isoformat()} and {LATEST.isoformat()}")
    return day


def candidate_dates(launch: dt.date, months: int = MONTHS,
                    every_days: int = GRID_DAYS) -> list[dt.date]:
    """The first pass's submission dates: every ``every_days`` days from :data:`ANCHOR` (so
    every Monday, whatever the launch), from ``months`` months before ``launch`` up to the
    day before it, oldest first (a proposal submitted on launch day is too late). Launches
    in one week share their dates, so they read the same probes."""
    earliest = months_before(launch, months)
    first = earliest + dt.timedelta(days=-(earliest - ANCHOR).days % every_days)
    return [first + dt.timedelta(days=every_days * k)
            for k in range((launch - first).days // every_days + 1)
            if first + dt.timedelta(days=every_days * k) < launch]


def tracked_step(scenario: Scenario, pathway: str, until: str) -> str | None:
    """The step label whose approval a plan ``until`` a milestone tracks (None: approval
    itself); PlanError for an unknown target or a pathway without steps after approval."""
    if until not in UNTIL:
        raise PlanError(f"until {until!r}: give one of {', '.join(UNTIL)}")
    if until == "approval":
        return None
    steps = milestone_steps(scenario).get(pathway)
    if steps is None:
        raise PlanError(f"pathway {pathway!r} has no steps after approval, so it has no "
                        f"{until} date; give them under after_approval.{pathway} in the "
                        "scenario, or plan until approval")
    return steps[MILESTONE_OF[until]]


def refined_dates(launch: dt.date, latest: dt.date | None, done: Sequence[dt.date],
                  days: int = REFINE_DAYS, months: int = MONTHS) -> list[dt.date]:
    """The second pass's dates: every day within ``days`` of ``latest`` (the first pass's
    latest safe date) and before ``launch``, except those in ``done``; none when ``latest``
    is None (no date was safe, and a later one cannot be)."""
    if latest is None:
        return []
    earliest = months_before(launch, months)
    wanted = (latest + dt.timedelta(days=offset) for offset in range(-days, days + 1))
    return [day for day in wanted if earliest <= day < launch and day not in set(done)]


def check_question(scenario: Scenario, pathway: str, level: str | None) -> str:
    """The level to plan for ("" when the pathway has no levels); PlanError naming the
    choices for an unknown pathway or level."""
    if pathway not in scenario.pathways or pathway not in scenario.demand:
        known = ", ".join(name for name in scenario.pathways if name in scenario.demand)
        raise PlanError(f"{scenario.name}: no pathway {pathway!r} with demand; choose one of: "
                        f"{known}")
    levels = sorted(scenario.demand[pathway].mix)
    if not levels:
        if level:
            raise PlanError(f"{scenario.name}: pathway {pathway!r} has no levels; leave out "
                            f"--level")
        return ""
    if level not in levels:
        raise PlanError(f"{scenario.name}: pathway {pathway!r} needs a level, one of: "
                        f"{', '.join(levels)}")
    return level


def planning_start(scenario: Scenario, first: dt.date) -> dt.date:
    """The first day of the planning calendar for a first candidate date ``first``: the
    scenario's own calendar start, moved by whole years only when it is less than the
    warm-up (at least a year) before ``first`` or more than :data:`MAX_LEAD_YEARS` years
    before it. Launches near each other so share one background history: their answers
    differ by what the launch date changes, not by luck."""
    warmup = max(scenario.warmup_days, MIN_WARMUP_DAYS)
    needed = first - dt.timedelta(days=math.ceil(warmup))
    start = scenario.calendar.start
    if start <= needed and (needed - start).days <= MAX_LEAD_YEARS * 365:
        return start
    moved = months_before(start, 12 * (start.year - needed.year))  # in needed's year
    return moved if moved <= needed else months_before(moved, 12)


def planning_scenario(scenario: Scenario, first: dt.date, last: dt.date) -> Scenario:
    """``scenario`` with its calendar starting on :func:`planning_start` for ``first`` and
    proposals arriving until :data:`TAIL_DAYS` after ``last``."""
    start = planning_start(scenario, first)
    horizon = (last - start).days + TAIL_DAYS
    return scenario.variant({"calendar.start": start.isoformat(),
                             "horizon_years": horizon / 365.0,
                             "warmup_years": (first - start).days / 365.0})


@dataclass(frozen=True, eq=False)
class LaunchProbes:
    """The probes of one launch: ``approved_at`` has shape (replications, dates, copies),
    days since ``start`` (the launch's planning calendar's first day) at which each probe
    submitted on ``dates[k]`` was approved (inf: never)."""

    launch: dt.date
    start: dt.date
    dates: tuple[dt.date, ...]
    approved_at: np.ndarray

    def curve(self, confidence: float) -> pd.DataFrame:
        """See :meth:`Plan.curve`."""
        deadline = (self.launch - self.start).days
        rows = [(day, *clustered_share(self.approved_at[:, k, :] < deadline))
                for k, day in enumerate(self.dates)]
        table = pd.DataFrame(rows, columns=["submitted", "p_approved", "ci95_low", "ci95_high"])
        table["p_monotone"] = non_increasing(table["p_approved"]) if len(table) else []
        return table

    def cycle_days(self, submitted: dt.date) -> tuple[float, float]:
        """See :meth:`Plan.cycle_days`."""
        k = self.dates.index(submitted)
        days = self.approved_at[:, k, :].ravel()
        days = days[np.isfinite(days)] - ((submitted - self.start).days + SUBMIT_HOUR)
        if not len(days):
            return math.nan, math.nan
        return float(np.median(days)), float(np.quantile(days, 0.9))

    def merged(self, other: LaunchProbes) -> LaunchProbes:
        """These probes and ``other``'s (same launch and calendar), by date."""
        dates = self.dates + other.dates
        order = sorted(range(len(dates)), key=dates.__getitem__)
        approved = np.concatenate([self.approved_at, other.approved_at], axis=1)
        return dataclasses.replace(self, dates=tuple(dates[k] for k in order),
                                   approved_at=approved[:, order, :])


def latest_safe(curve: pd.DataFrame, confidence: float) -> dt.date | None:
    """The latest submission date of ``curve`` that is safe at ``confidence``
    (:func:`~simlib.planning.probes.latest_index`); None when no date is."""
    index = latest_index(curve["p_approved"].to_numpy(), confidence) if len(curve) else None
    return None if index is None else curve["submitted"].iloc[index]


@dataclass(frozen=True, eq=False)
class Plan:
    """The probes for every launch (:class:`LaunchProbes`); read a launch's curve with
    :meth:`curve` and its answer with :meth:`latest_submission`."""

    scenario: Scenario
    pathway: str
    level: str
    launches: tuple[dt.date, ...]
    confidence: float
    replications: int
    seed: int
    copies: int
    probes: tuple[LaunchProbes, ...]
    as_of: dt.date | None = None  # "today", when the question was asked (deadline_study)
    over_draws: DrawLeads | None = None  # with --uncertainty: the first launch over the draws
    until: str = "approval"  # what must be reached before the launch: a key of UNTIL

    @property
    def uncertainty(self) -> dict | None:
        """The draws run (``mcsim plan --uncertainty``), or None."""
        return None if self.over_draws is None else self.over_draws.settings

    @property
    def latest_range(self) -> tuple[dt.date, dt.date] | None:
        """The first launch's latest safe date over what we don't know (earliest, latest),
        or None (without draws, or when too many draws have no safe date)."""
        return None if self.over_draws is None else self.over_draws.latest_range

    @property
    def grid(self) -> dict[str, int]:
        """The candidate dates: every ``weekly_days`` days (Mondays) over ``months`` months
        before a launch, then every day within ``daily_within`` days of the weekly answer."""
        return {"weekly_days": GRID_DAYS, "months": UNTIL[self.until],
                "daily_within": REFINE_DAYS}

    def _probes(self, launch: dt.date | None) -> LaunchProbes:
        launch = self.launches[0] if launch is None else launch
        for entry in self.probes:
            if entry.launch == launch:
                return entry
        raise PlanError(f"launch {launch} was not planned; plan for it first")

    def curve(self, launch: dt.date | None = None) -> pd.DataFrame:
        """Per candidate date (oldest first: weekly, then daily near the answer):
        submitted, p_approved (before ``launch``, default the first), ci95_low, ci95_high,
        and p_monotone: p_approved made non-increasing in the submission date (isotonic
        regression; submitting later never helps, so the wiggles of p_approved are Monte
        Carlo noise)."""
        return self._probes(launch).curve(self.confidence)

    def latest_submission(self, launch: dt.date | None = None) -> dt.date | None:
        """The latest candidate date at which the chance of approval before ``launch`` (its
        non-increasing estimate, ``p_monotone``) is at least the confidence; None when no
        date's is."""
        return latest_safe(self.curve(launch), self.confidence)

    def cycle_days(self, submitted: dt.date, launch: dt.date | None = None
                   ) -> tuple[float, float]:
        """(median, P90) days from submitting on ``submitted`` to approval (approved probes
        of ``launch``'s run only; NaN when none)."""
        return self._probes(launch).cycle_days(submitted)

    def deadlines(self) -> pd.DataFrame:
        """Per launch: launch, latest_submission (None when no date meets the confidence),
        p_approved there, and median_days / p90_days to approval from that date."""
        rows = []
        for launch in self.launches:
            table = self.curve(launch)
            latest = latest_safe(table, self.confidence)
            p = (float(table.loc[table["submitted"] == latest, "p_approved"].iloc[0])
                 if latest else math.nan)
            median, p90 = self.cycle_days(latest, launch) if latest else (math.nan, math.nan)
            rows.append((launch, latest, p, median, p90))
        return pd.DataFrame(rows, columns=["launch", "latest_submission", "p_approved",
                                           "median_days", "p90_days"])

    def to_dict(self, launch: dt.date | None = None) -> dict:
        """The JSON contract of ``mcsim plan`` for ``launch`` (default: the first)."""
        launch = self.launches[0] if launch is None else launch
        table = self.curve(launch)
        latest = latest_safe(table, self.confidence)
        median, p90 = self.cycle_days(latest, launch) if latest else (math.nan, math.nan)
        curve = [{"submitted": row.submitted.isoformat(), "p_approved": row.p_approved,
                  "ci95": [row.ci95_low, row.ci95_high], "p_monotone": row.p_monotone}
                 for row in table.itertuples()]
        return json_ready({
            "scenario": self.scenario.name, "pathway": self.pathway, "level": self.level or None,
            "launch": launch.isoformat(), "until": self.until, "confidence": self.confidence,
            "replications": self.replications, "seed": self.seed,
            "probes_per_date": int(self.copies * self.replications),
            "grid": self.grid,
            "latest_submission": latest.isoformat() if latest else None,
            "curve": curve,
            "cycle_days_if_submitted_latest": {"median": median, "p90": p90},
            **self._uncertain_dict(),
        })

    def _uncertain_dict(self) -> dict:
        """``latest_submission_range`` and ``uncertainty`` (with ``--uncertainty``)."""
        if self.uncertainty is None:
            return {}
        bounds = ([day.isoformat() for day in self.latest_range] if self.latest_range
                  else None)
        return {"latest_submission_range": bounds, "uncertainty": self.uncertainty}


def _probe_draws(variants: Sequence[Scenario], pathway: str, level: str, launch: dt.date,
                 dates: Sequence[dt.date], per_draw: int, seed: int, copies: int,
                 executor: cf.Executor | None, jobs: int | None,
                 step: str | None = None) -> LaunchProbes:
    """Probes on ``dates`` (``copies`` each) in every draw's planning scenario
    (``variants``), draw ``d`` on replications ``d*per_draw .. (d+1)*per_draw - 1``, stacked
    draw after draw: ``approved_at`` has shape (draws x per_draw, dates, copies) (the time
    of approval, or of the approval at ``step``: :func:`tracked_step`)."""
    start = variants[0].calendar.start
    probes = tuple(Probe((day - start).days + SUBMIT_HOUR, pathway, level)
                   for day in dates for _ in range(copies))
    measure = partial(tracked_approvals, probes=probes, step=step)
    rows = run([(variant, range(d * per_draw, (d + 1) * per_draw))
                for d, variant in enumerate(variants)], measure, seed, executor, jobs,
               progress=False)
    approved = np.array([row for draw in rows for row in draw], dtype=float)
    return LaunchProbes(launch, start, tuple(dates),
                        approved.reshape(len(variants) * per_draw, len(dates), copies))


def plan_launch(variants: Sequence[Scenario], pathway: str, level: str, launch: dt.date,
                confidence: float, per_draw: int, seed: int, copies: int = COPIES,
                executor: cf.Executor | None = None, jobs: int | None = None,
                until: str = "approval") -> LaunchProbes:
    """The probes of one launch in every draw (``variants``: the scenario at each draw):
    the weekly pass, then every day near its answer (the same replications: the background
    is the same, only the probes differ), tracking what must be reached ``until``."""
    months = UNTIL[until]
    step = tracked_step(variants[0], pathway, until)
    weekly = candidate_dates(launch, months)
    planned = [planning_scenario(variant, weekly[0], launch) for variant in variants]
    found = _probe_draws(planned, pathway, level, launch, weekly, per_draw, seed, copies,
                         executor, jobs, step)
    daily = refined_dates(launch, latest_safe(found.curve(confidence), confidence), weekly,
                          months=months)
    if daily:
        found = found.merged(_probe_draws(planned, pathway, level, launch, daily, per_draw,
                                          seed, copies, executor, jobs, step))
    return found


def plan_draws(scenario: Scenario, uncertainty: bool, draws: int | None,
               replications: int | None, seed: int | None, jobs: int | None
               ) -> tuple[Draws, int, int]:
    """(draws, replications per draw, seed) of a plan: with ``uncertainty`` the scenario's
    posterior draws (default :data:`~simlib.defaults.DEFAULTS`), else one draw
    of the scenario as it is with its replications."""
    if not uncertainty:
        return (AS_GIVEN, *run_settings(scenario, replications, seed, jobs))
    chosen = scenario_draws(scenario, draws or defaults("plan").draws)
    per_draw, seed = run_settings(scenario, replications or
                                  defaults("plan").replications_per_draw, seed, jobs)
    check_replications(chosen.count * per_draw)
    return chosen, per_draw, seed


def plan(
    scenario: Scenario, pathway: str, level: str | None, launches: dt.date | Sequence[dt.date],
    confidence: float = PLAN_CONFIDENCE, replications: int | None = None,
    seed: int | None = None, copies: int = COPIES, executor: cf.Executor | None = None,
    jobs: int | None = None, uncertainty: bool = False, draws: int | None = None,
    until: str = "approval",
) -> Plan:
    """Answer "by when must we submit?" for one or more launch dates, each on its own (see
    the module docstring). ``replications``/``seed`` default to the scenario's; ``copies``:
    probes per candidate date and replication. With ``uncertainty``, every launch runs at
    each of ``draws`` posterior draws (``replications`` per draw; see
    :mod:`simlib.planning.over_draws`), so its curve is averaged over what we don't know and
    the first launch's latest safe date has its range over the draws. Raises PlanError for
    an unknown pathway or level, a confidence outside (0, 1), or a launch out of range.
    ``until``: what must be reached before each launch (:data:`UNTIL`: approval, the badge
    live, or the first badges issued; the candidate dates then reach further back)."""
    launches = (launches,) if isinstance(launches, dt.date) else tuple(launches)
    if not launches:
        raise PlanError("give at least one launch date")
    if not 0.0 < confidence < 1.0:
        raise PlanError(f"confidence must be between 0 and 1 (e.g. 0.9), got {confidence:g}")
    for launch in launches:
        check_date(launch, "launch")
    level = check_question(scenario, pathway, level)
    tracked_step(scenario, pathway, until)  # refuse before anything runs
    chosen, per_draw, seed = plan_draws(scenario, uncertainty, draws, replications, seed, jobs)
    variants = draw_scenarios(scenario, chosen)
    found = tuple(plan_launch(variants, pathway, level, launch, confidence, per_draw, seed,
                              copies, executor, jobs, until)
                  for launch in dict.fromkeys(launches))
    spread = (over_the_draws(found[0], chosen, per_draw, confidence, seed) if uncertainty
              else None)
    return Plan(scenario, pathway, level, launches, confidence, chosen.count * per_draw, seed,
                copies, found, over_draws=spread, until=until)


# --- terms ---------------------------------------------------------------------------------


def term_name(start: dt.date) -> str:
    """"Spring 2027" (January to May), "Summer 2027" (June, July) or "Fall 2027"."""
    season = "Spring" if start.month <= 5 else "Summer" if start.month <= 7 else "Fall"
    return f"{season} {start.year}"


def next_terms(scenario: Scenario, after: dt.date, count: int = 4) -> list[dt.date]:
    """The first days of the next ``count`` terms starting after ``after`` (an academic
    calendar's terms; a continuous calendar: the first days of the next quarters)."""
    calendar = scenario.calendar
    if calendar.kind == "academic":
        firsts = sorted({first for first, _ in calendar.terms})
        days = [dt.date(year, int(first[:2]), int(first[3:]))
                for year in range(after.year, after.year + count + 2) for first in firsts]
    else:
        days = [dt.date(year, month, 1) for year in range(after.year, after.year + count + 2)
                for month in (1, 4, 7, 10)]
    return sorted(day for day in days if day > after)[:count]


def as_date(value: dt.date | str) -> dt.date:
    """A date from a date or a YYYY-MM-DD string (PlanError otherwise)."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise PlanError(f"{value!r} is not a date; write YYYY-MM-DD, e.g. 2027-08-23") from None


def deadline_study(
    scenario: Scenario, pathway: str, level: str | None, launch: dt.date | str,
    confidence: float = PLAN_CONFIDENCE, as_of: dt.date | str | None = None, terms: int = 4,
    replications: int | None = None, seed: int | None = None,
    executor: cf.Executor | None = None, jobs: int | None = None, until: str = "approval",
) -> Plan:
    """One :func:`plan` for ``launch`` and the first days of the next ``terms`` terms after
    ``as_of`` (default: today); its first launch is ``launch``, planned exactly as
    ``mcsim plan`` plans it (same date for the same seed and replications), until
    ``until``."""
    launch = as_date(launch)
    today = check_date(dt.date.today() if as_of in (None, "") else as_date(as_of), "as_of")
    upcoming = [day for day in next_terms(scenario, today, terms) if day != launch]
    result = plan(scenario, pathway, level, (launch, *upcoming), confidence, replications,
                  seed, executor=executor, jobs=jobs, until=until)
    return dataclasses.replace(result, as_of=today)


def plan_unknowns(
    scenario: Scenario, pathway: str, level: str | None, launch: dt.date | str,
    confidence: float = PLAN_CONFIDENCE, uncertainty: bool = True, draws: int | None = None,
    replications: int | None = None, seed: int | None = None, until: str = "approval",
) -> Plan | None:
    """The plan of ``launch`` (until ``until``) over the scenario's posterior draws
    (``draws`` x ``replications`` per draw), or None without ``uncertainty``."""
    if not uncertainty:
        return None
    return plan(scenario, pathway, level, as_date(launch), confidence, replications, seed,
                uncertainty=True, draws=draws, until=until)
