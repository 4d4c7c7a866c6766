"""The bodies that review proposals, one class per scenario body ``kind``, in :data:`BODY_KINDS`.

Each body class owns what differs between kinds: its capacity (reviewers in parallel), its
review process in the model, its load basis (what "full" means: reviewer time at offices,
agenda places at committees, and how load is computed from it) and the days it is closed.
Metrics and reports ask the class (:func:`body_class`) instead of testing ``kind`` strings.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import numpy as np
import simpy

from simlib.engine.calendar import WorkCalendar
from simlib.engine.distributions import duration_sampler, uniform_sampler
from simlib.engine.ghosts import GhostItem, GhostQueue
from simlib.scenario import Committee, Office

if TYPE_CHECKING:
    from simlib.engine.model import Model, Proposal

__all__ = ["BODY_KINDS", "AgendaItem", "CommitteeBody", "OfficeBody", "body_class"]


@dataclass
class AgendaItem:
    """A reviewed item waiting for a committee meeting."""

    ready: float
    decided: simpy.Event


class OfficeBody:
    """An office: ``staff`` reviewers working in parallel on working days."""

    kind: ClassVar[str] = "office"
    load_basis: ClassVar[str] = "reviewer time"  # what its load is a share of

    def __init__(self, model: Model, name: str, spec: Office | Committee):
        self.model = model
        self.name = name
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

    def review(self, proposal: Proposal, step: str, round_: int) -> Generator:
        """Queue for a reviewer, review for a number of working days."""
        model = self.model
        with self.reviewers.request() as request:
            yield request
            model.record(proposal, step, self.name, "start", round_)
            now = model.env.now
            done = model.calendar.add_working_days(now, self.review_days())
            yield model.env.timeout(done - now)
            model.record(proposal, step, self.name, "finish", round_)

    def ghost_review(self, proposal: Proposal, step: str, round_: int,
                     days: Callable[[], float]) -> Generator:
        """A probe's review: its turn for a reviewer comes as anyone's would, then it reviews
        for ``days()`` working days (the probe's own draws) without holding the reviewer."""
        model = self.model
        yield self.reviewers.ghost_request()
        model.record(proposal, step, self.name, "start", round_)
        now = model.env.now
        done = model.calendar.add_working_days(now, days())
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
        self.decided = 0  # real items decided so far (always the first ones appended)
        self.ghosts: list[GhostItem] = []
        self.cancelled = uniform_sampler(model.streams(f"cancel.{name}"))
        self.meetings = model.calendar.meeting_times(spec.meets)
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

    def review(self, proposal: Proposal, step: str, round_: int) -> Generator:
        """Pre-meeting review by a member, then wait until a meeting decides the item."""
        yield from super().review(proposal, step, round_)
        item = AgendaItem(self.model.env.now, self.model.env.event())
        self.waiting.append(item)
        yield item.decided

    def ghost_review(self, proposal: Proposal, step: str, round_: int,
                     days: Callable[[], float]) -> Generator:
        """A probe's pre-meeting review, then its wait for a meeting (:meth:`_decide_ghosts`)."""
        yield from super().ghost_review(proposal, step, round_, days)
        ahead = self.decided + len(self.waiting)
        item = GhostItem(self.model.env.now, self.model.env.event(), ahead)
        self.ghosts.append(item)
        yield item.decided

    def _hold_meetings(self) -> Generator:
        env, spec = self.model.env, self.spec
        for time in self.meetings:
            yield env.timeout(time - env.now)
            if spec.cancel_p > 0.0 and self.cancelled() < spec.cancel_p:
                continue
            cutoff = time - spec.agenda_lead_days
            limit = spec.agenda_limit or math.inf
            agenda = [item for item in self.waiting if item.ready <= cutoff]
            agenda = agenda[: int(min(limit, len(agenda)))]
            for item in agenda:
                self.waiting.remove(item)
                item.decided.succeed()
            if self.ghosts:
                self._decide_ghosts(cutoff, limit)
            self.decided += len(agenda)

    def _decide_ghosts(self, cutoff: float, limit: float) -> None:
        """Decide each probe item that would have made this meeting's agenda had it been real:
        ready by the ``cutoff``, with fewer than ``limit`` real items ahead of it still waiting.

        The agenda always takes a prefix of the waiting list (ready order), so the real items
        ahead of a probe still waiting number ``ahead - decided`` (before this meeting).
        """
        chosen = [g for g in self.ghosts if g.ready <= cutoff and g.ahead - self.decided < limit]
        for item in chosen:
            self.ghosts.remove(item)
            item.decided.succeed()


BODY_KINDS: dict[str, type[OfficeBody]] = {
    body.kind: body for body in (OfficeBody, CommitteeBody)
}


def body_class(kind_or_spec: str | Office | Committee) -> type[OfficeBody]:
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
