"""The bodies that review proposals, one class per scenario body ``kind``, in :data:`BODY_KINDS`.

Each body class owns what differs between kinds: its capacity (reviewers in parallel), its
review process in the model, its load basis (what "full" means: reviewer time at offices,
agenda places at committees, and how load is computed from it) and the days it is closed.
Metrics and reports ask the class (:func:`body_class`) instead of testing ``kind`` strings.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import numpy as np
import simpy

from simlib.engine.calendar import WorkCalendar
from simlib.engine.distributions import duration_sampler, uniform_sampler
from simlib.engine.ghosts import GhostItem, GhostPriorityQueue, GhostQueue
from simlib.engine.rules import ProbeDraws, SummerAuthority, committee_rules
from simlib.scenario import Committee, Office, Proposer

if TYPE_CHECKING:
    from simlib.engine.model import Model, Proposal

__all__ = ["BODY_KINDS", "AgendaItem", "CommitteeBody", "OfficeBody", "ProposerBody",
           "body_class"]


@dataclass
class AgendaItem:
    """A reviewed item waiting for a committee meeting: ``seq`` counts the committee's
    items in the order they joined; a ``consent`` item takes no agenda place."""

    ready: float
    decided: simpy.Event
    seq: int = 0
    consent: bool = False


class OfficeBody:
    """An office: ``staff`` reviewers working in parallel on working days.

    An office that also works after approval (a badge office) reviews approvals first: a
    ``background`` review (of an ``after_approval`` step) waits while approvals wait, and
    pauses when an approval review needs its reviewer (a preemptive priority queue), so
    approvals take exactly as long as without the work after approval.
    """

    kind: ClassVar[str] = "office"
    load_basis: ClassVar[str] = "reviewer time"  # what its load is a share of

    def __init__(self, model: Model, name: str, spec: Office | Committee):
        self.model = model
        self.name = name
        if name in model.background_bodies:
            queue = GhostPriorityQueue if model.probes else simpy.PreemptiveResource
        else:
            queue = GhostQueue if model.probes else simpy.Resource
        self.reviewers = queue(model.env, capacity=self.capacity(spec))
        self.review_days = duration_sampler(spec.review_days, model.streams(f"review.{name}"))

    # --- what metrics ask of the kind ---------------------------------------------------

    @staticmethod
    def capacity(spec: Office | Committee) -> int:
        """Reviewers working in parallel: the office's staff."""
        return spec.staff

    @staticmethod
    def agenda_places(spec: Office | Committee, calendar: WorkCalendar,
                      low: float, high: float) -> float:
        """Agenda places at the meetings held in [low, high] in one replication: NaN (an
        office has no agenda)."""
        return math.nan

    @staticmethod
    def load(utilization: float, decided: float, places: float, count: int) -> float:
        """The body's load from its reviewer-busy share ``utilization``, its ``decided``
        decisions over ``count`` replications and :meth:`agenda_places` ``places``: the
        reviewer-busy share."""
        return utilization

    @staticmethod
    def closed_days(spec: Office | Committee, calendar: WorkCalendar) -> np.ndarray:
        """Per day 0..n_days - 1 of ``calendar``: True where the body is closed (holidays)."""
        closed = np.zeros(calendar.n_days, dtype=bool)
        closed[sorted(calendar.holidays)] = True
        return closed

    # --- the review process in the model ------------------------------------------------

    def review(self, proposal: Proposal, step: str, round_: int,
               days: Callable[[], float] | None = None, background: bool = False) -> Generator:
        """Queue for a reviewer, review for a number of working days (drawn from ``days``,
        the step's own times, else the body's); a ``background`` review gives way to
        approvals (:meth:`_background_review`)."""
        model = self.model
        days = self.review_days if days is None else days
        if background:
            yield from self._background_review(proposal, step, round_, days)
            return
        with self.reviewers.request() as request:
            yield request
            model.record(proposal, step, self.name, "start", round_)
            now = model.env.now
            done = model.calendar.add_working_days(now, days())
            yield model.env.timeout(done - now)
            model.record(proposal, step, self.name, "finish", round_)

    def _background_review(self, proposal: Proposal, step: str, round_: int,
                           days: Callable[[], float]) -> Generator:
        """A review after approval: it queues behind every approval, and when an approval
        needs its reviewer it pauses (logs ``pause``), queues again and goes on where it
        stopped (logs ``resume``): the working days left are kept."""
        model, calendar = self.model, self.model.calendar
        left = None
        while True:
            with self.reviewers.request(priority=1, preempt=False) as request:
                yield request
                began = model.env.now
                if left is None:
                    left = days()
                    model.record(proposal, step, self.name, "start", round_)
                else:
                    model.record(proposal, step, self.name, "resume", round_)
                try:
                    yield model.env.timeout(calendar.add_working_days(began, left) - began)
                except simpy.Interrupt:
                    done = calendar.working_time(model.env.now) - calendar.working_time(began)
                    left = max(0.0, left - done)
                    model.record(proposal, step, self.name, "pause", round_)
                    continue
            model.record(proposal, step, self.name, "finish", round_)
            return

    def ghost_review(self, proposal: Proposal, step: str, round_: int,
                     draws: ProbeDraws, background: bool = False) -> Generator:
        """A probe's review: its turn for a reviewer comes as anyone's would (a
        ``background`` one behind the approvals), then it reviews for ``draws.days()``
        working days (the probe's own draws) without holding the reviewer. Simplification:
        a probe's background review is not paused by the approvals that come after it."""
        model = self.model
        if background:
            yield self.reviewers.ghost_request(priority=1)
        else:
            yield self.reviewers.ghost_request()
        model.record(proposal, step, self.name, "start", round_)
        now = model.env.now
        done = model.calendar.add_working_days(now, draws.days())
        yield model.env.timeout(done - now)
        model.record(proposal, step, self.name, "finish", round_)


