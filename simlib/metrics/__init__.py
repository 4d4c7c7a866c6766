"""Metrics: pure functions of event logs (and per-replication summaries of them) and the
calendar-aware metrics; the statistics of replicated outputs live in :mod:`simlib.statistics`."""
