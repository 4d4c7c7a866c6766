"""How committees decide besides meeting, what bodies cost in hours, and the conditions both
test.

A *condition* (``when:`` or ``skip_when:``) is a mapping of proposal attributes to the
values that match (``{size: minor}``, ``{level: [graduate, undergraduate]}``), optionally
with ``round_at_least: N`` (a resubmission: the Nth revision round or later). Attributes
are ``pathway``, ``level`` and those drawn from ``demand.<pathway>.attributes``.

A committee's decision rules (each one engine class in :mod:`simlib.engine.rules`):

- ``evote``: after review, a matching item is decided by electronic vote when the vote
  window of ``within_days`` working days closes (days the committee sits: in term, unless
  it meets outside terms too), with chance ``p``; otherwise (contested) it waits for the
  next meeting;
- ``consent``: matching items are decided at the next meeting without taking an agenda
  place, unless a member pulls one (chance ``pull_p``: then it is an ordinary item);
- ``table_p``: an item reached at a meeting is deferred to the next meeting with this chance;
- ``delegate``: matching items are decided by the committee's chair as an office step
  (``review_days`` working days), never waiting for a meeting;
- ``summer_authority`` (scenario level): outside terms, ``body`` decides the items waiting
  at the committees listed in ``for``, at its own meetings.

``hours`` price a body's work in person-hours: ``per_review`` for each review (one reviewer;
a chair's decision is a review), ``per_meeting`` for each member at each meeting held that
had items of the pipeline (one with none is cancelled or spent on other business, which
is not this pipeline's cost), ``per_item`` for each member for each item discussed (at a
meeting or in an e-vote; consent items pass without discussion).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from simlib.formats.frozen import Frozen
from simlib.formats.numbers import Probability, bounded
from simlib.scenario.distributions import Distribution

ROUND_KEY = "round_at_least"
BUILT_IN_ATTRIBUTES = ("pathway", "level")  # every proposal has them; drawn ones are added


def _condition(value: Any) -> Any:
    """Check a condition mapping: values are names (or lists of names), ``round_at_least``
    a whole number >= 0."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise PydanticCustomError(
            "condition", "must be a mapping of attribute to value, e.g. {size: minor}")
    checked: dict[str, Any] = {}
    for key, allowed in value.items():
        if key == ROUND_KEY:
            if isinstance(allowed, bool) or not isinstance(allowed, int) or allowed < 0:
                raise PydanticCustomError(
                    "condition", f"{ROUND_KEY} must be a whole number >= 0, got {allowed!r}")
            checked[key] = allowed
        elif isinstance(allowed, str) and allowed:
            checked[str(key)] = allowed
        elif (isinstance(allowed, list | tuple) and allowed
              and all(isinstance(item, str) and item for item in allowed)):
            checked[str(key)] = tuple(allowed)
        else:
            raise PydanticCustomError(
                "condition", f"{key}: give a value name or a list of them, got {allowed!r}")
    return checked


Condition = Annotated[dict[str, Any], BeforeValidator(_condition)]


def condition_holds(condition: dict[str, Any], attributes: dict[str, str],
                    round_: int = 0) -> bool:
    """True when a proposal with ``attributes`` in revision round ``round_`` matches
    ``condition`` (an empty condition matches everything)."""
    for key, allowed in condition.items():
        if key == ROUND_KEY:
            if round_ < allowed:
                return False
        elif attributes.get(key) not in ((allowed,) if isinstance(allowed, str) else allowed):
            return False
    return True


class EVote(Frozen):
    """Decisions by electronic vote between meetings (``evote:`` of a committee)."""

    p: Probability = Field(description="chance no member objects, so the e-vote decides")
    within_days: bounded(365, "working days", gt=0.0) = Field(
        description="working days the vote stays open")
    when: Condition = Field(default_factory=dict)


class Consent(Frozen):
    """A consent agenda (``consent:`` of a committee)."""

    when: Condition = Field(default_factory=dict,
                            description="the proposals that go on the consent agenda")
    pull_p: Probability = Field(
        0.0, description="chance a member pulls an item to discuss it as an ordinary one")


class Delegate(Frozen):
    """Decisions delegated to the chair (``delegate:`` of a committee)."""

    when: Condition = Field(default_factory=dict)
    to: Literal["chair"] = "chair"
    review_days: Distribution = Field(
        description="working days the chair takes to decide one proposal")


class SummerAuthority(Frozen):
    """Outside terms, ``body`` decides for the committees in ``for`` (scenario level)."""

    model_config = ConfigDict(frozen=True, extra="forbid", validate_by_name=True,
                              validate_by_alias=True, serialize_by_alias=True)

    body: str
    for_: tuple[str, ...] = Field(alias="for", min_length=1)


PersonHours = bounded(1000, "hours", ge=0.0)


class Hours(Frozen):
    """Person-hours a body's work costs (see the module docstring)."""

    per_review: PersonHours = Field(0.0, description="person-hours of one review")
    per_meeting: PersonHours = Field(
        0.0, description="person-hours of one meeting held (all members together)")
    per_item: PersonHours = Field(
        0.0, description="person-hours of discussing one proposal at a meeting")
