"""Calibration: what the documented averages (the scenario's ``targets``) say about the
unknown numbers it marks free (``calibration.free``).

- :func:`calibrate`: a point estimate, the free numbers that reproduce the targets
  (``mcsim calibrate``), as a :class:`Calibrated`;
- :func:`calibrate_posterior`: posterior draws of them by history matching with Gaussian
  process emulators and importance sampling (``mcsim calibrate --posterior``), as a
  :class:`PosteriorFit`.

The private modules: ``_point`` (targets, free parameters, the point fit), ``_emulator``
(the design, the emulators and their implausibility) and ``_posterior`` (the waves and the
draws).
"""

from simlib.calibration._point import Calibrated, calibrate
from simlib.calibration._posterior import PosteriorFit, calibrate_posterior

__all__ = ["Calibrated", "PosteriorFit", "calibrate", "calibrate_posterior"]
