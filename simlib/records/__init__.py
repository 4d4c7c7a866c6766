"""Records: what happened to an office's proposals, one row per visit of a proposal to a
step (the history format), read from an office's export or written from a simulated run,
and the event-log formats process-mining tools read (CSV, XES, OCEL)."""