class CommitteeBody(OfficeBody):
    """A committee: members review, then the item waits for a meeting to be decided."""

    kind: ClassVar[str] = "committee"
    load_basis: ClassVar[str] = "agenda places"

    def __init__(self, model: Model, name: str, spec: Committee):
        super().__init__(model, name, spec)
        self.spec = spec
        self.waiting: list[AgendaItem] = []
        self.joined = 0  # real items that joined the waiting list so far (the next seq)
        self.ghosts: list[GhostItem] = []
        self.cancelled = uniform_sampler(model.streams(f"cancel.{name}"))
        self.meetings = model.calendar.meeting_times(spec.meets)
        self.rules = committee_rules(self)
        self.tabling = self.rules.get("table_p")
        self.authority: SummerAuthority | None = None  # set by the model when it acts for others
        model.env.process(self._hold_meetings())

    @staticmethod
    def capacity(spec: Committee) -> int:
        """Reviewers working in parallel: the committee's members."""
        return spec.members

    @staticmethod
    def agenda_places(spec: Committee, calendar: WorkCalendar, low: float,
                      high: float) -> float:
        """agenda_limit x the meetings expected to be held in [low, high] (scheduled ones
        x (1 - cancel_p)); NaN for an unlimited agenda."""
        if spec.agenda_limit is None:
            return math.nan
        times = np.asarray(calendar.meeting_times(spec.meets))
        scheduled = np.count_nonzero((times >= low) & (times <= high))
        return spec.agenda_limit * scheduled * (1.0 - spec.cancel_p)

    @staticmethod
    def load(utilization: float, decided: float, places: float, count: int) -> float:
        """The share of agenda places used: ``decided`` / (``places`` x ``count``); NaN
        without an agenda limit."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.float64(decided) / (np.float64(places) * count)

    @staticmethod
    def closed_days(spec: Committee, calendar: WorkCalendar) -> np.ndarray:
        """Holidays and, for a committee that meets only in term, every day outside the
        terms."""
        closed = OfficeBody.closed_days(spec, calendar)
        if not spec.meets.outside_terms:
            closed |= ~np.asarray(calendar.in_term, dtype=bool)
        return closed

    def review(self, proposal: Proposal, step: str, round_: int,
               days: Callable[[], float] | None = None, background: bool = False) -> Generator:
        """Pre-meeting review by a member (for ``days``: the step's own times, else the
        body's), then wait until a meeting decides the item (or a rule decides it
        otherwise: :mod:`simlib.engine.rules`). A committee has no background work."""
        rules = self.rules
        if rules:
            delegate = rules.get("delegate")
            if delegate is not None and delegate.takes_over(proposal, round_):
                yield from delegate.review(proposal, step, round_)
                return
        yield from super().review(proposal, step, round_, days)
        item = AgendaItem(self.model.env.now, self.model.env.event(), self.joined)
        if rules:
            for rule in rules.values():
                if (yield from rule.decides_between_meetings(proposal, step, round_)):
                    return
                rule.marks(item, proposal, round_)
        self.joined += 1
        self.waiting.append(item)
        yield item.decided

    def ghost_review(self, proposal: Proposal, step: str, round_: int,
                     draws: ProbeDraws, background: bool = False) -> Generator:
        """A probe's pre-meeting review, then its wait for a meeting (:meth:`_ghosts_decided`);
        the rules decide with the probe's own draws."""
        rules = self.rules
        delegate = rules.get("delegate")
        if delegate is not None and delegate.takes_over(proposal, round_):
            yield from delegate.review(proposal, step, round_, draws.chair_days)
            return
        yield from super().ghost_review(proposal, step, round_, draws)
        item = GhostItem(self.model.env.now, self.model.env.event(), self.joined,
                         draws.uniform)
        for rule in rules.values():
            if (yield from rule.decides_between_meetings(proposal, step, round_,
                                                         draws.uniform)):
                return
            rule.marks(item, proposal, round_, draws.uniform)
        self.ghosts.append(item)
        yield item.decided

    def _hold_meetings(self) -> Generator:
        env, spec, work = self.model.env, self.spec, self.model.work
        for time in self.meetings:
            yield env.timeout(time - env.now)
            if spec.cancel_p > 0.0 and self.cancelled() < spec.cancel_p:
                continue
            cutoff = time - spec.agenda_lead_days
            places = spec.agenda_limit or math.inf
            discussed, passed = self.take_agenda(cutoff, places, self.tabling)
            if self.authority is not None and self.authority.applies(time):
                for other in self.authority.acts_for:
                    more, also = other.take_agenda(cutoff, places - discussed, self.tabling)
                    discussed, passed = discussed + more, passed + also
            if discussed or passed:  # a meeting with nothing of the pipeline costs it nothing
                work.append((self.name, "meeting", time, spec.members, discussed))

    def take_agenda(self, cutoff: float, places: float, tabling) -> tuple[int, int]:
        """Decide the items ready by ``cutoff`` in the order they joined: consent items
        without a place, the others while ``places`` last, each unless ``tabling`` defers
        it (the meeting's rule). Returns the items discussed (those that took a place) and
        those passed on consent."""
        ghosts = self._ghosts_decided(cutoff, places, tabling) if self.ghosts else ()
        discussed = 0
        decided = []
        for item in self.waiting:
            if item.ready > cutoff:
                break  # the list is in ready order
            if not item.consent:
                if discussed >= places:
                    continue
                discussed += 1
                if tabling is not None and tabling.defers():
                    continue
            decided.append(item)
        if decided:
            if len(decided) == len(self.waiting):
                self.waiting.clear()
            else:
                chosen = {id(item) for item in decided}
                self.waiting = [item for item in self.waiting if id(item) not in chosen]
            for item in decided:
                item.decided.succeed()
        for ghost in ghosts:  # after the real items, as they always were
            ghost.decided.succeed()
        return discussed, sum(item.consent for item in decided)

    def _ghosts_decided(self, cutoff: float, places: float, tabling) -> list[GhostItem]:
        """The probe items that would have been decided at this meeting had they been real
        (taken off the list; the caller decides them after the real items): ready by the
        ``cutoff``, and a consent item or one with fewer than ``places`` ordinary real items
        ahead of it still waiting (before this meeting), unless ``tabling`` defers it (with
        the probe's own draws)."""
        ordinary = [item.seq for item in self.waiting if not item.consent]
        chosen = []
        for ghost in self.ghosts:
            if ghost.ready > cutoff:
                continue
            if not ghost.consent:
                if bisect.bisect_left(ordinary, ghost.ahead) >= places:
                    continue
                if tabling is not None and tabling.defers(ghost.uniform):
                    continue
            chosen.append(ghost)
        if chosen:
            taken = {id(ghost) for ghost in chosen}
            self.ghosts = [ghost for ghost in self.ghosts if id(ghost) not in taken]
        return chosen


