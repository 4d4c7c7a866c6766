"""The SimPy model of an approval pipeline. No I/O: it returns an :class:`EventLog`.

Proposals arrive per pathway (Poisson, optionally seasonal), visit their pathway's steps in
order, and at each step are reviewed by a body: an office reviews on working days with
``staff`` reviewers; a committee's ``members`` review, then the item waits for a meeting
(agenda deadline, agenda limit, cancellations) where it is decided. A decision approves,
asks for revision (the proposer reworks, then the proposal returns to the same body), or
withdraws the proposal. Parallel groups review at once and move on when all approve.
The bodies, one class per ``kind``, are in :mod:`simlib.engine.bodies`.

Two optional inputs serve planning questions (:mod:`simlib.engine.ghosts`).
*Probes* (:class:`Probe`) are ghost proposals: each waits its turn behind the proposals ahead
of it but never delays anyone. The *pipeline* (:class:`InProgress`) holds real proposals
already part-way through at time 0 (a warm start from the current state).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field
from functools import partial

import simpy

from simlib.engine.bodies import OfficeBody, body_class
from simlib.engine.calendar import WorkCalendar, first_start, work_calendar
from simlib.engine.distributions import BLOCK, duration_sampler, uniform_sampler
from simlib.engine.eventlog import EventLog
from simlib.engine.ghosts import GhostDesk, InProgress, Probe, check_entry
from simlib.engine.randomness import Streams
from simlib.engine.rules import ProbeDraws, SummerAuthority
from simlib.scenario import Scenario, Step, labelled_steps

PROBE_BLOCK = 8  # a probe group draws few numbers: small blocks keep it cheap


def _ghost(body: OfficeBody, draws: ProbeDraws, proposal: Proposal, step: str,
           round_: int, days: Callable[[], float] | None = None,
           background: bool = False) -> Generator:
    """``body``'s ghost review with the probe group's ``draws`` (review ``days`` instead
    of theirs when given: a rework visit)."""
    if days is not None:
        draws = dataclasses.replace(draws, days=days)
    return body.ghost_review(proposal, step, round_, draws, background)


__all__ = ["DRAIN_YEARS", "InProgress", "Model", "Probe", "Proposal", "simulate"]

DRAIN_YEARS = 10  # after arrivals stop, proposals in progress may run this long


@dataclass
class Proposal:
    """A proposal in the pipeline; ``attributes`` (its pathway, level and those drawn from
    ``demand.<pathway>.attributes``) are set when it is created; ``revisions`` counts the
    revisions asked of it so far, at any step."""

    id: int
    pathway: str
    level: str
    attributes: dict[str, str] = field(default_factory=dict)
    revisions: int = 0

    def __post_init__(self) -> None:
        self.attributes = {"pathway": self.pathway, "level": self.level, **self.attributes}


@dataclass
class StepRunner:
    """Runs one step (body visit with its revision loop) for proposals."""

    model: Model
    step: Step
    label: str
    body: OfficeBody | GhostDesk
    decide: Callable[[], float] | None = None
    rework_days: Callable[[], float] | None = None
    days: Callable[[], float] | None = None  # the step's own review times (else the body's)
    background: bool = False  # after approval: gives way to approvals at a shared office
    back_to: int | None = None  # the item a revision goes back to (after approval)
    revise_p: float = field(init=False, default=0.0)
    conditional: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        self.revise_p = self.step.revise.p if self.step.revise else 0.0
        self.conditional = self.step.conditional

    def run(self, proposal: Proposal, round_: int = 0) -> Generator:
        """Visit the body from revision round ``round_`` until it approves (returns True) or
        the proposal is withdrawn."""
        while True:
            decision = yield from self.visit(proposal, round_)
            if decision != "revise":
                return decision == "approve"
            proposal.revisions += 1
            yield self.model.env.timeout(self.rework_days())
            round_ += 1

    def visit(self, proposal: Proposal, round_: int,
              days: Callable[[], float] | None = None, opens: float | None = None
              ) -> Generator:
        """One visit in revision round ``round_`` (held until the step's start date when it
        has one, or until ``opens`` when given: a resumed pipeline entry's; reviewed for
        ``days`` when given: a rework); returns the decision."""
        model, label, body = self.model, self.label, self.body
        model.record(proposal, label, body.name, "arrive", round_)
        if self.step.starts is not None:
            now = model.env.now
            begin = model.calendar.next_start(now, self.step.starts) if opens is None else \
                max(now, opens)
            yield model.env.timeout(begin - now)
        yield from body.review(proposal, label, round_, days or self.days, self.background)
        # Without a decision stream (no withdraw_p, no revise) the body always approves.
        decision = "approve" if self.decide is None else self._decision(round_)
        model.record(proposal, label, body.name, decision, round_)
        return decision

    def _decision(self, round_: int) -> str:
        """Draw the body's decision after round ``round_``: approve, revise or withdraw."""
        step, draw = self.step, self.decide()
        if draw < step.withdraw_p:
            return "withdraw"
        limit = step.revise.max_rounds if step.revise else None
        if draw < step.withdraw_p + self.revise_p and (limit is None or round_ < limit):
            return "revise"
        return "approve"


