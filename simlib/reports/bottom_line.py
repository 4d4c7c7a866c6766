"""The three lines each report page opens with, for a leader: the answer, how sure it is,
and what to do. Each function takes the result its notebook computed and returns a
:class:`~simlib.reports.readable.BottomLine`; ``mcsim report`` puts every page's answer at
the top of the index.

Every page that shows today's process gives its own replication count, so readers can see
why two pages agree: the reports run the baseline with the same seed and count everywhere
(``reports.yaml``), and the same seed and count give the same numbers (common random
numbers).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simlib.experiments.compare import Comparison
from simlib.experiments.results import Results
from simlib.experiments.sensitivity import Sensitivity
from simlib.experiments.studies import FULL, DemandGrowth, Sweep
from simlib.experiments.studies_uncertain import Unknowns
from simlib.experiments.uncertainty import UncertainRun
from simlib.formats.words import (
    amount,
    change,
    day_count,
    days,
    long_date,
    pathway_words,
    percent,
    plural,
    span,
    times,
)
from simlib.planning.deadlines import Plan
from simlib.reports.readable import BottomLine, rows_at
from simlib.reports.summaries import CHANGE, STRESS_TEST, differences, kind_counts
from simlib.reports.summaries_backtest import verdict_sentence
from simlib.reports.summaries_planning import launch_name
from simlib.reports.summaries_studies import assumption_words
from simlib.reports.summaries_unknowns import (
    OVER_DRAWS,
    comparison_fixed,
    comparison_sentence,
    mean_sentence,
    range_clause,
    sensitivity_fixed,
    step_sentence,
    swing_range,
)
from simlib.reports.unknowns import run_unknowns
from simlib.reports.unknowns_plan import plan_clause, plan_sentence
from simlib.reports.words import BREAKDOWN_WORDS, demand_words, proposal_words

if TYPE_CHECKING:
    from simlib.fitting.backtest import Backtest


def _runs(count: int, what: str = "simulated runs") -> str:
    return f"{count} {what}" if count != 1 else f"1 {what.replace('runs', 'run')}"


def _half_width(low: float, high: float) -> str:
    return day_count((high - low) / 2)


def baseline(results: Results, uncertain: UncertainRun | None = None) -> BottomLine:
    """Today's process: each pathway's mean and P90, how precise the means are and whether
    they match the documented averages, and to plan with the P90; with ``uncertain`` (the
    scenario run at its posterior draws), what we don't know as well."""
    table, targets = results.pathways, results.scenario.targets
    first = table.index[0]
    row = table.loc[first]
    answer = "; ".join(
        f"a {pathway_words(pathway)} one {day_count(item['cycle_days_mean'])} (one in ten "
        f"over {days(item['cycle_days_p90'])})" for pathway, item in table.iloc[1:].iterrows())
    answer = (f"A {pathway_words(first)} proposal takes {day_count(row['cycle_days_mean'])} on "
              f"average from submission to final approval (one in ten takes over "
              f"{days(row['cycle_days_p90'])})" + (f"; {answer}" if answer else ""))
    documented = [f"{days(targets[p].mean_cycle_days)} ({pathway_words(p)})"
                  for p in table.index if p in targets]
    low, high = row["cycle_days_ci95_low"], row["cycle_days_ci95_high"]
    sure = (f"Precise to within {_half_width(low, high)} (95% CI of the "
            f"{pathway_words(first)} mean {span(low, high)}, "
            f"{_runs(results.replications)})."
            + (f" The model reproduces the documented averages, {' and '.join(documented)}, "
               "because its unknown numbers were fitted to them; how the time splits up is "
               "the model's estimate." if documented else ""))
    breakdown = results.time_breakdown
    parts = breakdown[breakdown["pathway"] == first][list(BREAKDOWN_WORDS)].sum()
    largest = parts.sort_values(ascending=False)
    todo = (f"Promise {day_count(row['cycle_days_p90'])} (the P90), not the average, when a "
            f"{pathway_words(first)} deadline matters. Most of the time is "
            f"{BREAKDOWN_WORDS[largest.index[0]]} and {BREAKDOWN_WORDS[largest.index[1]]}, "
            "so the changes worth trying are those that cut waiting (next report).")
    if uncertain is not None:
        sure += " " + run_unknowns(uncertain)
    return BottomLine(answer + ".", sure, todo)


