"""Review times per body and committee meetings (methods in
:mod:`simlib.fitting.observations`, :mod:`simlib.fitting.durations` and
:mod:`simlib.fitting.meetings`)."""

from __future__ import annotations

import numpy as np

from simlib.fitting.durations import FIT_FAMILIES, DurationFit, fit_duration, round_significant
from simlib.fitting.meetings import MeetingFit, fit_meetings
from simlib.fitting.observations import committee_intervals, full_meetings, office_intervals
from simlib.fitting.record import Record
from simlib.fitting.result import Estimates, Parameter, Setting, yaml_value
from simlib.formats.words import percent, plural, significant_span
from simlib.scenario import Committee, Scenario

MIN_OBSERVATIONS = 5  # fewer visits to a body: keep the base's review time


def duration_entries(path: str, fit: DurationFit, base, unit: str,
                     how: str = "by AIC") -> tuple[list[Parameter], list[Setting]]:
    """The mean and cv parameters of a fitted duration at ``path`` and its one setting."""
    method = f"interval-censored ML {fit.family} ({how}), {unit}, Wald on log scale"
    parameters = [Parameter(f"{path}.mean", round_significant(fit.mean), fit.mean_ci95, fit.n,
                            method, None if base is None else base.mean)]
    cv_note = ""
    if fit.cv_ci95 is not None:
        parameters.append(Parameter(f"{path}.cv", round_significant(fit.cv), fit.cv_ci95, fit.n,
                                    method, None if base is None else base.spread))
        cv_note = f", cv {significant_span(*fit.cv_ci95)}"
    open_note = f" ({fit.censored} open)" if fit.censored else ""
    comment = (f"95% CI mean {significant_span(*fit.mean_ci95)}{cv_note}, n={fit.n}{open_note}, "
               f"ML {fit.family} {how}, {unit}")
    return parameters, [Setting(path, fit.spec(), comment)]


def fit_all_meetings(record: Record, base: Scenario) -> dict[str, MeetingFit]:
    """Each committee's :class:`MeetingFit` (committees with at least one decision)."""
    found = {}
    for name, body in base.bodies.items():
        if not isinstance(body, Committee):
            continue
        visits = record.visits[(record.visits["body"] == name)
                               & (record.visits["decided_day"] >= 0)]
        fit = fit_meetings(record, visits["decided_day"].to_numpy())
        if fit is not None:
            found[name] = fit
    return found


def meeting_settings(meetings: dict[str, MeetingFit]) -> Estimates:
    """One ``bodies.X.meets`` setting per committee, and the shortfall of each whose dates
    were too few for a rule."""
    found = Estimates()
    for name, fit in meetings.items():
        spec = fit.meets.model_dump(mode="json", exclude_defaults=True)
        comment = (f"explains {percent(fit.explained)} of {fit.decision_dates} decision dates, "
                   f"{fit.method}")
        found.settings.append(Setting(f"bodies.{name}.meets", spec, comment))
        if fit.shortfall:
            found.shortfalls.append(f"bodies.{name}.meets: {fit.shortfall}")
    return found


def fit_reviews(record: Record, base: Scenario, meetings: dict[str, MeetingFit]) -> Estimates:
    """The review-time parameters, settings and shortfalls of every body the record visits:
    offices by AIC among the registry's smooth families; committees in the base's family
    with its cv and ``agenda_lead_days`` held (the readings' intervals span the gaps between
    meetings: too coarse to choose a family or estimate a spread), fitting the mean; a
    constant (``fixed``) where the intervals pin one (:func:`fit_duration`)."""
    found = Estimates()
    for name, body in base.bodies.items():
        visits = record.visits[record.visits["body"] == name]
        if visits.empty:
            continue
        if isinstance(body, Committee):
            if name not in meetings:
                found.shortfalls.append(f"bodies.{name}: {plural(len(visits), 'visit')} and no "
                                        "decision: its meetings and reading time stay the "
                                        "base's")
                continue
            bounds = (*committee_intervals(record, visits, meetings[name].days,
                                           body.agenda_lead_days,
                                           full_meetings(visits, body.agenda_limit)), None)
            family = body.review_days.dist
            families = (family,) if family in FIT_FAMILIES else ("lognormal",)
            held = body.review_days.spread if families[0] != "exponential" else None
            how = (f"the base's family and cv; agenda_lead_days "
                   f"{yaml_value(body.agenda_lead_days)} held")
        else:
            bounds = office_intervals(record, visits, body.staff)
            families, held, how = FIT_FAMILIES, None, "by AIC"
        path = f"bodies.{name}.review_days"
        known = int(np.isfinite(bounds[1]).sum())
        fit = (fit_duration(bounds[0], bounds[1], families, held, bounds[2])
               if known >= MIN_OBSERVATIONS else None)
        if fit is None:
            found.shortfalls.append(few_words(path, known, "ended review", "a review time"))
            continue
        parameters, settings = duration_entries(path, fit, body.review_days, "working days",
                                                how)
        found.parameters += parameters
        found.settings += settings
    return found


def few_words(path: str, count: int, what: str, estimate: str, after: str = "") -> str:
    """The shortfall line of a duration not fitted from ``count`` observations (``what``:
    one of them, e.g. "ended review"; ``after``: words after it, " from revision")."""
    return (f"{path}: {plural(count, what)}{after} in the record; {estimate} needs "
            f"{MIN_OBSERVATIONS}: the base's stays")