class Model:
    """One replication of a scenario. Build, :meth:`run`, then read :attr:`rows`.

    ``probes`` (ids -1, -2, ...) and ``pipeline`` (ids 0, 1, ...; arrivals number on from
    there): see :class:`Probe` and :class:`InProgress`. Without them the run is exactly the
    plain one; probes draw only from their own ``probe.*`` streams, one for the probes
    submitted at one time.
    """

    def __init__(
        self, scenario: Scenario, seed: int, replication: int = 0,
        probes: Sequence[Probe] = (), pipeline: Sequence[InProgress] = (),
    ):
        self.scenario = scenario
        self.probes, self.pipeline = tuple(probes), tuple(pipeline)
        for entry in (*self.probes, *self.pipeline):
            check_entry(scenario, entry)
        self.env = simpy.Environment()
        self.streams = Streams(seed, replication)
        self.replication = replication
        n_days = math.ceil(scenario.horizon_days) + 365 * DRAIN_YEARS
        self.calendar: WorkCalendar = work_calendar(scenario.calendar, n_days)
        self.rows: list[tuple] = []
        self.work: list[tuple] = []  # (body, activity, time, people, items): see EventLog
        self.in_progress = 0
        self.submitted = len(self.pipeline)
        self.arrivals_open = len(scenario.demand)
        self.all_done = self.env.event()
        # the offices working after approval (a proposer body has no queue to share)
        self.background_bodies = {step.body for steps in scenario.after_approval.values()
                                  for step in steps}
        self.bodies = {
            name: body_class(spec.kind)(self, name, spec)
            for name, spec in sorted(scenario.bodies.items())
        }
        self.routes = {name: self._route(name, steps) for name, steps in scenario.pathways.items()}
        self.after_routes = {name: self._after_route(name)
                             for name in scenario.after_approval if name in scenario.pathways}
        authority = scenario.summer_authority
        if authority is not None:
            self.bodies[authority.body].authority = SummerAuthority(
                self.bodies[authority.body], [self.bodies[name] for name in authority.for_])
        self.attribute_draws = {
            pathway: self._attribute_draws(pathway, lambda name, p=pathway:
                                           f"attribute.{p}.{name}", BLOCK)
            for pathway, demand in scenario.demand.items() if demand.attributes
        }

    def _route(self, pathway: str, steps: tuple) -> list[list[StepRunner]]:
        """Each pathway item as a list of runners (one, or one per parallel branch)."""
        return [[self._runner(pathway, step, label) for label, step in item]
                for item in labelled_steps(steps)]

    def _after_route(self, pathway: str) -> list[StepRunner]:
        """The runners of the pathway's ``after_approval`` steps, in order: each reviews
        from a stream of its own (the body's times unless the step gives its own), in the
        background at an office, and knows the item its revisions go back to."""
        runners = [self._runner(pathway, step, label, after=True)
                   for label, step in self.scenario.after_steps(pathway)]
        _link_back(runners, self.scenario.sent_back(pathway))
        return runners

    def _runner(self, pathway: str, step: Step, label: str, after: bool = False) -> StepRunner:
        """A step runner with its own decision and rework streams (when it needs them) and,
        for a step with its own review times or after approval, its own review stream."""
        body = self.bodies[step.body]
        runner = StepRunner(self, step, label, body, background=after)
        if step.withdraw_p > 0.0 or step.revise is not None:
            runner.decide = uniform_sampler(self.streams(f"decision.{pathway}.{label}"))
        if step.revise is not None:
            rework = self.streams(f"rework.{pathway}.{label}")
            runner.rework_days = duration_sampler(step.revise.rework_days, rework)
        if step.review_days is not None or after:
            times = step.review_days or self.scenario.bodies[step.body].review_days
            runner.days = duration_sampler(times, self.streams(f"review.{pathway}.{label}"))
        return runner

    def _ghost_route(self, probe: Probe) -> tuple[list[list[StepRunner]], list[StepRunner]]:
        """The runners of the probes submitted with ``probe`` (same time, pathway, level),
        to approval (per item) and after it:
        ghost reviews, and every draw (review times, decisions, rework) from one stream of
        their own, so their journeys depend only on the background and that stream, not
        on which other probes ride along (common random numbers across plans)."""
        rng = self.streams(f"probe.{probe.pathway}.{probe.level}.{probe.time!r}")
        route = []
        approval = len(self.scenario.pathways[probe.pathway])
        for position, item in enumerate(self.scenario.journey(probe.pathway)):
            runners = []
            for label, step in item:
                body = self.bodies[step.body]
                draws = self._probe_draws(step, rng)
                runner = StepRunner(self, step, label,
                                    GhostDesk(body.name, partial(_ghost, body, draws)),
                                    background=position >= approval)
                runner.decide = uniform_sampler(rng, PROBE_BLOCK)
                if step.revise is not None:
                    runner.rework_days = duration_sampler(step.revise.rework_days, rng,
                                                          PROBE_BLOCK)
                runners.append(runner)
            route.append(runners)
        after = [runners[0] for runners in route[approval:]]
        _link_back(after, self.scenario.sent_back(probe.pathway))
        return route[:approval], after

    def _probe_draws(self, step: Step, rng) -> ProbeDraws:
        """A probe group's draws at ``step``: review days (the step's own times, else its
        body's), and for a committee with rules the uniforms and chair's days they need
        (none otherwise: nothing else shifts)."""
        body = step.body
        spec = self.scenario.bodies[body]
        days = duration_sampler(step.review_days or spec.review_days, rng, PROBE_BLOCK)
        rules = getattr(self.bodies[body], "rules", None)
        if not rules:
            return ProbeDraws(days)
        delegate = getattr(spec, "delegate", None)
        chair = (duration_sampler(delegate.review_days, rng, PROBE_BLOCK)
                 if delegate is not None else None)
        return ProbeDraws(days, uniform_sampler(rng, PROBE_BLOCK), chair)

    def _attribute_draws(self, pathway: str, stream: Callable[[str], str],
                         block: int = PROBE_BLOCK) -> list[tuple]:
        """(name, shares, uniform sampler) per attribute of ``pathway``'s demand; the
        sampler of attribute ``name`` draws from stream ``stream(name)`` (one stream for
        all when ``stream`` gives one name), ``block`` uniforms at a time."""
        demand = self.scenario.demand.get(pathway)
        if demand is None or not demand.attributes:
            return []
        names = sorted(demand.attributes)
        samplers = {key: uniform_sampler(self.streams(key), block)
                    for key in {stream(name) for name in names}}
        return [(name, sorted(demand.attributes[name].items()), samplers[stream(name)])
                for name in names]

    def draw_attributes(self, pathway: str, draws: list | None = None) -> dict[str, str]:
        """The drawn attributes of a new proposal of ``pathway`` (each from its stream, or
        from ``draws``: a probe group's or the pipeline's)."""
        draws = self.attribute_draws.get(pathway, ()) if draws is None else draws
        return {name: _pick(shares, draw()) for name, shares, draw in draws}

    def record(self, proposal: Proposal, step: str, body: str, kind: str, round_: int) -> None:
        """Append one event at the current time."""
        self.rows.append(
            (proposal.id, proposal.pathway, proposal.level, step, body, kind, self.env.now, round_)
        )

    def run(self) -> list[tuple]:
        """Simulate until every proposal and probe has left, or the drain period is over."""
        self.in_progress += len(self.pipeline) + len(self.probes)
        if self.pipeline:
            self.env.process(self._resume_pipeline())
        else:
            self._open()
        self._check_done()
        limit = self.env.timeout(self.calendar.n_days)
        self.env.run(until=self.env.any_of([self.all_done, limit]))
        return self.rows

    def _open(self) -> None:
        """Start the arrivals, then the probes."""
        for pathway in sorted(self.scenario.demand):
            self.env.process(self._arrivals(pathway))
        routes: dict[Probe, list] = {}
        draws: dict[Probe, list] = {}
        for index, probe in enumerate(self.probes):
            if probe not in routes:
                routes[probe] = self._ghost_route(probe)
                draws[probe] = self._attribute_draws(
                    probe.pathway,
                    lambda _, p=probe: f"probe-attributes.{p.pathway}.{p.level}.{p.time!r}")
            attributes = self.draw_attributes(probe.pathway, draws[probe])
            proposal = Proposal(-index - 1, probe.pathway, probe.level, attributes)
            self.env.process(self._probe(proposal, probe.time, *routes[probe]))

    def submit(self, proposal: Proposal, at: float) -> simpy.Process:
        """Submit ``proposal`` at day ``at`` (>= now): it enters its pathway then, as an
        arrival would, and logs its events like any other. Returns the SimPy process of its
        journey; run the environment (``model.env.run(until=...)``) to take it through.

        For exact traces (one proposal at a known time) without Poisson arrivals: build the
        model, submit, run until the processes end, then read :meth:`event_log`.
        """
        if not self.env.now <= at < math.inf:
            raise ValueError(f"submit at day {at!r}: must be a day >= now ({self.env.now})")
        check_entry(self.scenario, Probe(at, proposal.pathway, proposal.level))
        self.in_progress += 1
        return self.env.process(self._submit_at(proposal, at))

    def _submit_at(self, proposal: Proposal, at: float) -> Generator:
        yield self.env.timeout(at - self.env.now)
        yield from self._journey(proposal)

    def event_log(self) -> EventLog:
        """The events logged so far, as this replication's :class:`EventLog`."""
        scenario = self.scenario
        return EventLog(tuple(self.rows), self.replication, scenario.calendar.start,
                        scenario.name, tuple(self.work))

    def _probe(self, proposal: Proposal, time: float, route: list,
               after: list[StepRunner]) -> Generator:
        """Submit a probe at ``time`` and take it through its ghost ``route`` and ``after``
        approval."""
        yield self.env.timeout(time)
        yield from self._journey(proposal, route, after=after)

    def _resume_pipeline(self) -> Generator:
        """Log each pipeline entry's submit (at its own, past time) and put it back in its
        step's queue at time 0, earliest ``since`` first, each queued before the next (its
        parallel branches too: process starts outrank the zero wait); then :meth:`_open`.
        """
        order = sorted(range(len(self.pipeline)), key=lambda index: self.pipeline[index].since)
        draws = {pathway: self._attribute_draws(pathway, lambda n, p=pathway:
                                                f"pipeline-attribute.{p}.{n}")
                 for pathway in {entry.pathway for entry in self.pipeline}}
        for index in order:
            entry = self.pipeline[index]
            proposal = Proposal(index, entry.pathway, entry.level,
                                self.draw_attributes(entry.pathway, draws[entry.pathway]))
            self.rows.append((index, entry.pathway, entry.level, "", "", "submit",
                              entry.submitted, 0))
            route = self.routes[entry.pathway]
            item = next((i for i, runners in enumerate(route)
                         if any(runner.label == entry.step for runner in runners)), None)
            if item is None:  # a step after approval: approved by the day it got there
                self.rows.append((index, entry.pathway, entry.level, "", "", "approved",
                                  entry.since, 0))
                self.env.process(self._resume_after(proposal, entry))
            else:
                self.env.process(self._journey(proposal, route[item:],
                                               {entry.step: entry.round}))
            yield self.env.timeout(0)
        self._open()

    def _resume_after(self, proposal: Proposal, entry: InProgress) -> Generator:
        """Take a pipeline entry at a step after approval on through the steps after
        approval from that step (see :class:`InProgress`), then let the run end."""
        runners = self.after_routes[entry.pathway]
        index = next(i for i, runner in enumerate(runners) if runner.label == entry.step)
        yield from self._after(proposal, runners, {entry.step: entry.round}, index,
                               self._resumed_start(runners[index], entry.since))
        self.in_progress -= 1
        self._check_done()

    def _resumed_start(self, runner: StepRunner, since: float) -> tuple | None:
        """(review days, start) of a pipeline entry's visit to ``runner``'s step, reached
        at ``since``, when the step starts on a date (a first offering); else None. The
        start is the first on or after the day it reached the step; if that has come (day
        <= 0) the step is under way and its review runs from now for its drawn days less
        the calendar days since it started (none left: at once)."""
        starts = runner.step.starts
        if starts is None:
            return None
        opens = first_start(self.scenario.calendar, since, starts)
        if opens > 0.0:
            return None, opens
        days = runner.days  # a step after approval has its own review stream
        return (lambda: max(0.0, days() + opens)), 0.0

    def _arrivals(self, pathway: str) -> Generator:
        """Poisson arrivals (thinned by monthly seasonality) until the horizon; the run lasts
        at least that long (meetings are held, and their hours counted, to the end)."""
        demand = self.scenario.demand[pathway]
        gaps = uniform_sampler(self.streams(f"arrivals.{pathway}"))
        mix = uniform_sampler(self.streams(f"mix.{pathway}"))
        weights = demand.seasonality
        peak = max(weights) * 12 / sum(weights) if weights else 1.0
        rate = demand.per_year * peak / 365.0
        levels = sorted(demand.mix.items())
        time = 0.0
        while rate > 0.0:
            time += -math.log1p(-gaps()) / rate
            if time >= self.scenario.horizon_days:
                break
            if weights:
                month = self.calendar.date_of(time).month
                keep = gaps() * peak < weights[month - 1] * 12 / sum(weights)
                if not keep:
                    continue
            level = _pick(levels, mix()) if levels else ""
            yield self.env.timeout(time - self.env.now)
            proposal = Proposal(self.submitted, pathway, level, self.draw_attributes(pathway))
            self.submitted += 1
            self.in_progress += 1  # now, not when the journey starts: else the last may be cut
            self.env.process(self._journey(proposal))
        if self.env.now < self.scenario.horizon_days:  # the bodies work on to the horizon,
            yield self.env.timeout(self.scenario.horizon_days - self.env.now)  # for hours
        self.arrivals_open -= 1
        self._check_done()

    def _journey(
        self, proposal: Proposal, route: list | None = None, rounds: dict | None = None,
        after: list[StepRunner] | None = None,
    ) -> Generator:
        """Take a proposal through its pathway (``route``: a probe's); log its outcome
        (``approved`` or ``withdrawn``), then take an approved one through the steps
        ``after`` approval (a probe's; default the pathway's ``after_approval``).

        A pipeline entry resumes part-way: ``route`` holds the items still to visit, the first
        from the revision ``rounds`` given by step label; its submit is logged already.
        """
        if rounds is None:
            self.record(proposal, "", "", "submit", 0)
        outcome = "approved"
        for runners in self.routes[proposal.pathway] if route is None else route:
            if rounds is None and len(runners) == 1 and not runners[0].conditional:
                approved = yield from runners[0].run(proposal)  # the common case, made fast
            else:
                approved = yield from self._visit(proposal, runners, rounds)
                rounds = None
            if not approved:
                outcome = "withdrawn"
                break
        self.record(proposal, "", "", outcome, 0)
        if after is None:
            after = self.after_routes.get(proposal.pathway)
        if after and outcome == "approved":
            yield from self._after(proposal, after)
        self.in_progress -= 1
        self._check_done()

    def _after(self, proposal: Proposal, runners: list[StepRunner],
               rounds: dict | None = None, index: int = 0,
               resumed: tuple | None = None) -> Generator:
        """Take an approved proposal through the ``runners`` after approval from item
        ``index`` (revision ``rounds`` by step label, default 0; ``resumed``: the review
        days and start of that first visit, a pipeline entry's: see
        :meth:`_resumed_start`): a revision goes back to the runner's ``back_to`` item,
        whose body then reworks for the reviser's ``rework_days`` (else, as before
        approval, the proposer reworks and the same step reviews again). Returns when the
        last step approves or one withdraws."""
        rounds = dict(rounds or {})
        rework, opens = resumed or (None, None)
        while index < len(runners):
            runner = runners[index]
            if runner.conditional and not runner.step.applies_to(proposal.attributes,
                                                                 proposal.revisions):
                index += 1
                if resumed is not None:  # the resumed visit's own days and start: not its
                    rework = opens = resumed = None  # successor's
                continue
            round_ = rounds.get(runner.label, 0)
            decision = yield from runner.visit(proposal, round_, rework, opens)
            rework = opens = resumed = None
            if decision == "withdraw":
                return
            if decision == "approve":
                index += 1
                continue
            proposal.revisions += 1
            rounds[runner.label] = round_ + 1
            if runner.back_to is None:
                yield self.env.timeout(runner.rework_days())
                continue
            index, rework = runner.back_to, runner.rework_days
            back = runners[index].label
            rounds[back] = rounds.get(back, 0) + 1

    def _visit(
        self, proposal: Proposal, runners: list[StepRunner], rounds: dict | None = None,
    ) -> Generator:
        """Run the ``runners`` that apply to the proposal, at once (each from its revision
        round in ``rounds``, by label; default 0); True if all approve."""
        active = [r for r in runners
                  if r.step.applies_to(proposal.attributes, proposal.revisions)]
        if not active:
            return True
        rounds = rounds or {}
        if len(active) == 1:
            return (yield from active[0].run(proposal, rounds.get(active[0].label, 0)))
        visits = [self.env.process(r.run(proposal, rounds.get(r.label, 0))) for r in active]
        results = yield self.env.all_of(visits)
        return all(results.values())

    def _check_done(self) -> None:
        if self.in_progress == 0 and self.arrivals_open == 0 and not self.all_done.triggered:
            self.all_done.succeed()


