"""Statistics of replicated simulation output, on the ground floor: every estimator the
rooms above share, each written once with its reference.

- The ratio estimator (a mean pooled over replications, its variance from the spread
  between them): :func:`ratio_residuals`, :func:`ratio_variance`, :func:`ratio_estimate`,
  :func:`ratio_interval`.
- The paired difference of two pooled means (common random numbers):
  :func:`paired_difference`, :func:`paired_mean_difference`.
- The bootstrap over whole replications: :func:`draw_weights`, :func:`pooled_quantiles`,
  :func:`paired_quantile_interval`.
- Intervals: Student t (:func:`t_quantile`, :func:`t_half_width`, :func:`t_interval`) and
  Wilson for shares (:func:`wilson`, :func:`clustered_share`).
- The replication count's widths: :func:`relative_half_widths`.
- The variance split into noise and parameters: :func:`variance_split` (a :class:`Split`),
  :func:`variance_shares`.
- Counts of outcomes against each item's own chances: :func:`outcome_test` (Pearson's
  :func:`chi_square`, Monte Carlo p-value).

The room imports numpy, scipy and pandas only, nothing else of simlib.
"""

from simlib.statistics._bootstrap import draw_weights, paired_quantile_interval, pooled_quantiles
from simlib.statistics._intervals import t_half_width, t_interval, t_quantile
from simlib.statistics._outcomes import chi_square, outcome_test
from simlib.statistics._paired import paired_difference, paired_mean_difference
from simlib.statistics._ratio import (
    ratio_estimate,
    ratio_interval,
    ratio_residuals,
    ratio_variance,
)
from simlib.statistics._replications import relative_half_widths
from simlib.statistics._shares import clustered_share, wilson
from simlib.statistics._variance_split import Z95, Split, variance_shares, variance_split

__all__ = [
    "Z95", "Split", "chi_square", "clustered_share", "draw_weights", "outcome_test",
    "paired_difference", "paired_mean_difference", "paired_quantile_interval", "pooled_quantiles",
    "ratio_estimate", "ratio_interval", "ratio_residuals", "ratio_variance",
    "relative_half_widths", "t_half_width", "t_interval", "t_quantile", "variance_shares",
    "variance_split", "wilson",
]
