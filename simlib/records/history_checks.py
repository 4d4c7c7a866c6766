"""Checks of a history's visits proposal by proposal, against the base scenario's pathways:
one pathway and level per proposal, no duplicate rows, steps in the pathway's order (a step
again only after it asked for revision), each step reached only once the steps before it
(and its own previous round) were decided, a step that asked for revision visited again
before the proposal moves on, one open step at a time (or the branches of one parallel
group), nothing after a withdrawal or the final approval. A record read with the steps after
approval goes on to them after the final approval, ends at the last of them, and may go
back to the step a revision there names (``revise: back_to``).

Each problem is a :class:`Problem` (row as a spreadsheet numbers it, the format's column
name, the text with the fix); :mod:`simlib.records.history_files` words the lines.
"""

from __future__ import annotations

from dataclasses import dataclass

from simlib.scenario import labelled_steps


@dataclass(frozen=True)
class Problem:
    """One problem of a history file: ``row`` (header = 1), ``column`` (the format's name),
    ``text`` (what is wrong and the fix)."""

    row: int
    column: str
    text: str


def _route(base, pathway: str, after_approval: bool = False) -> list:
    """The labelled items of ``pathway`` (:func:`~simlib.scenario.labelled_steps`), with
    its steps after approval when ``after_approval``."""
    if after_approval:
        return base.journey(pathway)
    return labelled_steps(base.pathways[pathway])


def route_positions(base, pathway: str, after_approval: bool = False) -> dict[str, int]:
    """The step labels of ``pathway`` in ``base`` -> their position on the route (the
    branches of a parallel group share one position); ``after_approval``: its steps after
    approval too, after them."""
    return {label: position
            for position, item in enumerate(_route(base, pathway, after_approval))
            for label, _ in item}


def final_step(base, pathway: str, after_approval: bool = False) -> str | None:
    """The label of the pathway's last step, whose approval ends it (None when the route
    ends with a parallel group); ``after_approval``: the last of its steps after approval,
    when it has them."""
    last = _route(base, pathway, after_approval)[-1]
    return last[0][0] if len(last) == 1 else None


def proposal_problems(visits: list[dict], base, refused=frozenset(),
                      after_approval: bool = False) -> list[Problem]:
    """The problems of every proposal's rows (``visits``: dicts of the format's columns,
    dates as dates, and ``row``), in no particular order; the proposals in ``refused``
    had a row refused already, so a visit missing from their route is not a problem.
    ``after_approval``: the rows may go on to the pathway's steps after approval (a
    proposal then ends at the last of them; a revision there may go back to an earlier
    step, ``revise: back_to``)."""
    by_proposal: dict[str, list[dict]] = {}
    for visit in visits:
        by_proposal.setdefault(visit["proposal"], []).append(visit)
    found: list[Problem] = []
    for proposal, rows in by_proposal.items():
        same = _same_pathway(proposal, rows)
        found += same
        if not same:
            found += _route_problems(proposal, rows, base, proposal in refused,
                                     after_approval)
    return found


def _same_pathway(proposal: str, rows: list[dict]) -> list[Problem]:
    """A problem for each row whose pathway or level differs from the proposal's first."""
    first = rows[0]
    found = []
    for visit in rows[1:]:
        name = next((name for name in ("pathway", "level") if visit[name] != first[name]),
                    None)
        if name is not None:  # one problem a row: a new pathway usually has a new level
            found.append(Problem(visit["row"], name, f"{_value(visit[name])}, but row "
                                 f"{first['row']} gives {_value(first[name])} for proposal "
                                 f"{proposal}; a proposal keeps one {name}: correct one of "
                                 "them"))
    return found


def _value(text: str) -> str:
    """A cell's text quoted for a message, or "blank"."""
    return repr(text) if text else "blank"


def _route_problems(proposal: str, rows: list[dict], base, gap: bool = False,
                    after_approval: bool = False) -> list[Problem]:
    """Duplicates, steps out of order or reached too early, two open steps, revisions
    left behind (unless the route has a ``gap``: a row refused) and rows after the end of
    one proposal's visits (``after_approval``: see :func:`proposal_problems`)."""
    pathway = rows[0]["pathway"]
    positions = route_positions(base, pathway, after_approval)
    last_step, approval_end = final_step(base, pathway, after_approval), final_step(base, pathway)
    after = set(base.after_labels(pathway)) if after_approval else set()
    backs = base.sent_back(pathway) if after_approval else {}
    ordered = sorted(rows, key=lambda visit: (visit["arrived"], positions[visit["step"]]))
    seen: dict[tuple, dict] = {}
    latest: dict[str, dict] = {}
    furthest: dict | None = None
    ended: dict | None = None
    approved: dict | None = None  # its final approval, after which only steps after it come
    back: str | None = None  # the step a revision after approval sent the proposal back to
    found = []
    kept: list[dict] = []
    for visit in ordered:
        key = (visit["step"], visit["arrived"])
        if key in seen:
            found.append(Problem(visit["row"], "arrived", f"proposal {proposal} reached "
                                 f"{visit['step']} on {visit['arrived'].isoformat()} already "
                                 f"in row {seen[key]['row']}; remove the duplicate row"))
            continue
        seen[key] = visit
        if ended is not None or (approved is not None and visit["step"] not in after):
            found.append(_after_end(proposal, visit, ended or approved, ended is None))
            continue
        problem = (None if visit["step"] == back else
                   _out_of_order(proposal, visit, latest.get(visit["step"]), furthest,
                                 positions, pathway)) or _too_early(proposal, visit, kept,
                                                                    positions)
        if problem is not None:
            found.append(problem)
        back = backs.get(visit["step"]) if visit["decision"] == "revise" else None
        kept.append(visit)
        if furthest is None or positions[visit["step"]] > positions[furthest["step"]]:
            furthest = visit
        latest[visit["step"]] = visit
        if visit["decision"] == "withdraw" or (visit["decision"] == "approve"
                                               and visit["step"] == last_step):
            ended = visit
        if visit["decision"] == "approve" and visit["step"] == approval_end:
            approved = visit
    left = [] if gap else _moved_on(proposal, kept, positions)
    return found + left + _open_steps(proposal, ordered, positions)