class ProposerBody(OfficeBody):
    """The proposing unit: each proposal's own people, so no queue, and calendar days (a
    sample badge reviewed over a weekend, a course running through a break)."""

    kind: ClassVar[str] = "proposer"
    load_basis: ClassVar[str] = "none (each proposal's own people)"

    def __init__(self, model: Model, name: str, spec: Proposer):
        self.model = model
        self.name = name
        self.review_days = duration_sampler(spec.review_days, model.streams(f"review.{name}"))

    @staticmethod
    def capacity(spec: Proposer) -> int:
        """0: the proposer's people are not a shared capacity (its load is NaN)."""
        return 0

    @staticmethod
    def load(utilization: float, decided: float, places: float, count: int) -> float:
        """NaN: the proposer has no shared capacity to be loaded."""
        return math.nan

    @staticmethod
    def closed_days(spec: Proposer, calendar: WorkCalendar) -> np.ndarray:
        """None: the proposer's days are calendar days."""
        return np.zeros(calendar.n_days, dtype=bool)

    def review(self, proposal: Proposal, step: str, round_: int,
               days: Callable[[], float] | None = None, background: bool = False) -> Generator:
        """Work for a number of calendar days, at once (from ``days``, else the body's)."""
        model = self.model
        model.record(proposal, step, self.name, "start", round_)
        yield model.env.timeout((self.review_days if days is None else days)())
        model.record(proposal, step, self.name, "finish", round_)

    def ghost_review(self, proposal: Proposal, step: str, round_: int,
                     draws: ProbeDraws, background: bool = False) -> Generator:
        """A probe's work: as a real one's, with the probe's own draws."""
        model = self.model
        model.record(proposal, step, self.name, "start", round_)
        yield model.env.timeout(draws.days())
        model.record(proposal, step, self.name, "finish", round_)


BODY_KINDS: dict[str, type[OfficeBody]] = {
    body.kind: body for body in (OfficeBody, CommitteeBody, ProposerBody)
}


def body_class(kind_or_spec: str | Office | Committee | Proposer) -> type[OfficeBody]:
    """The body class of a scenario body ``kind`` (or of a body spec, by its ``kind``);
    KeyError naming the registered kinds if there is none."""
    kind = kind_or_spec if isinstance(kind_or_spec, str) else kind_or_spec.kind
    try:
        return BODY_KINDS[kind]
    except KeyError:
        raise KeyError(
            f"no body class registered for kind {kind!r}; registered: {', '.join(BODY_KINDS)}"
            " (add one to simlib.engine.bodies.BODY_KINDS)"
        ) from None