def comparison(result: Comparison, unknowns: Comparison | None = None) -> BottomLine:
    """What-ifs: the change that cuts the first pathway's mean most, how many changes
    clearly help, and which to try first (stress tests of more proposals apart). With
    ``unknowns`` (the comparison over the posterior draws,
    :func:`~simlib.experiments.studies_uncertain.compare_unknowns`), the best change's
    95% range over what we don't know and the page's sentence on it."""
    table = differences(result, unknowns)
    pathway = table["pathway"].iloc[0]
    words = pathway_words(pathway)
    rows = table[(table["pathway"] == pathway) & (table["kind"] == CHANGE)]
    faster = rows[rows["verdict"] == "shorter"].sort_values("mean_diff_days")
    total = kind_counts(result)[CHANGE]
    if faster.empty:
        answer = (f"None of the {plural(total, 'change')} compared clearly shortens the "
                  f"{words} mean.")
        todo = "Keep the process; look for changes that cut the waiting for meetings."
    else:
        best = faster.iloc[0]
        clause = "" if unknowns is None else range_clause(best, comparison_fixed(unknowns))
        answer = (f"The change that helps most: {best['alternative']}. The {words} mean would "
                  f"fall from {days(best['base_mean_days'])} to "
                  f"{day_count(best['alt_mean_days'])}, "
                  f"{change(best['mean_diff_days'], best['ci95_low'], best['ci95_high'])}"
                  f"{clause}.")
        runner_up = (f", then “{faster['alternative'].iloc[1]}” "
                     f"({day_count(-faster['mean_diff_days'].iloc[1])} faster)"
                     if len(faster) > 1 else "")
        todo = f"Try “{best['alternative']}” first{runner_up}."
    stress = table[(table["pathway"] == pathway) & (table["kind"] == STRESS_TEST)]
    if len(stress):
        worst = stress.sort_values("mean_diff_days").iloc[-1]
        todo += (f" Plan for growth too: in the stress test “{worst['alternative']}” the mean "
                 f"would be {day_count(worst['alt_mean_days'])}.")
    sure = (f"{len(faster)} of {plural(total, 'change')} clearly shorten the {words} mean "
            f"(their 95% intervals exclude no change); each was compared with today over the "
            f"same {_runs(result.replications, 'simulated runs')}, so the differences come "
            "from the change, not from chance.")
    if unknowns is not None:
        shown = faster if len(faster) else (rows if len(rows) else
                                            table[table["pathway"] == pathway])
        first = shown.sort_values("mean_diff_days").iloc[0]
        sure += " " + comparison_sentence(result, unknowns, first["name"], pathway)
    return BottomLine(answer, sure, todo)


