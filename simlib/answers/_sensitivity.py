"""Which assumption matters most? One-at-a-time swings (``mcsim sensitivity``, report 05)."""

from __future__ import annotations

import concurrent.futures as cf
from dataclasses import dataclass

from simlib.experiments import sensitivity as swings
from simlib.experiments.sensitivity import Sensitivity
from simlib.experiments.studies import Unknowns
from simlib.scenario import Scenario


@dataclass(frozen=True, eq=False)
class SensitivityAnswer:
    """Each assumption's swing (``study``; with ``uncertainty`` every swing over the
    posterior draws of the other parameters, its range beside its CI)."""

    study: Sensitivity

    @property
    def over_draws(self) -> Unknowns | None:
        """Today's means over the draws (the study's own base runs), or None."""
        run = self.study.base_over_draws
        return None if run is None else Unknowns((run,), next(iter(run.scenario.pathways)))

    def to_dict(self, top: int | None = None, pathways: list[str] | None = None) -> dict:
        """The JSON of ``mcsim sensitivity`` (see :meth:`Sensitivity.to_dict`)."""
        return self.study.to_dict(top, pathways)


def sensitivity(
    scenario: Scenario, replications: int | None = None, seed: int | None = None, *,
    uncertainty: bool = False, draws: int | None = None, draw_replications: int | None = None,
    executor: cf.Executor | None = None, jobs: int | None = None, progress: bool | None = None,
) -> SensitivityAnswer:
    """Swing each of the scenario's assumptions over its range (see
    :func:`simlib.experiments.sensitivity.sensitivity`) with ``replications`` runs each;
    with ``uncertainty`` every setting runs at ``draws`` posterior draws instead, with
    ``draw_replications`` runs each (default: ``replications``, as ``mcsim sensitivity
    --uncertainty`` counts them)."""
    count = (draw_replications or replications) if uncertainty else replications
    return SensitivityAnswer(swings.sensitivity(scenario, count, seed, executor, jobs,
                                                progress=progress, uncertainty=uncertainty,
                                                draws=draws))
