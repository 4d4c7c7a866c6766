"""Probes and the pipeline: the model's two planning inputs, and the queues probes wait in.

*Probes* (:class:`Probe`) are ghost proposals: each waits its turn behind the proposals ahead
of it, as a real one would, but never delays anyone, so "when would a proposal submitted on
day d be approved?" is answered without changing the answer for anyone else. A probe queues
for a reviewer with a :class:`GhostRequest` in a :class:`GhostQueue`, waits for a meeting as
a :class:`GhostItem`, and sees each body as a :class:`GhostDesk`. The *pipeline*
(:class:`InProgress`) holds real proposals already part-way through at time 0 (a warm start
from the current state). :func:`check_entry` checks either against a scenario.

:mod:`simlib.engine.model` runs them (and re-exports :class:`Probe` and :class:`InProgress`); this
module does not import it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator
from dataclasses import dataclass

import simpy

from simlib.scenario import Scenario


@dataclass(frozen=True)
class Probe:
    """A ghost proposal submitted at ``time`` (days since the calendar start): it waits
    behind the proposals ahead of it at every body, as a real one would, but never delays
    another proposal or probe."""

    time: float
    pathway: str
    level: str = ""

    def __post_init__(self) -> None:
        if not 0.0 <= self.time < math.inf:
            raise ValueError(f"a probe's time must be a day >= 0, got {self.time!r}")


@dataclass(frozen=True)
class InProgress:
    """A real proposal already in the pipeline when the run starts (time 0): at ``step``
    (a step label as in the event log, e.g. "mc" or "owd_final", or one of the steps after
    approval, e.g. "credly_build" or "publish"), which it reached at ``since`` (days,
    <= 0), in revision round ``round`` there; submitted at ``submitted`` (days, <= since).

    At time 0 it logs its ``submit`` at ``submitted`` and queues again at its step's body
    (entries in order of ``since``, ahead of any arrival); a step in a parallel group runs
    the whole group. Simplification: the review at its current step starts afresh at time 0
    (work done on it before is not credited), and its later revisions count from ``round``.

    An entry at a step after approval is approved already: its ``approved`` is logged at
    ``since`` (the day of its approval is not known; it was approved by then, so the log's
    time to approval is at least the truth and its time from approval to the badge going
    live at most the truth), and it goes on through the steps after approval from
    ``step``. A step that starts on a date (a first offering) is the exception to
    "afresh": its start is the first on or after the day of ``since``, so an offering under
    way keeps its start and runs only the (calendar) days it has left.
    """

    pathway: str
    level: str
    submitted: float
    step: str
    since: float
    round: int = 0

    def __post_init__(self) -> None:
        if not -math.inf < self.submitted <= self.since <= 0.0:
            raise ValueError(
                f"in-progress proposal at {self.step!r}: need submitted <= since <= 0 (days), "
                f"got submitted {self.submitted!r}, since {self.since!r}"
            )
        if self.round < 0:
            raise ValueError(f"in-progress proposal at {self.step!r}: round {self.round} < 0")


def check_entry(scenario: Scenario, entry: Probe | InProgress) -> None:
    """Return None if the probe or pipeline entry fits ``scenario``; else raise ValueError
    naming its unknown pathway, level or step (or a step that is not for its level). A
    pipeline entry's step may be one after approval."""
    what = f"{'probe' if isinstance(entry, Probe) else 'in-progress proposal'} {entry}"
    pathways = scenario.pathways
    if entry.pathway not in pathways:
        raise ValueError(f"{what}: unknown pathway {entry.pathway!r}; valid pathways: "
                         f"{', '.join(sorted(pathways))}")
    demand = scenario.demand.get(entry.pathway)
    if demand is not None and demand.mix and entry.level not in demand.mix:
        raise ValueError(f"{what}: unknown level {entry.level!r}; valid levels: "
                         f"{', '.join(sorted(demand.mix))}")
    if isinstance(entry, InProgress):
        steps = {label: step for item in scenario.journey(entry.pathway)
                 for label, step in item}
        if entry.step not in steps:
            raise ValueError(f"{what}: unknown step {entry.step!r}; valid steps of "
                             f"{entry.pathway}: {', '.join(steps)}")
        if not steps[entry.step].applies_to({"pathway": entry.pathway, "level": entry.level}):
            raise ValueError(f"{what}: step {entry.step!r} is not for level {entry.level!r}")


@dataclass
class GhostItem:
    """A probe's reviewed item waiting for a meeting; ``ahead``: real items that joined the
    waiting list first; ``uniform``: the probe's draws for the committee's rules; a
    ``consent`` item takes no agenda place."""

    ready: float
    decided: simpy.Event
    ahead: int
    uniform: Callable[[], float] | None = None
    consent: bool = False


class GhostRequest(simpy.Event):
    """A probe's request for a reviewer: granted in its turn, never holding the reviewer."""


class GhostQueue(simpy.Resource):
    """A FIFO resource whose queue may also hold :class:`GhostRequest` s.

    A ghost is granted exactly when a real request in its place would be, but takes no slot,
    and the request behind it is granted in the same step: the real requests see the same
    grants at the same moments, in the same order, as without the ghost.
    """

    def ghost_request(self) -> GhostRequest:
        """A ghost request, granted at once if a reviewer is free and nobody is waiting."""
        ghost = GhostRequest(self._env)
        if not self.put_queue and len(self.users) < self.capacity:
            ghost.succeed()
        else:
            self.put_queue.append(ghost)  # no _trigger_put: only real events grant requests
        return ghost

    def _do_put(self, event: simpy.Event) -> bool | None:
        if type(event) is not GhostRequest:
            return super()._do_put(event)
        if len(self.users) < self.capacity:
            event.succeed()
            return True  # go on to the request behind the ghost
        return None


class GhostPriorityQueue(simpy.PreemptiveResource):
    """:class:`GhostQueue` for an office that also works after approval (a preemptive
    priority queue: approvals, priority 0, come first and take a reviewer from a review
    after approval, priority 1). A ghost of priority 0 is granted when a real approval
    would be: no approval waits ahead of it and fewer approvals than reviewers are under
    review; one of priority 1 when a reviewer is free and no request waits ahead of it."""

    def ghost_request(self, priority: int = 0) -> GhostRequest:
        """A ghost request of ``priority``, queued in its place (sorted as real ones)."""
        ghost = GhostRequest(self._env)
        ghost.priority, ghost.time, ghost.preempt = priority, self._env.now, priority == 0
        ghost.key = (priority, ghost.time, not ghost.preempt)
        ahead = any(request.key <= ghost.key for request in self.put_queue)
        if not ahead and self._free_for(ghost):
            ghost.succeed()
        else:
            self.put_queue.append(ghost)  # sorted by key; only real events grant requests
        return ghost

    def _free_for(self, ghost: GhostRequest) -> bool:
        if ghost.priority == 0:
            return sum(user.priority == 0 for user in self.users) < self.capacity
        return len(self.users) < self.capacity

    def _do_put(self, event: simpy.Event) -> bool | None:
        if type(event) is not GhostRequest:
            return super()._do_put(event)
        if self._free_for(event):
            event.succeed()
            return True  # go on to the request behind the ghost
        return None


@dataclass(frozen=True)
class GhostDesk:
    """A body as probes see it: the body's ``name`` and its ghost ``review`` (a generator
    function of proposal, step label and revision round, as the body's own review)."""

    name: str
    review: Callable[..., Generator]