def sweep(study: Sweep, threshold_days: float = 3.0,
          unknowns: Unknowns | None = None) -> BottomLine:
    """A capacity sweep: how much capacity is enough at today's and the highest demand, how
    sure, and when to add more. With ``unknowns`` (its headline step over the posterior
    draws, :func:`~simlib.experiments.studies_uncertain.step_unknowns`), the page's
    sentence on what we don't know about that step's saving."""
    label = study.capacity_label
    enough = study.enough(threshold_days)

    def needs(factor: float) -> str:
        value = enough[factor]
        return (amount(value, label) if value is not None else
                f"more than {amount(study.values[-1], label)} (every step still helps)")

    low, high = study.demand_factors[0], study.demand_factors[-1]
    answer = (f"At {demand_words(low)} the {study.body_label} needs {needs(low)}; "
              f"at {times(high)} it needs {needs(high)}. Beyond that, one more step saves under "
              f"{day_count(threshold_days)} a proposal.")
    base = rows_at(study.table, demand=low, capacity=study.values[0])
    widest = max((row.ci95_high - row.ci95_low) / 2 for row in base.itertuples())
    sure = (f"Each setting ran the same {_runs(study.replications)}; means are precise to "
            f"within about {day_count(widest)} (95% CI), so savings of a few days are real "
            "but small.")
    if unknowns is not None:
        sure += " " + step_sentence(study, unknowns)
    later = [factor for factor in study.demand_factors if enough[factor] is None
             or (enough[low] is not None and enough[factor] > enough[low])]
    todo = (f"Keep {needs(low)} for now; plan for {needs(later[0])} before submissions reach "
            f"{times(later[0])} today's." if later and enough[low] is not None else
            f"Keep {needs(low)}: more does not pay up to {times(high)} today's submissions.")
    return BottomLine(answer, sure, todo)


def growth(study: DemandGrowth, unknowns: Unknowns | None = None) -> BottomLine:
    """Demand growth: the first pathway's mean at the highest demand, which body fills
    first, and where to add capacity. With ``unknowns`` (the means at the highest demand
    over the posterior draws, :func:`~simlib.experiments.studies_uncertain.growth_unknowns`),
    that mean's 95% range and the page's sentence on it."""
    low, high = study.factors[0], study.factors[-1]
    pathway = next(iter(study.scenario.pathways))
    start = rows_at(study.cycles, demand=low, pathway=pathway).iloc[0]
    end = rows_at(study.cycles, demand=high, pathway=pathway).iloc[0]
    filling = study.first_to_fill()
    answer = (f"At {times(high)} today's submissions, a {pathway_words(pathway)} proposal would "
              f"take {day_count(end['mean_days'])} on average instead of "
              f"{day_count(start['mean_days'])} at {demand_words(low)}")
    if len(filling):
        first = filling.iloc[0]
        answer += (f"; the {first['body_label']} fills up first (past {percent(FULL)} of its "
                   f"capacity at {times(first['demand'])}).")
        todo = (f"Add capacity at the {first['body_label']} before submissions reach "
                f"{times(first['demand'])} today's; the staffing report shows how much.")
    else:
        answer += f"; no office or committee passes {percent(FULL)} of its capacity."
        todo = f"No capacity is needed for growth up to {times(high)} today's submissions."
    sure = (f"95% CI {span(end['ci95_low'], end['ci95_high'])} days at {times(high)} "
            f"({_runs(study.replications)} per level, the same at every level); loads rest on "
            "assumed review times, so treat the order of filling as firmer than the dates.")
    if unknowns is not None:
        sure += " " + mean_sentence(unknowns)
    return BottomLine(answer, sure, todo)


def sensitivity(study: Sensitivity, count: int = 2,
                unknowns: Unknowns | None = None) -> BottomLine:
    """Sensitivity: the assumptions the first pathway's mean depends on most, how much the
    answer could move, and what to measure. A study run over posterior draws gives the top
    swing's 95% range; with ``unknowns`` (today's means over the draws,
    :func:`~simlib.experiments.studies_uncertain.sensitivity_unknowns`), the page's
    sentence on what we don't know about today's estimate."""
    table = study.summary()
    pathway = next(iter(study.scenario.pathways))
    rows = table[table["pathway"] == pathway].head(count)
    names = [assumption_words(row) for _, row in rows.iterrows()]
    top = rows.iloc[0]
    over = "" if sensitivity_fixed(study) else f" {OVER_DRAWS}"
    answer = (f"The {pathway_words(pathway)} estimate{over} ({day_count(top['mean_base'])}) "
              "depends "
              f"most on {' and on '.join(names)}: across its range the first moves it from "
              f"{days(top['mean_low'])} to {day_count(top['mean_high'])}"
              f"{swing_range(study, top)}.")
    swings = table["swing_mean"].abs()
    sure = (f"These numbers are assumptions, not measurements: one at a time across their "
            f"plausible ranges, they move a mean by up to {day_count(swings.max())} "
            f"({_runs(study.replications, 'paired runs')} per setting).")
    if unknowns is not None:
        sure += " " + mean_sentence(unknowns, f"the {pathway_words(pathway)} estimate")
    todo = (f"Measure {' and '.join(names)} first (from the committees' records); the "
            "assumptions at the bottom of the chart barely matter.")
    return BottomLine(answer, sure, todo)


