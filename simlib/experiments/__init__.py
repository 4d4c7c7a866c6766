"""Experiments: the one runner (variants x replications on any executor) and everything built
on it: results, the replication count, comparisons, sensitivity, studies, calibration and
the optimizer."""
