"""The body registry: every kind a scenario may name has a body class owning its capacity,
review process, load basis and closed days; a missing registration fails loudly."""

from __future__ import annotations

import typing

import numpy as np
import pytest
from support.scenarios import BASE

from simlib.engine.bodies import BODY_KINDS, CommitteeBody, OfficeBody, body_class
from simlib.engine.model import Model
from simlib.metrics.calendar import _closed_cumulative, model_calendar
from simlib.metrics.events import capacities
from simlib.scenario import Scenario
from simlib.scenario.schema import Body


def schema_kinds() -> set[str]:
    """The body kinds the scenario schema accepts (the Literal tag of each Body model)."""
    union = typing.get_args(Body)[0]
    kinds = set()
    for model in typing.get_args(union):
        kinds.update(typing.get_args(model.model_fields["kind"].annotation))
    return kinds


def test_every_kind_the_schema_accepts_has_a_registered_body_class():
    kinds = schema_kinds()
    assert kinds == {"office", "committee", "proposer"}
    for kind in kinds:
        body = body_class(kind)
        assert body is BODY_KINDS[kind] and body.kind == kind
    assert set(BODY_KINDS) == kinds


@pytest.mark.parametrize("kind", sorted(BODY_KINDS))
def test_every_body_class_has_what_the_model_and_metrics_ask_of_it(kind):
    body = BODY_KINDS[kind]
    assert body.load_basis in ("reviewer time", "agenda places",
                               "none (each proposal's own people)")
    for method in ("capacity", "agenda_places", "load", "closed_days", "review", "ghost_review"):
        assert callable(getattr(body, method)), (kind, method)


def test_an_unregistered_kind_is_a_clear_key_error():
    with pytest.raises(KeyError, match="no body class registered for kind 'tribunal'; "
                                       "registered: office, committee, proposer"):
        body_class("tribunal")


def test_the_model_builds_each_body_from_its_kinds_class_with_its_capacity():
    scenario = Scenario.model_validate(BASE)
    model = Model(scenario, seed=1)
    for name, spec in scenario.bodies.items():
        assert type(model.bodies[name]) is body_class(spec)
        assert model.bodies[name].reviewers.capacity == capacities(scenario)[name]
    assert capacities(scenario).to_dict() == {
        "department": 1, "dean": 1, "mc": 5, "grad_council": 3, "owd": 2,
    }
    assert isinstance(model.bodies["mc"], CommitteeBody)
    assert type(model.bodies["dean"]) is OfficeBody


def test_closed_days_are_holidays_and_for_term_committees_the_days_outside_terms():
    scenario = Scenario.model_validate(BASE)
    calendar = model_calendar(scenario)
    holidays = np.zeros(calendar.n_days, dtype=bool)
    holidays[sorted(calendar.holidays)] = True
    out_of_term = ~np.asarray(calendar.in_term, dtype=bool)
    office, committee = scenario.bodies["dean"], scenario.bodies["mc"]
    np.testing.assert_array_equal(OfficeBody.closed_days(office, calendar), holidays)
    np.testing.assert_array_equal(CommitteeBody.closed_days(committee, calendar),
                                  holidays | out_of_term)
    cumulative = _closed_cumulative(scenario)
    rows = list(scenario.bodies)
    assert cumulative[rows.index("dean"), -1] == holidays.sum()
    assert cumulative[rows.index("mc"), -1] == (holidays | out_of_term).sum()


def test_agenda_places_only_at_committees_with_a_limit():
    scenario = Scenario.model_validate(BASE)
    calendar = model_calendar(scenario)
    low, high = scenario.warmup_days, scenario.horizon_days
    assert np.isnan(OfficeBody.agenda_places(scenario.bodies["dean"], calendar, low, high))
    spec = scenario.bodies["grad_council"]  # no agenda limit
    assert np.isnan(CommitteeBody.agenda_places(spec, calendar, low, high))
    spec = scenario.bodies["mc"]
    times = np.asarray(calendar.meeting_times(spec.meets))
    held = np.count_nonzero((times >= low) & (times <= high))
    assert CommitteeBody.agenda_places(spec, calendar, low, high) == 6 * held
