"""A committee's ways of deciding besides an ordinary agenda place, one class per rule of the
scenario language (:mod:`simlib.scenario.governance`), registered in :data:`RULES`.

A :class:`~simlib.engine.bodies.CommitteeBody` builds the rules its spec configures and asks
them at four moments of an item's life: before review (:meth:`Rule.takes_over`: the chair
decides alone), after review (:meth:`Rule.decides_between_meetings`: an e-vote), when the
item joins the waiting list (:meth:`Rule.marks`: consent) and when the meeting reaches it
(:meth:`Rule.defers`: tabling). Summer authority spans two bodies and is wired by the model
(:class:`SummerAuthority`). Each rule draws from a stream of its own (``evote.<body>``,
``consent.<body>``, ``table.<body>``, ``delegate.<body>``), created only when configured,
so a scenario without rules draws exactly what it drew before; probes draw from their own
stream (``draws.uniform``, ``draws.chair_days``).
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import simpy

from simlib.engine.distributions import duration_sampler, uniform_sampler
from simlib.engine.ghosts import GhostQueue
from simlib.scenario.governance import condition_holds

if TYPE_CHECKING:
    from simlib.engine.bodies import AgendaItem, CommitteeBody
    from simlib.engine.model import Proposal

__all__ = ["RULES", "ProbeDraws", "Rule", "SummerAuthority", "committee_rules"]


@dataclass(frozen=True)
class ProbeDraws:
    """A probe group's draws at one step: review ``days``, ``uniform`` numbers for the
    rules' chances and the chair's review days (``chair_days``), all from its own stream."""

    days: Callable[[], float]
    uniform: Callable[[], float] | None = None
    chair_days: Callable[[], float] | None = None


class Rule:
    """A decision rule of a committee; the hooks' defaults leave the ordinary path alone."""

    key: ClassVar[str]  # the committee's scenario key
    stream: ClassVar[str | None] = None  # the rule's chances: stream "<stream>.<body>"

    def __init__(self, body: CommitteeBody, spec: Any):
        self.body = body
        self.spec = spec
        if self.stream is not None:
            self.draw = uniform_sampler(body.model.streams(f"{self.stream}.{body.name}"))

    @classmethod
    def configured(cls, committee: Any) -> Any:
        """The rule's spec in a committee spec, or None when the committee does not use it."""
        return getattr(committee, cls.key, None)

    def matches(self, proposal: Proposal, round_: int) -> bool:
        """True when the rule's ``when`` holds for ``proposal`` in round ``round_``."""
        return condition_holds(self.spec.when, proposal.attributes, round_)

    def takes_over(self, proposal: Proposal, round_: int) -> bool:
        """True when the rule decides the item instead of the members and the meeting."""
        return False

    def decides_between_meetings(self, proposal: Proposal, step: str, round_: int,
                                 uniform: Callable[[], float] | None = None) -> Generator:
        """After review: wait for a decision outside a meeting; return True if decided so
        (``uniform``: a probe's draws)."""
        return False
        yield

    def marks(self, item: AgendaItem, proposal: Proposal, round_: int,
              uniform: Callable[[], float] | None = None) -> None:
        """Mark ``item`` as it joins the waiting list."""

    def defers(self, uniform: Callable[[], float] | None = None) -> bool:
        """True when the meeting that reached an item defers it to the next meeting."""
        return False


class EVote(Rule):
    """``evote``: decided when the vote window closes, with chance ``p``; else contested.
    The window counts the working days the committee sits: in term only, unless it also
    meets outside terms."""

    key = "evote"
    stream = "evote"

    def decides_between_meetings(self, proposal: Proposal, step: str, round_: int,
                                 uniform: Callable[[], float] | None = None) -> Generator:
        if not self.matches(proposal, round_):
            return False
        if (uniform or self.draw)() >= self.spec.p:
            return False  # contested: it waits for the next meeting, ready now
        model = self.body.model
        now = model.env.now
        in_term_only = not self.body.spec.meets.outside_terms  # members vote when they sit
        done = model.calendar.add_working_days(now, self.spec.within_days, in_term_only)
        yield model.env.timeout(done - now)
        if proposal.id >= 0:  # probes cost nobody any hours
            model.work.append((self.body.name, "evote", model.env.now, self.body.spec.members,
                               1))
        return True


class Consent(Rule):
    """``consent``: matching items are decided without an agenda place unless pulled."""

    key = "consent"
    stream = "consent"

    def marks(self, item: AgendaItem, proposal: Proposal, round_: int,
              uniform: Callable[[], float] | None = None) -> None:
        if self.matches(proposal, round_):
            item.consent = (uniform or self.draw)() >= self.spec.pull_p


class Tabling(Rule):
    """``table_p``: an item the meeting reaches is deferred to the next one with chance p."""

    key = "table_p"
    stream = "table"

    @classmethod
    def configured(cls, committee: Any) -> Any:
        return committee.table_p or None

    def defers(self, uniform: Callable[[], float] | None = None) -> bool:
        return (uniform or self.draw)() < self.spec


class Delegate(Rule):
    """``delegate``: the chair decides matching items alone, as an office would."""

    key = "delegate"

    def __init__(self, body: CommitteeBody, spec: Any):
        super().__init__(body, spec)
        model = body.model
        queue = GhostQueue if model.probes else simpy.Resource
        self.chair = queue(model.env, capacity=1)
        self.days = duration_sampler(spec.review_days, model.streams(f"delegate.{body.name}"))

    def takes_over(self, proposal: Proposal, round_: int) -> bool:
        return self.matches(proposal, round_)

    def review(self, proposal: Proposal, step: str, round_: int,
               days: Callable[[], float] | None = None) -> Generator:
        """The chair's review (``days``: a probe's draws, which never hold the chair)."""
        model, name = self.body.model, self.body.name
        if days is None:
            with self.chair.request() as request:
                yield request
                yield from _working(model, proposal, step, name, round_, self.days())
        else:
            yield self.chair.ghost_request()
            yield from _working(model, proposal, step, name, round_, days())


def _working(model, proposal: Proposal, step: str, body: str, round_: int,
             days: float) -> Generator:
    """Log a review's start, work ``days`` working days, log its finish."""
    model.record(proposal, step, body, "start", round_)
    now = model.env.now
    yield model.env.timeout(model.calendar.add_working_days(now, days) - now)
    model.record(proposal, step, body, "finish", round_)


RULES: tuple[type[Rule], ...] = (Delegate, EVote, Consent, Tabling)


def committee_rules(body: CommitteeBody) -> dict[str, Rule]:
    """The rules ``body``'s spec configures, by scenario key, in :data:`RULES` order."""
    return {rule.key: rule(body, spec) for rule in RULES
            if (spec := rule.configured(body.spec)) is not None}


class SummerAuthority:
    """``summer_authority``: at ``body``'s meetings outside terms, it also decides the items
    waiting at the committees it acts for (in their order, within its remaining places)."""

    def __init__(self, body: CommitteeBody, acts_for: list[CommitteeBody]):
        self.body = body
        self.acts_for = acts_for

    def applies(self, time: float) -> bool:
        """True for a meeting at ``time`` outside terms."""
        calendar = self.body.model.calendar
        return not calendar.in_term[min(int(time), calendar.n_days - 1)]