def plan(study: Plan, unknowns: Plan | None = None) -> BottomLine:
    """The deadline planner: the latest safe submission date for the first launch, the
    chance it gives, and what to do by when (from ``as_of``, today). With ``unknowns``
    (the first launch planned over the posterior draws,
    :func:`~simlib.reports.unknowns_plan.plan_unknowns`), the range of the safe date over
    what we don't know and the page's sentence on it."""
    extra = "" if unknowns is None else " " + plan_sentence(unknowns)
    launch = study.launches[0]
    latest = study.latest_submission()
    wanted = percent(study.confidence)
    today = (f"Today is taken as {long_date(study.as_of)}. "
             if study.as_of is not None else "")
    if latest is None:
        answer = (f"No submission date in the 18 months before {long_date(launch)} gives "
                  f"{proposal_words(study)} a {wanted} chance of approval in time.")
        sure = f"{today}From {_runs(study.replications)}.{extra}"
        todo = "Aim for a later launch (see the table of the coming terms)."
        return BottomLine(answer, sure, todo)
    row = study.curve(launch).set_index("submitted").loc[latest]
    answer = (f"To launch on {long_date(launch)}, submit {proposal_words(study)} by "
              f"{long_date(latest)}{plan_clause(unknowns)}.")
    sure = (f"{today}Submitted then, it has an estimated {percent(row['p_approved'])} chance "
            f"of approval in time (95% CI {percent(row['ci95_low'])} to "
            f"{percent(row['ci95_high'])}; {wanted} wanted), from "
            f"{_runs(study.replications)}.{extra}")
    if study.as_of is not None and latest < study.as_of:
        table = study.deadlines()
        reachable = table[table["latest_submission"].map(
            lambda day: day is not None and day >= study.as_of)]
        todo = ("That date has passed: launch later"
                + (f", e.g. {launch_name(study, reachable['launch'].iloc[0])} (submit by "
                   f"{long_date(reachable['latest_submission'].iloc[0])})"
                   if len(reachable) else "") + ", or accept a lower chance.")
    elif study.as_of is not None:
        todo = (f"Submit within {day_count((latest - study.as_of).days)} from today; a later "
                "submission lowers the chance fast when it meets the summer recess.")
    else:
        todo = f"Submit by {long_date(latest)}."
    return BottomLine(answer, sure, todo)


def model_vs_record(backtest: Backtest) -> BottomLine:
    """The backtest (page 07): whether the model reproduces the record (or where it misses
    it, by how many days), how sure, and whether to plan with it."""
    shares = ", ".join(f"{percent(item.inside_band_share)} of the {pathway_words(name)} "
                       f"proposals" for name, item in backtest.pathways.items())
    sure = (f"{shares} fall inside the model's 5-95% band (about 90% when it is right); "
            f"from {backtest.history.proposals} recorded proposals and "
            f"{_runs(backtest.results.replications)}, so only differences larger than a "
            "step's noise count.")
    todo = ("Plan with the model: its what-ifs start from the office as recorded."
            if backtest.verdict.reproduces else
            "Fix the model where it misses (refit that step, or check the record there) "
            "before planning with its what-ifs.")
    return BottomLine(verdict_sentence(backtest), sure, todo)
