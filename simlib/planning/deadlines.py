"""The deadline planner: "to launch on date L, by when must we submit?"

For each candidate submission date on a weekly grid before the launch, the planner estimates
the probability that a proposal submitted that day is approved before the launch date,
given the other proposals in the pipeline and the calendar (a proposal submitted in May
meets the summer recess; one submitted in September does not).

How: each replication simulates the pipeline's usual proposals (the background) and, on
every candidate date, a few *probe* proposals of the chosen pathway and level
(:class:`simlib.engine.model.Probe`). A probe waits behind the proposals ahead of it at every
office and committee exactly as a real proposal would, but never delays anyone, so all
candidate dates share one simulation without changing each other's answer. The calendar
is moved so that the pipeline has run for the scenario's warm-up (at least a year) before
the first candidate date, and proposals keep arriving until a year after the last launch.

Probabilities carry their Monte Carlo uncertainty: a Wilson 95% interval whose effective
sample size comes from the spread between replications (the probes of one replication share
its background, so they are not independent).
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
from scipy import stats
from scipy.optimize import isotonic_regression

from simlib.engine.model import InProgress, Probe, simulate
from simlib.errors import PlanError
from simlib.experiments.runner import run, run_settings
from simlib.formats.jsonout import json_ready
from simlib.scenario import Scenario

SUBMIT_HOUR = 0.375  # probes are submitted at 9:00 in the morning
GRID_DAYS = 7  # candidate submission dates: one a week
MONTHS = 18  # ... over the 18 months before the launch
COPIES = 4  # probes per candidate date and replication
MIN_WARMUP_DAYS = 365  # the pipeline runs at least a year before the first candidate date
TAIL_DAYS = 365  # proposals keep arriving a year after the last launch
LEVEL = 0.95

KIND, TIME, PROPOSAL = 5, 6, 0  # positions in raw rows (simlib.engine.eventlog.RAW_FIELDS)



def months_before(day: dt.date, months: int) -> dt.date:
    """The same day of the month ``months`` earlier (the month's last day when shorter)."""
    month = day.month - 1 - months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def candidate_dates(launches: Sequence[dt.date], months: int = MONTHS,
                    every_days: int = GRID_DAYS) -> list[dt.date]:
    """Submission dates every ``every_days`` days going back from the latest launch to
    ``months`` months before the earliest, oldest first (the launch dates themselves are
    not candidates: a proposal submitted on launch day is too late)."""
    earliest = months_before(min(launches), months)
    last = max(launches)
    count = (last - earliest).days // every_days
    return [last - dt.timedelta(days=every_days * k) for k in range(count, 0, -1)]


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


def planning_scenario(scenario: Scenario, first: dt.date, last: dt.date) -> Scenario:
    """``scenario`` with its calendar starting ``max(warm-up, a year)`` before ``first`` and
    proposals arriving until :data:`TAIL_DAYS` after ``last``."""
    warmup = max(scenario.warmup_days, MIN_WARMUP_DAYS)
    start = first - dt.timedelta(days=math.ceil(warmup))
    horizon = (last - start).days + TAIL_DAYS
    return scenario.variant({"calendar.start": start.isoformat(),
                             "horizon_years": horizon / 365.0,
                             "warmup_years": warmup / 365.0})


def tracked_approvals(
    scenario: Scenario, seed: int, replication: int, probes: tuple[Probe, ...] = (),
    pipeline: tuple[InProgress, ...] = (),
) -> np.ndarray:
    """The approval time (days since the calendar start; inf when withdrawn or never
    approved) of each probe, then of each pipeline proposal, in one replication (a measure
    for the runner: bind ``probes`` and ``pipeline`` with :func:`functools.partial`)."""
    result = np.full(len(probes) + len(pipeline), np.inf)
    for row in simulate(scenario, seed, replication, probes=probes, pipeline=pipeline).rows:
        proposal = row[PROPOSAL]
        if row[KIND] == "approved" and proposal < len(pipeline):
            result[-proposal - 1 if proposal < 0 else len(probes) + proposal] = row[TIME]
    return result


def run_tracked(
    scenario: Scenario, replications: int, seed: int, probes: tuple[Probe, ...] = (),
    pipeline: tuple[InProgress, ...] = (), executor: cf.Executor | None = None,
    jobs: int | None = None,
) -> np.ndarray:
    """:func:`tracked_approvals` for replications 0..replications-1, shape (replications,
    probes + pipeline), through the runner (on ``executor`` or a local pool of ``jobs``
    processes; 1: this process)."""
    measure = partial(tracked_approvals, probes=probes, pipeline=pipeline)
    [rows] = run([(scenario, range(replications))], measure, seed, executor, jobs,
                 progress=False)
    return np.array(rows).reshape(replications, len(probes) + len(pipeline))


def wilson(successes: float, n: float, level: float = LEVEL) -> tuple[float, float]:
    """The Wilson score interval of a proportion ``successes / n`` (n may be fractional)."""
    if n <= 0:
        return math.nan, math.nan
    z = stats.norm.ppf(0.5 + level / 2.0)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def clustered_share(hits: np.ndarray, level: float = LEVEL) -> tuple[float, float, float]:
    """(share, low, high): the share of True in ``hits`` (replications x copies) with a
    Wilson interval at the effective sample size that the spread of the per-replication
    shares implies (between one per replication and one per probe)."""
    replications, copies = hits.shape
    shares = hits.mean(axis=1)
    p = float(shares.mean())
    total = replications * copies
    variance = float(shares.var(ddof=1)) / replications if replications > 1 else math.nan
    if not math.isfinite(variance) or variance <= 0.0:
        effective = float(total)
    else:
        effective = min(max(p * (1.0 - p) / variance, replications), total)
    low, high = wilson(p * effective, effective, level)
    return p, min(low, p), max(high, p)  # rounding must not put the share outside


@dataclass(frozen=True, eq=False)
class Plan:
    """Probe outcomes for every candidate date; read a launch's curve with :meth:`curve`.

    ``approved_at``: shape (replications, dates, copies), days since ``start`` (the
    planning calendar's first day) at which each probe was approved (inf: never).
    """

    scenario: Scenario
    pathway: str
    level: str
    launches: tuple[dt.date, ...]
    confidence: float
    replications: int
    seed: int
    start: dt.date
    dates: tuple[dt.date, ...]
    approved_at: np.ndarray
    as_of: dt.date | None = None  # "today", when the question was asked (deadline_study)

    def _launch(self, launch: dt.date | None) -> dt.date:
        return self.launches[0] if launch is None else launch

    def _candidates(self, launch: dt.date) -> list[int]:
        earliest = months_before(launch, MONTHS)
        return [k for k, day in enumerate(self.dates) if earliest <= day < launch]

    def curve(self, launch: dt.date | None = None) -> pd.DataFrame:
        """Per candidate date (oldest first): submitted, p_approved (before ``launch``,
        default the first), ci95_low, ci95_high, and p_monotone: p_approved made
        non-increasing in the submission date (isotonic regression; submitting later
        never helps, so the wiggles of p_approved are Monte Carlo noise)."""
        launch = self._launch(launch)
        deadline = (launch - self.start).days
        rows = []
        for k in self._candidates(launch):
            p, low, high = clustered_share(self.approved_at[:, k, :] < deadline)
            rows.append((self.dates[k], p, low, high))
        table = pd.DataFrame(rows, columns=["submitted", "p_approved", "ci95_low", "ci95_high"])
        table["p_monotone"] = (isotonic_regression(table["p_approved"], increasing=False).x
                               if len(table) else [])
        return table

    def latest_submission(self, launch: dt.date | None = None) -> dt.date | None:
        """The latest candidate date at which the chance of approval before ``launch`` (its
        non-increasing estimate, ``p_monotone``) is at least the confidence; None when no
        date's is."""
        return self._latest(self.curve(launch))

    def _latest(self, curve: pd.DataFrame) -> dt.date | None:
        """:meth:`latest_submission` from a :meth:`curve` table already computed."""
        meeting = curve[curve["p_monotone"] >= self.confidence - 1e-12]
        return None if meeting.empty else meeting["submitted"].iloc[-1]

    def cycle_days(self, submitted: dt.date) -> tuple[float, float]:
        """(median, P90) days from submitting on ``submitted`` to approval (approved probes
        only; NaN when none)."""
        k = self.dates.index(submitted)
        days = self.approved_at[:, k, :].ravel()
        days = days[np.isfinite(days)] - ((submitted - self.start).days + SUBMIT_HOUR)
        if not len(days):
            return math.nan, math.nan
        return float(np.median(days)), float(np.quantile(days, 0.9))

    def deadlines(self) -> pd.DataFrame:
        """Per launch: launch, latest_submission (None when no date meets the confidence),
        p_approved there, and median_days / p90_days to approval from that date."""
        rows = []
        for launch in self.launches:
            table = self.curve(launch)
            latest = self._latest(table)
            p = (float(table.loc[table["submitted"] == latest, "p_approved"].iloc[0])
                 if latest else math.nan)
            median, p90 = self.cycle_days(latest) if latest else (math.nan, math.nan)
            rows.append((launch, latest, p, median, p90))
        return pd.DataFrame(rows, columns=["launch", "latest_submission", "p_approved",
                                           "median_days", "p90_days"])

    def to_dict(self, launch: dt.date | None = None) -> dict:
        """The JSON contract of ``mcsim plan`` for ``launch`` (default: the first)."""
        launch = self._launch(launch)
        table = self.curve(launch)
        latest = self._latest(table)
        median, p90 = self.cycle_days(latest) if latest else (math.nan, math.nan)
        curve = [{"submitted": row.submitted.isoformat(), "p_approved": row.p_approved,
                  "ci95": [row.ci95_low, row.ci95_high], "p_monotone": row.p_monotone}
                 for row in table.itertuples()]
        return json_ready({
            "scenario": self.scenario.name, "pathway": self.pathway, "level": self.level or None,
            "launch": launch.isoformat(), "confidence": self.confidence,
            "replications": self.replications, "seed": self.seed,
            "probes_per_date": int(self.approved_at.shape[2] * self.replications),
            "latest_submission": latest.isoformat() if latest else None,
            "curve": curve,
            "cycle_days_if_submitted_latest": {"median": median, "p90": p90},
        })


def plan(
    scenario: Scenario, pathway: str, level: str | None, launches: dt.date | Sequence[dt.date],
    confidence: float = 0.9, replications: int | None = None, seed: int | None = None,
    copies: int = COPIES, executor: cf.Executor | None = None, jobs: int | None = None,
) -> Plan:
    """Answer "by when must we submit?" for one or more launch dates at once (see the
    module docstring). ``replications``/``seed`` default to the scenario's; ``copies``:
    probes per candidate date and replication. Raises PlanError for an unknown pathway or
    level, or a confidence outside (0, 1)."""
    launches = (launches,) if isinstance(launches, dt.date) else tuple(launches)
    if not launches:
        raise PlanError("give at least one launch date")
    if not 0.0 < confidence < 1.0:
        raise PlanError(f"confidence must be between 0 and 1 (e.g. 0.9), got {confidence:g}")
    level = check_question(scenario, pathway, level)
    count, seed = run_settings(scenario, replications, seed, jobs)
    dates = candidate_dates(launches)
    variant = planning_scenario(scenario, dates[0], max(launches))
    start = variant.calendar.start
    probes = tuple(Probe((day - start).days + SUBMIT_HOUR, pathway, level)
                   for day in dates for _ in range(copies))
    approved = run_tracked(variant, count, seed, probes, executor=executor, jobs=jobs)
    return Plan(scenario, pathway, level, launches, confidence, count, seed, start,
                tuple(dates), approved.reshape(count, len(dates), copies))


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
    confidence: float = 0.9, as_of: dt.date | str | None = None, terms: int = 4,
    replications: int | None = None, seed: int | None = None,
    executor: cf.Executor | None = None, jobs: int | None = None,
) -> Plan:
    """One :func:`plan` for ``launch`` and the first days of the next ``terms`` terms after
    ``as_of`` (default: today), from one simulation. Its first launch is ``launch``."""
    launch = as_date(launch)
    today = dt.date.today() if as_of in (None, "") else as_date(as_of)
    upcoming = [day for day in next_terms(scenario, today, terms) if day != launch]
    result = plan(scenario, pathway, level, (launch, *upcoming), confidence, replications,
                  seed, executor=executor, jobs=jobs)
    return dataclasses.replace(result, as_of=today)
