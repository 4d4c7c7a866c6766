"""Experiments: the one runner (variants x replications on any executor) and the questions
built on it: results, the replication count, runs at posterior draws, comparisons,
sensitivity and the capacity and demand studies. Calibration (:mod:`simlib.calibration`)
and the cheapest fix (:mod:`simlib.optimize`) are rooms of their own above this one."""
