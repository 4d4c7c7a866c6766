"""Metrics: pure functions of event logs (and per-replication summaries of them), the
calendar-aware metrics, and the statistics of replicated outputs."""
