"""When must a proposal be submitted? The deadline planner (``mcsim plan``, report 06)."""

from __future__ import annotations

import concurrent.futures as cf
import dataclasses
import datetime as dt
from dataclasses import dataclass
from functools import partial

from simlib.defaults import PLAN_CONFIDENCE
from simlib.errors import PlanError
from simlib.metrics.events import milestone_steps
from simlib.planning import deadlines
from simlib.planning.deadlines import Plan, as_date, deadline_study, plan_unknowns
from simlib.scenario import Scenario

BADGE_DATES = ("first", "all")  # which launches plan(badge=...) plans to the badge live


@dataclass(frozen=True, eq=False)
class PlanAnswer:
    """The latest safe submission date for each launch (``plan``) and, with
    ``uncertainty``, the first launch over the posterior draws (``over_draws``: its range
    of latest safe dates; ``plan`` itself with ``mcsim plan --uncertainty``, whose curve is
    then averaged over what we don't know); with ``badge``, the first launch or all of
    them planned for the badge to be live by each (``to_badge``: the plan
    ``mcsim plan --until badge`` makes of each of its launches; None when not asked or
    the pathway has no steps after approval)."""

    plan: Plan
    over_draws: Plan | None = None
    to_badge: Plan | None = None

    def to_dict(self) -> dict:
        """The JSON of ``mcsim plan`` for the first launch."""
        return self.plan.to_dict()


def plan(
    scenario: Scenario, pathway: str, level: str | None, launch: dt.date | str,
    confidence: float = PLAN_CONFIDENCE, replications: int | None = None,
    seed: int | None = None, *, as_of: dt.date | str | None = None, terms: int = 0,
    uncertainty: bool = False, draws: int | None = None, draw_replications: int | None = None,
    executor: cf.Executor | None = None, jobs: int | None = None, until: str = "approval",
    badge: str | None = None,
) -> PlanAnswer:
    """By when must a ``pathway`` (``level``) proposal be submitted to be approved before
    ``launch`` with chance ``confidence``? With ``terms``, also for the first days of the
    next ``terms`` terms after ``as_of`` (default today). With ``uncertainty`` the first
    launch also runs at ``draws`` posterior draws with ``draw_replications`` runs each, for
    its range; without ``draw_replications`` the answer is those runs alone,
    ``replications`` per draw (as ``mcsim plan --uncertainty``). ``until``: what must be
    reached before the launch: ``approval`` (default), ``badge`` (the badge live) or
    ``first-badge`` (the first badges issued). With ``badge`` (:data:`BADGE_DATES`:
    ``"first"`` launch or ``"all"``; a pathway with steps after approval), those launches
    are planned again until the badge is live, with the same replications and seed
    (``to_badge``; the plan itself when ``until`` is ``badge``)."""
    if badge and badge not in BADGE_DATES:
        raise PlanError(f"badge {badge!r}: give one of {', '.join(BADGE_DATES)}, or none")
    launch = as_date(launch)
    planned = partial(_planned, scenario, pathway, level, launch, confidence, replications,
                      seed, as_of, over_draws=uncertainty and draw_replications is None,
                      draws=draws, executor=executor, jobs=jobs)
    found = planned(terms, until)
    to_badge = None
    if badge and pathway in milestone_steps(scenario):
        to_badge = (found if until == "badge" else dataclasses.replace(
            planned(terms if badge == "all" else 0, "badge"), as_of=found.as_of))
    if uncertainty and draw_replications is None:
        return PlanAnswer(found, found, to_badge)
    drawn = plan_unknowns(scenario, pathway, level, launch, confidence, uncertainty, draws,
                          draw_replications, found.seed, until)
    return PlanAnswer(found, drawn, to_badge)


def _planned(
    scenario: Scenario, pathway: str, level: str | None, launch: dt.date, confidence: float,
    replications: int | None, seed: int | None, as_of: dt.date | str | None, terms: int,
    until: str, *, over_draws: bool, draws: int | None, executor: cf.Executor | None,
    jobs: int | None,
) -> Plan:
    """The plan of :func:`plan` until ``until``: over the draws alone (``over_draws``, as
    ``mcsim plan --uncertainty``), for ``launch`` and the next ``terms`` terms, or for
    ``launch`` alone."""
    if over_draws:
        return deadlines.plan(scenario, pathway, level, launch, confidence, replications,
                              seed, executor=executor, jobs=jobs, uncertainty=True,
                              draws=draws, until=until)
    if terms:
        return deadline_study(scenario, pathway, level, launch, confidence, as_of, terms,
                              replications, seed, executor, jobs, until)
    return deadlines.plan(scenario, pathway, level, launch, confidence, replications, seed,
                          executor=executor, jobs=jobs, until=until)