def _after_end(proposal: str, visit: dict, ended: dict, approval: bool = False) -> Problem:
    """The problem of a row after the proposal was withdrawn or finally approved
    (``approval``: a row at a step of the approval pipeline after its final approval, when
    the steps after approval may follow)."""
    how = "withdrawn" if ended["decision"] == "withdraw" else "finally approved"
    then = ("after that it reaches only steps after approval" if approval
            else "it reaches no step after that")
    return Problem(visit["row"], "arrived", f"proposal {proposal} was {how} in row "
                   f"{ended['row']} ({ended['decided'].isoformat()}), so {then}; remove this "
                   "row, or correct that decision")


def _out_of_order(proposal: str, visit: dict, before: dict | None, furthest: dict | None,
                  positions: dict[str, int], pathway: str) -> Problem | None:
    """The problem of a visit that goes back on the route, or repeats a step that did not
    ask for revision; None when it follows the pathway."""
    step = visit["step"]
    if before is not None and before["decision"] != "revise":
        state = ("is still open" if not before["decision"]
                 else f"was decided {before['decision']}")
        return Problem(visit["row"], "step", f"proposal {proposal} reaches {step} again, but "
                       f"its visit in row {before['row']} {state}; a step is visited again "
                       "only after it asked for revision: check the step or that decision")
    if furthest is not None and positions[step] < positions[furthest["step"]]:
        order = ", ".join(positions)
        return Problem(visit["row"], "step", f"{step} comes before {furthest['step']} (row "
                       f"{furthest['row']}) in the {pathway} pathway but arrives after it; "
                       f"steps run in the order {order}: check the step or the dates")
    return None


def _too_early(proposal: str, visit: dict, before: list[dict],
               positions: dict[str, int]) -> Problem | None:
    """The problem of a visit that arrives before a decision it must follow: of a step
    earlier on the route, or of its own step's previous round; None when it follows
    them."""
    for earlier in before:
        follows = (positions[earlier["step"]] < positions[visit["step"]]
                   or earlier["step"] == visit["step"])
        if follows and earlier["decided"] is not None and visit["arrived"] < earlier["decided"]:
            return Problem(visit["row"], "arrived", f"{visit['arrived'].isoformat()}, but "
                           f"proposal {proposal}'s {earlier['step']} visit (row "
                           f"{earlier['row']}) was decided later, on "
                           f"{earlier['decided'].isoformat()}; a step is reached after the "
                           "steps before it are decided: check the two dates")
    return None


def _moved_on(proposal: str, visits: list[dict], positions: dict[str, int]) -> list[Problem]:
    """A problem for each revise decision after which the proposal reached a later step
    without visiting that step again (revised work returns to the body that asked)."""
    found = []
    for visit in visits:
        if visit["decision"] != "revise":
            continue
        again = any(other["step"] == visit["step"] and other["arrived"] > visit["arrived"]
                    for other in visits)
        later = [other for other in visits
                 if positions[other["step"]] > positions[visit["step"]]]
        if later and not again:
            found.append(Problem(visit["row"], "decision", f"revise, but proposal {proposal} "
                                 f"then reached {later[0]['step']} (row {later[0]['row']}) "
                                 f"without returning to {visit['step']}; revised work comes "
                                 "back to the step that asked: check this decision, or add "
                                 "the missing visit"))
    return found


def _open_steps(proposal: str, ordered: list[dict], positions: dict[str, int]) -> list[Problem]:
    """A problem for each open visit beyond the first, unless they are branches of one
    parallel group."""
    open_visits = [visit for visit in ordered if not visit["decision"]]
    found = []
    for visit in open_visits[1:]:
        first = open_visits[0]
        if positions[visit["step"]] != positions[first["step"]]:
            found.append(Problem(first["row"], "decided", f"proposal {proposal} is open at "
                                 f"{first['step']} and at {visit['step']} (row {visit['row']}); "
                                 "a proposal is at one step at a time: give this visit its "
                                 "decided date and decision"))
    return found