def _link_back(runners: list[StepRunner], sent_back: dict[str, str]) -> None:
    """Set each runner's ``back_to``: the position in ``runners`` of the step its
    revisions go back to (``sent_back``: :meth:`~simlib.scenario.Scenario.sent_back`)."""
    where = {runner.label: index for index, runner in enumerate(runners)}
    for runner in runners:
        if runner.label in sent_back:
            runner.back_to = where[sent_back[runner.label]]


def _pick(levels: list[tuple[str, float]], draw: float) -> str:
    """The level whose cumulative share first exceeds ``draw``."""
    total = 0.0
    for level, share in levels:
        total += share
        if draw < total:
            return level
    return levels[-1][0]


def simulate(
    scenario: Scenario, seed: int | None = None, rep: int = 0,
    probes: Sequence[Probe] = (), pipeline: Sequence[InProgress] = (),
) -> EventLog:
    """Run replication ``rep`` of ``scenario`` with ``seed`` (default: the scenario's seed).

    ``probes``: ghost proposals (ids -1, -2, ...) that wait in the queues but delay nobody;
    ``pipeline``: proposals in progress at time 0 (ids 0, 1, ...; arrivals number on).
    Returns the replication's :class:`EventLog`; times are days from the calendar start
    (a pipeline entry's submit may be negative). ValueError for an unknown pathway, level
    or step of a probe or entry.
    """
    seed = scenario.seed if seed is None else seed
    model = Model(scenario, seed, rep, probes, pipeline)
    model.run()
    return model.event_log()
