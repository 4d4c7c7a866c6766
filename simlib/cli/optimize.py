"""``mcsim optimize SPEC.yaml``: the cheapest configuration of a spec that meets its target.

Prints a planner's table (or one JSON object with ``--format json``): the target, how the
search went, the answer (or a clear "no configuration meets the target" and the closest),
and the best few configurations with their cost, metric, 95% CI and evidence. Exit status 0
whether or not a configuration meets the target; 2 for bad input.
"""

from __future__ import annotations

import argparse
import json

from simlib.cli.options import add_run_options
from simlib.errors import CommandError
from simlib.formats.words import BLANK, bracketed, days, percent
from simlib.reports.tables import text_table

SHOWN = 5  # configurations listed in the table
METRIC_NAMES = {"mean": "mean", "p90": "P90"}


def register(commands: argparse._SubParsersAction) -> None:
    """Add the ``optimize`` subcommand."""
    parser = commands.add_parser(
        "optimize", help="find the cheapest combination of changes that meets a target",
        epilog="--replications and --seed default to the spec's (the seed: else the base's).")
    parser.add_argument("spec", metavar="SPEC", help="spec YAML file (see scenarios/specs/)")
    add_run_options(parser, scheduler=True, replications_default="the spec's replications")
    parser.add_argument("--format", choices=("table", "json"), default="table",
                        help="table for people (default) or one JSON object")
    parser.set_defaults(handler=command_optimize)


def command_optimize(args: argparse.Namespace) -> int:
    """Run the search; print the table or JSON. Status 0 even if nothing meets the target."""
    from simlib.answers import optimize
    from simlib.experiments.executors import dask_executor
    from simlib.optimize import MAX_REPLICATIONS, load_study

    if args.replications is not None and args.replications < 2:
        raise CommandError("mcsim: argument --replications: must be >= 2 for a confidence "
                           "bound, got 1")
    if args.replications is not None and args.replications > MAX_REPLICATIONS:
        raise CommandError(f"mcsim: argument --replications: at most {MAX_REPLICATIONS:,} per "
                           f"configuration, got {args.replications:,}")
    study = load_study(args.spec)
    with dask_executor(args.scheduler) as (executor, workers):
        outcome = optimize(study, args.replications, args.seed, jobs=args.jobs or workers,
                           executor=executor)
    if args.format == "json":
        print(json.dumps(outcome.to_dict(), indent=2, allow_nan=False))
    else:
        print(optimize_text(outcome.to_dict()), end="")
    return 0


def target_sentence(summary: dict) -> str:
    """E.g. 'credit P90 of days from submission to approval below 180 days (95% confidence)'."""
    target = summary["target"]
    return (f"{target['pathway']} {METRIC_NAMES[target['metric']]} of days from submission "
            f"to approval below {target['below_days']:g} days, with "
            f"{percent(target['confidence'])} "
            f"confidence (one-sided upper bound)")


def search_sentence(summary: dict) -> str:
    """How many configurations and replications the search used."""
    count, total = summary["configurations"], summary["replications"]
    if summary["method"] == "exhaustive":
        how = f"every one simulated {total} times"
    else:
        how = (f"screened after {summary['first_stage_replications']} replications each; "
               f"the survivors simulated {total} times")
    return (f"Search: {count} configurations, {how} (seed {summary['seed']}, "
            f"{summary['simulated_replications']} replications in all, the same random "
            f"numbers for every configuration)")


def answer_lines(summary: dict) -> list[str]:
    """The answer in words: the cheapest fix, or that nothing meets the target."""
    unit, metric = summary["cost_unit"], METRIC_NAMES[summary["target"]["metric"]]
    best, closest = summary["best"], summary["closest"]
    item = closest if best is None else best
    figures = (f"  cost {item['cost']:g} {unit}; {metric} {days(item['metric'], missing=BLANK)} "
               f"days, 95% CI {bracketed(*item['ci95'], missing=BLANK)}, ")
    bound = f"{days(item['upper_bound'], missing=BLANK)} days"
    if best is not None:
        return [f"Cheapest fix: {_choices(best)}",
                f"{figures}{percent(summary['target']['confidence'])} upper bound {bound}"]
    return [f"No configuration meets the target. Closest: {_choices(closest)}",
            f"{figures}upper bound {bound}"]


def candidate_rows(summary: dict, shown: int = SHOWN) -> tuple[list[str], list[list[str]]]:
    """Headers and rows of the best ``shown`` candidates: rank, cost, metric and its 95% CI
    (days), the one-sided upper bound judged against the target, the verdict, the evidence
    (replications) and one column per decision."""
    metric = METRIC_NAMES[summary["target"]["metric"]]
    decisions = list(summary["candidates"][0]["configuration"])
    bound = f"{percent(summary['target']['confidence'])} bound"
    headers = ["rank", "cost", metric, "95% CI", bound, "target", "replications", *decisions]
    rows = []
    for rank, item in enumerate(summary["candidates"][:shown], start=1):
        rows.append([str(rank), f"{item['cost']:g}", days(item["metric"], missing=BLANK),
                     bracketed(*item["ci95"], missing=BLANK),
                     days(item["upper_bound"], missing=BLANK), item["verdict"], _evidence(item),
                     *item["configuration"].values()])
    return headers, rows


def optimize_text(summary: dict) -> str:
    """The ``mcsim optimize`` table."""
    headers, rows = candidate_rows(summary)
    screened = sum(1 for item in summary["candidates"] if item["screened_out"])
    rest = len(summary["candidates"]) - len(rows)
    heading = [summary["title"] or summary["name"], f"Target: {target_sentence(summary)}",
               search_sentence(summary), f"Intervals: {summary['interval']}"]
    parts = [
        "\n".join(heading),
        "\n".join(answer_lines(summary)),
        f"Best configurations (cost in {summary['cost_unit']}; days)\n"
        + text_table(headers, rows),
    ]
    if rest:
        parts.append(f"{rest} more configurations in --format json"
                     + (f" ({screened} screened out after the first stage)" if screened else ""))
    return "\n\n".join(parts) + "\n"


def _choices(item: dict) -> str:
    return ", ".join(f"{name} = {option}" for name, option in item["configuration"].items())


def _evidence(item: dict) -> str:
    """Replications behind a row, e.g. ``100`` or ``20 (screened out)``."""
    screened = " (screened out)" if item["screened_out"] else ""
    return f"{item['replications']}{screened}"
